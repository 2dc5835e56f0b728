"""Reads of plans, tasks and indicators, scoped to the user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from theodoi.domain.adjustments import Change, ChangeKind, task_on
from theodoi.domain.deadlines import Deadline, DeadlineKind
from theodoi.domain.text import fold
from theodoi.orgs.selectors import units_visible_or_above
from theodoi.plans.models import Indicator, IndicatorTarget, Plan, Task, TaskChange


class PlanLookupError(LookupError):
    """No plan, or more than one, has the symbol the user typed; the message is Vietnamese."""


def plans_visible_to(*, user: Any | None) -> QuerySet[Plan]:
    """Plans the user may read: those of the units they see, and the plans of the units above
    them (an office works to its zone's plan)."""
    # the document's whole text is read where it is quoted, not with every plan
    plans = Plan.objects.select_related("document", "owner_unit").defer("document__full_text")
    if user is None or getattr(user, "is_superuser", False):
        return plans
    return plans.filter(owner_unit__in=units_visible_or_above(user=user))


def plan_find(*, symbol: str, user: Any | None) -> Plan:
    """The plan whose document symbol is ``symbol`` ("96/KH-UBND"), typed with or without
    diacritics and in any case."""
    key = fold(symbol).replace(" ", "")
    plans = [p for p in plans_visible_to(user=user) if fold(p.document.symbol) == key]
    if len(plans) == 1:
        return plans[0]
    if not plans:
        known = ", ".join(sorted(p.document.symbol for p in plans_visible_to(user=user)))
        raise PlanLookupError(
            f"Không tìm thấy kế hoạch “{symbol}”. Các kế hoạch hiện có: {known or 'chưa có'}."
        )
    raise PlanLookupError(
        f"Có {len(plans)} kế hoạch cùng ký hiệu “{symbol}”; hãy chọn theo ngày ban hành."
    )


def plan_tasks(*, plan: Plan, user: Any | None, unit=None) -> QuerySet[Task]:
    """Tasks of ``plan`` visible to the user, in plan order; with ``unit``, those its subtree
    leads."""
    tasks = plan.tasks.select_related("group", "lead_unit").prefetch_related("coordinating_units")
    if unit is not None:
        tasks = tasks.filter(lead_unit__path__startswith=unit.path)
    return tasks.order_by("position")


def tasks_in_force(
    *, plan: Plan, on: dt.date, user: Any | None, unit=None, tasks: Iterable[Task] | None = None
) -> list[Task]:
    """The plan's tasks (visible to the user; with ``unit``, those its subtree leads) as
    the plan holds them on ``on``, once the adjustments in force then are applied: tasks
    added later or taken out are left out, moved deadlines read as moved (``task.deadline``).
    The one rule for every count: dashboard, API, report."""
    if tasks is None:
        tasks = plan_tasks(plan=plan, user=user, unit=unit)
    tasks = list(tasks)
    changes = task_changes(Q(task__in=[t.id for t in tasks]))
    held = []
    for task in tasks:
        task.__dict__.pop("adjusted_deadline", None)
        if task.id not in changes:
            held.append(task)
            continue
        deadline = deadline_in_force(task.deadline, changes[task.id], on)
        if deadline is not None:
            task.__dict__["adjusted_deadline"] = deadline
            held.append(task)
    return held


def deadline_in_force(deadline: Deadline, changes: list[Change], on: dt.date) -> Deadline | None:
    """A task's deadline on ``on`` once its adjustments' ``changes`` in force then are
    applied; None when the plan does not hold the task then."""
    state = task_on(deadline, changes, on)
    return state.deadline if state.held else None


def task_changes(which: Q) -> dict[int, list[Change]]:
    """The adjustments' changes to the tasks ``which`` selects (a filter on TaskChange), by
    task, as the domain reads them."""
    changes: dict[int, list[Change]] = {}
    rows = TaskChange.objects.filter(which).values_list(
        "task_id",
        "kind",
        "deadline_kind",
        "deadline_date",
        "deadline_text",
        "adjustment__effective_from",
        "year",
    )
    for task_id, kind, deadline_kind, deadline_date, deadline_text, effective, year in rows:
        deadline = None
        if kind == TaskChange.Kind.RESCHEDULED:
            deadline = Deadline(DeadlineKind(deadline_kind), deadline_date, deadline_text)
        changes.setdefault(task_id, []).append(Change(ChangeKind(kind), effective, year, deadline))
    return changes


def plan_indicators(*, plan: Plan, user: Any | None, unit=None) -> QuerySet[Indicator]:
    indicators = plan.indicators.select_related(
        "group", "lead_unit", "data_element", "numerator", "denominator"
    ).prefetch_related(
        Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year", "effective_from"))
    )
    if unit is not None:
        indicators = indicators.filter(lead_unit__path__startswith=unit.path)
    return indicators.order_by("position")


def plan_as_dict(*, plan: Plan, user: Any | None) -> dict[str, Any]:
    """The plan's tasks and indicators as plain data (``theodoi plan show --json``)."""
    document = plan.document
    return {
        "plan": document.symbol,
        "title": plan.title,
        "issued_on": document.issued_on.isoformat() if document.issued_on else None,
        "issuer": document.issuer,
        "implements": sorted(d.symbol for d in plan.implements.all() if d.symbol),
        "groups": [{"code": g.code, "title": g.title} for g in plan.groups.order_by("position")],
        "tasks": [
            {
                "code": t.code,
                "title": t.title,
                "group": t.group.code if t.group else None,
                "lead_unit": t.lead_unit.name if t.lead_unit else (t.lead_text or None),
                "coordinating_units": [u.name for u in t.coordinating_units.all()]
                + ([t.coordinating_text] if t.coordinating_text else []),
                "output": t.output or None,
                "deadline": {
                    "kind": t.deadline_kind,
                    "date": t.deadline_date.isoformat() if t.deadline_date else None,
                    "text": t.deadline_text,
                },
                "upstream": (
                    {"document": t.upstream_document.symbol, "code": t.upstream_code or None}
                    if t.upstream_document
                    else None
                ),
            }
            for t in plan_tasks(plan=plan, user=user)
        ],
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "group": i.group.code if i.group else None,
                "unit": i.unit,
                "direction": i.direction,
                "targets": {
                    str(t.year): {
                        "comparator": t.comparator,
                        "value": float(t.value),
                        **({"high": float(t.value_high)} if t.value_high is not None else {}),
                        "text": t.text,
                    }
                    for t in i.targets.all()
                    if t.adjusted_by_id is None
                },
                "lead_unit": i.lead_unit.name if i.lead_unit else (i.lead_text or None),
            }
            for i in plan_indicators(plan=plan, user=user)
        ],
    }


def plans_for_unit(*, unit, user: Any | None) -> list[Plan]:
    """Plans that apply to ``unit``: those owned by it or by a unit above it."""
    ancestors = [code for code in unit.path.split("/") if code]
    return list(
        plans_visible_to(user=user)
        .filter(owner_unit__code__in=ancestors)
        .order_by("document__issued_on", "id")
    )
