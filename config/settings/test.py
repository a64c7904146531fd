"""Test settings: fast hashing, eager Celery, in-memory email, plain static files."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # the test settings only  # nosec B105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# CI exports the broker so /healthz can be checked against real Redis; tasks still run eagerly.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = False
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# The tests ask for thousands of pages as people who may not see them (the permission matrix, the
# walks over every URL): each refusal (403, 404, 405) would be logged as a warning, formatted with
# its traceback for every handler, and nothing reads it. Server errors are still logged.
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {**LOGGING["loggers"], "django.request": {"level": "ERROR"}},  # noqa: F405
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A commit in the tests (the browser tests' live server, the tests that commit, flushes) need not
    # wait for PostgreSQL to write it to disk: a crash would lose only a throw-away test database.
    # What is committed is seen by every connection exactly as before.
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"  # noqa: F405
