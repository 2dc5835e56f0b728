"""The synthetic national dataset (``theodoi generate``) at its small scale: the rows it adds,
their determinism, their status mixes, that they count where the dashboard counts, and what
happens when it is run again."""

from __future__ import annotations

import collections
import json

import pytest

from theodoi.cli import main
from theodoi.dataset import synthetic
from theodoi.dataset.synthetic import (
    ELEMENT_CODES,
    GENERATION_KEY,
    PROVINCES,
    QUARTERS,
    SCALES,
    SYN_PREFIX,
    GenerationError,
    commune_layout,
    generate,
    stored_checksum,
)
from theodoi.documents.models import Document
from theodoi.domain.periods import PeriodKind
from theodoi.domain.status import ReportedState, TaskStatus
from theodoi.orgs.models import OrgUnit, OrgUnitKind
from theodoi.plans.models import Indicator, Plan, Task
from theodoi.progress.models import DataValue, Period, Submission, TaskUpdate, UpdateState
from theodoi.progress.selectors.dashboard import dashboard
from theodoi.progress.selectors.figures import figure_violations
from theodoi.progress.selectors.tasks import plan_summary

COMMUNE_LEVEL = [OrgUnitKind.COMMUNE, OrgUnitKind.SPECIAL_ZONE]


@pytest.fixture
def template(dataset):
    """The Cát Hải plan the synthetic plans are copied from."""
    return dataset


@pytest.fixture
def small(template, loader_user):
    return generate(scale="small", seed=57, user=loader_user)


def synthetic_plans():
    return Plan.objects.filter(owner_unit__code__startswith=SYN_PREFIX).select_related(
        "owner_unit", "document"
    )


def commune_level_units(province: OrgUnit):
    return OrgUnit.objects.filter(parent=province, kind__in=COMMUNE_LEVEL, valid_to__isnull=True)


def status_histogram() -> collections.Counter:
    return collections.Counter(
        TaskUpdate.objects.filter(org_unit__code__startswith=SYN_PREFIX).values_list(
            "period__code", "reported_state", "progress_percent"
        )
    )


def test_the_34_provinces_have_the_countrys_3321_communes():
    names = [p.name for p in PROVINCES]
    assert len(names) == len(set(names)) == 34
    assert all(name.startswith(("Thành phố ", "Tỉnh ")) for name in names)
    assert sum(p.communes for p in PROVINCES) == 3321
    assert len({p.code for p in PROVINCES}) == 34


def test_the_national_layout_completes_the_real_communes_to_3321(template):
    real = OrgUnit.objects.filter(
        parent__kind=OrgUnitKind.PROVINCE, kind__in=COMMUNE_LEVEL, valid_to__isnull=True
    ).count()
    layout = commune_layout("national")
    assert real >= 1  # Đặc khu Cát Hải
    assert len(layout) == 3321 - real
    assert len({c.code for c in layout}) == len({c.number for c in layout}) == len(layout)
    assert all(c.code.startswith(SYN_PREFIX) for c in layout)


def test_a_commune_is_the_same_at_every_scale(template):
    national = {c.code: c for c in commune_layout("national")}
    for scale in ("small", "province"):
        for commune in commune_layout(scale):
            assert national[commune.code] == commune


def test_small_scale_adds_two_provinces_of_five_communes_each(small, template):
    provinces = OrgUnit.objects.filter(name__in=SCALES["small"].provinces)
    assert provinces.count() == small.counts["provinces"] == 2
    assert all(commune_level_units(p).count() == 5 for p in provinces)
    assert small.counts["communes"] == 10
    # Thành phố Hải Phòng already holds Đặc khu Cát Hải: it was reused, not created again.
    assert OrgUnit.objects.filter(name="Thành phố Hải Phòng").count() == 1
    assert small.counts["provinces_created"] == 1

    communes = OrgUnit.objects.filter(code__startswith=SYN_PREFIX, kind=OrgUnitKind.COMMUNE)
    plans = synthetic_plans()
    tasks_per_plan = template.tasks.count()
    indicators_per_plan = template.indicators.filter(code__startswith="PL2.").count()
    assert indicators_per_plan == 34
    assert communes.count() == plans.count() == small.counts["communes_created"] == 9
    stored = {
        "plans": plans.count(),
        "tasks": Task.objects.filter(plan__in=plans).count(),
        "indicators": Indicator.objects.filter(plan__in=plans).count(),
        "submissions": Submission.objects.filter(org_unit__in=communes).count(),
        "task_updates": TaskUpdate.objects.filter(org_unit__in=communes).count(),
        "data_values": DataValue.objects.filter(org_unit__in=communes).count(),
    }
    quarters = len(QUARTERS)
    assert stored == {
        "plans": 9,
        "tasks": 9 * tasks_per_plan,
        "indicators": 9 * indicators_per_plan,
        "submissions": 9 * quarters,
        "task_updates": 9 * tasks_per_plan * quarters,
        "data_values": 9 * len(ELEMENT_CODES) * quarters,
    }
    assert {k: small.counts[k] for k in stored} == stored


