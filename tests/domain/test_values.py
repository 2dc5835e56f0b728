"""One figure on its own: the element's kind of number decides what is allowed."""

from __future__ import annotations

from decimal import Decimal as N

import pytest
from hypothesis import given
from hypothesis import strategies as st

from theodoi.domain.values import MAX_MAGNITUDE, ValueType, value_problems, value_type_for_unit


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        ("hồ sơ", ValueType.COUNT),
        ("người", ValueType.COUNT),
        ("hạng", ValueType.COUNT),
        ("%", ValueType.PERCENT),
        ("% dân số", ValueType.PERCENT),
        ("% tổng chi NSNN", ValueType.PERCENT),
        ("điểm", ValueType.MEASURE),
        ("triệu đồng", ValueType.MEASURE),
        ("đồng", ValueType.MEASURE),
        ("km²", ValueType.MEASURE),
        ("", ValueType.COUNT),
    ],
)
def test_the_unit_suggests_the_kind_of_number(unit, kind):
    assert value_type_for_unit(unit) is kind


def test_a_negative_figure_is_refused():
    assert value_problems(N(-1), ValueType.COUNT) == ["Số liệu không được âm."]


@pytest.mark.parametrize(
    ("value", "problems"),
    [
        (N(0), []),
        (N(100), []),
        (N("98.39"), []),
        (N("73.4"), []),
        (N("100.01"), ["Tỷ lệ không được vượt quá 100%."]),
        (N(-5), ["Số liệu không được âm."]),
    ],
)
def test_a_percentage_stays_between_0_and_100_and_may_have_decimals(value, problems):
    assert value_problems(value, ValueType.PERCENT) == problems


def test_above_100_is_fine_for_a_count():
    assert value_problems(N(1495), ValueType.COUNT) == []


@pytest.mark.parametrize(
    ("value", "kind", "problems"),
    [
        (N("12.5"), ValueType.COUNT, ["Số liệu này đếm số lượng nên phải là số nguyên."]),
        (N("1.5"), ValueType.COUNT, ["Số liệu này đếm số lượng nên phải là số nguyên."]),
        (N("12.0"), ValueType.COUNT, []),
        (N("12.5"), ValueType.MEASURE, []),
        (
            N("-0.5"),
            ValueType.COUNT,
            ["Số liệu không được âm.", "Số liệu này đếm số lượng nên phải là số nguyên."],
        ),
    ],
)
def test_a_count_must_be_whole(value, kind, problems):
    assert value_problems(value, kind) == problems


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity"])
def test_a_value_that_is_not_a_number_is_refused(text):
    assert value_problems(N(text), ValueType.MEASURE) == ["Số liệu không hợp lệ."]


def test_a_value_too_large_for_the_database_is_refused_not_cut():
    assert value_problems(N("1e30"), ValueType.COUNT) == [
        "Số liệu quá lớn (tối đa 16 chữ số phần nguyên)."
    ]
    assert value_problems(N("1e30"), ValueType.PERCENT) == [
        "Số liệu quá lớn (tối đa 16 chữ số phần nguyên)."
    ]


def test_more_decimal_places_than_stored_are_refused_not_rounded():
    assert value_problems(N("12.34567"), ValueType.MEASURE) == [
        "Số liệu có tối đa 4 chữ số sau dấu phẩy."
    ]
    assert value_problems(N("12.3456"), ValueType.MEASURE) == []


@given(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(list(ValueType)),
)
def test_whatever_is_accepted_fits_the_database_unchanged(value, kind):
    if value_problems(value, kind):
        return
    assert value >= 0 and value < MAX_MAGNITUDE
    stored = value.quantize(N("0.0001"))
    assert stored == value  # nothing rounded away
    if kind is ValueType.PERCENT:
        assert value <= 100
    if kind is ValueType.COUNT:
        assert value == value.to_integral_value()
