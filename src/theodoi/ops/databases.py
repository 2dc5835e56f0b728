"""A copy of the whole database into one file and back, by each vendor's own safe means:
SQLite's online backup API (consistent while the app keeps writing), PostgreSQL's pg_dump in
its custom format and pg_restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from typing import Any

from django.db import connections

# The file inside a backup that holds the database, by vendor.
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
PG_TIMEOUT = 6 * 3600  # seconds: a national database is large, a stuck command is not


class DatabaseCopyError(Exception):
    """The database could not be copied or restored; the message says why, in Vietnamese."""


def database_settings() -> dict[str, Any]:
    return connections["default"].settings_dict


def database_vendor() -> str:
    vendor = connections["default"].vendor
    if vendor not in DATABASE_FILES:
        raise DatabaseCopyError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại “{vendor}”.")
    return vendor


def database_label() -> str:
    """How the command line names the database: "SQLite /…/theodoi.sqlite3",
    "PostgreSQL “theodoi” tại 127.0.0.1:5432"."""
    vendor, db = database_vendor(), database_settings()
    if vendor == "sqlite":
        return f"SQLite {db['NAME']}"
    where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
    return f"PostgreSQL “{db['NAME']}” tại {where}"


def database_dump(*, target: Path) -> None:
    """Write the whole default database into ``target``."""
    if database_vendor() == "sqlite":
        _sqlite_dump(_sqlite_path(), target)
    else:
        _pg_dump(database_settings(), target)


def database_load(*, source: Path) -> None:
    """Replace the whole default database by the copy in ``source`` (from database_dump)."""
    connections["default"].close()
    if database_vendor() == "sqlite":
        _sqlite_load(source, _sqlite_path())
    else:
        _pg_restore(database_settings(), source)
    connections["default"].close()


# SQLite


def _sqlite_path() -> Path:
    name = str(database_settings()["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise DatabaseCopyError("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu được.")
    return Path(name)


def _sqlite_dump(path: Path, target: Path) -> None:
    if not path.is_file():
        raise DatabaseCopyError(
            f"Không thấy cơ sở dữ liệu SQLite “{path}”. Hãy kiểm tra THEODOI_DATA_DIR, "
            "THEODOI_DATABASE_URL, hoặc tạo cơ sở dữ liệu bằng “theodoi demo”."
        )
    # The backup API copies a consistent snapshot page by page: writers in the running app
    # only make it start over, and a reader never blocks them in WAL mode.
    with closing(sqlite3.connect(path, timeout=30)) as live:
        with closing(sqlite3.connect(target)) as copy:
            live.backup(copy)


def _sqlite_load(source: Path, path: Path) -> None:
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as copy:
        try:
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise DatabaseCopyError(f"Cơ sở dữ liệu trong bản sao lưu bị hỏng: {exc}.") from None
        if verdict != "ok":
            raise DatabaseCopyError(f"Cơ sở dữ liệu trong bản sao lưu bị hỏng: {verdict}.")
        path.parent.mkdir(parents=True, exist_ok=True)
        # Into the live file, through SQLite: connections the app holds see the restored
        # database at their next transaction instead of a file swapped under them.
        with closing(sqlite3.connect(path, timeout=30)) as live:
            copy.backup(live)


# PostgreSQL


def _pg_program(name: str) -> str:
    program = shutil.which(name)
    if program is None:
        raise DatabaseCopyError(
            f"Không tìm thấy lệnh {name}, cần để sao lưu và khôi phục PostgreSQL. Hãy cài "
            "công cụ dòng lệnh của PostgreSQL cùng phiên bản với máy chủ hoặc mới hơn "
            "(Debian/Ubuntu: sudo apt-get install postgresql-client) rồi chạy lại."
        )
    return program


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    """The connection of Django's settings, handed over as libpq's variables: the password
    never appears on a command line (other users may list processes)."""
    env = dict(os.environ)
    for variable, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
        ("PGSSLMODE", (db.get("OPTIONS") or {}).get("sslmode")),
    ):
        if value:
            env[variable] = str(value)
    return env


def _pg_run(command: list[str], env: dict[str, str], what: str) -> str:
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=PG_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise DatabaseCopyError(f"{what} không xong sau {PG_TIMEOUT // 3600} giờ.") from None
    if done.returncode != 0:
        raise DatabaseCopyError(f"{what} thất bại (mã {done.returncode}): {done.stderr.strip()}")
    return done.stdout


def _pg_dump(db: dict[str, Any], target: Path) -> None:
    _pg_run(
        [_pg_program("pg_dump"), "--format=custom", "--no-password", f"--file={target}"],
        _pg_env(db),
        "pg_dump",
    )


def _pg_restore(db: dict[str, Any], source: Path) -> None:
    program, env = _pg_program("pg_restore"), _pg_env(db)
    # Extensions (pg_trgm) belong to the database's owner or a superuser, created once
    # (docs/deployment.md 2.2): the restore keeps the ones there and never drops them.
    contents = _pg_run([program, "--list", str(source)], env, "pg_restore --list")
    kept = [line for line in contents.splitlines() if " EXTENSION " not in line]
    listing = source.with_name(source.name + ".list")
    listing.write_text("\n".join(kept) + "\n", encoding="utf-8")
    _pg_run(
        [
            program,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--use-list={listing}",
            f"--dbname={db['NAME']}",
            str(source),
        ],
        env,
        "pg_restore",
    )
