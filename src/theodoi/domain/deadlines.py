"""Task deadlines as plans write them, and their parsing.

A plan gives a deadline as a date, a month ("Tháng 12/2025" = end of that month), a quarter
("Quý II/2026"), a year ("Năm 2026"), yearly ("Hằng năm"), ongoing ("Thường xuyên"), per
period ("Hằng quý") or "as set in the source documents" ("Theo văn bản nguồn").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from theodoi.domain.text import fold


class DeadlineKind(StrEnum):
    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    YEARLY = "yearly"
    ONGOING = "ongoing"
    PERIODIC = "periodic"
    PER_SOURCE = "per_source"

    @property
    def is_recurring(self) -> bool:
        """Recurring deadlines are judged per period, not once."""
        return self in (
            DeadlineKind.YEARLY,
            DeadlineKind.ONGOING,
            DeadlineKind.PERIODIC,
            DeadlineKind.PER_SOURCE,
        )


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due: dt.date | None = None  # the last day for one-off deadlines
    text: str = ""

    def __post_init__(self) -> None:
        if self.kind.is_recurring and self.due is not None:
            raise ValueError("recurring deadlines have no single due date")
        if not self.kind.is_recurring and self.due is None:
            raise ValueError("one-off deadlines need a due date")


class DeadlineError(ValueError):
    """A deadline text that cannot be read; the message is Vietnamese."""


ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_MONTH = re.compile(r"^(?:truoc |trong )?thang (\d{1,2})\s*[/-]\s*(\d{4})$")
_MONTH_WORDS = re.compile(r"^(?:truoc |trong )?thang (\d{1,2}) nam (\d{4})$")
_QUARTER = re.compile(r"^(?:truoc |trong )?quy (iv|iii|ii|i|[1-4])\s*(?:[/-]|nam)\s*(\d{4})$")
_YEAR = re.compile(r"^(?:truoc |trong )?nam (\d{4})$|^(\d{4})$")
_YEAR_RANGE = re.compile(r"^(?:giai doan |nam )?(\d{4})\s*-\s*(\d{4})$")
_DATE = re.compile(r"^(?:truoc |den |truoc ngay |ngay |den ngay )?(\d{1,2})/(\d{1,2})/(\d{4})$")

_RECURRING = {
    "thuong xuyen": DeadlineKind.ONGOING,
    "hang nam": DeadlineKind.YEARLY,
    "hang quy": DeadlineKind.PERIODIC,
    "hang thang": DeadlineKind.PERIODIC,
    "dinh ky": DeadlineKind.PERIODIC,
    "6 thang": DeadlineKind.PERIODIC,
    "theo van ban nguon": DeadlineKind.PER_SOURCE,
    "theo thoi han tai van ban nguon": DeadlineKind.PER_SOURCE,
    "theo thoi han tai van ban": DeadlineKind.PER_SOURCE,
    "theo van ban chi dao": DeadlineKind.PER_SOURCE,
    "theo yeu cau": DeadlineKind.PER_SOURCE,
}


def parse_deadline(text: str) -> Deadline:
    """Read a Vietnamese deadline such as "Tháng 12/2025", "Quý II/2026", "Hằng năm"."""
    raw = text.strip()
    key = fold(raw).rstrip(".;")
    key = re.sub(r"\s*/\s*", "/", key)
    if key in _RECURRING:
        return Deadline(_RECURRING[key], None, raw)
    if key.startswith("thuong xuyen"):
        return Deadline(DeadlineKind.ONGOING, None, raw)
    if key.startswith("hang nam"):
        return Deadline(DeadlineKind.YEARLY, None, raw)
    if key.startswith("theo "):
        return Deadline(DeadlineKind.PER_SOURCE, None, raw)
    for pattern in (_MONTH, _MONTH_WORDS):
        if m := pattern.match(key):
            month, year = int(m[1]), int(m[2])
            if not 1 <= month <= 12:
                raise DeadlineError(f"Thời hạn “{raw}”: tháng {month} không hợp lệ.")
            return Deadline(DeadlineKind.MONTH, _month_end(year, month), raw)
    if m := _QUARTER.match(key):
        q, year = ROMAN_QUARTERS[m[1]], int(m[2])
        return Deadline(DeadlineKind.QUARTER, _month_end(year, 3 * q), raw)
    if m := _YEAR.match(key):
        year = int(m[1] or m[2])
        return Deadline(DeadlineKind.YEAR, dt.date(year, 12, 31), raw)
    if m := _YEAR_RANGE.match(key):
        first, last = int(m[1]), int(m[2])
        if last < first:
            raise DeadlineError(f"Thời hạn “{raw}”: năm kết thúc trước năm bắt đầu.")
        return Deadline(DeadlineKind.YEAR, dt.date(last, 12, 31), raw)
    if m := _DATE.match(key):
        try:
            return Deadline(DeadlineKind.DATE, dt.date(int(m[3]), int(m[2]), int(m[1])), raw)
        except ValueError:
            raise DeadlineError(f"Thời hạn “{raw}”: ngày không tồn tại.") from None
    raise DeadlineError(
        f"Không hiểu thời hạn “{raw}”. Cách viết được chấp nhận: “Tháng 12/2025”, "
        "“Quý II/2026”, “Năm 2026”, “31/12/2025”, “Hằng năm”, “Thường xuyên”, "
        "“Theo văn bản nguồn”."
    )
