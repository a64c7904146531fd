"""Home-page panels and navigation for recruitment."""

from accounts.models import Role
from core import policy
from core.panels import Panel, register_home_panel, register_nav_item
from recruitment.models import Application, MenteeImport

from . import selectors


def _mentor_application_panel(request):
    """An approved mentor still waiting for a match is told so, honestly."""
    status = selectors.latest_mentor_application_status(request.user)
    if status is None:
        return None
    waiting = status == Application.Status.APPROVED and not selectors.signed_in_mentor_is_busy(request)
    return Panel(
        "recruitment/panels/mentor_application.html",
        {"status_label": Application.Status(status).label, "waiting": waiting},
    )


def _mentee_consent_panel(request):
    profile = request.user.mentee_placement
    if profile is None or not profile.is_under_16:
        return None
    return Panel(
        "recruitment/panels/mentee_consent.html",
        {"given": selectors.consent_given(request.user)},
    )


def _coordinator_panel(request):
    return Panel("recruitment/panels/coordinator.html", {})


def register():
    register_home_panel(Role.MENTOR, _mentor_application_panel, order=10)
    register_home_panel(Role.MENTEE, _mentee_consent_panel, order=10)
    register_home_panel(Role.COORDINATOR, _coordinator_panel, order=10)
    register_nav_item(
        "Applications",
        "recruitment:application_list",
        policy.predicate("recruitment.see_applications"),
        order=40,
        section="People",
    )
    register_nav_item(
        "Import mentees",
        "recruitment:import_list",
        lambda user: policy.can_create(user, MenteeImport),
        order=41,
        section="People",
    )
    register_nav_item(
        "My applications",
        "recruitment:my_applications",
        lambda user: (
            not user.is_programme_staff
            and not user.coordinated_partner_ids
            and (not user.roles or Role.MENTOR in user.roles or Role.MENTEE in user.roles)
        ),
        order=42,
        section="Matching",
    )
