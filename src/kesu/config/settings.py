"""Django settings, built only from :mod:`kesu.config.environment`."""

from __future__ import annotations

import zoneinfo
from pathlib import Path

import dj_database_url

from kesu.config.environment import ConfigurationError, environment_read
from kesu.config.hardening import files_private, hardening_read

ENV = environment_read()
PACKAGE_DIR = Path(__file__).resolve().parent.parent

try:
    zoneinfo.ZoneInfo(ENV.time_zone)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
    raise ConfigurationError(f"KESU_TIME_ZONE {ENV.time_zone!r} is not a known time zone") from error

SECRET_KEY = ENV.secret_key
DEBUG = ENV.debug
ALLOWED_HOSTS = list(ENV.allowed_hosts)
KESU_DATA_DIR = ENV.data_dir
KESU_MAX_ATTACHMENT_BYTES = ENV.max_attachment_bytes

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "kesu.core",
    "kesu.customers",
    "kesu.complaints",
    "kesu.triage",
    "kesu.sla",
    "kesu.routing",
    "kesu.notifications",
    "kesu.channels",
    "kesu.surveys",
    "kesu.portal",
    "kesu.knowledge",
    "kesu.compensation",
    "kesu.queues",
    "kesu.desk",
    "kesu.calls",
    "kesu.web",
    "kesu.incidents",
    "kesu.analytics",
    "kesu.privacy",
    "kesu.workforce",
    "kesu.settings_ui",
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
    "kesu.privacy.middleware.DatabaseRetryMiddleware",
    "kesu.privacy.middleware.ApiJsonErrorsMiddleware",
    "kesu.web.errors.DomainErrorMiddleware",
    "kesu.web.errors.UnstorableInputMiddleware",
]

ROOT_URLCONF = "kesu.config.urls"
WSGI_APPLICATION = "kesu.config.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:complaint_list"
LOGOUT_REDIRECT_URL = "web:login"

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
            ],
        },
    },
]

# Database: SQLite in WAL mode in the data folder unless DATABASE_URL names another.
if ENV.database_url:
    DATABASES = {"default": dj_database_url.parse(ENV.database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "kesu.config.sqlite",
            "NAME": str(ENV.data_dir / "kesu.sqlite3"),
        }
    }
if DATABASES["default"]["ENGINE"] in ("django.db.backends.sqlite3", "kesu.config.sqlite"):
    DATABASES["default"]["ENGINE"] = "kesu.config.sqlite"  # writers of one process queue (see its docstring)
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-32000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(ENV.data_dir / "test-kesu.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Analytics reads may go to a PostgreSQL read replica (docs/adr/0010-analytics-rollups.md).
if ENV.database_replica_url:
    DATABASES["replica"] = dj_database_url.parse(ENV.database_replica_url, conn_max_age=60)
    DATABASE_ROUTERS = ["kesu.analytics.routers.AnalyticsReplicaRouter"]

# Jobs: Huey on Redis when REDIS_URL is set, else a SQLite job store in the data folder.
if ENV.redis_url:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "kesu",
        "url": ENV.redis_url,
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "kesu",
        "filename": str(ENV.data_dir / "jobs.sqlite3"),
        "immediate": False,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }

# Outgoing email: SMTP when KESU_EMAIL_HOST is set, else each message is written as a file to
# <data folder>/outbox (nothing leaves the machine, and what would have been sent can be read).
if ENV.email_host:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = ENV.email_host
    EMAIL_PORT = ENV.email_port
    EMAIL_HOST_USER = ENV.email_user
    EMAIL_HOST_PASSWORD = ENV.email_password
    EMAIL_USE_TLS = ENV.email_tls
    EMAIL_USE_SSL = ENV.email_ssl
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = ENV.data_dir / "outbox"
EMAIL_TIMEOUT = 15  # seconds; a hanging mail server must not hold a job worker
DEFAULT_FROM_EMAIL = ENV.email_from
SERVER_EMAIL = ENV.email_from

# Notifications: SMS through an HTTP webhook (off when no URL), and the decay period within which the
# same notice (same key) is not repeated to the same person.
KESU_SMS_WEBHOOK_URL = ENV.sms_webhook_url
KESU_SMS_WEBHOOK_SECRET = ENV.sms_webhook_secret
KESU_NOTIFY_DECAY_MINUTES = ENV.notify_decay_minutes
# Customer portal: complaints one network address may send through the form per hour (no captcha).
KESU_PORTAL_MAX_PER_HOUR = ENV.portal_max_per_hour
# Reverse proxies whose X-Forwarded-For is believed (their REMOTE_ADDR); none by default.
KESU_TRUSTED_PROXIES = ENV.trusted_proxies
# the one name customers see on the portal, the survey and e-mails to them ("" = "Customer service")
KESU_CUSTOMER_BRAND = ENV.customer_brand

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]

LANGUAGE_CODE = ENV.language
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = ENV.time_zone
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = ENV.data_dir / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = ENV.data_dir / "media"
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"kesu": {"level": "INFO"}, "huey": {"level": "INFO", "propagate": False}},
}

# Static files are served by the app itself (whitenoise), straight from the package: no CDN, no
# collectstatic step on an intranet install.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Data protection and hardening (issue 15, ADR 0014; kesu.config.hardening).
HARDENING = hardening_read()
files_private(ENV.data_dir)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
KESU_COMPLAINT_ACTORS = HARDENING.complaint_actors
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # after a server restart a pooled connection is dead: check it before reuse (issue 15, defect 4)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
KESU_WEBHOOK_ALLOWED_HOSTS = HARDENING.webhook_allowed_hosts

# Mass incidents (issue 13): a matching complaint asking more than this (yuan) still goes to a handler
KESU_INCIDENT_COMPENSATION_THRESHOLD = ENV.incident_compensation_threshold
# Login and sessions (issue 15, OWASP ASVS level 2; kesu.security, README "Login and sessions").
INSTALLED_APPS.append("kesu.security")
MIDDLEWARE += [
    "kesu.security.middleware.SecurityHeadersMiddleware",
    "kesu.security.middleware.SessionTimeoutMiddleware",
    "kesu.security.middleware.RefusalLogMiddleware",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
KESU_LOGIN_MAX_FAILURES = HARDENING.login_max_failures
KESU_LOGIN_ADDRESS_MAX_FAILURES = HARDENING.login_address_max_failures
KESU_LOGIN_LOCK_MINUTES = HARDENING.login_lock_minutes
KESU_TOKEN_MAX_FAILURES = HARDENING.token_max_failures
KESU_TOKEN_DAYS = HARDENING.token_days
KESU_SESSION_IDLE_MINUTES = HARDENING.session_idle_minutes
KESU_SESSION_ABSOLUTE_HOURS = HARDENING.session_absolute_hours
SESSION_COOKIE_AGE = HARDENING.session_absolute_hours * 3600  # the idle limit is kesu.security's middleware
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
KESU_HTTPS = HARDENING.https
if HARDENING.https:  # served over TLS (directly or behind a proxy): cookies only over TLS, and HSTS
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
# Phone numbers, e-mail addresses, ID numbers and bank cards are masked in log lines (issue 15 §1)
LOGGING.setdefault("filters", {})["personal_data"] = {"()": "kesu.privacy.logfilter.PersonalDataFilter"}
LOGGING["handlers"]["console"].setdefault("filters", []).append("personal_data")
