"""Explanations for red: asking the lead unit of an overdue task or an indicator off track
why, and what it does about it; its answer. The system asks when a period ends
(:func:`explanations_request_due`, run by the daily job); a coordinator or a leader may ask
by hand. A red item answered without a corrective action stays flagged."""

from __future__ import annotations

import datetime as dt
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
from theodoi.orgs.permissions import ensure_can, people_who_can
from theodoi.progress.models import Explanation, Period

MAX_TEXT = 4000


def _lead(task: Any | None, indicator: Any | None):
    subject = task or indicator
    lead = subject.lead_unit or subject.plan.owner_unit
    return lead


@transaction.atomic
def explanation_request(
    *,
    user: Any | None,
    period: Period,
    task: Any | None = None,
    indicator: Any | None = None,
    reason: str,
) -> Explanation:
    """Ask the lead unit to explain (once per item and period: asking again returns the
    request already made). ``user`` None: the system, at the period's end."""
    if (task is None) == (indicator is None):
        raise ValidationError("Chọn một nhiệm vụ hoặc một chỉ tiêu để yêu cầu giải trình.")
    lead = _lead(task, indicator)
    if user is not None:
        ensure_can(user, "explanation.request", lead)
    found = Explanation.objects.filter(
        period=period, **({"task": task} if task else {"indicator": indicator})
    ).first()
    if found is not None:
        return found
    explanation = Explanation(
        org_unit=lead,
        period=period,
        task=task,
        indicator=indicator,
        reason=clean_typed_text(reason).strip()[:255] or "Yêu cầu giải trình",
        requested_by=user,
    )
    save_tracked(explanation, user=user, reason="Yêu cầu giải trình")
    what = f"nhiệm vụ {task.code}" if task else f"chỉ tiêu {indicator.code}"
    notify(
        users=people_who_can("progress.edit", lead, here_only=True),
        kind=Kind.EXPLANATION,
        title=f"Đề nghị giải trình {what} ({lower_first(period.label)}): {explanation.reason}",
        body="Nêu nguyên nhân và giải pháp khắc phục.",
        link=reverse("web:explanation", args=[explanation.pk]),
        key=f"giai-trinh:{explanation.pk}",
    )
    return explanation


@transaction.atomic
def explanation_answer(
    *, user: Any, explanation: Explanation, text: str, corrective_action: str
) -> Explanation:
    """The lead unit's answer: why, and what it does about it."""
    ensure_can(user, "progress.edit", explanation.org_unit)
    explanation = Explanation.objects.select_for_update().get(pk=explanation.pk)
    text = clean_typed_text(text).strip()
    action = clean_typed_text(corrective_action).strip()
    errors = {}
    if not text:
        errors["explanation"] = ["Hãy nêu nguyên nhân."]
    if len(text) > MAX_TEXT or len(action) > MAX_TEXT:
        errors["corrective_action"] = [f"Giải trình dài quá {MAX_TEXT:,} ký tự.".replace(",", ".")]
    if errors:
        raise ValidationError(errors)
    explanation.explanation = text
    explanation.corrective_action = action
    explanation.answered_by = user
    explanation.answered_at = timezone.now()
    save_tracked(explanation, user=user, reason="Giải trình")
    if explanation.requested_by is not None:
        notify(
            users=[explanation.requested_by],
            kind=Kind.EXPLANATION,
            title=f"{explanation.org_unit.name} đã giải trình: {explanation.subject.code}",
            body=text[:300],
            link=reverse("web:explanation", args=[explanation.pk]),
        )
    return explanation


def explanations_request_due(today: dt.date) -> list[Explanation]:
    """At a period's end (within the week after it), ask for an explanation of every task
    overdue and every indicator off track on that day (once each)."""
    from theodoi.domain.periods import PeriodKind
    from theodoi.progress.selectors.late import off_track_by_lead, overdue_by_lead

    made = []
    for period in Period.objects.filter(
        kind=PeriodKind.QUARTER.value,
        end__lt=today,
        end__gte=today - dt.timedelta(days=7),
    ):
        for group in overdue_by_lead(user=None, as_of=period.end):
            for row in group.items:
                made.append(
                    explanation_request(
                        user=None, period=period, task=row.task, reason="Quá hạn, chưa hoàn thành"
                    )
                )
        for group in off_track_by_lead(user=None, as_of=period.end):
            for row in group.items:
                made.append(
                    explanation_request(
                        user=None,
                        period=period,
                        indicator=row.indicator,
                        reason=f"{row.evaluation.status.label} so với lộ trình",
                    )
                )
    return made
