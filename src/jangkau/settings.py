"""Django settings for Jangkau: every value comes from the environment (see docs/configuration.md).

The only module that reads the environment. ``JANGKAU_SECRET_KEY`` is required unless
``JANGKAU_DEBUG`` is on; ``make run`` generates a local key file for development.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from jangkau.env import MissingSetting, envbool, envfloat, envint, envlist, envstr

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(envstr("JANGKAU_DATA_DIR", str(Path.cwd() / "var")))

DEBUG = envbool("JANGKAU_DEBUG", False)
SECRET_KEY = envstr("JANGKAU_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        # Development only: a per-process key; sessions do not survive a restart.
        import secrets

        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise MissingSetting(
            "JANGKAU_SECRET_KEY (or JANGKAU_SECRET_KEY_FILE) must be set when JANGKAU_DEBUG is off."
        )

ALLOWED_HOSTS = envlist("JANGKAU_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("JANGKAU_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs (Swagger UI) from its own static files: no CDN
    "django_tasks",
    "django_tasks_db",
    "jangkau.core",
    "jangkau.regions",
    "jangkau.evidence",
    "jangkau.inventory",
    "jangkau.measurements",
    "jangkau.reports",
    "jangkau.radio",
    "jangkau.monitoring",
    "jangkau.planning",
    "jangkau.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jangkau.core.ratelimit.RateLimitMiddleware",
]

ROOT_URLCONF = "jangkau.urls"
WSGI_APPLICATION = "jangkau.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jangkau.core.context_processors.jangkau",
            ],
        },
    }
]

# Database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL.
DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{DATA_DIR / 'jangkau.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": envstr("JANGKAU_TEST_SQLITE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# Languages: Bahasa Indonesia first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = envstr("JANGKAU_TIME_ZONE", "Asia/Makassar")  # WITA, Kalimantan Timur
USE_TZ = True

STATIC_URL = "static/"
# Leaflet's files come from the django-leaflet wheel; the app itself is not installed (it would
# import GeoDjango, which needs the GDAL C library). Found without importing the package.
_leaflet_spec = importlib.util.find_spec("leaflet")
STATICFILES_DIRS = (
    [str(Path(next(iter(_leaflet_spec.submodule_search_locations))) / "static")]
    if _leaflet_spec and _leaflet_spec.submodule_search_locations
    else []
)
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background work: django-tasks with its database backend; `jangkau db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": envstr("JANGKAU_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache"
        if envbool("JANGKAU_SHARED_CACHE", False)
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "jangkau_cache",
    }
}

# Uploads: refused above this size, before reading the body (bytes).
JANGKAU_MAX_UPLOAD_BYTES = envint("JANGKAU_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Rate limits for public endpoints: requests per window per client address.
JANGKAU_RATELIMIT_ENABLED = envbool("JANGKAU_RATELIMIT_ENABLED", True)
JANGKAU_RATELIMIT_API_PER_MINUTE = envint("JANGKAU_RATELIMIT_API_PER_MINUTE", 300)
JANGKAU_RATELIMIT_WRITE_PER_HOUR = envint("JANGKAU_RATELIMIT_WRITE_PER_HOUR", 20)
JANGKAU_TRUST_X_FORWARDED_FOR = envbool("JANGKAU_TRUST_X_FORWARDED_FOR", False)
# Citizen reports ("Lapor Sinyal") accepted per client address per hour.
JANGKAU_REPORTS_PER_CLIENT_PER_HOUR = envint("JANGKAU_REPORTS_PER_CLIENT_PER_HOUR", 10)

# Monitoring: retention, outage rule, the stability gate, alerts, /metrics (docs/monitoring.md).
JANGKAU_MONITORING_RAW_DAYS = envint("JANGKAU_MONITORING_RAW_DAYS", 30)
JANGKAU_MONITORING_ROLLUP_5M_DAYS = envint("JANGKAU_MONITORING_ROLLUP_5M_DAYS", 90)
JANGKAU_MONITORING_ROLLUP_HOUR_DAYS = envint("JANGKAU_MONITORING_ROLLUP_HOUR_DAYS", 1095)
JANGKAU_MONITORING_CLOCK_SKEW_S = envint("JANGKAU_MONITORING_CLOCK_SKEW_S", 300)
JANGKAU_MONITORING_MAX_RESULT_AGE_DAYS = envint("JANGKAU_MONITORING_MAX_RESULT_AGE_DAYS", 365)
JANGKAU_MONITORING_MAX_BATCH = envint("JANGKAU_MONITORING_MAX_BATCH", 5000)
JANGKAU_MONITORING_DEFAULT_INTERVAL_S = envint("JANGKAU_MONITORING_DEFAULT_INTERVAL_S", 60)
JANGKAU_OUTAGE_FAILURES = envint("JANGKAU_OUTAGE_FAILURES", 3)
JANGKAU_OUTAGE_RECOVERIES = envint("JANGKAU_OUTAGE_RECOVERIES", 2)
JANGKAU_OUTAGE_MERGE_GAP_S = envint("JANGKAU_OUTAGE_MERGE_GAP_S", 300)
JANGKAU_GATE_MIN_AVAILABILITY_PCT = envfloat("JANGKAU_GATE_MIN_AVAILABILITY_PCT", 99.5)
JANGKAU_GATE_MAX_LOSS_PCT = envfloat("JANGKAU_GATE_MAX_LOSS_PCT", 1.0)
JANGKAU_GATE_MAX_P95_MS = envfloat("JANGKAU_GATE_MAX_P95_MS", 150.0)
JANGKAU_GATE_WINDOW_DAYS = envint("JANGKAU_GATE_WINDOW_DAYS", 30)
JANGKAU_GATE_MIN_COVERAGE_PCT = envfloat("JANGKAU_GATE_MIN_COVERAGE_PCT", 80.0)
JANGKAU_ALERT_DEDUPE_MINUTES = envint("JANGKAU_ALERT_DEDUPE_MINUTES", 60)
JANGKAU_ALERT_WEBHOOK_TIMEOUT_S = envfloat("JANGKAU_ALERT_WEBHOOK_TIMEOUT_S", 10.0)
JANGKAU_ALERT_MAX_ATTEMPTS = envint("JANGKAU_ALERT_MAX_ATTEMPTS", 3)
JANGKAU_METRICS_TOKEN = envstr("JANGKAU_METRICS_TOKEN", "")
JANGKAU_METRICS_PER_MINUTE = envint("JANGKAU_METRICS_PER_MINUTE", 60)
JANGKAU_AGENT_FAILED_AUTH_PER_MINUTE = envint("JANGKAU_AGENT_FAILED_AUTH_PER_MINUTE", 30)

# Chromium for printing plan reports to PDF; empty = look on the PATH.
JANGKAU_CHROMIUM = envstr("JANGKAU_CHROMIUM", "")

# The regency this installation serves (its Kemendagri code); loaded by `jangkau setup`.
JANGKAU_REGENCY_CODE = envstr("JANGKAU_REGENCY_CODE", "64.08")

# Security headers; production sits behind TLS.
SESSION_COOKIE_SECURE = envbool("JANGKAU_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = envstr("JANGKAU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("JANGKAU_DEFAULT_FROM_EMAIL", "jangkau@localhost")

# Optional base-map tiles (e.g. a local tile server); empty = no tiles, works offline.
JANGKAU_TILE_URL = envstr("JANGKAU_TILE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("JANGKAU_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
