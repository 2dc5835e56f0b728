"""Explanations for red: the system asks the lead unit of every overdue task and off-track
indicator when a quarter ends; a coordinator or leader asks by hand; only the lead unit
answers; the answer (and a missing corrective action) shows on the item, on "Việc của tôi"
and in the report's shortcomings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.web.test_views import login
from theodoi.domain.periods import parse_period
from theodoi.notify.models import Kind, Notification
from theodoi.orgs.models import OrgUnit
from theodoi.plans.selectors import plans_for_unit
from theodoi.progress.models import Explanation
from theodoi.progress.selectors.late import overdue_by_lead
from theodoi.progress.services.explanations import explanations_request_due
from theodoi.progress.services.periods import period_ensure
from theodoi.reports.services import report_build

pytestmark = pytest.mark.django_db


def _report_text():
    unit = OrgUnit.objects.get(code="CATHAI")
    snapshot = report_build(
        unit=unit,
        period=parse_period("2026-Q1"),
        plans=plans_for_unit(unit=unit, user=None),
        user=None,
    )
    return "\n".join(p for s in snapshot["sections"] for b in s["blocks"] for p in b["paragraphs"])


def test_at_a_quarters_end_every_red_item_is_asked_once(dataset):
    period_ensure(period=parse_period("2026-Q1"), user=None)
    overdue = [
        row.task for g in overdue_by_lead(user=None, as_of=dt.date(2026, 3, 31)) for row in g.items
    ]
    asked = explanations_request_due(dt.date(2026, 4, 2))
    assert {e.task for e in asked if e.task_id} == set(overdue)
    assert explanations_request_due(dt.date(2026, 4, 3)) and Explanation.objects.count() == len(
        {e.pk for e in asked}
    )  # asking again makes none
    assert not explanations_request_due(dt.date(2026, 4, 20))  # a week after: no longer
    first = next(e for e in asked if e.task_id)
    lead_people = Notification.objects.filter(kind=Kind.EXPLANATION, link__endswith=f"/{first.pk}/")
    assert lead_people.exists()


def test_ask_answer_and_the_report_states_it(dataset):
    coordinator = login("vhxh.tonghop")
    task = next(
        row.task
        for g in overdue_by_lead(user=None, as_of=dt.date(2026, 3, 31))
        for row in g.items
        if row.task.lead_unit and row.task.lead_unit.code == "CATHAI-VHXH"
    )
    asked = coordinator.post(
        reverse("web:explanation_ask"),
        {"loai": "nhiem-vu", "ma": task.pk, "ky": "2026-Q1", "ly-do": "Chậm so với kế hoạch"},
    )
    explanation = Explanation.objects.get(task=task)
    assert asked.status_code == 302 and asked.url == reverse(
        "web:explanation", args=[explanation.pk]
    )
    # a reporter cannot ask; another unit cannot answer; the lead unit can
    assert (
        login("vhxh.baocao")
        .post(reverse("web:explanation_ask"), {"loai": "nhiem-vu", "ma": task.pk, "ky": "2026-Q1"})
        .status_code
        == 403
    )
    page = reverse("web:explanation", args=[explanation.pk])
    assert login("tthcc.baocao").post(page, {"giai-trinh": "x"}).status_code in (403, 404)
    reporter = login("vhxh.baocao")
    assert "Đề nghị giải trình" in reporter.get(reverse("web:my_work")).content.decode()
    reporter.post(page, {"giai-trinh": "Chưa bố trí được kinh phí", "giai-phap": ""})
    explanation.refresh_from_db()
    assert explanation.answered_by.username == "vhxh.baocao"
    detail = coordinator.get(reverse("web:task_detail", args=[task.pk])).content.decode()
    assert "Chưa bố trí được kinh phí" in detail and "data-no-action" in detail
    text = _report_text()
    assert (
        f"Nhiệm vụ {task.code}" in text and "chưa bố trí được kinh phí (chưa có giải pháp" in text
    )
    # on the dashboard (never from a cached page) and beside the item in the late list
    board = coordinator.get(reverse("web:dashboard"), {"don-vi": "CATHAI", "ky": "2026-Q1"})
    assert "đã giải trình, chưa có giải pháp khắc phục" in board.content.decode()
    late = coordinator.get(reverse("web:late_list"), {"ky": "2026-Q1"}).content.decode()
    assert "chưa có giải pháp</a>" in late
    reporter.post(
        page,
        {"giai-trinh": "Chưa bố trí được kinh phí", "giai-phap": "Trình bổ sung dự toán quý II"},
    )
    assert "giải pháp: trình bổ sung dự toán quý II." in _report_text()
    assert Notification.objects.filter(
        recipient=get_user_model().objects.get(username="vhxh.tonghop"), kind=Kind.EXPLANATION
    ).exists()
    assert explanation.history.count() >= 3  # asked, answered, corrected: who and when
