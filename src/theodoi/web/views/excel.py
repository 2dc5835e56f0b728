"""Excel in the browser: download templates and lists, and import a filled workbook in two
steps (preview, then confirm), with the same checks as `theodoi import`."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
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
from theodoi.orgs.models import Membership
from theodoi.orgs.permissions import ACTIONS, can
from theodoi.orgs.selectors import units_visible_to
from theodoi.plans.selectors import plans_visible_to

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 10 * 1024 * 1024  # an upload; the workbook's own limits are in exchange.excel.limits
MULTIPART_OVERHEAD = 64 * 1024  # the form's other fields and the multipart boundaries
# Who may import: whoever may enter or review progress and figures, or manage plans.
IMPORTING_ROLES = ACTIONS["progress.edit"] | ACTIONS["progress.review"] | ACTIONS["data.manage"]
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


def _stored(token: str) -> Path | None:
    """The stored upload of ``token``: a name this view made (hex), never a path sent in."""
    if not token or not all(c in "0123456789abcdef" for c in token):
        return None
    return _upload_dir() / f"{token}.xlsx"


def _forget(token: str) -> None:
    path = _stored(token)
    if path is not None:
        path.unlink(missing_ok=True)


def _ensure_importer(user: Any) -> None:
    """Refuse, before anything of the request is read, a user with no role that may enter
    or review progress or figures, or manage plans, anywhere (an inspector, a leader)."""
    if user.is_superuser:
        return
    if not Membership.objects.filter(user=user, role__in=IMPORTING_ROLES).exists():
        raise PermissionDenied(
            "Bạn không có quyền nhập dữ liệu từ Excel: cần vai trò cán bộ báo cáo, đầu mối "
            "tổng hợp hoặc quản trị ở một đơn vị."
        )


class CappedUpload(FileUploadHandler):
    """Stops reading the request once an uploaded file passes ``limit`` bytes, so that no
    more of it reaches the disk; ``refused`` then holds the file's name."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.refused: str | None = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.refused = self.file_name or ""
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _too_large(name: str) -> str:
    what = f"Tệp “{name}”" if name else "Tệp tải lên"
    return (
        f"{what} lớn hơn {MAX_BYTES // (1024 * 1024)} MB, giới hạn của một tệp tải lên. "
        "Hãy xóa các trang, ô thừa hoặc hình ảnh rồi lưu lại, hoặc chia thành nhiều tệp."
    )


@csrf_exempt  # the upload limit is set before the body is read; CSRF is checked just below
@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Step 1: upload and preview (nothing is saved); step 2: confirm."""
    _ensure_importer(request.user)
    if request.method == "POST":
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # the cap below still applies while the body streams in
        if declared > MAX_BYTES + MULTIPART_OVERHEAD:
            # Refused on the size the browser announces, before a byte of the body is read.
            messages.error(request, _too_large(""))
            return render(request, "web/import.html", {"result": None}, status=413)
        cap = CappedUpload(request, MAX_BYTES)
        request.upload_handlers.insert(0, cap)
        return _import_upload(request, cap)
    return render(request, "web/import.html", {"result": None})


@csrf_protect
def _import_upload(request: HttpRequest, cap: CappedUpload) -> HttpResponse:
    result = None
    upload = request.FILES.get("tep")
    if cap.refused is not None:
        messages.error(request, _too_large(cap.refused))
    elif upload is None:
        messages.error(request, "Hãy chọn tệp Excel (.xlsx) để nhập.")
    elif not upload.name.lower().endswith(".xlsx") or upload.size > MAX_BYTES:
        messages.error(request, f"Tệp “{upload.name}” phải là tệp .xlsx, tối đa 10 MB.")
    else:
        previous = request.session.pop(SESSION_KEY, None)
        if previous:
            _forget(previous.get("token", ""))  # a newer preview replaces it
        token = uuid.uuid4().hex
        path = _stored(token)
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        accept = bool(request.POST.get("chap-nhan-goi-y"))
        result = _run(request, path, name=upload.name, dry_run=True, accept=accept)
        if result is not None and result.ok:
            request.session[SESSION_KEY] = {"token": token, "name": upload.name, "accept": accept}
        else:
            path.unlink(missing_ok=True)  # refused: nothing of it is kept
    return render(request, "web/import.html", {"result": result})


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    _ensure_importer(request.user)
    pending = request.session.pop(SESSION_KEY, None)
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, "Không còn tệp chờ nhập; hãy tải tệp lên và xem trước lại.")
        return redirect("web:import")
    path = _stored(pending["token"])
    if path is None or not path.is_file():
        messages.error(request, "Không còn tệp chờ nhập; hãy tải tệp lên và xem trước lại.")
        return redirect("web:import")
    try:
        result = _run(request, path, name=pending["name"], dry_run=False, accept=pending["accept"])
    finally:
        path.unlink(missing_ok=True)  # imported or refused, the upload has served
    if result is not None and result.ok:
        messages.success(
            request,
            f"Đã nhập “{pending['name']}”: {result.written} dòng được tạo hoặc cập nhật.",
        )
        return redirect("web:import")
    return render(request, "web/import.html", {"result": result})


def _run(request, path: Path, *, name: str, dry_run: bool, accept: bool):
    try:
        return import_workbook(
            path, user=request.user, dry_run=dry_run, accept_suggestions=accept, name=name
        )
    except WorkbookError as error:
        messages.error(request, str(error))
        return None
