"""Home-page panels for relationships in progress. Each uses a fixed number of queries."""

from accounts.models import Role
from core.panels import Panel, register_home_panel, register_nav_item

from . import selectors


def mentor_panel(request):
    overview = selectors.mentor_overview(user=request.user)
    if not any(overview.values()):
        return None
    return Panel("mentoring/panels/mentor.html", overview)


def mentee_panel(request):
    overview = selectors.mentee_overview(user=request.user)
    if not any(overview.values()):
        return None
    return Panel("mentoring/panels/mentee.html", overview)


def coordinator_panel(request):
    user = request.user
    summary = selectors.monitoring_summary_cached(
        user=user, partner_ids=user.coordinated_partner_ids, rows_for=("check_ins", "drifting")
    )
    return Panel("mentoring/panels/coordinator.html", {"summary": summary})


def _monitors(user) -> bool:
    # Roles are already loaded for the page; only coordinators cost a query for their partners.
    return user.is_programme_staff or (Role.COORDINATOR in user.roles and bool(user.coordinated_partner_ids))


def _has_sessions(user) -> bool:
    return bool({Role.MENTOR, Role.MENTEE} & user.roles) or _monitors(user)


def _sees_people(user) -> bool:
    return user.is_programme_staff or bool(user.roles & {Role.COORDINATOR, Role.SAFEGUARDING_LEAD})


def _sees_programmes(user) -> bool:
    return user.is_programme_staff or Role.FUNDER in user.roles


def _funder_not_staff(user) -> bool:
    return Role.FUNDER in user.roles and not user.is_programme_staff


def register():
    # The people and programme lists come first in the navigation, under "People".
    register_nav_item("Mentees", "mentoring:mentee_list", _sees_people, order=1, section="People")
    register_nav_item("Mentors", "mentoring:mentor_list", _sees_people, order=2, section="People")
    register_nav_item("Youth partners", "mentoring:partner_list", _sees_people, order=3, section="People")
    register_nav_item("Programmes", "mentoring:programme_list", _sees_programmes, order=4, section="People")
    register_nav_item(
        "Youth partners", "mentoring:partner_list", _funder_not_staff, order=5, section="People"
    )
    register_home_panel(Role.MENTOR, mentor_panel, order=10)
    register_home_panel(Role.MENTEE, mentee_panel, order=10)
    register_home_panel(Role.COORDINATOR, coordinator_panel, order=10)
    register_nav_item(
        "Relationships", "mentoring:relationship_list", _monitors, order=39, section="Relationships"
    )
    register_nav_item("Monitoring", "mentoring:monitoring", _monitors, order=40, section="Relationships")
    register_nav_item(
        "Calendar", "mentoring:calendar_settings", _has_sessions, order=80, section="Relationships"
    )
