"""The programme team's recent sensitive actions, each item built here (every text escaped) rather
than by a loop in the template, which cost a node per value of each event: the same markup as the loop
it replaced (accounts/tests/test_recent_actions.py)."""

from django import template
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from core.markup import escape_unless_safe as _escape

register = template.Library()


@register.simple_tag
def recent_action_items(events) -> str:
    """Each event: when (as a template writes a date and time), what, by whom, and its summary."""
    if not events:
        return mark_safe("<li>Nothing recorded yet.</li>")
    return mark_safe(  # noqa: S308  (each text escaped)
        "".join(
            f"\n      <li>{_escape(localize(template_localtime(event.occurred_at)))}: "
            f"{_escape(event.action_label)} by {_escape(event.actor or 'the system')}"
            f"{f' ({_escape(event.summary)})' if event.summary else ''}</li>\n    "
            for event in events
        )
    )
