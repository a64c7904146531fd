from django.conf import settings
from django.urls import reverse

from accounts.models import Role

from .panels import nav_items


def navigation(request):
    """The navigation for what the signed-in person's roles may use."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append(("Home", reverse("home")))
        roles = user.roles
        staff = user.is_programme_staff
        if staff or roles & {Role.COORDINATOR, Role.SAFEGUARDING_LEAD}:
            items.append(("Mentees", reverse("mentoring:mentee_list")))
            items.append(("Mentors", reverse("mentoring:mentor_list")))
            items.append(("Youth partners", reverse("mentoring:partner_list")))
        if staff or Role.FUNDER in roles:
            items.append(("Programmes", reverse("mentoring:programme_list")))
        if Role.FUNDER in roles and not staff:
            items.append(("Youth partners", reverse("mentoring:partner_list")))
        items.extend(nav_items(user))
        if staff:
            items.append(("Audit log", reverse("accounts:audit_log")))
        items.append(("My profile", reverse("accounts:profile")))
    return {"nav_items": items, "site_name": settings.SITE_NAME}
