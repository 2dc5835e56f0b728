"""Roles per unit: a role covers its unit and the units below it, nothing else."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from theodoi.orgs.models import OrgUnit
from theodoi.orgs.permissions import can, ensure_can
from theodoi.orgs.selectors import units_visible_to


def _user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def units(dataset):
    return {
        code: OrgUnit.objects.get(code=code)
        for code in ("CATHAI", "CATHAI-VHXH", "CATHAI-TTHCC", "HP")
    }


def test_reporter_edits_only_own_unit(units):
    reporter = _user("vhxh.baocao")
    assert can(reporter, "progress.edit", units["CATHAI-VHXH"])
    assert not can(reporter, "progress.edit", units["CATHAI-TTHCC"])
    assert not can(reporter, "progress.approve", units["CATHAI-VHXH"])
    with pytest.raises(PermissionDenied, match="không có quyền nhập tiến độ của Trung tâm"):
        ensure_can(reporter, "progress.edit", units["CATHAI-TTHCC"])


def test_leader_reads_and_approves_everything_below_but_not_above(units):
    leader = _user("lanhdao")
    assert can(leader, "progress.approve", units["CATHAI-TTHCC"])
    assert can(leader, "view", units["CATHAI-VHXH"])
    assert not can(leader, "view", units["HP"])
    visible = set(units_visible_to(user=leader).values_list("code", flat=True))
    assert {"CATHAI", "CATHAI-VHXH", "CATHAI-TTHCC"} <= visible and "HP" not in visible


def test_inspector_reads_but_cannot_change(units):
    inspector = _user("kiemtra")
    assert can(inspector, "view", units["CATHAI-VHXH"])
    for action in ("progress.edit", "progress.submit", "progress.approve", "report.issue"):
        assert not can(inspector, action, units["CATHAI"])


def test_coordinator_reviews_and_issues_reports_for_the_zone(units):
    coordinator = _user("vhxh.tonghop")
    assert can(coordinator, "progress.review", units["CATHAI-TTHCC"])
    assert can(coordinator, "report.issue", units["CATHAI"])
    assert not can(coordinator, "progress.approve", units["CATHAI"])


def test_anonymous_and_unknown_actions(units):
    from django.contrib.auth.models import AnonymousUser

    assert not can(AnonymousUser(), "view", units["CATHAI"])
    assert units_visible_to(user=AnonymousUser()).count() == 0
    with pytest.raises(KeyError):
        can(_user("lanhdao"), "fly", units["CATHAI"])
