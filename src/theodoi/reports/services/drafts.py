"""The coordinator's edits of the period's report, section by section.

A section edited in the browser replaces the generated one in the draft, and what is issued is
what was edited (:func:`theodoi.reports.content.build_snapshot` applies the edits; issuing
freezes the result). Each save names the version it started from: a save from an older version
is refused with who saved in between and when, so two people editing one section are told, never
silently overwritten. A section the data says nothing about reads the previous issued report's
text for it, marked as carried forward, until someone saves it
(:func:`theodoi.reports.content.build_snapshot`; nothing is stored by reading).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from theodoi.domain.richtext import RichTextError, clean
from theodoi.history import save_tracked
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import can
from theodoi.reports.models import DraftReview, DraftSection, DraftUpload


def _may_edit(user: Any, unit: OrgUnit) -> None:
    if not can(user, "report.issue", unit):
        raise PermissionDenied(
            f"Bạn không có quyền sửa dự thảo báo cáo của {unit.name} (cần vai trò đầu mối "
            "tổng hợp)."
        )


@transaction.atomic
def draft_section_save(
    *,
    unit: OrgUnit,
    period_code: str,
    kind: str,
    position: int,
    heading: str,
    html: str,
    base_version: int,
    user: Any,
) -> DraftSection:
    """Save the edited text of section ``position``; ``base_version`` is the version the
    editor opened (0 for the generated text)."""
    _may_edit(user, unit)
    try:
        text = clean(html)
    except RichTextError as exc:
        raise ValidationError(str(exc)) from None
    section = (
        DraftSection.objects.select_for_update(of=("self",))
        .filter(org_unit=unit, period_code=period_code, kind=kind, position=position)
        .select_related("updated_by")
        .first()
    )
    current = section.version if section is not None else 0
    if current != base_version:
        who = section.updated_by.get_username() if section and section.updated_by else "người khác"
        when = (
            timezone.localtime(section.updated_at).strftime("%H:%M ngày %d/%m/%Y")
            if section
            else ""
        )
        raise ValidationError(
            f"Mục “{heading}” vừa được {who} lưu lúc {when} (phiên bản {current}) sau khi bạn mở "
            "ra: bản của bạn chưa được lưu để không ghi đè. Hãy tải lại mục, so sánh rồi sửa "
            "tiếp.",
            code="conflict",
        )
    if section is None:
        section = DraftSection(
            org_unit=unit, period_code=period_code, kind=kind, position=position, version=0
        )
    section.heading = heading[:255]
    section.html = text
    section.carried = False
    section.version = current + 1
    section.updated_by = user
    save_tracked(section, user=user, reason=f"Sửa mục “{heading}” của dự thảo")
    return section


@transaction.atomic
def draft_section_reset(
    *, unit: OrgUnit, period_code: str, kind: str, position: int, user: Any
) -> None:
    """Drop the edit of a section: the draft shows the generated text again (the history
    keeps the edit)."""
    _may_edit(user, unit)
    for section in DraftSection.objects.filter(
        org_unit=unit, period_code=period_code, kind=kind, position=position
    ):
        section._history_user = user  # type: ignore[attr-defined]
        section._change_reason = "Bỏ bản sửa, dùng lại nội dung lập từ dữ liệu"  # type: ignore[attr-defined]
        section.delete()


MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@transaction.atomic
def draft_upload_add(
    *,
    unit: OrgUnit,
    period_code: str,
    kind: str,
    content: bytes,
    filename: str,
    draft: dict[str, Any],
    user: Any,
) -> DraftUpload:
    """Take back the draft the office edited in Word, to be issued as it is. The file must be
    a Word document that opens (read with the bounded reader of theodoi.filetext); the numbers it
    writes that the draft's data did not give are kept to be shown before issuing."""
    import hashlib
    import tempfile
    from pathlib import Path

    from theodoi.domain.richtext import typed_numbers
    from theodoi.filetext import UnreadableFile, read_text

    _may_edit(user, unit)
    name = " ".join((filename or "").split())[:255] or "du-thao.docx"
    if not name.lower().endswith(".docx"):
        raise ValidationError(f"Tệp “{name}” không phải tệp Word .docx.")
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationError(f"Tệp “{name}” lớn quá {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "du-thao.docx"
        path.write_bytes(content)
        try:
            text = read_text(path)
        except UnreadableFile as exc:
            raise ValidationError(str(exc).replace("du-thao.docx", name)) from None
    generated = [
        p for s in draft["sections"] for b in s["blocks"] for p in [b["heading"], *b["paragraphs"]]
    ]
    generated += [draft.get("subject", ""), draft.get("intro", "")]
    for row in draft.get("task_rows", []) + draft.get("indicator_rows", []):
        generated += [str(v) for v in row.values()]
    DraftUpload.objects.filter(org_unit=unit, period_code=period_code, kind=kind).delete()
    upload = DraftUpload(
        org_unit=unit,
        period_code=period_code,
        kind=kind,
        content=content,
        filename=name,
        sha256=hashlib.sha256(content).hexdigest(),
        typed_numbers=typed_numbers(text.splitlines(), generated),
        uploaded_by=user,
    )
    save_tracked(upload, user=user, reason="Tải lên dự thảo sửa bằng Word")
    return upload


@transaction.atomic
def draft_upload_remove(*, unit: OrgUnit, period_code: str, kind: str, user: Any) -> None:
    """Drop the uploaded Word draft: the report is issued from the draft in the app again."""
    _may_edit(user, unit)
    for upload in DraftUpload.objects.filter(org_unit=unit, period_code=period_code, kind=kind):
        upload._history_user = user  # type: ignore[attr-defined]
        upload._change_reason = "Bỏ dự thảo Word đã tải lên"  # type: ignore[attr-defined]
        upload.delete()


def draft_fingerprint(snapshot: dict[str, Any], upload_sha: str = "") -> str:
    """A short mark of the draft's text as it would be issued (sections, and the Word file
    uploaded, if any): an agreement to issue is for that text only."""
    import hashlib
    import json

    text = [
        [s.get("title", ""), [[b.get("heading", ""), b.get("paragraphs", [])] for b in s["blocks"]]]
        for s in snapshot.get("sections", [])
    ]
    data = json.dumps([snapshot.get("subject", ""), text, upload_sha], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _may_review(user: Any, unit: OrgUnit) -> None:
    if not can(user, "report.review", unit):
        raise PermissionDenied(
            f"Chỉ lãnh đạo của {unit.name} cho ý kiến và đồng ý ban hành dự thảo báo cáo."
        )


def _upload_sha(unit: OrgUnit, period_code: str, kind: str) -> str:
    upload = (
        DraftUpload.objects.filter(org_unit=unit, period_code=period_code, kind=kind)
        .only("sha256")
        .first()
    )
    return upload.sha256 if upload else ""


@transaction.atomic
def draft_review_add(
    *,
    unit: OrgUnit,
    period_code: str,
    kind: str,
    snapshot: dict[str, Any],
    user: Any,
    agree: bool,
    position: int | None = None,
    text: str = "",
) -> DraftReview:
    """A leader's comment on a section, or agreement to issue the draft as it stands."""
    _may_review(user, unit)
    text = " ".join(text.split())
    if not agree and not text:
        raise ValidationError("Hãy viết ý kiến.")
    if len(text) > 4000:
        raise ValidationError("Ý kiến dài quá 4.000 ký tự.")
    review = DraftReview(
        org_unit=unit,
        period_code=period_code,
        kind=kind,
        action=DraftReview.Kind.AGREE if agree else DraftReview.Kind.COMMENT,
        position=position,
        text=text,
        fingerprint=draft_fingerprint(snapshot, _upload_sha(unit, period_code, kind)),
        by=user,
    )
    save_tracked(review, user=user, reason=review.get_action_display())
    return review


def draft_agreement(
    *, unit: OrgUnit, period_code: str, kind: str, snapshot: dict[str, Any]
) -> DraftReview | None:
    """The leader's agreement to issue this very draft (None when there is none, or the
    draft changed since)."""
    mark = draft_fingerprint(snapshot, _upload_sha(unit, period_code, kind))
    return (
        DraftReview.objects.filter(
            org_unit=unit,
            period_code=period_code,
            kind=kind,
            action=DraftReview.Kind.AGREE,
            fingerprint=mark,
        )
        .select_related("by")
        .first()
    )
