"""Home-page panels (surveys waiting for someone) and navigation items for the impact pages."""

from accounts.models import Role
from core import policy
from core.panels import Panel, register_home_panel, register_nav_item

from . import selectors


def surveys_panel(request):
    # The first few with their instrument's name, one prepared query: its plan reads the person's own
    # responses first, so the joins to the names cost nothing when no survey is waiting.
    responses = selectors.waiting_surveys(user=request.user)
    if not responses:
        return None
    return Panel("evaluation/_surveys_panel.html", {"responses": responses})


def funder_headline_panel(request):
    """The funder's home leads with each programme's headline before-and-after figures and delivery
    measures, computed as the impact page computes them (dashboard.headline)."""
    from programmes.selectors import programmes_seen_by, relationship_totals_known

    from . import dashboard
    from .policies import aggregate_partner_scope

    user = request.user
    partner_ids = aggregate_partner_scope(user)
    if partner_ids is False:
        return None
    # The funder's programmes, read once for this panel and the programme table (mentoring.panels).
    programmes = [programme for programme in programmes_seen_by(request) if programme.is_active][:3]
    rows = [
        {
            "programme": programme,
            "headline": dashboard.headline(
                selectors.AggregateFilter(programme_id=programme.pk, partner_ids=partner_ids)
            ),
            "query": f"programme={programme.pk}",
        }
        for programme in programmes
    ]
    if not rows:
        return None
    if partner_ids is None:
        # With no partner and no period, the delivery measures counted every relationship of each
        # programme: the programme table's figure too, which it then does not count again.
        relationship_totals_known(request).update(
            (row["programme"].pk, row["headline"]["relationships"]) for row in rows
        )
    return Panel("evaluation/_funder_headline.html", {"rows": rows})


for _role in (Role.MENTEE, Role.MENTOR):
    register_home_panel(_role, surveys_panel, order=10)
register_home_panel(Role.FUNDER, funder_headline_panel, order=1)

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
