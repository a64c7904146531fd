"""Home-page panels: DSLs see concerns waiting for them; coordinators see messages held for review."""

from accounts.models import Role
from core.panels import Panel, register_home_panel, register_nav_item

from . import selectors
from .policies import overseen_partner_ids


def concerns_panel(request):
    user = request.user
    waiting = list(selectors.concerns_awaiting_acknowledgement(user=user)[:10])
    open_count = selectors.concerns_visible_to(user=user).exclude(status="closed").count()
    return Panel("safeguarding/panels/concerns.html", {"waiting": waiting, "open_count": open_count})


def held_messages_panel(request):
    held = list(selectors.held_messages_for(user=request.user)[:10])
    if not held:
        return None
    return Panel("safeguarding/panels/held_messages.html", {"held": held})


def worry_panel(request):
    return Panel("safeguarding/panels/worry.html", {})


register_home_panel(Role.SAFEGUARDING_LEAD, concerns_panel, order=5)
register_home_panel(Role.SAFEGUARDING_LEAD, held_messages_panel, order=6)
register_home_panel(Role.COORDINATOR, held_messages_panel, order=5)
register_home_panel(Role.MENTOR, worry_panel, order=5)
register_home_panel(Role.MENTEE, worry_panel, order=5)


def _has_threads(user) -> bool:
    return bool(user.roles & {Role.MENTOR, Role.MENTEE}) or bool(overseen_partner_ids(user))


register_nav_item("Messages", "safeguarding:thread_list", _has_threads, order=40)
register_nav_item("Meetings", "safeguarding:meeting_list", _has_threads, order=45)
register_nav_item(
    "Gifts",
    "safeguarding:gift_list",
    lambda user: user.is_programme_staff or Role.MENTOR in user.roles,
    order=42,
)
register_nav_item(
    "Suspensions", "safeguarding:suspension_list", lambda user: user.is_programme_staff, order=43
)
register_nav_item("Erasures", "safeguarding:erasure_list", lambda user: user.is_programme_staff, order=44)
register_nav_item(
    "Concerns", "safeguarding:concern_list", lambda user: Role.SAFEGUARDING_LEAD in user.roles, order=41
)
