"""Task and indicator status rows at a date, and the counts every report and dashboard uses.

This is the one place where stored progress turns into the Government's status taxonomy:
the CLI summary, the dashboard, the API and the report documents all call
:func:`plan_summary` (or the rows under it). Only approved progress counts
(:func:`counted_values`, the latest approved update).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from theodoi.domain import periods as p
from theodoi.domain.indicators import Direction, Evaluation, evaluate_indicator
from theodoi.domain.status import (
    IndicatorCounts,
    PeriodRole,
    Progress,
    ReportedState,
    TaskCounts,
    TaskStatus,
    period_role,
    summary_sentence,
    task_status,
)
from theodoi.domain.text import matches
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.selectors import units_visible_to
from theodoi.plans.models import Indicator, Plan, Task
from theodoi.plans.selectors import plan_indicators, tasks_in_force
from theodoi.progress.models import (
    DataValue,
    Submission,
    TaskUpdate,
    UpdateState,
)
from theodoi.progress.selectors.submissions import entry_visible_to


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


def counted_values(values: QuerySet[DataValue]) -> QuerySet[DataValue]:
    """The values that count in dashboards and reports: taken from documents, illustrative, or
    entered by a unit whose report for that period has been approved."""
    approved = Submission.objects.filter(
        org_unit=OuterRef("reporting_unit"), period=OuterRef("period"), state=UpdateState.APPROVED
    )
    return values.filter(Q(reporting_unit__isnull=True) | Exists(approved))


def latest_approved_updates(which: Q, as_of: dt.date) -> QuerySet[TaskUpdate]:
    """For each task ``which`` selects (a filter on TaskUpdate), the approved update of the
    latest period that has started by ``as_of`` (the latest end, then the latest start),
    picked by the database. Drafts and reports still under review do not count until a
    leader approves them. The one rule for a plan's dashboard and for the stored summaries."""
    return (
        TaskUpdate.objects.filter(which, period__start__lte=as_of, state=UpdateState.APPROVED)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("task_id")],
                order_by=[F("period__end").desc(), F("period__start").desc()],
            )
        )
        .filter(rank=1)
    )


def _latest_updates(tasks: list[Task], as_of: dt.date) -> dict[int, TaskUpdate]:
    updates = latest_approved_updates(Q(task__in=tasks), as_of).select_related("period")
    return {update.task_id: update for update in updates}


def judge_task(
    deadline: Any,
    as_of: dt.date,
    reported: str | None = None,
    completed_on: dt.date | None = None,
    period: p.Period | None = None,
) -> TaskStatus:
    """A task's status at ``as_of`` from its latest approved update (what was ``reported``
    for ``period``), or from its deadline alone, judged in the quarter of ``as_of``."""
    if reported is None:
        return task_status(deadline, None, as_of, p.quarter_containing(as_of))
    return task_status(deadline, Progress(ReportedState(reported), completed_on), as_of, period)


def task_rows(
    *, plan: Plan, as_of: dt.date, user: Any | None, unit: OrgUnit | None = None
) -> list[TaskRow]:
    """Every visible task of the plan with its status at ``as_of``.

    A one-off task is judged on its latest update. A recurring task is judged on the update
    of the period it was last reported for, against the end of that period; with no update
    it is judged in the quarter containing ``as_of``.
    """
    tasks = tasks_in_force(plan=plan, on=as_of, user=user, unit=unit)
    updates = _latest_updates(tasks, as_of)
    rows = []
    for task in tasks:
        update = updates.get(task.id)
        if update is None:
            status = judge_task(task.deadline, as_of)
        else:
            status = judge_task(
                task.deadline,
                as_of,
                update.reported_state,
                update.completion_date,
                update.period.as_domain(),
            )
        rows.append(TaskRow(task, status, update))
    return rows


