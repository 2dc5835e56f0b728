"""Shared fixtures: the shipped dataset loaded into the test database once per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="cần PostgreSQL (THEODOI_DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(skip_pg)


@pytest.fixture
def loader_user(django_user_model):
    return django_user_model.objects.create(username="nap-du-lieu", is_active=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the Cát Hải dataset once into the test database, as `theodoi demo` does; each
    test then runs in a transaction that is rolled back."""
    from theodoi.dataset.demo import load_demo

    with django_db_blocker.unblock():
        load_demo(DATA_DIR)


@pytest.fixture
def dataset(db):
    """The test database holding the Cát Hải dataset."""
    from theodoi.plans.models import Plan

    return Plan.objects.get(document__symbol="96/KH-UBND")


def unit_outside_cathai():
    """A unit (office level or below) outside Cát Hải's subtree, for "outsider" users."""
    from theodoi.orgs.models import OrgUnit

    cathai = OrgUnit.objects.get(code="CATHAI")
    return (
        OrgUnit.objects.exclude(path__startswith=cathai.path)
        .filter(depth__gte=2)
        .order_by("path")
        .first()
    )
