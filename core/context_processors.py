from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .memo import once_per_request
from .panels import nav_sections


def navigation(request):
    """The navigation for what the signed-in person's roles may use (items the apps register).

    Worked out only when a template reads it, so the error pages (400, 403, 404), which leave the
    menu out, do not run each item's permission check."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": [], "site_name": settings.SITE_NAME}
    return {
        # A page rendered in parts (the cached home's content, then the page around it) asks twice.
        "nav_sections": SimpleLazyObject(
            lambda: once_per_request(request, "nav_sections", lambda: nav_sections(user, request.path))
        ),
        "site_name": settings.SITE_NAME,
    }
