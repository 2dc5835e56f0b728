"""Django settings, read from THEODOI_* environment variables.

THEODOI_DATABASE_URL  default: SQLite file in THEODOI_DATA_DIR (WAL mode); or postgres://…
THEODOI_SECRET_KEY    required when THEODOI_DEBUG is off
THEODOI_DEBUG         "1"/"true" for development
THEODOI_DATA_DIR      where the embedded database and uploaded files live (default ./var)
THEODOI_ALLOWED_HOSTS comma-separated host names (default localhost,127.0.0.1)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("THEODOI_DATA_DIR", Path.cwd() / "var")).resolve()
DEBUG = _env_bool("THEODOI_DEBUG", False)
SECRET_KEY = os.environ.get("THEODOI_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("THEODOI_REQUIRE_SECRET") == "1":
        raise RuntimeError("THEODOI_SECRET_KEY must be set in production")
    # A local-only key for the embedded demo; production sets THEODOI_SECRET_KEY.
    SECRET_KEY = "theodoi-local-demo-key-not-for-production"

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
    "theodoi.orgs",
    "theodoi.documents",
    "theodoi.plans",
    "theodoi.progress",
    "theodoi.reports",
    "theodoi.ingest",
    "theodoi.web",
    "theodoi.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("THEODOI_DATABASE_URL", _default_sqlite), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while a writer commits; IMMEDIATE avoids lock upgrades.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }

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
# Front-end libraries (Bootstrap, HTMX, Chart.js) come from the npm registry: `make setup`
# runs `npm ci`, and the app serves them from node_modules under /static/vendor/.
NODE_MODULES = Path(os.environ.get("THEODOI_NODE_MODULES", BASE_DIR.parents[1] / "node_modules"))
STATICFILES_DIRS = [
    (f"vendor/{name}", NODE_MODULES / package)
    for name, package in [
        ("bootstrap", "bootstrap/dist"),
        ("bootstrap-icons", "bootstrap-icons/font"),
        ("htmx", "htmx.org/dist"),
        ("chartjs", "chart.js/dist"),
    ]
    if (NODE_MODULES / package).is_dir()
]
# Uploaded evidence is not public: it is served by a view that checks the reader's rights.
MEDIA_ROOT = DATA_DIR / "media"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_AGE = 8 * 3600

# The history records the acting user; the demo loader and services pass it explicitly.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

CSRF_FAILURE_VIEW = "theodoi.web.views.pages.csrf_failure"
