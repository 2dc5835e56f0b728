"""Fresh by construction: every write that changes what a plan counts — through a service,
the admin's ORM save, a bulk ``update()``, raw SQL — marks the stored summaries it affects as
stale in the same transaction (database triggers, progress/freshness.py); the roll-up of the
commune, the city and the country then answers from the changed data, and says it is up to
date only when it is. The oracle is the plans' own live computation (``plan_summary``)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.urls import reverse

from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import IndicatorTarget, Plan, Task
from theodoi.progress.models import DataValue, PlanSummary, Submission, TaskUpdate
from theodoi.progress.selectors.tasks import plan_summary
from theodoi.progress.services.summaries import rollup_fresh

pytestmark = pytest.mark.django_db(transaction=False)

Q1 = parse_period("2026-Q1")


def _levels():
    commune = OrgUnit.objects.get(code="CATHAI")
    city = OrgUnit.objects.get(code="HP")
    country = OrgUnit.objects.get(parent__isnull=True, path__startswith=city.path[:4])
    return [commune, city, country]


def _live(unit):
    """What the plans under ``unit`` count, computed now from the data (the oracle)."""
    tasks: dict[str, int] = {}
    indicators: dict[str, int] = {}
    for plan in Plan.objects.filter(owner_unit__path__startswith=unit.path):
        counted = plan_summary(plan=plan, as_of=Q1.end, user=None)
        for name, n in counted["tasks"].items():
            tasks[name] = tasks.get(name, 0) + n
        for name, n in counted["indicators"].items():
            indicators[name] = indicators.get(name, 0) + n
    return tasks, indicators


def _answers():
    return [rollup_fresh(unit=unit, period=Q1, user=None) for unit in _levels()]


def _assert_fresh_and_true(before=None, *, changed=True):
    answers = _answers()
    for unit, answer in zip(_levels(), answers, strict=True):
        tasks, indicators = _live(unit)
        assert answer["tasks"] == tasks, unit.code
        assert answer["indicators"] == indicators, unit.code
        assert answer["computed"]["up_to_date"] and answer["computed"]["stale"] == 0
    if before is not None and changed:
        for old, new in zip(before, answers, strict=True):
            assert (old["tasks"], old["indicators"]) != (new["tasks"], new["indicators"])
    return answers


def _open_task(plan):
    """A task of ``plan`` not completed by the end of Q1, its deadline after it."""
    from django.db.models import Q

    open_tasks = plan.tasks.filter(Q(deadline_date__gt=Q1.end) | Q(deadline_date__isnull=True))
    for task in open_tasks.order_by("position"):
        done = TaskUpdate.objects.filter(
            task=task, reported_state="completed", period__end__lte=Q1.end
        ).exists()
        if not done:
            return task
    pytest.skip("no open task in the dataset")


def test_a_deadline_saved_as_the_admin_does_changes_every_level(summarised):
    before = _assert_fresh_and_true()
    task = _open_task(Plan.objects.get(document__symbol="96/KH-UBND"))
    task.deadline_date = dt.date(2026, 1, 15)  # now overdue at the end of Q1
    task.deadline_kind, task.deadline_text = "date", "15/01/2026"
    task.save()
    summary = PlanSummary.objects.get(plan=task.plan, period=summarised)
    assert summary.data_version > summary.computed_version  # marked in the same transaction
    assert summary.data_changed_at is not None
    after = _assert_fresh_and_true(before)
    assert after[0]["tasks"]["overdue"] == before[0]["tasks"]["overdue"] + 1


def test_a_bulk_update_and_raw_sql_are_seen_too(summarised):
    before = _assert_fresh_and_true()
    plan = Plan.objects.get(document__symbol="96/KH-UBND")
    task = _open_task(plan)
    Task.objects.filter(pk=task.pk).update(
        deadline_kind="date", deadline_date=dt.date(2026, 2, 1), deadline_text="01/02/2026"
    )
    middle = _assert_fresh_and_true(before)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE plans_task SET deadline_date = %s WHERE id = %s",
            [dt.date(2027, 6, 30), task.pk],
        )
    _assert_fresh_and_true(middle)


def test_a_progress_update_and_a_report_reopened_are_seen(summarised):
    before = _assert_fresh_and_true()
    counted = TaskUpdate.objects.filter(
        task__plan__owner_unit__path__startswith=_levels()[0].path,
        period__end__lte=Q1.end,
        state="approved",
        reported_state="completed",
    ).first()
    if counted is None:
        pytest.skip("no completed task in Q1")
    TaskUpdate.objects.filter(pk=counted.pk).update(
        reported_state="in_progress", completion_date=None
    )
    after = _assert_fresh_and_true(before)
    # a report sent back: its updates stop counting, whatever wrote the change
    Submission.objects.filter(org_unit__path__startswith=_levels()[0].path).update(state="returned")
    _assert_fresh_and_true(after, changed=False)


def test_a_figure_and_a_target_change_the_indicators(summarised):
    before = _assert_fresh_and_true()
    plan = Plan.objects.get(document__symbol="96/KH-UBND")
    changed = False
    for target in IndicatorTarget.objects.filter(indicator__plan=plan, year__gte=2026):
        IndicatorTarget.objects.filter(pk=target.pk).update(
            value=Decimal("0"), comparator="gte", value_high=None
        )
        changed = True
    assert changed
    middle = _assert_fresh_and_true(before)
    value = DataValue.objects.filter(
        element__in=[i.data_element for i in plan.indicators.exclude(data_element=None)],
        org_unit=plan.owner_unit,
        period__end__lte=Q1.end,
    ).first()
    if value is None:
        pytest.skip("no figure of the plan's indicators")
    DataValue.objects.filter(pk=value.pk).delete()
    summary = PlanSummary.objects.get(plan=plan, period=summarised)
    assert summary.data_version > summary.computed_version
    _assert_fresh_and_true(middle, changed=False)
    assert PlanSummary.objects.filter(plan=plan, data_changed_at__isnull=False).exists()


def test_a_figure_of_another_unit_leaves_this_plan_alone(summarised):
    """Marks are precise: a commune's figure does not make every plan stale."""
    cathai = _levels()[0]
    other = DataValue.objects.exclude(org_unit__path__startswith=cathai.path).first()
    if other is None:
        pytest.skip("no figure outside Cát Hải")
    DataValue.objects.filter(pk=other.pk).update(value=other.value + 1)
    plan = Plan.objects.get(document__symbol="96/KH-UBND")
    summary = PlanSummary.objects.get(plan=plan, period=summarised)
    assert summary.data_version == summary.computed_version


