"""Read-replica routing (theodoi.db_routers): only reads marked with use_replica() go to the
replica; writes, transactions, sessions and accounts stay on the primary.

The first tests call the router directly (no database). The others run a separate Django
process with THEODOI_REPLICA_URL set, against two real databases: two SQLite files, and on
PostgreSQL two databases of the tests' own. A row written only into the replica shows which
database a read went to.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import router, transaction
from django_q.models import OrmQ

from tests.deployment_helpers import (
    child_env,
    django_script,
    migrate,
    pg_create_database,
    pg_database_name,
    pg_drop_database,
    pg_url,
)
from theodoi import db_routers
from theodoi.db_routers import use_replica
from theodoi.orgs.models import OrgUnit
from theodoi.plans.models import Task


@pytest.fixture
def with_replica(monkeypatch):
    """The router as it behaves when a replica alias is configured."""
    monkeypatch.setattr(db_routers, "replica_configured", lambda: True)


def test_unmarked_reads_go_to_the_primary(with_replica):
    assert router.db_for_read(Task) == "default"


def test_marked_reads_go_to_the_replica(with_replica):
    with use_replica():
        assert router.db_for_read(Task) == "replica"
        assert router.db_for_read(OrgUnit) == "replica"
    assert router.db_for_read(Task) == "default"


def test_nested_scopes_restore_the_outer_one(with_replica):
    with use_replica():
        with use_replica():
            assert router.db_for_read(Task) == "replica"
        assert router.db_for_read(Task) == "replica"
    assert router.db_for_read(Task) == "default"


def test_a_decorated_view_reads_the_replica_on_each_call(with_replica):
    @use_replica()
    def dashboard() -> str:
        return router.db_for_read(Task)

    assert dashboard() == "replica"
    assert dashboard() == "replica"  # a fresh scope each call
    assert router.db_for_read(Task) == "default"


def test_writes_always_go_to_the_primary(with_replica):
    assert router.db_for_write(Task) == "default"
    with use_replica():
        assert router.db_for_write(Task) == "default"


def test_after_a_write_the_scope_reads_the_primary(with_replica):
    with use_replica():
        assert router.db_for_read(Task) == "replica"
        router.db_for_write(Task)
        assert router.db_for_read(Task) == "default"
    with use_replica():  # the next scope starts afresh
        assert router.db_for_read(Task) == "replica"


def test_sessions_accounts_and_job_queue_are_read_on_the_primary(with_replica):
    with use_replica():
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(get_user_model()) == "default"
        assert router.db_for_read(OrmQ) == "default"


def test_a_scope_does_not_leak_into_another_thread(with_replica):
    seen = {}
    inside = threading.Event()
    done = threading.Event()

    def other_request():
        inside.wait(timeout=10)
        seen["other"] = router.db_for_read(Task)
        done.set()

    thread = threading.Thread(target=other_request)
    thread.start()
    with use_replica():
        inside.set()
        done.wait(timeout=10)
        seen["marked"] = router.db_for_read(Task)
    thread.join(timeout=10)
    assert seen == {"other": "default", "marked": "replica"}


def test_without_a_replica_marked_reads_use_the_primary():
    assert not db_routers.replica_configured()  # the suite runs on one database
    with use_replica():
        assert router.db_for_read(Task) == "default"


def test_reads_inside_a_transaction_stay_on_the_primary(with_replica, db):
    # The test itself runs in a transaction (rolled back at its end), like a service does.
    with use_replica():
        assert router.db_for_read(Task) == "default"
        with transaction.atomic():
            assert router.db_for_read(Task) == "default"


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "plans") is True
    assert router.allow_migrate("replica", "plans") is False
    assert router.allow_migrate("replica", "django_q") is False


def test_objects_of_the_two_databases_may_be_related():
    primary, replica = OrgUnit(code="A"), OrgUnit(code="B")
    primary._state.db, replica._state.db = "default", "replica"
    assert router.allow_relation(primary, replica)


# The same in a real process with two real databases.

ROUTING_SCRIPT = """
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import router, transaction
from theodoi.db_routers import read_database, use_replica
from theodoi.orgs.models import OrgUnit

def unit(code):
    return dict(code=code, name=code, kind="other", path=f"/{code}/")

# Only the replica holds this unit: a read that finds it went to the replica.
OrgUnit.objects.using("replica").create(**unit("CHI-BAN-SAO"))

def on_replica():
    return OrgUnit.objects.filter(code="CHI-BAN-SAO").exists()

result["aliases"] = sorted(settings.DATABASES)
result["unmarked"] = on_replica()
with use_replica():
    result["marked"] = on_replica()
    result["raw_sql_alias"] = read_database()
    with transaction.atomic():
        result["marked_in_transaction"] = on_replica()
    result["session_alias"] = router.db_for_read(Session)

@use_replica()
def dashboard():
    return on_replica()

result["decorated"] = dashboard()

with use_replica():
    written = OrgUnit.objects.create(**unit("GHI-CHINH"))
    result["marked_after_write"] = on_replica()
result["write_on_primary"] = OrgUnit.objects.using("default").filter(code="GHI-CHINH").exists()
result["write_on_replica"] = OrgUnit.objects.using("replica").filter(code="GHI-CHINH").exists()

with use_replica():
    from_replica = OrgUnit.objects.get(code="CHI-BAN-SAO")
result["read_from"] = from_replica._state.db
result["relation_allowed"] = router.allow_relation(from_replica, written)
result["migrate_replica"] = router.allow_migrate("replica", "orgs")
result["migrate_default"] = router.allow_migrate("default", "orgs")
"""

EXPECTED = {
    "aliases": ["default", "replica"],
    "unmarked": False,
    "marked": True,
    "raw_sql_alias": "replica",
    "marked_in_transaction": False,
    "session_alias": "default",
    "decorated": True,
    "marked_after_write": False,
    "write_on_primary": True,
    "write_on_replica": False,
    "read_from": "replica",
    "relation_allowed": True,
    "migrate_replica": False,
    "migrate_default": True,
}


def test_router_with_two_sqlite_databases(tmp_path: Path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = child_env(tmp_path, THEODOI_DATABASE_URL=f"sqlite:///{primary}")
    migrate(env, tmp_path, "orgs")
    # "Replication": the replica starts as a copy of the primary (its schema and data).
    with sqlite3.connect(primary) as source, sqlite3.connect(replica) as target:
        source.backup(target)
    env["THEODOI_REPLICA_URL"] = f"sqlite:///{replica}"

    assert django_script(ROUTING_SCRIPT, env, tmp_path) == EXPECTED


@pytest.mark.postgres
def test_router_with_two_postgresql_databases(tmp_path: Path):
    primary, replica = pg_database_name("primary"), pg_database_name("replica")
    pg_create_database(primary)
    try:
        env = child_env(tmp_path, THEODOI_DATABASE_URL=pg_url(primary))
        migrate(env, tmp_path, "orgs")
        pg_create_database(replica, template=primary)
        env["THEODOI_REPLICA_URL"] = pg_url(replica)

        assert django_script(ROUTING_SCRIPT, env, tmp_path) == EXPECTED
    finally:
        pg_drop_database(replica)
        pg_drop_database(primary)
