"""The unit's own text for its fields of the period's report, saved from its progress
page (see :mod:`theodoi.reports.services.contributions`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from theodoi.reports.services.contributions import contribution_save
from theodoi.web.views.progress import _require, _unit_and_period


@login_required
@require_POST
def progress_contribution(
    request: HttpRequest, unit_code: str, period_code: str, field: str
) -> HttpResponse:
    """Save the unit's text for one field of the period's report."""
    unit, period = _unit_and_period(request, unit_code, period_code, store=True)
    _require(request.user, "progress.edit", unit)
    if period.pk is None:
        raise Http404(f"Chưa có báo cáo tiến độ {period.label} của {unit.name}.")
    try:
        contribution_save(
            unit=unit,
            period=period,
            field=field,
            html=request.POST.get("noi-dung", ""),
            user=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Đã lưu nội dung báo cáo của lĩnh vực.")
    return redirect(
        reverse("web:progress_unit", args=[unit.code, period.code]) + f"#noi-dung-{field}"
    )