def test_a_unit_moved_takes_its_summaries_along(summarised):
    cathai = _levels()[0]
    old = cathai.path
    new = old.replace("/CATHAI/", "/CATHAI2/")
    OrgUnit.objects.filter(path__startswith=old).update(path=new)  # the tree's own rewrite
    paths = set(
        PlanSummary.objects.filter(plan__owner_unit=cathai).values_list("unit_path", flat=True)
    )
    assert paths and all(p.startswith(new) for p in paths)


def test_the_dashboard_page_shows_the_change_at_once(summarised, client, django_user_model):
    from tests.web.test_views import login

    leader = login("lanhdao")
    url = reverse("web:dashboard")
    query = {"don-vi": "CATHAI", "ky": Q1.code}
    first = leader.get(url, query)
    assert first.context["cache_key"]
    overdue = first.context["data"].counts.overdue
    task = _open_task(Plan.objects.get(document__symbol="96/KH-UBND"))
    Task.objects.filter(pk=task.pk).update(
        deadline_kind="date", deadline_date=dt.date(2026, 1, 20), deadline_text="20/01/2026"
    )
    second = leader.get(url, query)
    assert second.context["cache_key"] != first.context["cache_key"]
    assert second.context["data"].counts.overdue == overdue + 1
    # and read again with nothing changed, the page comes from the cache (kept whole:
    # web/pagecache.py)
    third = leader.get(url, query)
    assert third.context is None
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')
    assert token.sub(b"", third.content) == token.sub(b"", second.content)


def test_many_stale_plans_are_left_to_the_worker_and_the_answer_says_so(summarised):
    country = _levels()[2]
    PlanSummary.objects.update(data_version=5)
    answer = rollup_fresh(unit=country, period=Q1, user=None, limit=0)
    computed = answer["computed"]
    assert not computed["up_to_date"]
    assert computed["updating"] == computed["stale"] == PlanSummary.objects.count()


