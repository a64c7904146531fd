from django.conf import settings

from .panels import nav_items


def navigation(request):
    """The navigation for what the signed-in person's roles may use (items the apps register)."""
    user = getattr(request, "user", None)
    items = nav_items(user) if user is not None and user.is_authenticated else []
    return {"nav_items": items, "site_name": settings.SITE_NAME}
