from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

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


@register.simple_tag
def impact_table(table, query="") -> SafeString:
    """A dashboard table as the page shows it (evaluation/_table.html): its caption with the two
    downloads, its headers and rows, and its note. Written here in one pass: the template's nodes,
    loops and two URL reversals cost about 300 function calls a table, and the page has up to ten."""
    shown = screen_table(table)
    title = _escape(table.title)
    # The same pattern serves both formats: reversed once, the other format is the same path.
    csv_url = reverse("evaluation:dashboard_export", args=[table.key, "csv"])
    xlsx_url = csv_url.removesuffix(".csv") + ".xlsx"
    asked = f"?{_escape(query)}" if query else ""
    headers = "".join(f'<th scope="col">{_escape(header)}</th>' for header in shown["headers"])
    body = (
        f"{shown['body']}\n    "
        if shown["rows"]
        else f'<tr><td colspan="{len(shown["headers"])}">No answers yet for this selection.</td></tr>'
    )
    note = f'<p class="small text-body-secondary">{_escape(table.note)}</p>' if table.note else ""
    markup = (
        '\n<div class="table-responsive impact-table" tabindex="0" role="region" '
        f'aria-label="{title} (scrolls sideways)">\n'
        '<table class="table table-sm table-striped align-middle">\n'
        f"  <caption>{title}\n"
        f'    <span class="ms-2 small">Download: <a href="{_escape(csv_url)}{asked}">CSV'
        f'<span class="visually-hidden"> of {title}</span></a>\n'
        f'    · <a href="{_escape(xlsx_url)}{asked}">Excel'
        f'<span class="visually-hidden"> of {title}</span></a></span>\n'
        "  </caption>\n"
        f"  <thead><tr>{headers}</tr></thead>\n"
        "  <tbody>\n"
        f"    {body}\n"
        "  </tbody>\n"
        "</table>\n"
        "</div>\n"
        f"{note}\n"
    )
    return mark_safe(markup)  # noqa: S308  (every text in it escaped above)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, [])
