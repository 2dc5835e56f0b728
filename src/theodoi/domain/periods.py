"""Reporting periods (kỳ báo cáo): calendar periods and the government's cut-off periods.

Government reporting cuts data off on the 14th: a cut-off month runs from the 15th of the
previous month to the 14th; a cut-off quarter from the 15th of the month before the quarter to
the 14th of its last month; a cut-off year from 15/12 of the previous year to 14/12.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    CUSTOM = "custom"


class PeriodBasis(StrEnum):
    CALENDAR = "calendar"
    CUTOFF = "cutoff"


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
CUTOFF_DAY = 14


class PeriodError(ValueError):
    """A period code that cannot be read; the message is Vietnamese."""


@dataclass(frozen=True, order=True)
class Period:
    """A closed date range [start, end] with the kind and basis it was built from."""

    start: dt.date
    end: dt.date
    kind: PeriodKind = PeriodKind.CUSTOM
    basis: PeriodBasis = PeriodBasis.CALENDAR
    year: int | None = None
    index: int | None = None  # month 1–12, quarter 1–4, half 1–2

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(
                f"Kỳ báo cáo không hợp lệ: ngày kết thúc {self.end:%d/%m/%Y} trước ngày bắt đầu "
                f"{self.start:%d/%m/%Y}."
            )

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def code(self) -> str:
        """A stable code: 2026-Q1, 2026-Q1-cutoff, 2026-03, 2026-H1, 2026-9M, 2026, or a range."""
        if self.kind is PeriodKind.CUSTOM:
            return f"{self.start.isoformat()}..{self.end.isoformat()}"
        if self.kind is PeriodKind.MONTH:
            base = f"{self.year}-{self.index:02d}"
        elif self.kind is PeriodKind.QUARTER:
            base = f"{self.year}-Q{self.index}"
        elif self.kind is PeriodKind.HALF:
            base = f"{self.year}-H{self.index}"
        elif self.kind is PeriodKind.NINE_MONTHS:
            base = f"{self.year}-9M"
        else:
            base = f"{self.year}"
        return base + ("-cutoff" if self.basis is PeriodBasis.CUTOFF else "")

    @property
    def label(self) -> str:
        """Vietnamese name: "Quý I năm 2026", "6 tháng đầu năm 2026", "Từ 01/01/2026 đến …"."""
        if self.kind is PeriodKind.CUSTOM:
            return f"Từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"
        if self.kind is PeriodKind.MONTH:
            text = f"Tháng {self.index}/{self.year}"
        elif self.kind is PeriodKind.QUARTER:
            text = f"Quý {ROMAN[self.index or 1]} năm {self.year}"
        elif self.kind is PeriodKind.HALF:
            first = self.index == 1
            text = f"6 tháng {'đầu' if first else 'cuối'} năm {self.year}"
        elif self.kind is PeriodKind.NINE_MONTHS:
            text = f"9 tháng năm {self.year}"
        else:
            text = f"Năm {self.year}"
        if self.basis is PeriodBasis.CUTOFF:
            text += f" (số liệu từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y})"
        return text

    def previous(self) -> Period:
        """The period of the same kind immediately before this one."""
        if self.kind is PeriodKind.CUSTOM:
            length = self.end - self.start
            end = self.start - dt.timedelta(days=1)
            return custom(end - length, end)
        if self.kind is PeriodKind.MONTH:
            year, month = (self.year - 1, 12) if self.index == 1 else (self.year, self.index - 1)
            return month_period(year, month, self.basis)
        if self.kind is PeriodKind.QUARTER:
            year, q = (self.year - 1, 4) if self.index == 1 else (self.year, self.index - 1)
            return quarter(year, q, self.basis)
        if self.kind is PeriodKind.HALF:
            year, h = (self.year - 1, 2) if self.index == 1 else (self.year, 1)
            return half(year, h, self.basis)
        if self.kind is PeriodKind.NINE_MONTHS:
            return nine_months(self.year - 1, self.basis)
        return year_period(self.year - 1, self.basis)

    def next(self) -> Period:
        """The period of the same kind immediately after this one."""
        if self.kind is PeriodKind.CUSTOM:
            length = self.end - self.start
            start = self.end + dt.timedelta(days=1)
            return custom(start, start + length)
        if self.kind is PeriodKind.MONTH:
            year, month = (self.year + 1, 1) if self.index == 12 else (self.year, self.index + 1)
            return month_period(year, month, self.basis)
        if self.kind is PeriodKind.QUARTER:
            year, q = (self.year + 1, 1) if self.index == 4 else (self.year, self.index + 1)
            return quarter(year, q, self.basis)
        if self.kind is PeriodKind.HALF:
            year, h = (self.year + 1, 1) if self.index == 2 else (self.year, 2)
            return half(year, h, self.basis)
        if self.kind is PeriodKind.NINE_MONTHS:
            return nine_months(self.year + 1, self.basis)
        return year_period(self.year + 1, self.basis)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _span(
    year: int, first_month: int, last_month: int, basis: PeriodBasis
) -> tuple[dt.date, dt.date]:
    """Calendar span of months first..last of ``year``, or its cut-off equivalent."""
    if basis is PeriodBasis.CALENDAR:
        return dt.date(year, first_month, 1), _month_end(year, last_month)
    start_year, start_month = (year - 1, 12) if first_month == 1 else (year, first_month - 1)
    return dt.date(start_year, start_month, CUTOFF_DAY + 1), dt.date(year, last_month, CUTOFF_DAY)


def month_period(year: int, month: int, basis: PeriodBasis = PeriodBasis.CALENDAR) -> Period:
    if not 1 <= month <= 12:
        raise PeriodError(f"Tháng {month} không hợp lệ: tháng phải từ 1 đến 12.")
    start, end = _span(year, month, month, basis)
    return Period(start, end, PeriodKind.MONTH, basis, year, month)


def quarter(year: int, q: int, basis: PeriodBasis = PeriodBasis.CALENDAR) -> Period:
    if not 1 <= q <= 4:
        raise PeriodError(f"Quý {q} không hợp lệ: quý phải từ 1 đến 4.")
    start, end = _span(year, 3 * q - 2, 3 * q, basis)
    return Period(start, end, PeriodKind.QUARTER, basis, year, q)


def half(year: int, h: int, basis: PeriodBasis = PeriodBasis.CALENDAR) -> Period:
    if h not in (1, 2):
        raise PeriodError(f"Nửa năm {h} không hợp lệ: chỉ có H1 hoặc H2.")
    start, end = _span(year, 6 * h - 5, 6 * h, basis)
    return Period(start, end, PeriodKind.HALF, basis, year, h)


def nine_months(year: int, basis: PeriodBasis = PeriodBasis.CALENDAR) -> Period:
    start, end = _span(year, 1, 9, basis)
    return Period(start, end, PeriodKind.NINE_MONTHS, basis, year, None)


def year_period(year: int, basis: PeriodBasis = PeriodBasis.CALENDAR) -> Period:
    start, end = _span(year, 1, 12, basis)
    return Period(start, end, PeriodKind.YEAR, basis, year, None)


def custom(start: dt.date, end: dt.date) -> Period:
    code = f"{start:%d/%m/%Y}..{end:%d/%m/%Y}"
    _check_year(start.year, code)
    _check_year(end.year, code)
    return Period(start, end, PeriodKind.CUSTOM, PeriodBasis.CALENDAR)


def quarter_containing(day: dt.date, basis: PeriodBasis = PeriodBasis.CALENDAR) -> Period:
    """The quarter whose data a report dated ``day`` would normally cover."""
    q = quarter(day.year, (day.month - 1) // 3 + 1, basis)
    if q.contains(day):
        return q
    return q.next() if day > q.end else q.previous()


_CODE_RE = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})|Q(?P<q>[1-4])|H(?P<h>[12])|(?P<nine>9M)))?"
    r"(?P<cutoff>-cutoff)?$",
    re.IGNORECASE,
)
_RANGE_RE = re.compile(r"^(?P<a>[\d/.-]+)\s*(?:\.\.|→| to | đến )\s*(?P<b>[\d/.-]+)$")


FIRST_YEAR, LAST_YEAR = 2000, 2100


def periods_ending(last: Period, count: int) -> list[Period]:
    """``count`` periods of ``last``'s kind, one after another, ending with ``last``: oldest
    first (the eight quarters to 2026-Q1 are 2024-Q2 … 2026-Q1)."""
    periods = [last]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods


def _check_year(year: int, code: str) -> None:
    """Reporting periods lie in this century: a year outside it is a typing mistake."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(
            f"Kỳ báo cáo “{code}” có năm {year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}."
        )


