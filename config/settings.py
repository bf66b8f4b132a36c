"""Settings, read from the environment with defaults that work on a bare machine.

No variables: SQLite under var/ and a Celery broker on the filesystem (kombu's filesystem
transport), so `make run` needs nothing installed. `DATABASE_URL` and `REDIS_URL` switch to
PostgreSQL and Redis. `DJANGO_ENV=production` turns on the deployment hardening and requires
the secrets to be given. The README has the table of every variable.
"""

import os
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from config.databases import POOLERS, database

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LIAISON_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_ENV=production")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "*")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# The proxies in front of this server (addresses or networks). Only hops they wrote in
# X-Forwarded-For are believed; throttles and the login lockout count the client behind them
# (liaison/clients.py). Empty: the header is ignored.
LIAISON_TRUSTED_PROXIES = env_list("LIAISON_TRUSTED_PROXIES")
# The deployment's own jurisdiction (a region code, e.g. 1404 for 长治市): the public pages, the
# station finder and the opinion form start there. Empty: the whole country.
LIAISON_ROOT_REGION = os.environ.get("LIAISON_ROOT_REGION", "").strip()

INSTALLED_APPS = [
    "liaison",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",  # API tokens stored hashed (accounts.models.ApiToken)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from here: stations sit on intranets
    "import_export",
    "stations",
    "deputies",
    "suggestions",
    "open311",  # Open311 GeoReport v2 over the suggestions workflow (/open311/v2/)
    "accounts",
    "demo",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # PostgreSQL down or restarting: a clean 503 in Chinese (liaison/middleware.py).
    "liaison.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "liaison.context_processors.site",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
# A PostgreSQL streaming replica of that database (same URL form): reads that may lag a second
# (statistics, exports, public pages, large lists: LIAISON_REPLICA_VIEWS) go there through
# liaison.db.ReplicaRouter; writes, and a client's reads for LIAISON_REPLICA_STICKY_SECONDS
# after it wrote, stay on the primary. Unset: no `replica` alias, every query on `default`.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
# `transaction`: the URLs point at PgBouncer in transaction pooling mode (config/databases.py).
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "").strip().lower()
if DATABASE_POOLER not in POOLERS:
    raise ImproperlyConfigured("DATABASE_POOLER must be empty or 'transaction'")
DATABASES = {"default": database(DATABASE_URL, pooler=DATABASE_POOLER)}
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database(DATABASE_REPLICA_URL, pooler=DATABASE_POOLER)
    # Test runs with a replica configured use the test database for both aliases.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["liaison.db.ReplicaRouter"]
    # Before the session and the user are loaded: it sees every query of the request.
    MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
                      "liaison.db.ReplicaRoutingMiddleware")
