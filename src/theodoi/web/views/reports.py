"""The reports page: generate a period report, download it, issue it, read the register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from theodoi.domain import periods as p
from theodoi.orgs.permissions import can
from theodoi.orgs.selectors import units_visible_to
from theodoi.plans.selectors import plans_for_unit
from theodoi.progress.selectors.entry import period_stored_or_unsaved
from theodoi.reports.render import PdfUnavailableError, ReportTemplateError
from theodoi.reports.selectors import register_rows, reports_visible_to
from theodoi.reports.services import (
    report_build,
    report_current,
    report_file_content,
    report_issue,
    report_profile,
    report_render,
)
from theodoi.web.forms import IssueForm
from theodoi.web.views.common import default_period, home_unit, period_choices

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _choice(request: HttpRequest):
    """The unit, period and plans picked on the page (GET or POST)."""
    data = request.POST if request.method == "POST" else request.GET
    units = [
        u
        for u in units_visible_to(user=request.user).order_by("path")
        if can(request.user, "report.generate", u)
    ]
    if not units:
        raise PermissionDenied("Bạn không có quyền lập báo cáo.")
    code = data.get("don-vi") or ""
    home = home_unit(request.user)
    unit = next((u for u in units if u.code == code), None)
    if code and unit is None:
        raise Http404(f"Không có đơn vị “{code}” trong phạm vi bạn được lập báo cáo.")
    if unit is None:
        unit = home if home in units else units[0]
    period = default_period()
    if data.get("ky"):
        try:
            period = p.parse_period(data["ky"])
        except p.PeriodError:
            raise Http404(f"Không có kỳ báo cáo “{data['ky']}”.") from None
    available = plans_for_unit(unit=unit, user=request.user)
    wanted = data.getlist("ke-hoach")
    plans = [x for x in available if str(x.id) in wanted] if wanted else available
    return units, unit, period, available, plans


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    units, unit, period, available, plans = _choice(request)
    snapshot = None
    error = None
    if request.GET.get("lap") and plans:
        try:
            snapshot = report_build(unit=unit, period=period, plans=plans, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    query = urlencode(
        [("don-vi", unit.code), ("ky", period.code)] + [("ke-hoach", x.id) for x in plans]
    )
    profile = report_profile(unit)
    return render(
        request,
        "web/reports.html",
        {
            "units": units,
            "unit": unit,
            "period": period,
            "periods": period_choices(),
            "available": available,
            "plans": plans,
            "snapshot": snapshot,
            "error": error,
            "query": query,
            "can_issue": can(request.user, "report.issue", unit),
            "issue_form": IssueForm(initial={"signer_name": profile.get("signer_name", "")}),
            "current": report_current(unit=unit, period=period_stored_or_unsaved(period)),
            "register": register_rows(user=request.user, unit=unit),
        },
    )


def _file_response(content: bytes, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def report_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The draft report computed from the data now, as DOCX, XLSX or PDF."""
    if fmt not in CONTENT_TYPES:
        raise Http404("Không có định dạng này.")
    _, unit, period, _, plans = _choice(request)
    if not plans:
        raise Http404("Chưa chọn kế hoạch.")
    try:
        snapshot = report_build(unit=unit, period=period, plans=plans, user=request.user)
        files = report_render(snapshot, unit=unit, pdf=fmt == "pdf")
    except (ReportTemplateError, PdfUnavailableError) as exc:
        messages.error(request, str(exc))
        return redirect(reverse("web:reports") + "?" + request.GET.urlencode())
    name = f"du-thao-bao-cao-{unit.code}-{period.code}"
    return _file_response(getattr(files, fmt), name, fmt)


@login_required
@require_POST
def report_issue_view(request: HttpRequest) -> HttpResponse:
    _, unit, period, _, plans = _choice(request)
    if not can(request.user, "report.issue", unit):
        raise PermissionDenied("Bạn không có quyền ban hành báo cáo của đơn vị này.")
    form = IssueForm(request.POST)
    back = (
        reverse("web:reports")
        + "?"
        + urlencode(
            [("don-vi", unit.code), ("ky", period.code), ("lap", 1)]
            + [("ke-hoach", x.id) for x in plans]
        )
    )
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message)
        return redirect(back)
    current = report_current(unit=unit, period=period_stored_or_unsaved(period))
    try:
        report = report_issue(
            unit=unit,
            period=period,
            plans=plans,
            user=request.user,
            number=form.cleaned_data["number"],
            issued_on=form.cleaned_data["issued_on"],
            signer_name=form.cleaned_data["signer_name"] or None,
            corrects=current if form.cleaned_data["replaces"] else None,
        )
    except (ValidationError, ReportTemplateError) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
        return redirect(back)
    messages.success(request, f"Đã ban hành {report} và vào sổ đăng ký.")
    return redirect(back)


@login_required
def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A file of a report in the register, exactly as issued."""
    report = get_object_or_404(reports_visible_to(user=request.user), pk=pk)
    if fmt not in CONTENT_TYPES:
        raise Http404("Không có định dạng này.")
    try:
        content = report_file_content(report, fmt)
    except PdfUnavailableError as exc:
        messages.error(request, str(exc))
        return redirect("web:reports")
    if content is None:
        raise Http404("Báo cáo không có tệp này.")
    name = f"bao-cao-{report.symbol or report.pk}".replace("/", "-")
    return _file_response(bytes(content), name, fmt)
