"""Settings for every motcua process, driven by environment variables.

The defaults run the whole platform on one machine with no services: SQLite under
``var/``, files on local disk, the local fake national systems. Production sets
``DATABASE_URL`` (PostgreSQL), ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DEBUG=0``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "motcua-insecure-development-key-change-me-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "motcua.kernel",
    "motcua.workflow",
    "motcua.audit",
    "motcua.integration",
    "motcua.workdays",
    "motcua.agencies",
    "motcua.identity",
    "motcua.catalog",
    "motcua.documents",
    "motcua.dossiers",
    # National portal sync (issue 6): above dossiers, beside notifications and scoreboard.
    "motcua.portalsync",
    "motcua.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "motcua.kernel.middleware.ApplicationErrorMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
ASGI_APPLICATION = "motcua.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.web.context_processors.site",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
_default_db = f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the worker writes; IMMEDIATE avoids
        # the deadlock-prone lock upgrade of DEFERRED transactions.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "outbox"],
    }
}

CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "motcua"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
# Lock-out after repeated failed logins (see identity.lockout).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = not env_bool("STATIC_MANIFEST", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
    }
}

# Local fakes of the national systems, served by ``motcua fake NAME`` and ``motcua demo``
# (see ``motcua.integration.fakes``): name -> {"app": factory path, "port": demo port}.
FAKE_SERVERS: dict[str, dict[str, object]] = {}

# Outbox relay: batch size and retry back-off (seconds, doubled per attempt, capped).
OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "100"))
OUTBOX_RETRY_BASE_SECONDS = float(os.environ.get("OUTBOX_RETRY_BASE_SECONDS", "5"))
OUTBOX_RETRY_MAX_SECONDS = float(os.environ.get("OUTBOX_RETRY_MAX_SECONDS", "3600"))
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "20"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "motcua.kernel.logging.build_json_formatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The absolute address printed in QR codes on forms and results.
DOCUMENTS_PUBLIC_BASE_URL = os.environ.get("MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000")

MOTCUA = {
    "SITE_NAME": _("Một cửa điện tử"),
    "DEMO_PROVINCE_CODE": os.environ.get("MOTCUA_PROVINCE_CODE", "38"),
}

# Outbound webhooks (integration.webhooks): POST timeout, batch, back-off (doubled per
# attempt, capped) and attempts before a delivery is dead. The defaults keep trying for
# more than eight hours. WEBHOOK_DEMO_SECRET is the demo receiver's (never production).
WEBHOOKS_ENABLED = env_bool("WEBHOOKS_ENABLED", True)
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_BATCH_SIZE = int(os.environ.get("WEBHOOK_BATCH_SIZE", "20"))
WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "10"))
WEBHOOK_RETRY_MAX_SECONDS = float(os.environ.get("WEBHOOK_RETRY_MAX_SECONDS", "1800"))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "25"))
WEBHOOK_DEMO_SECRET = os.environ.get("WEBHOOK_DEMO_SECRET", "motcua-demo-webhook-secret")

# National Public Service Portal (DVCQG) sync — integration.adapters.dvcqg and portalsync.
# The defaults point at the local fake (``motcua fake portal``); production sets the
# portal's URL and the client credentials it issued. DVCQG_SYNC_TARGET_SECONDS is the
# delay within which an event counts as "synchronised on time" (no numeric limit is
# published: one-stop rules §10, configurable). DVCQG_PULL_DESKS limits the pull to some
# desks' codes (comma-separated; empty: every desk).
DVCQG_SYNC_ENABLED = env_bool("DVCQG_SYNC_ENABLED", True)
DVCQG_URL = os.environ.get("DVCQG_URL", "http://127.0.0.1:8101")
DVCQG_CLIENT_ID = os.environ.get("DVCQG_CLIENT_ID", "motcua-demo")
DVCQG_CLIENT_SECRET = os.environ.get("DVCQG_CLIENT_SECRET", "motcua-demo-secret")
DVCQG_TIMEOUT_SECONDS = float(os.environ.get("DVCQG_TIMEOUT_SECONDS", "10"))
DVCQG_SYNC_TARGET_SECONDS = int(os.environ.get("DVCQG_SYNC_TARGET_SECONDS", "300"))
DVCQG_PULL_DESKS = env_list("DVCQG_PULL_DESKS", "")
DVCQG_PULL_INTERVAL_SECONDS = float(os.environ.get("DVCQG_PULL_INTERVAL_SECONDS", "15"))
DVCQG_FAKE_SEED = env_bool("DVCQG_FAKE_SEED", True)
FAKE_SERVERS["portal"] = {"app": "motcua.integration.adapters.dvcqg.fake.make_app", "port": 8101}
FAKE_SERVERS["webhook-receiver"] = {
    "app": "motcua.integration.webhooks.receiver.make_app",
    "port": 8106,
}
# Jobs the worker runs between outbox batches: (dotted path, seconds between runs).
WORKER_PERIODIC_JOBS = [
    ("motcua.portalsync.pull.pull_from_portal", DVCQG_PULL_INTERVAL_SECONDS),
]
