"""Shared fixtures: the shipped dataset loaded into the test database once per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
# Cát Hải's own documents (001 a clean report, 003 an OCR'd plan, 004 an OCR'd report) sit
# beside the repository, not in it: tests that read them are marked `seeds`.
SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_PREFIXES = ("001", "003", "004")
SEEDS_REASON = "cần ../shared/seeds (văn bản gốc của Cát Hải, không kèm trong kho mã)"
# Set by .ci/run: a missing seed is then a failure, not a skip.
SEEDS_REQUIRED = os.environ.get("THEODOI_REQUIRE_SEEDS", "") not in ("", "0")


def missing_seeds() -> list[str]:
    return [prefix for prefix in SEED_PREFIXES if not any(SEEDS_DIR.glob(f"{prefix}_*.txt"))]


def seed_path(prefix: str) -> Path:
    """The seed ``NNN_*.txt``; for tests marked ``seeds`` only."""
    return next(SEEDS_DIR.glob(f"{prefix}_*.txt"))


def seed_text(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test marked ``seeds`` is skipped when the seeds are not beside the repository (a
    fresh clone), and fails instead under THEODOI_REQUIRE_SEEDS=1."""
    if item.get_closest_marker("seeds") is None:
        return
    missing = missing_seeds()
    if not missing:
        return
    if SEEDS_REQUIRED:
        files = ", ".join(f"{prefix}_*.txt" for prefix in missing)
        pytest.fail(
            f"THEODOI_REQUIRE_SEEDS=1 mà trong {SEEDS_DIR} không có {files}: kiểm thử này "
            f"{SEEDS_REASON}.",
            pytrace=False,
        )
    pytest.skip(SEEDS_REASON)


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