def test_each_commune_plan_copies_the_template_and_is_led_by_the_commune(small, template):
    plan = synthetic_plans().first()
    assert plan.document.symbol.endswith("/KH-UBND") and plan.document.symbol != "96/KH-UBND"
    assert "57-NQ/TW" in plan.title
    copied = {t.code: t for t in plan.tasks.all()}
    for original in template.tasks.all():
        task = copied[original.code]
        assert (task.title, task.output) == (original.title, original.output)
        assert task.lead_unit_id == plan.owner_unit_id
        if original.deadline_text:  # a stated deadline is kept; unstated ones are set per commune
            assert (task.deadline_kind, task.deadline_date) == (
                original.deadline_kind,
                original.deadline_date,
            )
    original = template.indicators.get(code="PL2.32")
    indicator = plan.indicators.get(code="PL2.32")
    assert indicator.name == original.name
    assert sorted(t.text for t in indicator.targets.all()) == sorted(
        t.text for t in original.targets.all()
    )
    assert (indicator.numerator.code, indicator.denominator.code) == (
        "vneid.level2.activated",
        "vneid.level2.base",
    )


def test_same_seed_gives_the_same_rows_and_another_seed_others(template, loader_user):
    first = generate(scale="small", seed=7, user=loader_user)
    written = stored_checksum()
    histogram = status_histogram()
    assert first.checksum == written  # what was stored is what was generated
    again = generate(scale="small", seed=7, replace=True, user=loader_user)
    assert again.checksum == stored_checksum() == written
    assert status_histogram() == histogram
    other = generate(scale="small", seed=8, replace=True, user=loader_user)
    assert other.checksum != written and status_histogram() != histogram


def test_statuses_are_mixed_and_move_forward_over_the_quarters(small):
    states = collections.Counter(
        TaskUpdate.objects.filter(org_unit__code__startswith=SYN_PREFIX).values_list(
            "reported_state", flat=True
        )
    )
    assert set(states) == {s.value for s in ReportedState}
    seen: set[str] = set()
    share_completed = []
    for period in QUARTERS:
        counts = collections.Counter()
        for plan in synthetic_plans():
            counts.update(plan_summary(plan=plan, as_of=period.end, user=None)["tasks"])
        seen |= {name for name, n in counts.items() if n and name != "total"}
        share_completed.append(
            (counts["completed_on_time"] + counts["completed_late"]) / counts["total"]
        )
    assert seen == {s.value for s in TaskStatus}
    assert share_completed[0] < 0.5 < share_completed[-1] < 0.95
    # A one-off task never goes back: once reported completed, it stays completed.
    for task in Task.objects.filter(
        plan__in=synthetic_plans(), deadline_kind__in=["date", "month", "quarter", "year"]
    )[:100]:
        course = list(
            task.updates.order_by("period__start").values_list("reported_state", flat=True)
        )
        if ReportedState.COMPLETED.value in course:
            first = course.index(ReportedState.COMPLETED.value)
            assert set(course[first:]) == {ReportedState.COMPLETED.value}


def test_the_approved_updates_count_on_the_communes_dashboard(small):
    plan = synthetic_plans().order_by("owner_unit__code").first()
    commune = plan.owner_unit
    last = QUARTERS[-1]
    summary = plan_summary(plan=plan, as_of=last.end, user=None)
    updates = TaskUpdate.objects.filter(task__plan=plan, period__code=last.code)
    assert updates.count() == plan.tasks.count() == summary["tasks"]["total"]
    assert set(updates.values_list("state", flat=True)) == {UpdateState.APPROVED}
    completed = updates.filter(reported_state=ReportedState.COMPLETED.value).count()
    assert completed > 0
    assert summary["tasks"]["completed_on_time"] + summary["tasks"]["completed_late"] == completed
    assert summary["illustrative"] is True

    board = dashboard(plan=plan, unit=commune, period=last, as_of=last.end, user=None)
    assert board.counts.as_dict() == summary["tasks"]
    # The figures the commune reported about its own tasks say the same.
    stated = dict(
        DataValue.objects.filter(
            org_unit=commune, period__code=last.code, element__code__startswith="tasks."
        ).values_list("element__code", "value")
    )
    assert stated["tasks.assigned"] == summary["tasks"]["total"]
    assert stated["tasks.completed"] == completed
    assert stated["tasks.completed_on_time"] == summary["tasks"]["completed_on_time"]
    # The indicators measured by the figures are evaluated from the counted values.
    online_rate = next(r for r in board.indicators if r.indicator.code == "PL2.26")
    figures = dict(
        DataValue.objects.filter(org_unit=commune, period__code=last.code).values_list(
            "element__code", "value"
        )
    )
    assert online_rate.actual == figures["dossiers.online"] * 100 / figures["dossiers.received"]


