"""Home panels (a mentor's next events and buddy; an employer contact's figures) and navigation."""

from accounts.models import Role
from core import policy
from core.panels import Panel, register_home_panel, register_nav_item

from . import selectors
from .models import EmployerPartner


def mentor_community_panel(request):
    user = request.user
    # Each event carries the mentor's own registration status: one query for the list.
    # The columns the panel shows (community/_mentor_panel.html): not the employer and organiser a
    # list reads with each event, nor every column of the two mentors of a pairing. Both queries are
    # compiled once per process (core.prepared).
    events = selectors.next_events_with_own_status(user=user)
    pairing = selectors.latest_open_pairing_shown(user=user)
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
