"""A later document adjusts a target; earlier dates keep the original target."""

import datetime as dt
from decimal import Decimal

import pytest

from theodoi.documents.models import Document
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Indicator, PlanAdjustment
from theodoi.plans.services import indicator_target_adjust
from theodoi.progress.models import DataValue, Period
from theodoi.progress.selectors.tasks import indicator_rows

D = dt.date


@pytest.fixture
def adjusted(dataset, django_user_model):
    user = django_user_model.objects.get(username="vhxh.tonghop")  # the zone's coordinator
    notice = Document.objects.create(
        key="01-TB/BCĐ@2026-02-01", doc_type="TB", symbol="01-TB/BCĐ", issued_on=D(2026, 2, 1)
    )
    indicator = Indicator.objects.get(plan=dataset, code="PL2.1")  # 5G: 2030 target 100%
    indicator_target_adjust(
        indicator=indicator,
        year=2030,
        text="≥ 80%",
        document=notice,
        effective_from=D(2026, 2, 1),
        user=user,
    )
    period = Period.objects.get(code="2025")
    DataValue.objects.update_or_create(
        element=indicator.data_element,
        org_unit=OrgUnit.objects.get(code="CATHAI"),
        period=period,
        breakdown="",
        defaults={"value": Decimal(85), "entered_by": user, "is_illustrative": False},
    )
    return indicator, notice


def _row(plan, as_of, code):
    return next(
        r for r in indicator_rows(plan=plan, as_of=as_of, user=None) if r.indicator.code == code
    )


def test_adjusted_target_applies_from_its_date_only(dataset, adjusted):
    indicator, notice = adjusted
    before = _row(dataset, D(2026, 1, 31), indicator.code)
    after = _row(dataset, D(2026, 3, 31), indicator.code)
    assert before.evaluation.target.value == 100
    assert after.evaluation.target.value == 80
    assert after.evaluation.status.value == "achieved"  # 85 ≥ 80
    assert PlanAdjustment.objects.get(document=notice).plan == dataset
    assert indicator.targets.filter(year=2030).count() == 2  # the original is kept
