import pytest

from theodoi.orgs.models import OrgUnit
from theodoi.orgs.selectors import UnitLookupError, subtree, unit_find


@pytest.mark.parametrize(
    "query",
    ["CATHAI", "cathai", "UBND đặc khu Cát Hải", "ubnd dac khu cat hai", "Đặc khu Cát Hải"],
)
def test_unit_found_by_code_or_name_with_or_without_diacritics(dataset, query):
    assert unit_find(query=query, user=None).code == "CATHAI"


def test_part_of_a_name_must_be_unambiguous(dataset):
    assert unit_find(query="van hoa - xa hoi", user=None).code == "CATHAI-VHXH"
    with pytest.raises(UnitLookupError, match="nhiều đơn vị"):
        unit_find(query="phòng", user=None)
    with pytest.raises(UnitLookupError, match="Không tìm thấy"):
        unit_find(query="xã không có", user=None)


def test_subtree_follows_the_tree(dataset):
    zone = OrgUnit.objects.get(code="CATHAI")
    codes = set(subtree(zone).values_list("code", flat=True))
    assert "CATHAI-VHXH" in codes and "HP" not in codes and "HP-CATHAI-HUYEN" not in codes


def test_the_former_district_is_kept_with_its_successor(dataset):
    district = OrgUnit.objects.get(code="HP-CATHAI-HUYEN")
    assert district.valid_to is not None
    assert district.successions.get().successor.code == "CATHAI"
