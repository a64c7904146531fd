"""The delivery measures' rows on the funder's home, each built here (every value written and escaped
as a template writes it) rather than by a loop with a node per value: the same markup as the impact
page's table (evaluation/_fidelity.html), which evaluation/tests/test_funder_fidelity.py holds
`evaluation/_funder_fidelity.html` to."""

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

register = template.Library()


def _text(value) -> str:
    """`{{ value }}` (template.base.render_value_in_context, with time zones, localisation and
    escaping on)."""
    value = localize(template_localtime(value))
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


@register.simple_tag
def fidelity_rows(rows) -> str:
    """Each measure's row: its name with how it is computed, and its value."""
    return mark_safe(  # noqa: S308  (each value escaped)
        "".join(
            "<tr>\n"
            f'      <th scope="row" class="fw-normal">{(name := _text(measure))}\n'
            '        <details class="impact-definition"><summary><span aria-hidden="true">?</span>'
            f'<span class="visually-hidden">How “{name}” is computed</span></summary>'
            f'<p class="small mb-1">{_text(definition)}</p></details>\n'
            "      </th>\n"
            f"      <td>{_text(value)}</td>\n"
            "    </tr>"
            for measure, value, definition in rows
        )
    )
