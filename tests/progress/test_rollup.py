"""Roll-up over a unit's subtree: the stored plan summaries add up to what each plan's own
dashboard shows, say when they were computed, and percentages are recomputed, not added."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Plan
from theodoi.progress.models import DataElement, DataValue, PlanSummary, Submission, TaskUpdate
from theodoi.progress.selectors.rollup import rollup_summary
from theodoi.progress.selectors.tasks import plan_summary

Q1 = parse_period("2026-Q1")


def test_a_plans_summary_is_what_its_dashboard_counts(summarised):
    plan = Plan.objects.get(document__symbol="96/KH-UBND")
    direct = plan_summary(plan=plan, as_of=Q1.end, user=None)
    rolled = rollup_summary(unit=plan.owner_unit, period=Q1, user=None)
    assert rolled["tasks"] == direct["tasks"]
    assert rolled["indicators"] == direct["indicators"]
    assert rolled["sentence"] == direct["sentence"]
    assert rolled["computed"]["plans"] == rolled["computed"]["plans_summarised"] >= 1


def test_the_city_adds_up_the_plans_below_it(summarised):
    city = OrgUnit.objects.get(code="HP")
    plans = Plan.objects.filter(owner_unit__path__startswith=city.path)
    expected = {}
    for plan in plans:
        for name, count in plan_summary(plan=plan, as_of=Q1.end, user=None)["tasks"].items():
            expected[name] = expected.get(name, 0) + count
    assert rollup_summary(unit=city, period=Q1, user=None)["tasks"] == expected


def test_the_rollup_says_when_it_was_computed_and_when_data_changed_since(summarised):
    cathai = OrgUnit.objects.get(code="CATHAI")
    fresh = rollup_summary(unit=cathai, period=Q1, user=None)["computed"]
    assert fresh["oldest"] is not None and fresh["up_to_date"]
    # The time of the last approval is the data's time; the approval time alone changes
    # nothing counted: still up to date.
    later = timezone.now() + dt.timedelta(minutes=5)
    Submission.objects.filter(org_unit__path__startswith=cathai.path).update(approved_at=later)
    if not Submission.objects.filter(org_unit__path__startswith=cathai.path).exists():
        pytest.skip("no submission in the dataset")
    same = rollup_summary(unit=cathai, period=Q1, user=None)["computed"]
    assert same["up_to_date"] and same["data_changed_at"] == later
    # An approved update taken back is a change of what counts: no longer up to date.
    TaskUpdate.objects.filter(
        task__plan__owner_unit=cathai, state="approved", period__end__lte=Q1.end
    ).update(state="returned")
    stale = rollup_summary(unit=cathai, period=Q1, user=None)["computed"]
    assert not stale["up_to_date"] and stale["stale"] >= 1


def test_a_plan_without_a_summary_is_reported_missing(dataset):
    cathai = OrgUnit.objects.get(code="CATHAI")
    PlanSummary.objects.all().delete()
    computed = rollup_summary(unit=cathai, period=Q1, user=None)["computed"]
    assert computed["plans_summarised"] == 0 < computed["plans"]
    assert not computed["up_to_date"]


def test_percentages_are_recomputed_from_their_parts_not_added(summarised):
    city = OrgUnit.objects.get(code="HP")
    figures = rollup_summary(unit=city, period=Q1, user=None)["figures"]
    online, received = figures["dossiers.online"]["value"], figures["dossiers.received"]["value"]
    assert figures["dossiers.online_rate"]["recomputed"] is True
    assert figures["dossiers.online_rate"]["value"] == (online * 100 / received).quantize(
        Decimal("0.01")
    )
    rate_codes = set(DataElement.objects.filter(unit="%").values_list("code", flat=True))
    for code in rate_codes & set(figures):
        assert figures[code].get("recomputed"), code
    stored = DataValue.objects.filter(element__code="dossiers.received", period__code=Q1.code)
    assert received == sum(v.value for v in stored if v.org_unit.path.startswith(city.path))


def test_approval_refreshes_the_summary(summarised, django_user_model):
    plan = Plan.objects.get(document__symbol="96/KH-UBND")
    summary = PlanSummary.objects.get(plan=plan, period=summarised)
    PlanSummary.objects.filter(pk=summary.pk).update(
        tasks_not_started=999, computed_at=timezone.now() - dt.timedelta(days=1)
    )
    from theodoi.progress.services.submissions import _summaries_after_review

    submission = Submission.objects.filter(period=summarised).first() or Submission(
        org_unit=plan.owner_unit, period=summarised
    )
    _summaries_after_review(submission)
    summary.refresh_from_db()
    assert summary.tasks_not_started != 999
    assert summary.computed_at > timezone.now() - dt.timedelta(minutes=1)


def test_a_province_report_adds_up_the_units_below(summarised):
    from theodoi.reports.services import report_build

    city = OrgUnit.objects.get(code="HP")
    snapshot = report_build(unit=city, period=Q1, plans=[], user=None)
    assert snapshot["rollup"]["units"] == ["CATHAI"]
    block = next(
        b
        for section in snapshot["sections"]
        for b in section["blocks"]
        if b["heading"] == "Tổng hợp các đơn vị trực thuộc"
    )
    plan = Plan.objects.get(document__symbol="96/KH-UBND")
    tasks = plan_summary(plan=plan, as_of=Q1.end, user=None)["tasks"]
    done = tasks["completed_on_time"] + tasks["completed_late"]
    assert f"Đặc khu Cát Hải: hoàn thành {done}/{tasks['total']} nhiệm vụ" in " ".join(
        block["paragraphs"]
    )


def test_the_background_job_refreshes_the_current_quarters(dataset):
    from django_q.tasks import async_task

    PlanSummary.objects.all().delete()
    # Under the tests (and on SQLite) django-q2 runs the job at once, in this process.
    async_task("theodoi.progress.services.summaries_refresh_current")
    assert PlanSummary.objects.count() == 2 * Plan.objects.count()


def test_the_country_adds_every_figure_and_another_tree_is_left_out(summarised, loader_user):
    """The top of the only tree reads every figure without testing each unit; once another
    tree stands beside it, only its own subtree is added up."""
    from theodoi.progress.selectors.rollup import subtree_figures

    country = OrgUnit.objects.get(parent__isnull=True, path__startswith="/VN/")
    counted = DataValue.objects.filter(
        element__code="dossiers.received", period__code=Q1.code, breakdown=""
    )
    everything = subtree_figures(unit=country, period_code=Q1.code)["dossiers.received"]
    assert everything["units"] == sum(
        1
        for v in counted
        if v.reporting_unit is None
        or v.reporting_unit.submissions.filter(period=v.period, state="approved").exists()
    )
    other = OrgUnit(code="KHAC", name="Cây đơn vị khác", kind="country")
    other.refresh_derived()
    other.save()
    DataValue.objects.create(
        element=DataElement.objects.get(code="dossiers.received"),
        org_unit=other,
        period=summarised,
        value=Decimal(1_000_000),
        is_illustrative=True,
    )
    assert subtree_figures(unit=country, period_code=Q1.code)["dossiers.received"] == everything
    assert subtree_figures(unit=other, period_code=Q1.code)["dossiers.received"]["value"] == (
        1_000_000
    )
