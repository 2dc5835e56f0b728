"""What every command shares: the error a user can fix, and the reading of the arguments
they type (dates, periods, units, plans, accounts) into the objects the commands work on.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

# argparse's own words (usage, errors, help headings) in Vietnamese: it looks them up through
# gettext, whose default catalogue this command does not ship, so they are given here.
ARGPARSE_WORDS = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "xem hướng dẫn này rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "giá trị %(value)r không có; chọn một trong: %(choices)s"
    ),
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "chỉ nhận tối đa một giá trị",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn %(option)s không rõ: có thể là %(matches)s"
    ),
    "not allowed with argument %s": "không dùng cùng với %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "ignored explicit argument %r": "tùy chọn này không nhận giá trị %r",
    "can't open '%(filename)s': %(error)s": "không mở được “%(filename)s”: %(error)s",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
}


def _argparse_gettext(message: str) -> str:
    return ARGPARSE_WORDS.get(message, message)


def _argparse_ngettext(singular: str, plural: str, count: int) -> str:
    if singular == "expected %s argument":
        return "cần %s giá trị"
    return singular if count == 1 else plural


argparse._ = _argparse_gettext  # type: ignore[attr-defined]
argparse.ngettext = _argparse_ngettext  # type: ignore[attr-defined]


class CommandError(Exception):
    """An error the user can fix; printed in Vietnamese without a traceback."""


def default_data_dir() -> Path:
    """The dataset shipped with the source tree (``data/`` beside ``src/``)."""
    return Path(__file__).resolve().parents[3] / "data"


def positive_int(text: str) -> int:
    """An argparse type: a whole number from 1 (a report's number, a count)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” không phải số nguyên") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"cần số nguyên từ 1 trở lên, không phải {value}")
    return value


def file_with_suffix(suffix: str):
    """An argparse type: a file name ending in ``suffix`` (``.docx``), so a DOCX is not
    written into ``bao-cao.pdf`` and opened by the wrong program."""

    def check(text: str) -> str:
        if not text.lower().endswith(suffix):
            raise argparse.ArgumentTypeError(f"tên tệp “{text}” phải có đuôi {suffix}")
        return text

    check.__name__ = f"tệp {suffix}"
    return check


def date_arg(text: str) -> dt.date:
    from theodoi.domain.formatting import FormatError, parse_date
    from theodoi.domain.periods import FIRST_YEAR, LAST_YEAR

    try:
        day = parse_date(text)
    except FormatError as exc:
        raise CommandError(str(exc)) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CommandError(
            f"Ngày “{text}” có năm {day.year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}."
        )
    return day


def period_arg(code: str):
    from theodoi.domain.periods import PeriodError, parse_period

    try:
        return parse_period(code)
    except PeriodError as exc:
        raise CommandError(str(exc)) from None


def unit_arg(query: str):
    from theodoi.orgs.selectors import UnitLookupError, unit_find

    try:
        return unit_find(query=query, user=None)
    except UnitLookupError as exc:
        raise CommandError(str(exc)) from None


def plan_arg(symbol: str):
    from theodoi.plans.selectors import PlanLookupError, plan_find

    try:
        return plan_find(symbol=symbol, user=None)
    except PlanLookupError as exc:
        raise CommandError(str(exc)) from None


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def write_file(path: str, content: bytes, what: str) -> None:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    except OSError as exc:
        raise CommandError(f"Không ghi được {what} vào “{path}”: {exc.strerror}.") from None
    print(f"Đã ghi {what}: {target}")
