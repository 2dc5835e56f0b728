"""Figures (data values) as reported: the values that count for a unit and period with their
sources, and the validation rules they break.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q

from theodoi.domain import periods as p
from theodoi.domain.rules import Rule, Violation, check
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import (
    DataValue,
    Period,
)
from theodoi.progress.selectors.entry import entry_elements
from theodoi.progress.selectors.tasks import counted_values


@dataclass(frozen=True)
class Figure:
    """A figure for a unit and period, with where it came from."""

    code: str
    value: Decimal
    sources: tuple[str, ...]
    illustrative: bool
    start: dt.date | None = None  # the span the value covers (its periods', end to end)
    end: dt.date | None = None
    values: tuple[DataValue, ...] = ()  # the stored values it was made of


def figures_for(
    *,
    unit: OrgUnit,
    start: dt.date,
    end: dt.date,
    codes: list[str],
    user: Any | None,
    breakdown: str = "",
) -> dict[str, Figure]:
    """The figures of ``codes`` for ``unit`` over [start, end].

    A value stored for exactly that range is used as it is. Otherwise values whose periods lie
    inside the range are added up for flows (``aggregation = sum``, e.g. dossiers received);
    for stocks (e.g. number of procedures) the latest value measured within the range (its
    period ends in the range) is used.
    """
    # A flow (dossiers received) counts what happened inside the range; a stock (procedures
    # in force, teams) is a state at its period's end: the latest one measured in the range.
    inside = Q(period__start__gte=start, period__end__lte=end)
    measured = Q(element__aggregation="last", period__end__gte=start, period__end__lte=end)
    values = (
        counted_values(
            DataValue.objects.filter(
                org_unit=unit, element__code__in=codes, breakdown=breakdown
            ).filter(inside | measured)
        )
        .select_related("element", "period", "source_document")
        .order_by("element__code", "period__end", "period__start")
    )
    grouped: dict[str, list[DataValue]] = {}
    for value in values:
        grouped.setdefault(value.element.code, []).append(value)
    result: dict[str, Figure] = {}
    for code, found in grouped.items():
        exact = [v for v in found if v.period.start == start and v.period.end == end]
        if exact:
            chosen = exact[-1:]
        elif found[0].element.aggregation == "sum":
            chosen = _non_overlapping(found)
        else:
            chosen = found[-1:]
        total = sum((v.value for v in chosen), Decimal(0))
        sources = tuple(_source_label(v) for v in chosen)
        result[code] = Figure(
            code,
            total,
            sources,
            any(v.is_illustrative for v in chosen),
            start=min(v.period.start for v in chosen),
            end=max(v.period.end for v in chosen),
            values=tuple(chosen),
        )
    return result


def _non_overlapping(values: list[DataValue]) -> list[DataValue]:
    """Values whose periods do not overlap, preferring the longest periods (a quarter over its
    months) so nothing is counted twice."""
    chosen: list[DataValue] = []
    for value in sorted(values, key=lambda v: (v.period.start - v.period.end, v.period.start)):
        if all(
            value.period.end < c.period.start or value.period.start > c.period.end for c in chosen
        ):
            chosen.append(value)
    return sorted(chosen, key=lambda v: v.period.start)


def _source_label(value: DataValue) -> str:
    if value.is_illustrative:
        return "dữ liệu minh họa"
    if value.source_document is not None:
        line = f", dòng {value.source_line}" if value.source_line else ""
        return f"{value.source_document}{line}: “{value.source_quote}”"
    who = value.entered_by.get_username() if value.entered_by else "không rõ"
    return f"nhập bởi {who}"


def active_rules() -> list[Rule]:
    """The validation rules in force, from the database."""
    from theodoi.progress.models import ValidationRule

    return [r.as_rule() for r in ValidationRule.objects.filter(is_active=True)]


def rule_violations(
    *,
    unit: OrgUnit,
    period: Period,
    overrides: dict[str, Decimal] | None = None,
    elements: list | None = None,
    rules: list[Rule] | None = None,
) -> list[Violation]:
    """Violations of the validation rules among the figures ``unit`` enters for ``period``
    (with ``overrides`` standing in for values being typed), for the rules that involve at
    least one of them."""
    return rule_violations_many(
        unit=unit, periods=[period], overrides=overrides, elements=elements, rules=rules
    )[period.pk]


def rule_violations_many(
    *,
    unit: OrgUnit,
    periods: list[Period],
    overrides: dict[str, Decimal] | None = None,
    elements: list | None = None,
    rules: list[Rule] | None = None,
) -> dict[int, list[Violation]]:
    """:func:`rule_violations` of ``unit`` for each of ``periods`` (by id), its figures read
    in one query: an import checking many units and periods passes each unit's
    ``entry_elements`` and the ``active_rules`` it has read once."""
    elements = entry_elements(unit=unit) if elements is None else elements
    rules = active_rules() if rules is None else rules
    areas = sorted({e.area.id for e in elements})
    stored: dict[tuple[int, int], dict[str, Decimal]] = {}
    for period_id, area_id, code, value in DataValue.objects.filter(
        period_id__in=[period.pk for period in periods], breakdown="", org_unit_id__in=areas
    ).values_list("period_id", "org_unit_id", "element__code", "value"):
        stored.setdefault((period_id, area_id), {})[code] = value
    result: dict[int, list[Violation]] = {}
    for period in periods:
        violations: list[Violation] = []
        for area_id in areas:
            codes = {e.element.code for e in elements if e.area.id == area_id}
            values = dict(stored.get((period.pk, area_id), {}))
            for code, value in (overrides or {}).items():
                if code not in codes:
                    continue
                if value is None:
                    values.pop(code, None)
                else:
                    values[code] = value
            involved = [r for r in rules if set(r.codes) & codes]
            violations += check(involved, values, period_kind=p.PeriodKind(period.kind))
        result[period.pk] = violations
    return result


def figure_violations(*, unit: OrgUnit, period: Period) -> list[Violation]:
    """Every active rule checked against the figures stored for ``unit`` itself in ``period``
    (``theodoi validate``): whoever entered them, counted or not yet approved."""
    values = {
        v.element.code: v.value
        for v in DataValue.objects.filter(
            org_unit=unit, period_id=period.pk, breakdown=""
        ).select_related("element")
    }
    return check(active_rules(), values, period_kind=p.PeriodKind(period.kind))
