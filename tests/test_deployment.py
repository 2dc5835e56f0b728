"""Beyond one machine (docs/deployment.md): settings read from the environment, gunicorn
serving the app with several workers, two stateless app servers sharing sessions, the example
nginx site in front of them, PgBouncer in transaction mode, and the background-job cluster.

Servers run as real processes on loopback ports, each on its own database (a temporary
SQLite file; on PostgreSQL, databases of the tests' own), never on the suite's test database.
nginx and PgBouncer are used where installed (apt-get install nginx-light pgbouncer).
"""

from __future__ import annotations

import collections
import http.client
import operator
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from tests.deployment_helpers import (
    REPO_DIR,
    Client,
    Process,
    child_env,
    django_script,
    free_port,
    migrate,
    pg_alter_database,
    pg_create_database,
    pg_database_name,
    pg_drop_database,
    pg_url,
    run,
    start,
    venv_command,
    wait_for_port,
)

DEPLOY_DIR = REPO_DIR / "deploy"
ADMIN = ("quantri-thu", "mat-khau-thu-nghiem-2026")
ADMIN_HEADER = "Theo dõi thực hiện Nghị quyết 57-NQ/TW"


# Settings: each read by a fresh process, as a server reads them at start.

SETTINGS_SCRIPT = """
from django.conf import settings
from django.core.files.storage import default_storage
result["databases"] = {
    alias: {
        "engine": db["ENGINE"],
        "conn_max_age": db["CONN_MAX_AGE"],
        "server_side_cursors_off": db.get("DISABLE_SERVER_SIDE_CURSORS", False),
        "health_checks": db.get("CONN_HEALTH_CHECKS", False),
    }
    for alias, db in settings.DATABASES.items()
}
result["routers"] = settings.DATABASE_ROUTERS
result["media_root"] = str(settings.MEDIA_ROOT)
result["storage_location"] = str(default_storage.location)
result["proxy_ssl_header"] = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
result["forwarded_host"] = settings.USE_X_FORWARDED_HOST
result["secure_cookies"] = [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE]
result["csrf_trusted_origins"] = settings.CSRF_TRUSTED_ORIGINS
result["session_engine"] = settings.SESSION_ENGINE
result["q_cluster"] = settings.Q_CLUSTER
"""


def read_settings(tmp_path: Path, **environment: str) -> dict:
    return django_script(SETTINGS_SCRIPT, child_env(tmp_path, **environment), tmp_path)


def test_laptop_defaults_one_sqlite_database_no_proxy(tmp_path):
    found = read_settings(tmp_path)
    assert found["databases"] == {
        "default": {
            "engine": "django.db.backends.sqlite3",
            "conn_max_age": 0,
            "server_side_cursors_off": False,
            "health_checks": False,
        }
    }
    assert found["media_root"] == found["storage_location"] == str(tmp_path / "media")
    assert found["proxy_ssl_header"] is None and found["forwarded_host"] is False
    assert found["secure_cookies"] == [False, False] and found["csrf_trusted_origins"] == []
    assert found["session_engine"] == "django.contrib.sessions.backends.db"
    # One process: a queued job runs at once, no worker to start.
    assert found["q_cluster"]["sync"] is True


def test_on_postgresql_jobs_wait_for_the_cluster(tmp_path):
    server = read_settings(
        tmp_path, THEODOI_DATABASE_URL="postgres://theodoi@127.0.0.1:5432/theodoi"
    )
    assert server["q_cluster"]["sync"] is False
    laptop_with_worker = read_settings(tmp_path, THEODOI_Q_SYNC="0")
    assert laptop_with_worker["q_cluster"]["sync"] is False


def test_pgbouncer_mode_turns_off_server_side_cursors_on_both_databases(tmp_path):
    urls = {
        "THEODOI_DATABASE_URL": "postgres://theodoi@127.0.0.1:6432/theodoi",
        "THEODOI_REPLICA_URL": "postgres://theodoi@127.0.0.1:6432/theodoi_replica",
    }
    pooled = read_settings(tmp_path, THEODOI_PGBOUNCER="1", **urls)["databases"]
    direct = read_settings(tmp_path, **urls)["databases"]

    assert set(pooled) == set(direct) == {"default", "replica"}
    for alias in ("default", "replica"):
        assert pooled[alias]["server_side_cursors_off"] is True
        assert direct[alias]["server_side_cursors_off"] is False
        # Kept connections are checked before use: PgBouncer may have closed them.
        assert pooled[alias]["health_checks"] is True
        assert pooled[alias]["conn_max_age"] == 60


