"""The units' own text for the report, field by field.

An outline's narrative block names the units that write it (``contributors``: the service
centre for digital government, the police for VNeID …). Each such unit writes its text for the
period beside its progress; it is sent, returned, accepted and approved with the unit's report
for the period (the same :class:`~theodoi.progress.models.Submission`, the same lock), and the
report states it once that report is approved — as it states progress.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from theodoi.domain.fields import Field
from theodoi.domain.richtext import RichTextError, clean
from theodoi.history import save_tracked
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import can
from theodoi.progress.models import Period
from theodoi.progress.services.locks import ensure_editable, submission_for_entry
from theodoi.reports.models import Contribution
from theodoi.reports.outlines import contribution_fields


def _label(field: str) -> str:
    return Field(field).label if field in Field._value2member_map_ else field


@transaction.atomic
def contribution_save(
    *, unit: OrgUnit, period: Period, field: str, html: str, user: Any, reason: str = ""
) -> Contribution:
    """Save ``unit``'s text for ``field`` in ``period``: only by someone who enters the
    unit's progress, only for a field assigned to the unit, only while its report for the
    period is open (a draft or returned, not covered by an approved report)."""
    if not can(user, "progress.edit", unit):
        raise PermissionDenied(f"Bạn không có quyền viết nội dung báo cáo của {unit.name}.")
    if field not in {f.value for f in contribution_fields(unit)}:
        raise PermissionDenied(
            f"{unit.name} không được giao viết phần “{_label(field)}” của báo cáo (xem dàn ý "
            "báo cáo)."
        )
    try:
        text = clean(html)
    except RichTextError as exc:
        raise ValidationError(str(exc)) from None
    submission = submission_for_entry(unit, period, user)
    ensure_editable(submission)
    contribution = Contribution.objects.filter(org_unit=unit, period=period, field=field).first()
    if contribution is None:
        contribution = Contribution(org_unit=unit, period=period, field=field)
    if contribution.text == text:
        return contribution
    contribution.text = text
    contribution.updated_by = user
    save_tracked(contribution, user=user, reason=reason or "Viết nội dung báo cáo")
    return contribution
