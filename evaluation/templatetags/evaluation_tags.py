from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def screen_table(table) -> dict:
    """A dashboard table as text for reading: shares as percentages, each interval in one cell; `body`
    is its rows as table rows, the first cell a row header (escaped, built here rather than by a loop
    in the template, which cost a node per cell)."""
    headers, rows = table.screen()
    body = mark_safe(  # noqa: S308  (every cell is escaped by format_html)
        "\n    ".join(
            format_html(
                '<tr><th scope="row">{}</th>{}</tr>',
                row[0],
                format_html_join("", "<td>{}</td>", ((cell,) for cell in row[1:])),
            )
            for row in rows
            if row
        )
    )
    return {"headers": headers, "rows": rows, "body": body}


@register.filter
def get_item(mapping, key):
    return mapping.get(key, [])
