"""Status of tasks and indicators at a date, and the counts every report and dashboard uses.

This is the one place where stored progress turns into the Government's status taxonomy:
the CLI summary, the dashboard and the report documents all call :func:`plan_summary`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from theodoi.domain import periods as p
from theodoi.domain.indicators import Direction, Evaluation, IndicatorStatus, evaluate_indicator
from theodoi.domain.rules import Rule, Violation, check
from theodoi.domain.status import (
    IndicatorCounts,
    Progress,
    ReportedState,
    TaskCounts,
    TaskStatus,
    effective_due,
    summary_sentence,
    task_status,
)
from theodoi.domain.text import matches
from theodoi.orgs.models import Membership, OrgUnit
from theodoi.orgs.permissions import ACTIONS, can, ensure_can
from theodoi.orgs.selectors import units_visible_to
from theodoi.plans.models import Indicator, Plan, Task
from theodoi.plans.selectors import plan_indicators, plan_tasks
from theodoi.progress.models import (
    DataElement,
    DataValue,
    Period,
    PlanSummary,
    Submission,
    TaskUpdate,
    UpdateState,
)


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


def _latest_updates(tasks: list[Task], as_of: dt.date) -> dict[int, TaskUpdate]:
    """For each task, the approved update of the latest period that has started by ``as_of``.
    Drafts and reports still under review do not count until a leader approves them."""
    latest: dict[int, TaskUpdate] = {}
    updates = (
        TaskUpdate.objects.filter(
            task__in=tasks, period__start__lte=as_of, state=UpdateState.APPROVED
        )
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
        counted_values(
            DataValue.objects.filter(
                element_id__in=element_ids, org_unit=unit, breakdown="", period__end__lte=as_of
            )
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
        counted_values(
            DataValue.objects.filter(
                org_unit=unit,
                element__code__in=codes,
                breakdown=breakdown,
                period__start__gte=start,
                period__end__lte=end,
            )
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


# --- Progress entry, approval and the dashboard ----------------------------------------------


@dataclass(frozen=True)
class EntryRow:
    """A task a unit reports for a period, with its entry (if any) and its previous one."""

    task: Task
    update: TaskUpdate | None
    previous: TaskUpdate | None
    due: dt.date | None = None  # when the task's work judged in this period is due

    @property
    def due_in_period(self) -> bool:
        return self.due is not None and self.due <= self.period_end

    period_end: dt.date = dt.date.max


def reported_tasks(*, unit: OrgUnit) -> QuerySet[Task]:
    """Tasks whose progress ``unit`` reports: those it leads, and for a plan's owner the
    plan's tasks that name no lead unit."""
    return (
        Task.objects.filter(Q(lead_unit=unit) | Q(lead_unit__isnull=True, plan__owner_unit=unit))
        .select_related("plan__document", "plan__owner_unit", "group", "lead_unit")
        .order_by("plan__document__issued_on", "plan_id", "position")
    )


def entry_rows(*, unit: OrgUnit, period: Period, user: Any | None) -> list[EntryRow]:
    """The tasks ``unit`` reports for ``period``: every one not already completed before the
    period began (recurring tasks always), with this period's entry and the previous one."""
    if user is not None and not can(user, "view", unit):
        return []
    tasks = list(reported_tasks(unit=unit))
    updates = TaskUpdate.objects.filter(
        task__in=tasks, period__start__lte=period.end
    ).select_related("period")
    current: dict[int, TaskUpdate] = {}
    previous: dict[int, TaskUpdate] = {}
    for update in updates.order_by("period__end", "period__start"):
        if update.period_id == period.id:
            current[update.task_id] = update
        elif update.period.end < period.start:
            previous[update.task_id] = update
    rows = []
    for task in tasks:
        before = previous.get(task.id)
        finished = (
            before is not None
            and before.state == UpdateState.APPROVED
            and before.reported_state == ReportedState.COMPLETED.value
            and not task.deadline.kind.is_recurring
        )
        if finished and task.id not in current:
            continue
        due = effective_due(task.deadline, period.as_domain())
        rows.append(EntryRow(task, current.get(task.id), before, due, period.end))
    return rows


