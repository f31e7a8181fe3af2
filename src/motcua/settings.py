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
    # Online payment and notifications (issue 6).
    "motcua.payments",
    "motcua.notifications",
    "motcua.scoreboard",
    # Citizen portal (issue 5): online application, "My dossiers", data store, rating.
    "motcua.portal",
    # National portal sync (issue 6): above dossiers, beside notifications and scoreboard.
    "motcua.portalsync",
    "motcua.web",
]

# ModelBackend, with the request's actor read in the same query as its user. The plain
# ModelBackend stays listed for the sessions opened before it (a session names its backend).
AUTHENTICATION_BACKENDS = [
    "motcua.identity.backends.AccountBackend",
    "django.contrib.auth.backends.ModelBackend",
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
else:
    # PostgreSQL: parameters sent apart from the statement, and a statement a connection
    # has run DB_PREPARE_THRESHOLD times (default 5) prepared on the server, so that it
    # is no longer parsed and planned on each run (ADR 0026). Behind a pooler that does
    # not carry prepared statements across transactions (PgBouncer before 1.21 in
    # transaction mode), set DB_PREPARE_THRESHOLD to "off".
    _prepare = os.environ.get("DB_PREPARE_THRESHOLD", "5").strip().lower()
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "server_side_binding": True,
            "prepare_threshold": None if _prepare in ("", "off", "none") else int(_prepare),
        }
    )
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

# Django's database sessions, read with one written statement (identity/sessions.py).
SESSION_ENGINE = "motcua.identity.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

MAILERS: dict[str, dict[str, object]] = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
    }
}

# Local fakes of the national systems, served by ``motcua fake NAME`` and ``motcua demo``
# (see ``motcua.integration.fakes``): name -> {"app": factory path, "port": demo port}.
FAKE_SERVERS: dict[str, dict[str, object]] = {
    "eid": {"app": "motcua.identity.fake_eid.make_app", "port": 8103},
}

# National e-ID (OpenID Connect) login of citizens and businesses (see identity.eid and
# docs/adr/0010). The defaults point at the local fake provider (``motcua fake eid``).
EID_ISSUER = os.environ.get("EID_ISSUER", "http://127.0.0.1:8103").rstrip("/")
# Empty: ``{EID_ISSUER}/.well-known/openid-configuration``.
EID_DISCOVERY_URL = os.environ.get("EID_DISCOVERY_URL", "")
EID_CLIENT_ID = os.environ.get("EID_CLIENT_ID", "motcua")
EID_CLIENT_SECRET = os.environ.get("EID_CLIENT_SECRET", "motcua-demo-eid-secret")
# client_secret_basic or client_secret_post
# Empty: the callback on the host the request came to (set it behind a proxy).
EID_REDIRECT_URI = os.environ.get("EID_REDIRECT_URI", "")
EID_TOKEN_AUTH_METHOD = os.environ.get("EID_TOKEN_AUTH_METHOD", "client_secret_basic")
EID_SCOPES = os.environ.get("EID_SCOPES", "openid profile email phone address vneid")
# DVCQG accepts level-2 accounts (one-stop rules §13).
EID_MIN_ASSURANCE_LEVEL = int(os.environ.get("EID_MIN_ASSURANCE_LEVEL", "2"))
# The provider's "acr" values and the assurance level each one means.
EID_ACR_LEVELS = {"1": 1, "2": 2}
EID_HTTP_TIMEOUT_SECONDS = float(os.environ.get("EID_HTTP_TIMEOUT_SECONDS", "5"))
EID_STATE_MAX_AGE_SECONDS = int(os.environ.get("EID_STATE_MAX_AGE_SECONDS", "600"))
EID_METADATA_CACHE_SECONDS = int(os.environ.get("EID_METADATA_CACHE_SECONDS", "3600"))
EID_CLOCK_SKEW_SECONDS = int(os.environ.get("EID_CLOCK_SKEW_SECONDS", "60"))
# The fake provider: the origins of motcua it may send users back to, and its key file.
EID_FAKE_RP_ORIGINS = env_list("EID_FAKE_RP_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")
EID_FAKE_KEY_FILE = os.environ.get("EID_FAKE_KEY_FILE", str(VAR_DIR / "fake-eid" / "key.json"))

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

