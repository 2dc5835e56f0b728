"""Merges and renames keep history: nothing is deleted, old names stay findable."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from theodoi.history import history_of
from theodoi.orgs.models import OrgUnit
from theodoi.orgs.selectors import unit_find
from theodoi.orgs.services import org_unit_create, org_unit_rename, org_units_merge

D = dt.date


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create(username="quan-tri-vien")


def test_rename_keeps_the_old_name_as_alias_and_in_history(dataset, user):
    unit = OrgUnit.objects.get(code="CATHAI-VHXH")
    org_unit_rename(
        unit=unit,
        new_name="Phòng Văn hóa, Khoa học và Xã hội",
        effective_on=D(2026, 1, 1),
        user=user,
    )
    assert unit_find(query="phong van hoa - xa hoi", user=None) == unit
    entry = history_of(unit)[0]
    assert entry["who"] == "quan-tri-vien" and entry["type"] == "changed"
    name_change = next(c for c in entry["changes"] if c["field"] == "name")
    assert (name_change["old"], name_change["new"]) == (
        "Phòng Văn hóa - Xã hội",
        "Phòng Văn hóa, Khoa học và Xã hội",
    )


def test_merge_closes_the_old_units_and_links_them_to_the_new_one(dataset, user):
    zone = OrgUnit.objects.get(code="CATHAI")
    a = org_unit_create(
        code="T-A", name="Thôn A", kind="village", parent=zone, user=user, valid_from=D(2025, 7, 1)
    )
    b = org_unit_create(
        code="T-B", name="Thôn B", kind="village", parent=zone, user=user, valid_from=D(2025, 7, 1)
    )
    new = org_unit_create(code="T-AB", name="Thôn A-B", kind="village", parent=zone, user=user)
    org_units_merge(units=[a, b], into=new, effective_on=D(2026, 1, 1), user=user)
    for old in (a, b):
        old.refresh_from_db()
        assert old.valid_to == D(2025, 12, 31)
        assert old.successions.get().successor == new
        assert old.is_valid_on(D(2025, 12, 31)) and not old.is_valid_on(D(2026, 1, 1))
    new.refresh_from_db()
    assert new.valid_from == D(2026, 1, 1)
    assert OrgUnit.objects.filter(code__in=["T-A", "T-B"]).count() == 2


def test_a_unit_cannot_be_merged_into_itself(dataset, user):
    unit = OrgUnit.objects.get(code="CATHAI-KT")
    with pytest.raises(ValidationError):
        org_units_merge(units=[unit], into=unit, effective_on=D(2026, 1, 1), user=user)
