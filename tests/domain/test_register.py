import datetime as dt

import pytest

from theodoi.domain.register import ISSUE_DATE_PAST_DAYS, issue_date_problem

TODAY = dt.date(2026, 4, 20)
Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def problem(issued_on):
    return issue_date_problem(
        issued_on=issued_on, period_start=Q1[0], period_end=Q1[1], today=TODAY
    )


@pytest.mark.parametrize(
    ("issued_on", "words"),
    [
        (dt.date(1900, 1, 1), "trước khi kỳ báo cáo"),
        (dt.date(9999, 1, 1), "ở tương lai"),
        (dt.date(2026, 3, 30), "trước khi kỳ báo cáo"),
        (TODAY + dt.timedelta(days=1), "ở tương lai"),
    ],
)
def test_impossible_issue_dates_are_refused(issued_on, words):
    assert words in problem(issued_on)


def test_a_date_long_past_is_a_typing_mistake():
    long_ago = issue_date_problem(
        issued_on=dt.date(2025, 1, 10),
        period_start=dt.date(2024, 10, 1),
        period_end=dt.date(2024, 12, 31),
        today=TODAY,
    )
    assert f"hơn {ISSUE_DATE_PAST_DAYS} ngày" in long_ago


@pytest.mark.parametrize("issued_on", [Q1[1], dt.date(2026, 4, 10), TODAY])
def test_a_date_after_the_period_up_to_today_is_fine(issued_on):
    assert problem(issued_on) is None


def test_a_report_whose_figures_run_to_an_earlier_date_is_issued_from_that_date():
    """The year's digital-transformation report (276/BC-UBND) was asked for in November, its
    figures running to 25/11/2025: issued the next day, before the year ended."""
    year = dict(period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31))
    today = dt.date(2025, 11, 28)
    cut = dt.date(2025, 11, 25)
    assert (
        issue_date_problem(issued_on=dt.date(2025, 11, 26), today=today, as_of=cut, **year) is None
    )
    early = issue_date_problem(issued_on=dt.date(2025, 11, 24), today=today, as_of=cut, **year)
    assert "trước ngày số liệu được tính đến (25/11/2025)" in early
    assert "trước khi kỳ báo cáo" in issue_date_problem(
        issued_on=dt.date(2025, 11, 26), today=today, **year
    )
