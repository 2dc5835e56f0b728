"""Periods as people write them in a question: "quý 1", "q1/2026", "quý I năm 2026",
"6 tháng đầu năm", "9 tháng", "tháng này", "năm nay", "quý trước", "từ 01/01/2026 đến
28/04/2026" — and the comparisons that follow up an answer: "so với quý trước", "so với cùng
kỳ".

Everything here reads folded text (:func:`theodoi.domain.text.fold`) and is judged against
``today``: "quý 1" without a year is the first quarter of the current year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from theodoi.domain import periods as p
from theodoi.domain.formatting import lower_first


class Compare(StrEnum):
    """What a figure is compared with."""

    PREVIOUS = "previous"  # the period of the same kind before: "so với quý trước"
    LAST_YEAR = "last_year"  # the same period a year before: "so với cùng kỳ"
    PERIOD = "period"  # a period named: "so với quý IV/2025"


@dataclass(frozen=True)
class PeriodMatch:
    """A period found in a question and where: ``text[start:end]`` of the folded text."""

    period: p.Period
    start: int
    end: int
    # "năm 2030" may name a milestone rather than the period asked about: the caller decides.
    bare_year: bool = False


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4}
_NUMBER = r"(\d{1,2}|iv|iii|ii|i|mot|hai|ba|bon|tu)"
_YEAR = r"(?:\s*(?:/|-|\.|,|nam|cua nam)?\s*((?:19|20)\d\d(?!\d)|(?<=nam )(?:nay|ngoai|truoc)))?"
_DATE = r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"

_CUSTOM = re.compile(
    r"\btu (?:ngay )?(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?,? (?:den|toi) (?:het )?(?:ngay )?"
    r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
)
_UNTIL = re.compile(r"\b(?:tinh )?(?:den|toi) (?:het )?(?:ngay )?" + _DATE)
_FROM_YEAR_START = re.compile(r"\btu dau nam(?: (20\d\d))?,? den (?:het )?(?:ngay )?" + _DATE)
# a day or a month written with a slash: what is left of it unread makes the question unclear
DATE_LIKE = re.compile(r"(?<![\d.])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\d])")
# "quý 5", "tháng 13": a period that does not exist
_NO_SUCH_QUARTER = re.compile(r"\b(?:quy|qui|q)\s*([05-9]|\d{2,})\b")
_NO_SUCH_MONTH = re.compile(r"(?<![\d/])\bthang (1[3-9]|[2-9]\d|0)\b")
_QUARTER = re.compile(rf"\b(?:quy|qui|q)\s*{_NUMBER}\b{_YEAR}")
_THREE_MONTHS = re.compile(rf"\b(?:3|ba) thang (dau|cuoi)(?: nam)?\b{_YEAR}")
_QUARTER_RELATIVE = re.compile(r"\b(?:quy|qui) (nay|hien tai|truoc|vua qua|toi|sau)\b")
_HALF = re.compile(rf"\b(?:6|sau) thang (dau|cuoi)(?: nam)?\b{_YEAR}|\bnua (dau|cuoi) nam\b{_YEAR}")
_HALF_PLAIN = re.compile(rf"\b(?:6|sau) thang\b(?! (?:dau|cuoi|truoc|qua|toi))(?: nam)?{_YEAR}")
_NINE = re.compile(rf"\b(?:9|chin) thang(?: dau nam)?(?: nam)?\b{_YEAR}")
_MONTH = re.compile(rf"(?<![\d/])\bthang (\d{{1,2}})\b{_YEAR}")
_MONTH_RELATIVE = re.compile(r"\bthang (nay|hien tai|truoc|vua qua|toi|sau)\b")
_YEAR_RELATIVE = re.compile(r"\bnam (nay|hien tai|truoc|ngoai|qua|toi|sau)\b")
_YEAR_ONLY = re.compile(r"\b(?:nam )?(20\d\d)\b")

_COMPARE_PREVIOUS = re.compile(
    r"\bso (?:voi|vs) (?:quy|thang|nam|ky|6 thang|9 thang)? ?(?:truoc|lien truoc|ngoai|vua qua)\b"
)
_COMPARE_LAST_YEAR = re.compile(r"\b(?:so (?:voi|vs) )?cung ky(?: nam (?:truoc|ngoai))?\b")


def _year(text: str | None, today: dt.date) -> int:
    if not text or text in ("nay",):
        return today.year
    if text in ("ngoai", "truoc"):
        return today.year - 1
    return int(text)


def _shift(kind: str, today: dt.date, word: str) -> p.Period:
    current = {
        "quarter": p.quarter_containing(today),
        "month": p.month_period(today.year, today.month),
        "year": p.year_period(today.year),
    }[kind]
    if word in ("truoc", "vua qua", "ngoai", "qua"):
        return current.previous()
    if word in ("toi", "sau"):
        return current.next()
    return current


def find_period(text: str, today: dt.date) -> PeriodMatch | None:
    """The first period named in folded ``text``, or None."""
    found: list[PeriodMatch] = []
    for m in _CUSTOM.finditer(text):
        d1, m1, y1, d2, m2, y2 = (int(g) if g else None for g in m.groups())
        try:
            period = p.custom(dt.date(y1 or y2, m1, d1), dt.date(y2, m2, d2))
        except (ValueError, p.PeriodError):
            continue
        found.append(PeriodMatch(period, m.start(), m.end()))
    for m in _UNTIL.finditer(text):
        # "tính đến ngày 15/01/2026": the year so far, judged on that day
        d2, m2, y2 = (int(g) for g in m.groups())
        try:
            period = p.custom(dt.date(y2, 1, 1), dt.date(y2, m2, d2))
        except (ValueError, p.PeriodError):
            continue
        found.append(PeriodMatch(period, m.start(), m.end()))
    for m in _FROM_YEAR_START.finditer(text):
        y1, d2, m2, y2 = (int(g) if g else None for g in m.groups())
        try:
            period = p.custom(dt.date(y1 or y2, 1, 1), dt.date(y2, m2, d2))
        except (ValueError, p.PeriodError):
            continue
        found.append(PeriodMatch(period, m.start(), m.end()))
    for m in _QUARTER.finditer(text):
        index = int(m.group(1)) if m.group(1).isdigit() else _ROMAN[m.group(1)]
        if 1 <= index <= 4:
            found.append(
                PeriodMatch(p.quarter(_year(m.group(2), today), index), m.start(), m.end())
            )
    for m in _THREE_MONTHS.finditer(text):
        index = 1 if m.group(1) == "dau" else 4
        found.append(PeriodMatch(p.quarter(_year(m.group(2), today), index), m.start(), m.end()))
    for m in _QUARTER_RELATIVE.finditer(text):
        found.append(PeriodMatch(_shift("quarter", today, m.group(1)), m.start(), m.end()))
    for m in _HALF.finditer(text):
        first = (m.group(1) or m.group(3)) == "dau"
        year = _year(m.group(2) or m.group(4), today)
        found.append(PeriodMatch(p.half(year, 1 if first else 2), m.start(), m.end()))
    for m in _HALF_PLAIN.finditer(text):
        found.append(PeriodMatch(p.half(_year(m.group(1), today), 1), m.start(), m.end()))
    for m in _NINE.finditer(text):
        found.append(PeriodMatch(p.nine_months(_year(m.group(1), today)), m.start(), m.end()))
    for m in _MONTH.finditer(text):
        month = int(m.group(1))
        if 1 <= month <= 12:
            found.append(
                PeriodMatch(p.month_period(_year(m.group(2), today), month), m.start(), m.end())
            )
    for m in _MONTH_RELATIVE.finditer(text):
        found.append(PeriodMatch(_shift("month", today, m.group(1)), m.start(), m.end()))
    for m in _YEAR_RELATIVE.finditer(text):
        found.append(PeriodMatch(_shift("year", today, m.group(1)), m.start(), m.end()))
    taken = [(f.start, f.end) for f in found]
    for m in _YEAR_ONLY.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        found.append(PeriodMatch(p.year_period(int(m.group(1))), m.start(), m.end(), True))
    if not found:
        return None
    bare = [f for f in found if f.bare_year]
    dated = [f for f in found if not f.bare_year]
    if bare and dated:
        # "năm 2025 quý 4": the quarter is of the year named apart
        first = min(dated, key=lambda f: (f.start, -(f.end - f.start)))
        if not re.search(r"(?:19|20)\d\d|nam (?:nay|ngoai|truoc)", text[first.start : first.end]):
            year = bare[0].period.year
            return PeriodMatch(_in_year(first.period, year), first.start, first.end)
        return first
    # the earliest in the text; of two starting together, the longer ("quý 1 năm 2026")
    return min(found, key=lambda f: (f.start, -(f.end - f.start)))


def _in_year(period: p.Period, year: int) -> p.Period:
    """The same quarter, month or half of another year."""
    if period.kind is p.PeriodKind.QUARTER:
        return p.quarter(year, period.index)
    if period.kind is p.PeriodKind.MONTH:
        return p.month_period(year, period.index)
    if period.kind is p.PeriodKind.HALF:
        return p.half(year, period.index)
    if period.kind is p.PeriodKind.NINE_MONTHS:
        return p.nine_months(year)
    return period


def no_such_period(text: str) -> str:
    """A period named in folded ``text`` that does not exist ("quý 5"), as written; or ""."""
    m = _NO_SUCH_QUARTER.search(text) or _NO_SUCH_MONTH.search(text)
    return m.group(0) if m else ""


def find_compare(text: str, today: dt.date) -> tuple[Compare, int, int, p.Period | None] | None:
    """A comparison asked for in folded ``text``: "so với quý trước", "cùng kỳ", or "so với"
    a period named ("so với quý IV/2025")."""
    m = _COMPARE_LAST_YEAR.search(text)
    if m:
        return Compare.LAST_YEAR, m.start(), m.end(), None
    m = _COMPARE_PREVIOUS.search(text)
    if m:
        return Compare.PREVIOUS, m.start(), m.end(), None
    m = re.search(r"\bso (?:voi|vs) ", text)
    if m:
        named = find_period(text[m.end() :], today)
        if named is not None and named.start == 0:
            return Compare.PERIOD, m.start(), m.end() + named.end, named.period
    return None


def compared_period(period: p.Period, compare: Compare) -> p.Period:
    """The period ``period`` is compared with."""
    if compare is Compare.PREVIOUS:
        return period.previous()
    if period.kind is p.PeriodKind.CUSTOM:
        return p.custom(_year_before(period.start), _year_before(period.end))
    moved = period
    for _ in range(_periods_per_year(period.kind)):
        moved = moved.previous()
    return moved


def _periods_per_year(kind: p.PeriodKind) -> int:
    return {
        p.PeriodKind.MONTH: 12,
        p.PeriodKind.QUARTER: 4,
        p.PeriodKind.HALF: 2,
    }.get(kind, 1)


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def period_phrase(period: p.Period) -> str:
    """The period as a sentence names it, lower-case: "quý I năm 2026", "tháng 3/2026"."""
    return lower_first(period.label)
