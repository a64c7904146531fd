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


class _Cells(dict):
    """Each value's table cell, written the first time it is asked for: a table's cells repeat a few
    values. Keyed by (type, value), as 1000 and 1000.0 are written differently."""

    def __init__(self, number):
        super().__init__()
        self.number = number

    def __missing__(self, key):
        value = key[1]
        text = NOT_SHOWN if value is None else conditional_escape(self.number(value))
        html = self[key] = f"<td>{text}</td>"
        return html


@register.simple_tag
def breakdown_rows(breakdown) -> str:
    """A breakdown's rows as table rows, each group a row header and a hidden cell saying so: built
    here (every value escaped) rather than by a loop in the template, which cost a node per cell."""
    cells_of = _Cells(_number_format())
    return mark_safe(  # noqa: S308  (each group and value escaped by conditional_escape)
        "".join(
            [
                f'\n        <tr><th scope="row">{conditional_escape(group)}</th>'
                f"{''.join([cells_of[value.__class__, value] for value in cells])}</tr>\n      "
                for group, cells in breakdown.rows
            ]
        )
    )


@register.simple_tag
def breakdown_sections(breakdowns) -> str:
    """Each breakdown as a section with its heading and table (its rows by `breakdown_rows`), or the
    breakdown's message when it has no rows: built here (every value escaped) rather than by a loop
    in the template, which cost about 330 calls a section in its nodes."""
    sections = []
    for number, breakdown in enumerate(breakdowns, start=1):
        title = conditional_escape(breakdown.title)
        if breakdown.rows:
            heading = conditional_escape(breakdown.heading)
            columns = "".join(
                [f'<th scope="col">{conditional_escape(column)}</th>' for column in breakdown.columns]
            )
            body = (
                '\n  <div class="table-responsive">\n  <table class="table table-striped">\n'
                f'    <caption class="visually-hidden">{title}</caption>\n'
                f'    <thead><tr><th scope="col">{heading}</th>{columns}</tr></thead>\n'
                f"    <tbody>\n      {breakdown_rows(breakdown)}\n    </tbody>\n  </table>\n  </div>\n  "
            )
        else:
            body = f"\n  <p>{conditional_escape(breakdown.empty)}</p>\n  "
        sections.append(
            f'\n<section class="mt-4" aria-labelledby="breakdown-{number}">\n'
            f'  <h2 id="breakdown-{number}" class="h4">{title}</h2>\n  {body}\n</section>\n'
        )
    return mark_safe("".join(sections))  # noqa: S308  (every value escaped by conditional_escape)


@register.simple_tag
def figure_items(figures) -> str:
    """The figures as a description list's terms and details (a hidden figure's note in place of its
    value): built here (every value escaped) rather than by a loop in the template, as the breakdowns
    are."""
    number = _number_format()
    return mark_safe(  # noqa: S308  (every label, value and note escaped by conditional_escape)
        "".join(
            [
                f'\n    <dt class="col-sm-7">{conditional_escape(figure.label)}</dt>'
                + '\n    <dd class="col-sm-5">'
                + (
                    conditional_escape(number(figure.value))
                    if figure.shown
                    else f'<span class="text-body-secondary">{conditional_escape(figure.note)}</span>'
                )
                + "</dd>\n  "
                for figure in figures
            ]
        )
    )
