from django import template
from django.template.base import render_value_in_context
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
        f"{_downloads(table, query)}"
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


def _downloads(table, query) -> str:
    """A table's caption's two download links (the same path for both formats, reversed once)."""
    title = _escape(table.title)
    csv_url = reverse("evaluation:dashboard_export", args=[table.key, "csv"])
    xlsx_url = csv_url.removesuffix(".csv") + ".xlsx"
    asked = f"?{_escape(query)}" if query else ""
    return (
        f'    <span class="ms-2 small">Download: <a href="{_escape(csv_url)}{asked}">CSV'
        f'<span class="visually-hidden"> of {title}</span></a>\n'
        f'    · <a href="{_escape(xlsx_url)}{asked}">Excel'
        f'<span class="visually-hidden"> of {title}</span></a></span>\n'
    )


@register.simple_tag(takes_context=True)
def fidelity_rows(context, table) -> SafeString:
    """The delivery measures (evaluation/_fidelity.html), each with a "?" that opens how it is computed:
    written in one pass rather than by the template's nodes (about a hundred calls a measure)."""
    title = _escape(table.title)
    rows = "".join(
        "<tr>\n"
        f'      <th scope="row" class="fw-normal">{_escape(measure)}\n'
        '        <details class="impact-definition"><summary><span aria-hidden="true">?</span>'
        f'<span class="visually-hidden">How “{_escape(measure)}” is computed</span></summary>'
        f'<p class="small mb-1">{_escape(definition)}</p></details>\n'
        "      </th>\n"
        f"      <td>{render_value_in_context(value, context)}</td>\n"
        "    </tr>"
        for measure, value, definition in table.rows
    )
    note = f'<p class="small text-body-secondary">{_escape(table.note)}</p>' if table.note else ""
    markup = (
        f'\n<div class="table-responsive impact-table" tabindex="0" role="region" aria-label="{title}">\n'
        '<table class="table table-sm table-striped align-middle">\n'
        f"  <caption>{title}\n"
        f"{_downloads(table, context.get('query'))}"
        "  </caption>\n"
        '  <thead><tr><th scope="col">Measure</th><th scope="col">Value</th></tr></thead>\n'
        "  <tbody>\n"
        f"    {rows}\n"
        "  </tbody>\n"
        "</table>\n"
        "</div>\n"
        f"{note}\n"
    )
    return mark_safe(markup)  # noqa: S308  (every text in it escaped above)


def _x(share) -> str:
    """`{% widthratio share 1 2 %}`: a share in percent as a position on the 200-wide chart."""
    return str(round(float(share) / 1.0 * 2))


@register.simple_tag(takes_context=True)
def dumbbell(context, rows, caption) -> SafeString:
    """One row per statement (evaluation/_dumbbell.html): its full wording, the two shares in words, and
    a dot-and-arrow drawn in SVG attributes (no inline style), written in one pass."""
    lines = []
    for row in rows:
        before, after = _x(row["before"]), _x(row["after"])
        fall = "" if row["rising"] else " impact-fall"
        lines.append(
            '\n    <li class="impact-chart-row">\n'
            f'      <span class="impact-chart-text">{_escape(row["text"])}</span>\n'
            '      <span class="impact-chart-figures">'
            f"{render_value_in_context(row['before'], context)}% before, "
            f"{render_value_in_context(row['after'], context)}% after</span>\n"
            '      <svg class="impact-chart-bar" viewBox="-6 0 212 16" aria-hidden="true" '
            'focusable="false">\n'
            '        <line x1="0" y1="8" x2="200" y2="8" class="impact-track"/>\n'
            '        <line x1="100" y1="3" x2="100" y2="13" class="impact-track"/>\n'
            f'        <line x1="{before}" y1="8" x2="{after}" y2="8" class="impact-change{fall}"/>\n'
            f'        <circle cx="{before}" cy="8" r="4.5" class="impact-before"/>\n'
            f'        <circle cx="{after}" cy="8" r="4.5" class="impact-after"/>\n'
            "      </svg>\n"
            "    </li>\n    "
        )
    markup = (
        '\n<figure class="impact-chart">\n'
        f'  <figcaption class="small text-body-secondary mb-2">{_escape(caption)} <span class="impact-key">'
        '<svg viewBox="0 0 14 14" class="impact-key-mark" aria-hidden="true" focusable="false">'
        '<circle cx="7" cy="7" r="5" class="impact-before"/></svg> before, '
        '<svg viewBox="0 0 14 14" class="impact-key-mark" aria-hidden="true" focusable="false">'
        '<circle cx="7" cy="7" r="5" class="impact-after"/></svg> after. '
        "The same figures are in the table below.</span></figcaption>\n"
        '  <ol class="impact-chart-rows">\n'
        f"    {''.join(lines)}\n"
        "  </ol>\n"
        '  <div class="impact-chart-axis small text-body-secondary" aria-hidden="true">'
        "<span>0%</span><span>50%</span><span>100%</span></div>\n"
        "</figure>\n"
    )
    return mark_safe(markup)  # noqa: S308  (every text in it escaped above)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, [])
