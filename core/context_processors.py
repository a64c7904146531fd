from django.conf import settings

from .panels import nav_sections


def navigation(request):
    """The navigation for what the signed-in person's roles may use (items the apps register)."""
    user = getattr(request, "user", None)
    sections = nav_sections(user, request.path) if user is not None and user.is_authenticated else []
    return {"nav_sections": sections, "site_name": settings.SITE_NAME}
