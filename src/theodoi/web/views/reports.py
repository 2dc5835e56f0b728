"""The reports page: generate a period report, download it, issue it, read the register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from theodoi.documents.models import Document
from theodoi.documents.selectors import documents_visible_to
from theodoi.domain import periods as p
from theodoi.domain.formatting import FormatError, format_date, parse_date
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import can, people_who_can
from theodoi.orgs.selectors import units_visible_to
from theodoi.plans.selectors import plans_for_unit
from theodoi.progress.selectors.entry import period_stored_or_unsaved
from theodoi.reports.outlines import DEFAULT_OUTLINE, outline_choices
from theodoi.reports.render import PdfUnavailableError, ReportTemplateError
from theodoi.reports.selectors import issue_checklist, register_rows, reports_visible_to
from theodoi.reports.services import (
    MAX_SCAN_BYTES,
    report_build,
    report_current,
    report_file_content,
    report_issue,
    report_profile,
    report_profiles,
    report_render,
    report_signed_scan_add,
)
from theodoi.search.index import search_index_refresh
from theodoi.web.forms import IssueForm
from theodoi.web.views.common import default_period, home_unit, period_choices

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@dataclass
class Choice:
    """What the page was asked for: unit, period (a reporting period, or a range of dates
    with the date figures run to), plans, the kind of report (outline), the body that
    issues it and the document it answers; ``errors`` says in Vietnamese what could not be
    read (the report is then not built)."""

    units: list[OrgUnit]
    unit: OrgUnit
    period: p.Period
    available: list[Any]
    plans: list[Any]
    outlines: list[Any]
    outline: str
    profiles: list[Any]
    profile: str
    request_symbol: str = ""
    request_document: Document | None = None
    as_of: dt.date | None = None
    start: str = ""
    end: str = ""
    errors: list[str] = field(default_factory=list)

    def query(self, **extra: Any) -> str:
        pairs: list[tuple[str, Any]] = [("don-vi", self.unit.code), ("ky", self.period.code)]
        pairs += [("loai", self.outline), ("co-quan", self.profile)]
        if self.request_symbol:
            pairs.append(("can-cu", self.request_symbol))
        if self.as_of and self.as_of != self.period.end:
            pairs.append(("tinh-den", format_date(self.as_of)))
        pairs += [("ke-hoach", x.id) for x in self.plans]
        pairs += list(extra.items())
        return urlencode(pairs)

    def build_args(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "period": self.period,
            "plans": self.plans,
            "as_of": self.as_of,
            "outline": self.outline,
            "profile_code": self.profile,
            "request_document": self.request_document,
        }


def _date(text: str, label: str, errors: list[str]) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return parse_date(text.strip())
    except FormatError as exc:
        errors.append(f"{label}: {exc}")
        return None


def report_choice(request: HttpRequest) -> Choice:
    """The unit, period, plans, kind, issuer and basis picked on the page (GET or POST)."""
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
    errors: list[str] = []
    period = default_period()
    if data.get("ky"):
        try:
            period = p.parse_period(data["ky"])
        except p.PeriodError:
            raise Http404(f"Không có kỳ báo cáo “{data['ky']}”.") from None
    start_text, end_text = data.get("tu-ngay", ""), data.get("den-ngay", "")
    start = _date(start_text, "Từ ngày", errors)
    end = _date(end_text, "Đến ngày", errors)
    if start_text.strip() or end_text.strip():
        if start and end:
            try:
                period = p.parse_period(f"{format_date(start)}..{format_date(end)}")
            except p.PeriodError as exc:
                errors.append(str(exc))
        elif not errors:
            errors.append("Báo cáo theo khoảng ngày cần cả “Từ ngày” và “Đến ngày”.")
    as_of = _date(data.get("tinh-den", ""), "Số liệu tính đến ngày", errors)
    if as_of and not period.start <= as_of <= period.end:
        errors.append(
            f"Số liệu tính đến ngày {format_date(as_of)} phải nằm trong {period.label[:1].lower()}"
            f"{period.label[1:]} ({format_date(period.start)}–{format_date(period.end)})."
        )
        as_of = None
    available = plans_for_unit(unit=unit, user=request.user)
    wanted = data.getlist("ke-hoach")
    plans = [x for x in available if str(x.id) in wanted] if wanted else available
    outlines = outline_choices(unit)
    outline = data.get("loai") or DEFAULT_OUTLINE
    if outline not in {o.code for o in outlines}:
        raise Http404(f"Không có loại báo cáo “{outline}”.")
    chosen = next(o for o in outlines if o.code == outline)
    profiles = report_profiles(unit)
    profile = data.get("co-quan") or chosen.profile_code
    if profiles and profile not in {x.code for x in profiles}:
        raise Http404(f"Không có cơ quan ban hành “{profile}” của {unit.name}.")
    symbol = " ".join((data.get("can-cu") or "").split())
    document = None
    if symbol:
        document = documents_visible_to(user=request.user).filter(symbol__iexact=symbol).first()
        if document is None:
            errors.append(
                f"Không có văn bản số, ký hiệu “{symbol}” trong hệ thống: hãy nhập đúng như "
                "văn bản ghi (ví dụ 4157/SKHCN-CNTT) hoặc thêm văn bản trước."
            )
    return Choice(
        units=units,
        unit=unit,
        period=period,
        available=available,
        plans=plans,
        outlines=outlines,
        outline=outline,
        profiles=profiles,
        profile=profile,
        request_symbol=symbol,
        request_document=document,
        as_of=as_of,
        start=start_text.strip(),
        end=end_text.strip(),
        errors=errors,
    )


def _register_only(request: HttpRequest) -> HttpResponse | None:
    """For those who read but do not make reports (the inspector): the register of issued
    reports of the units they see, with the issued files; None for those who make them."""
    visible = list(units_visible_to(user=request.user).order_by("path"))
    if any(can(request.user, "report.generate", u) for u in visible):
        return None
    if not visible:
        raise PermissionDenied("Bạn không có quyền xem báo cáo.")
    home = home_unit(request.user)
    code = request.GET.get("don-vi") or ""
    unit = next((u for u in visible if u.code == code), None)
    if code and unit is None:
        raise Http404(f"Không có đơn vị “{code}” trong phạm vi bạn được xem.")
    unit = unit or (home if home in visible else visible[0])
    return render(
        request,
        "web/report_register.html",
        {"unit": unit, "units": visible, "register": register_rows(user=request.user, unit=unit)},
    )


@login_required
def report_page(request: HttpRequest) -> HttpResponse:
    readonly = _register_only(request)
    if readonly is not None:
        return readonly
    choice = report_choice(request)
    unit, period = choice.unit, choice.period
    snapshot = None
    error = " ".join(choice.errors) or None
    if request.GET.get("lap") and choice.plans and not choice.errors:
        try:
            snapshot = report_build(user=request.user, **choice.build_args())
        except ValidationError as exc:
            error = " ".join(exc.messages)
    profile = report_profile(unit, choice.profile if choice.profiles else None)
    current = report_current(
        unit=unit, period=period_stored_or_unsaved(period), kind=choice.outline
    )
    checklist = (
        issue_checklist(
            snapshot=snapshot,
            unit=unit,
            plans=choice.plans,
            period=period,
            current=current,
            user=request.user,
        )
        if snapshot
        else []
    )
    edited = [s for s in snapshot["sections"] if s.get("edit")] if snapshot else []
    return render(
        request,
        "web/reports.html",
        {
            "choice": choice,
            "units": choice.units,
            "unit": unit,
            "period": period,
            "periods": period_choices(),
            "available": choice.available,
            "plans": choice.plans,
            "snapshot": snapshot,
            "error": error,
            "query": choice.query(),
            "can_issue": can(request.user, "report.issue", unit),
            "issue_form": IssueForm(initial={"signer_name": profile.get("signer_name", "")}),
            "signers": [
                u.get_full_name()
                for u in people_who_can("progress.approve", unit)
                if u.get_full_name()
            ],
            "current": current,
            "checklist": checklist,
            "edited": edited,
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
    choice = report_choice(request)
    unit, period = choice.unit, choice.period
    if not choice.plans:
        raise Http404("Chưa chọn kế hoạch.")
    if choice.errors:
        for message in choice.errors:
            messages.error(request, message)
        return redirect(reverse("web:reports") + "?" + request.GET.urlencode())
    try:
        snapshot = report_build(user=request.user, **choice.build_args())
        files = report_render(snapshot, unit=unit, pdf=fmt == "pdf")
    except (ReportTemplateError, PdfUnavailableError) as exc:
        messages.error(request, str(exc))
        return redirect(reverse("web:reports") + "?" + request.GET.urlencode())
    name = f"du-thao-bao-cao-{unit.code}-{period.code}"
    return _file_response(getattr(files, fmt), name, fmt)


@login_required
@require_POST
def report_issue_view(request: HttpRequest) -> HttpResponse:
    choice = report_choice(request)
    unit, period = choice.unit, choice.period
    if not can(request.user, "report.issue", unit):
        raise PermissionDenied("Bạn không có quyền ban hành báo cáo của đơn vị này.")
    form = IssueForm(request.POST)
    back = reverse("web:reports") + "?" + choice.query(lap=1)
    if choice.errors:
        for message in choice.errors:
            messages.error(request, message)
        return redirect(back)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message)
        return redirect(back)
    current = report_current(
        unit=unit, period=period_stored_or_unsaved(period), kind=choice.outline
    )
    try:
        report = report_issue(
            user=request.user,
            **choice.build_args(),
            number=form.cleaned_data["number"],
            issued_on=form.cleaned_data["issued_on"],
            signer_name=form.cleaned_data["signer_name"] or None,
            corrects=current if form.cleaned_data["replaces"] else None,
        )
    except (ValidationError, ReportTemplateError) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
        return redirect(back)
    search_index_refresh(reports=[report])  # found by search from now on
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


@login_required
@require_POST
def report_scan_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep the scan of the signed report beside its register entry."""
    report = get_object_or_404(reports_visible_to(user=request.user), pk=pk)
    upload = request.FILES.get("ban-ky")
    if upload is None:
        messages.error(request, "Hãy chọn tệp PDF bản quét báo cáo đã ký.")
    elif upload.size > MAX_SCAN_BYTES:
        messages.error(
            request,
            f"Tệp “{upload.name}” lớn quá {MAX_SCAN_BYTES // (1024 * 1024)} MB; hãy quét ở "
            "200–300 dpi.",
        )
    else:
        try:
            report_signed_scan_add(
                report=report, content=upload.read(), filename=upload.name, user=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Đã lưu bản ký của {report}.")
    return redirect(reverse("web:reports") + f"?don-vi={report.org_unit.code}#so-dang-ky")


@login_required
def report_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed scan, as uploaded."""
    from theodoi.reports.models import SignedScan

    report = get_object_or_404(reports_visible_to(user=request.user), pk=pk)
    scan = SignedScan.objects.filter(report=report).first()
    if scan is None:
        raise Http404("Báo cáo chưa có bản ký.")
    name = f"ban-ky-{report.symbol or report.pk}".replace("/", "-")
    return _file_response(bytes(scan.content), name, "pdf")
