"""Rows of the coordinator's, safeguarding lead's and mentor's home panels, each built here (every text
escaped) rather than by a loop in the template, which cost a node per value of each row: the same
markup as the loops they replaced (mentoring/tests/test_panel_markup.py)."""

from django import template
from django.conf import settings
from django.template.defaultfilters import date, lower, pluralize, truncatechars
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from core.links import reverse_id, reverse_once
from core.markup import escape_unless_safe as _escape

register = template.Library()


def _number(value) -> str:
    """A count as a template writes it (`localize`): an int is its digits unless thousands are grouped."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return _escape(localize(value))


@register.simple_tag
def partner_rows(partners) -> str:
    """Each youth partner's row of the partners table: name, type, mentees (all, under 16, under 18)
    and cohorts, each count a link to its list."""
    if not partners:
        return mark_safe('\n    <tr><td colspan="6">No youth partners yet.</td></tr>\n  ')
    mentees = _escape(reverse_once("mentoring:mentee_list"))
    rows = []
    for partner in partners:
        url, name, pk = _escape(partner.get_absolute_url()), _escape(partner.name), partner.pk
        total, under_16 = _number(partner.mentee_count), _number(partner.under_16_count)
        under_18, cohorts = _number(partner.under_18_count), _number(partner.cohort_count)
        rows.append(
            "\n    <tr>\n"
            f'      <th scope="row"><a href="{url}">{name}</a></th>\n'
            f"      <td>{_escape(partner.get_kind_display())}</td>\n"
            f'      <td><a href="{mentees}?youth_partner={pk}" data-count="{total}" aria-label="{total} '
            f'mentee{pluralize(partner.mentee_count)} at {name}">{total}</a></td>\n'
            f'      <td><a href="{mentees}?youth_partner={pk}&amp;age_band=under_16" data-count="{under_16}" '
            f'aria-label="{under_16} under 16 at {name}">{under_16}</a></td>\n'
            f'      <td><a href="{mentees}?youth_partner={pk}&amp;age_band=under_18" data-count="{under_18}" '
            f'aria-label="{under_18} under 18 at {name}">{under_18}</a></td>\n'
            f'      <td><a href="{url}#cohorts-heading" data-count="{cohorts}" aria-label="{cohorts} '
            f'cohort{pluralize(partner.cohort_count)} at {name}">{cohorts}</a></td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308  (each text escaped)


@register.simple_tag
def check_in_items(check_ins) -> str:
    """Each check-in needing action: its kind (a link to it), the pair, when it is due."""
    return mark_safe(  # noqa: S308  (each text escaped)
        "".join(
            f'<li><a href="{_escape(reverse_id("mentoring:support_check_in", check_in.pk))}">'
            f"{_escape(check_in.get_kind_display())}</a>: "
            f"{_escape(check_in.relationship.mentor.get_full_name())} and "
            f"{_escape(check_in.relationship.mentee.first_name)}, "
            f"due {_escape(date(check_in.due_on, 'j M'))}</li>"
            for check_in in check_ins
        )
    )


@register.simple_tag
def drifting_items(relationships) -> str:
    """Each drifting pair, a link to their relationship."""
    return mark_safe(  # noqa: S308  (each text escaped)
        "".join(
            f'<li><a href="{_escape(relationship.get_absolute_url())}">'
            f"{_escape(relationship.mentor.get_full_name())} and "
            f"{_escape(relationship.mentee.first_name)}</a></li>"
            for relationship in relationships
        )
    )


# The mentor's home panel (mentoring/panels/mentor.html): its next session, the notes for next time, the
# goals in progress and the sessions to log.


@register.simple_tag
def next_session_line(session) -> str:
    """The next session: when (a link to it), with whom, where."""
    when = _escape(date(template_localtime(session.starts_at), "l j F, H:i"))
    return mark_safe(  # noqa: S308  (each text escaped)
        f'<p><a href="{_escape(session.get_absolute_url())}">{when}</a> with '
        f"{_escape(session.relationship.mentee.first_name)} · {_escape(session.where)}</p>"
    )


@register.simple_tag
def latest_note_items(logs) -> str:
    """Each pair's latest notes for next time, shortened to 200 characters."""
    if not logs:
        return mark_safe("<p>Nothing noted yet.</p>")
    return mark_safe(  # noqa: S308  (each text escaped)
        "".join(
            f'<p class="mb-1"><strong>{_escape(log.session.relationship.mentee.first_name)}:</strong> '
            # Each as the template's loop wrote it: the line's end and the next line's indent.
            f"{_escape(truncatechars(log.next_time_notes, 200))}</p>\n        "
            for log in logs
        )
    )


@register.simple_tag
def goal_items(goals) -> str:
    """Each goal in progress: its title, the young person's name, its status."""
    if not goals:
        return mark_safe("<li>No goals yet: agree one at your next session.</li>")
    return mark_safe(  # noqa: S308  (each text escaped)
        "".join(
            f"<li>{_escape(goal.title)} ({_escape(goal.relationship.mentee.first_name)}, "
            f"{_escape(lower(goal.get_status_display()))})</li>"
            for goal in goals
        )
    )


@register.simple_tag
def overdue_log_items(sessions) -> str:
    """Each session still to log: a link to its log form, its number, the young person, the day."""
    return mark_safe(  # noqa: S308  (each text escaped)
        "".join(
            f'<li><a href="{_escape(reverse_id("mentoring:session_log", session.pk))}">Session '
            f"{_number(session.number)} with {_escape(session.relationship.mentee.first_name)}, "
            f"{_escape(date(template_localtime(session.starts_at), 'j M'))}</a></li>"
            for session in sessions
        )
    )
