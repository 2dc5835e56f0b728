"""Excel in the browser: download templates and lists, and import a filled workbook in two
steps (preview, then confirm), with the same checks as `theodoi import`."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from theodoi.domain import periods as p
from theodoi.exchange.excel.importer import import_workbook
from theodoi.exchange.excel.reader import WorkbookError
from theodoi.exchange.excel.writer import (
    plan_export,
    progress_template,
    values_template,
    workbook_bytes,
)
from theodoi.orgs.permissions import can
from theodoi.orgs.selectors import units_visible_to
from theodoi.plans.selectors import plans_visible_to

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 10 * 1024 * 1024
SESSION_KEY = "theodoi_import"


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def plan_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as an Excel workbook (tasks, indicators, targets), ready to edit and import."""
    plan = get_object_or_404(plans_visible_to(user=request.user), pk=pk)
    name = f"ke-hoach-{plan.document.symbol}".replace("/", "-")
    return _xlsx(workbook_bytes(plan_export(plan)), f"{name}.xlsx")


@login_required
def entry_workbook(
    request: HttpRequest, unit_code: str, period_code: str, kind: str
) -> HttpResponse:
    """A unit's progress or figures template for a period, prefilled with what it entered."""
    unit = get_object_or_404(units_visible_to(user=request.user), code=unit_code)
    if not can(request.user, "progress.edit", unit):
        raise Http404("Bạn không nhập tiến độ cho đơn vị này.")
    try:
        period = p.parse_period(period_code)
    except p.PeriodError as error:
        raise Http404(str(error)) from None
    if kind == "tien-do":
        export = progress_template(unit, period)
    elif kind == "so-lieu":
        export = values_template(period, unit)
    else:
        raise Http404("Không có mẫu này.")
    return _xlsx(workbook_bytes(export), f"{kind}-{unit.code}-{period.code}.xlsx")


def _upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Step 1: upload and preview (nothing is saved); step 2: confirm."""
    result = None
    if request.method == "POST":
        upload = request.FILES.get("tep")
        if upload is None:
            messages.error(request, "Hãy chọn tệp Excel (.xlsx) để nhập.")
        elif not upload.name.lower().endswith(".xlsx") or upload.size > MAX_BYTES:
            messages.error(request, f"Tệp “{upload.name}” phải là tệp .xlsx, tối đa 10 MB.")
        else:
            token = uuid.uuid4().hex
            path = _upload_dir() / f"{token}.xlsx"
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            accept = bool(request.POST.get("chap-nhan-goi-y"))
            result = _run(request, path, dry_run=True, accept=accept)
            if result is not None and result.ok:
                request.session[SESSION_KEY] = {
                    "token": token,
                    "name": upload.name,
                    "accept": accept,
                }
    return render(request, "web/import.html", {"result": result})


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.pop(SESSION_KEY, None)
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, "Không còn tệp chờ nhập; hãy tải tệp lên và xem trước lại.")
        return redirect("web:import")
    path = _upload_dir() / f"{pending['token']}.xlsx"
    result = _run(request, path, dry_run=False, accept=pending["accept"])
    if result is not None and result.ok:
        messages.success(
            request,
            f"Đã nhập “{pending['name']}”: {result.written} dòng được tạo hoặc cập nhật.",
        )
        return redirect("web:import")
    return render(request, "web/import.html", {"result": result})


def _run(request, path: Path, *, dry_run: bool, accept: bool):
    try:
        return import_workbook(path, user=request.user, dry_run=dry_run, accept_suggestions=accept)
    except WorkbookError as error:
        messages.error(request, str(error))
        return None