@dataclass(frozen=True)
class EntryElement:
    """A figure a unit enters for a period: the element, the area it is a figure of (the
    plan's owner for the indicators the unit leads), and the indicators it measures."""

    element: DataElement
    area: OrgUnit
    indicators: tuple[Indicator, ...]


def entry_elements(*, unit: OrgUnit) -> list[EntryElement]:
    """The figures ``unit`` enters: those assigned to it (``DataElement.reported_by``) and
    those measuring the indicators it leads."""
    found: dict[tuple[int, int], tuple[DataElement, OrgUnit, list[Indicator]]] = {}
    for element in (
        DataElement.objects.filter(reported_by=unit).select_related("reported_for").order_by("id")
    ):
        area = element.reported_for or unit
        found.setdefault((element.id, area.id), (element, area, []))
    indicators = (
        Indicator.objects.filter(lead_unit=unit)
        .select_related("data_element", "numerator", "denominator", "plan__owner_unit")
        .order_by("plan_id", "position")
    )
    for indicator in indicators:
        for element in (indicator.data_element, indicator.numerator, indicator.denominator):
            if element is None:
                continue
            key = (element.id, indicator.plan.owner_unit_id)
            entry = found.setdefault(key, (element, indicator.plan.owner_unit, []))
            entry[2].append(indicator)
    return [EntryElement(e, area, tuple(i)) for e, area, i in found.values()]


def entry_values(
    *, unit: OrgUnit, period: Period, elements: list[EntryElement] | None = None
) -> dict[tuple[int, int], DataValue]:
    """This period's stored values of the unit's entry figures, by (element id, area id)."""
    elements = entry_elements(unit=unit) if elements is None else elements
    keys = {(e.element.id, e.area.id) for e in elements}
    values = DataValue.objects.filter(
        period=period,
        breakdown="",
        element_id__in={k[0] for k in keys},
        org_unit_id__in={k[1] for k in keys},
    ).select_related("entered_by", "source_document")
    return {
        (v.element_id, v.org_unit_id): v for v in values if (v.element_id, v.org_unit_id) in keys
    }


def rule_violations(
    *, unit: OrgUnit, period: Period, overrides: dict[str, Decimal] | None = None
) -> list[Violation]:
    """Violations of the validation rules among the figures ``unit`` enters for ``period``
    (with ``overrides`` standing in for values being typed), for the rules that involve at
    least one of them."""
    elements = entry_elements(unit=unit)
    violations: list[Violation] = []
    for area_id in sorted({e.area.id for e in elements}):
        codes = {e.element.code for e in elements if e.area.id == area_id}
        values: dict[str, Decimal] = {
            v.element.code: v.value
            for v in DataValue.objects.filter(
                period=period, breakdown="", org_unit_id=area_id
            ).select_related("element")
        }
        for code, value in (overrides or {}).items():
            if code not in codes:
                continue
            if value is None:
                values.pop(code, None)
            else:
                values[code] = value
        rules = [r for r in active_rules() if set(r.codes) & codes]
        violations += check(rules, values, period_kind=p.PeriodKind(period.kind))
    return violations


def active_rules() -> list[Rule]:
    """The validation rules in force, from the database."""
    from theodoi.progress.models import ValidationRule

    return [r.as_rule() for r in ValidationRule.objects.filter(is_active=True)]


def submission_of(*, unit: OrgUnit, period: Period) -> Submission | None:
    return Submission.objects.filter(org_unit=unit, period=period).first()


def submissions_visible_to(*, user: Any | None) -> QuerySet[Submission]:
    return Submission.objects.filter(org_unit__in=units_visible_to(user=user)).select_related(
        "org_unit", "period", "submitted_by", "reviewed_by", "approved_by"
    )


REPORTED_STATES = (UpdateState.SUBMITTED, UpdateState.ACCEPTED, UpdateState.APPROVED)


