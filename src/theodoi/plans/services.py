"""Writes to plans: adjusting targets keeps the original and every earlier version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from theodoi.documents.models import Document
from theodoi.domain.deadlines import DeadlineError, parse_deadline
from theodoi.domain.fields import Field
from theodoi.domain.indicators import TargetError, parse_target
from theodoi.history import save_tracked
from theodoi.notify.models import Kind
from theodoi.notify.services import notify
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import can, people_who_can
from theodoi.plans.models import (
    Indicator,
    IndicatorTarget,
    Plan,
    PlanAdjustment,
    Task,
    TaskChange,
)


@transaction.atomic
def indicator_target_adjust(
    *,
    indicator: Indicator,
    year: int,
    text: str,
    document: Document,
    effective_from: dt.date,
    user: Any,
) -> IndicatorTarget:
    """Record that ``document`` sets the target of ``indicator`` for ``year`` to ``text`` from
    ``effective_from`` (e.g. a steering committee notice changing the 2026 targets). The
    earlier target stays and still applies to dates before ``effective_from``."""
    _may_adjust(user, indicator.plan)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [f"Năm mốc {year} không hợp lệ (từ 2000 đến 2100)."]})
    try:
        target = parse_target(text)
    except TargetError as exc:
        raise ValidationError(str(exc)) from None
    adjusted = IndicatorTarget(
        indicator=indicator,
        year=year,
        comparator=target.comparator.value,
        value=target.value,
        value_high=target.high,
        text=text,
        effective_from=effective_from,
        adjusted_by=document,
    )
    save_tracked(adjusted, user=user, reason=f"Điều chỉnh mục tiêu theo {document}")
    adjustment = PlanAdjustment.objects.filter(plan=indicator.plan, document=document).first()
    if adjustment is None:
        adjustment = PlanAdjustment(
            plan=indicator.plan, document=document, effective_from=effective_from
        )
    adjustment.note = (adjustment.note + "\n" if adjustment.note else "") + (
        f"Chỉ tiêu {indicator.code}, mốc {year}: {text}"
    )
    save_tracked(adjustment, user=user, reason="Điều chỉnh kế hoạch")
    return adjusted


def _may_adjust(user: Any, plan: Plan) -> None:
    if not can(user, "plan.adjust", plan.owner_unit):
        raise PermissionDenied(
            f"Bạn không có quyền điều chỉnh {plan.document.symbol or plan.title} "
            f"(cần vai trò đầu mối tổng hợp của {plan.owner_unit.name})."
        )


def _year(year: int | None) -> int | None:
    if year is not None and not 2000 <= year <= 2100:
        raise ValidationError({"year": [f"Năm áp dụng {year} không hợp lệ (từ 2000 đến 2100)."]})
    return year


@transaction.atomic
def plan_adjustment_record(
    *,
    plan: Plan,
    document: Document,
    effective_from: dt.date,
    note: str = "",
    user: Any,
    reason: str = "",
) -> PlanAdjustment:
    """Record (or update) that ``document`` adjusts ``plan`` from ``effective_from``: the
    notice changing the year's work programme. Its task changes follow
    (:func:`task_change_record`, :func:`task_add_by_adjustment`)."""
    _may_adjust(user, plan)
    if document.pk == plan.document_id:
        raise ValidationError({"document": ["Văn bản điều chỉnh phải là văn bản khác kế hoạch."]})
    if document.issued_on and effective_from < document.issued_on:
        raise ValidationError(
            {
                "effective_from": [
                    f"Ngày áp dụng {effective_from:%d/%m/%Y} trước ngày ban hành văn bản "
                    f"{document.symbol} ({document.issued_on:%d/%m/%Y})."
                ]
            }
        )
    adjustment = PlanAdjustment.objects.filter(plan=plan, document=document).first()
    if adjustment is None:
        adjustment = PlanAdjustment(plan=plan, document=document)
    adjustment.effective_from = effective_from
    adjustment.note = note.strip() or adjustment.note
    save_tracked(adjustment, user=user, reason=reason or f"Điều chỉnh kế hoạch theo {document}")
    return adjustment


@transaction.atomic
def task_change_record(
    *,
    adjustment: PlanAdjustment,
    task: Task,
    kind: str,
    year: int | None = None,
    deadline_text: str = "",
    note: str = "",
    user: Any,
) -> TaskChange:
    """Take ``task`` out of the plan or move its deadline, by ``adjustment``."""
    _may_adjust(user, adjustment.plan)
    if task.plan_id != adjustment.plan_id:
        raise ValidationError(
            {"task": [f"Nhiệm vụ {task.code} không thuộc kế hoạch được điều chỉnh."]}
        )
    if kind not in (TaskChange.Kind.REMOVED, TaskChange.Kind.RESCHEDULED):
        raise ValidationError({"kind": [f"Không có loại điều chỉnh “{kind}”."]})
    change = TaskChange.objects.filter(adjustment=adjustment, task=task).first() or TaskChange(
        adjustment=adjustment, task=task
    )
    change.kind = kind
    change.year = _year(year)
    change.note = note.strip()
    change.deadline_kind, change.deadline_date, change.deadline_text = "", None, ""
    if kind == TaskChange.Kind.RESCHEDULED:
        try:
            deadline = parse_deadline(deadline_text)
        except DeadlineError as exc:
            raise ValidationError({"deadline_text": [str(exc)]}) from None
        change.deadline_kind = deadline.kind.value
        change.deadline_date = deadline.due
        change.deadline_text = deadline.text
    save_tracked(
        change, user=user, reason=f"{change.get_kind_display()} theo {adjustment.document}"
    )
    what = (
        "bỏ khỏi kế hoạch"
        if kind == TaskChange.Kind.REMOVED
        else f"thời hạn mới: {change.deadline_text}"
    )
    _tell_lead(task, f"Nhiệm vụ {task.code} được điều chỉnh ({what}) theo {adjustment.document}")
    return change


def _tell_lead(task: Task, title: str) -> None:
    """Tell the people of the task's lead unit that their work changed."""
    from django.urls import reverse

    lead = task.lead_unit or task.plan.owner_unit
    notify(
        users=people_who_can("progress.edit", lead, here_only=True),
        kind=Kind.ASSIGNED,
        title=title,
        body=task.title[:300],
        link=reverse("web:task_detail", args=[task.pk]),
    )


