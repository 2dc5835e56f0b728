"""Answers as a user gets them: sources linked, missing figures said to be missing, illustrative
data marked, and only what the user may see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from tests.conftest import unit_outside_cathai
from theodoi.ask.answers import answer, context_of
from theodoi.orgs.models import Membership, OrgUnit

TODAY = dt.date(2026, 4, 20)
pytestmark = pytest.mark.django_db


def user(username: str):
    return get_user_model().objects.get(username=username)


def test_figure_from_a_document_links_the_quoted_line(dataset):
    result = answer("số hồ sơ tiếp nhận từ 01/07/2025 đến 04/11/2025", user=None, today=TODAY)
    assert result.value == Decimal(5092)
    assert "5.092 hồ sơ" in result.sentence
    assert any("5.092" in s.quote and s.url.startswith("/van-ban/") for s in result.sources)


def test_share_is_computed_from_its_two_figures(dataset):
    result = answer("ty le ho so truc tuyen tu 01/07/2025 den 04/11/2025", user=None, today=TODAY)
    assert result.value == Decimal("98.39")
    assert any("/ “Hồ sơ tiếp nhận”" in m for m in result.method)


def test_missing_figure_is_said_missing_never_zero(dataset):
    result = answer("số tài khoản VNeID kích hoạt", user=None, today=TODAY)
    assert result.missing and result.value is None
    assert "Chưa có số liệu" in result.sentence and " 0 " not in result.sentence


def test_illustrative_figures_are_marked(dataset):
    result = answer("số hồ sơ tiếp nhận quý 1 năm 2026", user=None, today=TODAY)
    assert result.illustrative
    assert any("minh họa" in s.label for s in result.sources)


def test_follow_up_compares_with_the_quarter_before(dataset):
    previous = context_of(["số hồ sơ tiếp nhận quý 1 năm 2026"], user=None, today=TODAY)
    result = answer("so với quý trước thì sao?", user=None, today=TODAY, previous=previous)
    assert not result.refused and result.compared is not None
    assert "quý IV năm 2025" in result.sentence


def test_every_task_row_links_to_its_task(dataset):
    result = answer("nhiệm vụ nào quá hạn quý 1?", user=None, today=TODAY)
    assert result.rows and all(r.url.startswith("/nhiem-vu/") for r in result.rows)
    assert result.value == len(result.rows)


def test_reporter_is_refused_a_unit_they_may_not_see(dataset):
    reporter = user("vhxh.baocao")
    result = answer(
        "bao nhieu nhiem vu qua han cua trung tam phuc vu hanh chinh cong",
        user=reporter,
        today=TODAY,
    )
    assert result.refused and "không được xem" in result.sentence


def test_reporter_is_answered_about_their_own_unit(dataset):
    reporter = user("vhxh.baocao")
    result = answer("bao nhieu nhiem vu qua han cua phong vhxh quy 1", user=reporter, today=TODAY)
    assert not result.refused


def test_outsider_learns_nothing_of_cathai(dataset, django_user_model):
    outsider = django_user_model.objects.create_user("ngoai-hoi", password="x-2026-ngoai")
    Membership.objects.create(user=outsider, org_unit=unit_outside_cathai(), role="reporter")
    late = answer("những đơn vị nào chưa gửi báo cáo quý 1", user=outsider, today=TODAY)
    assert not any(k.startswith("CATHAI") for k in late.keys)
    tasks = answer("bao nhiêu nhiệm vụ quá hạn", user=outsider, today=TODAY)
    assert tasks.refused
    figure = answer("số hồ sơ tiếp nhận từ 01/07/2025 đến 04/11/2025", user=outsider, today=TODAY)
    assert figure.value is None
    assert OrgUnit.objects.get(code="CATHAI").name not in figure.sentence
    named = answer("số hồ sơ tiếp nhận của Đặc khu Cát Hải quý 1", user=outsider, today=TODAY)
    assert named.refused and "không được xem" in named.sentence
