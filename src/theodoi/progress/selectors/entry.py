"""The entry page of a unit's period: the tasks it reports, the figures it enters, its
evidence, and the period as stored (or unsaved, never written by a read).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from theodoi.domain import periods as p
from theodoi.domain.status import (
    ReportedState,
    effective_due,
)
from theodoi.orgs.models import Membership, OrgUnit
from theodoi.orgs.permissions import ACTIONS, can
from theodoi.orgs.selectors import units_visible_to
from theodoi.plans.models import Indicator, Task
from theodoi.progress.models import (
    DataElement,
    DataValue,
    Period,
    TaskUpdate,
    UpdateState,
)


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
    return entry_elements_many([unit])[unit.pk]


def entry_elements_many(units: Iterable[OrgUnit]) -> dict[int, list[EntryElement]]:
    """:func:`entry_elements` of many units (an import touching a province's communes) in
    two queries, by unit id."""
    by_id = {unit.pk: unit for unit in units}
    found: dict[int, dict[tuple[int, int], tuple[DataElement, OrgUnit, list[Indicator]]]] = {
        pk: {} for pk in by_id
    }
    for element in (
        DataElement.objects.filter(reported_by_id__in=by_id)
        .select_related("reported_for")
        .order_by("id")
    ):
        area = element.reported_for or by_id[element.reported_by_id]
        found[element.reported_by_id].setdefault((element.id, area.id), (element, area, []))
    indicators = (
        Indicator.objects.filter(lead_unit_id__in=by_id)
        .select_related("data_element", "numerator", "denominator", "plan__owner_unit", "group")
        .order_by("plan_id", "position")
    )
    for indicator in indicators:
        unit_found = found[indicator.lead_unit_id]
        for element in (indicator.data_element, indicator.numerator, indicator.denominator):
            if element is None:
                continue
            key = (element.id, indicator.plan.owner_unit_id)
            entry = unit_found.setdefault(key, (element, indicator.plan.owner_unit, []))
            entry[2].append(indicator)
    return {
        pk: [EntryElement(e, area, tuple(i)) for e, area, i in unit_found.values()]
        for pk, unit_found in found.items()
    }


def units_reporting(*, element: DataElement, area: OrgUnit) -> list[OrgUnit]:
    """The units that enter ``element`` as a figure of ``area`` (the reverse of
    :func:`entry_elements`): the unit it is assigned to, and the lead units of the indicators
    of ``area``'s plans it measures."""
    return units_reporting_many({(element, area)})[(element.pk, area.pk)]


def units_reporting_many(
    pairs: set[tuple[DataElement, OrgUnit]],
) -> dict[tuple[int, int], list[OrgUnit]]:
    """:func:`units_reporting` of many (element, area) pairs in one query, by their ids."""
    result: dict[tuple[int, int], list[OrgUnit]] = {}
    areas = {area.pk for _, area in pairs}
    elements = {element.pk for element, _ in pairs}
    indicators = Indicator.objects.filter(
        Q(data_element_id__in=elements)
        | Q(numerator_id__in=elements)
        | Q(denominator_id__in=elements),
        plan__owner_unit_id__in=areas,
        lead_unit__isnull=False,
    ).select_related("lead_unit", "plan")
    leads: dict[tuple[int, int], list[OrgUnit]] = {}
    for indicator in indicators.order_by("pk"):
        for element_id in (
            indicator.data_element_id,
            indicator.numerator_id,
            indicator.denominator_id,
        ):
            if element_id in elements:
                leads.setdefault((element_id, indicator.plan.owner_unit_id), []).append(
                    indicator.lead_unit
                )
    for element, area in pairs:
        units: list[OrgUnit] = []
        if (
            element.reported_by_id is not None
            and (element.reported_for_id or element.reported_by_id) == area.pk
        ):
            units.append(element.reported_by)
        units += leads.get((element.pk, area.pk), [])
        result[(element.pk, area.pk)] = list(dict.fromkeys(units))
    return result


def entry_values(
    *, unit: OrgUnit, period: Period, elements: list[EntryElement] | None = None
) -> dict[tuple[int, int], DataValue]:
    """This period's stored values of the unit's entry figures, by (element id, area id)."""
    elements = entry_elements(unit=unit) if elements is None else elements
    keys = {(e.element.id, e.area.id) for e in elements}
    values = DataValue.objects.filter(
        period_id=period.pk,
        breakdown="",
        element_id__in={k[0] for k in keys},
        org_unit_id__in={k[1] for k in keys},
    ).select_related("entered_by", "source_document")
    return {
        (v.element_id, v.org_unit_id): v for v in values if (v.element_id, v.org_unit_id) in keys
    }


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
