import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from theodoi.domain.periods import (
    PeriodBasis,
    PeriodError,
    PeriodKind,
    custom,
    half,
    month_period,
    nine_months,
    parse_period,
    periods_ending,
    quarter,
    quarter_containing,
    year_period,
)

D = dt.date
CUT = PeriodBasis.CUTOFF


def test_calendar_quarter_is_whole_months():
    q = quarter(2026, 1)
    assert (q.start, q.end) == (D(2026, 1, 1), D(2026, 3, 31))


def test_cutoff_quarter_runs_from_15th_of_month_before_to_14th_of_last_month():
    q = quarter(2026, 1, CUT)
    assert (q.start, q.end) == (D(2025, 12, 15), D(2026, 3, 14))
    assert (quarter(2026, 3, CUT).start, quarter(2026, 3, CUT).end) == (
        D(2026, 6, 15),
        D(2026, 9, 14),
    )


def test_cutoff_year_runs_from_15_december_to_14_december():
    y = year_period(2026, CUT)
    assert (y.start, y.end) == (D(2025, 12, 15), D(2026, 12, 14))


def test_cutoff_month_half_and_nine_months():
    assert (month_period(2026, 3, CUT).start, month_period(2026, 3, CUT).end) == (
        D(2026, 2, 15),
        D(2026, 3, 14),
    )
    assert (half(2026, 1, CUT).start, half(2026, 1, CUT).end) == (D(2025, 12, 15), D(2026, 6, 14))
    assert nine_months(2026).end == D(2026, 9, 30)


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2026-Q1", D(2026, 1, 1), D(2026, 3, 31)),
        ("2026-q1-cutoff", D(2025, 12, 15), D(2026, 3, 14)),
        ("2026-02", D(2026, 2, 1), D(2026, 2, 28)),
        ("2026-H2", D(2026, 7, 1), D(2026, 12, 31)),
        ("2026-9M", D(2026, 1, 1), D(2026, 9, 30)),
        ("2025", D(2025, 1, 1), D(2025, 12, 31)),
        ("01/01/2026..28/04/2026", D(2026, 1, 1), D(2026, 4, 28)),
        ("2026-01-01..2026-04-28", D(2026, 1, 1), D(2026, 4, 28)),
    ],
)
def test_parse_period_codes(code, start, end):
    period = parse_period(code)
    assert (period.start, period.end) == (start, end)


def test_code_round_trips():
    for code in ["2026-Q1", "2026-Q1-cutoff", "2026-03", "2026-H1", "2026-9M", "2026"]:
        assert parse_period(code).code == code


@pytest.mark.parametrize("code", ["2026-Q5", "2026-13", "quý 1", "28/04/2026..01/01/2026"])
def test_bad_period_codes_are_refused_in_vietnamese(code):
    with pytest.raises(PeriodError):
        parse_period(code)


def test_labels_are_vietnamese():
    assert quarter(2026, 1).label == "Quý I năm 2026"
    assert half(2026, 1).label == "6 tháng đầu năm 2026"
    assert "15/12/2025" in quarter(2026, 1, CUT).label


KINDS = st.sampled_from(["month", "quarter", "half", "year"])
BASES = st.sampled_from(list(PeriodBasis))


def _make(kind, year, index, basis):
    if kind == "month":
        return month_period(year, index % 12 + 1, basis)
    if kind == "quarter":
        return quarter(year, index % 4 + 1, basis)
    if kind == "half":
        return half(year, index % 2 + 1, basis)
    return year_period(year, basis)


@given(KINDS, st.integers(2000, 2090), st.integers(0, 11), BASES)
def test_consecutive_periods_tile_time_without_gap_or_overlap(kind, year, index, basis):
    period = _make(kind, year, index, basis)
    following = period.next()
    assert following.start == period.end + dt.timedelta(days=1)
    assert following.previous() == period


@given(st.dates(D(2001, 1, 1), D(2090, 12, 31)), BASES)
def test_every_day_lies_in_exactly_one_quarter(day, basis):
    q = quarter_containing(day, basis)
    assert q.contains(day)
    assert q.kind is PeriodKind.QUARTER
    assert not q.previous().contains(day) and not q.next().contains(day)


@pytest.mark.parametrize("code", ["0001-Q1", "9999-Q4", "1999", "01/01/9999..02/01/9999"])
def test_years_outside_this_century_are_refused(code):
    with pytest.raises(PeriodError, match="nằm ngoài khoảng"):
        parse_period(code)


def test_the_next_period_a_report_plans_for():
    from theodoi.domain.periods import report_next_period

    assert report_next_period(parse_period("2026-Q1"))[1] == "quý II năm 2026"
    assert report_next_period(parse_period("2026-Q4"))[1] == "quý I năm 2027"
    assert report_next_period(parse_period("2026-H1"))[1] == "6 tháng cuối năm 2026"
    assert report_next_period(parse_period("2026-9M"))[1] == "quý IV năm 2026"
    assert report_next_period(parse_period("2026"))[1] == "năm 2027"
    period, label = report_next_period(parse_period("01/01/2026..28/04/2026"))
    assert period is None and label == "thời gian tới"


@pytest.mark.parametrize(
    ("start", "end"),
    [(dt.date(1, 1, 1), dt.date(2026, 3, 31)), (dt.date(2026, 1, 1), dt.date(9999, 12, 31))],
)
def test_a_custom_range_keeps_to_the_years_a_report_can_cover(start, end):
    with pytest.raises(PeriodError, match="năm"):
        custom(start, end)


def test_the_eight_quarters_ending_at_a_quarter_run_back_across_years_oldest_first():
    codes = [q.code for q in periods_ending(parse_period("2026-Q1"), 8)]
    assert codes == [
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
    ]
    assert periods_ending(parse_period("2026-Q1"), 1) == [parse_period("2026-Q1")]
    # each one ends the day before the next starts
    quarters = periods_ending(quarter(2026, 3, CUT), 5)
    assert all(a.end + dt.timedelta(days=1) == b.start for a, b in itertools.pairwise(quarters))
