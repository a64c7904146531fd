"""The PDF impact report: the dashboard's figures for one programme and period, with SVG charts
drawn on the server (WeasyPrint runs no JavaScript)."""

from __future__ import annotations

import base64

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from . import dashboard, selectors


def _svg_data_uri(svg: bytes | str) -> str:
    raw = svg.encode("utf-8") if isinstance(svg, str) else svg
    return "data:image/svg+xml;base64," + base64.b64encode(raw).decode("ascii")


def _bar_chart(title: str, labels: list[str], before: list, after: list, *, maximum: int = 100) -> str | None:
    import pygal
    from pygal.style import Style

    if not labels:
        return None
    style = Style(
        background="white",
        plot_background="white",
        colors=("#9aa5b1", "#0d6efd"),
        font_family="sans-serif",
        label_font_size=11,
        legend_font_size=12,
        title_font_size=14,
        value_font_size=10,
    )
    chart = pygal.HorizontalBar(
        width=760,
        height=90 + 46 * len(labels),
        range=(0, maximum),
        style=style,
        title=title,
        legend_at_bottom=True,
        print_values=True,
        truncate_label=-1,
        disable_xml_declaration=True,
    )
    # Long statements would squeeze the bars to nothing; the table below gives them in full.
    # pygal draws horizontal bars from the bottom up: reverse, so the chart reads in the table's order.
    chart.x_labels = [label if len(label) <= 42 else label[:40].rstrip() + "…" for label in labels][::-1]
    chart.add("Before", before[::-1])
    chart.add("After", after[::-1])
    return _svg_data_uri(chart.render())


def render_impact_report_pdf(*, report, progress=lambda percent: None) -> bytes:
    from weasyprint import HTML

    aggregate_filter = selectors.AggregateFilter(
        programme_id=report.programme_id, start=report.period_start, end=report.period_end
    )
    data = dashboard.build(aggregate_filter, breakdown="youth_partner")
    progress(40)
    charts = dashboard.chart_data(data)
    images = {
        "paired": _bar_chart(
            "Share agreeing (%), before and after",
            charts["paired"]["labels"],
            charts["paired"]["before"],
            charts["paired"]["after"],
        ),
        "themes": _bar_chart(
            "Theme scores (0-100), before and after",
            charts["themes"]["labels"],
            charts["themes"]["before"],
            charts["themes"]["after"],
        ),
    }
    progress(70)
    html = render_to_string(
        "evaluation/report_pdf.html",
        {
            "report": report,
            "data": data,
            "tables": dashboard.tables(data),
            "images": images,
            "generated_at": timezone.localtime(),
            "site_name": settings.SITE_NAME,
        },
    )
    pdf = HTML(string=html).write_pdf()
    progress(95)
    return pdf
