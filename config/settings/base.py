"""Settings shared by every environment. Everything is read from the environment.

With nothing set, the project runs embedded: a SQLite file, Celery tasks run eagerly
in-process and email is printed to the console.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = env("SITE_NAME", default="MentorBridge")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    # Third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    # Ours
    "core",
    "programmes",
    "accounts",
    "recruitment",
    "mentoring",
    "matching",
    "training",
    "safeguarding",
    "evaluation",
    "resources",
    "community",
    "home",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.security.SessionTimeoutMiddleware",
    "accounts.security.RequireMFAMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.NoStoreForPersonalDataMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

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
                "core.context_processors.navigation",
            ],
            # `{% url %}` and `{% static %}` with addresses worked out once per process (core.links).
            "builtins": ["core.templatetags.links"],
        },
    },
]

# Database: SQLite file by default, DATABASE_URL otherwise. Persistent connections with
# health checks: a 20-row page serves about four times the requests per second.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles any query its planner costs above 100,000 (an aggregate over 10,000
    # relationships): seconds of compiling for a query that runs in milliseconds. Pages' queries are
    # short; JIT stays off for them (benchmarks/home_pages.py, docs/benchmarks.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        # Prepared queries (core/prepared.py) run as prepared statements, each planned once per
        # connection: planning was most of their time in PostgreSQL. Only their cursors prepare
        # (Django's own never do), so the threshold at which psycopg would prepare any other
        # statement is never reached. Set DATABASE_PREPARED_STATEMENTS=false behind a pooler that
        # does not keep prepared statements (PgBouncer before 1.21 in transaction mode).
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 2**31 - 1
# The embedded SQLite default serves concurrent requests: write-ahead logging lets readers go on while
# one request writes; writers wait for each other (up to SQLITE_BUSY_TIMEOUT seconds) instead of
# failing with "database is locked", and take the write lock when their transaction starts, so two
# readers that both decide to write cannot deadlock (core/tests/test_sqlite_concurrency.py).
SQLITE_BUSY_TIMEOUT = env.int("SQLITE_BUSY_TIMEOUT", default=20)
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": SQLITE_BUSY_TIMEOUT,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "landing"

# django-allauth: email is the login; verification is mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# Wrong passwords count against the account (5 in 5 minutes locks that account only) and, apart,
# against the address: LOGIN_FAILURES_PER_ADDRESS in LOGIN_FAILURES_ADDRESS_WINDOW seconds before
# an address is slowed, and even then browsers that have signed in to the account before get in
# (accounts/sign_in_limits.py). The address is REMOTE_ADDR unless it is one of TRUSTED_PROXIES.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key", "login": "300/m/ip", "reauthenticate": "10/m/user"}
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=100)
LOGIN_FAILURES_ADDRESS_WINDOW = env.int("LOGIN_FAILURES_ADDRESS_WINDOW", default=5 * 60)
# The reverse proxies (addresses or networks, e.g. 10.0.0.0/8) whose X-Forwarded-For is believed.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")

# Account security: MFA (TOTP with recovery codes) for the roles that see children's data; fresh
# re-authentication before changing email, password or MFA; idle and absolute session limits.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_REQUIRED_ROLES = env.list(
    "MFA_REQUIRED_ROLES", default=["programme_staff", "coordinator", "safeguarding_lead"]
)
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# API keys expire this many days after they are created (their owner or staff can revoke them sooner).
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=90)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)

# Content Security Policy: everything is served from this site; no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: console unless EMAIL_URL (e.g. smtp+tls://user:pass@host:587) is set, or EMAIL_FILE_PATH
# (a folder: each message is written to a file there; `make demo` uses it, the chaos script counts them).
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif env("EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# A mail server that stops answering fails the send (to be retried) instead of holding a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="MentorBridge <no-reply@mentorbridge.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MentorBridge API",
    "DESCRIPTION": "Programmes, youth partners, cohorts, people and relationships. "
    "Every endpoint answers only with what the signed-in user may see.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema names every field (phone numbers and addresses among them): signed-in people only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api_schema.add_error_responses",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RelationshipStatusEnum": "mentoring.models.Relationship.Status",
        "EndReasonEnum": "mentoring.models.EndReason",
        "SessionStatusEnum": "mentoring.models.MentoringSession.Status",
        "GoalStatusEnum": "mentoring.models.Goal.Status",
        "TopicEnum": "mentoring.models.Topic",
        "ScreeningCheckStatusEnum": "recruitment.models.ScreeningCheck.CheckStatus",
        "HeldTextStatusEnum": "mentoring.models.HeldText.Status",
        "HeldTextKindEnum": "mentoring.models.HeldText.Kind",
    },
}

# Celery: Redis broker in production; eager in-process when no broker is configured.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
# A Redis transport whose channels close cleanly after the broker is gone; with kombu's own, a worker
# running a task exits when Redis restarts (config/broker.py says why).
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT = "config.broker:Transport"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A task is acknowledged only when it has finished; if its worker dies it goes back on the queue.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The longest task (a national matching round or a large report) is capped at 15 minutes.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Must exceed the longest task, or a running task would be handed to a second worker.
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
    # Sweep for messages abandoned by a dead worker every few seconds instead of rarely.
    "unacked_restore_interval": 5,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 5,
    "retry_on_timeout": True,
}
# Durable work: every batch that matters (emails, bulletins, certificates, reports, matching rounds) is
# recorded in PostgreSQL before its task is queued. Periodic tasks queue again what is still waiting
# this many seconds after it was recorded (its task was lost with the broker), and take back what
# was claimed this long ago and never finished (its worker died). Claims are conditional UPDATEs and
# results are written once, so running a piece of work twice never doubles its result.
WORK_REQUEUE_AFTER = env.int("WORK_REQUEUE_AFTER", default=120)
WORK_STALE_AFTER = env.int("WORK_STALE_AFTER", default=CELERY_TASK_TIME_LIMIT + 60)
# An email claimed this long ago and never marked sent is sent again (sending takes EMAIL_TIMEOUT at most).
EMAIL_STALE_AFTER = env.int("EMAIL_STALE_AFTER", default=10 * EMAIL_TIMEOUT)
# A safeguarding alert claimed this long ago and not marked done is handled again by the next dispatch
# (the dispatch task's hard limit is 3 minutes, so its worker has died).
SAFEGUARDING_OUTBOX_STALE_AFTER = env.int("SAFEGUARDING_OUTBOX_STALE_AFTER", default=10 * 60)
# How often beat looks for such work (seconds).
WORK_RESUME_EVERY = env.float("WORK_RESUME_EVERY", default=60.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Every periodic task is declared here and nowhere else.
CELERY_BEAT_SCHEDULE = {
    "email-outbox": {"task": "core.tasks.email_outbox_flush", "schedule": WORK_RESUME_EVERY},
    "training-certificates-resume": {
        "task": "training.tasks.certificates_resume",
        "schedule": WORK_RESUME_EVERY,
    },
    "evaluation-reports-resume": {"task": "evaluation.tasks.reports_resume", "schedule": WORK_RESUME_EVERY},
    "matching-rounds-resume": {"task": "matching.tasks.rounds_resume", "schedule": WORK_RESUME_EVERY},
    "recruitment-link-emails-resume": {
        "task": "recruitment.tasks.link_emails_resume",
        "schedule": WORK_RESUME_EVERY,
    },
    "safeguarding-outbox": {
        "task": "safeguarding.tasks.outbox_dispatch",
        "schedule": 60.0,
    },
    "safeguarding-retention": {
        "task": "safeguarding.tasks.retention_run",
        "schedule": crontab(hour=2, minute=41),
    },
    "clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    "evaluation-survey-reminders": {
        "task": "evaluation.tasks.send_survey_reminders",
        "schedule": crontab(hour=9, minute=30),
    },
    "background-check-renewal-reminders": {
        "task": "recruitment.tasks.send_renewal_reminders",
        "schedule": crontab(hour=8, minute=50),
    },
    "training-deadline-reminders": {
        "task": "training.tasks.send_training_reminders",
        "schedule": crontab(hour=9, minute=5),
    },
    "matching-interest-expiry": {
        "task": "matching.tasks.interests_expire",
        "schedule": crontab(minute=20),
    },
    "mentoring-reminders": {"task": "mentoring.tasks.send_reminders", "schedule": crontab(minute=5)},
    # Picks up a bulletin whose sending stopped part-way (a worker died): only the rest are sent.
    "resources-resume-bulletins": {"task": "resources.tasks.resume_bulletins", "schedule": WORK_RESUME_EVERY},
    "mentoring-monthly-digest": {
        "task": "mentoring.tasks.send_monthly_digest",
        "schedule": crontab(day_of_month=1, hour=7, minute=30),
    },
}

# Safeguarding: hours a DSL has to acknowledge a concern before it escalates to the programme DSL,
# and words in messages that alert the DSL.
SAFEGUARDING_ACKNOWLEDGE_HOURS = env.int("SAFEGUARDING_ACKNOWLEDGE_HOURS", default=4)
SAFEGUARDING_RISK_WORDS = env.list(
    "SAFEGUARDING_RISK_WORDS",
    default=[
        "kill myself",
        "suicide",
        "self harm",
        "self-harm",
        "hurt myself",
        "abuse",
        "secret",
        "don't tell",
        "meet up",
        "alone",
        "send a photo",
        "hit me",
        "scared",
        "run away",
    ],
)

# Message text is kept this long after a relationship ends; gifts above this value need approval.
MESSAGE_RETENTION_YEARS = env.int("MESSAGE_RETENTION_YEARS", default=6)
# A data export (ZIP) can be downloaded for this many days; the nightly retention job removes it.
DATA_EXPORT_DAYS = env.int("DATA_EXPORT_DAYS", default=7)
GIFT_APPROVAL_THRESHOLD = env("GIFT_APPROVAL_THRESHOLD", default="25.00")

CACHES = {
    "default": (
        env.cache("CACHE_URL")
        if env("CACHE_URL", default="")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every rendering step at INFO.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
