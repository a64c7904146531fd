from django import template

from .. import selectors
from ..markup import markdown_to_html

register = template.Library()


@register.filter
def render_markdown(text: str) -> str:
    return markdown_to_html(text)


@register.inclusion_tag("resources/includes/suggestions.html", takes_context=True)
def resource_suggestions(context, session, limit=5):
    """Resources matching the topics and goals of this pair, for the session log page."""
    user = context["request"].user
    return {
        "suggestions": selectors.resources_suggested_for_session(user=user, session=session, limit=limit),
        "session": session,
    }


@register.inclusion_tag("resources/includes/session_resources.html", takes_context=True)
def session_resources(context, session):
    """The resources planned for this session, with a way to remove them for the pair's mentor."""
    user = context["request"].user
    planned = selectors.planned_resources(user=user, session=session)
    return {
        "planned": planned,
        "session": session,
        "may_remove": session.relationship.mentor_id == user.pk,
        "request": context["request"],
    }
