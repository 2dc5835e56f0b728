"""Indicator targets and their evaluation.

A target is written as plans write it: "≥ 60%", "> 60%", "100%", "45–50%", "Phấn đấu ít
nhất 3%", "Đạt trên 3,5%". The milestone that applies at a date is the first milestone year
not before that date's year. An indicator that reaches that milestone's target is achieved
(early, if before the milestone year). One that does not is not achieved in the milestone's
own year; before it, it is on track when the actual value is at least the value expected by
straight interpolation from the baseline to the target, less a tolerance, and at risk
otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from theodoi.domain.formatting import FormatError, format_number, parse_number
from theodoi.domain.text import fold


class Comparator(StrEnum):
    EQ = "eq"  # a plain figure: reach it ("100%")
    GTE = "gte"
    GT = "gt"
    LTE = "lte"
    LT = "lt"
    RANGE = "range"

    @property
    def symbol(self) -> str:
        return {"eq": "", "gte": "≥ ", "gt": "> ", "lte": "≤ ", "lt": "< ", "range": ""}[self.value]


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class IndicatorStatus(StrEnum):
    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return INDICATOR_LABELS[self]


INDICATOR_LABELS = {
    IndicatorStatus.ACHIEVED: "Đạt",
    IndicatorStatus.NOT_ACHIEVED: "Không đạt",
    IndicatorStatus.ON_TRACK: "Đúng lộ trình",
    IndicatorStatus.AT_RISK: "Có nguy cơ không đạt",
    IndicatorStatus.NO_DATA: "Chưa có số liệu",
}


class TargetError(ValueError):
    """A target text that cannot be read; the message is Vietnamese."""


@dataclass(frozen=True)
class Target:
    comparator: Comparator
    value: Decimal
    high: Decimal | None = None  # upper bound of a range
    text: str = ""

    def __post_init__(self) -> None:
        if self.comparator is Comparator.RANGE:
            if self.high is None or self.high < self.value:
                raise TargetError("Khoảng chỉ tiêu phải có cận trên không nhỏ hơn cận dưới.")
        elif self.high is not None:
            raise TargetError("Chỉ khoảng chỉ tiêu mới có cận trên.")

    def met_by(self, actual: Decimal, direction: Direction = Direction.HIGHER) -> bool:
        """Whether ``actual`` reaches the target, honouring comparator and direction.

        A plain figure is a level to reach: at least it when higher is better, at most it when
        lower is better. A range is met inside it, and beyond it on the better side.
        """
        c = self.comparator
        if c is Comparator.GTE:
            return actual >= self.value
        if c is Comparator.GT:
            return actual > self.value
        if c is Comparator.LTE:
            return actual <= self.value
        if c is Comparator.LT:
            return actual < self.value
        if c is Comparator.EQ:
            return actual >= self.value if direction is Direction.HIGHER else actual <= self.value
        assert self.high is not None
        if direction is Direction.HIGHER:
            return actual >= self.value
        return actual <= self.high

    @property
    def reference_value(self) -> Decimal:
        """The single value a trajectory aims at: the bound that must be reached."""
        return self.value

    def display(self, unit: str = "") -> str:
        suffix = "%" if unit.startswith("%") else (f" {unit}" if unit else "")
        if self.comparator is Comparator.RANGE:
            assert self.high is not None
            return (
                f"{format_number(self.value, 2, strip_zeros=True)}–"
                f"{format_number(self.high, 2, strip_zeros=True)}{suffix}"
            )
        return f"{self.comparator.symbol}{format_number(self.value, 2, strip_zeros=True)}{suffix}"


_NUM = r"(\d+(?:[.,]\d+)*)"
_RANGE = re.compile(rf"^{_NUM}\s*%?\s*[-–—]\s*{_NUM}\s*%?$")
_PREFIXES: list[tuple[str, Comparator]] = [
    ("phan dau it nhat", Comparator.GTE),
    ("phan dau dat tren", Comparator.GT),
    ("phan dau dat", Comparator.GTE),
    ("phan dau", Comparator.GTE),
    ("it nhat", Comparator.GTE),
    ("toi thieu", Comparator.GTE),
    ("dat tren", Comparator.GT),
    ("tren", Comparator.GT),
    ("dat", Comparator.EQ),
    ("toi da", Comparator.LTE),
    ("duoi", Comparator.LT),
    (">=", Comparator.GTE),
    ("≥", Comparator.GTE),
    ("=>", Comparator.GTE),
    ("<=", Comparator.LTE),
    ("≤", Comparator.LTE),
    (">", Comparator.GT),
    ("<", Comparator.LT),
    ("=", Comparator.EQ),
]


def _number(text: str, original: str) -> Decimal:
    try:
        return parse_number(text)
    except FormatError:
        raise TargetError(f"Chỉ tiêu “{original}”: không đọc được số “{text}”.") from None


def parse_target(text: str) -> Target:
    """Read a target as written in a plan."""
    original = text.strip()
    key = fold(original.replace("≥", " ≥ ").replace("≤", " ≤ "))
    key = key.replace(" ≥ ", "≥").replace(" ≤ ", "≤").strip()
    key = re.sub(r"\s*%\s*(tong chi.*|dan so.*)?$", "%", key)
    if m := _RANGE.match(key):
        low, high = _number(m[1], original), _number(m[2], original)
        return Target(Comparator.RANGE, low, high, original)
    comparator = Comparator.EQ
    for prefix, comp in _PREFIXES:
        if key.startswith(prefix):
            comparator = comp
            key = key[len(prefix) :].strip()
            break
    key = key.rstrip("%").strip()
    if not key:
        raise TargetError(f"Chỉ tiêu “{original}” không có giá trị số.")
    return Target(comparator, _number(key, original), None, original)


@dataclass(frozen=True)
class Evaluation:
    status: IndicatorStatus
    milestone_year: int | None
    target: Target | None
    expected: Decimal | None = None  # the value expected at the date
    # True when ``expected`` is interpolated from a baseline; False when there is nothing to
    # interpolate from and the milestone's own target stands in
    interpolated: bool = False


def applicable_milestone(targets: Mapping[int, Target], as_of: dt.date) -> int | None:
    """The first milestone year not before the year of ``as_of``; None after the last one."""
    years = sorted(y for y in targets if y >= as_of.year)
    return years[0] if years else None


def evaluate_indicator(
    targets: Mapping[int, Target],
    actual: Decimal | None,
    as_of: dt.date,
    direction: Direction = Direction.HIGHER,
    baseline: tuple[dt.date, Decimal] | None = None,
    tolerance: Decimal | None = None,
) -> Evaluation:
    """Evaluate an indicator's latest ``actual`` value at ``as_of``.

    ``baseline`` is (date, value) from which progress is interpolated; without one, the
    previous milestone's target (reached at the end of its year) serves. ``tolerance`` is the
    shortfall still counted as on track, in the indicator's unit; by default a tenth of the
    distance from the baseline to the target.
    """
    if not targets:
        return Evaluation(IndicatorStatus.NO_DATA, None, None)
    year = applicable_milestone(targets, as_of)
    if year is None:  # past the last milestone: judge against the last one
        year = max(targets)
    target = targets[year]
    if actual is None:
        return Evaluation(IndicatorStatus.NO_DATA, year, target)
    if target.met_by(actual, direction):  # reached, in the milestone year or ahead of it
        return Evaluation(IndicatorStatus.ACHIEVED, year, target)
    if as_of.year >= year:
        return Evaluation(IndicatorStatus.NOT_ACHIEVED, year, target)
    start = baseline
    if start is None:
        earlier = [y for y in targets if y < year]
        if earlier:
            prev = max(earlier)
            start = (dt.date(prev, 12, 31), targets[prev].reference_value)
    if start is None:
        return Evaluation(IndicatorStatus.AT_RISK, year, target, target.reference_value)
    expected = expected_value(start, (dt.date(year, 12, 31), target.reference_value), as_of)
    span = abs(target.reference_value - start[1])
    allowed = tolerance if tolerance is not None else span / 10
    if direction is Direction.HIGHER:
        on_track = actual >= expected - allowed
    else:
        on_track = actual <= expected + allowed
    status = IndicatorStatus.ON_TRACK if on_track else IndicatorStatus.AT_RISK
    return Evaluation(status, year, target, expected, interpolated=True)


def expected_value(
    start: tuple[dt.date, Decimal], end: tuple[dt.date, Decimal], as_of: dt.date
) -> Decimal:
    """Straight-line interpolation between two (date, value) points, clamped to the ends."""
    (d0, v0), (d1, v1) = start, end
    if as_of <= d0:
        return v0
    if as_of >= d1 or d1 <= d0:
        return v1
    fraction = Decimal((as_of - d0).days) / Decimal((d1 - d0).days)
    return v0 + (v1 - v0) * fraction
