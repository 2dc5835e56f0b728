"""Fixtures of the progress tests."""

from __future__ import annotations

import pytest
from django.db.models import F

from theodoi.domain.periods import parse_period

Q1 = parse_period("2026-Q1")


@pytest.fixture
def summarised(dataset):
    """2026-Q1 stored, every plan's summary for it computed and fresh."""
    from theodoi.progress.models import PlanSummary
    from theodoi.progress.services.periods import period_ensure
    from theodoi.progress.services.summaries import summaries_refresh

    period = period_ensure(period=Q1, user=None)
    summaries_refresh(period=period)
    assert not PlanSummary.objects.exclude(data_version=F("computed_version")).exists()
    return period
