"""Stored plan summaries per period (what a plan's dashboard counts), for roll-ups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from theodoi.orgs.models import OrgUnit
from theodoi.orgs.selectors import subtree
from theodoi.plans.models import Plan
from theodoi.progress.models import (
    Period,
    PlanSummary,
)
from theodoi.progress.selectors.plan_counts import plans_counted
from theodoi.progress.selectors.rollup import (
    SUMMARY_INDICATOR_FIELDS,
    SUMMARY_TASK_FIELDS,
    rollup_summary,
)
from theodoi.progress.services.periods import period_ensure


def plan_summary_store(*, plan: Any, period: Period) -> PlanSummary:
    """Store what the plan's dashboard counts at the end of ``period``, for roll-ups."""
    summaries_store(plan_ids=[plan.pk], period=period)
    return PlanSummary.objects.get(plan=plan, period=period)


def summaries_store(*, plan_ids: list[int], period: Period) -> int:
    """Compute and store what each plan of ``plan_ids`` counts at the end of ``period``
    (``selectors.plan_counts``, the same rules as a plan's dashboard), in bulk. A derived
    copy, not data: no history row; the time and the data version it was computed from are
    kept instead. Returns how many were stored."""
    if not plan_ids:
        return 0
    owners = {
        pk: (unit_id, path)
        for pk, unit_id, path in Plan.objects.filter(pk__in=plan_ids).values_list(
            "pk", "owner_unit_id", "owner_unit__path"
        )
    }
    now = timezone.now()
    # a missing row is made first, marked stale, so that a write committed while the counts
    # are read bumps it past the version read below (outside a transaction: at once)
    PlanSummary.objects.bulk_create(
        [
            PlanSummary(
                plan_id=pk,
                period=period,
                org_unit_id=unit_id,
                unit_path=path,
                computed_at=now,
                data_version=1,
                computed_version=0,
            )
            for pk, (unit_id, path) in owners.items()
        ],
        ignore_conflicts=True,
    )
    versions = dict(
        PlanSummary.objects.filter(period=period, plan_id__in=list(owners)).values_list(
            "plan_id", "data_version"
        )
    )
    counted = plans_counted(plan_ids=list(owners), as_of=period.end)
    rows = []
    for pk, (unit_id, path) in owners.items():
        values: dict[str, Any] = {
            "plan_id": pk,
            "period": period,
            "org_unit_id": unit_id,
            "unit_path": path,
            "illustrative": counted[pk]["illustrative"],
            "computed_at": now,
            "computed_version": versions[pk],
        }
        for name, field in SUMMARY_TASK_FIELDS.items():
            values[field] = counted[pk]["tasks"][name]
        for name, field in SUMMARY_INDICATOR_FIELDS.items():
            values[field] = counted[pk]["indicators"][name]
        rows.append(PlanSummary(**values))
    PlanSummary.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["plan", "period"],
        update_fields=[
            "org_unit",
            "unit_path",
            "illustrative",
            "computed_at",
            "computed_version",
            *SUMMARY_TASK_FIELDS.values(),
            *SUMMARY_INDICATOR_FIELDS.values(),
        ],
    )
    return len(rows)


def summary_fresh(*, plan: Any, period: Period) -> PlanSummary:
    """The plan's stored summary for ``period``, recomputed first if the data changed since
    it was computed (or it was never computed): what a reader of one plan calls."""
    row = PlanSummary.objects.filter(plan=plan, period=period).first()
    if row is not None and row.data_version == row.computed_version:
        return row
    return plan_summary_store(plan=plan, period=period)


def summary_version(*, plan: Any, period_code: str) -> str | None:
    """The version of what ``plan`` counts for the period, its summary brought up to date
    first: what a cached page or answer about the plan is keyed by (never a clock). None
    when the period was never stored (nothing to cache under)."""
    # the fresh row with its period in one query; else the period, then the row made
    summary = (
        PlanSummary.objects.filter(
            plan=plan, period__code=period_code, data_version=F("computed_version")
        )
        .only("pk", "computed_version", "computed_at")
        .first()
    )
    if summary is None:
        stored = Period.objects.filter(code=period_code).first()
        if stored is None:
            return None
        summary = summary_fresh(plan=plan, period=stored)
    return _version_of(summary)


def summary_version_stored(*, plan_id: int, period_code: str) -> str | None:
    """:func:`summary_version` when the stored summary is fresh, without computing anything:
    None when it is stale or missing (a cached page then is made again)."""
    if not 0 < plan_id <= MAX_ROW_ID:  # an id typed in an address, no row can have it
        return None
    summary = (
        PlanSummary.objects.filter(
            plan_id=plan_id, period__code=period_code, data_version=F("computed_version")
        )
        .only("pk", "computed_version", "computed_at")
        .first()
    )
    return None if summary is None else _version_of(summary)


# the largest id a row can have (a 64-bit integer column)
MAX_ROW_ID = 2**63 - 1


def _version_of(summary: PlanSummary) -> str:
    # the row and the time it was computed too: a row made again starts its count again
    return f"{summary.pk}.{summary.computed_version}.{summary.computed_at.timestamp()}"


def _stale_under(unit: OrgUnit, period: Period) -> Any:
    """The plans under ``unit`` whose summary for ``period`` is stale or missing."""
    stale = PlanSummary.objects.filter(
        period=period, unit_path__startswith=unit.path, data_version__gt=F("computed_version")
    ).values("plan_id")
    return Plan.objects.filter(owner_unit__path__startswith=unit.path).filter(
        Q(pk__in=stale) | ~Q(summaries__period=period)
    )


