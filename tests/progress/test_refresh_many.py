"""Several periods refreshed at once (``summaries_refresh_many``: two threads, each with its
own connection, on PostgreSQL) store what each plan's own dashboard counts at each period's
end (``plan_summary``, the oracle of the stored summaries). The threads' own connections see
only committed rows and commit their own: the test reads them back and puts the committed
rows as they were afterwards."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from theodoi.plans.models import Plan
from theodoi.progress.models import Period, PlanSummary
from theodoi.progress.selectors.rollup import SUMMARY_INDICATOR_FIELDS, SUMMARY_TASK_FIELDS
from theodoi.progress.selectors.tasks import plan_summary
from theodoi.progress.services.summaries import summaries_refresh_many

pytestmark = pytest.mark.django_db(transaction=False)

FIELDS = {**SUMMARY_TASK_FIELDS, **SUMMARY_INDICATOR_FIELDS}


def _elsewhere(work):
    """``work()`` on a connection of its own (committed at once), as the refresh's threads."""
    result = []

    def run():
        try:
            result.append(work())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0] if result else None


def test_periods_refreshed_together_store_what_each_counts(dataset):
    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL (THEODOI_DATABASE_URL=postgres://…): SQLite tính lần lượt")
    # periods the dataset committed: the threads cannot see this test's own transaction
    periods = list(Period.objects.filter(kind="quarter").order_by("-start")[:3])
    if len(periods) < 2:
        pytest.skip("fewer than two quarters in the dataset")
    plans = list(Plan.objects.values_list("pk", flat=True))
    kept = _elsewhere(lambda: list(PlanSummary.objects.filter(period__in=periods).values()))
    try:
        # called outside this test's transaction, as the command line calls it
        counts = _elsewhere(lambda: summaries_refresh_many(periods=periods, plan_ids=plans, jobs=2))
        assert counts == {p.code: len(plans) for p in periods}
        for period in periods:
            assert PlanSummary.objects.filter(period=period).count() == len(plans)
            for row in PlanSummary.objects.filter(period=period).select_related("plan"):
                counted = plan_summary(plan=row.plan, as_of=period.end, user=None)
                for name, field in SUMMARY_TASK_FIELDS.items():
                    assert getattr(row, field) == counted["tasks"][name], (period.code, field)
                for name, field in SUMMARY_INDICATOR_FIELDS.items():
                    assert getattr(row, field) == counted["indicators"][name], (period.code, field)
                assert row.computed_version == row.data_version
    finally:

        def put_back():
            PlanSummary.objects.filter(period__in=periods).delete()
            PlanSummary.objects.bulk_create([PlanSummary(**row) for row in kept])

        _elsewhere(put_back)
