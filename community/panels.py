"""Home panels (a mentor's next events and buddy; an employer contact's figures) and navigation."""

from accounts.models import Role
from core import policy
from core.panels import Panel, register_home_panel, register_nav_item
from core.rows import rows_with_columns

from . import selectors
from .models import EmployerPartner


def mentor_community_panel(request):
    user = request.user
    # Each event carries the mentor's own registration status: one query for the list.
    # The columns the panel shows (community/_mentor_panel.html): not the employer and organiser a
    # list reads with each event, nor every column of the two mentors of a pairing.
    events = list(
        selectors.upcoming_events_for(user=user, limit=3, with_own_status=True)
        .select_related(None)
        .only("title", "starts_at", "format")
    )
    pairings = rows_with_columns(
        selectors.open_pairings_for(user=user)[:1],
        (
            "status",
            "new_accepted_at",
            "experienced_accepted_at",
            "new_mentor__first_name",
            "new_mentor__last_name",
            "experienced_mentor__first_name",
            "experienced_mentor__last_name",
        ),
    )
    pairing = pairings[0] if pairings else None
    return Panel(
        "community/_mentor_panel.html",
        {
            "events": events,
            "pairing": pairing,
            "buddy": pairing.buddy_of(user) if pairing else None,
            "accepted": pairing.has_accepted(user) if pairing else False,
        },
    )


def employer_figures_panel(request):
    employers = list(policy.scope(request.user, policy.VIEW, EmployerPartner)[:3])
    if not employers:
        return None
    rows = []
    for employer in employers:
        figures = selectors.employer_figures(employer)
        rows.append((employer, figures, selectors.impact_headline(figures)))
    return Panel("community/_employer_panel.html", {"rows": rows, "small_group": selectors.SMALL_GROUP})


register_home_panel(Role.MENTOR, mentor_community_panel, order=30)
register_home_panel(Role.EMPLOYER_CONTACT, employer_figures_panel, order=10)
register_nav_item(
    "Community", "community:event_list", policy.predicate("community.take_part"), order=46, section="Training"
)
register_nav_item(
    "Employer figures",
    "community:employer_list",
    policy.predicate("community.read_employer_figures"),
    order=63,
    section="Impact",
)


def _register_home_dependencies():
    """Whose cached home page a community row changes: a registration or buddy choice shows only on
    that mentor's page, a pairing on both buddies'; the thread itself is on no home page. Events,
    which every mentor may see, refresh every page (the default)."""
    from core.home_cache import by_fields, register_home_dependency, register_not_on_home

    from .models import BuddyMessage, BuddyPairing, BuddyPreference, EventRegistration

    register_home_dependency(EventRegistration, by_fields(users=["mentor"]))
    register_home_dependency(BuddyPreference, by_fields(users=["mentor"]))
    register_home_dependency(BuddyPairing, by_fields(users=["new_mentor", "experienced_mentor"]))
    register_not_on_home(BuddyMessage)


_register_home_dependencies()
