"""Read-replica routing: only code that asks for it reads from the replica.

A streaming replica lags the primary by a fraction of a second, sometimes more. A person who
has just saved a task update and is sent back to the entry page must see it, so by default
every query goes to the primary ("default"). Dashboards and reports, which read a lot and can
show data a moment old, mark their reads explicitly::

    from theodoi.db_routers import use_replica

    @use_replica()
    def dashboard(request): ...

    with use_replica():
        content = report_content(...)

Inside such a scope reads of the application's data go to the ``replica`` database alias
(configured by THEODOI_REPLICA_URL), except:

- inside a transaction on the primary (``transaction.atomic``): its reads must see its writes;
- after the scope has written anything: from then on the scope reads the primary;
- sessions, users and permissions, content types, the admin log and the background-job tables
  (``PRIMARY_ONLY_APPS``): a sign-in, a password change or a queued job must be seen at once.

Without a ``replica`` alias the scope is a no-op and everything reads the primary, so the
laptop (SQLite, one database) runs the same code.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DB_ALIAS = "replica"
DATABASE_ALIASES = frozenset({DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS})
# Apps whose rows must be read where they were just written, whatever the scope.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "contenttypes", "admin", "django_q"})


@dataclass
class _ReplicaScope:
    wrote: bool = False


_scope: ContextVar[_ReplicaScope | None] = ContextVar("theodoi_replica_scope", default=None)


@contextlib.contextmanager
def use_replica() -> Iterator[None]:
    """Read from the replica inside this block or decorated function (see the module doc).

    A fresh scope per call (``contextlib.contextmanager`` recreates itself when used as a
    decorator), held in a context variable: threads and nested scopes do not interfere."""
    token = _scope.set(_ReplicaScope())
    try:
        yield
    finally:
        _scope.reset(token)


def replica_configured() -> bool:
    return REPLICA_DB_ALIAS in settings.DATABASES


def read_database(app_label: str = "") -> str:
    """The alias a read made now would use; for raw SQL: ``connections[read_database()]``."""
    scope = _scope.get()
    if (
        scope is None
        or scope.wrote
        or app_label in PRIMARY_ONLY_APPS
        or not replica_configured()
        or connections[DEFAULT_DB_ALIAS].in_atomic_block
    ):
        return DEFAULT_DB_ALIAS
    return REPLICA_DB_ALIAS


class ReadReplicaRouter:
    """Reads go to the replica only inside ``use_replica()``; writes and migrations always go
    to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        return read_database(model._meta.app_label)

    def db_for_write(self, model: type, **hints: Any) -> str:
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica is a copy of the primary: an object read from one may point at one
        # read from the other.
        if obj1._state.db in DATABASE_ALIASES and obj2._state.db in DATABASE_ALIASES:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica receives the schema with the data, by streaming replication.
        if db == REPLICA_DB_ALIAS:
            return False
        if db == DEFAULT_DB_ALIAS:
            return True
        return None
