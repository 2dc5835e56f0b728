"""A database made by an earlier release migrates forward with no row lost.

``tests/data/migrations/main-845fe6f.sqlite3.gz`` was made by commit 845fe6f (before the
review queue moved from the ``ingest`` app to ``archive`` and the search index from
``documents`` to ``search``): migrated, with a user, a document, its search entry and an
extracted figure with its history row. Migrating it with this code must keep every row of
every table, keep the tables where they were, and leave the moved models readable.
"""

from __future__ import annotations

import gzip
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

EARLIER = Path(__file__).resolve().parent / "data" / "migrations" / "main-845fe6f.sqlite3.gz"


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [
            row[0]
            for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not row[0].startswith("sqlite_") and "_fts" not in row[0]
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def _applied(database: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(database) as db:
        return set(db.execute("SELECT app, name FROM django_migrations").fetchall())


def _migrations_since_before(done: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The migrations this code has that the earlier database had not applied (the move's
    three and whatever came after it)."""
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations) - done


def _theodoi(data_dir: Path, *argv: str) -> str:
    env = {**os.environ, "THEODOI_DATA_DIR": str(data_dir)}
    env.pop("THEODOI_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "theodoi.cli", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_database_of_the_earlier_layout_migrates_with_every_row_kept(tmp_path):
    database = tmp_path / "theodoi.sqlite3"
    database.write_bytes(gzip.decompress(EARLIER.read_bytes()))
    before = _counts(database)
    before_migrations = _applied(database)
    with sqlite3.connect(database) as db:
        earlier_ids = {
            table: {row[0] for row in db.execute(f'SELECT id FROM "{table}"')}
            for table in ("django_content_type", "auth_permission")
        }
    assert before["ingest_extractedfigure"] == 1 and before["documents_searchentry"] == 1

    _theodoi(tmp_path, "manage", "migrate", "--verbosity", "0")

    after = _counts(database)
    new = _migrations_since_before(before_migrations)
    applied = after.pop("django_migrations") - before.pop("django_migrations")
    assert applied == len(new)
    # Apps added since that release (django-axes: sign-in throttling) bring their own tables,
    # empty, with their content types and permissions; the project's rows are what is watched.
    added = {table: after.pop(table) for table in sorted(set(after) - set(before))}
    added_apps = {table.split("_")[0] for table in added}
    assert added_apps <= {app for app, _ in new}, added
    # Derived bookkeeping is filled from the rows there: a first stamp for every unit
    # (progress/freshness.py), nothing else.
    assert added.pop("progress_unitstamp") == before["orgs_orgunit"]
    assert all(rows == 0 for rows in added.values()), added
    # New models in apps that existed bring new content types and permissions too: rows
    # added after the earlier release's last ones; every earlier row must still be there.
    with sqlite3.connect(database) as db:
        for table in ("django_content_type", "auth_permission"):
            ids = {row[0] for row in db.execute(f'SELECT id FROM "{table}"')}
            assert earlier_ids[table] <= ids, table
            after[table] -= len(ids - earlier_ids[table])
    assert after == before  # no table removed or renamed; no row lost or added
    with sqlite3.connect(database) as db:
        moved = dict(
            db.execute(
                "SELECT model, app_label FROM django_content_type "
                "WHERE model IN ('extractedfigure', 'historicalextractedfigure', 'searchentry')"
            ).fetchall()
        )
    assert moved == {
        "extractedfigure": "archive",
        "historicalextractedfigure": "archive",
        "searchentry": "search",
    }
    # The moved models read their old rows: the queue lists the figure, the search finds the
    # document through the FTS5 index the earlier migration built.
    assert "“Đã cấp 85 chứng thư số.”" in _theodoi(tmp_path, "review", "list", "--status", "all")
    assert "276/BC-UBND" in _theodoi(tmp_path, "search", "chung thu so")


def test_a_new_database_gets_the_moved_tables_under_their_kept_names(tmp_path):
    _theodoi(tmp_path, "manage", "migrate", "--verbosity", "0")
    tables = _counts(tmp_path / "theodoi.sqlite3")
    assert {"ingest_extractedfigure", "ingest_historicalextractedfigure"} <= set(tables)
    assert "documents_searchentry" in tables