def test_connection_lifetime_from_the_environment(tmp_path):
    found = read_settings(
        tmp_path,
        THEODOI_DATABASE_URL="postgres://theodoi@127.0.0.1:6432/theodoi",
        THEODOI_CONN_MAX_AGE="0",
    )
    assert found["databases"]["default"]["conn_max_age"] == 0


def test_behind_a_reverse_proxy_over_https(tmp_path):
    found = read_settings(
        tmp_path,
        THEODOI_BEHIND_PROXY="1",
        THEODOI_HTTPS="1",
        THEODOI_CSRF_TRUSTED_ORIGINS="https://theodoi.example.gov.vn, https://tinh.example.vn",
    )
    assert found["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["forwarded_host"] is True
    assert found["secure_cookies"] == [True, True]
    assert found["csrf_trusted_origins"] == [
        "https://theodoi.example.gov.vn",
        "https://tinh.example.vn",
    ]


def test_uploaded_files_go_to_the_shared_media_folder(tmp_path):
    shared = tmp_path / "shared-volume" / "media"
    env = child_env(tmp_path, THEODOI_MEDIA_DIR=str(shared))
    found = django_script(
        SETTINGS_SCRIPT
        + "from django.core.files.base import ContentFile\n"
        + "from theodoi.progress.models import Evidence\n"
        + "storage = Evidence._meta.get_field('file').storage\n"
        + "result['saved'] = storage.save('evidence/2026-Q1/1/minh-chung.txt',"
        + " ContentFile(b'bien ban'))\n",
        env,
        tmp_path,
    )
    assert found["media_root"] == str(shared)
    assert (shared / found["saved"]).read_bytes() == b"bien ban"
    assert not (tmp_path / "media").exists()


# Background jobs (django-q2).


def test_job_queue_settings_are_consistent():
    q = settings.Q_CLUSTER
    assert q["orm"] in settings.DATABASES  # the queue is a table: no Redis
    assert q["retry"] > q["timeout"]  # a running job is never handed out twice
    assert q["workers"] >= 1 and q["max_attempts"] >= 1
    assert "django_q" in settings.INSTALLED_APPS


def test_a_queued_job_runs_at_once_under_the_test_suite(db):
    from django_q.models import Task
    from django_q.tasks import async_task, result

    assert settings.Q_CLUSTER["sync"] is True
    task_id = async_task("operator.add", 2, 3)
    assert result(task_id) == operator.add(2, 3)
    assert Task.objects.get(id=task_id).success

    # A job's error reaches the test that queued it instead of waiting in a table.
    with pytest.raises(ZeroDivisionError):
        async_task("operator.truediv", 1, 0)


def test_a_job_queued_in_a_failed_transaction_is_never_queued(db, monkeypatch):
    from django.db import transaction
    from django_q.conf import Conf
    from django_q.models import OrmQ
    from django_q.tasks import async_task

    monkeypatch.setattr(Conf, "SYNC", False)  # as on a server: the job waits for the cluster
    with pytest.raises(RuntimeError), transaction.atomic():
        async_task("operator.add", 1, 1)
        raise RuntimeError("the service failed after queuing")
    assert not OrmQ.objects.exists()

    with transaction.atomic():
        async_task("operator.add", 1, 1)
    assert OrmQ.objects.count() == 1


QUEUE_SCRIPT = """
import os, operator
from django_q.tasks import async_task, result as job_result
sum_id = async_task("operator.add", 20, 22)
pid_id = async_task("os.getpid")
result["sum"] = job_result(sum_id, wait=60000)
result["worker_pid"] = job_result(pid_id, wait=60000)
result["queuer_pid"] = os.getpid()
"""


def run_jobs_through_a_cluster(env: dict[str, str], cwd: Path) -> dict:
    """Start `theodoi manage qcluster`, queue two jobs from another process, wait for them."""
    cluster = start([venv_command("theodoi"), "manage", "qcluster"], env, cwd, cwd / "qcluster.log")
    try:
        found = django_script(QUEUE_SCRIPT, env, cwd)
    finally:
        cluster.stop()
    assert cluster.popen.returncode == 0, cluster.output()
    return found


def test_qcluster_runs_queued_jobs_on_sqlite(tmp_path):
    env = child_env(tmp_path, THEODOI_Q_SYNC="0")
    migrate(env, tmp_path, "django_q")
    found = run_jobs_through_a_cluster(env, tmp_path)
    assert found["sum"] == operator.add(20, 22)
    # Run by a worker of the cluster, not by the process that queued it.
    assert found["worker_pid"] not in (None, found["queuer_pid"])


@pytest.mark.postgres
def test_qcluster_runs_queued_jobs_on_postgresql(tmp_path):
    name = pg_database_name("jobs")
    pg_create_database(name)
    try:
        env = child_env(tmp_path, THEODOI_DATABASE_URL=pg_url(name))
        migrate(env, tmp_path, "django_q")
        found = run_jobs_through_a_cluster(env, tmp_path)
    finally:
        pg_drop_database(name)
    assert found["sum"] == operator.add(20, 22)
    assert found["worker_pid"] not in (None, found["queuer_pid"])


# gunicorn with the shipped configuration.


def gunicorn_config(env: dict[str, str], cwd: Path) -> dict[str, str]:
    output = run(
        [venv_command("gunicorn"), "-c", "python:theodoi.gunicorn_conf", "--print-config"],
        env,
        cwd,
    )
    pairs = (line.split("=", 1) for line in output.splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def test_gunicorn_configuration_defaults_and_environment(tmp_path):
    defaults = gunicorn_config(child_env(tmp_path), tmp_path)
    assert defaults["workers"] == str(min(2 * (os.cpu_count() or 1) + 1, 12))
    assert defaults["bind"] == "['127.0.0.1:8000']"
    assert defaults["wsgi_app"] == "theodoi.wsgi:application"
    assert defaults["preload_app"] == "False"
    assert defaults["threads"] == "1"  # the sync worker: a request is taken only by a free one
    assert defaults["control_socket_disable"] == "True"

    chosen = gunicorn_config(
        child_env(
            tmp_path,
            THEODOI_GUNICORN_WORKERS="3",
            THEODOI_GUNICORN_THREADS="4",
            THEODOI_GUNICORN_BIND="0.0.0.0:9000",
            THEODOI_GUNICORN_TIMEOUT="45",
        ),
        tmp_path,
    )
    assert (chosen["workers"], chosen["threads"], chosen["timeout"]) == ("3", "4", "45")
    assert chosen["bind"] == "['0.0.0.0:9000']"


@dataclass
class AppServer:
    base_url: str
    process: Process

    def answered(self) -> list[tuple[str, str, str]]:
        """(request line, status, worker pid) of each request in its access log."""
        pattern = r'"(GET|POST) (\S+) HTTP/[\d.]+" (\d{3}) .* pid=<?(\d+)>?'
        return [(f"{m[1]} {m[2]}", m[3], m[4]) for m in re.finditer(pattern, self.process.output())]

    def answered_matching(self, marker: str, expected: int) -> list[tuple[str, str, str]]:
        """The logged requests whose line contains marker, once there are `expected` of them
        (or after a few seconds): gunicorn logs a request just after sending its answer."""
        deadline = time.monotonic() + 10
        while True:
            found = [entry for entry in self.answered() if marker in entry[0]]
            if len(found) >= expected or time.monotonic() > deadline:
                return found
            time.sleep(0.1)

    def booted_workers(self) -> set[str]:
        return set(re.findall(r"Booting worker with pid: (\d+)", self.process.output()))


def start_app_servers(
    env: dict[str, str], cwd: Path, count: int = 2, workers: int = 2
) -> list[AppServer]:
    servers = []
    for number in range(count):
        port = free_port()
        server_env = {
            **env,
            "THEODOI_GUNICORN_BIND": f"127.0.0.1:{port}",
            "THEODOI_GUNICORN_WORKERS": str(workers),
        }
        process = start(
            [venv_command("gunicorn"), "-c", "python:theodoi.gunicorn_conf"],
            server_env,
            cwd,
            cwd / f"gunicorn-{number}.log",
        )
        servers.append(AppServer(f"http://127.0.0.1:{port}", process))
    for server in servers:
        wait_for_port(server.process, int(server.base_url.rsplit(":", 1)[1]), "gunicorn")
    return servers


def create_admin(env: dict[str, str], cwd: Path) -> None:
    username, password = ADMIN
    run(
        [
            venv_command("theodoi"),
            *("manage", "createsuperuser", "--noinput", "--username", username),
            *("--email", "quantri@example.gov.vn"),
        ],
        {**env, "DJANGO_SUPERUSER_PASSWORD": password},
        cwd,
    )


@dataclass
class Site:
    data_dir: Path
    env: dict[str, str]
    servers: list[AppServer]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    """Two app servers (gunicorn, 2 workers each) on one SQLite database, as behind a proxy."""
    data_dir = tmp_path_factory.mktemp("theodoi-site")
    env = child_env(
        data_dir,
        THEODOI_BEHIND_PROXY="1",
        THEODOI_STATIC_ROOT=str(data_dir / "static"),
        THEODOI_MEDIA_DIR=str(data_dir / "shared-media"),
    )
    migrate(env, data_dir)
    create_admin(env, data_dir)
    servers = start_app_servers(env, data_dir)
    try:
        yield Site(data_dir, env, servers)
    finally:
        for server in servers:
            server.process.stop()


def test_gunicorn_serves_the_sign_in_page_in_vietnamese(site):
    page = Client().request(f"{site.servers[0].base_url}/dang-nhap/")
    assert page.status == 200
    assert 'lang="vi"' in page.text and "Tên đăng nhập" in page.text and "Mật khẩu" in page.text
    # Static files come from the app server itself too (whitenoise) when no nginx serves them.
    script = Client().request(f"{site.servers[0].base_url}/static/web/dashboard.js")
    assert script.status == 200 and script.text.strip()


def test_two_gunicorn_workers_share_the_requests(site):
    """While one sync worker is busy with a connection, the other answers: one connection is
    opened and left silent (the worker that took it waits for its request), the pages asked
    meanwhile can only be answered by the other worker, then the silent one asks too.
    Sequential requests alone prove nothing: either worker may take them all."""
    server = site.servers[0]
    host, port = server.base_url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=30) as held:
        client = Client()
        for _ in range(10):
            assert client.request(f"{server.base_url}/dang-nhap/?lan=2").status == 200
        held.sendall(f"GET /dang-nhap/?lan=3 HTTP/1.0\r\nHost: {host}:{port}\r\n\r\n".encode())
        assert held.makefile("rb").readline().split()[1] == b"200"
    meanwhile = {pid for _, _, pid in server.answered_matching("?lan=2", 10)}
    held_by = {pid for _, _, pid in server.answered_matching("?lan=3", 1)}
    assert len(server.booted_workers()) == 2
    assert len(meanwhile) == 1 and len(held_by) == 1, server.process.output()[-2000:]
    assert meanwhile | held_by == server.booted_workers(), server.process.output()[-2000:]


def test_a_session_opened_on_one_app_server_is_valid_on_the_other(site):
    first, second = site.servers
    client = Client()
    signed_in = client.sign_in(first.base_url, *ADMIN, next_path="/admin/")
    assert signed_in.status == 200 and signed_in.url == f"{first.base_url}/admin/"

    elsewhere = client.request(f"{second.base_url}/admin/")
    assert elsewhere.status == 200 and elsewhere.url == f"{second.base_url}/admin/"
    assert ADMIN_HEADER in elsewhere.text and ADMIN[0] in elsewhere.text
    # The other server never saw the sign-in: only the session in the database.
    assert not any(line.startswith("POST") for line, _, _ in second.answered())

    stranger = Client().request(f"{second.base_url}/admin/")
    assert "/admin/login/" in stranger.url


# The example nginx site (deploy/nginx/theodoi.conf) in front of the two app servers.


def _swap(text: str, old: str, new: str) -> str:
    """Replace a line of the example; fail if the example no longer has it."""
    assert old in text, f"deploy/nginx/theodoi.conf không còn dòng: {old}"
    return text.replace(old, new)


@dataclass
class Proxy:
    https_url: str
    http_url: str
    process: Process


@pytest.fixture(scope="module")
def nginx(site, tmp_path_factory) -> Iterator[Proxy]:
    nginx_bin, openssl = shutil.which("nginx"), shutil.which("openssl")
    if not nginx_bin or not openssl:
        pytest.skip("cần nginx và openssl (apt-get install nginx-light openssl)")
    prefix = tmp_path_factory.mktemp("nginx")
    run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-keyout", prefix / "key.pem", "-out", prefix / "cert.pem"),
        ],
        site.env,
        prefix,
    )
    # The app's static files gathered where nginx serves them, as docs/deployment.md says.
    run([venv_command("theodoi"), "manage", "collectstatic", "--noinput", "-v0"], site.env, prefix)

    https_port, http_port = free_port(), free_port()
    conf = (DEPLOY_DIR / "nginx" / "theodoi.conf").read_text()
    first, second = (s.base_url.removeprefix("http://") for s in site.servers)
    conf = _swap(conf, "server 10.0.0.11:8000", f"server {first}")
    conf = _swap(conf, "server 10.0.0.12:8000", f"server {second}")
    conf = _swap(conf, "listen 80;", f"listen 127.0.0.1:{http_port};")
    conf = _swap(conf, "listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    conf = _swap(conf, "listen [::]:80;\n", "")
    conf = _swap(conf, "listen [::]:443 ssl;\n", "")
    conf = _swap(conf, "/etc/ssl/theodoi/fullchain.pem", str(prefix / "cert.pem"))
    conf = _swap(conf, "/etc/ssl/theodoi/privkey.pem", str(prefix / "key.pem"))
    conf = _swap(conf, "alias /srv/theodoi/static/;", f"alias {site.data_dir / 'static'}/;")
    (prefix / "theodoi.conf").write_text(conf)
    mime_types = Path("/etc/nginx/mime.types")
    (prefix / "nginx.conf").write_text(
        # As root, nginx's workers would otherwise run as "nobody", who cannot read the test's
        # private temporary folders.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
        + "events {}\nhttp {\n"
        + (f"  include {mime_types};\n" if mime_types.exists() else "")
        + f"  access_log {prefix}/access.log;\n"
        + "".join(
            f"  {kind}_temp_path {prefix}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"  include {prefix}/theodoi.conf;\n}}\n"
    )
    command = [nginx_bin, "-p", prefix, "-c", prefix / "nginx.conf"]
    run([*command, "-t"], site.env, prefix)
    process = start([*command, "-g", "daemon off;"], site.env, prefix, prefix / "nginx.out")
    try:
        wait_for_port(process, https_port, "nginx")
        yield Proxy(f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}", process)
    finally:
        process.stop()


