"""Reminders of reporting deadlines: before the due day (the cut-off, the 14th) to the units
that have not sent their period's progress, and after it, once a week, while it is late.

Run each morning by the background worker (django-q2 schedule "Nhắc hạn báo cáo", see
docs/deployment.md) or by hand: ``theodoi remind --dry-run`` lists what would be sent. A
reminder is sent once per occasion (its key), however often the job runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from theodoi.domain.formatting import format_date, lower_first
from theodoi.domain.periods import PeriodKind, report_due
from theodoi.notify.models import Kind
from theodoi.notify.services import notify
from theodoi.orgs.models import Membership, OrgUnit, Role
from theodoi.orgs.permissions import people_who_can
from theodoi.progress.models import Period, ReminderSetting, Submission, UpdateState

REMINDED_KINDS = (PeriodKind.QUARTER, PeriodKind.MONTH)
LATE_FOR = 60  # days after the due day the late reminders go on
SENT = (UpdateState.SUBMITTED, UpdateState.ACCEPTED, UpdateState.APPROVED)


@dataclass
class Reminder:
    unit: OrgUnit
    period: Period
    due: dt.date
    days: int  # days left (negative: days late)
    people: list[Any] = field(default_factory=list)

    @property
    def late(self) -> bool:
        return self.days < 0

    @property
    def key(self) -> str:
        if self.late:  # once a week while late
            return f"qua-han:{self.unit.code}:{self.period.code}:{(-self.days - 1) // 7}"
        return f"nhac:{self.unit.code}:{self.period.code}"

    @property
    def title(self) -> str:
        what = f"báo cáo tiến độ {lower_first(self.period.label)} của {self.unit.name}"
        if self.late:
            return f"Quá hạn {-self.days} ngày: chưa gửi {what} (hạn {format_date(self.due)})"
        if self.days == 0:
            return f"Hôm nay là hạn gửi {what}"
        return f"Còn {self.days} ngày đến hạn gửi {what} ({format_date(self.due)})"


def days_before(unit: OrgUnit, period_kind: str, settings_by: dict | None = None) -> int:
    """How many days before the due day ``unit`` is reminded for a ``period_kind`` period: the
    nearest setting of the unit or a unit above it, else the general one, else
    ``THEODOI_REMIND_DAYS``."""
    if settings_by is None:
        settings_by = _settings()
    for code in [*reversed([c for c in unit.path.split("/") if c]), None]:
        found = settings_by.get((code, period_kind))
        if found is not None:
            return found
    return settings.THEODOI_REMIND_DAYS


def _settings() -> dict[tuple[str | None, str], int]:
    return {
        (s.org_unit.code if s.org_unit_id else None, s.period_kind): s.days_before
        for s in ReminderSetting.objects.select_related("org_unit")
    }


def reminders_due(today: dt.date) -> list[Reminder]:
    """Every reminder due today: units with a reporter whose progress for a period due within
    their reminder days (or late, up to 60 days) is not sent yet."""
    rules = _settings()
    furthest = max([settings.THEODOI_REMIND_DAYS, *rules.values()])
    periods = [
        p
        for p in Period.objects.filter(
            kind__in=[k.value for k in REMINDED_KINDS],
            end__gte=today - dt.timedelta(days=LATE_FOR + 31),
            end__lte=today + dt.timedelta(days=furthest + 31),
        )
        if -LATE_FOR <= (report_due(p.end, p.basis) - today).days <= furthest
    ]
    if not periods:
        return []
    units = OrgUnit.objects.filter(
        pk__in=Membership.objects.filter(role=Role.REPORTER).values("org_unit")
    ).order_by("path")
    sent = set(
        Submission.objects.filter(
            Q(state__in=SENT), period__in=periods, org_unit__in=units
        ).values_list("org_unit_id", "period_id")
    )
    found = []
    for period in periods:
        due = report_due(period.end, period.basis)
        for unit in units:
            if (unit.pk, period.pk) in sent or not unit.is_valid_on(due):
                continue
            if (due - today).days > days_before(unit, period.kind, rules):
                continue
            people = list(people_who_can("progress.submit", unit, here_only=True))
            if people:
                found.append(Reminder(unit, period, due, (due - today).days, people))
    return found


def remind(today: dt.date, *, dry_run: bool = False) -> list[Reminder]:
    """Send today's reminders (none twice); with ``dry_run``, only say what they would be."""
    found = reminders_due(today)
    if not dry_run:
        for reminder in found:
            notify(
                users=reminder.people,
                kind=Kind.LATE if reminder.late else Kind.REMINDER,
                title=reminder.title,
                body="Nhập đủ tiến độ các nhiệm vụ, số liệu của kỳ rồi bấm “Gửi báo cáo”.",
                link=reverse("web:progress_unit", args=[reminder.unit.code, reminder.period.code]),
                key=reminder.key,
            )
    return found


def remind_today() -> int:
    """The background job: today's reminders, the explanations due at a period's end, then
    the e-mails and the digests of those who chose one."""
    from django.utils import timezone

    from theodoi.notify.services import mail_digest, mail_pending
    from theodoi.progress.services.explanations import explanations_request_due

    found = remind(timezone.localdate())
    explanations_request_due(timezone.localdate())
    mail_pending()
    mail_digest()
    return len(found)
