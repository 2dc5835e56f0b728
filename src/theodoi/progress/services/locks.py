"""The lock of a unit's period: what is approved cannot be changed by anyone, on any path,
until a leader unlocks it with a reason. The rule lives here once; every service that writes
progress or a figure asks it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from theodoi.history import save_tracked
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import Period, Submission, UpdateState


def covering_lock(*, units: Iterable[OrgUnit | None], period: Period) -> Submission | None:
    """The approved report of one of ``units`` whose period holds ``period``'s dates, if any.

    A lock looks at dates, not at a period's identity: an approved 2025-Q4 locks the figures
    of 01/10/2025–31/12/2025 however that range was named, and an approved year locks its
    quarters and months."""
    ids = {u.pk for u in units if u is not None}
    if not ids:
        return None
    return (
        Submission.objects.filter(
            org_unit_id__in=ids,
            state=UpdateState.APPROVED,
            period__start__lte=period.start,
            period__end__gte=period.end,
        )
        .select_related("period", "org_unit")
        .order_by("period__start", "period__end")
        .first()
    )


def ensure_unlocked(*, units: Iterable[OrgUnit | None], period: Period, what: str) -> None:
    """Refuse a change of ``what`` in ``period`` when an approved report of one of ``units``
    covers it; the message says which report and what to do."""
    lock = covering_lock(units=units, period=period)
    if lock is not None:
        raise ValidationError(
            f"{what} thuộc {lock.period.label} của {lock.org_unit.name}, kỳ đã được phê duyệt "
            "(khóa) nên không ai sửa được. Cần lãnh đạo mở khóa kỳ đó, ghi rõ lý do, rồi mới "
            "sửa.",
            code="locked",
        )


def submission_for_entry(unit: OrgUnit, period: Period, user: Any) -> Submission:
    """The unit's report for the period (created on first entry), locked for this
    transaction."""
    submission = Submission.objects.select_for_update().filter(org_unit=unit, period=period).first()
    if submission is None:
        if period.start > timezone.localdate():
            raise ValidationError(f"{period.label} chưa bắt đầu nên chưa nhập tiến độ được.")
        submission = Submission(org_unit=unit, period=period)
        try:
            with transaction.atomic():
                save_tracked(submission, user=user, reason="Bắt đầu nhập tiến độ kỳ")
        except IntegrityError:  # another save of the same unit and period came first
            submission = Submission.objects.select_for_update().get(org_unit=unit, period=period)
    return submission


def ensure_editable(submission: Submission) -> None:
    """The unit may still change its report for the period: it is a draft or was returned,
    and no approved report of the unit covers the period's dates."""
    if not submission.is_editable:
        raise ValidationError(
            f"Báo cáo tiến độ {submission.period} của {submission.org_unit.name} đang ở trạng "
            f"thái “{submission.get_state_display()}” nên không sửa được."
            + (" Cần lãnh đạo mở khóa." if submission.is_locked else ""),
            code="locked" if submission.is_locked else "not_editable",
        )
    ensure_unlocked(
        units=[submission.org_unit], period=submission.period, what="Tiến độ và số liệu kỳ này"
    )
