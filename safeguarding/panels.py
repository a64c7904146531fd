"""Home-page panels: DSLs see concerns waiting for them; coordinators see messages held for review."""

from accounts.models import Role
from core.panels import Panel, register_home_panel, register_nav_item
from mentoring.selectors import partner_overview

from . import selectors
from .policies import overseen_partner_ids


def concerns_panel(request):
    waiting, open_count = selectors.concerns_waiting_and_open(user=request.user)
    return Panel("safeguarding/panels/concerns.html", {"waiting": waiting, "open_count": open_count})


def held_messages_panel(request):
    # What the panel shows of each message: who wrote to whom, why it is held, when it was sent.
    held = selectors.first_held_messages(user=request.user)
    if not held:
        return None
    return Panel("safeguarding/panels/held_messages.html", {"held": held})


def young_mentees_panel(request):
    """The youth partners a safeguarding lead covers, and the mentees under 18 there."""
    user = request.user
    partner_ids = user.safeguarding_partner_ids
    young_mentees, young_mentee_total = selectors.young_mentees_covered_by(user=user)
    return Panel(
        "safeguarding/panels/young_mentees.html",
        {
            "partners": partner_overview(partner_ids),
            "young_mentees": young_mentees,
            "young_mentee_total": young_mentee_total,
            "assignments": selectors.safeguarding_lead_assignments(user=user),
        },
    )


def worry_panel(request):
    return Panel("safeguarding/panels/worry.html", {})


register_home_panel(Role.SAFEGUARDING_LEAD, concerns_panel, order=5)
register_home_panel(Role.SAFEGUARDING_LEAD, held_messages_panel, order=6)
register_home_panel(Role.SAFEGUARDING_LEAD, young_mentees_panel, order=60)
register_home_panel(Role.COORDINATOR, held_messages_panel, order=5)
register_home_panel(Role.MENTOR, worry_panel, order=5)
register_home_panel(Role.MENTEE, worry_panel, order=5)


def _has_threads(user) -> bool:
    return bool(user.roles & {Role.MENTOR, Role.MENTEE}) or bool(overseen_partner_ids(user))


register_nav_item("Messages", "safeguarding:thread_list", _has_threads, order=40, section="Relationships")
register_nav_item("Meetings", "safeguarding:meeting_list", _has_threads, order=45, section="Relationships")
register_nav_item(
    "Gifts",
    "safeguarding:gift_list",
    lambda user: user.is_programme_staff or Role.MENTOR in user.roles,
    order=42,
    section="Safeguarding",
)
register_nav_item(
    "Suspensions",
    "safeguarding:suspension_list",
    lambda user: user.is_programme_staff,
    order=43,
    section="Safeguarding",
)
register_nav_item(
    "Erasures", "safeguarding:erasure_list", lambda user: user.is_programme_staff, order=44, section="Admin"
)
register_nav_item(
    "Concerns",
    "safeguarding:concern_list",
    lambda user: Role.SAFEGUARDING_LEAD in user.roles,
    order=41,
    section="Safeguarding",
)
