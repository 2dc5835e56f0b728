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
