"""The monitoring page's table rows, built in Python (every value escaped) rather than by a loop in the
template: each row's template nodes, filters and URL reversing cost about 900 function calls a row."""

from html import escape as _escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.safestring import mark_safe

from mentoring.models import MentoringSession, PulseCheckIn, Relationship, SupportCheckIn

register = template.Library()

_SESSION_STATUSES = {value: str(label) for value, label in MentoringSession.Status.choices}
_RELATIONSHIP_STATUSES = {value: str(label) for value, label in Relationship.Status.choices}
_CHECK_IN_KINDS = {value: str(label) for value, label in SupportCheckIn.Kind.choices}
_RATINGS = {value: str(label) for value, label in PulseCheckIn.Rating.choices}
_PLACEHOLDER = 987654321
_OVERDUE = ' <span class="badge text-bg-danger">Overdue</span>'


def _link(name: str):
    """A function giving the URL `name` for a primary key: reversed once, each row's key put in."""
    before, _, after = reverse(name, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
    return lambda pk: f"{before}{int(pk)}{after}"


def escape(value) -> str:
    """As django.utils.html.escape (which is this, made safe): the value as text, HTML-escaped."""
    return _escape(str(value))


def _local(moment):
    return timezone.localtime(moment) if moment is not None and timezone.is_aware(moment) else moment


def day(moment) -> str:
    """`moment|date:"j M Y"`, as django.utils.dateformat writes its j, M and Y; "" for None."""
    if moment is None:
        return ""
    return f"{moment.day} {str(MONTHS_3[moment.month]).title()} {moment.year:04d}"


def day_and_time(moment) -> str:
    """`moment|date:"D j M Y, H:i"` of a local time, as django.utils.dateformat writes it."""
    return f"{WEEKDAYS_ABBR[moment.weekday()]} {day(moment)}, {moment.hour:02d}:{moment.minute:02d}"


def _pair(relationship) -> str:
    """ "{{ mentor.get_full_name }} and {{ mentee.first_name }}", escaped."""
    mentor = relationship.mentor
    full_name = f"{mentor.first_name} {mentor.last_name}".strip()
    return f"{escape(full_name)} and {escape(relationship.mentee.first_name)}"


def _choice(labels: dict, value) -> str:
    return escape(labels.get(value, value))


@register.simple_tag
def monitoring_rows(rows, kind: str) -> str:
    """The body rows of the monitoring list `kind` (templates/mentoring/_monitoring_table.html)."""
    parts = []
    if kind in {"month_sessions", "unlogged"}:
        pair_url, session_url = _link("mentoring:relationship_detail"), _link("mentoring:session_detail")
        for session in rows:
            when = escape(day_and_time(_local(session.starts_at)))
            status = "Not logged" if kind == "unlogged" else _choice(_SESSION_STATUSES, session.status)
            parts.append(
                f'\n      <tr><th scope="row"><a href="{pair_url(session.relationship_id)}">'
                f"{_pair(session.relationship)}</a></th>\n"
                f'        <td><a href="{session_url(session.pk)}">Session {int(session.number)}</a></td>\n'
                f"        <td>{when}</td><td>{status}</td></tr>\n    "
            )
        empty = '<tr><td colspan="4">Nothing here.</td></tr>'
    elif kind == "check_ins":
        pair_url, check_in_url = _link("mentoring:relationship_detail"), _link("mentoring:support_check_in")
        today = timezone.localdate()
        for check_in in rows:
            pulse = check_in.pulse
            rating = f": “{_choice(_RATINGS, pulse.rating)}”" if pulse else ""
            overdue = check_in.completed_at is None and check_in.due_on < today
            parts.append(
                f'\n      <tr><th scope="row"><a href="{pair_url(check_in.relationship_id)}">'
                f"{_pair(check_in.relationship)}</a></th>\n"
                f'        <td><a href="{check_in_url(check_in.pk)}">'
                f"{_choice(_CHECK_IN_KINDS, check_in.kind)}</a>"
                f"{rating}</td>\n"
                f"        <td>{escape(day(check_in.due_on))}"
                f"{_OVERDUE if overdue else ''}</td></tr>\n    "
            )
        empty = '<tr><td colspan="3">Nothing needs action.</td></tr>'
    else:
        pair_url = _link("mentoring:relationship_detail")
        for relationship in rows:
            last_held = ""
            if kind == "drifting":
                held = day(_local(relationship.last_held_at)) or "None yet"
                last_held = f"<td>{escape(held)}</td>"
            parts.append(
                f'\n      <tr><th scope="row"><a href="{pair_url(relationship.pk)}">'
                f"{_pair(relationship)}</a></th>\n"
                f"        <td>{escape(relationship.cohort.youth_partner)}</td>"
                f"<td>{_choice(_RELATIONSHIP_STATUSES, relationship.status)}</td>\n"
                f"        {last_held}</tr>\n    "
            )
        empty = '<tr><td colspan="4">Nothing here.</td></tr>'
    return mark_safe("".join(parts) or empty)  # noqa: S308  (every value escaped above)
