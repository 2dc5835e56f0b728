"""Stored plan summaries per period (what a plan's dashboard counts), for roll-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import (
    Period,
    PlanSummary,
)
from theodoi.progress.services.periods import period_ensure

SUMMARY_TASK_FIELDS = {
    "completed_on_time": "tasks_completed_on_time",
    "completed_late": "tasks_completed_late",
    "in_progress": "tasks_in_progress",
    "overdue": "tasks_overdue",
    "not_started": "tasks_not_started",
}


SUMMARY_INDICATOR_FIELDS = {
    "achieved": "indicators_achieved",
    "not_achieved": "indicators_not_achieved",
    "on_track": "indicators_on_track",
    "at_risk": "indicators_at_risk",
    "no_data": "indicators_no_data",
}


def plan_summary_store(*, plan: Any, period: Period) -> PlanSummary:
    """Store what the plan's dashboard counts at the end of ``period`` (the same selector,
    ``plan_summary``), for roll-ups. A derived copy, not data: no history row; the time it
    was computed is kept instead."""
    from theodoi.progress.selectors.tasks import plan_summary

    counted = plan_summary(plan=plan, as_of=period.end, user=None)
    values: dict[str, Any] = {
        "org_unit": plan.owner_unit,
        "unit_path": plan.owner_unit.path,
        "illustrative": counted["illustrative"],
        "computed_at": timezone.now(),
    }
    for name, field in SUMMARY_TASK_FIELDS.items():
        values[field] = counted["tasks"][name]
    for name, field in SUMMARY_INDICATOR_FIELDS.items():
        values[field] = counted["indicators"][name]
    summary, _ = PlanSummary.objects.update_or_create(plan=plan, period=period, defaults=values)
    return summary


def summaries_refresh(*, period: Period, plans: Any = None, progress: Any = None) -> int:
    """Recompute the stored summaries of ``plans`` (every plan by default) for ``period``;
    returns how many. Run by the command line and by the background worker."""
    from theodoi.plans.models import Plan

    plans = Plan.objects.select_related("owner_unit", "document") if plans is None else plans
    count = 0
    for plan in plans.iterator(chunk_size=200) if hasattr(plans, "iterator") else plans:
        with transaction.atomic():
            plan_summary_store(plan=plan, period=period)
        count += 1
        if progress is not None and count % 100 == 0:
            progress(count)
    return count


def summaries_after_change(*, unit: OrgUnit, period: Period | None, since: dt.date) -> None:
    """What counts for ``unit`` changed from ``since`` on (a report approved or unlocked, a
    figure accepted from a document): refresh the stored summaries of the plans it owns or
    reports on — those already computed for periods ending after ``since``, and ``period``.
    Dashboards cached under the old summary's time are thereby out of date."""
    from django.db.models import Q

    from theodoi.plans.models import Plan

    plans = list(
        Plan.objects.filter(Q(owner_unit=unit) | Q(tasks__lead_unit=unit))
        .select_related("owner_unit", "document")
        .distinct()
    )
    if not plans:
        return
    periods = set(Period.objects.filter(plan_summaries__plan__in=plans, end__gte=since).distinct())
    if period is not None:
        periods.add(period)
    for each in periods:
        for plan in plans:
            plan_summary_store(plan=plan, period=each)


def summaries_refresh_current() -> int:
    """The background job (django-q2 schedule "Tổng hợp kế hoạch", see docs/deployment.md):
    recompute every plan's summary for the quarter in progress and the one before it, so a
    roll-up is never older than the schedule's interval even for changes made outside the
    workflow (the admin, an import). Returns how many summaries were written."""
    from theodoi.domain.periods import quarter_containing

    today = timezone.localdate()
    current = quarter_containing(today)
    previous = quarter_containing(current.start - dt.timedelta(days=1))
    written = 0
    for domain_period in (previous, current):
        period = period_ensure(period=domain_period, user=None, reason="Tổng hợp định kỳ")
        written += summaries_refresh(period=period)
    return written
