"""Producing, issuing and re-rendering reports.

A draft is computed from the data every time. Issuing freezes it: the snapshot of every
number and row and the rendered files are stored with the register entry and never change
again; a correction is a new report that refers to the one it corrects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from theodoi.documents.models import Document
from theodoi.domain.periods import Period as DomainPeriod
from theodoi.domain.register import issue_date_problem
from theodoi.history import save_tracked
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Plan
from theodoi.progress.selectors.entry import period_stored_or_unsaved
from theodoi.progress.services.periods import period_ensure
from theodoi.reports.content import build_snapshot
from theodoi.reports.models import (
    Report,
    ReportKind,
    ReportProfile,
    ReportState,
    ReportTemplate,
    default_motto,
)
from theodoi.reports.outlines import DEFAULT_OUTLINE, outline_for, outline_spec
from theodoi.reports.render import render_docx, render_pdf, render_xlsx


@dataclass
class RenderedReport:
    snapshot: dict[str, Any]
    docx: bytes
    xlsx: bytes
    pdf: bytes | None = None


def report_profiles(unit: OrgUnit) -> list[ReportProfile]:
    """The bodies the unit issues reports under (UBND, its steering committee, …)."""
    return list(ReportProfile.objects.filter(org_unit=unit).select_related("issuing_unit"))


def report_profile(unit: OrgUnit, code: str | None = None) -> dict[str, Any]:
    """How a report of ``unit`` is headed and signed when the body ``code`` issues it (its
    first profile by default), with sensible defaults from the unit's name when it has none;
    and the house style of its numbers."""
    profiles = report_profiles(unit)
    profile = next((p for p in profiles if p.code == code), None) if code else None
    profile = profile or (profiles[0] if profiles else None)
    if profile is None:
        issuer_name = (
            f"Ủy ban nhân dân {unit.name[0].lower()}{unit.name[1:]}"
            if unit.kind in ("special_zone", "commune")
            else unit.name
        )
        return {
            "code": "ubnd",
            "name": "Ủy ban nhân dân",
            "parent_body": unit.parent.name if unit.parent else "",
            "issuer_lines": [unit.name],
            "issuer_name": issuer_name,
            "place": unit.name,
            "symbol_suffix": "BC-UBND",
            "signing_lines": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
            "signer_name": "",
            "recipients": [],
            "archive_line": "Lưu: VT.",
            "motto_lines": default_motto(),
            "style": {"share_places": 1, "zero_word": "Không", "pad_counts": True},
            "leader_review": False,
        }
    issuer = profile.issuing_unit or unit
    if issuer.kind in ("special_zone", "commune"):
        issuer_name = f"Ủy ban nhân dân {issuer.name[0].lower()}{issuer.name[1:]}"
    else:
        issuer_name = issuer.name
    return {
        "code": profile.code,
        "name": profile.name,
        "parent_body": profile.parent_body,
        "issuer_lines": list(profile.issuer_lines),
        "issuer_name": issuer_name,
        "place": profile.place,
        "symbol_suffix": profile.symbol_suffix,
        "signing_lines": list(profile.signing_lines),
        "signer_name": profile.signer_name,
        "recipients": list(profile.recipients),
        "archive_line": profile.archive_line,
        "motto_lines": list(profile.motto_lines),
        "style": {
            "share_places": profile.share_places,
            "zero_word": profile.zero_word,
            "pad_counts": profile.pad_counts,
        },
        "leader_review": profile.leader_review,
    }


def template_for(unit: OrgUnit) -> tuple[bytes | None, str]:
    """The unit's own active template, or the nearest ancestor's, else the default."""
    for ancestor_code in reversed([c for c in unit.path.split("/") if c]):
        template = ReportTemplate.objects.filter(
            org_unit__code=ancestor_code, is_active=True
        ).first()
        if template is not None:
            return bytes(template.content), template.name
    return None, "mẫu mặc định"


def report_render(
    snapshot: dict[str, Any],
    *,
    unit: OrgUnit,
    pdf: bool = False,
    template: bytes | None = None,
    template_name: str | None = None,
) -> RenderedReport:
    """Render a snapshot to its files, with the unit's template unless one is given."""
    if template is None:
        template, default_name = template_for(unit)
        template_name = template_name or default_name
    docx = render_docx(snapshot, template, template_name or "mẫu mặc định")
    return RenderedReport(snapshot, docx, render_xlsx(snapshot), render_pdf(docx) if pdf else None)


def report_build(
    *,
    unit: OrgUnit,
    period: DomainPeriod,
    plans: list[Plan],
    user: Any | None,
    as_of: dt.date | None = None,
    report_date: dt.date | None = None,
    number: int | None = None,
    signer_name: str | None = None,
    recipients: list[str] | None = None,
    outline: str | None = None,
    profile_code: str | None = None,
    request_document: Document | None = None,
    use_edits: bool = True,
) -> dict[str, Any]:
    """The snapshot of a report computed from the data now, by the outline of kind
    ``outline`` closest to the unit (the default when None), issued by the body
    ``profile_code`` (the outline's default body when None)."""
    spec = outline_spec(outline_for(unit, outline), outline)
    profile = report_profile(unit, profile_code or spec["profile"])
    if signer_name:
        profile["signer_name"] = signer_name
    # Who receives it: as given, else as the kind of report says (an inspection report goes
    # to the inspection team), else the issuing body's usual list.
    profile["recipients"] = list(recipients or spec["recipients"] or profile["recipients"])
    return build_snapshot(
        unit=unit,
        period=period,
        plans=plans,
        as_of=as_of,
        report_date=report_date,
        number=number,
        profile=profile,
        user=user,
        outline=spec,
        request_document=request_document,
        use_edits=use_edits,
    )


