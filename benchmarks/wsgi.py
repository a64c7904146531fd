"""WSGI for the home page benchmark: the project, plus a bare 20-row page as the floor."""

import os

import django
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django.setup()

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "benchmarks.urls"
application = get_wsgi_application()
