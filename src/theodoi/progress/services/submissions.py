"""The approval workflow of a unit's period: submit, accept or return, approve (lock), unlock."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from theodoi.domain.formatting import lower_first
from theodoi.domain.text import clean_typed_text
from theodoi.history import save_tracked
from theodoi.notify.models import Kind
from theodoi.notify.services import notify
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import ensure_can, people_who_can
from theodoi.plans.models import Task
from theodoi.progress.models import (
    Period,
    Submission,
    TaskUpdate,
    UpdateState,
)
from theodoi.progress.services.locks import ensure_editable, submission_for_entry
from theodoi.progress.services.summaries import summaries_after_change


def _missing_tasks(unit: OrgUnit, period: Period) -> list[Task]:
    from theodoi.progress.selectors.entry import entry_rows

    return [row.task for row in entry_rows(unit=unit, period=period, user=None) if not row.update]


@transaction.atomic
def submission_submit(
    *, unit: OrgUnit, period: Period, user: Any, explanation: str = ""
) -> Submission:
    """Send the unit's progress for the period to the coordinator. Every listed task needs an
    entry; figures breaking a high-importance rule need an explanation."""
    from theodoi.progress.selectors.figures import rule_violations

    ensure_can(user, "progress.submit", unit)
    submission = submission_for_entry(unit, period, user)
    ensure_editable(submission)
    missing = _missing_tasks(unit, period)
    if missing:
        codes = ", ".join(t.code for t in missing[:10])
        raise ValidationError(
            f"Chưa nhập tiến độ cho {len(missing)} nhiệm vụ: {codes}. Hãy nhập đủ rồi gửi."
        )
    blocking = [v for v in rule_violations(unit=unit, period=period) if v.rule.importance == "high"]
    if blocking and not explanation.strip():
        raise ValidationError(
            {
                "explanation": [
                    "Số liệu chưa khớp quy tắc kiểm tra: "
                    + " ".join(v.message for v in blocking)
                    + " Hãy sửa số liệu hoặc ghi giải trình."
                ]
            }
        )
    submission.state = UpdateState.SUBMITTED
    submission.explanation = clean_typed_text(explanation).strip()
    submission.submitted_by = user
    submission.submitted_at = timezone.now()
    save_tracked(submission, user=user, reason="Gửi báo cáo tiến độ")
    _set_update_states(submission, user, "Gửi báo cáo tiến độ")
    notify(
        users=[p for p in people_who_can("progress.review", unit) if p != user],
        kind=Kind.SUBMITTED,
        title=f"{unit.name} đã gửi báo cáo tiến độ {lower_first(period.label)}: chờ tiếp nhận",
        body=f"Người gửi: {_name(user)}.",
        link=reverse("web:submission_detail", args=[submission.pk]),
    )
    return submission


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "hệ thống"


def _tell_unit(submission: Submission, kind: str, title: str, body: str = "") -> None:
    """Tell the unit's own people (and whoever sent it) what became of their report."""
    unit, period = submission.org_unit, submission.period
    people = list(people_who_can("progress.edit", unit, here_only=True))
    if submission.submitted_by is not None and submission.submitted_by not in people:
        people.append(submission.submitted_by)
    notify(
        users=people,
        kind=kind,
        title=f"{title}: {unit.name}, {lower_first(period.label)}",
        body=body,
        link=reverse("web:progress_unit", args=[unit.code, period.code]),
    )


def _set_update_states(submission: Submission, user: Any, reason: str) -> None:
    for update in TaskUpdate.objects.filter(
        org_unit=submission.org_unit, period=submission.period
    ).exclude(state=submission.state):
        update.state = submission.state
        save_tracked(update, user=user, reason=reason)


