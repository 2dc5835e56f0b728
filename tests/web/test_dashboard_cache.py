"""A plan's dashboard is computed once per version of what counts: the version of its stored
summary, which the database bumps on every write that changes what the plan counts (and a
reader recomputes first); see also tests/progress/test_freshness.py."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.test_views import login
from theodoi.domain.periods import parse_period
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Plan
from theodoi.progress.models import PlanSummary
from theodoi.progress.services.periods import period_ensure
from theodoi.progress.services.summaries import summaries_after_change, summaries_refresh

Q1 = parse_period("2026-Q1")
URL = "/?don-vi=CATHAI&ky=2026-Q1"


def _get(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    # The CSRF token is masked afresh on every page; everything else must be the same.
    page = re.sub(
        r'(CSRFToken": "|csrfmiddlewaretoken" value=")[^"]+', r"\1…", response.content.decode()
    )
    return page, len(queries)


@pytest.mark.django_db
def test_without_a_stored_summary_the_first_view_computes_it_then_the_cache_serves(dataset):
    period_ensure(period=Q1, user=None)
    PlanSummary.objects.all().delete()
    leader = login("lanhdao")
    (first, n1), (second, n2) = _get(leader), _get(leader)
    assert first == second and n2 < n1
    assert PlanSummary.objects.filter(period__code=Q1.code).exists()


@pytest.mark.django_db
def test_the_same_version_is_served_from_the_cache_until_something_counts(dataset):
    period = period_ensure(period=Q1, user=None)
    summaries_refresh(
        period=period,
        plan_ids=list(
            Plan.objects.filter(document__symbol="96/KH-UBND").values_list("pk", flat=True)
        ),
    )
    leader = login("lanhdao")
    first, computed = _get(leader)
    again, cached = _get(leader)
    assert again == first and cached < computed  # the plan's rows were not read again
    # A report approved (or a figure accepted) refreshes the summary: the page is recomputed.
    summaries_after_change(unit=OrgUnit.objects.get(code="CATHAI"), period=period, since=Q1.start)
    _, after_change = _get(leader)
    assert after_change > cached
