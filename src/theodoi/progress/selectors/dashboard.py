"""The dashboard of a plan for a unit and period: status rows, the scorecard per reporting
unit, indicator trends, and the version its cache is keyed by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from theodoi.domain import periods as p
from theodoi.domain.status import (
    IndicatorCounts,
    TaskCounts,
    TaskStatus,
    effective_due,
    summary_sentence,
)
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Indicator, Plan
from theodoi.plans.selectors import plan_indicators, plan_tasks
from theodoi.progress.models import (
    DataValue,
    Period,
    Submission,
)
from theodoi.progress.selectors.submissions import REPORTED_STATES
from theodoi.progress.selectors.tasks import (
    IndicatorRow,
    TaskRow,
    counted_values,
    indicator_rows,
    task_rows,
)


def reporting_units(*, plan: Plan, unit: OrgUnit | None, user: Any | None) -> list[OrgUnit]:
    """The units that report on ``plan`` (within ``unit``'s subtree), in tree order: those
    leading its tasks or its indicators."""
    tasks = plan_tasks(plan=plan, user=user)
    ids = set(tasks.exclude(lead_unit=None).values_list("lead_unit_id", flat=True))
    ids |= set(
        plan_indicators(plan=plan, user=user)
        .exclude(lead_unit=None)
        .values_list("lead_unit_id", flat=True)
    )
    if tasks.filter(lead_unit=None).exists():
        ids.add(plan.owner_unit_id)
    units = OrgUnit.objects.filter(id__in=ids)
    if unit is not None:
        units = units.filter(path__startswith=unit.path)
    return list(units.order_by("path"))


@dataclass(frozen=True)
class ScorecardRow:
    """One reporting unit's standing: its tasks by status and its report for the period."""

    unit: OrgUnit
    counts: TaskCounts
    submission: Submission | None

    @property
    def has_reported(self) -> bool:
        return self.submission is not None and self.submission.state in REPORTED_STATES


def scorecard(
    *, plan: Plan, period: Period, rows: list[TaskRow], unit: OrgUnit | None, user: Any | None
) -> list[ScorecardRow]:
    """Per reporting unit: task counts by status (from ``rows``, the same rows the dashboard
    counts) and whether the unit has reported for ``period``."""
    units = reporting_units(plan=plan, unit=unit, user=user)
    submissions = {
        s.org_unit_id: s
        for s in Submission.objects.filter(period_id=period.pk, org_unit__in=units).select_related(
            "submitted_by"
        )
    }
    result = []
    for reporting_unit in units:
        statuses = [r.status for r in rows if r.task.reporting_unit.id == reporting_unit.id]
        result.append(
            ScorecardRow(
                reporting_unit, TaskCounts.of(statuses), submissions.get(reporting_unit.id)
            )
        )
    return result


def indicator_trend(
    *, indicator: Indicator, area: OrgUnit, until: dt.date
) -> list[tuple[str, Decimal]]:
    """The indicator's actual values over the periods recorded up to ``until``, oldest first."""
    return indicator_trends(indicators=[indicator], area=area, until=until)[indicator.id]


def indicator_trends(
    *, indicators: list[Indicator], area: OrgUnit, until: dt.date
) -> dict[int, list[tuple[str, Decimal]]]:
    """``indicator_trend`` for several indicators with one query."""
    by_element: dict[int, list[int]] = {}
    for indicator in indicators:
        if indicator.data_element_id is not None:
            by_element.setdefault(indicator.data_element_id, []).append(indicator.id)
    trends: dict[int, list[tuple[str, Decimal]]] = {i.id: [] for i in indicators}
    if not by_element:
        return trends
    values = (
        counted_values(
            DataValue.objects.filter(
                element_id__in=list(by_element),
                org_unit=area,
                breakdown="",
                period__end__lte=until,
            )
        )
        .select_related("period")
        .order_by("period__end", "period__start")
    )
    for value in values:
        for indicator_id in by_element[value.element_id]:
            trends[indicator_id].append((value.period.label, value.value))
    return trends


@dataclass
class Dashboard:
    """Everything a unit's dashboard shows for a plan and a period, from the same rows the
    report counts."""

    tasks: list[TaskRow]
    counts: TaskCounts
    indicators: list[IndicatorRow]
    indicator_counts: IndicatorCounts
    overdue: list[TaskRow]
    due_soon: list[tuple[TaskRow, dt.date]]
    scorecard: list[ScorecardRow]
    trends: dict[int, list[tuple[str, Decimal]]]
    sentence: str
    illustrative: bool

    @property
    def not_reported(self) -> list[ScorecardRow]:
        return [row for row in self.scorecard if not row.has_reported]


def dashboard(
    *, plan: Plan, unit: OrgUnit, period: p.Period, as_of: dt.date, user: Any | None
) -> Dashboard:
    """The dashboard of ``unit`` for ``plan`` and ``period`` judged at ``as_of``: the whole plan
    for its owner (or a unit above), the tasks and indicators the unit leads otherwise."""
    scope = None if plan.owner_unit.path.startswith(unit.path) else unit
    rows = task_rows(plan=plan, as_of=as_of, user=user, unit=scope)
    indicators = indicator_rows(plan=plan, as_of=as_of, user=user, unit=scope)
    counts = TaskCounts.of(r.status for r in rows)
    indicator_counts = IndicatorCounts()
    for row in indicators:
        name = row.evaluation.status.value
        setattr(indicator_counts, name, getattr(indicator_counts, name) + 1)
    horizon = as_of + dt.timedelta(days=30)
    due_soon = []
    for row in rows:
        if row.status.is_completed or row.status is TaskStatus.OVERDUE:
            continue  # an overdue task is listed as overdue, never also as "due soon"
        due = effective_due(row.task.deadline, period)
        if due is not None and as_of <= due <= horizon:
            due_soon.append((row, due))
    stored = Period.objects.filter(code=period.code).first()
    card = (
        scorecard(plan=plan, period=stored, rows=rows, unit=scope or unit, user=user)
        if stored
        else [
            ScorecardRow(
                u, TaskCounts.of(r.status for r in rows if r.task.reporting_unit == u), None
            )
            for u in reporting_units(plan=plan, unit=scope or unit, user=user)
        ]
    )
    trends = indicator_trends(
        indicators=[row.indicator for row in indicators], area=plan.owner_unit, until=as_of
    )
    illustrative = any(r.update is not None and r.update.is_illustrative for r in rows) or any(
        r.value is not None and r.value.is_illustrative for r in indicators
    )
    return Dashboard(
        tasks=rows,
        counts=counts,
        indicators=indicators,
        indicator_counts=indicator_counts,
        overdue=[r for r in rows if r.status is TaskStatus.OVERDUE],
        due_soon=sorted(due_soon, key=lambda x: x[1]),
        scorecard=card,
        trends=trends,
        sentence=summary_sentence(counts, indicator_counts),
        illustrative=illustrative,
    )
