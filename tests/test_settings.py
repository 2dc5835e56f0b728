"""Vietnamese formats and settings read from the environment."""

import datetime as dt
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.utils import formats, translation


def test_numbers_use_vietnamese_separators():
    with translation.override("vi"):
        assert formats.number_format(1495, force_grouping=True) == "1.495"
        assert formats.number_format(Decimal("98.39"), 2) == "98,39"


def test_dates_are_typed_and_shown_as_dd_mm_yyyy():
    class Form(forms.Form):
        day = forms.DateField()

    with translation.override("vi"):
        form = Form({"day": "31/03/2026"})
        assert form.is_valid() and form.cleaned_data["day"] == dt.date(2026, 3, 31)
        assert formats.date_format(dt.date(2026, 3, 5), "SHORT_DATE_FORMAT") == "05/03/2026"
        bad = Form({"day": "31/02/2026"})
        assert not bad.is_valid()
        assert "Nhập" in bad.errors["day"][0] or "hợp lệ" in bad.errors["day"][0]


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] in {"wal", "memory"}  # the test database is in memory


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_runs_a_real_server_that_speaks_vietnamese(tmp_path):
    port = _free_port()
    # The demo: its own embedded database, no secret key.
    env = clean_env(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "theodoi.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    page, output = "", ""
    try:
        # It migrates a new database first: give a busy machine time.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/") as reply:
                    page = reply.read().decode()
                break
            except OSError:
                time.sleep(0.2)
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0].decode()
    assert 'lang="vi"' in page and "Tên đăng nhập" in page, output
    assert (tmp_path / "theodoi.sqlite3").exists()
    assert "đang dùng khóa dùng thử của bản demo" in output


REPO_DIR = Path(__file__).resolve().parents[1]
REFUSAL = "Chưa đặt THEODOI_SECRET_KEY"


def clean_env(tmp_path, **settings: str) -> dict[str, str]:
    """This environment without any THEODOI_* setting of the running suite, plus the given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THEODOI_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(THEODOI_DATA_DIR=str(tmp_path), PYTHONUNBUFFERED="1", **settings)
    return env


def documented_production_env(tmp_path) -> dict[str, str]:
    """deploy/theodoi.env.example as a server has it, with a real key and this test's folders."""
    settings = {}
    for line in (REPO_DIR / "deploy" / "theodoi.env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            settings[name.strip()] = value.strip()
    assert "THEODOI_SECRET_KEY" in settings and settings["THEODOI_HTTPS"] == "1"
    settings.update(
        THEODOI_SECRET_KEY=secrets.token_urlsafe(50),
        THEODOI_DEBUG="0",
        THEODOI_MEDIA_DIR=str(tmp_path / "media"),
        THEODOI_STATIC_ROOT=str(tmp_path / "static"),
    )
    settings.pop("THEODOI_DATA_DIR")
    return clean_env(tmp_path, **settings)


def test_deploy_check_passes_with_the_documented_production_settings(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "theodoi.cli",
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "DEBUG",
        ],
        env=documented_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
    assert "WARNING" not in done.stdout + done.stderr


def test_production_settings_turn_on_every_https_protection(tmp_path):
    program = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_PROXY_SSL_HEADER, s.DEBUG, s.SECRET_KEY_IS_DEMO]))"
    )
    env = {**documented_production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "theodoi.settings"}
    done = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    redirect, hsts, subdomains, session, csrf, proxy, debug, demo_key = json.loads(done.stdout)
    assert redirect and hsts >= 365 * 24 * 3600 and subdomains and session and csrf
    assert proxy == ["HTTP_X_FORWARDED_PROTO", "https"] and not debug and not demo_key


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({"THEODOI_DATABASE_URL": "postgres://theodoi@127.0.0.1:5432/theodoi"}, "DATABASE_URL"),
        ({"THEODOI_HTTPS": "1"}, "THEODOI_HTTPS=1"),
        ({"THEODOI_BEHIND_PROXY": "1"}, "THEODOI_BEHIND_PROXY=1"),
        ({"THEODOI_DEMO": "0"}, "THEODOI_DEMO=0"),
    ],
)
def test_a_server_without_a_secret_key_refuses_to_start_outside_the_demo(
    tmp_path, settings, reason
):
    done = subprocess.run(
        [sys.executable, "-m", "theodoi.cli", "serve", "--port", str(_free_port())],
        env=clean_env(tmp_path, **settings),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("Lỗi cấu hình: " + REFUSAL), done.stderr
    assert reason in done.stderr and "secrets.token_urlsafe" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "theodoi.sqlite3").exists()


def test_gunicorn_without_a_secret_key_stops_and_says_why(tmp_path):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = clean_env(
        tmp_path,
        THEODOI_DATABASE_URL="postgres://theodoi@127.0.0.1:5432/theodoi",
        THEODOI_GUNICORN_BIND=f"127.0.0.1:{_free_port()}",
        THEODOI_GUNICORN_WORKERS="1",
    )
    done = subprocess.run(
        [str(gunicorn), "-c", "python:theodoi.gunicorn_conf"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert REFUSAL in done.stdout + done.stderr


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _in_process(program: str, **env: str) -> subprocess.CompletedProcess:
    # the laptop's settings (the cache does not depend on the database; a PostgreSQL run's
    # URL would ask for a real secret key)
    base = {k: v for k, v in os.environ.items() if not k.startswith("THEODOI_")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + program],
        env={**base, "DJANGO_SETTINGS_MODULE": "theodoi.settings", "THEODOI_DEMO": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.skipif(not _redis_up(), reason="cần Redis trên 127.0.0.1:6379")
def test_a_redis_cache_url_shares_the_cache_between_processes():
    url = "redis://127.0.0.1:6379/15"
    key = f"thu-{secrets.token_hex(4)}"
    written = _in_process(
        "from django.core.cache import cache; from django.conf import settings as s; "
        f"cache.set('{key}', 'Cát Hải', 60); print(s.SESSION_ENGINE)",
        THEODOI_CACHE_URL=url,
    )
    assert written.returncode == 0, written.stderr
    assert written.stdout.strip() == "django.contrib.sessions.backends.cached_db"
    read = _in_process(
        f"from django.core.cache import cache; print(cache.get('{key}'))", THEODOI_CACHE_URL=url
    )
    assert read.returncode == 0, read.stderr
    assert read.stdout.strip() == "Cát Hải"  # another process reads what the first wrote


def test_a_cache_that_does_not_answer_is_a_miss_not_a_failure():
    done = _in_process(
        "from django.core.cache import cache; cache.set('x', 1); print(cache.get('x'))",
        THEODOI_CACHE_URL="redis://127.0.0.1:1/0",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"


def test_an_unknown_cache_url_is_refused_in_vietnamese():
    done = _in_process("pass", THEODOI_CACHE_URL="memcached://127.0.0.1:11211")
    assert done.returncode != 0
    assert "chỉ hỗ trợ Redis" in done.stderr