def _indicator_values(
    indicators: list[Indicator], as_of: dt.date, unit: OrgUnit
) -> dict[int, tuple[Decimal, DataValue] | None]:
    """The latest actual value of each indicator for ``unit`` known at ``as_of``."""
    values = (
        counted_values(
            DataValue.objects.filter(
                element_id__in=indicator_elements(indicators),
                org_unit=unit,
                breakdown="",
                period__end__lte=as_of,
            )
        )
        .select_related("period", "source_document")
        .order_by(*VALUE_ORDER)
    )
    return pick_indicator_values(indicators, values)


# the order in which an element's values are read, the last one of an element winning: the
# latest period's end (then the shorter period, then the later entry)
VALUE_ORDER = ("period__end", "period__start", "pk")


def indicator_elements(indicators: Iterable[Indicator]) -> set[int]:
    """The elements the indicators read their actual values from."""
    ids: set[int] = set()
    for i in indicators:
        ids |= {e for e in (i.data_element_id, i.numerator_id, i.denominator_id) if e}
    return ids


def pick_indicator_values(indicators: Iterable[Indicator], values: Iterable[Any]) -> dict[int, Any]:
    """Each indicator's actual value and the value it comes from, out of one unit's counted
    ``values`` (anything with ``element_id``, ``period_id`` and ``value``) in
    :data:`VALUE_ORDER`: its element's latest, or its numerator's latest over the
    denominator of the same period, as a percentage. None where there is none."""
    latest: dict[int, Any] = {}
    by_period: dict[tuple[int, int], Any] = {}
    for value in values:
        latest[value.element_id] = value
        by_period[(value.element_id, value.period_id)] = value
    result: dict[int, Any] = {}
    for indicator in indicators:
        found = None
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


def evaluate_at(
    indicator: Any, actual: Decimal | None, as_of: dt.date, targets: Iterable[Any] | None = None
) -> Evaluation:
    """The indicator judged at ``as_of`` on ``actual`` against its targets in force then (the
    latest adjustment in force wins): ``targets`` in year order (anything with ``year``,
    ``effective_from`` and ``as_target()``), by default the indicator's, prefetched."""
    if targets is None:
        targets = indicator.targets.all()
    milestones = {}
    in_force = sorted(
        (t for t in targets if t.effective_from is None or t.effective_from <= as_of),
        key=lambda t: t.effective_from or dt.date.min,
    )
    for target in in_force:
        milestones[target.year] = target.as_target()
    baseline = None
    if indicator.baseline_value is not None and indicator.baseline_date is not None:
        baseline = (indicator.baseline_date, indicator.baseline_value)
    return evaluate_indicator(
        milestones, actual, as_of, Direction(indicator.direction), baseline, indicator.tolerance
    )


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
        found = values.get(indicator.id)
        actual = found[0] if found else None
        evaluation = evaluate_at(indicator, actual, as_of)
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


def task_updates_visible(*, task: Task, user: Any | None) -> list[TaskUpdate]:
    """The task's progress entries the user may read: those of units they see; a draft or a
    returned entry only for those who may still edit it."""
    updates = (
        TaskUpdate.objects.filter(task=task, org_unit__in=units_visible_to(user=user))
        .select_related("period", "org_unit", "created_by")
        .prefetch_related("evidence_files", "evidence_documents")
        .order_by("-period__end")
    )
    return [u for u in updates if entry_visible_to(user=user, state=u.state, unit=u.org_unit)]


def _deadline_matches(task: Task, wanted: str, period: p.Period) -> bool:
    deadline = task.deadline
    if wanted == "dinh-ky":
        return deadline.kind.is_recurring
    if wanted == "trong-ky":
        return deadline.due is not None and period.start <= deadline.due <= period.end
    if wanted == "da-qua":
        return deadline.due is not None and deadline.due < period.start
    if wanted.isdigit():
        return deadline.due is not None and deadline.due.year == int(wanted)
    return True