@transaction.atomic
def submission_review(
    *, submission: Submission, user: Any, accept: bool, comment: str = ""
) -> Submission:
    """The coordinator accepts the unit's report or returns it with a comment."""
    ensure_can(user, "progress.review", submission.org_unit)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.state != UpdateState.SUBMITTED:
        raise ValidationError(
            f"Chỉ tiếp nhận hoặc trả lại được báo cáo đã gửi; báo cáo này đang ở trạng thái "
            f"“{submission.get_state_display()}”."
        )
    if not accept and not comment.strip():
        raise ValidationError({"comment": ["Trả lại báo cáo thì phải ghi lý do."]})
    if submission.submitted_by_id == getattr(user, "id", None):
        raise ValidationError(
            "Người gửi báo cáo không tự tiếp nhận được; cần một đầu mối tổng hợp khác."
        )
    submission.state = UpdateState.ACCEPTED if accept else UpdateState.RETURNED
    submission.review_comment = clean_typed_text(comment).strip()
    submission.reviewed_by = user
    submission.reviewed_at = timezone.now()
    reason = "Tiếp nhận báo cáo tiến độ" if accept else "Trả lại báo cáo tiến độ"
    save_tracked(submission, user=user, reason=reason)
    _set_update_states(submission, user, reason)
    if accept:
        _tell_unit(submission, Kind.ACCEPTED, "Báo cáo tiến độ đã được tiếp nhận")
        notify(
            users=people_who_can("progress.approve", submission.org_unit),
            kind=Kind.ACCEPTED,
            title=f"Chờ phê duyệt: báo cáo tiến độ của {submission.org_unit.name}, "
            f"{lower_first(submission.period.label)}",
            body=f"{_name(user)} đã tiếp nhận.",
            link=reverse("web:submission_detail", args=[submission.pk]),
        )
    else:
        _tell_unit(
            submission,
            Kind.RETURNED,
            "Báo cáo tiến độ bị trả lại",
            f"{_name(user)} trả lại, lý do: {submission.review_comment}",
        )
    return submission


@transaction.atomic
def submission_approve(*, submission: Submission, user: Any, comment: str = "") -> Submission:
    """A leader approves an accepted report, which locks the unit's period."""
    ensure_can(user, "progress.approve", submission.org_unit)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if submission.state != UpdateState.ACCEPTED:
        raise ValidationError(
            f"Chỉ phê duyệt được báo cáo đã được tiếp nhận; báo cáo này đang ở trạng thái "
            f"“{submission.get_state_display()}”."
        )
    submission.state = UpdateState.APPROVED
    if comment.strip():
        submission.review_comment = clean_typed_text(comment).strip()
    submission.approved_by = user
    submission.approved_at = timezone.now()
    save_tracked(submission, user=user, reason="Phê duyệt, khóa kỳ báo cáo")
    _set_update_states(submission, user, "Phê duyệt, khóa kỳ báo cáo")
    _summaries_after_review(submission)
    _tell_unit(
        submission,
        Kind.APPROVED,
        "Báo cáo tiến độ đã được phê duyệt",
        f"{_name(user)} phê duyệt; kỳ báo cáo đã khóa.",
    )
    return submission


@transaction.atomic
def submission_unlock(*, submission: Submission, user: Any, reason: str) -> Submission:
    """Reopen an approved period so the unit can correct it; the reason is kept in history."""
    ensure_can(user, "progress.unlock", submission.org_unit)
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.is_locked:
        raise ValidationError("Kỳ báo cáo này chưa khóa.")
    reason = clean_typed_text(reason)
    if not reason.strip():
        raise ValidationError({"reason": ["Mở khóa kỳ báo cáo thì phải ghi lý do."]})
    submission.state = UpdateState.RETURNED
    submission.review_comment = f"Mở khóa: {reason.strip()}"
    save_tracked(submission, user=user, reason=f"Mở khóa kỳ báo cáo: {reason.strip()}")
    _set_update_states(submission, user, f"Mở khóa kỳ báo cáo: {reason.strip()}")
    _summaries_after_review(submission)
    _tell_unit(
        submission,
        Kind.UNLOCKED,
        "Kỳ báo cáo được mở khóa để sửa",
        f"{_name(user)} mở khóa, lý do: {reason.strip()}",
    )
    return submission


def _summaries_after_review(submission: Submission) -> None:
    """An approval or an unlock changes what counts: refresh the summaries of the plans the
    unit reports on, for this period and any later period already summarised."""
    summaries_after_change(
        unit=submission.org_unit, period=submission.period, since=submission.period.start
    )
