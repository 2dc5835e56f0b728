"""Status of tasks and indicators at a date, and the counts every report and dashboard uses.

This is the one place where stored progress turns into the Government's status taxonomy:
the CLI summary, the dashboard and the report documents all call :func:`plan_summary`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from theodoi.domain import periods as p
from theodoi.domain.indicators import Direction, Evaluation, IndicatorStatus, evaluate_indicator
from theodoi.domain.status import (
    IndicatorCounts,
    Progress,
    ReportedState,
    TaskCounts,
    TaskStatus,
    summary_sentence,
    task_status,
)
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Indicator, Plan, Task
from theodoi.plans.selectors import plan_indicators, plan_tasks
from theodoi.progress.models import DataValue, TaskUpdate


@dataclass(frozen=True)
class TaskRow:
    task: Task
    status: TaskStatus
    update: TaskUpdate | None


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    evaluation: Evaluation
    actual: Decimal | None
    value: DataValue | None


def _latest_updates(tasks: list[Task], as_of: dt.date) -> dict[int, TaskUpdate]:
    """For each task, the update of the latest period that has started by ``as_of``."""
    latest: dict[int, TaskUpdate] = {}
    updates = (
        TaskUpdate.objects.filter(task__in=tasks, period__start__lte=as_of)
        .select_related("period")
        .order_by("task_id", "period__end", "period__start")
    )
    for update in updates:
        latest[update.task_id] = update
    return latest


def task_rows(
    *, plan: Plan, as_of: dt.date, user: Any | None, unit: OrgUnit | None = None
) -> list[TaskRow]:
    """Every visible task of the plan with its status at ``as_of``.

    A one-off task is judged on its latest update. A recurring task is judged on the update
    of the period it was last reported for, against the end of that period; with no update
    it is judged in the quarter containing ``as_of``.
    """
    tasks = list(plan_tasks(plan=plan, user=user, unit=unit))
    updates = _latest_updates(tasks, as_of)
    default_period = p.quarter_containing(as_of)
    rows = []
    for task in tasks:
        update = updates.get(task.id)
        progress = None
        period = default_period
        if update is not None:
            progress = Progress(ReportedState(update.reported_state), update.completion_date)
            period = update.period.as_domain()
        rows.append(TaskRow(task, task_status(task.deadline, progress, as_of, period), update))
    return rows


def _indicator_values(
    indicators: list[Indicator], as_of: dt.date, unit: OrgUnit
) -> dict[int, tuple[Decimal, DataValue] | None]:
    """The latest actual value of each indicator for ``unit`` known at ``as_of``."""
    element_ids = {i.data_element_id for i in indicators if i.data_element_id}
    element_ids |= {i.numerator_id for i in indicators if i.numerator_id}
    element_ids |= {i.denominator_id for i in indicators if i.denominator_id}
    values = (
        DataValue.objects.filter(
            element_id__in=element_ids, org_unit=unit, breakdown="", period__end__lte=as_of
        )
        .select_related("period", "source_document")
        .order_by("period__end")
    )
    latest: dict[int, DataValue] = {}
    by_period: dict[tuple[int, int], DataValue] = {}
    for value in values:
        latest[value.element_id] = value
        by_period[(value.element_id, value.period_id)] = value
    result: dict[int, tuple[Decimal, DataValue] | None] = {}
    for indicator in indicators:
        found: tuple[Decimal, DataValue] | None = None
        if indicator.data_element_id and indicator.data_element_id in latest:
            v = latest[indicator.data_element_id]
            found = (v.value, v)
        elif indicator.numerator_id and indicator.denominator_id:
            numerator = latest.get(indicator.numerator_id)
            if numerator is not None:
                denominator = by_period.get((indicator.denominator_id, numerator.period_id))
                if denominator is not None and denominator.value:
                    found = (numerator.value * 100 / denominator.value, numerator)
        result[indicator.id] = found
    return result


def indicator_rows(
    *, plan: Plan, as_of: dt.date, user: Any | None, unit: OrgUnit | None = None
) -> list[IndicatorRow]:
    """Every visible indicator of the plan evaluated at ``as_of`` against the milestone that
    applies; actual values are the plan owner's (or ``unit``'s) latest figures."""
    indicators = list(plan_indicators(plan=plan, user=user, unit=unit))
    value_unit = plan.owner_unit
    values = _indicator_values(indicators, as_of, value_unit)
    rows = []
    for indicator in indicators:
        targets = {}
        in_force = sorted(
            (
                t
                for t in indicator.targets.all()
                if t.effective_from is None or t.effective_from <= as_of
            ),
            key=lambda t: t.effective_from or dt.date.min,
        )
        for target in in_force:  # the latest adjustment in force wins
            targets[target.year] = target.as_target()
        found = values.get(indicator.id)
        actual = found[0] if found else None
        baseline = None
        if indicator.baseline_value is not None and indicator.baseline_date is not None:
            baseline = (indicator.baseline_date, indicator.baseline_value)
        evaluation = evaluate_indicator(
            targets, actual, as_of, Direction(indicator.direction), baseline, indicator.tolerance
        )
        rows.append(IndicatorRow(indicator, evaluation, actual, found[1] if found else None))
    return rows


def plan_summary(
    *, plan: Plan, as_of: dt.date, user: Any | None, unit: OrgUnit | None = None
) -> dict[str, Any]:
    """Tasks and indicators of the plan counted by status at ``as_of``, with the sentence a
    report states. Illustrative data, if any was counted, is flagged."""
    tasks = task_rows(plan=plan, as_of=as_of, user=user, unit=unit)
    indicators = indicator_rows(plan=plan, as_of=as_of, user=user, unit=unit)
    task_counts = TaskCounts.of(row.status for row in tasks)
    indicator_counts = IndicatorCounts()
    for row in indicators:
        name = row.evaluation.status.value
        setattr(indicator_counts, name, getattr(indicator_counts, name) + 1)
    illustrative = any(r.update is not None and r.update.is_illustrative for r in tasks) or any(
        r.value is not None and r.value.is_illustrative for r in indicators
    )
    return {
        "plan": plan.document.symbol,
        "as_of": as_of.isoformat(),
        "unit": unit.code if unit else None,
        "tasks": task_counts.as_dict(),
        "indicators": indicator_counts.as_dict(),
        "sentence": summary_sentence(task_counts, indicator_counts),
        "illustrative": illustrative,
    }


__all__ = [
    "IndicatorRow",
    "IndicatorStatus",
    "TaskRow",
    "indicator_rows",
    "plan_summary",
    "task_rows",
]


@dataclass(frozen=True)
class Figure:
    """A figure for a unit and period, with where it came from."""

    code: str
    value: Decimal
    sources: tuple[str, ...]
    illustrative: bool


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
    inside the range are combined: added up for flows (``aggregation = sum``, e.g. dossiers
    received), the latest one for stocks (e.g. number of procedures).
    """
    values = (
        DataValue.objects.filter(
            org_unit=unit,
            element__code__in=codes,
            breakdown=breakdown,
            period__start__gte=start,
            period__end__lte=end,
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
        result[code] = Figure(code, total, sources, any(v.is_illustrative for v in chosen))
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