# --- Online payment (motcua.payments; ADR 0016) ---------------------------------------
# The national payment platform (the local fake by default), motcua's merchant id and
# the HMAC secret shared with it; the absolute base of the return and notify addresses.
PAYMENT_PLATFORM_URL = os.environ.get("PAYMENT_PLATFORM_URL", "http://127.0.0.1:8102")
PAYMENT_MERCHANT_ID = os.environ.get("PAYMENT_MERCHANT_ID", "MOTCUA-DEMO")
PAYMENT_SECRET_KEY = os.environ.get("PAYMENT_SECRET_KEY", "motcua-demo-payment-secret")
PAYMENT_PUBLIC_BASE_URL = os.environ.get("PAYMENT_PUBLIC_BASE_URL", DOCUMENTS_PUBLIC_BASE_URL)
PAYMENT_PLATFORM_TIMEOUT = float(os.environ.get("PAYMENT_PLATFORM_TIMEOUT", "10"))
# An attempt expires at the platform after this; its first check comes after the next.
PAYMENT_ATTEMPT_MINUTES = int(os.environ.get("PAYMENT_ATTEMPT_MINUTES", "15"))
PAYMENT_CHECK_AFTER_SECONDS = float(os.environ.get("PAYMENT_CHECK_AFTER_SECONDS", "60"))
PAYMENT_CHECK_MAX_SECONDS = float(os.environ.get("PAYMENT_CHECK_MAX_SECONDS", "900"))
# The fake's "pay, notification delayed" button waits this long before notifying.
PAYMENT_FAKE_CALLBACK_DELAY = float(os.environ.get("PAYMENT_FAKE_CALLBACK_DELAY", "20"))
FAKE_SERVERS["payment"] = {"app": "motcua.payments.fake.make_app", "port": 8102}

