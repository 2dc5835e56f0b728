"""`theodoi backup` and `theodoi restore` as an administrator runs them: real commands on a
site of their own (its database, its uploaded files), compared table by table, row by row,
and file by file with what they were.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.deployment_helpers import (
    child_env,
    pg_create_database,
    pg_database_name,
    pg_drop_database,
    pg_url,
    run,
    venv_command,
)

MEDIA = {
    "evidence/2026/03/anh-hien-truong.png": bytes(range(256)) * 40,
    "evidence/2026/03/biên bản nghiệm thu.pdf": "%PDF-1.4 biên bản".encode(),
    "imports/ke-hoach-96.xlsx": b"PK\x03\x04" + b"\x00" * 300,
}


def theodoi(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "theodoi.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
    )


def put_media(root: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)


def media_state(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def sqlite_state(path: Path) -> dict[str, list]:
    """Every table of the database (Django's, the apps', the search index's), every row, and
    the schema itself."""
    with sqlite3.connect(path) as connection:
        schema = connection.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        state = {"<schema>": schema}
        for (table,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall():
            rows = connection.execute(f'SELECT * FROM "{table}"').fetchall()
            state[table] = sorted(rows, key=repr)
    connection.close()
    return state


def change_sqlite_site(database: Path, media: Path) -> None:
    """What an administrator would want undone: rows changed, deleted and added, a table
    gone, uploaded files changed, deleted and added."""
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE plans_task SET title = 'đã bị sửa'")
        connection.execute("DELETE FROM progress_taskupdate")
        connection.execute("DELETE FROM auth_user WHERE username = 'kiemtra'")
        connection.execute("INSERT INTO auth_group (name) VALUES ('nhóm thêm sau khi sao lưu')")
        connection.execute("DROP TABLE axes_accesslog")
    connection.close()
    (media / "evidence/2026/03/anh-hien-truong.png").unlink()
    (media / "imports/ke-hoach-96.xlsx").write_bytes(b"khac")
    put_media(media, {"evidence/moi.txt": b"tep moi"})


@pytest.fixture
def sqlite_site(tmp_path):
    """A site with the Cát Hải dataset on its embedded SQLite database and uploaded files."""
    data_dir = tmp_path / "site"
    env = child_env(data_dir)
    run([venv_command("theodoi"), "demo"], env, tmp_path)
    put_media(data_dir / "media", MEDIA)
    return data_dir, env


def test_sqlite_round_trip_gives_back_every_row_and_every_file(sqlite_site, tmp_path):
    data_dir, env = sqlite_site
    database, media = data_dir / "theodoi.sqlite3", data_dir / "media"
    tables, files = sqlite_state(database), media_state(media)
    assert tables["plans_task"] and len(files) == len(MEDIA)

    backup = tmp_path / "sao-luu" / "theodoi.tar.gz"
    done = theodoi(env, tmp_path, "backup", str(backup))
    assert done.returncode == 0, done.stderr
    assert f"Đã sao lưu vào {backup}" in done.stdout
    assert f"{len(MEDIA)} tệp tải lên" in done.stdout

    change_sqlite_site(database, media)
    changed_tables, changed_files = sqlite_state(database), media_state(media)
    assert changed_tables != tables and changed_files != files

    refused = theodoi(env, tmp_path, "restore", str(backup))
    assert refused.returncode == 2
    assert "ghi đè" in refused.stderr and "--yes" in refused.stderr
    assert sqlite_state(database) == changed_tables and media_state(media) == changed_files

    done = theodoi(env, tmp_path, "restore", str(backup), "--yes")
    assert done.returncode == 0, done.stderr
    assert f"Đã khôi phục từ {backup}" in done.stdout
    assert f"{len(MEDIA)} tệp tải lên" in done.stdout and "đã bỏ 1 tệp" in done.stdout
    assert sqlite_state(database) == tables
    assert media_state(media) == files
    # The restored site works: its commands read it.
    assert theodoi(env, tmp_path, "units").returncode == 0

    # And on a new machine, where nothing was yet.
    new_dir = tmp_path / "may-moi"
    done = theodoi(child_env(new_dir), tmp_path, "restore", str(backup), "--yes")
    assert done.returncode == 0, done.stderr
    assert sqlite_state(new_dir / "theodoi.sqlite3") == tables
    assert media_state(new_dir / "media") == files


def test_backup_while_another_connection_writes_takes_the_committed_state(tmp_path):
    data_dir = tmp_path / "site"
    data_dir.mkdir()
    env = child_env(data_dir)
    run([venv_command("theodoi"), "manage", "migrate", "-v0"], env, tmp_path)
    database = data_dir / "theodoi.sqlite3"
    writer = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    writer.execute("INSERT INTO auth_group (name) VALUES ('đã ghi')")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO auth_group (name) VALUES ('đang ghi dở')")

    backup = tmp_path / "giua-chung.tar.gz"
    done = theodoi(env, tmp_path, "backup", str(backup))
    # The app's write lock did not stop the backup, and the app can still commit.
    assert done.returncode == 0, done.stderr
    writer.execute("COMMIT")
    writer.close()

    with tarfile.open(backup) as archive:
        copy = tmp_path / "copy.sqlite3"
        copy.write_bytes(archive.extractfile("database.sqlite3").read())
    with sqlite3.connect(copy) as connection:
        names = {name for (name,) in connection.execute("SELECT name FROM auth_group")}
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()
    assert names == {"đã ghi"}


# Restore refuses what is not a whole theodoi backup for this database, and changes nothing.


def tar_gz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    """A migrated site with one upload, and a real backup of it to tamper with."""
    root = tmp_path_factory.mktemp("restore-refusals")
    data_dir = root / "site"
    data_dir.mkdir()
    env = child_env(data_dir)
    run([venv_command("theodoi"), "manage", "migrate", "-v0"], env, root)
    put_media(data_dir / "media", {"evidence/giu-nguyen.txt": b"giu nguyen"})
    backup = root / "that.tar.gz"
    assert theodoi(env, root, "backup", str(backup)).returncode == 0
    with tarfile.open(backup) as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive if m.isfile()}
    return root, data_dir, env, backup, members


def _manifest(members: dict[str, bytes], **changes) -> bytes:
    return json.dumps({**json.loads(members["manifest.json"]), **changes}).encode()


REFUSALS = {
    "text": (lambda backup, members: b"khong phai sao luu", "không phải bản sao lưu của theodoi"),
    "tar without manifest": (
        lambda backup, members: tar_gz({"database.sqlite3": members["database.sqlite3"]}),
        "không có manifest.json",
    ),
    "another program's manifest": (
        lambda backup, members: tar_gz({**members, "manifest.json": b'{"format": "khac"}'}),
        "không phải bản sao lưu của theodoi",
    ),
    "cut short": (
        lambda backup, members: backup.read_bytes()[: len(backup.read_bytes()) // 2],
        "bị hỏng hoặc không đầy đủ",
    ),
    "newer format": (
        lambda backup, members: tar_gz(
            {**members, "manifest.json": _manifest(members, format_version=99)}
        ),
        "phiên bản theodoi mới hơn",
    ),
    "other vendor": (
        lambda backup, members: tar_gz(
            {
                "database.pgdump": b"PGDMP",
                "manifest.json": _manifest(
                    members,
                    database_vendor="postgresql",
                    database_file="database.pgdump",
                    media_files=0,
                    media_bytes=0,
                ),
            }
        ),
        "không khôi phục được sang loại khác",
    ),
    "path outside": (
        lambda backup, members: tar_gz({**members, "media/../../ngoai.txt": b"x"}),
        "chứa tệp lạ",
    ),
    "file missing": (
        lambda backup, members: tar_gz(
            {name: content for name, content in members.items() if not name.startswith("media/")}
        ),
        "không đầy đủ",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_restore_refuses_what_is_not_a_whole_backup_for_this_site(small_site, case):
    root, data_dir, env, backup, members = small_site
    make, message = REFUSALS[case]
    bad = root / f"{case.replace(' ', '-')}.tar.gz"
    bad.write_bytes(make(backup, members))
    tables, files = sqlite_state(data_dir / "theodoi.sqlite3"), media_state(data_dir / "media")

    done = theodoi(env, root, "restore", str(bad), "--yes")

    assert done.returncode == 2
    assert done.stderr.startswith("Lỗi: ") and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert sqlite_state(data_dir / "theodoi.sqlite3") == tables
    assert media_state(data_dir / "media") == files
    assert not (root / "ngoai.txt").exists()


def test_backup_does_not_overwrite_a_file_unless_told(small_site):
    root, _, env, backup, _ = small_site
    before = backup.read_bytes()
    refused = theodoi(env, root, "backup", str(backup))
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert backup.read_bytes() == before


def test_postgresql_backup_without_pg_dump_says_what_to_install(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    env = child_env(
        tmp_path, THEODOI_DATABASE_URL="postgres://theodoi@127.0.0.1:5432/theodoi", PATH=str(empty)
    )
    done = theodoi(env, tmp_path, "backup", str(tmp_path / "x.tar.gz"))
    assert done.returncode == 2
    assert "Không tìm thấy lệnh pg_dump" in done.stderr
    assert "postgresql-client" in done.stderr
    assert not (tmp_path / "x.tar.gz").exists()


# PostgreSQL: pg_dump -Fc and pg_restore, on a database of the test's own.


def postgres_state(url: str) -> dict[str, list]:
    """Every table of the public schema, every row; and where each sequence stands."""
    import psycopg

    with psycopg.connect(url) as connection:
        tables = connection.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        state = {}
        for (table,) in tables:
            rows = connection.execute(f'SELECT * FROM "{table}"').fetchall()
            state[table] = sorted(rows, key=repr)
        sequences = connection.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
            "ORDER BY sequencename"
        ).fetchall()
        state["<sequences>"] = sequences
    return state


@pytest.mark.postgres
def test_postgresql_round_trip_gives_back_every_row_and_every_file(tmp_path):
    name = pg_database_name("sao_luu")
    pg_create_database(name)
    url = pg_url(name)
    try:
        data_dir = tmp_path / "site"
        env = child_env(data_dir, THEODOI_DATABASE_URL=url)
        run([venv_command("theodoi"), "demo"], env, tmp_path)
        media = data_dir / "media"
        put_media(media, MEDIA)
        tables, files = postgres_state(url), media_state(media)
        assert tables["plans_task"]

        backup = tmp_path / "pg.tar.gz"
        done = theodoi(env, tmp_path, "backup", str(backup))
        assert done.returncode == 0, done.stderr
        assert "PostgreSQL" in done.stdout

        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("UPDATE plans_task SET title = 'đã bị sửa'")
            connection.execute("DELETE FROM progress_taskupdate")
            connection.execute("INSERT INTO auth_group (name) VALUES ('thêm sau khi sao lưu')")
            connection.execute("DROP TABLE axes_accesslog")
        (media / "imports/ke-hoach-96.xlsx").unlink()
        put_media(media, {"evidence/moi.txt": b"tep moi"})
        assert postgres_state(url) != tables and media_state(media) != files

        done = theodoi(env, tmp_path, "restore", str(backup), "--yes")
        assert done.returncode == 0, done.stderr
        assert postgres_state(url) == tables
        assert media_state(media) == files
        assert theodoi(env, tmp_path, "units").returncode == 0
    finally:
        pg_drop_database(name)
