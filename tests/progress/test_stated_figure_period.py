"""The one rule giving the period of a figure a document states, shared by the dataset loader
and the review of extracted figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from theodoi.progress.services.periods import period_for_stated_figure, stated_figure_period

AS_OF = dt.date(2025, 11, 25)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, (dt.date(2025, 1, 1), AS_OF)),  # no range: from 1 January to the date
        (dt.date(2025, 7, 1), None, (dt.date(2025, 7, 1), AS_OF)),
        (None, dt.date(2025, 3, 31), (dt.date(2025, 1, 1), dt.date(2025, 3, 31))),
        (
            dt.date(2024, 12, 15),
            dt.date(2025, 3, 14),
            (dt.date(2024, 12, 15), dt.date(2025, 3, 14)),
        ),
    ],
)
def test_a_stated_range_with_its_open_ends_filled(start, end, expected):
    period = stated_figure_period(start=start, end=end, as_of=AS_OF)
    assert (period.start, period.end) == expected


def test_without_an_end_or_a_document_date_the_period_is_unknown():
    with pytest.raises(ValidationError, match="Không xác định được kỳ"):
        stated_figure_period(start=None, end=None, as_of=None)


def test_a_start_after_the_end_is_refused_in_vietnamese():
    with pytest.raises(ValidationError, match="trước ngày bắt đầu"):
        stated_figure_period(start=dt.date(2025, 12, 1), end=None, as_of=AS_OF)


def test_the_period_is_stored_once(db):
    first = period_for_stated_figure(start=None, end=None, as_of=AS_OF, user=None, reason="x")
    again = period_for_stated_figure(start=None, end=None, as_of=AS_OF, user=None, reason="x")
    assert first.pk == again.pk and first.code == "2025-01-01..2025-11-25"
    assert first.label == "Từ ngày 01/01/2025 đến ngày 25/11/2025"