def next_step_for(*, submission: Submission, user: Any) -> str | None:
    """What ``user`` has to do with ``submission`` now, if anything."""
    if submission.state == UpdateState.SUBMITTED and can(
        user, "progress.review", submission.org_unit
    ):
        return "Cần tiếp nhận"
    if submission.state == UpdateState.ACCEPTED and can(
        user, "progress.approve", submission.org_unit
    ):
        return "Cần phê duyệt"
    return None


def review_queue(
    *, user: Any, period_code: str = "", state: str = ""
) -> list[tuple[Submission, str | None]]:
    """Submitted reports the user may read, newest period first, with the user's next step."""
    submissions = submissions_visible_to(user=user).exclude(state=UpdateState.DRAFT)
    if period_code:
        submissions = submissions.filter(period__code=period_code)
    if state:
        submissions = submissions.filter(state=state)
    return [
        (s, next_step_for(submission=s, user=user))
        for s in submissions.order_by("-period__start", "org_unit__path")
    ]


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
        for s in Submission.objects.filter(period=period, org_unit__in=units).select_related(
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
        if row.status.is_completed:
            continue
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


def task_updates_visible(*, task: Task, user: Any | None) -> list[TaskUpdate]:
    """The task's progress entries the user may read: those of units they see; a draft or a
    returned entry only for those who may still edit it."""
    updates = (
        TaskUpdate.objects.filter(task=task, org_unit__in=units_visible_to(user=user))
        .select_related("period", "org_unit", "created_by")
        .prefetch_related("evidence_files", "evidence_documents")
        .order_by("-period__end")
    )
    return [
        u
        for u in updates
        if u.state not in (UpdateState.DRAFT, UpdateState.RETURNED)
        or user is None
        or can(user, "progress.edit", u.org_unit)
    ]


def evidence_visible_to(*, user: Any | None) -> QuerySet:
    """Evidence files the user may download: those of task updates they may read (a draft's
    only for those who may still edit it)."""
    from theodoi.progress.models import Evidence

    files = Evidence.objects.filter(
        task_update__org_unit__in=units_visible_to(user=user), removed_at__isnull=True
    ).select_related("task_update__org_unit", "task_update__period")
    if user is None or getattr(user, "is_superuser", False):
        return files
    editors = Membership.objects.filter(user=user, role__in=ACTIONS["progress.edit"])
    editable = Q(pk__in=[])
    for path in editors.values_list("org_unit__path", flat=True):
        editable |= Q(task_update__org_unit__path__startswith=path)
    return files.filter(
        ~Q(task_update__state__in=[UpdateState.DRAFT, UpdateState.RETURNED]) | editable
    )


def figure_violations(*, unit: OrgUnit, period: Period) -> list[Violation]:
    """Every active rule checked against the figures stored for ``unit`` itself in ``period``
    (``theodoi validate``): whoever entered them, counted or not yet approved."""
    values = {
        v.element.code: v.value
        for v in DataValue.objects.filter(
            org_unit=unit, period=period, breakdown=""
        ).select_related("element")
    }
    return check(active_rules(), values, period_kind=p.PeriodKind(period.kind))


def period_stored_or_unsaved(period: p.Period) -> Period:
    """The stored period, or an unsaved stand-in with the same dates: reading never creates
    period rows (only writes through the services do)."""
    stored = Period.objects.filter(code=period.code).first()
    if stored is not None:
        return stored
    return Period(
        code=period.code,
        kind=period.kind.value,
        basis=period.basis.value,
        start=period.start,
        end=period.end,
        label=period.label,
    )


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


def submission_actions(*, submission: Submission, user: Any) -> dict[str, bool]:
    """What ``user`` may do with ``submission`` now."""
    unit = submission.org_unit
    return {
        "can_review": submission.state == UpdateState.SUBMITTED
        and can(user, "progress.review", unit),
        "can_approve": submission.state == UpdateState.ACCEPTED
        and can(user, "progress.approve", unit),
        "can_unlock": submission.is_locked and can(user, "progress.unlock", unit),
    }


# -- roll-up over a unit's subtree --------------------------------------------------------------

REPORTING_GRACE_DAYS = 5  # a report sent within five days after the period counts as on time


def subtree_figures(*, unit: OrgUnit, period_code: str) -> dict[str, dict[str, Any]]:
    """Every counted figure of the units under ``unit`` for the period, added up in the
    database: ``{code: {"value", "units", "unit"}}``. Percentages are not added up: where
    their numerator and denominator are known (``domain.arithmetic.SHARES``) they are
    recomputed from the totals, otherwise left out."""
    from django.db.models import Count, Sum

    from theodoi.domain.arithmetic import SHARES
    from theodoi.domain.rules import Expression

    rows = (
        counted_values(
            DataValue.objects.filter(
                org_unit__path__startswith=unit.path, period__code=period_code, breakdown=""
            )
        )
        # Grouped by the element's id, not its code: joining the elements into a query over
        # half a million values misleads PostgreSQL's planner into a nested loop.
        .values("element_id")
        .annotate(total=Sum("value"), units=Count("org_unit", distinct=True))
    )
    elements = {e.id: e for e in DataElement.objects.only("id", "code", "unit")}
    figures: dict[str, dict[str, Any]] = {}
    for row in rows:
        element = elements[row["element_id"]]
        if element.unit == "%":
            continue
        figures[element.code] = {
            "value": row["total"],
            "units": row["units"],
            "unit": element.unit,
        }
    totals = {code: f["value"] for code, f in figures.items()}
    for code, (numerator, denominator) in SHARES.items():
        top = Expression.parse(numerator).evaluate(totals)
        bottom = Expression.parse(denominator).evaluate(totals)
        if top is not None and bottom:
            figures[code] = {
                "value": (top * 100 / bottom).quantize(Decimal("0.01")),
                "units": min(figures[c]["units"] for c in Expression.parse(denominator).codes),
                "unit": "%",
                "recomputed": True,
            }
    return dict(sorted(figures.items()))


def reporting_completeness(*, unit: OrgUnit, period: Any) -> dict[str, int]:
    """How many units under ``unit`` are expected to report for the period, have reported,
    have been approved, and reported on time."""
    from django.db.models import Count

    units = OrgUnit.objects.filter(path__startswith=unit.path)
    states = Submission.objects.filter(
        org_unit__path__startswith=unit.path, period__code=period.code
    ).aggregate(
        reported=Count(
            "id",
            filter=Q(state__in=[UpdateState.SUBMITTED, UpdateState.ACCEPTED, UpdateState.APPROVED]),
        ),
        approved=Count("id", filter=Q(state=UpdateState.APPROVED)),
        on_time=Count(
            "id",
            filter=Q(submitted_at__date__lte=period.end + dt.timedelta(days=REPORTING_GRACE_DAYS)),
        ),
    )
    # Units expected to report lead a task or an indicator: EXISTS probes the lead-unit
    # indexes once per unit instead of joining every task and indicator of the country.
    expected = units.filter(
        Exists(Task.objects.filter(lead_unit=OuterRef("pk")))
        | Exists(Indicator.objects.filter(lead_unit=OuterRef("pk")))
    ).count()
    return {
        "units_in_subtree": units.count(),
        "units_expected_to_report": expected,
        "units_reported": states["reported"],
        "units_approved": states["approved"],
        "units_reported_on_time": states["on_time"],
    }


def rollup_summary(*, unit: OrgUnit, period: Any, user: Any | None) -> dict[str, Any]:
    """Tasks and indicators by status, figures and reporting for ``unit`` and every unit
    under it, from the commune to the country. The counts add up the plans' stored
    summaries — each one what that plan's own dashboard shows (``plan_summary``) — and say
    when they were computed and whether data changed since."""
    from django.db.models import Count, Max, Min, Sum

    from theodoi.plans.models import Plan
    from theodoi.progress.services import SUMMARY_INDICATOR_FIELDS, SUMMARY_TASK_FIELDS

    if user is not None:
        ensure_can(user, "view", unit)
    fields = {**SUMMARY_TASK_FIELDS, **SUMMARY_INDICATOR_FIELDS}
    summaries = PlanSummary.objects.filter(
        period__code=period.code, unit_path__startswith=unit.path
    )
    stored = summaries.aggregate(
        **{field: Sum(field) for field in fields.values()},
        plans=Count("id"),
        oldest=Min("computed_at"),
        newest=Max("computed_at"),
        illustrative=Count("id", filter=Q(illustrative=True)),
    )
    tasks = TaskCounts(**{name: stored[f] or 0 for name, f in SUMMARY_TASK_FIELDS.items()})
    indicators = IndicatorCounts(
        **{name: stored[f] or 0 for name, f in SUMMARY_INDICATOR_FIELDS.items()}
    )
    plans_total = Plan.objects.filter(owner_unit__path__startswith=unit.path).count()
    last_change = Submission.objects.filter(
        org_unit__path__startswith=unit.path, period__end__lte=period.end
    ).aggregate(approved=Max("approved_at"), reviewed=Max("reviewed_at"))
    changed = max((t for t in last_change.values() if t is not None), default=None)
    return {
        "unit": unit.code,
        "period": period.code,
        "tasks": tasks.as_dict(),
        "indicators": indicators.as_dict(),
        "sentence": summary_sentence(tasks, indicators),
        "illustrative": bool(stored["illustrative"]),
        "figures": subtree_figures(unit=unit, period_code=period.code),
        "reporting": reporting_completeness(unit=unit, period=period),
        "computed": {
            "plans": plans_total,
            "plans_summarised": stored["plans"],
            "oldest": stored["oldest"],
            "newest": stored["newest"],
            "data_changed_at": changed,
            "up_to_date": stored["plans"] == plans_total
            and (changed is None or stored["oldest"] is None or changed <= stored["oldest"]),
        },
    }


def rollup_by_unit(*, unit: OrgUnit, period: Any) -> list[dict[str, Any]]:
    """The stored plan summaries under ``unit`` for the period, added up per unit directly
    below it (a province's communes): one query, grouped in Python by the path."""
    from theodoi.progress.services import SUMMARY_INDICATOR_FIELDS, SUMMARY_TASK_FIELDS

    children = {u.path: u for u in OrgUnit.objects.filter(parent=unit).order_by("path")}
    fields = [*SUMMARY_TASK_FIELDS.values(), *SUMMARY_INDICATOR_FIELDS.values()]
    rows = PlanSummary.objects.filter(
        period__code=period.code, unit_path__startswith=unit.path
    ).values_list("unit_path", *fields)
    totals: dict[str, dict[str, int]] = {}
    depth = unit.path.count("/")
    for path, *counts in rows:
        child_path = "/".join(path.split("/")[: depth + 1]) + "/"
        if child_path not in children:
            continue
        into = totals.setdefault(child_path, dict.fromkeys(fields, 0))
        for field, count in zip(fields, counts, strict=True):
            into[field] += count
    result = []
    for path, child in children.items():
        if path not in totals:
            continue
        t = totals[path]
        tasks = TaskCounts(**{n: t[f] for n, f in SUMMARY_TASK_FIELDS.items()})
        indicators = IndicatorCounts(**{n: t[f] for n, f in SUMMARY_INDICATOR_FIELDS.items()})
        result.append({"unit": child, "tasks": tasks, "indicators": indicators})
    return result


def dashboard_version(*, plan: Plan, period: Any) -> float | None:
    """The version of what a plan's dashboard shows for a period: when its stored summary was
    last computed. Everything that changes what counts (an approval, an unlock, a figure
    accepted from a document) refreshes that summary, so a page cached under this version is
    never out of date. None without a stored summary: the page is then always computed."""
    computed = (
        PlanSummary.objects.filter(plan=plan, period__code=period.code)
        .values_list("computed_at", flat=True)
        .first()
    )
    return computed.timestamp() if computed is not None else None
