"""Home-page panels (surveys waiting for someone) and navigation items for the impact pages."""

from accounts.models import Role
from core import policy
from core.home_cache import Scopes, by_fields, register_home_dependency, register_not_on_home
from core.panels import Panel, register_home_panel, register_nav_item

from . import selectors
from .models import Answer, AnswerTally, ImpactReport, PairTally, ResponseTally, SurveyResponse


def surveys_panel(request):
    outstanding = list(selectors.outstanding_responses_for(user=request.user)[:5])
    if not outstanding:
        return None
    return Panel("evaluation/_surveys_panel.html", {"responses": outstanding})


for _role in (Role.MENTEE, Role.MENTOR):
    register_home_panel(_role, surveys_panel, order=10)

register_nav_item(
    "Impact", "evaluation:dashboard", policy.predicate("evaluation.read_impact"), order=60, section="Impact"
)
register_nav_item(
    "Surveys", "evaluation:instrument_list", lambda user: user.is_programme_staff, order=61, section="Impact"
)
register_nav_item(
    "My surveys",
    "evaluation:my_surveys",
    lambda user: bool(user.roles & {Role.MENTEE, Role.MENTOR}),
    order=62,
    section="Relationships",
)

# A survey waiting for someone shows on their own home page; the tallies and reports on none.
register_home_dependency(SurveyResponse, by_fields(users=["respondent"]))
register_home_dependency(
    Answer,
    lambda row: Scopes(
        users=set(SurveyResponse.objects.filter(pk=row.response_id).values_list("respondent_id", flat=True))
    ),
)
register_not_on_home(AnswerTally, PairTally, ResponseTally, ImpactReport)
