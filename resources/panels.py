"""Home-page panels: a mentor's resources for the next session; staff's bulletin in progress."""

from core.panels import Panel
from mentoring.selectors import mentor_overview_of

from . import selectors


def mentor_resources_panel(request):
    """What is planned for the mentor's next session, and what else fits this mentee now."""
    user = request.user
    # The mentor's next session as the mentoring panel read it (with the young person's date of birth).
    overview = mentor_overview_of(request)
    session = overview["next_session"]
    if session is None:
        return Panel("resources/panels/mentor.html", {"session": None})
    planned = selectors.planned_resources(user=user, session=session)
    planned_ids = {item.resource_id for item in planned}
    suggestions = [
        suggestion
        for suggestion in selectors.resources_suggested_for_session(
            user=user, session=session, limit=5, goals=_pair_goals(overview, session)
        )
        if suggestion.resource.pk not in planned_ids
    ][:3]
    return Panel(
        "resources/panels/mentor.html", {"session": session, "planned": planned, "suggestions": suggestions}
    )


def _pair_goals(overview, session):
    """The next session's pair's open goals, from those the overview read (None: read them)."""
    if overview["open_goals"] is None:
        return None
    return [goal for goal in overview["open_goals"] if goal.relationship_id == session.relationship_id]


def staff_bulletin_panel(request):
    latest = selectors.latest_bulletin()
    progress = selectors.bulletin_progress(bulletin=latest) if latest else None
    return Panel("resources/panels/staff.html", {"bulletin": latest, "progress": progress})
