"""The lock of a unit's period: what is approved cannot be changed by anyone, on any path,
until a leader unlocks it with a reason. The rule lives here once; every service that writes
progress or a figure asks it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from theodoi.history import save_tracked
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import (
    Period,
    Submission,
)


def submission_for_entry(unit: OrgUnit, period: Period, user: Any) -> Submission:
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
    if not submission.is_editable:
        raise ValidationError(
            f"Báo cáo tiến độ {submission.period} của {submission.org_unit.name} đang ở trạng "
            f"thái “{submission.get_state_display()}” nên không sửa được."
            + (" Cần lãnh đạo mở khóa." if submission.is_locked else "")
        )