def plan_tasks_assigned_notify(plan: Plan, tasks: list[Task]) -> None:
    """Tell each lead unit of ``tasks`` (new to it: a new plan's tasks, a task given to
    another unit) what it now leads, in one message per unit."""
    from django.urls import reverse

    by_unit: dict[int, tuple[OrgUnit, list[Task]]] = {}
    for task in tasks:
        lead = task.lead_unit or plan.owner_unit
        by_unit.setdefault(lead.pk, (lead, []))[1].append(task)
    for lead, led in by_unit.values():
        codes = ", ".join(t.code for t in led[:10]) + (" …" if len(led) > 10 else "")
        notify(
            users=people_who_can("progress.edit", lead, here_only=True),
            kind=Kind.ASSIGNED,
            title=f"{plan.document} giao {len(led)} nhiệm vụ cho {lead.name}",
            body=f"Nhiệm vụ {codes}",
            link=reverse("web:plan_detail", args=[plan.pk]),
        )


@transaction.atomic
def task_add_by_adjustment(
    *,
    adjustment: PlanAdjustment,
    code: str,
    title: str,
    deadline_text: str,
    lead_unit: OrgUnit | None = None,
    field: str = "",
    year: int | None = None,
    user: Any,
) -> Task:
    """A task ``adjustment`` adds to its plan: part of the plan from the adjustment's date
    (for ``year`` only, when given), not before."""
    plan = adjustment.plan
    _may_adjust(user, plan)
    code, title = " ".join(code.split()), " ".join(title.split())
    if not code or not title:
        raise ValidationError("Nhiệm vụ bổ sung cần mã (số thứ tự) và nội dung.")
    if plan.tasks.filter(code=code).exists():
        raise ValidationError({"code": [f"Kế hoạch đã có nhiệm vụ mã “{code}”."]})
    if field and field not in {f.value for f in Field}:
        raise ValidationError({"field": [f"Không có lĩnh vực “{field}”."]})
    if lead_unit is not None and not lead_unit.path.startswith(plan.owner_unit.path):
        raise ValidationError(
            {"lead_unit": [f"{lead_unit.name} không thuộc {plan.owner_unit.name}."]}
        )
    try:
        deadline = parse_deadline(deadline_text)
    except DeadlineError as exc:
        raise ValidationError({"deadline_text": [str(exc)]}) from None
    task = Task(
        plan=plan,
        code=code,
        title=title,
        lead_unit=lead_unit,
        field=field,
        position=(plan.tasks.order_by("-position").values_list("position", flat=True).first() or 0)
        + 1,
        deadline_kind=deadline.kind.value,
        deadline_date=deadline.due,
        deadline_text=deadline.text,
    )
    save_tracked(task, user=user, reason=f"Bổ sung theo {adjustment.document}")
    change = TaskChange(
        adjustment=adjustment, task=task, kind=TaskChange.Kind.ADDED, year=_year(year)
    )
    save_tracked(change, user=user, reason=f"Bổ sung nhiệm vụ theo {adjustment.document}")
    _tell_lead(task, f"Nhiệm vụ mới giao cho đơn vị: {task.code} theo {adjustment.document}")
    return task
