"""Who is late and who is responsible: the units that have not sent the period's progress
(with whom to call and days late), overdue tasks and indicators off track by lead unit; over
what the person may see; as XLSX."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from tests.web.test_views import login
from theodoi.domain.status import TaskStatus
from theodoi.plans.selectors import plans_visible_to
from theodoi.progress.selectors.tasks import task_rows

pytestmark = pytest.mark.django_db


def test_the_late_list_names_units_contacts_and_the_overdue_by_lead_unit(dataset):
    reporter = get_user_model().objects.get(username="tthcc.baocao")
    reporter.first_name, reporter.last_name = "Lan", "Nguyễn Thị"
    reporter.email = "lan@cathai.gov.vn"
    reporter.save()
    coordinator = login("vhxh.tonghop")
    page = coordinator.get(reverse("web:late_list"), {"ky": "2026-Q1"})
    assert page.status_code == 200
    late = {row.unit.code: row for row in page.context["late"]}
    # the demo leaves the service centre to report Q1 itself; Q1 was due on 14/04/2026
    assert "CATHAI-TTHCC" in late and late["CATHAI-TTHCC"].days_late > 200
    assert reporter in late["CATHAI-TTHCC"].contacts
    html = page.content.decode()
    assert "lan@cathai.gov.vn" in html and "14/04/2026" in html
    # the overdue tasks, by lead unit, are those the dashboard's rules call overdue
    user = get_user_model().objects.get(username="vhxh.tonghop")
    as_of = page.context["as_of"]
    expected = sum(
        1
        for plan in plans_visible_to(user=user)
        for row in task_rows(plan=plan, as_of=as_of, user=user)
        if row.status is TaskStatus.OVERDUE
    )
    assert sum(len(g.items) for g in page.context["overdue"]) == expected
    workbook = load_workbook(
        BytesIO(
            coordinator.get(reverse("web:late_list"), {"ky": "2026-Q1", "xuat": "xlsx"}).content
        )
    )
    cells = [[c.value for c in row] for row in workbook.active.iter_rows()]
    assert any(row[0] == "Trung tâm Phục vụ hành chính công" for row in cells)
    # a unit's reporter sees only its own unit
    own = login("vhxh.baocao").get(reverse("web:late_list"), {"ky": "2026-Q1"}).context["late"]
    assert {row.unit.code for row in own} <= {"CATHAI-VHXH"}


def test_over_many_plans_the_list_counts_per_unit_below_from_fresh_summaries(dataset, monkeypatch):
    """A province or the country sees counts per unit below (listing every task of 3,000
    communes is neither readable nor fast), from summaries brought up to date first."""
    import datetime as dt

    from django.test import Client

    from theodoi.orgs.models import OrgUnit
    from theodoi.plans.models import Plan
    from theodoi.progress.selectors.tasks import plan_summary
    from theodoi.web.views import late

    monkeypatch.setattr(late, "DETAIL_PLANS", 0)
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="quantri"))
    page = admin.get(reverse("web:late_list"), {"ky": "2026-Q1"})
    assert page.status_code == 200
    rows = page.context["by_unit"]
    assert page.context["overdue"] is None
    city = OrgUnit.objects.get(code="HP")
    row = next(r for r in rows if r["unit"] == city)
    expected = sum(
        plan_summary(plan=plan, as_of=dt.date(2026, 3, 31), user=None)["tasks"]["overdue"]
        for plan in Plan.objects.filter(owner_unit__path__startswith=city.path)
    )
    assert row["tasks"].overdue == expected > 0
    html = page.content.decode()
    assert "theo đơn vị trực thuộc" in html and city.name in html


def test_counts_still_being_updated_are_not_called_the_latest(dataset, monkeypatch, settings):
    from django.test import Client

    from theodoi.domain.periods import parse_period
    from theodoi.progress.models import PlanSummary
    from theodoi.progress.services.periods import period_ensure
    from theodoi.progress.services.summaries import summaries_refresh
    from theodoi.web.views import late

    summaries_refresh(period=period_ensure(period=parse_period("2026-Q1"), user=None))
    PlanSummary.objects.update(data_version=7)  # data changed since they were computed
    monkeypatch.setattr(late, "DETAIL_PLANS", 0)
    settings.THEODOI_FRESH_NOW = 0  # too many to recompute before answering
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="quantri"))
    html = admin.get(reverse("web:late_list"), {"ky": "2026-Q1"}).content.decode()
    assert "đang cập nhật" in html and "tính theo số liệu mới nhất" not in html