def _stale_count(unit: OrgUnit, period: Period) -> int:
    """How many plans under ``unit`` have no fresh summary for ``period``, by two counts on
    indexes: the plans, less the fresh summaries filed under the subtree's path. A fresh
    summary's path is its plan's (moving a unit marks its plans' summaries stale), so the
    difference is exactly the stale and the missing ones."""
    plans = Plan.objects.filter(owner_unit__in=subtree(unit).values("id")).count()
    fresh = PlanSummary.objects.filter(
        period=period, unit_path__startswith=unit.path, data_version=F("computed_version")
    ).count()
    return plans - fresh


def summaries_freshen(*, unit: OrgUnit, period: Period, limit: int | None = None) -> int:
    """Bring the summaries under ``unit`` for ``period`` up to date before a roll-up reads
    them: recomputed now when there are at most ``limit`` (``THEODOI_FRESH_NOW``, 200 by
    default), else by the background worker. Returns how many are still being updated (0:
    the roll-up is up to date)."""
    limit = settings.THEODOI_FRESH_NOW if limit is None else limit
    if _stale_count(unit, period) == 0:
        return 0
    todo = _stale_under(unit, period)
    count = todo.count()
    if count == 0:
        return 0
    if count <= limit:
        summaries_store(plan_ids=list(todo.values_list("pk", flat=True)), period=period)
        return 0
    transaction.on_commit(lambda: _queue_freshen(unit.pk, period.pk))
    return count


def _freshen_key(unit_id: int, period_id: int) -> str:
    return f"summaries-freshen:{unit_id}:{period_id}"


def _queue_freshen(unit_id: int, period_id: int) -> None:
    """One job per unit and period at a time: readers meanwhile find it queued (the shared
    cache holds the mark; it lapses after ten minutes should a worker die)."""
    from django.core.cache import cache
    from django_q.tasks import async_task

    if not cache.add(_freshen_key(unit_id, period_id), 1, timeout=600):
        return
    async_task(
        "theodoi.progress.services.summaries.summaries_freshen_job",
        unit_id,
        period_id,
        task_name="Cập nhật tổng hợp",
    )


def summaries_freshen_job(unit_id: int, period_id: int) -> int:
    """The background half of :func:`summaries_freshen`: every stale or missing summary."""
    from django.core.cache import cache

    unit, period = OrgUnit.objects.get(pk=unit_id), Period.objects.get(pk=period_id)
    try:
        ids = list(_stale_under(unit, period).values_list("pk", flat=True))
        return summaries_refresh(period=period, plan_ids=ids)
    finally:
        cache.delete(_freshen_key(unit_id, period_id))


REFRESH_CHUNK = 2000  # plans per transaction of a refresh


def summaries_refresh(
    *, period: Period, plan_ids: list[int] | None = None, progress: Any = None
) -> int:
    """Recompute the stored summaries of ``plan_ids`` (every plan by default) for ``period``;
    returns how many. Run by the command line and by the background worker."""
    if plan_ids is None:
        plan_ids = list(Plan.objects.order_by("pk").values_list("pk", flat=True))
    count = 0
    for start in range(0, len(plan_ids), REFRESH_CHUNK):
        # no transaction around a chunk: its missing rows are made (and seen) before its
        # counts are read, and its summaries are written by one statement
        count += summaries_store(plan_ids=plan_ids[start : start + REFRESH_CHUNK], period=period)
        if progress is not None:
            progress(count)
    return count


def summaries_refresh_many(
    *,
    periods: list[Period],
    plan_ids: list[int] | None = None,
    jobs: int = 1,
    progress: Any = None,
) -> dict[str, int]:
    """:func:`summaries_refresh` of several periods, ``jobs`` at a time (PostgreSQL: a
    period's refresh is about half database, half Python, so two at once keep two cores
    busy; each in its own thread with its own connection). One after another on SQLite,
    which writes one transaction at a time, and inside a transaction, whose rows the other
    connections could not see. ``progress(period, count)`` is told after each chunk. Returns
    how many were stored, by period code."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    def refresh(period: Period) -> int:
        told = None if progress is None else (lambda count: progress(period, count))
        return summaries_refresh(period=period, plan_ids=plan_ids, progress=told)

    alone = connection.vendor != "postgresql" or connection.in_atomic_block
    if jobs <= 1 or len(periods) <= 1 or alone:
        return {p.code: refresh(p) for p in periods}

    def one(period: Period) -> int:
        try:
            return refresh(period)
        finally:
            connections.close_all()  # this thread's own connections

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        counts = list(pool.map(one, periods))
    return {p.code: n for p, n in zip(periods, counts, strict=True)}


def summaries_after_change(*, unit: OrgUnit, period: Period | None, since: dt.date) -> None:
    """What counts for ``unit`` changed from ``since`` on (a report approved or unlocked, a
    figure accepted from a document): refresh the stored summaries of the plans it owns or
    reports on — those already computed for periods ending after ``since``, and ``period``.
    Dashboards cached under the old summary's time are thereby out of date."""
    plans = list(
        Plan.objects.filter(Q(owner_unit=unit) | Q(tasks__lead_unit=unit))
        .distinct()
        .values_list("pk", flat=True)
    )
    if not plans:
        return
    periods = set(Period.objects.filter(plan_summaries__plan__in=plans, end__gte=since).distinct())
    if period is not None:
        periods.add(period)
    for each in periods:
        summaries_store(plan_ids=plans, period=each)


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