@transaction.atomic
def report_issue(
    *,
    unit: OrgUnit,
    period: DomainPeriod,
    plans: list[Plan],
    user: Any,
    number: int,
    issued_on: dt.date,
    as_of: dt.date | None = None,
    signer_name: str | None = None,
    recipients: list[str] | None = None,
    corrects: Report | None = None,
    outline: str | None = None,
    profile_code: str | None = None,
    request_document: Document | None = None,
    pdf: bool = False,
) -> Report:
    """Issue a report: freeze its snapshot and files under its number in the register.

    One issued report per unit, period and kind (the outline's code: the periodic report,
    the year's digital-transformation report …): when one is already issued for the period,
    this one must replace it (``corrects``, the current one of the period), and the register
    then shows both, the earlier as replaced. The issue date is a real date: not before the
    period ends (or the date its figures run to), not in the future, not long ago
    (:func:`domain.register.issue_date_problem`).
    """
    stored_period = period_stored_or_unsaved(period)
    problem = issue_date_problem(
        issued_on=issued_on,
        period_start=period.start,
        period_end=period.end,
        today=timezone.localdate(),
        as_of=as_of,
    )
    if problem:
        raise ValidationError({"issued_on": [problem]})
    kind = outline or DEFAULT_OUTLINE
    current = report_current(unit=unit, period=stored_period, kind=kind)
    if corrects is not None:
        if not corrects.is_issued:
            raise ValidationError("Chỉ thay thế được báo cáo đã ban hành.")
        if current is None or corrects.pk != current.pk:
            shown = f"Báo cáo số {current.symbol}" if current else "chưa có báo cáo nào"
            raise ValidationError(
                {
                    "corrects": [
                        f"Báo cáo thay thế phải thay báo cáo hiện hành của kỳ {period.label} "
                        f"({shown}), không phải {corrects}."
                    ]
                }
            )
    elif current is not None:
        raise ValidationError(
            {
                "corrects": [
                    f"Kỳ {period.label} của {unit.name} đã có {current} ban hành. Một báo cáo "
                    "khác cho cùng kỳ phải là báo cáo thay thế: chọn thay thế "
                    f"Báo cáo số {current.symbol}."
                ]
            }
        )
    snapshot = report_build(
        unit=unit,
        period=period,
        plans=plans,
        user=user,
        as_of=as_of,
        report_date=issued_on,
        number=number,
        signer_name=signer_name,
        recipients=recipients,
        outline=kind,
        profile_code=profile_code,
        request_document=request_document,
    )
    if snapshot["profile"].get("leader_review"):
        from theodoi.reports.services.drafts import draft_agreement

        agreed = draft_agreement(unit=unit, period_code=period.code, kind=kind, snapshot=snapshot)
        if agreed is None:
            raise ValidationError(
                f"{snapshot['profile']['name']} cần lãnh đạo đồng ý ban hành trước: lãnh đạo "
                "chưa đồng ý bản dự thảo này (hoặc dự thảo đã sửa sau khi lãnh đạo đồng ý)."
            )
        snapshot["leader_agreed"] = {
            "by": agreed.by.get_username() if agreed.by else "",
            "at": agreed.at.isoformat(),
        }
    if corrects is not None:
        snapshot["corrects"] = corrects.symbol
        snapshot["sections"][0]["blocks"][0]["paragraphs"].insert(
            0,
            f"Báo cáo này thay thế Báo cáo số {corrects.symbol} ngày "
            f"{corrects.issued_on:%d/%m/%Y}.",
        )
    files = report_render(snapshot, unit=unit, pdf=pdf)
    # The office edited the draft in Word and uploaded it back: that file is what is issued.
    from theodoi.reports.models import DraftUpload

    upload = DraftUpload.objects.filter(org_unit=unit, period_code=period.code, kind=kind).first()
    if upload is not None:
        files.docx = bytes(upload.content)
        files.pdf = render_pdf(files.docx) if pdf else None
        snapshot["word_upload"] = {
            "filename": upload.filename,
            "sha256": upload.sha256,
            "typed_numbers": list(upload.typed_numbers),
            "uploaded_by": upload.uploaded_by.get_username() if upload.uploaded_by else "",
            "uploaded_at": upload.uploaded_at.isoformat(),
        }
    report = Report(
        org_unit=unit,
        period=period_ensure(period=period, user=user, reason="Ban hành báo cáo"),
        as_of=dt.date.fromisoformat(snapshot["as_of"]),
        plan_symbols=[p.document.symbol for p in plans],
        kind=kind,
        request_document=request_document,
        state=ReportState.ISSUED,
        number=number,
        symbol=snapshot["symbol"],
        issued_on=issued_on,
        register_year=issued_on.year,
        signer_name=snapshot["profile"]["signer_name"],
        recipients=snapshot["profile"]["recipients"],
        snapshot=snapshot,
        docx=files.docx,
        xlsx=files.xlsx,
        pdf=files.pdf,
        corrects=corrects,
        created_by=user,
    )
    if Report.objects.filter(
        org_unit=unit, register_year=issued_on.year, symbol=report.symbol, state=ReportState.ISSUED
    ).exists():
        raise ValidationError(
            {
                "number": [
                    f"Số, ký hiệu {report.symbol} đã dùng cho một báo cáo khác của {unit.name} "
                    f"trong năm {issued_on.year}."
                ]
            }
        )
    try:
        with transaction.atomic():
            save_tracked(report, user=user, reason="Ban hành báo cáo")
    except IntegrityError:  # another issue of the same period or number came first
        raise ValidationError(
            f"Không ban hành được báo cáo số {report.symbol}: số hoặc kỳ vừa được dùng cho "
            "một báo cáo khác. Hãy tải lại trang rồi thử lại."
        ) from None
    return report


