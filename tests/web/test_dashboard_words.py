"""The dashboard speaks one vocabulary and never lists a task twice over."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.web.test_views import login
from theodoi.domain.indicators import IndicatorStatus
from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Plan
from theodoi.progress.selectors.dashboard import dashboard

pytestmark = pytest.mark.django_db


def test_an_overdue_task_is_never_also_due_soon(dataset):
    unit = OrgUnit.objects.get(code="CATHAI")
    for plan in Plan.objects.all():
        for code, as_of in (("2026-Q1", dt.date(2026, 3, 1)), ("2026-Q2", dt.date(2026, 6, 1))):
            board = dashboard(
                plan=plan, unit=unit, period=parse_period(code), as_of=as_of, user=None
            )
            overdue = {r.task.id for r in board.overdue}
            assert not overdue & {r.task.id for r, _ in board.due_soon}


def test_one_word_for_on_track(dataset):
    page = login("lanhdao").get(reverse("web:dashboard")).content.decode()
    assert "Đúng tiến độ" not in page and "Đúng lộ trình" in page
    assert IndicatorStatus.ON_TRACK.label == "Đúng lộ trình"


def test_an_indicators_page_draws_its_values_against_the_target(dataset):
    from theodoi.plans.models import Indicator

    client = login("lanhdao")
    drawn = None
    for indicator in Indicator.objects.filter(data_element__isnull=False).order_by("pk"):
        page = client.get(reverse("web:indicator_detail", args=[indicator.pk]), {"ky": "2026-Q4"})
        if page.context["trend"]:
            drawn = page
            break
    assert drawn is not None, "the demo has indicators with values"
    trend = drawn.context["trend"]
    assert len(trend["labels"]) == len(trend["values"]) >= 1
    html = drawn.content.decode()
    assert 'id="du-lieu-dien-bien"' in html and "web/trend.js" in html
    if trend["target"] is not None:
        assert trend["target_label"].startswith("Mục tiêu 20")
