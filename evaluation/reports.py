"""The PDF impact report: the dashboard's figures for one programme and period, with dot-and-arrow
charts drawn as SVG on the server (WeasyPrint runs no JavaScript)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from . import dashboard, selectors


def render_impact_report_pdf(*, report, progress=lambda percent: None) -> bytes:
    from weasyprint import HTML

    html = impact_report_html(report=report, progress=progress)
    pdf = HTML(string=html).write_pdf()
    progress(95)
    return pdf


def impact_report_html(*, report, progress=lambda percent: None) -> str:
    """The report's page before it becomes a PDF: the dashboard's tables for its period and breakdown."""
    aggregate_filter = selectors.AggregateFilter(
        programme_id=report.programme_id, start=report.period_start, end=report.period_end
    )
    data = dashboard.build(aggregate_filter, breakdown=report.breakdown, item=report.item or None)
    progress(40)
    charts = {
        "paired": dashboard.chart_rows(data["items"]),
        "mentor_paired": dashboard.chart_rows(data["mentor_items"]),
    }
    progress(70)
    return render_to_string(
        "evaluation/report_pdf.html",
        {
            "report": report,
            "data": data,
            "tables": dashboard.tables(data),
            "charts": charts,
            "generated_at": timezone.localtime(),
            "site_name": settings.SITE_NAME,
        },
    )
