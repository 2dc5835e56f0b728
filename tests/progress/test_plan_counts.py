"""The stored summaries' set-wise computation (``selectors.plan_counts``) counts every plan
exactly as the plan's own dashboard does (``plan_summary``, the oracle), on the Cát Hải
dataset and the generated one, at several dates, on both databases — adjustments, ratios of
figures, approvals and illustrative data included."""

from __future__ import annotations

import datetime as dt

import pytest

from theodoi.dataset.synthetic import generate
from theodoi.documents.models import Document
from theodoi.domain.periods import parse_period
from theodoi.plans.models import Plan, PlanAdjustment, Task, TaskChange
from theodoi.progress.models import PlanSummary, TaskUpdate
from theodoi.progress.selectors.plan_counts import plans_counted
from theodoi.progress.selectors.tasks import plan_summary
from theodoi.progress.services.periods import period_ensure
from theodoi.progress.services.summaries import summaries_refresh

pytestmark = pytest.mark.django_db

DATES = [
    dt.date(2025, 12, 31),
    parse_period("2026-Q1").end,
    dt.date(2026, 5, 20),
    parse_period("2026-Q3").end,
    parse_period("2026-Q4").end,
]


def _oracle(plan_ids, as_of):
    plans = Plan.objects.filter(pk__in=plan_ids).select_related("owner_unit", "document")
    return {
        plan.pk: {
            key: value
            for key, value in plan_summary(plan=plan, as_of=as_of, user=None).items()
            if key in ("tasks", "indicators", "illustrative")
        }
        for plan in plans
    }


def _adjust(plan: Plan) -> None:
    """An adjustment that moves one task's deadline and takes another out from April."""
    tasks = list(Task.objects.filter(plan=plan).order_by("position")[:2])
    document = Document.objects.create(
        key="02-TB/BCĐ@2026-04-01",
        symbol="02-TB/BCĐ",
        doc_type="TB",
        issued_on=dt.date(2026, 4, 1),
        issuer="Ban Chỉ đạo đặc khu Cát Hải",
        subject="Điều chỉnh Chương trình công tác năm 2026",
    )
    adjustment = PlanAdjustment.objects.create(
        plan=plan, document=document, effective_from=dt.date(2026, 4, 1)
    )
    TaskChange.objects.create(
        adjustment=adjustment,
        task=tasks[0],
        kind=TaskChange.Kind.RESCHEDULED,
        deadline_kind="date",
        deadline_date=dt.date(2026, 3, 15),
    )
    TaskChange.objects.create(adjustment=adjustment, task=tasks[1], kind=TaskChange.Kind.REMOVED)


def test_every_plan_counts_as_its_dashboard_at_every_date(dataset, loader_user):
    generate(scale="small", seed=57, user=loader_user)
    adjusted = Plan.objects.get(document__symbol="96/KH-UBND")
    _adjust(adjusted)
    plan_ids = list(Plan.objects.order_by("pk").values_list("pk", flat=True))
    assert len(plan_ids) >= 10 and TaskUpdate.objects.count() > 500
    for as_of in DATES:
        counted = plans_counted(plan_ids=plan_ids, as_of=as_of)
        assert counted == _oracle(plan_ids, as_of), as_of
    # the adjustment counts: from April the plan holds one task fewer
    before = plans_counted(plan_ids=[adjusted.pk], as_of=DATES[1])[adjusted.pk]["tasks"]
    after = plans_counted(plan_ids=[adjusted.pk], as_of=DATES[2])[adjusted.pk]["tasks"]
    assert after["total"] == before["total"] - 1
    # the dates do tell the plans apart: the counts are not all alike
    assert len({str(c["tasks"]) for c in counted.values()}) > 3
    assert any(c["illustrative"] for c in counted.values())


def test_a_refresh_stores_the_same_counts_and_marks_them_fresh(dataset):
    period = period_ensure(period=parse_period("2026-Q1"), user=None)
    assert summaries_refresh(period=period) == Plan.objects.count()
    for summary in PlanSummary.objects.filter(period=period).select_related("plan__document"):
        live = plan_summary(plan=summary.plan, as_of=period.end, user=None)
        assert summary.tasks_completed_on_time == live["tasks"]["completed_on_time"]
        assert summary.tasks_overdue == live["tasks"]["overdue"]
        assert summary.indicators_no_data == live["indicators"]["no_data"]
        assert summary.data_version == summary.computed_version
