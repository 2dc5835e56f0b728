"""A plan's adjustments: the notices that add tasks to it, take tasks out or move their
deadlines, entered on a screen by the coordinator; every count (dashboard, API, report) then
reads the plan as adjusted (:func:`theodoi.plans.selectors.tasks_in_force`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from theodoi.documents.selectors import documents_visible_to
from theodoi.domain.fields import Field
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import can
from theodoi.plans.models import IndicatorTarget, PlanAdjustment, TaskChange
from theodoi.plans.selectors import plan_indicators, plan_tasks, plans_visible_to
from theodoi.plans.services import (
    indicator_target_adjust,
    plan_adjustment_record,
    task_add_by_adjustment,
    task_change_record,
)

DATE_INPUT = forms.DateInput(
    format="%d/%m/%Y", attrs={"class": "form-control form-control-sm", "placeholder": "dd/mm/yyyy"}
)
TEXT = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}
YEAR = forms.IntegerField(
    label="Chỉ áp dụng cho năm",
    required=False,
    min_value=2000,
    max_value=2100,
    widget=forms.NumberInput(attrs={**TEXT, "placeholder": "để trống: từ ngày áp dụng"}),
    error_messages={
        "invalid": "Năm là số, ví dụ 2026.",
        "min_value": "Năm từ 2000.",
        "max_value": "Năm đến 2100.",
    },
)


class AdjustmentForm(forms.Form):
    symbol = forms.CharField(
        label="Số, ký hiệu văn bản điều chỉnh",
        max_length=64,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "ví dụ 01-TB/BCĐ"}),
        error_messages={"required": "Hãy nhập số, ký hiệu văn bản."},
    )
    effective_from = forms.DateField(
        label="Áp dụng từ ngày",
        widget=DATE_INPUT,
        error_messages={
            "required": "Hãy nhập ngày áp dụng.",
            "invalid": "Ngày nhập theo dạng dd/mm/yyyy.",
        },
    )
    note = forms.CharField(
        label="Nội dung điều chỉnh",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )


class ChangeForm(forms.Form):
    task = forms.ChoiceField(label="Nhiệm vụ", widget=forms.Select(attrs=SELECT))
    kind = forms.ChoiceField(
        label="Điều chỉnh",
        choices=[
            (TaskChange.Kind.REMOVED, "Đưa ra khỏi kế hoạch"),
            (TaskChange.Kind.RESCHEDULED, "Điều chỉnh thời hạn"),
        ],
        widget=forms.Select(attrs=SELECT),
    )
    deadline_text = forms.CharField(
        label="Thời hạn mới",
        required=False,
        max_length=128,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "ví dụ Tháng 6/2026"}),
    )
    year = YEAR
    note = forms.CharField(
        label="Ghi chú", required=False, max_length=1000, widget=forms.TextInput(attrs=TEXT)
    )


class AddForm(forms.Form):
    code = forms.CharField(
        label="Mã (số thứ tự)",
        max_length=32,
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": "Hãy nhập mã nhiệm vụ."},
    )
    title = forms.CharField(
        label="Nội dung nhiệm vụ",
        max_length=4000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
        error_messages={"required": "Hãy nhập nội dung nhiệm vụ."},
    )
    lead_unit = forms.ChoiceField(
        label="Đơn vị chủ trì", required=False, widget=forms.Select(attrs=SELECT)
    )
    field = forms.ChoiceField(
        label="Lĩnh vực",
        required=False,
        choices=[("", "—")] + [(f.value, f.label) for f in Field],
        widget=forms.Select(attrs=SELECT),
    )
    deadline_text = forms.CharField(
        label="Thời hạn",
        max_length=128,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "ví dụ Quý II/2026"}),
        error_messages={"required": "Hãy nhập thời hạn như văn bản ghi."},
    )
    year = YEAR


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label="Chỉ tiêu", widget=forms.Select(attrs=SELECT))
    year = forms.IntegerField(
        label="Mốc năm",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs=TEXT),
        error_messages={
            "required": "Hãy nhập mốc năm của mục tiêu.",
            "invalid": "Năm là số, ví dụ 2026.",
            "min_value": "Năm từ 2000.",
            "max_value": "Năm đến 2100.",
        },
    )
    text = forms.CharField(
        label="Mục tiêu mới",
        max_length=128,
        widget=forms.TextInput(attrs={**TEXT, "placeholder": "ví dụ ≥ 80%"}),
        error_messages={"required": "Hãy nhập mục tiêu như văn bản ghi."},
    )


def _say_errors(request: HttpRequest, exc: ValidationError | forms.Form) -> None:
    if isinstance(exc, forms.Form):
        for name, errors in exc.errors.items():
            label = exc.fields[name].label if name in exc.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message)
        return
    for message in exc.messages:
        messages.error(request, message)


@login_required
def plan_adjustments(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(plans_visible_to(user=request.user), pk=pk)
    may = can(request.user, "plan.adjust", plan.owner_unit)
    tasks = list(plan_tasks(plan=plan, user=request.user))
    units = list(OrgUnit.objects.filter(path__startswith=plan.owner_unit.path).order_by("path"))
    indicators = list(plan_indicators(plan=plan, user=request.user))
    indicator_choices = [(i.id, f"{i.code}. {i.name[:90]}") for i in indicators]
    change_form, add_form, adjustment_form = ChangeForm(), AddForm(), AdjustmentForm()
    target_form = TargetForm()
    target_form.fields["indicator"].choices = indicator_choices
    for form in (change_form,):
        form.fields["task"].choices = [(t.id, f"{t.code}. {t.title[:90]}") for t in tasks]
    add_form.fields["lead_unit"].choices = [("", "—")] + [(u.code, u.name) for u in units]
    if request.method == "POST":
        if not may:
            raise PermissionDenied("Bạn không có quyền điều chỉnh kế hoạch này.")
        action = request.POST.get("action")
        adjustments = PlanAdjustment.objects.filter(plan=plan)
        try:
            if action == "adjustment":
                form = AdjustmentForm(request.POST)
                if not form.is_valid():
                    _say_errors(request, form)
                    return redirect("web:plan_adjustments", pk=plan.pk)
                symbol = " ".join(form.cleaned_data["symbol"].split())
                document = (
                    documents_visible_to(user=request.user).filter(symbol__iexact=symbol).first()
                )
                if document is None:
                    messages.error(
                        request,
                        f"Không có văn bản số, ký hiệu “{symbol}” trong hệ thống: hãy thêm văn "
                        "bản điều chỉnh trước (trang Văn bản), rồi ghi điều chỉnh.",
                    )
                    return redirect("web:plan_adjustments", pk=plan.pk)
                plan_adjustment_record(
                    plan=plan,
                    document=document,
                    effective_from=form.cleaned_data["effective_from"],
                    note=form.cleaned_data["note"],
                    user=request.user,
                )
                messages.success(request, f"Đã ghi văn bản điều chỉnh {document.symbol}.")
            elif action == "target":
                adjustment = get_object_or_404(adjustments, pk=request.POST.get("adjustment"))
                form = TargetForm(request.POST)
                form.fields["indicator"].choices = indicator_choices
                if not form.is_valid():
                    _say_errors(request, form)
                    return redirect("web:plan_adjustments", pk=plan.pk)
                indicator = next(
                    i for i in indicators if str(i.id) == form.cleaned_data["indicator"]
                )
                indicator_target_adjust(
                    indicator=indicator,
                    year=form.cleaned_data["year"],
                    text=form.cleaned_data["text"],
                    document=adjustment.document,
                    effective_from=adjustment.effective_from,
                    user=request.user,
                )
                messages.success(
                    request,
                    f"Đã ghi mục tiêu mới của chỉ tiêu {indicator.code} cho năm "
                    f"{form.cleaned_data['year']}.",
                )
            elif action in ("change", "add"):
                adjustment = get_object_or_404(adjustments, pk=request.POST.get("adjustment"))
                if action == "change":
                    form = ChangeForm(request.POST)
                    form.fields["task"].choices = [(t.id, t.code) for t in tasks]
                    if not form.is_valid():
                        _say_errors(request, form)
                        return redirect("web:plan_adjustments", pk=plan.pk)
                    task = next(t for t in tasks if str(t.id) == form.cleaned_data["task"])
                    change = task_change_record(
                        adjustment=adjustment,
                        task=task,
                        kind=form.cleaned_data["kind"],
                        year=form.cleaned_data["year"],
                        deadline_text=form.cleaned_data["deadline_text"],
                        note=form.cleaned_data["note"],
                        user=request.user,
                    )
                    messages.success(
                        request,
                        f"Đã ghi: {change.get_kind_display().lower()} nhiệm vụ {task.code}.",
                    )
                else:
                    form = AddForm(request.POST)
                    form.fields["lead_unit"].choices = [("", "—")] + [
                        (u.code, u.name) for u in units
                    ]
                    if not form.is_valid():
                        _say_errors(request, form)
                        return redirect("web:plan_adjustments", pk=plan.pk)
                    lead = next(
                        (u for u in units if u.code == form.cleaned_data["lead_unit"]), None
                    )
                    task = task_add_by_adjustment(
                        adjustment=adjustment,
                        code=form.cleaned_data["code"],
                        title=form.cleaned_data["title"],
                        deadline_text=form.cleaned_data["deadline_text"],
                        lead_unit=lead,
                        field=form.cleaned_data["field"],
                        year=form.cleaned_data["year"],
                        user=request.user,
                    )
                    messages.success(request, f"Đã bổ sung nhiệm vụ {task.code}.")
            else:
                messages.error(request, "Không rõ thao tác cần làm.")
        except ValidationError as exc:
            _say_errors(request, exc)
        return redirect("web:plan_adjustments", pk=plan.pk)
    adjustments = (
        PlanAdjustment.objects.filter(plan=plan)
        .select_related("document")
        .prefetch_related("task_changes__task")
    )
    return render(
        request,
        "web/plan_adjustments.html",
        {
            "plan": plan,
            "may": may,
            "adjustments": adjustments,
            "adjustment_form": adjustment_form,
            "change_form": change_form,
            "add_form": add_form,
            "target_form": target_form,
            "targets": {
                a.id: IndicatorTarget.objects.filter(
                    adjusted_by=a.document, indicator__plan=plan
                ).select_related("indicator")
                for a in adjustments
            },
        },
    )
