from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

NOT_SHOWN = '<span class="text-body-secondary">Not shown</span>'


@register.simple_tag
def breakdown_rows(breakdown) -> str:
    """A breakdown's rows as table rows, each group a row header and a hidden cell saying so: built
    here (every value escaped) rather than by a loop in the template, which cost a node per cell."""
    return mark_safe(  # noqa: S308  (the group is escaped by format_html, each value by conditional_escape)
        "".join(
            format_html(
                '\n        <tr><th scope="row">{}</th>{}</tr>\n      ',
                group,
                mark_safe(  # noqa: S308  (each value escaped)
                    "".join(
                        f"<td>{NOT_SHOWN if value is None else conditional_escape(localize(value))}</td>"
                        for value in cells
                    )
                ),
            )
            for group, cells in breakdown.rows
        )
    )
