"""A notice adjusting the plan: the counts of the dashboard and the report follow it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.web.test_views import login
from theodoi.documents.models import Document
from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Indicator, IndicatorTarget, Task, TaskChange
from theodoi.plans.selectors import tasks_in_force
from theodoi.plans.services import (
    indicator_target_adjust,
    plan_adjustment_record,
    task_add_by_adjustment,
    task_change_record,
)
from theodoi.progress.models import TaskUpdate
from theodoi.progress.selectors.tasks import period_counts

pytestmark = pytest.mark.django_db
Q1 = parse_period("2026-Q1")
Q2 = parse_period("2026-Q2")


@pytest.fixture
def notice(dataset, django_user_model):
    cathai = OrgUnit.objects.get(code="CATHAI")
    document = Document.objects.create(
        key="01-TB/BCĐ@2026-02-10",
        symbol="01-TB/BCĐ",
        doc_type="TB",
        issued_on=dt.date(2026, 2, 10),
        issuer="Ban Chỉ đạo đặc khu Cát Hải",
        issuer_unit=OrgUnit.objects.get(code="CATHAI-BCD"),
        subject="Điều chỉnh Chương trình công tác năm 2026",
    )
    coordinator = django_user_model.objects.get(username="vhxh.tonghop")
    adjustment = plan_adjustment_record(
        plan=dataset, document=document, effective_from=dt.date(2026, 2, 10), user=coordinator
    )
    assert cathai
    return adjustment, coordinator


def _due(plan, period):
    return period_counts(plan=plan, period=period, user=None).due.total


def test_removing_moving_and_adding_tasks_changes_the_periods_counts(dataset, notice):
    adjustment, coordinator = notice
    due_q1, due_q2 = _due(dataset, Q1), _due(dataset, Q2)
    held = tasks_in_force(plan=dataset, on=Q1.end, user=None)
    counts = period_counts(plan=dataset, period=Q1, user=None)
    due_task = counts.due_rows[0].task
    task_change_record(
        adjustment=adjustment, task=due_task, kind="removed", year=2026, user=coordinator
    )
    assert _due(dataset, Q1) == due_q1 - 1
    assert due_task not in tasks_in_force(plan=dataset, on=Q1.end, user=None)
    assert due_task in tasks_in_force(plan=dataset, on=dt.date(2027, 3, 31), user=None)
    due_q2 = _due(dataset, Q2)  # the removed task, overdue since 2025, was due there too
    # a recurring task given a deadline in the second quarter is due there
    done = set(
        TaskUpdate.objects.filter(task__plan=dataset, reported_state="completed").values_list(
            "task_id", flat=True
        )
    )
    later = next(t for t in held if t.deadline.kind.is_recurring and t.id not in done)
    task_change_record(
        adjustment=adjustment,
        task=later,
        kind="rescheduled",
        deadline_text="Tháng 5/2026",
        user=coordinator,
    )
    assert _due(dataset, Q2) == due_q2 + 1
    moved = next(t for t in tasks_in_force(plan=dataset, on=Q2.end, user=None) if t == later)
    assert moved.deadline.text == "Tháng 5/2026"
    # a task the notice adds counts from the notice on, not before
    task_add_by_adjustment(
        adjustment=adjustment,
        code="BS1",
        title="Triển khai nền tảng họp không giấy",
        deadline_text="Tháng 6/2026",
        user=coordinator,
    )
    assert _due(dataset, Q2) == due_q2 + 2
    added = Task.objects.get(plan=dataset, code="BS1")
    assert added not in tasks_in_force(plan=dataset, on=dt.date(2026, 1, 31), user=None)
    assert TaskChange.objects.filter(adjustment=adjustment).count() == 3
    assert added.history.first().history_change_reason.startswith("Bổ sung theo")


def test_wrong_changes_are_refused_in_vietnamese(dataset, notice, django_user_model):
    adjustment, coordinator = notice
    task = dataset.tasks.first()
    with pytest.raises(ValidationError, match="Không hiểu thời hạn"):
        task_change_record(
            adjustment=adjustment,
            task=task,
            kind="rescheduled",
            deadline_text="sớm",
            user=coordinator,
        )
    with pytest.raises(ValidationError, match="Năm áp dụng 1900"):
        task_change_record(
            adjustment=adjustment, task=task, kind="removed", year=1900, user=coordinator
        )
    with pytest.raises(ValidationError, match="đã có nhiệm vụ mã"):
        task_add_by_adjustment(
            adjustment=adjustment,
            code=task.code,
            title="Trùng mã",
            deadline_text="Năm 2026",
            user=coordinator,
        )
    reporter = django_user_model.objects.get(username="vhxh.baocao")
    with pytest.raises(PermissionDenied):
        task_change_record(adjustment=adjustment, task=task, kind="removed", user=reporter)


def test_the_screen_records_an_adjustment_and_refuses_a_reporter(dataset, notice):
    adjustment, _ = notice
    url = reverse("web:plan_adjustments", args=[dataset.pk])
    coordinator = login("vhxh.tonghop")
    page = coordinator.get(url).content.decode()
    assert "01-TB/BCĐ" in page and "Bổ sung nhiệm vụ" in page
    response = coordinator.post(
        url,
        {
            "action": "add",
            "adjustment": adjustment.pk,
            "code": "BS2",
            "title": "Số hóa hồ sơ lưu trữ",
            "deadline_text": "Quý II/2026",
            "year": "2026",
        },
        follow=True,
    )
    assert "Đã bổ sung nhiệm vụ BS2" in response.content.decode()
    bad = coordinator.post(
        url,
        {"action": "adjustment", "symbol": "99-TB/KHONG", "effective_from": "01/03/2026"},
        follow=True,
    ).content.decode()
    assert "Không có văn bản số, ký hiệu “99-TB/KHONG”" in bad
    reporter = login("vhxh.baocao")
    assert "Ghi văn bản điều chỉnh" not in reporter.get(url).content.decode()
    assert reporter.post(url, {"action": "adjustment"}).status_code == 403


def test_a_target_changed_by_the_notice_is_entered_on_the_screen(dataset, notice):
    adjustment, _ = notice
    indicator = Indicator.objects.get(plan=dataset, code="PL2.1")
    url = reverse("web:plan_adjustments", args=[dataset.pk])
    coordinator = login("vhxh.tonghop")
    page = coordinator.post(
        url,
        {
            "action": "target",
            "adjustment": adjustment.pk,
            "indicator": indicator.pk,
            "year": "2030",
            "text": "≥ 80%",
        },
        follow=True,
    ).content.decode()
    assert "Đã ghi mục tiêu mới của chỉ tiêu PL2.1 cho năm 2030" in page
    target = IndicatorTarget.objects.get(indicator=indicator, adjusted_by=adjustment.document)
    assert (target.year, target.text, target.effective_from) == (
        2030,
        "≥ 80%",
        dt.date(2026, 2, 10),
    )
    bad = coordinator.post(
        url,
        {
            "action": "target",
            "adjustment": adjustment.pk,
            "indicator": indicator.pk,
            "year": "2030",
            "text": "khoảng tám mươi",
        },
        follow=True,
    ).content.decode()
    assert "khoảng tám mươi" in bad  # the target that cannot be read is named
    assert IndicatorTarget.objects.filter(adjusted_by=adjustment.document).count() == 1


def test_only_the_plans_coordinator_adjusts_a_target(dataset, notice, django_user_model):
    adjustment, _ = notice
    indicator = Indicator.objects.get(plan=dataset, code="PL2.1")
    leader = django_user_model.objects.get(username="lanhdao")
    with pytest.raises(PermissionDenied):
        indicator_target_adjust(
            indicator=indicator,
            year=2030,
            text="≥ 80%",
            document=adjustment.document,
            effective_from=adjustment.effective_from,
            user=leader,
        )


def test_the_lead_unit_is_told_of_a_task_moved_or_given_to_it(dataset, notice):
    from theodoi.notify.models import Kind, Notification

    adjustment, coordinator = notice
    vhxh = OrgUnit.objects.get(code="CATHAI-VHXH")
    task = next(t for t in dataset.tasks.all() if t.lead_unit == vhxh)
    task_change_record(
        adjustment=adjustment,
        task=task,
        kind="rescheduled",
        deadline_text="Tháng 9/2026",
        user=coordinator,
    )
    told = Notification.objects.get(recipient__username="vhxh.baocao", kind=Kind.ASSIGNED)
    assert told.title == (
        f"Nhiệm vụ {task.code} được điều chỉnh (thời hạn mới: Tháng 9/2026) theo "
        f"{adjustment.document}"
    )
    task_add_by_adjustment(
        adjustment=adjustment,
        code="BS2",
        title="Số hóa hồ sơ văn hóa",
        deadline_text="Tháng 10/2026",
        lead_unit=vhxh,
        user=coordinator,
    )
    assert Notification.objects.filter(
        recipient__username="vhxh.baocao", title__startswith="Nhiệm vụ mới giao cho đơn vị: BS2"
    ).exists()
    # another unit's people are not told
    assert not Notification.objects.filter(recipient__username="tthcc.baocao").exists()
