"""The safeguarding lead's home lists, each item built here (every text escaped) rather than by a loop
in the template, which cost a node per value of each row: the same markup as the loops they replaced
(safeguarding/tests/test_panel_markup.py)."""

from django import template
from django.template.defaultfilters import date
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from core.links import reverse_id
from core.markup import escape_unless_safe as _escape

register = template.Library()

DANGER = '<span class="badge text-bg-danger">Immediate danger</span> '


@register.simple_tag
def waiting_concern_items(concerns) -> str:
    """Each concern waiting to be acknowledged: its reference and link, the danger flag, the deadline."""
    return mark_safe(  # noqa: S308  (each text escaped)
        "".join(
            '\n          <li class="list-group-item d-flex justify-content-between flex-wrap gap-2">\n'
            f'            <a href="{_escape(concern.get_absolute_url())}">{_escape(concern.reference)}</a>\n'
            f"            <span>{DANGER if concern.immediate_danger else ''}acknowledge by "
            f"{_escape(date(template_localtime(concern.acknowledge_by), 'j M, H:i'))}</span>\n"
            "          </li>\n        "
            for concern in concerns
        )
    )


@register.simple_tag
def young_mentee_items(profiles) -> str:
    """Each young person under 18: their name (a link to them), age band and youth partner."""
    if not profiles:
        return mark_safe("\n      <li>No mentees under 18.</li>\n    ")
    return mark_safe(  # noqa: S308  (each text escaped)
        "".join(
            f'\n      <li><a href="{_escape(reverse_id("mentoring:mentee_detail", profile.user_id))}">'
            f"{_escape(profile.user.get_full_name())}</a>, {_escape(profile.age_band)}, "
            f"{_escape(profile.youth_partner)}</li>\n    "
            for profile in profiles
        )
    )