def test_nginx_sends_plain_http_to_https(nginx):
    host, port = nginx.http_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", "/dang-nhap/")
        reply = connection.getresponse()
        assert reply.status == 301
        assert reply.getheader("Location") == f"https://{host}/dang-nhap/"
    finally:
        connection.close()


def test_through_nginx_sign_in_over_https_and_both_app_servers_answer(nginx, site):
    client = Client()
    # The CSRF check compares the browser's Origin (https, with the port) with what Django
    # believes the request was: it passes only if X-Forwarded-Proto and the Host are honoured.
    signed_in = client.sign_in(nginx.https_url, *ADMIN, next_path="/admin/?qua=nginx")
    assert signed_in.status == 200, signed_in.text[:500]
    assert signed_in.url == f"{nginx.https_url}/admin/?qua=nginx"

    for number in range(6):
        page = client.request(f"{nginx.https_url}/admin/?qua=nginx&lan={number}")
        assert page.status == 200 and ADMIN_HEADER in page.text
    served = collections.Counter()
    for server in site.servers:
        for _, status, _ in server.answered_matching("qua=nginx&lan=", 3):
            served[server.base_url, status] += 1
    # Round robin over both servers, the same session on each.
    assert served == {(server.base_url, "200"): 3 for server in site.servers}


