"""What every command shares: the error a user can fix, and the reading of the arguments
they type (dates, periods, units, plans, accounts) into the objects the commands work on.

Nothing here imports Django at module level: the parser is built before Django is set up.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any


class CommandError(Exception):
    """An error the user can fix; printed in Vietnamese without a traceback."""


def default_data_dir() -> Path:
    """The dataset shipped with the source tree (``data/`` beside ``src/``)."""
    return Path(__file__).resolve().parents[3] / "data"


def date_arg(text: str) -> dt.date:
    from theodoi.domain.formatting import FormatError, parse_date

    try:
        return parse_date(text)
    except FormatError as exc:
        raise CommandError(str(exc)) from None


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
