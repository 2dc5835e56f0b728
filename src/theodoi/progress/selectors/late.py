"""Who is late and who is responsible, for one period, over the units a person may see (a
commune's offices; a province's communes): the units that have not sent their progress, with
whom to call and how many days late; the overdue tasks and the indicators off track, by lead
unit. Same rules as the dashboard (task and indicator statuses) and the reminders (due day)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from theodoi.domain.indicators import IndicatorStatus
from theodoi.domain.periods import report_due
from theodoi.domain.status import TaskStatus
from theodoi.orgs.models import Membership, OrgUnit, Role
from theodoi.orgs.selectors import units_visible_to
from theodoi.plans.selectors import plans_visible_to
from theodoi.progress.models import Period, Submission, UpdateState
from theodoi.progress.selectors.tasks import indicator_rows, task_rows

SENT = (UpdateState.SUBMITTED, UpdateState.ACCEPTED, UpdateState.APPROVED)
OFF_TRACK = (IndicatorStatus.AT_RISK, IndicatorStatus.NOT_ACHIEVED)


@dataclass
class LateUnit:
    unit: OrgUnit
    state: str  # "Chưa nhập", "Đang nhập", "Bị trả lại"
    days_late: int  # 0: not due yet or due today
    contacts: list[Any] = field(default_factory=list)


@dataclass
class ByLead:
    lead: str
    items: list[Any] = field(default_factory=list)


def late_units(*, user: Any, period: Period, today: dt.date) -> tuple[dt.date, list[LateUnit]]:
    """The due day, and the units that report (a reporter, or a report sent before) and have
    not sent this period's, most days late first."""
    due = report_due(period.end, period.basis)
    visible = units_visible_to(user=user)
    reporting = visible.filter(
        Q(pk__in=Membership.objects.filter(role=Role.REPORTER).values("org_unit"))
        | Q(pk__in=Submission.objects.values("org_unit"))
    ).order_by("path")
    states = {
        s.org_unit_id: s
        for s in Submission.objects.filter(period_id=period.pk, org_unit__in=reporting)
    }
    contacts: dict[int, list[Any]] = {}
    for membership in Membership.objects.filter(
        org_unit__in=reporting, role=Role.REPORTER, user__is_active=True
    ).select_related("user", "user__profile"):
        contacts.setdefault(membership.org_unit_id, []).append(membership.user)
    late = []
    for unit in reporting:
        submission = states.get(unit.pk)
        if submission is not None and submission.state in SENT:
            continue
        if not unit.is_valid_on(due):
            continue
        state = (
            "Chưa nhập"
            if submission is None
            else ("Bị trả lại" if submission.state == UpdateState.RETURNED else "Đang nhập")
        )
        late.append(LateUnit(unit, state, max(0, (today - due).days), contacts.get(unit.pk, [])))
    late.sort(key=lambda u: (-u.days_late, u.unit.path))
    return due, late


def overdue_by_lead(*, user: Any, as_of: dt.date) -> list[ByLead]:
    """The tasks overdue on ``as_of``, grouped by lead unit (the most first)."""
    groups: dict[str, ByLead] = {}
    for plan in plans_visible_to(user=user):
        for row in task_rows(plan=plan, as_of=as_of, user=user):
            if row.status is not TaskStatus.OVERDUE:
                continue
            task = row.task
            lead = task.lead_unit.name if task.lead_unit else (task.lead_text or "Chưa giao")
            groups.setdefault(lead, ByLead(lead)).items.append(row)
    return sorted(groups.values(), key=lambda g: (-len(g.items), g.lead))


def off_track_by_lead(*, user: Any, as_of: dt.date) -> list[ByLead]:
    """The indicators at risk or not achieved on ``as_of``, grouped by lead unit."""
    groups: dict[str, ByLead] = {}
    for plan in plans_visible_to(user=user):
        for row in indicator_rows(plan=plan, as_of=as_of, user=user):
            if row.evaluation.status not in OFF_TRACK:
                continue
            indicator = row.indicator
            lead = indicator.lead_unit.name if indicator.lead_unit else "Chưa giao"
            groups.setdefault(lead, ByLead(lead)).items.append(row)
    return sorted(groups.values(), key=lambda g: (-len(g.items), g.lead))


def explanations_of(*, user: Any, period: Any) -> list[Any]:
    """The explanations asked for the period's red items over what ``user`` may see, the
    unanswered first, then those without a corrective action."""
    from theodoi.progress.models import Explanation

    # by the period's code: a period never stored has none, without a query to find it
    found = list(
        Explanation.objects.filter(
            period__code=period.code, org_unit__in=units_visible_to(user=user)
        )
        .select_related("task", "indicator", "org_unit")
        .order_by("requested_at", "pk")
    )
    return sorted(found, key=lambda e: (e.answered, bool(e.corrective_action)))
