"""Home-page panels: DSLs see concerns waiting for them; coordinators see messages held for review."""

from accounts.models import Role
from core.home_cache import by_fields, register_home_dependency, register_not_on_home
from core.panels import Panel, register_home_panel, register_nav_item
from mentoring.home_cache import relationship_scopes
from mentoring.selectors import partner_overview

from . import selectors
from .models import (
    CaseEntry,
    CaseExport,
    GiftDeclaration,
    MeetingRequest,
    MentorSuspension,
    Message,
    MessageAttachment,
    OutboxMessage,
    SubjectAccessExport,
)
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


# What the cached home pages show of this app's rows (see core.home_cache): messages and meeting
# requests belong to a relationship; held messages show on its coordinators' home pages.
register_home_dependency(Message, lambda row: relationship_scopes(pk=row.relationship_id))
register_home_dependency(MeetingRequest, lambda row: relationship_scopes(pk=row.relationship_id))
register_home_dependency(MessageAttachment, lambda row: relationship_scopes(messages=row.message_id))
register_home_dependency(MentorSuspension, by_fields(users=["mentor"]))
register_home_dependency(GiftDeclaration, by_fields(users=["mentor"]))
# Case records, their exports, people's data exports and the email outbox show on no cached home page.
register_not_on_home(CaseEntry, CaseExport, OutboxMessage, SubjectAccessExport)