# The views whose GETs may read from the replica (URL names, fnmatch patterns): figures a
# second old are as good as live ones there, and they are what costs the most to read.
LIAISON_REPLICA_VIEWS = [
    "stats:*",  # the statistics pages, the books and their xlsx exports
    # (not the live `stats/summary/`: it stages the changed suggestions in TEMPORARY tables, which a
    # hot standby refuses, and it must count one consistent state: it stays on the primary)
    "api:deputy-record", "deputies:duty_record", "deputies:my_books",
    "suggestions:feedback_sheet_pdf", "stations:card_pdf", "stations:schedule_pdf", "deputies:card_pdf",
    # public pages: home, station finder, deputy and station pages, 公示, tracking (the voter who
    # just submitted reads from the primary: the sticky window below)
    "home", "stations:find", "stations:detail", "stations:schedule", "stations:qr", "deputies:detail",
    "deputies:qr", "suggestions:published", "suggestions:track", "suggestions:track_detail",
    "suggestions:track_qr", "api:public-track", "api:public-similar",
    # large lists
    "api:*-list", "suggestions:worklist", "suggestions:inbox", "suggestions:mine",
]
# After a client writes, its reads stay on the primary this long (replication lag is normally
# well under a second; this is the margin).
LIAISON_REPLICA_STICKY_SECONDS = int(os.environ.get("LIAISON_REPLICA_STICKY_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "liaison.User"
# Username/password logins (admin, web, API token) lock out after repeated failures.
AUTHENTICATION_BACKENDS = ["liaison.auth.LockoutModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "liaison.auth.NotDemoPasswordValidator"},
]

# --- language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("LIAISON_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- cache and Celery -----------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Fails open (liaison/cache.py): with Redis down, throttles and lockout stop counting
    # instead of turning every voter's submission into a 500.
    CACHES = {"default": {"BACKEND": "liaison.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
else:
    # No server needed: the cache lives in the database-less file cache (shared by all
    # processes, so throttling and lockout counts agree) and the broker in folders.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queues, so that workers can be split by kind of work and run on other machines (docs/scaling.md):
# `celery -A config worker -Q reminders,notifications` on one, `-Q statistics,exports,imports` on
# another. `make run`/`make dev` start one worker that consumes them all (config/serve.py).
CELERY_TASK_DEFAULT_QUEUE = "celery"
LIAISON_CELERY_QUEUES = ("celery", "reminders", "notifications", "statistics", "exports", "imports")
CELERY_TASK_QUEUES = [Queue(name) for name in LIAISON_CELERY_QUEUES]
CELERY_TASK_ROUTES = {
    "suggestions.tasks.send_reminders": {"queue": "reminders"},
    "suggestions.tasks.deliver_notifications": {"queue": "notifications"},
    "suggestions.tasks.deliver_outbox": {"queue": "notifications"},
    "suggestions.tasks.build_stats_nightly": {"queue": "statistics"},
    "suggestions.tasks.email_stats_workbooks": {"queue": "statistics"},
    "suggestions.tasks.build_stats_workbook": {"queue": "exports"},
    "liaison.tasks.run_import": {"queue": "imports"},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}
# Deadline reminders: the sweep is idempotent (a unique constraint), so running it every hour
# of the working day only catches up after downtime; the outbox is delivered every 5 minutes
# so no e-mail depends on a broker message surviving.
CELERY_BEAT_SCHEDULE["suggestions-send-reminders"] = {
    "task": "suggestions.tasks.send_reminders",
    "schedule": crontab(minute=0, hour="8-18"),
}
CELERY_BEAT_SCHEDULE["suggestions-deliver-notifications"] = {
    "task": "suggestions.tasks.deliver_notifications",
    "schedule": crontab(minute="*/5"),
}
# Messages to voters and deputies (suggestions/outbox.py): enqueued on commit, and swept here.
CELERY_BEAT_SCHEDULE["suggestions-deliver-outbox"] = {
    "task": "suggestions.tasks.deliver_outbox",
    "schedule": crontab(minute="*/2"),
}
# Statistics: the snapshot of the day that just ended, then the workbooks e-mailed to staff.
CELERY_BEAT_SCHEDULE["suggestions-build-stats"] = {
    "task": "suggestions.tasks.build_stats_nightly",
    "schedule": crontab(minute=30, hour=1),  # CELERY_TIMEZONE: Asia/Shanghai
}

# --- REST framework -------------------------------------------------------------------------
# API tokens (django-rest-knox): only a digest is stored, several per account, each revocable,
# shown once when issued (accounts/services.py). The header stays `Authorization: Token <key>`.
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# knox's own token model is swapped out for that one, but knox's migrations would still create
# its table, with a foreign key to the user that no flush truncates (PostgreSQL then refuses to
# truncate the user table between tests): knox keeps no table of its own here.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": None,  # other systems run unattended: a token lasts until it is revoked
    "AUTO_REFRESH": False,
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested deeper than a request ever needs is a 400, not a RecursionError (a 500).
    "DEFAULT_PARSER_CLASSES": [
        "liaison.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "liaison.api.filtering.FilterBackend",  # django-filter's; an empty filter value is a 400
        "liaison.api.ordering.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "liaison.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "liaison.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "liaison.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "token": os.environ.get("LIAISON_THROTTLE_TOKEN", "10/min"),
        "public": os.environ.get("LIAISON_THROTTLE_PUBLIC", "20/hour"),
        # Lookups by tracking code (API public/track/ and the /track/ pages), per client address.
        "track": os.environ.get("LIAISON_THROTTLE_TRACK", "60/hour"),
        # A voter's rating by tracking code (API public/track/{code}/rate/ and the tracking page).
        "voter_rate": os.environ.get("LIAISON_THROTTLE_VOTER_RATE", "10/hour"),
        # The public form's "already being handled" list while typing (public/similar/).
        "similar": os.environ.get("LIAISON_THROTTLE_SIMILAR", "120/hour"),
    },
    "COERCE_DECIMAL_TO_STRING": False,
    "DATETIME_FORMAT": "iso-8601",
    # Times of day as the schema documents them (HH:MM[:SS[.ffffff]], no offset).
    "TIME_INPUT_FORMATS": ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "人大代表联络站 API",
    "DESCRIPTION": "REST API v1 of the deputy liaison station system (see docs/api.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Enumerations that share a field name get distinct, stable component names.
    "ENUM_NAME_OVERRIDES": {
        "RegionLevelEnum": "stations.models.RegionLevel",
        "StationKindEnum": "stations.models.StationKind",
        "StationClassEnum": "stations.models.StationClass",
        "DemonstrationLevelEnum": "stations.models.DemonstrationLevel",
        "CongressLevelEnum": "deputies.models.Level",
        "MembershipRoleEnum": "deputies.models.MembershipRole",
        "ReceptionModeEnum": "deputies.models.ReceptionMode",
        "ReceptionStatusEnum": "deputies.models.ReceptionStatus",
        "UnitKindEnum": "suggestions.models.UnitKind",
        "AccountRoleEnum": "liaison.models.Role",
        # the suggestion workflow (suggestions/api/)
        "SuggestionKindEnum": "suggestions.models.SuggestionKind",
        "SuggestionStatusEnum": "suggestions.models.Status",
        "AssignmentStatusEnum": "suggestions.models.AssignmentStatus",
        "AssignmentRoleEnum": "suggestions.models.AssignmentRole",
        "ContactKindEnum": "suggestions.models.ContactKind",
        "NotificationKindEnum": "suggestions.models.NotificationKind",
        "WorkflowActionEnum": "suggestions.models.Action",
        "SupervisionEnum": "suggestions.models.Supervision",
        "RouteEnum": "suggestions.models.Route",
        "CosignConsentEnum": "suggestions.models.Consent",
    },
}

# --- e-mail and logging ---------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@liaison.local")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LIAISON_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- production hardening -------------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content Security Policy (django-csp 4): everything from this server only. No inline scripts
# or styles anywhere (templates use static/css and static/js); no CDN, no data: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
    },
}

# --- the practice's settings (DOMAIN.md: "settings, not constants") -------------------------
LIAISON = {
    # Leading-official deputies must receive voters at a station at least this often.
    "LEADER_VISITS_PER_QUARTER": int(os.environ.get("LIAISON_LEADER_VISITS_PER_QUARTER", "1")),
    # Login throttling (liaison/auth.py): after this many failures for one account from one
    # address, that address waits before its next try, the wait doubling with each further
    # failure up to LOGIN_LOCKOUT_SECONDS. Other addresses, the owner's included, are not held.
    "LOGIN_MAX_FAILURES": int(os.environ.get("LIAISON_LOGIN_MAX_FAILURES", "5")),
    "LOGIN_LOCKOUT_SECONDS": int(os.environ.get("LIAISON_LOGIN_LOCKOUT_SECONDS", "900")),
    # Once an account has had this many failures in a day from all addresses together, every
    # address that has failed on it waits after each failure (a clean address still may try).
    "LOGIN_ACCOUNT_DAILY_FAILURES": int(os.environ.get("LIAISON_LOGIN_ACCOUNT_DAILY_FAILURES", "100")),
    # Printed QR codes carry this address (e.g. https://rd.example.gov.cn) when set; otherwise
    # the host the page was requested on.
    "PUBLIC_BASE_URL": os.environ.get("LIAISON_PUBLIC_BASE_URL", ""),
    # --- suggestions (提-交-办-督-评). Every deadline counts working days (工作日): China's
    # holidays and make-up workdays from chinese-calendar, overridden by the staff-editable
    # 节假日调整 table. 22 working days ≈ 1 month, 65 ≈ 3 months.
    # The lead unit's default deadline per handling route (五分类); staff may set another.
    "DEADLINE_WORKING_DAYS": {
        "on_spot": int(os.environ.get("LIAISON_DEADLINE_ON_SPOT", "5")),
        "grassroots": int(os.environ.get("LIAISON_DEADLINE_GRASSROOTS", "22")),
        "township": int(os.environ.get("LIAISON_DEADLINE_TOWNSHIP", "44")),
        "district": int(os.environ.get("LIAISON_DEADLINE_DISTRICT", "65")),
        "escalate": int(os.environ.get("LIAISON_DEADLINE_ESCALATE", "65")),
    },
    # Co-units (协办) give their part to the lead unit within this (never after the lead's deadline).
    "CO_UNIT_DEADLINE_WORKING_DAYS": int(os.environ.get("LIAISON_CO_UNIT_DEADLINE", "22")),
    # A unit that got a suggestion that is not its own returns it (退回) within this, or handles it.
    "RETURN_WITHIN_WORKING_DAYS": int(os.environ.get("LIAISON_RETURN_WITHIN", "10")),
    # An unsatisfied evaluation (不满意) gives the lead unit this long to handle it again.
    "REHANDLE_WORKING_DAYS": int(os.environ.get("LIAISON_REHANDLE_DEADLINE", "22")),
    # A result-B reply (正在解决或列入计划) is reviewed (回头看) this long after the reply.
    "FOLLOW_UP_WORKING_DAYS": int(os.environ.get("LIAISON_FOLLOW_UP_AFTER", "65")),
    # Reminders this many working days before a deadline; the largest is also "due soon".
    "REMINDER_OFFSETS_WORKING_DAYS": [int(n) for n in env_list("LIAISON_REMINDER_OFFSETS", "7,3,1")],
    # Overdue by this many working days is "long overdue" (严重超期): escalated once more.
    "LONG_OVERDUE_WORKING_DAYS": int(os.environ.get("LIAISON_LONG_OVERDUE", "22")),
    "ATTACHMENT_MAX_BYTES": int(os.environ.get("LIAISON_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024))),
    # Admin imports (liaison/importing/limits.py), checked before a file is parsed: its size;
    # for xlsx what its zip unpacks to, in all and per member (a zip bomb's ratio); its rows
    # below the header. The 长治 roster (8,984 deputies, 0.7 MB, 8 MB unpacked) fits well inside.
    "IMPORT_MAX_BYTES": int(os.environ.get("LIAISON_IMPORT_MAX_BYTES", str(10 * 1024 * 1024))),
    "IMPORT_MAX_UNCOMPRESSED_BYTES": int(os.environ.get("LIAISON_IMPORT_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024))),
    "IMPORT_MAX_COMPRESSION_RATIO": int(os.environ.get("LIAISON_IMPORT_MAX_COMPRESSION_RATIO", "100")),
    "IMPORT_MAX_ROWS": int(os.environ.get("LIAISON_IMPORT_MAX_ROWS", "10000")),
    # A confirmed import of more data rows than this runs in a Celery worker, not the request
    # (liaison/importing/background.py); the preview and smaller files stay in the request.
    "IMPORT_BACKGROUND_ROWS": int(os.environ.get("LIAISON_IMPORT_BACKGROUND_ROWS", "500")),
    # What one client address may upload with anonymous opinions per hour, all files together.
    "ANONYMOUS_UPLOAD_BYTES_PER_HOUR": int(
        os.environ.get("LIAISON_ANONYMOUS_UPLOAD_BYTES_PER_HOUR", str(30 * 1024 * 1024))
    ),
    # A deadline set when assigning (主办 and 协办) may lie at most this many days ahead.
    "DEADLINE_MAX_DAYS": int(os.environ.get("LIAISON_DEADLINE_MAX_DAYS", "730")),
    # Dotted path of the SMS backend (a class with send(phone, text)); the default only logs.
    "SMS_BACKEND": os.environ.get("LIAISON_SMS_BACKEND", "suggestions.notify.LoggingSmsBackend"),
    # suggestions.sms.FileSmsBackend's file (default var/sms.log); the production gateway
    # (suggestions.sms.HttpGatewaySmsBackend): POST JSON {phone, text} with a Bearer key.
    "SMS_FILE_PATH": os.environ.get("LIAISON_SMS_FILE_PATH", ""),
    "SMS_GATEWAY_URL": os.environ.get("LIAISON_SMS_GATEWAY_URL", ""),
    "SMS_GATEWAY_KEY": os.environ.get("LIAISON_SMS_GATEWAY_KEY", ""),
    # Messages to voters and deputies (the outbox): tries before one stays failed.
    "OUTBOX_MAX_ATTEMPTS": int(os.environ.get("LIAISON_OUTBOX_MAX_ATTEMPTS", "5")),
    # The e-mail/SMS outbox skips notices older than this (e.g. an address added much later).
    "NOTIFY_MAX_AGE_HOURS": int(os.environ.get("LIAISON_NOTIFY_MAX_AGE_HOURS", "72")),
    # --- statistics (suggestions/stats/; every suggestions default is in suggestions/conf.py)
    # Daily snapshots older than this many days are pruned; each month's last day is kept.
    "STATS_KEEP_DAILY_DAYS": int(os.environ.get("LIAISON_STATS_KEEP_DAILY_DAYS", "62")),
    # A handling unit enters the league table once this many of its lead replies were due.
    "STATS_LEAGUE_MIN_DUE": int(os.environ.get("LIAISON_STATS_LEAGUE_MIN_DUE", "5")),
    # Accounts (usernames, comma-separated) e-mailed their region's workbook after the nightly run.
    "STATS_EMAIL_USERS": env_list("LIAISON_STATS_EMAIL_USERS"),
}