def test_nginx_serves_static_files_and_never_the_uploaded_ones(nginx, site):
    script = Client().request(f"{nginx.https_url}/static/web/dashboard.js?qua=nginx")
    assert script.status == 200
    assert script.text == (site.data_dir / "static" / "web" / "dashboard.js").read_text()
    answered = [line for s in site.servers for line, _, _ in s.answered()]
    assert not any("dashboard.js?qua=nginx" in line for line in answered)

    evidence = Path(site.env["THEODOI_MEDIA_DIR"]) / "evidence" / "bi-mat.txt"
    evidence.parent.mkdir(parents=True, exist_ok=True)
    evidence.write_text("không công khai")
    for path in ("/media/evidence/bi-mat.txt", "/evidence/bi-mat.txt"):
        reply = Client().request(f"{nginx.https_url}{path}")
        assert reply.status == 404 and "không công khai" not in reply.text


# PostgreSQL behind PgBouncer in transaction mode (deploy/pgbouncer/pgbouncer.ini).


@pytest.mark.postgres
def test_app_servers_and_jobs_through_pgbouncer_in_transaction_mode(tmp_path):
    pgbouncer = shutil.which("pgbouncer") or (
        "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None
    )
    if not pgbouncer:
        pytest.skip("cần PgBouncer (apt-get install pgbouncer)")
    name = pg_database_name("pgbouncer")
    pg_create_database(name)
    # What docs/deployment.md sets on the role, here on the database: the time zone Django
    # would otherwise SET at the start of each connection.
    pg_alter_database(name, "timezone TO 'UTC'")
    # PgBouncer refuses to run as root; as root it runs as "nobody", who must read its files.
    folder = Path(tempfile.mkdtemp(prefix="theodoi-pgbouncer-"))
    folder.chmod(0o755)
    processes: list[Process] = []
    try:
        direct = child_env(tmp_path, THEODOI_DATABASE_URL=pg_url(name))
        migrate(direct, tmp_path)
        create_admin(direct, tmp_path)

        port = free_port()
        db = settings.DATABASES["default"]
        ini = (DEPLOY_DIR / "pgbouncer" / "pgbouncer.ini").read_text()
        ini = _swap_ini(
            ini,
            "theodoi = host=10.0.0.21 port=5432 dbname=theodoi",
            f"{name} = host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} dbname={name}",
        )
        ini = _swap_ini(ini, "theodoi_replica = host=10.0.0.22 port=5432 dbname=theodoi\n", "")
        ini = _swap_ini(ini, "listen_port = 6432", f"listen_port = {port}")
        ini = _swap_ini(ini, "unix_socket_dir = /var/run/postgresql", "unix_socket_dir =")
        ini = _swap_ini(ini, "auth_type = scram-sha-256", "auth_type = trust")
        ini = _swap_ini(ini, "/etc/pgbouncer/userlist.txt", str(folder / "userlist.txt"))
        ini = _swap_ini(ini, "logfile = /var/log/postgresql/pgbouncer.log", "logfile =")
        ini = _swap_ini(ini, "pidfile = /var/run/postgresql/pgbouncer.pid", "pidfile =")
        ini = _swap_ini(ini, "admin_users = postgres", f"admin_users = {db['USER']}")
        # Two server connections for all the clients (2 servers × 2 workers × 2 threads, the
        # cluster): they really take turns, transaction by transaction.
        ini = _swap_ini(ini, "default_pool_size = 20", "default_pool_size = 2")
        assert "pool_mode = transaction" in ini
        (folder / "pgbouncer.ini").write_text(ini)
        (folder / "userlist.txt").write_text(f'"{db["USER"]}" "{db["PASSWORD"] or ""}"\n')
        for path in folder.iterdir():
            path.chmod(0o644)
        as_user = ["-u", "nobody"] if os.geteuid() == 0 else []
        bouncer = start(
            [pgbouncer, *as_user, folder / "pgbouncer.ini"], direct, tmp_path, tmp_path / "pgb.log"
        )
        processes.append(bouncer)
        wait_for_port(bouncer, port, "PgBouncer")

        pooled = {
            **direct,
            "THEODOI_DATABASE_URL": pg_url(name, host="127.0.0.1", port=port),
            "THEODOI_PGBOUNCER": "1",
        }
        servers = start_app_servers(pooled, tmp_path, count=2, workers=2)
        processes += [s.process for s in servers]
        client = Client()
        signed_in = client.sign_in(servers[0].base_url, *ADMIN, next_path="/admin/")
        assert signed_in.status == 200 and ADMIN_HEADER in signed_in.text
        for server in servers:
            page = client.request(f"{server.base_url}/admin/orgs/orgunit/")
            assert page.status == 200, page.text[:500]

        found = run_jobs_through_a_cluster(pooled, tmp_path)
        assert found["sum"] == operator.add(20, 22)

        stats = django_script(
            # The admin console speaks only the simple query protocol: a client-side cursor.
            "import psycopg\n"
            f"with psycopg.connect({pg_url('pgbouncer', host='127.0.0.1', port=port)!r},"
            " autocommit=True, cursor_factory=psycopg.ClientCursor) as conn:\n"
            "    cursor = conn.cursor()\n"
            "    cursor.execute('SHOW STATS')\n"
            "    names = [c.name for c in cursor.description]\n"
            "    result['stats'] = [dict(zip(names, row)) for row in cursor.fetchall()]\n",
            direct,
            tmp_path,
        )["stats"]
        ours = next(row for row in stats if row["database"] == name)
        # The pages and jobs above really went through PgBouncer.
        assert int(ours["total_xact_count"]) > 20
    finally:
        for process in reversed(processes):
            process.stop()
        shutil.rmtree(folder, ignore_errors=True)
        pg_drop_database(name)


def _swap_ini(text: str, old: str, new: str) -> str:
    assert old in text, f"deploy/pgbouncer/pgbouncer.ini không còn dòng: {old}"
    return text.replace(old, new)
