import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from theodoi.domain.indicators import (
    Comparator,
    Direction,
    IndicatorStatus,
    TargetError,
    evaluate_indicator,
    expected_value,
    parse_target,
)

D = dt.date
N = Decimal


@pytest.mark.parametrize(
    ("text", "comparator", "value", "high"),
    [
        ("≥ 60%", Comparator.GTE, N(60), None),
        ("≥60%", Comparator.GTE, N(60), None),
        ("> 60%", Comparator.GT, N(60), None),
        ("100%", Comparator.EQ, N(100), None),
        ("≤ 5", Comparator.LTE, N(5), None),
        ("45–50%", Comparator.RANGE, N(45), N(50)),
        ("45-50%", Comparator.RANGE, N(45), N(50)),
        ("Phấn đấu ít nhất 3%", Comparator.GTE, N(3), None),
        ("Phấn đấu đạt 3% tổng chi NSNN", Comparator.GTE, N(3), None),
        ("Đạt trên 3,5%", Comparator.GT, N("3.5"), None),
        ("20–22%", Comparator.RANGE, N(20), N(22)),
    ],
)
def test_targets_as_plans_write_them(text, comparator, value, high):
    target = parse_target(text)
    assert (target.comparator, target.value, target.high) == (comparator, value, high)


@pytest.mark.parametrize("text", ["", "nhiều", "50–45%"])
def test_unreadable_targets_are_refused(text):
    with pytest.raises(TargetError):
        parse_target(text)


def test_comparators_and_direction():
    assert parse_target("≥ 60%").met_by(N(60))
    assert not parse_target("> 60%").met_by(N(60))
    assert parse_target("100%").met_by(N(100))
    assert not parse_target("100%").met_by(N("99.9"))
    assert parse_target("5%").met_by(N(4), Direction.LOWER)
    assert not parse_target("5%").met_by(N(6), Direction.LOWER)
    assert parse_target("45–50%").met_by(N(47))
    assert not parse_target("45–50%").met_by(N(44))
    assert parse_target("45–50%").met_by(N(52))  # beyond the range on the better side


TARGETS = {2025: parse_target("≥ 60%"), 2030: parse_target("100%")}


def test_in_the_milestone_year_the_indicator_is_achieved_or_not():
    assert evaluate_indicator(TARGETS, N(65), D(2025, 12, 14)).status is IndicatorStatus.ACHIEVED
    result = evaluate_indicator(TARGETS, N(55), D(2025, 12, 14))
    assert result.status is IndicatorStatus.NOT_ACHIEVED and result.milestone_year == 2025


def test_between_milestones_on_track_by_interpolation_from_previous_target():
    # from 60 at the end of 2025 to 100 at the end of 2030: a fifth of the way by end of 2026
    as_of = D(2026, 12, 31)
    expected = expected_value((D(2025, 12, 31), N(60)), (D(2030, 12, 31), N(100)), as_of)
    assert N(67) < expected < N(69)
    result = evaluate_indicator(TARGETS, expected, as_of)
    assert result.status is IndicatorStatus.ON_TRACK and result.milestone_year == 2030
    # the default tolerance is a tenth of the span (4 points): 5 points behind is at risk
    assert evaluate_indicator(TARGETS, expected - 5, as_of).status is IndicatorStatus.AT_RISK
    assert evaluate_indicator(TARGETS, expected - 3, as_of).status is IndicatorStatus.ON_TRACK


def test_the_value_needed_by_now_is_said_only_when_it_was_interpolated():
    behind = evaluate_indicator(TARGETS, N(50), D(2026, 12, 31))
    assert behind.status is IndicatorStatus.AT_RISK and behind.interpolated
    assert N(67) < behind.expected < N(69)
    # nothing to interpolate from (no baseline, no earlier milestone): at risk, but the
    # target itself is not a value "needed by now"
    alone = evaluate_indicator({2030: parse_target("100%")}, N(50), D(2026, 12, 31))
    assert alone.status is IndicatorStatus.AT_RISK and not alone.interpolated


def test_reaching_the_next_target_early_counts_as_achieved():
    result = evaluate_indicator(TARGETS, N(100), D(2027, 6, 30))
    assert result.status is IndicatorStatus.ACHIEVED and result.milestone_year == 2030


def test_explicit_baseline_and_tolerance():
    targets = {2030: parse_target("≥ 90%")}
    baseline = (D(2025, 12, 31), N(50))
    as_of = D(2028, 6, 30)
    expected = expected_value(baseline, (D(2030, 12, 31), N(90)), as_of)
    kwargs = {"baseline": baseline, "tolerance": N(0)}
    assert evaluate_indicator(targets, expected, as_of, **kwargs).status is IndicatorStatus.ON_TRACK
    assert (
        evaluate_indicator(targets, expected - N("0.1"), as_of, **kwargs).status
        is IndicatorStatus.AT_RISK
    )


def test_lower_is_better_indicators_are_judged_the_other_way():
    targets = {2025: parse_target("≤ 10"), 2030: parse_target("≤ 2")}
    as_of = D(2028, 1, 1)
    assert (
        evaluate_indicator(targets, N(3), as_of, Direction.LOWER).status is IndicatorStatus.ON_TRACK
    )
    assert (
        evaluate_indicator(targets, N(10), as_of, Direction.LOWER).status is IndicatorStatus.AT_RISK
    )


def test_no_value_is_no_data():
    assert evaluate_indicator(TARGETS, None, D(2026, 3, 31)).status is IndicatorStatus.NO_DATA


def test_after_the_last_milestone_it_is_judged_against_it():
    result = evaluate_indicator(TARGETS, N(100), D(2031, 6, 1))
    assert result.status is IndicatorStatus.ACHIEVED and result.milestone_year == 2030


@given(st.dates(D(2020, 1, 1), D(2035, 1, 1)))
def test_expected_value_stays_between_the_two_ends(as_of):
    value = expected_value((D(2025, 12, 31), N(60)), (D(2030, 12, 31), N(100)), as_of)
    assert N(60) <= value <= N(100)
