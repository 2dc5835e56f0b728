"""API clients acting as the demo accounts, each with its own token, on the test database
holding the Cát Hải dataset."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.api.helpers import OTHER, Q1, api_client
from theodoi.domain.periods import parse_period
from theodoi.orgs.models import Membership, OrgUnit
from theodoi.progress.services.periods import period_ensure


def member(username: str, unit: OrgUnit, role: str) -> Client:
    user = get_user_model().objects.create_user(username, password="mat-khau-dai-2026")
    Membership.objects.create(user=user, org_unit=unit, role=role)
    return api_client(username)


@pytest.fixture
def q1(dataset):
    return period_ensure(period=parse_period(Q1), user=None)


@pytest.fixture
def reporter(dataset):
    return api_client("vhxh.baocao")


@pytest.fixture
def coordinator(dataset):
    return api_client("vhxh.tonghop")


@pytest.fixture
def leader(dataset):
    return api_client("lanhdao")


@pytest.fixture
def inspector(dataset):
    return api_client("kiemtra")


@pytest.fixture
def other_reporter(dataset):
    return member("kt.baocao", OrgUnit.objects.get(code=OTHER), "reporter")


@pytest.fixture
def outsider(dataset):
    """A reporter of a unit outside Cát Hải's subtree."""
    cathai = OrgUnit.objects.get(code="CATHAI")
    unit = (
        OrgUnit.objects.exclude(path__startswith=cathai.path)
        .filter(depth__gte=2)
        .order_by("path")
        .first()
    )
    return member("ngoai", unit, "reporter")
