"""Progress entry for a period, and its review, approval and unlocking."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from theodoi.domain import periods as p
from theodoi.orgs.models import Membership, OrgUnit
from theodoi.orgs.permissions import can
from theodoi.orgs.selectors import units_visible_to
from theodoi.progress.models import Period, Submission
from theodoi.progress.selectors.entry import (
    EntryElement,
    entry_elements,
    entry_rows,
    entry_values,
    evidence_visible_to,
    period_stored_or_unsaved,
)
from theodoi.progress.selectors.figure_context import element_groups, figure_context
from theodoi.progress.selectors.figures import rule_violations
from theodoi.progress.selectors.submissions import (
    entry_visible_to,
    progress_hidden_from,
    submission_of,
)
from theodoi.progress.services.periods import entry_period_ensure
from theodoi.progress.services.submissions import (
    submission_submit,
)
from theodoi.progress.services.updates import (
    EDITABLE_FIELDS,
    evidence_add,
    evidence_documents_set,
    evidence_remove,
    task_update_save,
)
from theodoi.progress.services.values import data_value_save, value_problems_of
from theodoi.reports.models import Contribution
from theodoi.reports.outlines import contribution_fields
from theodoi.web.forms import (
    SubmitForm,
    TaskUpdateForm,
    parse_figure,
)
from theodoi.web.views.common import default_period, period_choices, today


def _entry_units(user: Any) -> list[OrgUnit]:
    """Units whose progress the user enters: where they are a reporter or coordinator (or
    every reporting unit for an administrator)."""
    visible = units_visible_to(user=user).order_by("path")
    return [u for u in visible if can(user, "progress.edit", u)]


def _unit_and_period(
    request: HttpRequest, unit_code: str, period_code: str, *, store: bool = False
):
    """The unit (within the user's scope) and the period: the stored row, or an unsaved
    stand-in with its dates — reading never writes. A view about to write (``store``) stores
    the period on first use, once it has begun, for someone who may enter the unit's
    progress."""
    unit = get_object_or_404(units_visible_to(user=request.user), code=unit_code)
    try:
        period = p.parse_period(period_code)
    except p.PeriodError as error:
        raise Http404(str(error)) from None
    stored = period_stored_or_unsaved(period)
    if stored.pk is None:
        if period.start > today():
            raise Http404(f"{period.label} chưa bắt đầu nên chưa nhập tiến độ được.")
        if not can(request.user, "progress.edit", unit):
            raise Http404(f"Chưa có báo cáo tiến độ {period.label} của {unit.name}.")
        if store and request.method == "POST":
            try:
                stored = entry_period_ensure(period=period, user=request.user)
            except ValidationError as error:
                raise BadRequest(" ".join(error.messages)) from None
    return unit, stored


def _require(user: Any, action: str, unit: OrgUnit) -> None:
    if not can(user, action, unit):
        raise PermissionDenied("Bạn không có quyền với báo cáo tiến độ của đơn vị này.")


@login_required
def progress_home(request: HttpRequest) -> HttpResponse:
    units = _entry_units(request.user)
    own = {m.org_unit_id for m in Membership.objects.filter(user=request.user)}
    # Units with tasks or figures to report, the user's own first.
    reporting = [
        u
        for u in units
        if u.id in own
        or u.led_tasks.exists()
        or u.led_indicators.exists()
        or u.reported_elements.exists()
    ]
    period = default_period()
    code = request.GET.get("ky")
    if code:
        try:
            period = p.parse_period(code)
        except p.PeriodError:
            raise Http404(f"Không có kỳ báo cáo “{code}”.") from None
    if len(reporting) == 1:
        return redirect("web:progress_unit", unit_code=reporting[0].code, period_code=period.code)
    submissions = {s.org_unit_id: s for s in Submission.objects.filter(period__code=period.code)}
    return render(
        request,
        "web/progress_home.html",
        {
            "units": [(u, submissions.get(u.id)) for u in reporting],
            "period": period,
            "periods": period_choices(),
        },
    )


def figure_rows(
    unit,
    period,
    elements: list[EntryElement],
    posted=None,
    errors=None,
    violations=None,
    hidden=False,
    typed=None,
):
    stored = {} if hidden else entry_values(unit=unit, period=period, elements=elements)
    flagged = {code for v in violations or [] for code in v.codes}
    around = {} if hidden else figure_context(period=period, elements=elements)
    groups = element_groups(elements)
    rows = []
    # grouped by the plan's field of work, in the plan's order within a group
    elements = sorted(elements, key=lambda e: groups[e.element.id][0])
    for entry in elements:
        key = (entry.element.id, entry.area.id)
        name = f"v-{entry.element.id}-{entry.area.id}"
        value = stored.get(key)
        context = around.get(key)
        now = (typed or {}).get(name, value.value if value is not None else None)
        rows.append(
            {
                "name": name,
                "entry": entry,
                "stored": value,
                "text": posted.get(name, "") if posted is not None else "",
                "errors": (errors or {}).get(name, []),
                "flagged": entry.element.code in flagged,
                "context": context,
                "warning": context.warning(now) if context is not None else "",
                "change": context.change(now) if context is not None else "",
                "group": groups[entry.element.id][1],
            }
        )
    return rows


def _is_editable(user: Any, unit: OrgUnit, period: Period) -> bool:
    submission = submission_of(unit=unit, period=period)
    return can(user, "progress.edit", unit) and (submission is None or submission.is_editable)


def _unit_page(request, unit, period, *, figures=None, violations=None, status=200, extra=None):
    if violations is None:
        violations = rule_violations(unit=unit, period=period)
    submission = submission_of(unit=unit, period=period)
    rows = entry_rows(unit=unit, period=period, user=request.user)
    hidden = progress_hidden_from(user=request.user, unit=unit, period=period)
    if hidden:  # not sent yet: those who may not edit it see that it exists, not what it says
        rows = [dataclasses.replace(row, update=None) for row in rows]
        violations = []
    rows = [
        row
        if row.previous is None
        or entry_visible_to(user=request.user, state=row.previous.state, unit=unit)
        else dataclasses.replace(row, previous=None)
        for row in rows
    ]
    editable = _is_editable(request.user, unit, period)
    written = {
        c.field: c for c in Contribution.objects.filter(org_unit=unit, period_id=period.pk or -1)
    }
    contributions = [
        {
            "field": f.value,
            "label": f.label,
            "text": "" if hidden else (written[f.value].text if f.value in written else ""),
            "contribution": None if hidden else written.get(f.value),
        }
        for f in contribution_fields(unit)
    ]
    return render(
        request,
        "web/progress_unit.html",
        {
            "unit": unit,
            "period": period,
            "periods": period_choices(),
            "submission": submission,
            "rows": rows,
            "entered": sum(1 for r in rows if r.update),
            "figures": figures
            or figure_rows(
                unit, period, entry_elements(unit=unit), violations=violations, hidden=hidden
            ),
            "hidden": hidden,
            "violations": violations,
            "editable": editable,
            "can_submit": editable and can(request.user, "progress.submit", unit),
            "submit_form": SubmitForm(),
            "contributions": contributions,
            **(extra or {}),
        },
        status=status,
    )


@login_required
def progress_unit(request: HttpRequest, unit_code: str, period_code: str) -> HttpResponse:
    unit, period = _unit_and_period(request, unit_code, period_code)
    _require(request.user, "view", unit)
    return _unit_page(request, unit, period)


@login_required
def progress_task(
    request: HttpRequest, unit_code: str, period_code: str, task_id: int
) -> HttpResponse:
    unit, period = _unit_and_period(request, unit_code, period_code, store=True)
    _require(request.user, "progress.edit", unit)
    rows = entry_rows(unit=unit, period=period, user=request.user)
    position = next((i for i, r in enumerate(rows) if r.task.id == task_id), None)
    if position is None:
        raise Http404("Nhiệm vụ này không thuộc báo cáo tiến độ của đơn vị trong kỳ.")
    row = rows[position]
    following = rows[position + 1] if position + 1 < len(rows) else None
    submission = submission_of(unit=unit, period=period)
    editable = submission is None or submission.is_editable
    initial = {}
    if row.update is None and row.previous is not None:
        # Start from last period's entry: most tasks move on from where they were.
        # Illustrative text never passes into a real entry.
        carried = ["reported_state", "progress_percent"]
        if not row.previous.is_illustrative:
            carried += ["difficulties", "causes", "proposals"]
        initial = {f: getattr(row.previous, f) for f in carried}
    form = TaskUpdateForm(
        request.POST or None,
        request.FILES or None,
        instance=row.update,
        initial=initial,
        period=period,
        assigned_on=row.task.plan.document.issued_on,
    )
    if row.update is not None:
        form.fields["evidence_documents"].initial = list(row.update.evidence_documents.all())
    if request.method == "POST":
        if not editable:  # a forged or stale form after submission or approval
            raise PermissionDenied("Báo cáo tiến độ kỳ này đã gửi hoặc đã khóa, không sửa được.")
        if form.is_valid():
            values = {f: form.cleaned_data.get(f) for f in EDITABLE_FIELDS}
            values = {
                k: "" if v is None and k not in ("completion_date", "progress_percent") else v
                for k, v in values.items()
            }
            try:
                with transaction.atomic():
                    update = task_update_save(
                        task=row.task, period=period, user=request.user, values=values
                    )
                    evidence_documents_set(
                        update=update,
                        documents=list(form.cleaned_data["evidence_documents"]),
                        user=request.user,
                    )
                    upload = form.cleaned_data.get("evidence_file")
                    if upload:
                        evidence_add(update=update, upload=upload, user=request.user)
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, f"Đã lưu tiến độ nhiệm vụ {row.task.code} (bản nháp).")
                if request.POST.get("tiep") and following is not None:
                    return redirect(
                        "web:progress_task",
                        unit_code=unit.code,
                        period_code=period.code,
                        task_id=following.task.id,
                    )
                return redirect("web:progress_unit", unit_code=unit.code, period_code=period.code)
    return render(
        request,
        "web/progress_task.html",
        {
            "unit": unit,
            "period": period,
            "row": row,
            "form": form,
            "editable": editable,
            "evidence": row.update.current_evidence if row.update else [],
            "following": following,
            "position": position + 1,
            "count": len(rows),
        },
        status=400 if request.method == "POST" else 200,
    )


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _read_figures(request, elements):
    """The typed figures: {name: Decimal | None} and {name: [errors]}."""
    values: dict[str, Decimal | None] = {}
    errors: dict[str, list[str]] = {}
    for entry in elements:
        name = f"v-{entry.element.id}-{entry.area.id}"
        if name not in request.POST:
            continue
        try:
            value = parse_figure(request.POST.get(name, ""))
        except Exception as error:  # forms.ValidationError
            errors[name] = list(getattr(error, "messages", [str(error)]))
            continue
        if value is not None:
            problems = value_problems_of(entry.element, value)
            if problems:
                errors[name] = problems
                continue
        values[name] = value
    return values, errors


@login_required
@require_POST
def progress_figures(request: HttpRequest, unit_code: str, period_code: str) -> HttpResponse:
    """Check (HTMX, on every change), autosave (HTMX, on every change of the grid: the cells
    that are right are kept at once, a wrong one waits, marked) or save (the button: all or
    nothing) the period's figures."""
    action = request.POST.get("action")
    saving = action == "save"
    autosaving = action == "autosave" and bool(request.headers.get("HX-Request"))
    unit, period = _unit_and_period(request, unit_code, period_code, store=saving or autosaving)
    _require(request.user, "progress.edit", unit)
    elements = entry_elements(unit=unit)
    by_name = {f"v-{e.element.id}-{e.area.id}": e for e in elements}
    values, errors = _read_figures(request, elements)
    overrides = {by_name[n].element.code: v for n, v in values.items()}
    violations = rule_violations(unit=unit, period=period, overrides=overrides)
    saved = False
    autosaved = 0
    if saving and not values and not errors:
        errors["__all__"] = [
            "Dữ liệu gửi lên không có số liệu nào của đơn vị trong kỳ này: không có gì được lưu."
        ]
    if (saving and not errors) or (autosaving and values):
        stored = entry_values(unit=unit, period=period, elements=elements)
        try:
            with transaction.atomic():
                for name, value in values.items():
                    entry = by_name[name]
                    current = stored.get((entry.element.id, entry.area.id))
                    if current is None and value is None:
                        continue
                    if current is not None and value is not None and current.value == value:
                        continue
                    autosaved += 1
                    data_value_save(
                        element=entry.element,
                        area=entry.area,
                        unit=unit,
                        period=period,
                        value=value,
                        user=request.user,
                    )
        except ValidationError as error:
            errors["__all__"] = error.messages
            autosaved = 0
        else:
            saved = saving or not errors
    figures = figure_rows(
        unit,
        period,
        elements,
        posted=request.POST,
        errors=errors,
        violations=violations,
        typed=values,
    )
    context = {
        "unit": unit,
        "period": period,
        "figures": figures,
        "field_errors": [f for f in figures if f["errors"]],
        "violations": violations,
        "errors": errors.get("__all__", []),
        "saved": saved,
        "saving": saving,
        "autosaved": autosaved if autosaving else None,
        "saved_at": timezone.localtime(),
        "editable": _is_editable(request.user, unit, period),
    }
    if request.headers.get("HX-Request"):
        return render(request, "web/partials/figures.html", context, status=200)
    if saved:
        messages.success(request, "Đã lưu số liệu của kỳ.")
        return redirect("web:progress_unit", unit_code=unit.code, period_code=period.code)
    messages.error(
        request,
        " ".join(errors.get("__all__", [])) or "Số liệu chưa lưu: hãy sửa các ô được đánh dấu.",
    )
    return _unit_page(
        request,
        unit,
        period,
        figures=figures,
        violations=violations,
        status=400,
        extra={k: context[k] for k in ("field_errors", "errors", "saving")},
    )


@login_required
@require_POST
def progress_submit(request: HttpRequest, unit_code: str, period_code: str) -> HttpResponse:
    unit, period = _unit_and_period(request, unit_code, period_code, store=True)
    _require(request.user, "progress.submit", unit)
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        submission_submit(
            unit=unit,
            period=period,
            user=request.user,
            explanation=form.cleaned_data.get("explanation", ""),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, f"Đã gửi báo cáo tiến độ {period.label} của {unit.name} tới đầu mối tổng hợp."
        )
    return redirect("web:progress_unit", unit_code=unit.code, period_code=period.code)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(evidence_visible_to(user=request.user), pk=pk)
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(evidence_visible_to(user=request.user), pk=pk)
    update = evidence.task_update
    try:
        evidence_remove(evidence=evidence, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã gỡ bỏ tệp minh chứng “{evidence.original_name}”.")
    return redirect(
        "web:progress_task",
        unit_code=update.org_unit.code,
        period_code=update.period.code,
        task_id=update.task_id,
    )


# --- Review and approval ---------------------------------------------------------------------
