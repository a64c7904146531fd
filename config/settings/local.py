"""Local development: the embedded default (SQLite, eager Celery, console email)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")  # noqa: S105
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="optional")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo's printed sign-ins go straight to each role's home page; set MFA_REQUIRED_ROLES to try
# the two-factor set-up that production requires of staff, coordinators and safeguarding leads.
MFA_REQUIRED_ROLES = env.list("MFA_REQUIRED_ROLES", default=[])
