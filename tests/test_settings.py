"""Vietnamese formats and settings read from the environment."""

import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal

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
    env = {**os.environ, "THEODOI_DATA_DIR": str(tmp_path)}
    env.pop("THEODOI_DATABASE_URL", None)  # its own embedded database
    process = subprocess.Popen(
        [sys.executable, "-m", "theodoi.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        page = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/") as reply:
                    page = reply.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert 'lang="vi"' in page and "Tên đăng nhập" in page
        assert (tmp_path / "theodoi.sqlite3").exists()
    finally:
        process.terminate()
        process.wait(timeout=10)
