"""Stored plan summaries per period (what a plan's dashboard counts), for roll-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import (
    Period,
    PlanSummary,
)
from theodoi.progress.selectors.rollup import (
    SUMMARY_INDICATOR_FIELDS,
    SUMMARY_TASK_FIELDS,
    rollup_summary,
)
from theodoi.progress.services.periods import period_ensure


def plan_summary_store(*, plan: Any, period: Period) -> PlanSummary:
    """Store what the plan's dashboard counts at the end of ``period`` (the same selector,
    ``plan_summary``), for roll-ups. A derived copy, not data: no history row; the time it
    was computed is kept instead."""
    from theodoi.progress.selectors.tasks import plan_summary

    # the version of the data read, taken before reading it: a write committed meanwhile
    # bumps the stored version past it, so the summary stays marked stale
    version = (
        PlanSummary.objects.filter(plan=plan, period=period)
        .values_list("data_version", flat=True)
        .first()
    )
    counted = plan_summary(plan=plan, as_of=period.end, user=None)
    values: dict[str, Any] = {
        "org_unit": plan.owner_unit,
        "unit_path": plan.owner_unit.path,
        "illustrative": counted["illustrative"],
        "computed_at": timezone.now(),
        "computed_version": version or 0,
    }
    for name, field in SUMMARY_TASK_FIELDS.items():
        values[field] = counted["tasks"][name]
    for name, field in SUMMARY_INDICATOR_FIELDS.items():
        values[field] = counted["indicators"][name]
    summary, _ = PlanSummary.objects.update_or_create(plan=plan, period=period, defaults=values)
    return summary


def summary_fresh(*, plan: Any, period: Period) -> PlanSummary:
    """The plan's stored summary for ``period``, recomputed first if the data changed since
    it was computed (or it was never computed): what a reader of one plan calls."""
    row = PlanSummary.objects.filter(plan=plan, period=period).first()
    if row is not None and row.data_version == row.computed_version:
        return row
    with transaction.atomic():
        return plan_summary_store(plan=plan, period=period)


def summary_version(*, plan: Any, period_code: str) -> str | None:
    """The version of what ``plan`` counts for the period, its summary brought up to date
    first: what a cached page or answer about the plan is keyed by (never a clock). None
    when the period was never stored (nothing to cache under)."""
    stored = Period.objects.filter(code=period_code).first()
    if stored is None:
        return None
    summary = summary_fresh(plan=plan, period=stored)
    # the row and the time it was computed too: a row made again starts its count again
    return f"{summary.pk}.{summary.computed_version}.{summary.computed_at.timestamp()}"


def _stale_under(unit: OrgUnit, period: Period) -> Any:
    """The plans under ``unit`` whose summary for ``period`` is stale or missing."""
    from theodoi.plans.models import Plan

    stale = PlanSummary.objects.filter(
        period=period, unit_path__startswith=unit.path, data_version__gt=F("computed_version")
    ).values("plan_id")
    return Plan.objects.filter(owner_unit__path__startswith=unit.path).filter(
        Q(pk__in=stale) | ~Q(summaries__period=period)
    )


def summaries_freshen(*, unit: OrgUnit, period: Period, limit: int | None = None) -> int:
    """Bring the summaries under ``unit`` for ``period`` up to date before a roll-up reads
    them: recomputed now when there are at most ``limit`` (``THEODOI_FRESH_NOW``, 200 by
    default), else by the background worker. Returns how many are still being updated (0:
    the roll-up is up to date)."""
    limit = settings.THEODOI_FRESH_NOW if limit is None else limit
    todo = _stale_under(unit, period)
    count = todo.count()
    if count == 0:
        return 0
    if count <= limit:
        for plan in todo.select_related("owner_unit", "document"):
            with transaction.atomic():
                plan_summary_store(plan=plan, period=period)
        return 0
    transaction.on_commit(lambda: _queue_freshen(unit.pk, period.pk))
    return count


def _queue_freshen(unit_id: int, period_id: int) -> None:
    from django_q.tasks import async_task

    async_task(
        "theodoi.progress.services.summaries.summaries_freshen_job",
        unit_id,
        period_id,
        task_name="Cập nhật tổng hợp",
    )


def summaries_freshen_job(unit_id: int, period_id: int) -> int:
    """The background half of :func:`summaries_freshen`: every stale or missing summary."""
    from theodoi.plans.models import Plan

    unit, period = OrgUnit.objects.get(pk=unit_id), Period.objects.get(pk=period_id)
    ids = list(_stale_under(unit, period).values_list("pk", flat=True))
    plans = Plan.objects.filter(pk__in=ids).select_related("owner_unit", "document")
    return summaries_refresh(period=period, plans=plans)


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


def rollup_fresh(
    *, unit: OrgUnit, period: Any, user: Any | None, limit: int | None = None
) -> dict[str, Any]:
    """The roll-up for ``unit`` and every unit under it (``selectors.rollup_summary``), its
    stale or missing plan summaries brought up to date first (or left to the background
    worker when there are many, which the answer says)."""
    from theodoi.domain.periods import parse_period
    from theodoi.orgs.permissions import ensure_can

    if user is not None:
        ensure_can(user, "view", unit)
    stored = Period.objects.filter(code=period.code).first() or period_ensure(
        period=parse_period(period.code), user=None, reason="Tổng hợp"
    )
    updating = summaries_freshen(unit=unit, period=stored, limit=limit)
    return rollup_summary(unit=unit, period=period, user=None, updating=updating)
