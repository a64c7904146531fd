import functools
import logging

from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.response import Response

from .api_schema import public_schema

logger = logging.getLogger(__name__)


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _check_broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness for load balancers: the database and the broker must answer."""
    checks = {}
    healthy = True
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            checks[name] = check()
        except Exception as error:  # any failure means unhealthy, whatever its type
            logger.warning("healthz: %s check failed: %s", name, type(error).__name__)
            checks[name] = "error"
            healthy = False
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, served from the copy generated once per process (`public_schema`)."""

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        return Response(
            data=public_schema(version, translation.get_language()),
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )


# Swagger UI styles itself inline and draws icons from data: URIs; its script is served separately.
# Signed-in people only, like the schema it reads; visitors are sent to sign in.
api_docs = login_required(
    csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(
        SpectacularSwaggerSplitView.as_view(url_name="api:api-schema")
    )
)


def page_not_found(request, exception=None):
    """Under /api/ a missing address answers in JSON, like every other API answer; elsewhere the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


@functools.cache
def _favicon_bytes() -> bytes:
    return (settings.BASE_DIR / "static" / "img" / "favicon.ico").read_bytes()


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on every page, whatever the page links to."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response
