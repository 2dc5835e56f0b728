"""Submissions (a unit's report for a period) on their way from draft to approval: who sees
them, what waits for review, and which actions a person may take.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import can
from theodoi.orgs.selectors import units_visible_to
from theodoi.progress.models import (
    Period,
    Submission,
    UpdateState,
)

# What a unit is still entering: shown only to those who may still edit it.
DRAFT_STATES = (UpdateState.DRAFT, UpdateState.RETURNED)


def drafts_visible_to(*, user: Any | None, unit: OrgUnit) -> bool:
    """Whether ``user`` may see what ``unit`` has entered but not sent (a draft, or a report
    returned to it): only those who may still edit it (the unit's reporters, its
    coordinators). Leaders and inspectors see a unit's progress once it is sent. The one rule
    for every page, the API and the command line."""
    return user is None or can(user, "progress.edit", unit)


def entry_visible_to(*, user: Any | None, state: str, unit: OrgUnit) -> bool:
    """Whether ``user`` may see an entry (task update) of ``unit`` in ``state``."""
    return state not in DRAFT_STATES or drafts_visible_to(user=user, unit=unit)


def progress_hidden_from(*, user: Any | None, unit: OrgUnit, period: Period) -> bool:
    """Whether what ``unit`` entered for ``period`` is hidden from ``user``: its report is
    not sent yet (or was returned) and the user may not edit it."""
    if drafts_visible_to(user=user, unit=unit):
        return False
    submission = submission_of(unit=unit, period=period)
    return submission is None or submission.state in DRAFT_STATES


def submission_of(*, unit: OrgUnit, period: Period) -> Submission | None:
    return Submission.objects.filter(org_unit=unit, period_id=period.pk).first()


def submissions_visible_to(*, user: Any | None) -> QuerySet[Submission]:
    return Submission.objects.filter(org_unit__in=units_visible_to(user=user)).select_related(
        "org_unit", "period", "submitted_by", "reviewed_by", "approved_by"
    )


REPORTED_STATES = (UpdateState.SUBMITTED, UpdateState.ACCEPTED, UpdateState.APPROVED)


def next_step_for(*, submission: Submission, user: Any) -> str | None:
    """What ``user`` has to do with ``submission`` now, if anything."""
    if submission.state == UpdateState.SUBMITTED and can(
        user, "progress.review", submission.org_unit
    ):
        return "Cần tiếp nhận"
    if submission.state == UpdateState.ACCEPTED and can(
        user, "progress.approve", submission.org_unit
    ):
        return "Cần phê duyệt"
    return None


def review_queue(
    *, user: Any, period_code: str = "", state: str = ""
) -> list[tuple[Submission, str | None]]:
    """Submitted reports the user may read, newest period first, with the user's next step."""
    submissions = submissions_visible_to(user=user).exclude(state=UpdateState.DRAFT)
    if period_code:
        submissions = submissions.filter(period__code=period_code)
    if state:
        submissions = submissions.filter(state=state)
    return [
        (s, next_step_for(submission=s, user=user))
        for s in submissions.order_by("-period__start", "org_unit__path")
    ]


def submission_actions(*, submission: Submission, user: Any) -> dict[str, bool]:
    """What ``user`` may do with ``submission`` now."""
    unit = submission.org_unit
    return {
        "can_review": submission.state == UpdateState.SUBMITTED
        and can(user, "progress.review", unit),
        "can_approve": submission.state == UpdateState.ACCEPTED
        and can(user, "progress.approve", unit),
        "can_unlock": submission.is_locked and can(user, "progress.unlock", unit),
    }