# --- Notifications (motcua.notifications; ADR 0017) -----------------------------------
# E-mail leaves through the "notifications" mailer: SMTP to the local mail catcher by
# default (``motcua fake mail``: SMTP on 8025, messages on http://127.0.0.1:8105/).
MAILERS["notifications"] = {
    "BACKEND": os.environ.get(
        "NOTIFICATIONS_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
    ),
    "OPTIONS": {
        "host": os.environ.get("NOTIFICATIONS_SMTP_HOST", "127.0.0.1"),
        "port": int(os.environ.get("NOTIFICATIONS_SMTP_PORT", "8025")),
        "timeout": 10,
    },
}
NOTIFICATIONS_FROM_EMAIL = os.environ.get(
    "NOTIFICATIONS_FROM_EMAIL", "Một cửa điện tử <khong-tra-loi@motcua.vn>"
)
# The SMS gateway (the local fake by default) and its token.
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "http://127.0.0.1:8104")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "motcua-demo-sms-token")
SMS_SENDER = os.environ.get("SMS_SENDER", "MOTCUA")
# Where links in messages point, and the retry schedule of a failed send.
NOTIFICATIONS_PUBLIC_BASE_URL = os.environ.get(
    "NOTIFICATIONS_PUBLIC_BASE_URL", DOCUMENTS_PUBLIC_BASE_URL
)
NOTIFICATIONS_RETRY_BASE_SECONDS = float(os.environ.get("NOTIFICATIONS_RETRY_BASE_SECONDS", "30"))
NOTIFICATIONS_RETRY_MAX_SECONDS = float(os.environ.get("NOTIFICATIONS_RETRY_MAX_SECONDS", "3600"))
NOTIFICATIONS_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATIONS_MAX_ATTEMPTS", "12"))
MAIL_CATCHER_SMTP_PORT = int(os.environ.get("MAIL_CATCHER_SMTP_PORT", "8025"))
FAKE_SERVERS["sms"] = {"app": "motcua.notifications.fakes.make_sms_app", "port": 8104}
FAKE_SERVERS["mail"] = {"app": "motcua.notifications.fakes.make_mail_app", "port": 8105}
# Decision 766 scoreboard (motcua.scoreboard; ADR 0018–0019). Counting rules the law
# leaves open: a second supplement request or an apology makes a dossier late (R33, R39);
# working days between an announcement and the legal basis' effect / its publication
# (1.1 / 1.2: 5 and 5 for a province, 20 and 10 for a ministry).
SCOREBOARD_SECOND_SUPPLEMENT_IS_LATE = env_bool("SCOREBOARD_SECOND_SUPPLEMENT_IS_LATE", True)
SCOREBOARD_APOLOGY_IS_LATE = env_bool("SCOREBOARD_APOLOGY_IS_LATE", True)
SCOREBOARD_ANNOUNCEMENT_WORKING_DAYS = int(
    os.environ.get("SCOREBOARD_ANNOUNCEMENT_WORKING_DAYS", "5")
)
SCOREBOARD_PUBLICATION_WORKING_DAYS = int(
    os.environ.get("SCOREBOARD_PUBLICATION_WORKING_DAYS", "5")
)
# Seconds the public league tables are served from the cache (0: computed every time).
SCOREBOARD_CACHE_SECONDS = int(os.environ.get("SCOREBOARD_CACHE_SECONDS", "5"))
# Seconds an official's worklist page (tab counts and rows) is served from the cache;
# every change to one of the agency's dossiers replaces it at once (dossiers.worklist_cache).
# Needs a cache shared by the web server and the worker (Redis): 0 (off) without REDIS_URL.
DOSSIER_WORKLIST_CACHE_SECONDS = int(
    os.environ.get("DOSSIER_WORKLIST_CACHE_SECONDS", "30" if os.environ.get("REDIS_URL") else "0")
)
# Seconds each process keeps a published procedure version's parts (cases, documents,
# fees, steps: frozen once published) for the dossiers it registers and receives; what
# can go stale meanwhile is the name or kind of an agency a step names
# (catalog.selectors.parts). 0: read every time.
CATALOG_PARTS_CACHE_SECONDS = float(os.environ.get("CATALOG_PARTS_CACHE_SECONDS", "60"))
# Seconds between two refreshes of the stored scorecards by one worker's relay (the
# leagues stay marked dirty meanwhile; a page that reads one refreshes it, and so does
# the tick). 0: after every batch.
SCOREBOARD_REFRESH_SECONDS = float(os.environ.get("SCOREBOARD_REFRESH_SECONDS", "30"))
# Citizen portal and uploads (issue 5). Sizes in MB; the office formats a procedure
# accepts are listed per procedure code ("*" = every procedure). DOCUMENTS_CLAMD_URL
# ("tcp://127.0.0.1:3310" or "unix:///run/clamav/clamd.ctl") turns the antivirus on.
DOCUMENTS_MAX_FILE_MB = float(os.environ.get("DOCUMENTS_MAX_FILE_MB", "20"))
# Form 05 (Circular 03/2025, "Thông báo dừng giải quyết hồ sơ"): its trigger is disputed
# (domain rules §4.3): "stop" — the agency stops an ineligible dossier (status 8, the
# default); "withdrawal" — the applicant withdraws a received dossier (status 7); "both".
DOSSIER_FORM_05_ON = os.environ.get("DOSSIER_FORM_05_ON", "stop")
DOCUMENTS_MAX_DOSSIER_MB = float(os.environ.get("DOCUMENTS_MAX_DOSSIER_MB", "50"))
DOCUMENTS_CLAMD_URL = os.environ.get("DOCUMENTS_CLAMD_URL", "")
DOCUMENTS_ALLOWED_TYPES_BY_PROCEDURE: dict[str, tuple[str, ...]] = {
    "*": ("pdf", "jpeg", "png"),
    # Business registration: the charter and member lists are often word-processed.
    "2.001610": ("pdf", "jpeg", "png", "docx", "xlsx", "odt"),
    "2.001199": ("pdf", "jpeg", "png", "docx", "xlsx", "odt"),
    "2.001198": ("pdf", "jpeg", "png", "docx", "xlsx", "odt"),
}
# Validity of results kept in the citizen data store (procedure code -> calendar days).
DOCUMENTS_RESULT_VALIDITY_DAYS: dict[str, int] = {}
# Where citizens are sent to log in: the national e-ID login.
PORTAL_LOGIN_URL = os.environ.get("PORTAL_LOGIN_URL", "/tai-khoan/vneid/")
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
# Jobs the worker starts between outbox batches: (dotted path, seconds between runs). A
# plain function runs in the relay's loop; a ``django.tasks`` task is enqueued for the task
# worker. Every job is idempotent: with several workers each one starts them.
WORKER_PERIODIC_JOBS = [
    ("motcua.portalsync.pull.pull_from_portal", DVCQG_PULL_INTERVAL_SECONDS),
    ("motcua.payments.tasks.reconcile_payments", 60.0),
    ("motcua.notifications.tasks.send_due_notifications", 60.0),
    ("motcua.scoreboard.tasks.tick", 300.0),
    ("motcua.dossiers.tasks.warn_due_dossiers", 3600.0),
]
