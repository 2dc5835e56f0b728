"""Helpers for the deployment tests: real processes (theodoi, gunicorn, nginx, PgBouncer,
qcluster) on loopback ports, each with its own database, and a small cookie-keeping HTTP
client. Nothing here touches the test database of the running suite."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parents[1]
START_TIMEOUT = 60  # seconds for a server to answer
COMMAND_TIMEOUT = 300  # seconds for a migrate or a script

# Settings of the running suite that a child process must not inherit.
_PRIVATE_ENV = (
    "THEODOI_DATABASE_URL",
    "THEODOI_REPLICA_URL",
    "THEODOI_PGBOUNCER",
    "THEODOI_MEDIA_DIR",
    "THEODOI_STATIC_ROOT",
    "THEODOI_BEHIND_PROXY",
    "THEODOI_HTTPS",
    "THEODOI_CSRF_TRUSTED_ORIGINS",
    "THEODOI_Q_SYNC",
    "THEODOI_DEMO",
    "DJANGO_SETTINGS_MODULE",
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def venv_command(name: str) -> Path:
    """A console script installed next to the interpreter running the tests (the venv's)."""
    command = Path(sys.executable).with_name(name)
    if not command.exists():
        pytest.fail(f"Không tìm thấy lệnh {name} tại {command}. Hãy chạy: make setup")
    return command


# A site that is not the demo (PostgreSQL, behind nginx) refuses to start without a key.
TEST_SECRET_KEY = "theodoi-tests-" + "k" * 50


def child_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a child process: its own data folder and only the given settings."""
    env = {k: v for k, v in os.environ.items() if k not in _PRIVATE_ENV}
    env.setdefault("THEODOI_SECRET_KEY", TEST_SECRET_KEY)
    env.update(THEODOI_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", **settings)
    return env


def run(command: list[str | Path], env: Mapping[str, str], cwd: Path) -> str:
    """Run a command to its end; fail the test with its output if it fails."""
    done = subprocess.run(
        [str(c) for c in command],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
    )
    if done.returncode != 0:
        pytest.fail(
            f"`{' '.join(map(str, command))}` thất bại (mã {done.returncode}).\n"
            f"--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}",
            pytrace=False,
        )
    return done.stdout


def migrate(env: Mapping[str, str], cwd: Path, *apps: str) -> None:
    run([venv_command("theodoi"), "manage", "migrate", "-v0", *apps], env, cwd)


def django_script(code: str, env: Mapping[str, str], cwd: Path) -> dict:
    """Run Python code in a fresh Django process with env; the code sets ``result`` (a dict),
    which comes back through JSON."""
    program = (
        "import json, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'theodoi.settings')\n"
        "import django\n"
        "django.setup()\n"
        "result = {}\n" + code + "\nprint('RESULT ' + json.dumps(result, default=str))\n"
    )
    output = run([sys.executable, "-c", program], env, cwd)
    line = next(x for x in reversed(output.splitlines()) if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


@dataclass
class Process:
    """A server started in the background, its output in a log file (never a pipe: a chatty
    server must not block on a full one)."""

    popen: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)


def start(command: list[str | Path], env: Mapping[str, str], cwd: Path, log: Path) -> Process:
    with log.open("wb") as out:
        popen = subprocess.Popen(
            [str(c) for c in command], env=dict(env), cwd=cwd, stdout=out, stderr=subprocess.STDOUT
        )
    return Process(popen, log)


def wait_for_port(process: Process, port: int, what: str) -> None:
    """Until something listens on the loopback port; fail with the log if the process dies."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            pytest.fail(f"{what} đã dừng (mã {process.popen.returncode}):\n{process.output()}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail(f"{what} không trả lời ở cổng {port} sau {START_TIMEOUT} giây:\n{process.output()}")


@dataclass
class Reply:
    status: int
    url: str
    headers: Mapping[str, str]
    text: str


class Client:
    """A browser's memory in a few lines: cookies kept across requests and servers (cookies
    are per host name, not per port), redirects followed, self-signed TLS accepted."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies),
            urllib.request.HTTPSHandler(context=context),
        )

    def request(
        self,
        url: str,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=dict(headers or {}))
        try:
            with self._opener.open(request, timeout=60) as reply:
                return Reply(reply.status, reply.geturl(), reply.headers, reply.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(error.code, url, error.headers, error.read().decode(errors="replace"))

    def sign_in(self, base_url: str, username: str, password: str, next_path: str) -> Reply:
        """Through the app's own sign-in page, as a person does: the form, its CSRF token, and
        the Origin header a browser sends with a form."""
        page = self.request(f"{base_url}/dang-nhap/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert page.status == 200 and token, page.text[:500]
        return self.request(
            f"{base_url}/dang-nhap/",
            {
                "csrfmiddlewaretoken": token.group(1),
                "username": username,
                "password": password,
                "next": next_path,
            },
            headers={"Origin": base_url, "Referer": f"{base_url}/dang-nhap/"},
        )


# PostgreSQL: databases of the tests' own, named after the suite's test database, so that
# two suites running at once on one server (other database URLs) never meet.


def pg_settings() -> dict:
    from django.db import connection

    return connection.settings_dict


def pg_url(name: str, host: str | None = None, port: int | None = None) -> str:
    db = pg_settings()
    auth = urllib.parse.quote(db["USER"] or "")
    if db["PASSWORD"]:
        auth += ":" + urllib.parse.quote(db["PASSWORD"])
    return (
        f"postgres://{auth}@{host or db['HOST'] or '127.0.0.1'}:{port or db['PORT'] or 5432}/{name}"
    )


def pg_database_name(suffix: str) -> str:
    return f"{pg_settings()['NAME']}_{suffix}"[:63]


def _pg_admin(sql: str) -> None:
    import psycopg

    db = pg_settings()
    with psycopg.connect(
        dbname="postgres",
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        autocommit=True,
    ) as conn:
        conn.execute(sql)


def pg_create_database(name: str, template: str | None = None) -> None:
    pg_drop_database(name)
    _pg_admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def pg_drop_database(name: str) -> None:
    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_alter_database(name: str, setting: str) -> None:
    _pg_admin(f'ALTER DATABASE "{name}" SET {setting}')