def test_updates_of_a_report_not_yet_approved_do_not_count(small):
    plan = synthetic_plans().order_by("owner_unit__code").first()
    last = QUARTERS[-1]
    before = plan_summary(plan=plan, as_of=last.end, user=None)
    TaskUpdate.objects.filter(task__plan=plan, period__code=last.code).update(
        state=UpdateState.SUBMITTED
    )
    previous = QUARTERS[-2]
    expected = plan_summary(plan=plan, as_of=previous.end, user=None)["tasks"]
    after = plan_summary(plan=plan, as_of=last.end, user=None)["tasks"]
    # Judged on the previous quarter's approved updates instead.
    assert after["total"] == before["tasks"]["total"]
    assert after["completed_on_time"] + after["completed_late"] == (
        expected["completed_on_time"] + expected["completed_late"]
    )


def test_figures_hold_the_builtin_validation_rules(small):
    for commune in OrgUnit.objects.filter(code__startswith=SYN_PREFIX, kind=OrgUnitKind.COMMUNE):
        for period in Period.objects.filter(code__in=[q.code for q in QUARTERS]):
            assert period.kind == PeriodKind.QUARTER
            assert figure_violations(unit=commune, period=period) == [], (commune, period)


def test_bulk_rows_write_no_history_but_the_generation_is_recorded(template, loader_user):
    history_before = TaskUpdate.history.count() + Task.history.count()
    result = generate(scale="small", seed=57, user=loader_user)
    assert TaskUpdate.history.count() + Task.history.count() == history_before
    record = Document.objects.get(key=GENERATION_KEY)
    assert "--scale small, seed 57" in record.subject
    assert result.checksum in record.full_text
    (entry,) = record.history.all()
    assert entry.history_user == loader_user and entry.history_type == "+"


def test_running_again_refuses_and_changes_nothing(small, loader_user):
    counts = (TaskUpdate.objects.count(), DataValue.objects.count(), OrgUnit.objects.count())
    with pytest.raises(GenerationError, match="--replace"):
        generate(scale="small", seed=57, user=loader_user)
    assert (TaskUpdate.objects.count(), DataValue.objects.count(), OrgUnit.objects.count()) == (
        counts
    )


def test_replace_removes_the_previous_synthetic_data_first(small, loader_user):
    real_units = set(
        OrgUnit.objects.exclude(code__startswith=SYN_PREFIX).values_list("code", flat=True)
    )
    again = generate(scale="small", seed=57, replace=True, user=loader_user)
    assert again.removed["task_updates"] == small.counts["task_updates"]
    assert again.removed["data_values"] == small.counts["data_values"]
    assert again.removed["plans"] == small.counts["plans"]
    assert again.counts == small.counts
    assert set(
        OrgUnit.objects.exclude(code__startswith=SYN_PREFIX).values_list("code", flat=True)
    ) == (real_units)
    assert Plan.objects.filter(document__symbol="96/KH-UBND").count() == 1
    record = Document.objects.get(key=GENERATION_KEY)
    newest, first = record.history.all()[:2]
    assert first.history_type == "+" and newest.history_type == "~"
    assert "thay thế" in newest.history_change_reason


def test_an_unknown_scale_is_refused(template):
    with pytest.raises(GenerationError, match="national, province, small"):
        generate(scale="country", seed=1)


def test_generate_command_prints_the_counts_as_json(template, capsys):
    code = main(["generate", "--scale", "small", "--seed", "3", "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    data = json.loads(out)
    assert data["scale"] == "small" and data["seed"] == 3
    assert data["counts"]["communes"] == 10
    assert (
        data["counts"]["task_updates"]
        == TaskUpdate.objects.filter(org_unit__code__startswith=SYN_PREFIX).count()
    )
    assert data["checksum"] == stored_checksum()
    assert "xã, phường" in err  # progress goes to stderr with --json

    code = main(["generate", "--scale", "small"])
    out, err = capsys.readouterr()
    assert code == 2 and "--replace" in err


def test_the_module_is_registered_as_a_command():
    from theodoi.cli import build_parser

    args = build_parser().parse_args(["generate", "--scale", "province", "--replace"])
    assert (args.scale, args.replace, args.seed) == ("province", True, 57)
    assert args.func.__module__ == "theodoi.cli.generate"
    assert synthetic.SCALES.keys() == {"national", "province", "small"}
