from django import template
from django.utils import numberformat
from django.utils.formats import get_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

NOT_SHOWN = '<span class="text-body-secondary">Not shown</span>'


def _number_format():
    """`localize` for the numbers of one table, as `{{ value }}` writes them: the language's separators
    are looked up once for the table rather than three times for each cell."""
    language = get_language()
    decimal, grouping, thousand = (
        get_format(name, language, use_l10n=True)
        for name in ("DECIMAL_SEPARATOR", "NUMBER_GROUPING", "THOUSAND_SEPARATOR")
    )

    def number(value) -> str:
        if type(value) not in (int, float):  # anything else (a bool, a decimal) as localize writes it
            return localize(value)
        return numberformat.format(value, decimal, None, grouping, thousand, use_l10n=True)

    return number


@register.simple_tag
def breakdown_rows(breakdown) -> str:
    """A breakdown's rows as table rows, each group a row header and a hidden cell saying so: built
    here (every value escaped) rather than by a loop in the template, which cost a node per cell. A
    table's cells repeat a few values, each written once."""
    number = _number_format()
    written: dict[tuple, str] = {}

    def cell(value) -> str:
        key = (type(value), value)  # 1000 and 1000.0 are written differently
        html = written.get(key)
        if html is None:
            html = f"<td>{NOT_SHOWN if value is None else conditional_escape(number(value))}</td>"
            written[key] = html
        return html

    return mark_safe(  # noqa: S308  (each group and value escaped by conditional_escape)
        "".join(
            [
                f'\n        <tr><th scope="row">{conditional_escape(group)}</th>'
                f"{''.join([cell(value) for value in cells])}</tr>\n      "
                for group, cells in breakdown.rows
            ]
        )
    )
