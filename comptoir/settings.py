"""Comptoir settings: one module, driven by the environment.

SQLite is the embedded default (no server needed); PostgreSQL comes through DATABASE_URL.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
TESTING = "pytest" in sys.modules or os.environ.get("COMPTOIR_TESTING") == "1"
if not DEBUG and not TESTING and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    # A production server must never sign sessions and reset links with a key that is public.
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set: set it, or set DJANGO_DEBUG=1 for local development."
    )

ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "ninja",
    # Comptoir, in dependency order: the demo builder runs each app's demo.py in this order.
    "comptoir.core",
    "comptoir.org",
    "comptoir.notifications",
    "comptoir.customers",
    "comptoir.feed",
    "comptoir.learning",
    "comptoir.voice",
    "comptoir.actions",
    "comptoir.projects",
    "comptoir.insights",
    "comptoir.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "comptoir.insights.middleware.ActivityMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "comptoir.urls"
WSGI_APPLICATION = "comptoir.wsgi.application"
ASGI_APPLICATION = "comptoir.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "comptoir.notifications.context_processors.unread_notifications",
                "comptoir.core.context_processors.navigation",
            ],
            "builtins": ["django.templatetags.i18n", "django.templatetags.static"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------
SQLITE_PATH = Path(os.environ.get("COMPTOIR_SQLITE_PATH", BASE_DIR / "var" / "comptoir.sqlite3"))
SQLITE_OPTIONS = {
    # IMMEDIATE transactions take the write lock at BEGIN, so two writers queue on the busy timeout
    # instead of failing with "database is locked" when a read transaction tries to upgrade.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; "
        "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456; "
        "PRAGMA temp_store=MEMORY;"
    ),
}
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": SQLITE_OPTIONS,
            # Keep each worker's connection between requests, as PostgreSQL's does (conn_max_age
            # above): opening one and running the PRAGMAs cost a third of a feed page's server CPU.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": os.environ.get("COMPTOIR_SQLITE_TEST_PATH") or None},
        }
    }
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        # A database cache is shared by every application server without another service; a site
        # that outgrows it points CACHE_URL-style settings at a shared cache.
        "BACKEND": os.environ.get("COMPTOIR_CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": os.environ.get("COMPTOIR_CACHE_LOCATION", "comptoir_cache"),
    }
}

# --- Background tasks -----------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("COMPTOIR_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- People and authentication --------------------------------------------------------------------
AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = ["comptoir.org.backends.PersonBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("COMPTOIR_LOGIN_MAX_FAILURES_PER_ACCOUNT", "5"))
LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("COMPTOIR_LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("COMPTOIR_LOGIN_FAILURE_WINDOW_SECONDS", "900"))
# Each password-reset request sends an e-mail: a few per account, more per address (an office
# behind one NAT), per hour.
PASSWORD_RESET_MAX_PER_ACCOUNT = int(os.environ.get("COMPTOIR_PASSWORD_RESET_MAX_PER_ACCOUNT", "3"))
PASSWORD_RESET_MAX_PER_ADDRESS = int(os.environ.get("COMPTOIR_PASSWORD_RESET_MAX_PER_ADDRESS", "10"))
PASSWORD_RESET_WINDOW_SECONDS = int(os.environ.get("COMPTOIR_PASSWORD_RESET_WINDOW_SECONDS", "3600"))

# --- Languages ------------------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("COMPTOIR_MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("COMPTOIR_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# Rows written per committed chunk by the imports that show their progress while writing.
IMPORT_CHUNK_ROWS = int(os.environ.get("COMPTOIR_IMPORT_CHUNK_ROWS", "1000"))

# --- E-mail ---------------------------------------------------------------------------------------
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
_email_backend = os.environ.get("COMPTOIR_EMAIL_BACKEND", SMTP_BACKEND)
# Connection options belong to the SMTP backend only: the console or file backends refuse them.
_email_options: dict[str, object] = (
    {
        "host": os.environ.get("COMPTOIR_EMAIL_HOST", "127.0.0.1"),
        "port": int(os.environ.get("COMPTOIR_EMAIL_PORT", "1025")),
        "username": os.environ.get("COMPTOIR_EMAIL_USER") or None,
        "password": os.environ.get("COMPTOIR_EMAIL_PASSWORD") or None,
        "use_tls": env_bool("COMPTOIR_EMAIL_USE_TLS", False),
        "timeout": 10,
    }
    if _email_backend == SMTP_BACKEND
    else {}
)
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = os.environ.get("COMPTOIR_FROM_EMAIL", "Comptoir <comptoir@example.invalid>")
SITE_URL = os.environ.get("COMPTOIR_SITE_URL", "http://127.0.0.1:8000")

# --- Security -------------------------------------------------------------------------------------
SECURE_COOKIES = env_bool("COMPTOIR_SECURE_COOKIES", not DEBUG)
SESSION_ENGINE = "comptoir.core.sessions"  # Django's database sessions, read with plain SQL
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = int(os.environ.get("COMPTOIR_HSTS_SECONDS", "0"))
SECURE_SSL_REDIRECT = env_bool("COMPTOIR_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("COMPTOIR_BEHIND_PROXY", False) else None
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("COMPTOIR_LOG_LEVEL", "WARNING")},
    "loggers": {"comptoir": {"level": os.environ.get("COMPTOIR_LOG_LEVEL", "INFO")}},
}

# --- Product settings -----------------------------------------------------------------------------
PAGE_SIZE = 25
