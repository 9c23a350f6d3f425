"""Settings for the service-desk portal, read from the environment (see .env.example).

The defaults give the embedded set-up: SQLite in WAL mode, the database cache, the database
task queue and the console SMS backend, so one command starts everything on a laptop.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's widget templates for the project's template engine (desk.cases.forms'
    # PortalFormRenderer renders citizen forms with it).
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_jalali",
    "django_tasks",
    "desk.third_party.TasksConfig",
    "import_export",
    "csp",
    "desk.third_party.AxesConfig",
    "auditlog",
    "desk",
    "complaints",
    "appointments",
    "processes",
    "contacts",
    "surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages go out compressed (static files are pre-compressed by WhiteNoise, above it).
    # BREACH: Django pads every gzipped page with random bytes and masks the CSRF token anew
    # on each response, so a secret cannot be read off the compressed length.
    "django.middleware.gzip.GZipMiddleware",
    "desk.csp.PortalCSPMiddleware",
    "desk.charsets.RefuseUnreadableCharsetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "desk.middleware.PersianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "desk.middleware.StripControlCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Who makes a change to a reference table, for its audit record.
    "auditlog.middleware.AuditlogMiddleware",
    # A staff session ends after STAFF_IDLE_MINUTES without a request.
    "desk.middleware.StaffIdleTimeoutMiddleware",
    # Last, as django-axes requires: it answers a locked-out login.
    "axes.middleware.AxesMiddleware",
]

# Repeated failed logins (django-axes): after AXES_FAILURE_LIMIT failures, the account and,
# separately, the address are locked for AXES_COOLOFF_TIME; a successful login clears them.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "desk.ratelimit.client_address"
AXES_LOCKOUT_TEMPLATE = "errors/lockout.html"
AXES_VERBOSE = False
# The audit record (django-auditlog): who changed which reference row, when, from what to
# what. Cases need none: their timeline records every step with its actor.
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "desk.department", "m2m_fields": {"staff"}},
    "desk.holiday",
    "desk.siteprofile",
    "complaints.complaintcategory",
    "complaints.replytemplate",
    "appointments.replytemplate",
    "processes.replytemplate",
    "appointments.host",
    "appointments.meetingsession",
    "appointments.bookingwindow",
    "processes.servicecategory",
    {"model": "processes.service", "exclude_fields": ["updated_at", "search_text"]},
    "processes.servicestep",
    "processes.requireddocument",
    "processes.servicefee",
    "processes.servicequestion",
    {"model": "contacts.contact", "exclude_fields": ["search_text"]},
    "surveys.survey",
    "surveys.question",
    {"model": "auth.user", "exclude_fields": ["password", "last_login"], "m2m_fields": {"groups"}},
    {"model": "auth.group", "m2m_fields": {"permissions"}},
)
# The address behind the proxy is not the client's, and a staff member is known by name.
AUDITLOG_DISABLE_REMOTE_ADDR = True

# Staff sessions expire after this long without a request (citizens' tracking sessions keep
# SESSION_COOKIE_AGE).
STAFF_IDLE_MINUTES = env.int("STAFF_IDLE_MINUTES", default=30)

ROOT_URLCONF = "config.urls"

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
                "desk.context_processors.site",
                "desk.context_processors.nav",
            ],
            "builtins": ["desk.templatetags.desk_tags"],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let several server processes write without
    # queueing on the write lock or failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so that tests can start other processes on the same database.
    DATABASES["default"]["TEST"] = {
        "NAME": env.str("TEST_SQLITE_NAME", default=str(BASE_DIR / ".pytest-db.sqlite3"))
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compilation: it costs the report's aggregates over a quarter seconds
    # of compiling for milliseconds of gain (measured on 160,000 complaints: 2.1 s of 7.4 s),
    # and the portal's other queries are too short to profit.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Kept open between requests: on SQLite too, where each new connection re-registers Django's
# functions and re-runs the PRAGMAs (measured: a tenth of a light page's CPU).
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, rate limits ---------------------------------------------------------------
# Shared by every server process: Redis in production, the database cache (not local memory)
# in the embedded set-up. Rate limits live in Redis when it is the cache, else in their own
# table (desk/ratelimit.py): never in the database cache, whose culling would forget hits.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "desk",
        }
    }
    SESSION_ENGINE = "desk.sessions.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "desk_cache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
    SESSION_ENGINE = "desk.sessions.db"
# Each process's own memory, for what every page shows and almost never changes (the site
# profile, the footer): no query or round trip at all. The process that saves a change
# forgets it at once; the others within LOCAL_CACHE_SECONDS (desk/fragments.py).
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "desk",
    # The layout of each page a visitor opened, per language: a case page has its own.
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
LOCAL_CACHE_SECONDS = env.int("LOCAL_CACHE_SECONDS", default=60)

# --- Background tasks ---------------------------------------------------------------------------
TASKS = {
    "default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}
}
# Finished task results (one row per run) are deleted after this many days.
TASK_RESULTS_KEEP_DAYS = env.int("TASK_RESULTS_KEEP_DAYS", default=14)

# --- Authentication -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "desk.validators.PersianMinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# --- Language and time --------------------------------------------------------------------------
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Third-party front-end packages come from npm (package-lock.json); only their built
# files are collected and served by us, never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    # The font's non-Latin subset (48 KB, against 111 KB for the full font): Latin letters
    # fall back to the system font, which reads them as well.
    ("vendor/vazirmatn", NODE_MODULES / "vazirmatn" / "misc" / "Non-Latin" / "fonts" / "webfonts"),
    # The back office's Jalali date picker (no jQuery); the pages load only its .min files.
    ("vendor/jalalidatepicker", NODE_MODULES / "@majidh1" / "jalalidatepicker" / "dist"),
]
# The municipality's emblem in the header: a path among the static files. It ships with a
# release rather than being uploaded, because uploads are private (never served publicly); put
# the municipality's own SVG or PNG in static/img/ and name it here.
SITE_EMBLEM = env.str("SITE_EMBLEM", default="img/emblem.svg")
STORAGES = {
    # Uploads live outside any public URL and are served only through checked views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env.bool("PLAIN_STATIC_STORAGE", default=DEBUG)
            else "desk.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Forms --------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- SMS ----------------------------------------------------------------------------------------
SMS_BACKEND = env.str("SMS_BACKEND", default="console")
KAVENEGAR_API_KEY = env.str("KAVENEGAR_API_KEY", default="")
KAVENEGAR_SENDER = env.str("KAVENEGAR_SENDER", default="")
# Message kinds sent through Kavenegar's approved templates (verify/lookup) rather than
# plain sms/send: {"kind": "template-name-in-the-kavenegar-panel"}.
KAVENEGAR_TEMPLATES = env.dict("KAVENEGAR_TEMPLATES", default={})
# Transient sending failures (provider down, no credit) are retried, at most every half an
# hour, for this many hours after a message is queued; then it fails and the admins are told.
SMS_RETRY_HOURS = env.int("SMS_RETRY_HOURS", default=24)

# --- Business calendar --------------------------------------------------------------------------
# Python weekday numbers: Monday is 0, Friday is 4.
DESK_WEEKEND_DAYS = env.list("DESK_WEEKEND_DAYS", cast=int, default=[4])

# --- Rate limits --------------------------------------------------------------------------------
# Sliding windows (desk/ratelimit.py): per scope, what is counted → (hits, period in seconds).
# Thousands of phones share one address behind a mobile carrier's NAT, so the per-address
# limits are loose and what identifies the person (the mobile, the code being guessed) carries
# the strict ones. Tracking look-ups count per address; failed ones also per code and mobile.
TRACKING_PERIOD = env.int("TRACKING_RATE_PERIOD", default=600)
RATE_LIMITS = {
    "track": {
        "address": (env.int("TRACKING_RATE_LIMIT", default=60), TRACKING_PERIOD),
        "code": (env.int("TRACKING_RATE_LIMIT_PER_CODE", default=10), TRACKING_PERIOD),
        "mobile": (env.int("TRACKING_RATE_LIMIT_PER_MOBILE", default=10), TRACKING_PERIOD),
    },
    "complaint": {
        "address": (
            env.int("COMPLAINT_RATE_LIMIT_PER_ADDRESS", default=60),
            env.int("COMPLAINT_RATE_PERIOD_PER_ADDRESS", default=3600),
        ),
        "mobile": (
            env.int("COMPLAINT_RATE_LIMIT_PER_MOBILE", default=5),
            env.int("COMPLAINT_RATE_PERIOD_PER_MOBILE", default=86400),
        ),
    },
    "appointment": {
        "address": (
            env.int("APPOINTMENT_RATE_LIMIT_PER_ADDRESS", default=60),
            env.int("APPOINTMENT_RATE_PERIOD_PER_ADDRESS", default=3600),
        ),
        "mobile": (
            env.int("APPOINTMENT_RATE_LIMIT_PER_MOBILE", default=5),
            env.int("APPOINTMENT_RATE_PERIOD_PER_MOBILE", default=86400),
        ),
    },
    # The general desk survey, open to anyone: a few answers per address.
    "survey": {
        "address": (
            env.int("SURVEY_RATE_LIMIT_PER_ADDRESS", default=5),
            env.int("SURVEY_RATE_PERIOD_PER_ADDRESS", default=3600),
        ),
    },
    "service_request": {
        "address": (
            env.int("SERVICE_REQUEST_RATE_LIMIT_PER_ADDRESS", default=60),
            env.int("SERVICE_REQUEST_RATE_PERIOD_PER_ADDRESS", default=3600),
        ),
        "mobile": (
            env.int("SERVICE_REQUEST_RATE_LIMIT_PER_MOBILE", default=5),
            env.int("SERVICE_REQUEST_RATE_PERIOD_PER_MOBILE", default=86400),
        ),
    },
}
# Re-sending a case's tracking code to its own mobile (asked for by filing again while it is
# open): at most this many SMS a day per case.
CODE_RESENDS_PER_DAY = env.int("CODE_RESENDS_PER_DAY", default=3)

# The site's address as citizens reach it: survey invitations' SMS links start with it.
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000")
# A survey invitation's link works this many days after the case ended.
SURVEY_INVITATION_DAYS = env.int("SURVEY_INVITATION_DAYS", default=14)
# Set when the portal runs behind a reverse proxy that writes X-Forwarded-For.
USE_X_FORWARDED_FOR = env.bool("USE_X_FORWARDED_FOR", default=False)

# --- Security -----------------------------------------------------------------------------------
# Production is HTTPS only, behind a reverse proxy that sets X-Forwarded-Proto (README,
# Production): every default below is the strict one when DEBUG is off and off in development,
# which runs on plain http://127.0.0.1:8000.
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Paths (regular expressions, no leading slash) still answered over plain HTTP, e.g. a health
# check the proxy makes on the loopback address: "^healthz/$".
SECURE_REDIRECT_EXEMPT = env.list("SECURE_REDIRECT_EXEMPT", default=[])
# One year. Browsers remember it: lower it (not to 0 at once) before leaving HTTPS.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# Tracking codes are in case-page addresses: no other site learns them from a link.
SECURE_REFERRER_POLICY = env.str("SECURE_REFERRER_POLICY", default="same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = env.str(
    "SECURE_CROSS_ORIGIN_OPENER_POLICY", default="same-origin"
)
# Error pages that need no database, session or CSRF token (desk/errors.py).
CSRF_FAILURE_VIEW = "desk.errors.csrf_failure"

# Nothing inline: every script and style is a file under /static/. The back office adds three
# hashed attributes of django-import-export's export page, on its own pages only (desk/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Errors to the site admins -----------------------------------------------------------------
# ADMINS=name:email,name2:email2 (or just the addresses) get every ERROR log record by e-mail,
# an SMS that finally failed among them. EMAIL_URL e.g. smtp+tls://user:password@host:587.
ADMINS = [
    (name or email, email)
    for name, _sep, email in (admin.rpartition(":") for admin in env.list("ADMINS", default=[]))
]
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
SERVER_EMAIL = env.str("SERVER_EMAIL", default="root@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # On every handler: Kavenegar's API key is in its URLs, and so in HTTP error texts.
    "filters": {"redact_secrets": {"()": "desk.redaction.RedactSecretsFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["redact_secrets"],
        },
    },
    "root": {
        "handlers": ["console", "mail_admins"] if ADMINS else ["console"],
        "level": env.str("LOG_LEVEL", default="INFO"),
    },
    "loggers": {
        # Django's default handlers for "django" would print and mail its records a second
        # time, unfiltered: they go to the root handlers above instead.
        "django": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "INFO"},
    },
}
