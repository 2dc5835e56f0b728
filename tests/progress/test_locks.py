"""The lock rule and the unit's period reports, checked for many periods at once (an import
of months): the same answers as one period at a time, in a few queries."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.progress.models import Submission
from theodoi.progress.services.locks import (
    LockBook,
    covering_lock,
    submission_for_entry,
    submissions_for_entry,
)
from theodoi.progress.services.periods import period_ensure


def _periods(*codes):
    return [period_ensure(period=parse_period(code), user=None) for code in codes]


def _approve(unit, period):
    Submission.objects.update_or_create(
        org_unit=unit, period=period, defaults={"state": "approved"}
    )


@pytest.fixture
def unit(dataset):
    return OrgUnit.objects.get(code="CATHAI-TTHCC")


def test_missing_reports_are_made_together_each_with_its_history(unit, loader_user):
    months = _periods("2025-01", "2025-02", "2025-03")
    Submission.objects.filter(org_unit=unit, period__in=months).delete()
    existing = submission_for_entry(unit, months[0], loader_user)

    found = submissions_for_entry(unit, months, loader_user)

    assert set(found) == {p.pk for p in months}
    assert found[months[0].pk].pk == existing.pk  # the one there is kept, not made twice
    assert Submission.objects.filter(org_unit=unit, period__in=months).count() == 3
    for period in months:
        history = Submission.history.filter(org_unit=unit, period=period)
        assert history.count() == 1
        assert history.get().history_user == loader_user
        assert history.get().history_change_reason == "Bắt đầu nhập tiến độ kỳ"
    # asked again: nothing new
    submissions_for_entry(unit, months, loader_user)
    assert Submission.history.filter(org_unit=unit, period__in=months).count() == 3


def test_a_period_not_begun_is_refused_and_nothing_is_made(unit, loader_user):
    next_year = dt.date.today().year + 1
    periods = _periods("2025-04", f"{next_year}-01")
    Submission.objects.filter(org_unit=unit, period__in=periods).delete()
    with pytest.raises(ValidationError, match="chưa bắt đầu"):
        submissions_for_entry(unit, periods, loader_user)
    assert not Submission.objects.filter(org_unit=unit, period__in=periods).exists()


def test_the_book_answers_as_the_single_check_by_dates(unit, django_assert_num_queries):
    year, q1, february, july = _periods("2024", "2024-Q1", "2024-02", "2024-07")
    other = OrgUnit.objects.get(code="CATHAI-VHXH")
    _approve(unit, q1)
    _approve(other, year)

    book = LockBook()
    with django_assert_num_queries(1):  # one query for the unit, whatever the periods
        answers = {p.code: book.covering(units=[unit], period=p) for p in (q1, february, july)}
    assert answers["2024-Q1"].period == q1
    assert answers["2024-02"].period == q1  # a month inside the approved quarter
    assert answers["2024-07"] is None
    # another unit's approved year locks its own figures, not this unit's
    assert book.covering(units=[other], period=july).period == year
    # both lock February: the earliest, then the shortest, is named
    assert book.covering(units=[unit, other], period=february).period == q1
    for period in (q1, february, july):
        assert covering_lock(units=[unit], period=period) == answers[period.code]
    with pytest.raises(ValidationError, match="Quý I năm 2024"):
        book.ensure_unlocked(units=[unit], period=february, what="Số liệu")
