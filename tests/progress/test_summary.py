"""plan_summary counts what the rules say, on a plan built for the purpose."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from theodoi.documents.models import Document
from theodoi.domain.periods import quarter
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Indicator, IndicatorTarget, Plan, Task
from theodoi.progress.models import DataElement, DataValue, Period, TaskUpdate
from theodoi.progress.selectors.tasks import plan_summary

D = dt.date


@pytest.fixture
def small_plan(db, django_user_model):
    user = django_user_model.objects.create(username="nguoi-nhap")
    commune = OrgUnit(code="X", name="Xã Thử", kind="commune")
    commune.refresh_derived()
    commune.save()
    office = OrgUnit(
        code="X-VHXH", name="Phòng Văn hóa - Xã hội xã Thử", kind="office", parent=commune
    )
    office.refresh_derived()
    office.save()
    doc = Document.objects.create(key="1/KH-UBND", doc_type="KH", symbol="1/KH-UBND")
    plan = Plan.objects.create(document=doc, owner_unit=commune, title="Kế hoạch thử")
    q4 = Period.objects.get_or_create(
        code="2025-Q4",
        defaults={
            "kind": "quarter",
            "start": D(2025, 10, 1),
            "end": D(2025, 12, 31),
            "label": "Quý IV năm 2025",
        },
    )[0]
    due = {
        "deadline_kind": "month",
        "deadline_date": D(2026, 1, 31),
        "deadline_text": "Tháng 01/2026",
    }

    def task(code, lead, state=None, done=None, percent=0, **deadline):
        t = Task.objects.create(
            plan=plan, code=code, title=f"Nhiệm vụ {code}", lead_unit=lead, **(deadline or due)
        )
        if state:
            TaskUpdate.objects.create(
                task=t,
                period=q4,
                org_unit=lead,
                reported_state=state,
                completion_date=done,
                progress_percent=percent,
                created_by=user,
                state="approved",
            )
        return t

    task("1", office, "completed", D(2026, 1, 20), 100)  # on time
    task("2", office, "completed", D(2026, 2, 10), 100)  # late
    task(
        "3",
        commune,
        "in_progress",
        None,
        50,
        deadline_kind="quarter",
        deadline_date=D(2026, 6, 30),
        deadline_text="Quý II/2026",
    )
    task("4", commune, "in_progress", None, 40)  # overdue at 31/03
    task(
        "5",
        commune,
        None,
        deadline_kind="year",
        deadline_date=D(2026, 12, 31),
        deadline_text="Năm 2026",
    )  # not started
    element = DataElement.objects.create(code="x.rate", name="Tỷ lệ")
    year = Period.objects.get_or_create(
        code="2025",
        defaults={
            "kind": "year",
            "start": D(2025, 1, 1),
            "end": D(2025, 12, 31),
            "label": "Năm 2025",
        },
    )[0]
    # A reached its 2030 target early; B is far below a straight line from its baseline (40 at
    # the end of 2025) to 60 in 2030; D is just on that line; C has no figure.
    cases = [("A", "70"), ("B", "30"), ("C", None), ("D", "41")]
    for code, value in cases:
        el = DataElement.objects.create(code=f"x.{code}", name=code)
        ind = Indicator.objects.create(
            plan=plan,
            code=code,
            name=f"Chỉ tiêu {code}",
            unit="%",
            data_element=el,
            lead_unit=office,
            baseline_value=Decimal(40),
            baseline_date=D(2025, 12, 31),
        )
        IndicatorTarget.objects.create(
            indicator=ind, year=2030, comparator="gte", value=Decimal(60), text="≥ 60%"
        )
        if value:
            DataValue.objects.create(
                element=el, org_unit=commune, period=year, value=Decimal(value), entered_by=user
            )
    del element
    return plan


def test_each_task_lands_in_the_status_its_facts_define(small_plan):
    summary = plan_summary(plan=small_plan, as_of=D(2026, 3, 31), user=None)
    assert summary["tasks"] == {
        "total": 5,
        "completed_on_time": 1,
        "completed_late": 1,
        "in_progress": 1,
        "overdue": 1,
        "not_started": 1,
    }
    assert summary["indicators"] == {
        "total": 4,
        "achieved": 1,
        "not_achieved": 0,
        "on_track": 1,
        "at_risk": 1,
        "no_data": 1,
    }
    assert summary["sentence"].startswith(
        "Được giao 05 nhiệm vụ và 04 chỉ tiêu; kết quả: hoàn thành "
        "02 nhiệm vụ/01 chỉ tiêu (trong đó hoàn thành đúng hạn 01 nhiệm vụ"
    )
    assert summary["illustrative"] is False


def test_the_same_plan_seen_from_an_earlier_date(small_plan):
    # on 15/01/2026 nothing is late yet, and the completions of 20/01 and 10/02 are unknown
    summary = plan_summary(plan=small_plan, as_of=D(2026, 1, 15), user=None)
    assert summary["tasks"]["overdue"] == 0
    assert summary["tasks"]["in_progress"] == 4
    assert summary["tasks"]["not_started"] == 1


def test_unit_scope_counts_only_tasks_its_subtree_leads(small_plan):
    office = OrgUnit.objects.get(code="X-VHXH")
    summary = plan_summary(plan=small_plan, as_of=D(2026, 3, 31), user=None, unit=office)
    assert summary["tasks"]["total"] == 2
    assert summary["indicators"]["total"] == 4


def test_summary_of_the_demo_plan_adds_up(dataset):
    plan = Plan.objects.get(document__symbol="96/KH-UBND")
    summary = plan_summary(plan=plan, as_of=quarter(2026, 1).end, user=None)
    tasks = summary["tasks"]
    assert tasks["total"] == plan.tasks.count()
    assert tasks["total"] == sum(v for k, v in tasks.items() if k != "total")
    assert summary["indicators"]["total"] == plan.indicators.count()
    assert summary["illustrative"] is True
