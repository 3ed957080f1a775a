"""Settings for the Mentorat platform.

Every value comes from the environment (see README → Configuration) through the typed reader in
``mentorat.env``, with safe local defaults: SQLite, Celery tasks run in-process, e-mails printed on
the console, DEBUG off unless asked for.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mentorat.env import Env, redacted_url

env = Env()
BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.bool("DEBUG", False)
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", "insecure-local-development-key-do-not-use-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY", required=True)
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env.str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "template_partials",
    "accounts",
    "geo",
    "associations",
    "programmes",
    "participants",
    "matching",
    "binomes",
    "safeguarding",
    "api",
    "dashboards",
    "outbox",
    "agenda",
    "privacy",
    "imports",
    "reporting",
]

MIDDLEWARE = [
    "mentorat.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mentorat.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A new privacy notice version is agreed to again after the next login (privacy.middleware).
    "privacy.middleware.NoticeAcceptanceMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "mentorat.urls"
WSGI_APPLICATION = "mentorat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "mentorat.context_processors.navigation",
            ],
            # French dates, elision, numbers and notices shown once, in every template.
            "builtins": ["mentorat.templatetags.ui"],
        },
    }
]

# Form widgets render through the project's templates, so that templates/django/forms/ can
# replace Django's "---------" empty choice with a French label in every select.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env.url(
    "DATABASE_URL",
    f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql", "pgsql"),
)
# Persistent connections: a new PostgreSQL connection per request (fork, authentication, catalogue
# caches) capped /sante/ at 98 req/s against 2,126 when each worker keeps its connection (issue 15).
# Off in development (DEBUG) so that runserver's threads do not hold idle connections. Each gunicorn
# worker thread holds one connection: keep workers x threads x replicas under PostgreSQL's
# max_connections (100 by default). The health check at the start of each request (one `SELECT 1`
# on a connection reused from an earlier request) replaces a connection PostgreSQL dropped (restart,
# failover, idle timeout) instead of failing the request with it.
DB_CONN_MAX_AGE = env.int("DB_CONN_MAX_AGE", 0 if DEBUG else 600, min_value=0)
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True)}
except ValueError as exc:  # dj-database-url raises ValueError on a URL it cannot read
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {exc}") from exc
# PostgreSQL JIT off for the app's connections (DB_JIT=true turns it back on). The planner
# JIT-compiles any query it estimates costly, on every execution, and the pages' queries are short:
# at 50k participants 1,069 of the unread badge's 1,143 ms were compilation, and with JIT off the
# warm dashboard went from 2.9 to 21 req/s (issue 15). `benchmarks/load.py --jit both` at 10k
# participants, 4 clients: every full page 4-18x faster with JIT off (warm dashboard 16.2 against
# 3.0 req/s, binôme page 15.9 against 2.6, proposals 44 against 2.4). The dashboards' aggregates,
# the only queries long enough that compiling could repay itself, lose too (cold dashboard 5.4
# against 2.0 req/s), so nothing turns it back on per query.
USE_POSTGRESQL_JIT = env.bool("DB_JIT", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not USE_POSTGRESQL_JIT:
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------------------------
REDIS_URL = env.url("REDIS_URL", None, schemes=("redis", "rediss"))
if REDIS_URL:
    # Redis is optional for every page: while it is away the cache falls back to a per-process one
    # (see mentorat/cache.py for what that means for the rate limits).
    CACHES = {"default": {"BACKEND": "mentorat.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker the tasks run in-process, so the demo needs nothing installed by hand.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Acknowledge a message when its task has finished, not when it starts: a worker that dies mid-task
# (OOM kill, container restart) leaves the message in Redis, to be delivered again. Every task is
# therefore written to be safe to run twice (the services claim the work).
CELERY_TASK_ACKS_LATE = True
# One message reserved per worker process at a time: a worker busy with a long match run does not
# sit on queued messages other workers could take, and a killed worker strands at most one.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged message to another worker after this many seconds. It must outlast
# the longest task (a match run: MATCH_RUN_SOFT_TIME_LIMIT plus a minute), or Redis would redeliver a run that is
# still working; the redelivered task would then find a live heartbeat and do nothing, but only
# after waiting that long. A dead worker's run is recovered by the heartbeat job within minutes,
# so this timeout is only the last safety net for the message itself.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", 3 * 3600, min_value=60)}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Outbox (outbox/services.py): the beat sweep relays what no after-commit kick reached (the broker
# was away at commit time, a retry is due) and stamps the worker heartbeat read by /sante/.
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", 60, min_value=5)
# /sante/ calls the outbox backlog late (degraded) past this age of the oldest pending row.
OUTBOX_LATE_SECONDS = env.int("OUTBOX_LATE_SECONDS", 600, min_value=60)

# --- Match runs (self-healing, see matching/services.py and matching/tasks.py) --------------
# Without a broker (the demo), a match run goes to a thread of the web process, so the launch
# returns at once and the page shows the progress. Off by default when a broker is configured.
MATCH_RUN_IN_THREAD = env.bool("MATCH_RUN_IN_THREAD", CELERY_TASK_ALWAYS_EAGER)
# The executing task writes a heartbeat this often (seconds), also during the engine's long phases.
MATCH_RUN_HEARTBEAT_SECONDS = env.int("MATCH_RUN_HEARTBEAT_SECONDS", 15, min_value=1)
# A running run silent for longer than this lost its worker: the recovery job (every minute)
# re-queues it once, then fails it with its reason. Well above the heartbeat interval, so a busy
# database or a long garbage collection never makes a live run look dead.
MATCH_RUN_HEARTBEAT_TIMEOUT = env.int("MATCH_RUN_HEARTBEAT_TIMEOUT", 180, min_value=2)
# A run is re-queued this many times after losing its worker, then failed: a pool that kills its
# worker every time (out of memory) must not loop for ever.
MATCH_RUN_MAX_ATTEMPTS = env.int("MATCH_RUN_MAX_ATTEMPTS", 2, min_value=1)
# A Celery worker compiles the matching kernels into numba's cache when it starts
# (matching/engine/warmup.py), so its first large run does not wait ~25 s for the compiler. On in
# the Docker image; off by default so local and test workers start at once.
MATCHING_WARMUP_ON_WORKER_START = env.bool("MATCHING_WARMUP_ON_WORKER_START", False)
# A queued run no worker took for this long (seconds) is failed with its reason (broker lost it).
MATCH_RUN_QUEUED_TIMEOUT = env.int("MATCH_RUN_QUEUED_TIMEOUT", 2 * 3600, min_value=60)
# Time limits of one run (seconds). 50,000 people take well under a minute; a run still beating
# after an hour is stuck in the solver: the soft limit fails it with a reason, the hard limit (a
# minute later) kills the process if even that does not return.
MATCH_RUN_SOFT_TIME_LIMIT = env.int("MATCH_RUN_SOFT_TIME_LIMIT", 3600, min_value=10)
# Pools with more pairs (mentees x mentors) than this are split by territory into parallel Celery
# tasks (matching/split.py), MATCH_SPLIT_PARTS territories of similar work. The one threshold of the
# split: below it a run is one task (default 2.5e9 pairs, e.g. 70,000 x 35,000 people).
MATCH_SPLIT_ABOVE_PAIRS = env.int("MATCH_SPLIT_ABOVE_PAIRS", 2_500_000_000, min_value=1)
MATCH_SPLIT_PARTS = env.int("MATCH_SPLIT_PARTS", 4, min_value=1)

# --- Request bounds: no input may cause a 5xx -------------------------------------------------
# The largest body a form post or an API call may carry (bytes; Django's default, 2.5 MB): a
# bulk decision on a few hundred proposals is a few kilobytes. Bigger: 400 on pages, 413 on the
# API (api/parsers.py applies it to JSON too, which Django does not). The JSON depth limit and
# the dashboards' period bounds live next to their code (api/parsers.py, dashboards/periods.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, min_value=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "after_login"
SITE_ID = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mentorat] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Failed logins (the public login and /admin/login/ alike; see accounts/adapter.py): per client
# address 10 a minute and 5 per account in 5 minutes; per account, all addresses, 20 in 15 minutes.
ACCOUNT_RATE_LIMITS = {"login_failed_address": "10/m/ip,5/5m/key", "login_failed": "20/15m/key"}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# The platform's labels and short help texts on allauth's forms (templates/account/ styles them).
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "accounts.forms.ResetPasswordKeyForm",
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_URL = env.url("EMAIL_URL", "console://", schemes=("console", "smtp", "smtp+tls", "smtp+ssl", "file", "locmem"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Mentorat <ne-pas-repondre@mentorat.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def _email_settings(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme == "file":
        return {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": parsed.path}
    if not parsed.hostname:
        raise ImproperlyConfigured(f"EMAIL_URL={redacted_url(url)!r} has no host.")
    try:
        port = parsed.port or (465 if parsed.scheme == "smtp+ssl" else 587)
    except ValueError:
        raise ImproperlyConfigured(f"EMAIL_URL={redacted_url(url)!r} has an invalid port.") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_TLS": parsed.scheme == "smtp+tls",
        "EMAIL_USE_SSL": parsed.scheme == "smtp+ssl",
    }


globals().update(_email_settings(EMAIL_URL or "console://"))

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
# French typography for numbers (narrow no-break spaces); see mentorat/formats/fr/formats.py.
FORMAT_MODULE_PATH = ["mentorat.formats"]
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, min_value=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Client addresses: how many reverse proxies of ours append to X-Forwarded-For (0: none, trust
# REMOTE_ADDR only). Every limiter keys on mentorat.client_ip.client_ip, which reads this.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0, min_value=0)
RATELIMIT_IP_META_KEY = "mentorat.client_ip.client_ip"

# Content Security Policy: every script, style, image and font comes from the platform itself
# (no CDN, no third party sees minors' browsing); no inline script anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# Public forms: at most this many submissions per address and hour (spam, account farming).
SIGN_UP_RATE = env.str("SIGN_UP_RATE", "20/h")

# --- REST framework -------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes a request without credentials a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PagePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.StrictJSONParser"],
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "writes": env.str("API_THROTTLE_WRITES", "60/minute"),
        "messages": env.str("API_THROTTLE_MESSAGES", "10/minute"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mentorat API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}},
    "ENUM_NAME_OVERRIDES": {
        "ParticipantStatusEnum": "participants.models.Participant.Status",
        "ProposalStatusEnum": "matching.models.Proposal.Status",
        "MatchRunStatusEnum": "matching.models.MatchRun.Status",
        "BinomeStatusEnum": "binomes.models.Binome.Status",
        "AssociationStatusEnum": "associations.models.Association.Status",
        "RoleEnum": "associations.models.Membership.Role",
        "MemberRoleEnum": "api.serializers.binomes.MEMBER_ROLES",
        "StaffRoleEnum": "api.serializers.binomes.STAFF_ROLE",
        "GoalEnum": "participants.choices.Goal",
    },
}

# --- Domain ---------------------------------------------------------------------------------
PRIVACY_NOTICE_VERSION = "2026-11"
# Where people write about an accessibility problem (the RGAA statement at /accessibilite/).
ACCESSIBILITY_CONTACT_EMAIL = env.str("ACCESSIBILITY_CONTACT_EMAIL", "accessibilite@mentorat.localhost")
# Dashboard figures are recomputed at most this often (seconds; 0: every request).
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", 120, min_value=0)
# The dashboards' rollup (dashboards.rollup) is recounted by a request at most this often
# (seconds; beat also refreshes it for the dashboards opened in the last hour).
DASHBOARD_ROLLUP_SECONDS = env.int("DASHBOARD_ROLLUP_SECONDS", 60, min_value=0)
PARTICIPANTS_PAGE_SIZE = 25
# CSV exports of more rows than this are built by a worker into a private file (a page says when
# it is ready) instead of being streamed by the request; the files are deleted after
# EXPORT_FILE_HOURS. EXPORTS_ROOT must be shared by the web and worker containers (a volume).
EXPORT_STREAM_MAX_ROWS = env.int("EXPORT_STREAM_MAX_ROWS", 5000, min_value=0)
EXPORT_FILE_HOURS = env.int("EXPORT_FILE_HOURS", 24, min_value=1)
EXPORTS_ROOT = Path(env.str("EXPORTS_ROOT", str(BASE_DIR / "private" / "exports")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO")},
}

# --- Periodic jobs (Celery beat) --------------------------------------------------------------
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "nightly-match-runs": {"task": "matching.tasks.run_periodic_matches", "schedule": crontab(hour=3, minute=15)},
    # Every minute: re-queue or fail the runs whose worker stopped beating (no coordinator needed).
    "recover-match-runs": {"task": "matching.tasks.recover_match_runs", "schedule": 60.0},
    "message-digests": {"task": "binomes.tasks.run_message_digests", "schedule": crontab(minute=5)},
    "inactivity-reminders": {"task": "binomes.tasks.run_inactivity_reminders", "schedule": crontab(hour=17, minute=30)},
    # Hourly: pairs crossing 21 or 45 days of silence change health on the coordinators' list.
    "binome-health": {"task": "binomes.tasks.run_health_refresh", "schedule": crontab(minute=20)},
    "end-surveys": {"task": "binomes.tasks.run_end_surveys", "schedule": crontab(hour=10, minute=0)},
    # Issue 13: a month before the planned end, plan a last meeting and say goodbye.
    "ending-invitations": {"task": "binomes.tasks.run_ending_invitations", "schedule": crontab(hour=10, minute=5)},
    # Safeguarding: vetting reminders (30 and 7 days before) and what an expiry means (each row claimed).
    "vetting-jobs": {"task": "safeguarding.tasks.run_vetting_jobs", "schedule": crontab(hour=6, minute=30)},
    "check-in-reminders": {"task": "binomes.tasks.run_check_in_reminders", "schedule": crontab(day_of_month="3", hour=17, minute=0)},
    "outbox-sweep": {"task": "outbox.tasks.sweep", "schedule": float(OUTBOX_SWEEP_SECONDS)},
    # The day before a confirmed meeting (each reminder claimed, sent once).
    "planned-meeting-reminders": {"task": "agenda.tasks.run_planned_meeting_reminders", "schedule": crontab(hour=18, minute=0)},
    # Retention schedule (privacy.retention): anonymise or delete what has outlived its purpose.
    "retention": {"task": "privacy.tasks.run_retention", "schedule": crontab(hour=2, minute=40)},
    # The dashboards opened in the last hour get fresh default figures before anyone asks.
    "refresh-dashboards": {"task": "dashboards.tasks.refresh_dashboards", "schedule": float(max(30, DASHBOARD_CACHE_SECONDS // 2))},
    # Every association's dashboard rollup (dashboards.rollup): recent days recounted, older frozen.
    "refresh-rollups": {"task": "dashboards.tasks.refresh_rollups", "schedule": crontab(minute=5)},
    # Large exports' files leave the disk EXPORT_FILE_HOURS after they were built.
    "expire-export-files": {"task": "dashboards.tasks.expire_export_files", "schedule": crontab(minute=20)},
    # Uploaded spreadsheets left unconfirmed lose their file (minors' personal data) after a day.
    "purge-import-files": {"task": "imports.tasks.purge_import_files", "schedule": crontab(minute=35)},
}
