"""What waits for one person ("Việc của tôi"): their units' periods to report, with the due
day and the days left (or late) and the reason a returned report came back; the reports
waiting for them to accept or approve. Same rules as the reminders and the review pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from theodoi.domain.periods import report_due
from theodoi.orgs.models import Membership
from theodoi.orgs.permissions import ACTIONS, can
from theodoi.progress.models import Explanation, Period, Submission, UpdateState
from theodoi.progress.selectors.submissions import review_queue
from theodoi.progress.services.reminders import LATE_FOR, REMINDED_KINDS

AHEAD = 45  # days ahead a coming due day is listed


@dataclass
class ToReport:
    unit: Any
    period: Period
    due: dt.date
    days: int
    submission: Submission | None

    @property
    def returned(self) -> bool:
        return self.submission is not None and self.submission.state == UpdateState.RETURNED


def work_for(*, user: Any, today: dt.date) -> dict[str, Any]:
    """The person's to-do list, most urgent first."""
    own_units = [
        m.org_unit
        for m in Membership.objects.filter(
            user=user, role__in=ACTIONS["progress.submit"]
        ).select_related("org_unit")
    ]
    periods = [
        p
        for p in Period.objects.filter(
            kind__in=[k.value for k in REMINDED_KINDS],
            end__gte=today - dt.timedelta(days=LATE_FOR + 31),
            end__lte=today + dt.timedelta(days=AHEAD),
        )
        if -LATE_FOR <= (report_due(p.end, p.basis) - today).days <= AHEAD
    ]
    submissions = {
        (s.org_unit_id, s.period_id): s
        for s in Submission.objects.filter(org_unit__in=own_units, period__in=periods)
    }
    to_report = []
    for unit in {u.pk: u for u in own_units}.values():
        if not can(user, "progress.submit", unit):
            continue
        for period in periods:
            submission = submissions.get((unit.pk, period.pk))
            if (
                submission is not None
                and submission.state != UpdateState.DRAFT
                and (submission.state != UpdateState.RETURNED)
            ):
                continue
            due = report_due(period.end, period.basis)
            to_report.append(ToReport(unit, period, due, (due - today).days, submission))
    # a report returned to the unit waits for it whenever its period was
    listed = {(r.unit.pk, r.period.pk) for r in to_report}
    for submission in Submission.objects.filter(
        org_unit__in=own_units, state=UpdateState.RETURNED
    ).select_related("org_unit", "period", "reviewed_by"):
        key = (submission.org_unit_id, submission.period_id)
        if key in listed or not can(user, "progress.submit", submission.org_unit):
            continue
        due = report_due(submission.period.end, submission.period.basis)
        to_report.append(
            ToReport(submission.org_unit, submission.period, due, (due - today).days, submission)
        )
    to_report.sort(key=lambda r: (not r.returned, r.days))
    steps = [(s, step) for s, step in review_queue(user=user) if step]
    editable = [u for u in {u.pk: u for u in own_units}.values() if can(user, "progress.edit", u)]
    return {
        "to_explain": list(
            Explanation.objects.filter(org_unit__in=editable, answered_at__isnull=True)
            .select_related("task", "indicator", "period", "org_unit")
            .order_by("requested_at")
        ),
        "to_report": to_report,
        "to_review": [s for s, step in steps if step == "Cần tiếp nhận"],
        "to_approve": [s for s, step in steps if step == "Cần phê duyệt"],
    }
