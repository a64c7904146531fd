from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .panels import nav_sections


def navigation(request):
    """The navigation for what the signed-in person's roles may use (items the apps register).

    Worked out only when a template reads it, so the error pages (400, 403, 404), which leave the
    menu out, do not run each item's permission check."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_sections": [], "site_name": settings.SITE_NAME}
    return {
        "nav_sections": SimpleLazyObject(lambda: _sections_for(request, user)),
        "site_name": settings.SITE_NAME,
    }


def _sections_for(request, user):
    # A page rendered in parts (the cached home's content, then the page around it) asks twice:
    # worked out once per person and request.
    kept = getattr(request, "_nav_sections", None)
    if kept is None or kept[0] != user.pk:
        kept = request._nav_sections = (user.pk, nav_sections(user, request.path))
    return kept[1]