def filter_task_rows(
    rows: list[TaskRow],
    *,
    period: p.Period,
    query: str = "",
    unit_code: str = "",
    status: str = "",
    group: str = "",
    deadline: str = "",
) -> list[TaskRow]:
    """The rows matching the filters of a task list: words typed with or without diacritics,
    reporting unit, status, group, and deadline ("trong-ky" due in the period, "da-qua" due
    before it, "dinh-ky" recurring, or a year)."""
    if query:
        rows = [r for r in rows if matches(query, r.task.code, r.task.title, r.task.output)]
    if unit_code:
        rows = [r for r in rows if r.task.reporting_unit.code == unit_code]
    if status:
        rows = [r for r in rows if r.status.value == status]
    if group:
        rows = [r for r in rows if r.task.group and r.task.group.code == group]
    if deadline:
        rows = [r for r in rows if _deadline_matches(r.task, deadline, period)]
    return rows


@dataclass(frozen=True)
class PeriodCounts:
    """A plan's tasks and indicators as a period's report counts them: the tasks due in the
    period (theo tiến độ) and the recurring ones (triển khai thường xuyên) apart, each judged
    at the period's end; the indicators whose milestone is the period's year; and, beside
    them, the plan's totals."""

    plan: Plan
    tasks_total: int
    indicators_total: int
    due: TaskCounts
    recurring: TaskCounts
    indicators: IndicatorCounts
    year: int
    due_rows: tuple[TaskRow, ...]
    recurring_rows: tuple[TaskRow, ...]
    indicator_rows: tuple[IndicatorRow, ...]
    illustrative: bool


def period_counts(
    *,
    plan: Plan,
    period: p.Period,
    as_of: dt.date | None = None,
    user: Any | None,
    unit: OrgUnit | None = None,
) -> PeriodCounts:
    """Count ``plan`` for ``period`` (see :class:`PeriodCounts` and
    :func:`theodoi.domain.status.period_role`). Only approved progress counts."""
    as_of = as_of or period.end
    tasks = tasks_in_force(plan=plan, on=as_of, user=user, unit=unit)
    approved = (
        TaskUpdate.objects.filter(
            task__in=tasks, period__start__lte=as_of, state=UpdateState.APPROVED
        )
        .select_related("period")
        .order_by("task_id", "period__end", "period__start")
    )
    latest: dict[int, TaskUpdate] = {}
    in_period: dict[int, TaskUpdate] = {}
    for update in approved:
        latest[update.task_id] = update
        if update.period.start >= period.start and update.period.end <= period.end:
            in_period[update.task_id] = update
    due_rows, recurring_rows = [], []
    for task in tasks:
        deadline = task.deadline
        update = in_period.get(task.id) if deadline.kind.is_recurring else latest.get(task.id)
        completed_on = (
            update.completion_date
            if update is not None and update.reported_state == ReportedState.COMPLETED.value
            else None
        )
        role = period_role(deadline, period=period, completed_on=completed_on)
        if role in (PeriodRole.LATER, PeriodRole.DONE_BEFORE):
            continue
        progress = (
            Progress(ReportedState(update.reported_state), update.completion_date)
            if update is not None
            else None
        )
        row = TaskRow(task, task_status(deadline, progress, as_of, period), update)
        (due_rows if role is PeriodRole.DUE else recurring_rows).append(row)
    year = period.end.year
    indicators = [
        row
        for row in indicator_rows(plan=plan, as_of=as_of, user=user, unit=unit)
        if row.evaluation.milestone_year == year
    ]
    indicator_counts = IndicatorCounts()
    for row in indicators:
        name = row.evaluation.status.value
        setattr(indicator_counts, name, getattr(indicator_counts, name) + 1)
    illustrative = any(
        r.update is not None and r.update.is_illustrative for r in (*due_rows, *recurring_rows)
    ) or any(r.value is not None and r.value.is_illustrative for r in indicators)
    return PeriodCounts(
        plan=plan,
        tasks_total=len(tasks),
        indicators_total=plan_indicators(plan=plan, user=user, unit=unit).count(),
        due=TaskCounts.of(r.status for r in due_rows),
        recurring=TaskCounts.of(r.status for r in recurring_rows),
        indicators=indicator_counts,
        year=year,
        due_rows=tuple(due_rows),
        recurring_rows=tuple(recurring_rows),
        indicator_rows=tuple(indicators),
        illustrative=illustrative,
    )
