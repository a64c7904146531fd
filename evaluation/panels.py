"""Home-page panels (surveys waiting for someone) and navigation items for the impact pages."""

from accounts.models import Role
from core.panels import Panel, register_home_panel, register_nav_item

from . import selectors


def surveys_panel(request):
    outstanding = list(selectors.outstanding_responses_for(user=request.user)[:5])
    if not outstanding:
        return None
    return Panel("evaluation/_surveys_panel.html", {"responses": outstanding})


for _role in (Role.MENTEE, Role.MENTOR):
    register_home_panel(_role, surveys_panel, order=10)

register_nav_item("Impact", "evaluation:dashboard", selectors.may_read_aggregates, order=60)
register_nav_item("Surveys", "evaluation:instrument_list", lambda user: user.is_programme_staff, order=61)
register_nav_item(
    "My surveys",
    "evaluation:my_surveys",
    lambda user: bool(user.roles & {Role.MENTEE, Role.MENTOR}),
    order=62,
)
