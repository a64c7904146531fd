from django import template
from django.utils.safestring import mark_safe

from core.markup import escape_unless_safe as _escape

register = template.Library()


@register.simple_tag
def screen_table(table) -> dict:
    """A dashboard table as text for reading: shares as percentages, each interval in one cell; `body`
    is its rows as table rows, the first cell a row header (escaped, built here rather than by a loop
    in the template, which cost a node per cell)."""
    headers, rows = table.screen()
    # Every cell escaped with the standard library's escape (the same text as `format_html` writes,
    # at a tenth of its cost per cell: a table of 16 columns has a few hundred).
    lines = []
    for row in rows:
        if row:
            cells = "".join(f"<td>{_escape(cell)}</td>" for cell in row[1:])
            lines.append(f'<tr><th scope="row">{_escape(row[0])}</th>{cells}</tr>')
    body = mark_safe("\n    ".join(lines))  # noqa: S308  (every cell is escaped)
    return {"headers": headers, "rows": rows, "body": body}


@register.filter
def get_item(mapping, key):
    return mapping.get(key, [])