def test_every_table_that_counts_has_its_trigger(db):
    """A later migration that remakes one of these tables on SQLite drops its triggers: it
    must install them again (progress.freshness.install)."""
    from theodoi.progress import freshness

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal"
            )
        tables = {row[0] for row in cursor.fetchall()}
    assert {*freshness.TABLES, "orgs_orgunit", "progress_period"} <= tables


def _someone():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="lanhdao")


def test_a_report_approved_marks_the_plans_its_figures_count_in(summarised):
    """A figure sent by another unit for the zone (a city department, say) counts once that
    unit's report is approved: approving it marks the zone's plans, though the unit is
    neither under the zone nor above it."""
    plan = Plan.objects.get(document__symbol="96/KH-UBND")
    element = plan.indicators.exclude(data_element=None).first().data_element
    above = set(plan.owner_unit.path.strip("/").split("/"))
    office = (
        OrgUnit.objects.exclude(path__startswith=plan.owner_unit.path)
        .exclude(code__in=above)
        .first()
    )
    submission = Submission.objects.create(org_unit=office, period=summarised, state="submitted")
    DataValue.objects.update_or_create(
        element=element,
        org_unit=plan.owner_unit,
        period=summarised,
        breakdown="",
        defaults={"value": Decimal("1"), "reporting_unit": office, "entered_by": _someone()},
    )
    PlanSummary.objects.update(computed_version=F("data_version"))  # all fresh again
    Submission.objects.filter(pk=submission.pk).update(state="approved")
    summary = PlanSummary.objects.get(plan=plan, period=summarised)
    assert summary.data_version > summary.computed_version
    _assert_fresh_and_true()


def test_drafts_and_other_units_figures_mark_nothing(summarised):
    """What cannot change a count leaves the summaries fresh: a draft update saved, a report
    of a unit that sent no figure approved, a figure of the plan's element for another unit."""
    plan = Plan.objects.get(document__symbol="96/KH-UBND")
    task = plan.tasks.exclude(updates__period=summarised).order_by("position").first()
    if task is None:
        pytest.skip("every task of the plan has an update for the period")
    draft = TaskUpdate.objects.create(
        task=task,
        period=summarised,
        org_unit=task.lead_unit or plan.owner_unit,
        state="draft",
        reported_state="in_progress",
    )
    draft.results = "Đang soạn."
    draft.save()
    quiet = (
        OrgUnit.objects.exclude(
            pk__in=DataValue.objects.filter(reporting_unit__isnull=False).values("reporting_unit")
        )
        .exclude(pk=plan.owner_unit_id)
        .filter(path__startswith=plan.owner_unit.path)
        .first()
    )
    Submission.objects.update_or_create(
        org_unit=quiet, period=summarised, defaults={"state": "approved"}
    )
    element = plan.indicators.exclude(data_element=None).first().data_element
    elsewhere = (
        OrgUnit.objects.exclude(pk=plan.owner_unit_id).filter(parent=plan.owner_unit).first()
    )
    DataValue.objects.update_or_create(
        element=element,
        org_unit=elsewhere,
        period=summarised,
        breakdown="",
        defaults={"value": Decimal("5"), "entered_by": _someone()},
    )
    summary = PlanSummary.objects.get(plan=plan, period=summarised)
    assert summary.data_version == summary.computed_version


def test_a_period_moved_marks_its_summaries(summarised):
    from theodoi.progress.models import Period

    Period.objects.filter(pk=summarised.pk).update(end=dt.date(2026, 3, 30))
    assert not PlanSummary.objects.filter(
        period=summarised, data_version=F("computed_version")
    ).exists()


def test_one_background_job_per_unit_and_period_at_a_time(
    summarised, monkeypatch, django_capture_on_commit_callbacks
):
    """Readers of a roll-up with many stale plans queue one job, not one each."""
    import django_q.tasks
    from django.core.cache import cache

    queued = []
    monkeypatch.setattr(django_q.tasks, "async_task", lambda *args, **kw: queued.append(args))
    country = _levels()[2]
    cache.clear()
    PlanSummary.objects.update(data_version=F("data_version") + 1)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            rollup_fresh(unit=country, period=Q1, user=None, limit=0)
    assert len(queued) == 1
    _, unit_id, period_id = queued[0]
    from theodoi.progress.services.summaries import summaries_freshen_job

    assert summaries_freshen_job(unit_id, period_id) == Plan.objects.count()
    assert rollup_fresh(unit=country, period=Q1, user=None, limit=0)["computed"]["up_to_date"]
