import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from theodoi.domain.formatting import (
    FormatError,
    format_count,
    format_date_long,
    format_number,
    format_percent,
    parse_date,
    parse_number,
    share_percent,
)


def test_thousands_use_dots_and_decimals_use_commas():
    assert format_number(1495) == "1.495"
    assert format_number(11092) == "11.092"
    assert format_number(1234567.5, 1) == "1.234.567,5"
    assert format_number(-1495) == "-1.495"


def test_percent_rounds_half_up_like_a_person():
    assert format_percent(Decimal("98.385")) == "98,39%"
    assert format_percent(Decimal("98.384")) == "98,38%"
    assert format_percent(2.345) == "2,35%"  # banker's rounding would give 2,34


def test_share_is_part_over_whole_rounded():
    assert share_percent(1471, 1495) == Decimal("98.39")
    assert share_percent(1, 3, 1) == Decimal("33.3")
    assert share_percent(5, 0) is None


def test_counts_under_ten_have_a_leading_zero_but_zero_does_not():
    assert [format_count(n) for n in (0, 6, 17, 1495)] == ["0", "06", "17", "1.495"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 2, 11), "ngày 11 tháng 02 năm 2026"),
        (dt.date(2026, 3, 1), "ngày 01 tháng 3 năm 2026"),
        (dt.date(2025, 11, 25), "ngày 25 tháng 11 năm 2025"),
    ],
)
def test_long_date_follows_decree_30(day, expected):
    assert format_date_long(day) == expected


def test_parse_date_accepts_vietnamese_and_iso_forms():
    assert parse_date("22/10/2025") == dt.date(2025, 10, 22)
    assert parse_date("5/2/2026") == dt.date(2026, 2, 5)
    assert parse_date("2026-03-31") == dt.date(2026, 3, 31)


@pytest.mark.parametrize("text", ["31/02/2026", "2026/13/01", "hôm qua", ""])
def test_parse_date_rejects_bad_dates_in_vietnamese(text):
    with pytest.raises(FormatError, match="Ngày"):
        parse_date(text)


def test_parse_number_reads_vietnamese_numbers():
    assert parse_number("1.495") == 1495
    assert parse_number("98,39%") == Decimal("98.39")
    assert parse_number("11.092,5") == Decimal("11092.5")


@pytest.mark.parametrize("text", ["1,495.5", "12.34", "abc", "1..2"])
def test_parse_number_rejects_foreign_notation(text):
    with pytest.raises(FormatError, match="Số"):
        parse_number(text)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_format_then_parse_gives_the_number_back(value):
    assert parse_number(format_number(value, 2)) == value
