"""Practica settings, read from the environment (12-factor).

One settings module for every deployment: behaviour that differs between a laptop, CI and
production is switched by environment variables, documented in README.md ("Configuration").
With DEBUG off, an unsafe configuration stops start-up with a message saying what to set.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from lms.languages import SOURCE_LANGUAGE, offered_languages

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# --- Secrets and hosts --------------------------------------------------------------------------
_DEV_SECRET_KEY = "django-insecure-practica-development-only-never-use-in-production-0123456789"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off Practica needs a real secret key: set "
            "SECRET_KEY to a random string of at least 50 characters."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (
    SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for a production start: use a random string of at least 50 "
        "characters with at least 5 distinct characters, not starting with 'django-insecure'."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. With DEBUG off, list the host names this site answers to, "
        "comma-separated (for example ALLOWED_HOSTS=learn.example.org)."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The base of every IRI the site mints (xAPI account homePage, activity ids) and of absolute
# links in e-mails and certificates. No trailing slash.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Applications -------------------------------------------------------------------------------
INSTALLED_APPS = [
    # lms first: its registration/ templates override those of django.contrib.admin.
    "lms",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "guardian",
    "axes",
    "django_countries",
    # The translators' editor of the interface catalogue (lms/translation).
    "rosetta",
    # Practica's apps, lowest layer first (docs/architecture.md, "Layers").
    "courses",
    "progress",
    "frameworks",
    "certificates",
    "organisations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and the other headers, by kind of resource (lms/security.py).
    "lms.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The LRS (/xapi/) answers from here: it needs none of what follows (lms/middleware.py).
    "lms.middleware.XAPIFastPathMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's own language wins over the cookie and Accept-Language.
    "lms.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An ApplicationError reaching a page becomes an error page of its status (lms/errors.py).
    "lms.middleware.ApplicationErrorMiddleware",
    # django-axes must come last: it turns a lockout raised during authentication into a page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"
ASGI_APPLICATION = "lms.asgi.application"

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
                "lms.context_processors.site",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------------
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'practica.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parallel query costs ~20 ms to start workers: worse than useless for the LRS's short
    # indexed queries on a small machine serving many requests at once. Raise it for a
    # reporting replica with cores to spare.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c max_parallel_workers_per_gather={env.int('PG_PARALLEL_WORKERS', default=0)}"
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves content that sends several xAPI requests at once. SQLite
    # refuses ("database is locked") a deferred transaction that read and then wants to write
    # while another writes; BEGIN IMMEDIATE takes the write lock first and waits its turn (up
    # to the timeout) instead. WAL lets pages read while a statement is written.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://practica")}

# --- Users and authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "lms.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Revokes the API tokens when a password changes (lms.auth: a hook, not a rule).
    {"NAME": "lms.auth.RevokeTokensOnPasswordChange"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day; e-mail verification links last as long
# Sign-up and "send the link again" e-mail an address at most once in this many seconds.
VERIFICATION_RESEND_SECONDS = env.int("VERIFICATION_RESEND_SECONDS", default=300)

# Failed log-ins are throttled by django-axes: after AXES_FAILURE_LIMIT failures for one
# e-mail address from one IP address, that pair is locked out for AXES_COOLOFF_TIME.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_CALLABLE = "lms.auth.axes_username"
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None
AXES_VERBOSE = False

# django-guardian: Practica has no anonymous object permissions, so no "AnonymousUser" row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = SOURCE_LANGUAGE
LOCALE_PATHS = [BASE_DIR / "lms" / "locale"]
# The languages offered, in the switcher's order: English and those listed in
# PRACTICA_LANGUAGES (comma-separated codes, e.g. "ro,uk,sr,sr-latn"), or, when it is unset,
# English and every language whose compiled catalogue is in lms/locale (lms/languages.py).
LANGUAGES = offered_languages(env.list("PRACTICA_LANGUAGES", default=[]), LOCALE_PATHS[0])
# One date style per language, everywhere ("7 Dec 2026"): lms/formats/<language>/formats.py,
# read by the ``date`` filter and lms.kits.formats (docs/style.md, "Formats").
FORMAT_MODULE_PATH = ["lms.formats"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_TZ = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

# The interface catalogue in the browser (django-rosetta, /translate/interface/rosetta/), open
# to staff and to translators for their User.translates_into
# (lms/translation/access.py; README, "Translating").
ROSETTA_ACCESS_CONTROL_FUNCTION = "lms.translation.access.can_translate_interface"
# No online translation services: the site reaches no translation API.
ROSETTA_ENABLE_TRANSLATION_SUGGESTIONS = False
# A translator's unsaved work sits in the cache (shared by every worker), not in the session.
ROSETTA_STORAGE_CLASS = "rosetta.storage.CacheRosettaStorage"
# Saving never reloads the server processes (mod_wsgi or uWSGI); the .mo is read at start-up.
ROSETTA_WSGI_AUTO_RELOAD = False
ROSETTA_UWSGI_AUTO_RELOAD = False
# Only our catalogue (LOCALE_PATHS): no other app's, Django's or a third party's.
ROSETTA_EXCLUDED_APPLICATIONS = [
    "courses",
    "progress",
    "frameworks",
    "certificates",
    "organisations",
]
ROSETTA_POFILENAMES = ["django.po"]
# Linux file systems: without it, rosetta makes a temporary file at each look-up to find out.
ROSETTA_CASE_SENSITIVE_FILESYSTEM = True
ROSETTA_MESSAGES_SOURCE_LANGUAGE_CODE = LANGUAGE_CODE
ROSETTA_SHOW_AT_ADMIN_PANEL = False
# How long an uploaded catalogue waits, previewed, for its translator to apply it (seconds).
TRANSLATION_UPLOAD_MAX_AGE_SECONDS = env.int("TRANSLATION_UPLOAD_MAX_AGE_SECONDS", default=3600)

# --- Static and media files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Hashed, compressed static files need `collectstatic`; DEBUG and tests serve from the finders.
STATICFILES_MANIFEST = env.bool("STATICFILES_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATICFILES_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATICFILES_MANIFEST
# A file chosen in a form that failed elsewhere is kept this long for the next submit
# (lms/uploads.py); the worker deletes the unused ones daily.
KEPT_UPLOAD_MAX_AGE_SECONDS = env.int("KEPT_UPLOAD_MAX_AGE_SECONDS", default=86400)

# --- E-mail -------------------------------------------------------------------------------------
vars().update(
    env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Practica <no-reply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Security (production) ----------------------------------------------------------------------
# HTTPS_ONLY turns on every HTTPS-related protection at once; it defaults to on without DEBUG.
HTTPS_ONLY = env.bool("HTTPS_ONLY", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
LANGUAGE_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = env.int(
    "SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365 if HTTPS_ONLY else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS_ONLY)
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Celery -------------------------------------------------------------------------------------
# Unset CELERY_BROKER_URL: tasks run eagerly in the web process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    # An eager task still borrows a producer from the broker's pool; kombu warns when the URL
    # names no host ("No hostname was supplied"), which would say something about a broker
    # that does not exist. The in-memory transport ignores the host it is given.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "lms.record_worker_heartbeat", "schedule": 60.0},
    "purge-kept-uploads": {"task": "lms.purge_kept_uploads", "schedule": 86400.0},
    "cmi5-abandon-stale-sessions": {"task": "progress.abandon_stale_sessions", "schedule": 900.0},
    "reclaim-unused-seats": {"task": "organisations.reclaim_unused_seats", "schedule": 86400.0},
    # The first day of each month, early morning: supervisors' and admins' progress e-mail.
    "monthly-progress-reports": {
        "task": "organisations.send_monthly_reports",
        "schedule": crontab(minute=0, hour=6, day_of_month=1),
    },
}
# A cmi5 session with nothing recorded for this long, and no "terminated", is abandoned.
CMI5_SESSION_TIMEOUT_HOURS = env.int("CMI5_SESSION_TIMEOUT_HOURS", default=4)
# How long the signed path to a paid or unpublished course's files lasts (courses/content.py).
CONTENT_LINK_HOURS = env.int("CONTENT_LINK_HOURS", default=12)
# An invitation to join an organisation can be accepted for this many days after it is sent.
INVITATION_EXPIRY_DAYS = env.int("INVITATION_EXPIRY_DAYS", default=14)
# A report (download) for more members than this is built by the worker, with visible progress.
REPORT_INLINE_MAX_MEMBERS = env.int("REPORT_INLINE_MAX_MEMBERS", default=500)
# A team report page's overview (counts over every selected member) is cached this long.
REPORT_OVERVIEW_CACHE_SECONDS = env.int("REPORT_OVERVIEW_CACHE_SECONDS", default=300)

# --- Notifications (lms/notifications/) ----------------------------------------------------------
# The digests: daily at 07:00, weekly on Monday at 07:00 (TIME_ZONE).
CELERY_BEAT_SCHEDULE["notification-daily-digest"] = {
    "task": "lms.send_daily_digest",
    "schedule": crontab(minute=0, hour=7),
}
CELERY_BEAT_SCHEDULE["notification-weekly-digest"] = {
    "task": "lms.send_weekly_digest",
    "schedule": crontab(minute=0, hour=7, day_of_week=1),
}
# A one-click unsubscribe link in a notification e-mail works this many days.
NOTIFICATION_UNSUBSCRIBE_MAX_AGE_DAYS = env.int(
    "NOTIFICATION_UNSUBSCRIBE_MAX_AGE_DAYS", default=180
)
# Learners hear once that a course or journey assigned to them is due within this many days.
DUE_DATE_REMINDER_DAYS = env.int("DUE_DATE_REMINDER_DAYS", default=7)
CELERY_BEAT_SCHEDULE["due-date-reminders"] = {
    "task": "organisations.send_due_date_reminders",
    "schedule": crontab(minute=15, hour=6),
}

# --- Certificates -------------------------------------------------------------------------------
# Serial numbers read PREFIX-YEAR-NNNNNN (PRA-2026-000123), counted per year.
CERTIFICATE_SERIAL_PREFIX = env.str("CERTIFICATE_SERIAL_PREFIX", default="PRA")
# The organisation that issues certificates, printed top right (a logo file in media storage,
# or its name).
CERTIFICATE_ISSUER_NAME = env.str("CERTIFICATE_ISSUER_NAME", default="Practica")
CERTIFICATE_ISSUER_LOGO = env.str("CERTIFICATE_ISSUER_LOGO", default="")
# Learners are e-mailed once when a valid certificate expires within this many days.
CERTIFICATE_RENEWAL_REMINDER_DAYS = env.int("CERTIFICATE_RENEWAL_REMINDER_DAYS", default=30)
# Evidence bundles of more records than this are built by the worker, with progress.
EVIDENCE_BUNDLE_INLINE_MAX = env.int("EVIDENCE_BUNDLE_INLINE_MAX", default=100)
CELERY_BEAT_SCHEDULE["certificate-renewal-reminders"] = {
    "task": "certificates.send_renewal_reminders",
    "schedule": crontab(minute=30, hour=6),
}
# Learners who have not met a CPD rule set are e-mailed once when its cycle ends within this
# many days.
CPD_CYCLE_REMINDER_DAYS = env.int("CPD_CYCLE_REMINDER_DAYS", default=60)
CELERY_BEAT_SCHEDULE["cpd-cycle-reminders"] = {
    "task": "certificates.send_cpd_cycle_reminders",
    "schedule": crontab(minute=45, hour=6),
}

# --- REST API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated request gets 401 with "WWW-Authenticate: Token".
        # DRF's, answering in the token owner's language (lms/auth.py).
        "lms.auth.LanguageTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "lms.api_views.exception_handler",
    # Public certificate verification (page and API share it), per client address.
    "DEFAULT_THROTTLE_RATES": {
        "verification": env.str("VERIFICATION_RATE", default="30/minute"),
    },
    # The client's address: the connection's own, or the one the PROXY_COUNT proxies in front
    # report in X-Forwarded-For. Left unset, DRF would believe any X-Forwarded-For a client
    # sends and a throttle could be dodged by making one up.
    "NUM_PROXIES": env.int("PROXY_COUNT", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Practica API",
    "DESCRIPTION": "Learning management and CPD accreditation: courses, progress, competence "
    "frameworks, certificates and organisations. The xAPI Learning Record Store is served "
    "under /xapi/ and follows the xAPI specification rather than this document.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# auth.W004 asks for a unique USERNAME_FIELD; the e-mail address is unique regardless of case by
# the lms_user_email_ci_unique constraint, which is stricter, and log-in looks it up with iexact.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # models.W047: SQLite cannot enforce a unique constraint with NULLS NOT DISTINCT (two
    # top-level units of one name); full_clean() in organisations.services still refuses them.
    SILENCED_SYSTEM_CHECKS.append("models.W047")

# xAPI attachments arrive in the request body (multipart/mixed); Django's 2.5 MB default would
# refuse them before the LRS can answer. Forms are unaffected by anything this size.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_REQUEST_BYTES", default=50 * 1024 * 1024)
# What one LRS request may hold, whoever sends it (413 beyond): a statement's JSON, the statements
# of one batch, a State or Profile document. Real content stays far below (a cmi5 statement is
# 1-3 KB, suspend data some KB); attachments count towards MAX_REQUEST_BYTES only.
LRS_MAX_STATEMENT_BYTES = env.int("LRS_MAX_STATEMENT_BYTES", default=256 * 1024)
LRS_MAX_BATCH_STATEMENTS = env.int("LRS_MAX_BATCH_STATEMENTS", default=1000)
LRS_MAX_DOCUMENT_BYTES = env.int("LRS_MAX_DOCUMENT_BYTES", default=2 * 1024 * 1024)
