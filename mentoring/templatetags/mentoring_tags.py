"""Rows of the coordinator's and safeguarding lead's home panels, each built here (every text escaped)
rather than by a loop in the template, which cost a node per value of each row: the same markup as the
loops they replaced (mentoring/tests/test_panel_markup.py)."""

from django import template
from django.conf import settings
from django.template.defaultfilters import date, pluralize
from django.utils.formats import localize
from django.utils.safestring import mark_safe

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
