"""Gunicorn settings for an app server: ``gunicorn -c python:theodoi.gunicorn_conf``.

Installed with the package, so the same command works wherever theodoi is installed. Every
value can be changed by an environment variable (or a command-line option, which wins):

THEODOI_GUNICORN_BIND      address to listen on (default 127.0.0.1:8000; behind an nginx on
                           another machine: 0.0.0.0:8000, with a firewall)
THEODOI_GUNICORN_WORKERS   processes (default 2 × CPU cores + 1, at most 12)
THEODOI_GUNICORN_THREADS   threads per process (default 1: gunicorn's sync worker, which takes
                           a request only when it is free — under load the waits stay even;
                           with 2 threads a busy process queued connections another could take,
                           and the p95 of the dashboard at national scale was 1.7× worse)
THEODOI_GUNICORN_TIMEOUT   seconds before a silent worker is restarted (default 120)
THEODOI_GUNICORN_CONTROL_SOCKET  path of gunicorn's control socket (default: none)

Each thread holds at most one database connection: a server opens up to workers × threads
connections, which is what PgBouncer's pool or PostgreSQL's max_connections must allow.

``theodoi serve`` (waitress, one process) stays the laptop's server.
"""

from __future__ import annotations

import multiprocessing
import os

MAX_DEFAULT_WORKERS = 12

wsgi_app = "theodoi.wsgi:application"
proc_name = "theodoi"

bind = [os.environ.get("THEODOI_GUNICORN_BIND", "127.0.0.1:8000")]
# 2 × cores + 1 keeps the CPUs busy while some workers wait for the database; the cap keeps
# a large machine from opening more database connections than PostgreSQL was sized for.
workers = int(
    os.environ.get(
        "THEODOI_GUNICORN_WORKERS",
        min(2 * multiprocessing.cpu_count() + 1, MAX_DEFAULT_WORKERS),
    )
)
# More than one thread makes gunicorn use its gthread worker: a slow download (a report's
# PDF) no longer holds a whole process.
threads = int(os.environ.get("THEODOI_GUNICORN_THREADS", "1"))
# Building a province's report (DOCX, XLSX, PDF through LibreOffice) takes seconds; a worker
# silent for two minutes is stuck.
timeout = int(os.environ.get("THEODOI_GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# nginx keeps connections to the app servers open between requests.
keepalive = 5
# A worker is replaced after this many requests (at a random point near it, so that not all
# restart together): memory a long-lived process accumulates is given back. Not much more
# often: a new worker imports the application and warms up (≈ 1–2 s of CPU), and the
# requests waiting on it meanwhile are the slowest. At 1,000, a national server under load
# (250 answers/s, 4 workers) replaced a worker every 4 s and the API's p95 doubled (175 ms,
# 79 ms at 10,000); one worker answering 10,000 API requests stayed at 108–117 MB
# (docs/performance.md).
max_requests = 10000
max_requests_jitter = 1000

# preload_app stays off: each worker imports the application itself. Preloading would save
# some memory and start faster, but `systemctl reload` (HUP) would then restart workers on
# the old code; without it, a reload after an upgrade serves the new code with no downtime.
preload_app = False

# The heartbeat file in memory, not on a disk that may stall (containers, network disks).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# gunicorn's control socket (gunicornc) would default to one path per user: two instances
# on one machine would share it. Only where asked for.
control_socket = os.environ.get("THEODOI_GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

# Logs on stdout/stderr: systemd's journal keeps them (journalctl -u theodoi-web@8000).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("THEODOI_GUNICORN_LOGLEVEL", "info")
# The client's address as nginx saw it (X-Forwarded-For), the request, status, size, time in
# seconds, referrer, user agent, and which worker answered.
access_log_format = (
    '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(L)ss "%(f)s" "%(a)s" pid=%(p)s'
)
