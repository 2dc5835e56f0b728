"""Django settings, read from THEODOI_* environment variables.

THEODOI_DATABASE_URL  default: SQLite file in THEODOI_DATA_DIR (WAL mode); or postgres://…
THEODOI_SECRET_KEY    required everywhere but the demo (see THEODOI_DEMO)
THEODOI_DEMO          "1": the demo, which may run on a key everyone knows; default: on with
                      the embedded SQLite database unless THEODOI_HTTPS or _BEHIND_PROXY is on
THEODOI_DEBUG         "1"/"true" for development
THEODOI_DATA_DIR      where the embedded database and uploaded files live (default ./var)
THEODOI_ALLOWED_HOSTS comma-separated host names (default localhost,127.0.0.1)

Beyond one machine (docs/deployment.md):
THEODOI_MEDIA_DIR      uploaded files, on a volume every app server shares (default DATA_DIR/media)
THEODOI_REPLICA_URL    postgres://… of a streaming replica; reads marked use_replica() go there
THEODOI_PGBOUNCER      "1" when THEODOI_DATABASE_URL points at PgBouncer in transaction mode
THEODOI_CONN_MAX_AGE   seconds a PostgreSQL connection is kept open (default 60)
THEODOI_BEHIND_PROXY   "1" behind a reverse proxy that sets X-Forwarded-Proto and -Host
THEODOI_HTTPS          "1" when users reach the site over HTTPS: secure cookies, HSTS, redirect
THEODOI_HSTS_SECONDS   how long browsers keep to HTTPS (HSTS; default a year; 0: no HSTS)
THEODOI_LOGIN_FAILURE_LIMIT    wrong passwords in a row that lock an account (default 5)
THEODOI_LOGIN_COOLOFF_MINUTES  how long the lock lasts (default 15)
THEODOI_CSRF_TRUSTED_ORIGINS  comma-separated, e.g. https://theodoi.example.gov.vn
THEODOI_Q_WORKERS      background job processes of `theodoi manage qcluster` (default 2)
THEODOI_Q_TIMEOUT      seconds a background job may run (default 900)
THEODOI_Q_SYNC         "1": jobs run at once in the caller (default on SQLite and under tests)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("THEODOI_DATA_DIR", Path.cwd() / "var")).resolve()
DEBUG = _env_bool("THEODOI_DEBUG", False)
# Under the test suite (the in-process one; its subprocesses are told their settings).
TESTING = "pytest" in sys.modules
BEHIND_PROXY = _env_bool("THEODOI_BEHIND_PROXY")
HTTPS = _env_bool("THEODOI_HTTPS")

# The demo is the embedded SQLite database on a machine not set up as a site (`make run`
# says so explicitly). Only the demo may run without THEODOI_SECRET_KEY, on a key everyone
# can read here: it signs sessions' integrity, password reset links, django-q2's job packages.
_EMBEDDED_DATABASE = not os.environ.get("THEODOI_DATABASE_URL", "").strip()
DEMO = _env_bool("THEODOI_DEMO", _EMBEDDED_DATABASE and not HTTPS and not BEHIND_PROXY)
DEMO_SECRET_KEY = "theodoi-local-demo-key-not-for-production"
SECRET_KEY = os.environ.get("THEODOI_SECRET_KEY", "").strip()
SECRET_KEY_IS_DEMO = not SECRET_KEY
if SECRET_KEY_IS_DEMO:
    if not DEMO and not TESTING:
        _reasons = [
            reason
            for reason, applies in (
                ("cơ sở dữ liệu đặt bằng THEODOI_DATABASE_URL", not _EMBEDDED_DATABASE),
                ("THEODOI_HTTPS=1", HTTPS),
                ("THEODOI_BEHIND_PROXY=1", BEHIND_PROXY),
                ("THEODOI_DEMO=0", "THEODOI_DEMO" in os.environ),
            )
            if applies
        ]
        raise ImproperlyConfigured(
            "Chưa đặt THEODOI_SECRET_KEY. Đây không phải bản demo ("
            + "; ".join(_reasons)
            + "), nên phải có một khóa bí mật riêng, dài và ngẫu nhiên: tạo bằng lệnh "
            '`python3 -c "import secrets; print(secrets.token_urlsafe(50))"` rồi đặt vào '
            "THEODOI_SECRET_KEY (trên máy chủ: trong /etc/theodoi/theodoi.env; mọi máy chủ "
            "ứng dụng dùng cùng một khóa). Chỉ bản demo trên SQLite đi kèm mới chạy bằng khóa "
            "dùng thử (THEODOI_DEMO=1; xem docs/deployment.md)."
        )
    SECRET_KEY = DEMO_SECRET_KEY

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("THEODOI_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "ninja",
    "django_q",
    "axes",
    "theodoi.orgs",
    "theodoi.documents",
    "theodoi.plans",
    "theodoi.progress",
    "theodoi.reports",
    "theodoi.archive",
    "theodoi.search",
    "theodoi.ask",
    "theodoi.notify",
    "theodoi.web",
    "theodoi.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but security: a 405 said in Vietnamese, a HEAD answered without its body.
    "theodoi.web.middleware.PlainAnswersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for slow office lines (static files come compressed from WhiteNoise,
    # above; DOCX, XLSX, PDF are compressed already).
    "theodoi.web.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "theodoi.web.middleware.PermissionsOncePerRequest",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the page saying until when.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "theodoi.urls"
WSGI_APPLICATION = "theodoi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "theodoi.web.context.navigation",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'theodoi.sqlite3'}"
CONN_MAX_AGE = int(os.environ.get("THEODOI_CONN_MAX_AGE", "60"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("THEODOI_DATABASE_URL", _default_sqlite), conn_max_age=CONN_MAX_AGE
    )
}
# A streaming replica of the primary, for the reads that ask for it (theodoi.db_routers).
if os.environ.get("THEODOI_REPLICA_URL", "").strip():
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["THEODOI_REPLICA_URL"].strip(), conn_max_age=CONN_MAX_AGE
    )
    # Tests run on one test database: the replica alias points at it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# Without a replica the router sends everything to "default": the same code runs everywhere.
DATABASE_ROUTERS = ["theodoi.db_routers.ReadReplicaRouter"]

for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        _database["CONN_MAX_AGE"] = 0
        _database["OPTIONS"] = {
            # WAL lets readers work while a writer commits; IMMEDIATE avoids lock upgrades.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                " PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    else:
        # A kept connection may have been closed by the server or a pooler meanwhile.
        _database["CONN_HEALTH_CHECKS"] = True
        if not _env_bool("THEODOI_PGBOUNCER"):
            # PostgreSQL's JIT compiles a plan whose cost estimate is high, which the
            # summaries' reads of thousands of plans are: 240 ms of compiling for a 190 ms
            # read. Short queries gain nothing from it (PgBouncer refuses startup options:
            # set jit = off on the server there).
            _database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
        if _env_bool("THEODOI_PGBOUNCER"):
            # PgBouncer in transaction mode hands each transaction to any server connection:
            # a named cursor (server-side, for .iterator()) would be lost between two fetches.
            # Django already turns off prepared statements (prepare_threshold=None) and its
            # only session SET (TIME ZONE) is a parameter PgBouncer tracks per client.
            _database["DISABLE_SERVER_SIDE_CURSORS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["theodoi.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
# Only `manage collectstatic` for a front web server needs STATIC_ROOT.
STATIC_ROOT = os.environ.get("THEODOI_STATIC_ROOT") or None
# Static files are served by the app itself (offices may have no web server, no internet).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Front-end libraries (Bootstrap, HTMX, Chart.js, the Quill editor, Tom Select) come from the npm
# registry: `make setup` runs `npm ci`, and the app serves them from node_modules under
# /static/vendor/.
NODE_MODULES = Path(os.environ.get("THEODOI_NODE_MODULES", BASE_DIR.parents[1] / "node_modules"))


def _vendor_version(package: str) -> str:
    """The installed version of the npm package ``package`` ("0" when unreadable)."""
    try:
        meta = json.loads((NODE_MODULES / package / "package.json").read_text(encoding="utf-8"))
        return str(meta["version"])
    except (OSError, ValueError, KeyError):
        return "0"


# The icon font cut down to the icons the interface uses, made by set-up (web/icons.py).
ICON_SUBSET = NODE_MODULES / ".theodoi-icons"


def _icons() -> tuple[Path, str]:
    """The icon font's directory and its version: the subset, named by its content, or the
    whole package."""
    files = sorted(
        p for p in ICON_SUBSET.rglob("*") if p.is_file() and p.suffix in {".css", ".woff2"}
    )
    if files:
        digest = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()[:12]
        return ICON_SUBSET, f"{_vendor_version('bootstrap-icons')}-{digest}"
    return NODE_MODULES / "bootstrap-icons" / "font", _vendor_version("bootstrap-icons")


_VENDOR = [
    (name, NODE_MODULES / package / directory, _vendor_version(package))
    for name, package, directory in [
        ("bootstrap", "bootstrap", "dist"),
        ("htmx", "htmx.org", "dist"),
        ("chartjs", "chart.js", "dist"),
        ("quill", "quill", "dist"),
        ("tom-select", "tom-select", "dist"),
    ]
]
_VENDOR.append(("bootstrap-icons", *_icons()))
# Served under a name carrying the package's version (the icons: their content), so a browser
# keeps them a year and asks again only when set-up installs another; templates name them
# without it ("vendor/bootstrap/…"): the storage adds it (web/staticfiles.py).
STATICFILES_DIRS = [
    (f"vendor/{name}/{version}", root) for name, root, version in _VENDOR if root.is_dir()
]
THEODOI_VENDOR_URLS = {
    f"vendor/{name}/": f"vendor/{name}/{version}/" for name, _, version in _VENDOR
}
WHITENOISE_IMMUTABLE_FILE_TEST = r"/vendor/[^/]+/\d+\.\d+[^/]*/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "theodoi.web.staticfiles.VendorStaticFilesStorage"},
}
# Uploaded evidence is not public: it is served by a view that checks the reader's rights.
# Several app servers share it (NFS or another shared volume), as they share the database.
MEDIA_ROOT = Path(os.environ.get("THEODOI_MEDIA_DIR") or DATA_DIR / "media").resolve()
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_AGE = 8 * 3600

# The history records the acting user; the demo loader and services pass it explicitly.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
# Reverting a row from its history in the admin would bypass the services (permissions, locks,
# value rules) and an issued report's immutability: the admin shows history, never reverts it.
SIMPLE_HISTORY_REVERT_DISABLED = True

CSRF_FAILURE_VIEW = "theodoi.web.views.pages.csrf_failure"

# Sessions live in the database (Django's default backend), so any app server behind the
# proxy can serve any request of a signed-in user.
# The cache: Redis shared by every server process when THEODOI_CACHE_URL points at one
# (redis://host:6379/0), with sessions read from it and written through to the database;
# otherwise each process's memory (the embedded default: one process on a laptop). A Redis
# that stops answering makes the cache miss, never the page fail.
CACHE_URL = os.environ.get("THEODOI_CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "theodoi",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 2,
                "SOCKET_TIMEOUT": 2,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif CACHE_URL:
    raise ImproperlyConfigured(
        f"THEODOI_CACHE_URL={CACHE_URL!r}: chỉ hỗ trợ Redis (redis://máy:6379/0)."
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Behind a reverse proxy (nginx) that terminates HTTPS. Only when the proxy overwrites these
# headers: otherwise a client could claim HTTPS or another host name. The client's address is
# then the one the proxy appended to X-Forwarded-For (theodoi.web.signin.client_address).
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # nginx already sends http:// to https://; the app does too, should a request get past.
    SECURE_SSL_REDIRECT = True
    # Browsers that saw the site once never go back to plain HTTP for it (nor its subdomains).
    SECURE_HSTS_SECONDS = int(os.environ.get("THEODOI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("THEODOI_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

# Background jobs (django-q2): `theodoi manage qcluster` runs them; the queue is a table in
# the default database (ORM broker), so neither the laptop nor a server needs Redis. A job
# queued inside a transaction is queued only if the transaction commits.
Q_TIMEOUT = int(os.environ.get("THEODOI_Q_TIMEOUT", "900"))
Q_CLUSTER = {
    "name": "theodoi",
    "label": "Tác vụ nền",
    "orm": "default",
    "workers": int(os.environ.get("THEODOI_Q_WORKERS", "2")),
    "timeout": Q_TIMEOUT,
    # A job not acknowledged within `retry` seconds is handed out again: longer than timeout.
    "retry": Q_TIMEOUT + 120,
    "max_attempts": 3,
    # How often an idle cluster asks the queue table for work, in seconds.
    "poll": 1,
    # A schedule missed while the cluster was down runs once, not once per missed turn.
    "catch_up": False,
    "save_limit": 1000,
    # Sync: a queued job runs at once, in the process that queues it, and no cluster is
    # needed. The default on the laptop (SQLite, one process: `make run` starts no worker)
    # and under the test suite; a server with PostgreSQL runs `theodoi manage qcluster`.
    "sync": _env_bool(
        "THEODOI_Q_SYNC",
        TESTING or DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3",
    ),
}

# Sign-in throttling (django-axes): after THEODOI_LOGIN_FAILURE_LIMIT wrong passwords for one
# account from one address, that account is locked from that address for the cool-off; the
# sign-in page says until when. Counting per account *and* address keeps one person's typos
# or an attacker from locking everybody else out of a shared office address. Every failure
# is kept and shown in the admin ("Axes"). The API signs in with tokens, not passwords.
AXES_FAILURE_LIMIT = int(os.environ.get("THEODOI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("THEODOI_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "theodoi.web.signin.client_address"
AXES_LOCKOUT_CALLABLE = "theodoi.web.signin.lockout_response"

# E-mail of notifications (theodoi.notify): through the SMTP server the office names. With no
# server named, the app's inbox is the only channel. A message leaves only for addresses in
# THEODOI_MAIL_DOMAINS (comma-separated, e.g. "haiphong.gov.vn,cathai.gov.vn") unless the
# administrator sets THEODOI_MAIL_ANY_DOMAIN=1.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("THEODOI_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("THEODOI_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("THEODOI_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("THEODOI_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("THEODOI_SMTP_TLS", False)
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = os.environ.get("THEODOI_MAIL_FROM", "theodoi@localhost")
THEODOI_MAIL_DOMAINS = [
    d.strip().lower().lstrip("@")
    for d in os.environ.get("THEODOI_MAIL_DOMAINS", "").split(",")
    if d.strip()
]
THEODOI_MAIL_ANY_DOMAIN = _env_bool("THEODOI_MAIL_ANY_DOMAIN", False)
# Links in e-mails point here (the address people open the app at).
THEODOI_SITE_URL = os.environ.get("THEODOI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Reminders of reporting deadlines start this many days before the due day (the 14th).
THEODOI_REMIND_DAYS = int(os.environ.get("THEODOI_REMIND_DAYS", "3"))
# A roll-up recomputes at most this many stale plan summaries before answering; more are
# left to the background worker and the answer says it is being updated.
THEODOI_FRESH_NOW = int(os.environ.get("THEODOI_FRESH_NOW", "200"))
# The figure grid warns (never refuses) when a value changes more than this share from the
# last period, or lies more than this many standard deviations from the unit's history.
THEODOI_OUTLIER_SHARE = float(os.environ.get("THEODOI_OUTLIER_SHARE", "0.5"))
THEODOI_OUTLIER_Z = float(os.environ.get("THEODOI_OUTLIER_Z", "3"))
