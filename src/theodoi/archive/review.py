"""Review before it counts: figures extracted from a document wait in a queue until a reviewer
accepts them (they become data values quoting the document, line and text) or rejects them.

``user=None`` stands for the local operator at the command line, as elsewhere: no permission
check, and the change is recorded under the data-loading account.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from theodoi.archive.models import ExtractedFigure, FigureStatus
from theodoi.documents.models import Document
from theodoi.domain import extraction
from theodoi.history import data_user, save_tracked, upsert
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import ensure_can
from theodoi.progress.models import DataElement, DataValue
from theodoi.progress.services.locks import ensure_unlocked
from theodoi.progress.services.periods import period_for_stated_figure
from theodoi.progress.services.values import ValueWrite, data_values_write, value_problems_of

FOUR_PLACES = Decimal("0.0001")
BREAKDOWN_MAX = DataValue._meta.get_field("breakdown").max_length


def _ensure_can_review(user: Any, unit: OrgUnit | None) -> None:
    """A figure of a unit is reviewed by that unit's coordinators (or an administrator); a
    figure no unit has been named for yet, only by a system administrator."""
    if user is None:
        return
    if unit is None:
        if not getattr(user, "is_superuser", False):
            raise PermissionDenied(
                "Số liệu chưa rõ của đơn vị nào chỉ quản trị hệ thống mới duyệt được."
            )
        return
    ensure_can(user, "progress.review", unit)


def _ensure_pending(figure: ExtractedFigure) -> None:
    if not figure.is_pending:
        who = figure.reviewed_by.get_username() if figure.reviewed_by else "không rõ"
        when = timezone.localtime(figure.reviewed_at) if figure.reviewed_at else None
        at = f" lúc {when:%H:%M %d/%m/%Y}" if when else ""
        raise ValidationError(
            f"Số liệu này đã được duyệt ({figure.get_status_display().lower()}{at}, bởi {who})"
            " nên không duyệt lại được."
        )


@transaction.atomic
def extraction_queue(
    *, document: Document, figures: list[extraction.ExtractedFigure], user: Any
) -> int:
    """Put the figures extracted from ``document`` in the review queue and return how many were
    added. Queueing the same figures again adds nothing: a figure already queued is found by
    (element code, scope, line, value); a pending one takes the extractor's newer reading of
    its unit, period and quote, a reviewed one is never touched. The caller (the ingest of the
    document) has checked the user may load documents."""
    actor = user or data_user()
    codes = {f.element for f in figures}
    elements = {e.code: e for e in DataElement.objects.filter(code__in=codes)}
    reason = f"Trích số liệu từ văn bản {document}"
    added = 0
    for figure in figures:
        value = Decimal(figure.value).quantize(FOUR_PLACES)
        scope = (figure.scope or "").strip()
        start, end = figure.period or (None, None)
        read = {
            "unit": figure.unit.strip(),
            "period_start": start,
            "period_end": end,
            "quote": figure.quote,
            "element": elements.get(figure.element),
        }
        key = {
            "document": document,
            "element_code": figure.element,
            "scope": scope,
            "line": figure.line,
            "value": value,
        }
        # The same statement read again — even from a revised copy whose lines moved — is
        # the same figure: found by what it says, not by where.
        existing = (
            ExtractedFigure.objects.filter(**key).first()
            or ExtractedFigure.objects.filter(
                document=document,
                element_code=figure.element,
                scope=scope,
                value=value,
                period_start=start,
                period_end=end,
            ).first()
        )
        if existing is not None:
            if existing.is_pending:
                lookup = {"pk": existing.pk}
                read_again = {**read, "line": figure.line}
                upsert(ExtractedFigure, lookup=lookup, values=read_again, user=actor, reason=reason)
            continue
        queued = ExtractedFigure(**key, **read, org_unit=document.issuer_unit)
        try:
            with transaction.atomic():
                save_tracked(queued, user=actor, reason=reason)
        except IntegrityError:  # queued meanwhile by another load of the same document
            continue
        added += 1
    return added


@transaction.atomic
def extracted_figure_accept(
    *,
    figure: ExtractedFigure,
    user: Any,
    org_unit: OrgUnit | None = None,
    element: DataElement | None = None,
    period: tuple[dt.date | None, dt.date | None] | None = None,
    note: str = "",
) -> DataValue:
    """Accept a pending figure: it becomes (or updates) the data value of its element, unit,
    period and scope, with the document, line and quote as provenance, and counts from now on.
    The reviewer may name another unit, element or period (start, end) first. The period is
    the figure's stated range by the rule the dataset loader uses; a period already approved
    (locked) for the unit is refused."""
    figure = (
        ExtractedFigure.objects.select_for_update(of=("self",))
        .select_related("document", "element", "org_unit", "reviewed_by")
        .get(pk=figure.pk)
    )
    _ensure_pending(figure)
    _ensure_can_review(user, figure.org_unit)
    unit = org_unit or figure.org_unit
    if unit is None:
        raise ValidationError(
            "Chưa rõ đây là số liệu của đơn vị nào: hãy chọn đơn vị rồi mới nhận.", code="no_unit"
        )
    _ensure_can_review(user, unit)
    element = element or figure.element
    if element is None:
        raise ValidationError(
            f"Mã số liệu “{figure.element_code}” chưa có trong danh mục số liệu: hãy chọn đúng "
            "loại số liệu rồi nhận, hoặc loại bỏ số liệu này.",
            code="unknown_element",
        )
    if len(figure.scope) > BREAKDOWN_MAX:
        raise ValidationError(
            f"Phân tổ “{figure.scope}” dài quá {BREAKDOWN_MAX} ký tự nên không lưu được.",
            code="scope_too_long",
        )
    problems = value_problems_of(element, figure.value)
    if problems:
        raise ValidationError(
            f"Giá trị {figure.value.normalize():f} không hợp với số liệu “{element.name}”: "
            + " ".join(problems),
            code="bad_value",
        )
    document = figure.document
    actor = user or data_user()
    where = f"{document}, dòng {figure.line}"
    reason = f"Nhận số liệu trích từ văn bản {where}"
    start, end = period if period is not None else (figure.period_start, figure.period_end)
    stored = period_for_stated_figure(
        start=start, end=end, as_of=document.issued_on, user=actor, reason=reason
    )
    lookup = {"element": element, "org_unit": unit, "period": stored, "breakdown": figure.scope}
    value = DataValue.objects.select_for_update().filter(**lookup).first()
    already = value is not None and (
        value.value == figure.value
        and value.source_document_id == document.id
        and value.source_line == figure.line
        and value.source_quote == figure.quote
    )
    if value is not None and not already and value.value != figure.value:
        # Another figure (or a person) already gave this element, unit, period and scope a
        # different value: never replace it silently.
        source = (
            f"trích từ {value.source_document}, dòng {value.source_line}"
            if value.source_document_id
            else "do đơn vị nhập"
        )
        raise ValidationError(
            f"Đã có số liệu “{element.name}” của {unit.name} kỳ {stored.label} là "
            f"{value.value.normalize():f} ({source}), khác giá trị {figure.value.normalize():f} "
            "này. Hãy loại một trong hai, hoặc sửa kỳ hay phạm vi trước khi nhận.",
            code="conflict",
        )
    if not already:  # the same figure loaded before stays as it is, with its own note
        comment = f"Trích từ {where}." + (f" {note.strip()}" if note.strip() else "")
        write = ValueWrite(
            element=element,
            area=unit,
            period=stored,
            value=figure.value,
            breakdown=figure.scope,
            comment=comment,
            source_document=document,
            source_line=figure.line,
            source_quote=figure.quote,
        )
        [(value, _)] = data_values_write(writes=[write], user=actor, reason=reason)
    else:
        # The same figure loaded before: nothing is written, but an approved period still
        # refuses the review (its figures are settled).
        ensure_unlocked(units=[unit], period=stored, what=f"Số liệu “{element.name}”")
    # The accepted figure counts from now on: summaries (and cached dashboards) follow.
    from theodoi.progress.services.summaries import summaries_after_change

    summaries_after_change(unit=unit, period=None, since=stored.end)
    figure.status = FigureStatus.ACCEPTED
    figure.element = element
    figure.org_unit = unit
    figure.period_start, figure.period_end = stored.start, stored.end
    figure.reviewed_by = actor
    figure.reviewed_at = timezone.now()
    figure.review_note = note.strip()
    figure.data_value = value
    save_tracked(figure, user=actor, reason=reason)
    return value  # type: ignore[return-value]


@transaction.atomic
def extracted_figure_reject(*, figure: ExtractedFigure, user: Any, note: str) -> ExtractedFigure:
    """Reject a pending figure (misread, not a figure of the unit, already counted elsewhere
    …); the reason is required and kept."""
    figure = (
        ExtractedFigure.objects.select_for_update(of=("self",))
        .select_related("document", "org_unit", "reviewed_by")
        .get(pk=figure.pk)
    )
    _ensure_pending(figure)
    _ensure_can_review(user, figure.org_unit)
    if not note.strip():
        raise ValidationError({"note": ["Loại số liệu thì phải ghi lý do."]})
    actor = user or data_user()
    figure.status = FigureStatus.REJECTED
    figure.reviewed_by = actor
    figure.reviewed_at = timezone.now()
    figure.review_note = note.strip()
    save_tracked(
        figure,
        user=actor,
        reason=f"Loại số liệu trích từ văn bản {figure.document}, dòng {figure.line}",
    )
    return figure
