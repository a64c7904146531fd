"""Home-page panels: proposals and mentors' requests for coordinators, opportunities for mentors."""

from accounts.models import Role
from core import policy
from core.panels import Panel, register_home_panel, register_nav_item

from . import selectors


def coordinator_panel(request):
    user = request.user
    # Both counts compiled once per process (core.prepared).
    awaiting = selectors.proposals_awaiting_count(user=user)
    interests = selectors.interests_awaiting_count(user=user)
    return Panel("matching/panels/coordinator.html", {"awaiting": awaiting, "interests": interests})


def mentor_panel(request):
    user = request.user
    # The opportunity's title and the request's status: what the panel shows of each.
    # Both queries compiled once per process (core.prepared).
    requests = selectors.latest_interests_of_mentor(user=user)
    opportunities = selectors.open_opportunities_count(user=user)
    if not requests and not opportunities:
        return None
    return Panel("matching/panels/mentor.html", {"requests": requests, "opportunities": opportunities})


def register():
    register_home_panel(Role.COORDINATOR, coordinator_panel, order=15)
    register_home_panel(Role.PROGRAMME_STAFF, coordinator_panel, order=15)
    register_home_panel(Role.MENTOR, mentor_panel, order=30)
    register_nav_item(
        "Matching",
        "matching:round_list",
        policy.predicate("matching.run_matching"),
        order=35,
        section="Matching",
    )
    register_nav_item(
        "Opportunities",
        "matching:opportunity_list",
        policy.predicate("matching.express_interest"),
        order=36,
        section="Matching",
    )