def parse_period(code: str) -> Period:
    """Read a period code: 2026-Q1, 2026-Q1-cutoff, 2026-03, 2026-H1, 2026-9M, 2026,
    or a custom range "2026-01-01..2026-04-28" / "01/01/2026..28/04/2026"."""
    from theodoi.domain.formatting import FormatError, parse_date

    text = code.strip()
    match = _CODE_RE.match(text)
    if match:
        year = int(match["year"])
        _check_year(year, code)
        basis = PeriodBasis.CUTOFF if match["cutoff"] else PeriodBasis.CALENDAR
        if match["month"]:
            return month_period(year, int(match["month"]), basis)
        if match["q"]:
            return quarter(year, int(match["q"]), basis)
        if match["h"]:
            return half(year, int(match["h"]), basis)
        if match["nine"]:
            return nine_months(year, basis)
        return year_period(year, basis)
    match = _RANGE_RE.match(text)
    if match:
        try:
            start, end = parse_date(match["a"]), parse_date(match["b"])
        except FormatError as exc:
            raise PeriodError(str(exc)) from None
        _check_year(start.year, code)
        _check_year(end.year, code)
        return custom(start, end)
    raise PeriodError(
        f"Kỳ báo cáo “{code}” không đọc được. Ví dụ hợp lệ: 2026-Q1 (quý I), 2026-Q1-cutoff "
        "(quý I tính từ ngày 15 đến ngày 14), 2026-03 (tháng 3), 2026-H1, 2026-9M, 2026, "
        "hoặc 01/01/2026..28/04/2026."
    )


def report_next_period(period: Period) -> tuple[Period | None, str]:
    """The period a report's "next period's tasks" are for, and its name in the report
    ("quý II năm 2026"): the next quarter, month or year; after the first half, the second;
    after nine months, the fourth quarter; after a custom range, no period but "thời gian tới"
    (a range's length is no period the office plans for)."""
    if period.kind is PeriodKind.CUSTOM:
        return None, "thời gian tới"
    if period.kind is PeriodKind.NINE_MONTHS:
        following = quarter(period.year or period.end.year, 4, period.basis)
    else:
        following = period.next()
    label = following.label
    return following, label[0].lower() + label[1:]


def report_due(end: dt.date, basis: str) -> dt.date:
    """When a unit's report for a period ending ``end`` is due: on the cut-off day (the 14th).
    A cut-off period ends on it; a calendar period's report is due on the 14th of the month
    after it ends (Q1 → 14/04)."""
    if basis == PeriodBasis.CUTOFF:
        return end
    after = end + dt.timedelta(days=1)
    return dt.date(after.year, after.month, CUTOFF_DAY)
