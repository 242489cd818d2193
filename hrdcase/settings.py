"""hrdcase settings, read from the environment (see docs/deploy.md for every variable).

Two run modes:
- embedded (``HRDCASE_DEBUG=1``, what ``make run`` uses): SQLite and a filesystem Celery
  broker under ``var/``, keys generated once into ``var/secrets.json``;
- production (``HRDCASE_DEBUG`` unset): ``DATABASE_URL``, ``CELERY_BROKER_URL`` and every
  key must come from the environment, or start-up fails.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hrdcase import devsecrets
from hrdcase.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HRDCASE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("HRDCASE_DEBUG", default=False)

_dev_secrets = devsecrets.load_or_create(VAR_DIR) if DEBUG else {}


def _required(name: str) -> str:
    value = env_str(name) or _dev_secrets.get(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when HRDCASE_DEBUG is off")
    return value


SECRET_KEY = _required("HRDCASE_SECRET_KEY")
# "kid:base64key,kid:base64key": the first key encrypts, all of them decrypt (rotation).
FIELD_ENCRYPTION_KEYS = _required("HRDCASE_FIELD_KEYS")
BLIND_INDEX_KEY = _required("HRDCASE_BLIND_INDEX_KEY")
# Bits of the blind index kept: few enough that unrelated names collide now and then, so a
# match says "perhaps the same defender", never proves it (see hrdcase/crypto.py).
BLIND_INDEX_BITS = env_int("HRDCASE_BLIND_INDEX_BITS", 24, minimum=8)

ALLOWED_HOSTS = env_list("HRDCASE_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("HRDCASE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "django_countries",
    "hrdcase",
    "accounts",
    "cases",
    "alerts",
    "logbooks",
    "relocation",
    "support",
    "dashboards",
    "work",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Past the static files: every other response (and the ones middleware below answer).
    "hrdcase.middleware.PermissionsPolicyMiddleware",
    "hrdcase.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # What a write deep below the page told its author (an urgent alert raised and sent to…).
    "hrdcase.notices.NoticesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout raised inside the view into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hrdcase.urls"
WSGI_APPLICATION = "hrdcase.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.navigation",
            ],
            # ``{{ field|field_row }}`` on every page that draws a form, without a ``load``:
            # a filter call, where an include of a one-line template cost ~60 us a field.
            "builtins": ["hrdcase.templatetags.field_row"],
        },
    },
]
# Widgets are drawn with the Jinja2 copies of Django's widget templates (hrdcase/form_renderer.py).
FORM_RENDERER = "hrdcase.form_renderer.FastFormRenderer"

# --- Database -----------------------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'hrdcase.sqlite3'}" if DEBUG else None
_database_url = env_str("DATABASE_URL", _default_db)
if not _database_url:
    raise ImproperlyConfigured("DATABASE_URL must be set when HRDCASE_DEBUG is off")
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
#: "pgbouncer" when DATABASE_URL reaches PostgreSQL through PgBouncer in transaction pooling.
DB_POOLER = env_str("HRDCASE_DB_POOLER", "").strip().lower()
if DB_POOLER not in ("", "pgbouncer"):
    raise ImproperlyConfigured("HRDCASE_DB_POOLER must be 'pgbouncer' or unset")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Web, worker and beat share one SQLite file: WAL lets readers run beside the writer,
    # IMMEDIATE takes the write lock up front instead of failing on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Short OLTP queries: PostgreSQL's JIT compiles any query its cost estimate calls big
    # (a network dashboard aggregate: 35 ms of compiling for 30 ms of work), never paying
    # back here (docs/performance.md, round 3). The server's setting is left alone.
    if "postgresql" in DATABASES["default"]["ENGINE"] and not DB_POOLER:
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
if DB_POOLER:
    # PgBouncer in transaction pooling (docs/deploy.md, "PgBouncer"): each transaction (each
    # statement in autocommit) may run on another server connection, so nothing may live
    # across transactions. Server-side cursors (QuerySet.iterator() outside a transaction)
    # would; session settings would; the pooler refuses the ``options`` startup parameter,
    # so jit=off is the pooler's connect_query or the database's own setting there. Row
    # locks and the audit chain's pg_advisory_xact_lock are transaction-scoped: safe.
    if "postgresql" not in DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("HRDCASE_DB_POOLER=pgbouncer needs a PostgreSQL DATABASE_URL")
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

# A read replica (docs/deploy.md, "Read replica"): the dashboards' figures and their exports
# read it inside hrdcase.db_router.use_replica(); everything else uses the primary.
_replica_url = env_str("HRDCASE_REPLICA_URL", "")
if _replica_url:
    _replica = dj_database_url.parse(_replica_url, conn_max_age=60)
    if _replica["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("HRDCASE_REPLICA_URL must be the same kind of database")
    _replica["CONN_HEALTH_CHECKS"] = True
    _replica["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **_replica.get("OPTIONS", {})}
    _replica["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"].get(
        "DISABLE_SERVER_SIDE_CURSORS", False
    )
    DATABASES["replica"] = _replica
#: reads inside use_replica() go to the "replica" alias (tests turn it on with an alias of
#: their own that mirrors the test database).
REPLICA_READS = "replica" in DATABASES
DATABASE_ROUTERS = ["hrdcase.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, sessions and login ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# The tenant: every TenantModel row and audit event belongs to one (hrdcase/tenancy.py names
# it through this setting, so the core imports no app).
TENANT_MODEL = "accounts.Organisation"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserBackend",  # ModelBackend, the organisation read with the user
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# A password reset link works for an hour (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 60 * 60
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor authentication is on unless switched off (the embedded demo switches it off).
HRDCASE_REQUIRE_2FA = env_bool("HRDCASE_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "hrdcase"
INVITATION_VALID_DAYS = env_int("HRDCASE_INVITATION_VALID_DAYS", 7, minimum=1)

# Idle expiry: the session's age is renewed by the requests of its user (at most once a
# minute: accounts.middleware.IdleSessionMiddleware), so 30 minutes of inactivity (a laptop
# left open in a hotel lobby) ends the session.
SESSION_COOKIE_AGE = env_int("HRDCASE_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE = env_bool("HRDCASE_SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (docs/deploy.md).
if env_bool("HRDCASE_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("HRDCASE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("HRDCASE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("HRDCASE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page of ours uses, denied to every page (and anything injected into
# one): hrdcase.middleware.PermissionsPolicyMiddleware.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# django-axes: lock a username from one address after repeated failures.
AXES_FAILURE_LIMIT = env_int("HRDCASE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("HRDCASE_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Failures counted per account, not per spelling of the address (login is case-insensitive).
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

# --- Content-Security-Policy: our own origin only, no inline script ----------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- REST API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Deep nesting and refused uploads answered 400/413 in JSON (hrdcase/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "hrdcase.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "hrdcase.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "hrdcase.api_conf.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "hrdcase.schema.AutoSchema",
    "EXCEPTION_HANDLER": "hrdcase.api_conf.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"invite": "30/hour"},
}
REST_KNOX = {
    # Personal tokens: hashed at rest, shown once, valid 90 days unless revoked sooner.
    "TOKEN_TTL": timedelta(days=env_int("HRDCASE_API_TOKEN_DAYS", 90, minimum=1)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 10,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hrdcase API",
    "DESCRIPTION": "Protection case management for human rights defenders at risk.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema maps every endpoint, field and filter: signed-in users only (token, or a
    # session past its second factor: the API's own authentication classes).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RiskLevelEnum": "cases.models.case.RiskLevel",
        "LikelihoodEnum": "cases.models.risk.Likelihood",
        "ImpactEnum": "cases.models.risk.Impact",
        "CapacityEnum": "cases.models.risk.Capacity",
        "DefenderKindEnum": "cases.models.case.Defender.Kind",
        "OrganisationKindEnum": "accounts.models.Organisation.Kind",
        "BenchmarkKindEnum": "cases.models.detention.BenchmarkKind",
        "CaseStatusEnum": "cases.models.case.Case.Status",
        "ShareStatusEnum": "cases.models.sharing.CaseShare.Status",
        "CoordinationStatusEnum": "cases.models.sharing.CoordinationRequest.Status",
        "MilestoneStatusEnum": "cases.models.detention.BenchmarkMilestone.Status",
        "IncidentTypeEnum": "cases.models.incident.Incident.Type",
        "AlertKindEnum": "alerts.models.Alert.Kind",
        "AlertSeverityEnum": "alerts.models.Alert.Severity",
        "AlertSourceEnum": "alerts.models.Alert.Source",
        "AlertStatusEnum": "alerts.models.Alert.Status",
        "EscalationTargetEnum": "alerts.models.EscalationStep.Target",
        "NotificationStatusEnum": "alerts.models.Notification.Status",
        "EntryKindEnum": "logbooks.models.EntryKind",
        "EntryVisibilityEnum": "logbooks.models.Visibility",
        "ActionTypeEnum": "logbooks.models.ActionType",
        "ActionStatusEnum": "logbooks.models.ActionStatus",
        "ParticipantStatusEnum": "logbooks.models.ParticipantStatus",
        "RelocationStatusEnum": "relocation.models.RequestStatus",
        "VisaStatusEnum": "relocation.models.VisaReferral.Status",
        "StayStatusEnum": "relocation.models.ShelterReferral.Status",
        "GrantStatusEnum": "relocation.models.GrantRequest.Status",
        "ProceedingStatusEnum": "cases.models.court.ProceedingStatus",
        "DefenderRoleEnum": "cases.models.court.DefenderRole",
        "ObserverStatusEnum": "cases.models.court.ObserverStatus",
        "HearingOutcomeEnum": "logbooks.models.HearingOutcome",
        "SupportKindEnum": "support.models.SupportKind",
        "SupportStatusEnum": "support.models.SupportStatus",
    },
}

# --- Celery --------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://" if DEBUG else None)
if not CELERY_BROKER_URL:
    raise ImproperlyConfigured("CELERY_BROKER_URL must be set when HRDCASE_DEBUG is off")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Longer than any countdown we use: escalation is a database sweep, not a delayed task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    # Redis Sentinel (docs/deploy.md, "Redis"): CELERY_BROKER_URL lists the sentinels
    # ("sentinel://:pw@s1:26379;sentinel://:pw@s2:26379") and this names the monitored master.
    _sentinel_master = env_str("HRDCASE_REDIS_SENTINEL_MASTER", "")
    if _sentinel_master:
        CELERY_BROKER_TRANSPORT_OPTIONS["master_name"] = _sentinel_master
    elif CELERY_BROKER_URL.startswith("sentinel://"):
        raise ImproperlyConfigured(
            "a sentinel:// CELERY_BROKER_URL needs HRDCASE_REDIS_SENTINEL_MASTER"
        )
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Two queues (docs/alerts.md, "Queues"): the deliveries of urgent alerts and the escalation
# sweep on ALERTS_URGENT_QUEUE, consumed by a worker of its own (`-Q urgent`); everything
# else (reminders, e-mails of other notifications, password resets, sweeps) on the default
# queue, whose workers do not consume the urgent one (`-Q celery`).
CELERY_TASK_DEFAULT_QUEUE = "celery"
ALERTS_URGENT_QUEUE = env_str("HRDCASE_URGENT_QUEUE", "urgent")
CELERY_TASK_ROUTES = {"alerts.tasks.urgent_sweep_task": {"queue": ALERTS_URGENT_QUEUE}}
# A worker of the default queue only (no urgent queue, no beat) yields the CPU to every other
# process (Linux's SCHED_IDLE: hrdcase/celery.py), so that on a shared machine its backlog
# never slows an alert down. Off: it competes for the CPU like any other process.
DEFAULT_WORKER_YIELDS_CPU = env_bool("HRDCASE_DEFAULT_WORKER_YIELDS_CPU", default=True)
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    "clear-expired-sessions": {"task": "accounts.tasks.clear_expired", "schedule": 3600.0},
    # A share past its expiry loses its permissions within a minute.
    "expire-case-shares": {"task": "cases.tasks.shares_expire_task", "schedule": 60.0},
    # Idempotent: a closed case past its retention period is purged within the hour.
    "retention-purge": {"task": "cases.tasks.retention_purge_task", "schedule": 3600.0},
    # Alerts: re-queue lost notifications, escalate, re-notify, check-ins, automatic alerts, on
    # the urgent queue; reminders on the default queue. Idempotent; ``expires`` drops ticks
    # that piled up while no worker ran (docs/alerts.md).
    "alerts-sweep-urgent": {
        "task": "alerts.tasks.urgent_sweep_task",
        "schedule": 60.0,
        "options": {"expires": 55, "queue": ALERTS_URGENT_QUEUE},
    },
    "alerts-sweep-reminders": {
        "task": "alerts.tasks.reminders_sweep_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Network dashboards: the default period recomputed before its 5-minute cached copy
    # expires, so coordinators do not wait for the aggregates (dashboards/caching.py).
    "warm-network-dashboards": {
        "task": "dashboards.tasks.warm_network_figures_task",
        "schedule": 240.0,
        "options": {"expires": 200},
    },
}
# A shelter city reads the defender's identity until this many days after the stay ended
# (the return day), while the stay is accepted and the relocation consent in force.
HRDCASE_CITY_IDENTITY_DAYS = env_int("HRDCASE_CITY_IDENTITY_DAYS", 30, minimum=0)
# "Another organisation follows this defender" checks of names the organisation never checked
# before, per user and 24 hours: the hint tells whether a named person is protected somewhere.
HRDCASE_DUPLICATE_HINT_DAILY_LIMIT = env_int("HRDCASE_DUPLICATE_HINT_DAILY_LIMIT", 20, minimum=1)
# Uploads (hrdcase/uploads.py): every file is held in memory, never spooled in plaintext to a
# temporary file, and a request is refused (413) once its files pass UPLOAD_MAX_BYTES, before
# the file is read when its Content-Length already says so. The logbook attachment is the only
# upload, so the two limits are one setting.
UPLOAD_MAX_BYTES = env_int("HRDCASE_ATTACHMENT_MAX_MB", 10, minimum=1) * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["hrdcase.uploads.BoundedMemoryUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES  # unused by our handler; says what it does
# Fields other than files, and JSON or form bodies of the API (DRF reads them as request.body,
# which this caps; 413): Django's default, 2.5 MB, stated.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440
LOGBOOKS_ATTACHMENT_MAX_BYTES = UPLOAD_MAX_BYTES

# Dashboards cache their aggregates for a few minutes: per process by default, shared
# between web processes when a Redis URL is given.
_cache_url = env_str("HRDCASE_CACHE_URL", "")


def _cache(name: str) -> dict[str, Any]:
    if _cache_url:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": name,
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}


CACHES = {
    "default": _cache("default"),
    # Menu badge counts, kept a few seconds per user (the menu is on every page).
    "badges": _cache("badges"),
}

# An unacknowledged alert reminds its current step's recipients this often.
ALERTS_RENOTIFY_SECONDS = env_int("HRDCASE_ALERT_RENOTIFY_MINUTES", 10, minimum=1) * 60
# Channels beyond e-mail (docs/alerts.md, "Channels"). Signal: a signal-cli REST API server
# (bbernhard/signal-cli-rest-api) and the number it sends from; off unless both are set.
SIGNAL_URL = env_str("HRDCASE_SIGNAL_URL", "").rstrip("/")
SIGNAL_NUMBER = env_str("HRDCASE_SIGNAL_NUMBER", "")
if SIGNAL_URL and not SIGNAL_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("HRDCASE_SIGNAL_URL must be an http(s) URL")
# Every HTTP call of a channel (Signal, webhooks) gives up after this many seconds.
CHANNEL_TIMEOUT_SECONDS = env_int("HRDCASE_CHANNEL_TIMEOUT", 10, minimum=1)
# Organisations' webhooks must be https:// unless this is on (a relay on the same host). The
# scheme only: an internal address needs its host name in WEBHOOK_ALLOWED_HOSTS.
WEBHOOK_ALLOW_HTTP = env_bool("HRDCASE_WEBHOOK_ALLOW_HTTP", default=DEBUG)
# Webhook host names allowed to resolve to loopback/private addresses (comma-separated; empty:
# none). Link-local addresses and the compose service names stay refused.
WEBHOOK_ALLOWED_HOSTS = env_list("HRDCASE_WEBHOOK_ALLOWED_HOSTS", [])

# --- Mail ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "HRDCASE_EMAIL_BACKEND",
    # Embedded mode: one line per e-mail on the console, the message in var/mail/.
    "hrdcase.mail.DevelopmentEmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("HRDCASE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("HRDCASE_EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("HRDCASE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("HRDCASE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("HRDCASE_EMAIL_TLS", default=False)
# A mail server that hangs must not hold a worker (and the alerts queued behind it) forever:
# the send fails after this many seconds and the notification is retried.
EMAIL_TIMEOUT = env_int("HRDCASE_EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("HRDCASE_FROM_EMAIL", "hrdcase <noreply@localhost>")
SITE_URL = env_str("HRDCASE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# The default zone: the server's, the workers', the API's, and a new organisation's.
# Pages are shown in the user's zone (accounts.middleware.UserTimeZoneMiddleware).
TIME_ZONE = "UTC"
USE_TZ = True
# Unambiguous dates in every language ("4 Dec 2026", "4 déc. 2026"), never 12/04/2026;
# the input formats accept ISO (YYYY-MM-DD, what date inputs post) first.
FORMAT_MODULE_PATH = ["hrdcase.formats"]

# --- Static files (vendored, served by whitenoise) ----------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("HRDCASE_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = VAR_DIR / "media"

# --- Logging: to stderr, no request bodies (they may hold identities) ---------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("HRDCASE_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# guardian: no anonymous user row; object permissions are granted to organisation groups.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False