def report_kinds(kind: str) -> list[str]:
    """The stored kinds a report of outline ``kind`` may have: reports issued before outlines
    existed are of kind "periodic", the default outline's."""
    return [kind, ReportKind.PERIODIC] if kind == DEFAULT_OUTLINE else [kind]


def report_current(*, unit: OrgUnit, period: Any, kind: str = DEFAULT_OUTLINE) -> Report | None:
    """The issued report of the unit's period and kind that is in force: the last of its
    chain of replacements (None when none was issued)."""
    if period.pk is None:
        return None
    return (
        Report.objects.filter(
            org_unit=unit,
            period=period,
            kind__in=report_kinds(kind),
            state=ReportState.ISSUED,
            corrections=None,
        )
        .order_by("-issued_on", "-id")
        .first()
    )


def report_rerender(report: Report, *, pdf: bool = False) -> RenderedReport:
    """Render an issued report again from its frozen snapshot (same content as issued)."""
    if not report.is_issued or report.snapshot is None:
        raise ValidationError("Chỉ báo cáo đã ban hành mới có nội dung đã chốt.")
    return report_render(report.snapshot, unit=report.org_unit, pdf=pdf)


def report_file_content(report: Any, fmt: str) -> bytes | None:
    """The bytes of an issued report's file in ``fmt`` (docx, xlsx, pdf) exactly as issued;
    a PDF not stored at issue time is made from the issued DOCX. None when there is no such
    file; ``PdfUnavailableError`` when a PDF cannot be made on this machine."""
    content = getattr(report, fmt, None)
    if content is None and fmt == "pdf" and report.docx is not None:
        content = render_pdf(bytes(report.docx))
    return bytes(content) if content is not None else None


MAX_SCAN_BYTES = 30 * 1024 * 1024  # a scan of a 40-page report at 300 dpi stays well under
MAX_SCAN_PAGES = 500


@transaction.atomic
def report_signed_scan_add(*, report: Report, content: bytes, filename: str, user: Any) -> Any:
    """Keep the scan of the signed and stamped report beside its register entry: only for
    an issued report, only once, only a PDF that opens; by whoever may issue the unit's
    reports."""
    import hashlib
    from io import BytesIO

    from django.core.exceptions import PermissionDenied
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from theodoi.orgs.permissions import can
    from theodoi.reports.models import SignedScan

    if not can(user, "report.issue", report.org_unit):
        raise PermissionDenied(f"Bạn không có quyền lưu bản ký báo cáo của {report.org_unit.name}.")
    if not report.is_issued:
        raise ValidationError("Chỉ lưu bản ký của báo cáo đã ban hành.")
    if SignedScan.objects.filter(report=report).exists():
        raise ValidationError(f"{report} đã có bản ký; bản ký được giữ nguyên như khi tải lên.")
    name = " ".join((filename or "").split())[:255] or "ban-ky.pdf"
    if len(content) > MAX_SCAN_BYTES:
        raise ValidationError(
            f"Tệp “{name}” lớn quá {MAX_SCAN_BYTES // (1024 * 1024)} MB; hãy quét ở 200–300 dpi."
        )
    if not content.startswith(b"%PDF-"):
        raise ValidationError(f"Tệp “{name}” không phải PDF: hãy tải lên bản quét dạng PDF.")
    try:
        pages = len(PdfReader(BytesIO(content), strict=False).pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise ValidationError(f"Tệp “{name}” là PDF hỏng, không mở được.") from None
    if not 0 < pages <= MAX_SCAN_PAGES:
        raise ValidationError(
            f"Tệp “{name}” có {pages} trang; bản quét cần 1–{MAX_SCAN_PAGES} trang."
        )
    scan = SignedScan.objects.create(
        report=report,
        content=content,
        filename=name,
        sha256=hashlib.sha256(content).hexdigest(),
        pages=pages,
        uploaded_by=user,
    )
    return scan
