"""The impact and fidelity figures, assembled once and shown as a page, exports, the API and the PDF."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.http import HttpResponse

from core.exports import spreadsheet_safe

from . import selectors
from .models import Instrument

SUPPRESSED = "fewer than 5"


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]


def build(aggregate_filter: selectors.AggregateFilter, *, breakdown: str = "youth_partner") -> dict:
    items = selectors.paired_items(aggregate_filter)
    headline_code = items[0].code if items else None
    return {
        "items": items,
        "themes": selectors.theme_scores(aggregate_filter),
        "mentee_nps": selectors.nps(aggregate_filter, Instrument.Purpose.MENTEE_POST),
        "mentor_nps": selectors.nps(aggregate_filter, Instrument.Purpose.MENTOR_POST),
        "needs": selectors.what_young_people_want(aggregate_filter)[:15],
        "fidelity": selectors.fidelity(aggregate_filter),
        "rates": selectors.response_rates(aggregate_filter),
        "breakdown": (
            selectors.breakdown(aggregate_filter, dimension=breakdown, question_code=headline_code)
            if headline_code
            else None
        ),
    }


def _percent(share) -> str:
    return "" if share is None else f"{round(share * 100)}%"


def _interval(interval) -> str:
    return "" if interval is None else f"{round(interval[0] * 100)}–{round(interval[1] * 100)}%"


def _p(value) -> str:
    if value is None:
        return "n/a"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def tables(data: dict) -> list[Table]:
    """Every table on the dashboard, with suppressed cells already hidden."""
    result = [
        Table(
            "paired",
            "Before and after: share agreeing, among people who answered both",
            [
                "Statement",
                "People (pairs)",
                "Agreed before",
                "95% CI before",
                "Agreed after",
                "95% CI after",
                "Change (points)",
                "McNemar p",
                "Wilcoxon p",
            ],
            [
                [item.text, SUPPRESSED, "", "", "", "", "", "", ""]
                if item.suppressed
                else [
                    item.text,
                    item.n,
                    _percent(item.share_before),
                    _interval(item.ci_before),
                    _percent(item.share_after),
                    _interval(item.ci_after),
                    item.change_points,
                    _p(item.mcnemar_p),
                    _p(item.wilcoxon_p),
                ]
                for item in data["items"]
            ],
        ),
        Table(
            "themes",
            "Outcome theme scores (0 = all strongly disagree, 100 = all strongly agree)",
            ["Theme", "Before", "After"],
            [
                [
                    theme["label"],
                    theme.get("pre")
                    if theme.get("pre") is not None
                    else SUPPRESSED
                    if "pre_answers" in theme
                    else "",
                    theme.get("post")
                    if theme.get("post") is not None
                    else SUPPRESSED
                    if "post_answers" in theme
                    else "",
                ]
                for theme in data["themes"]
            ],
        ),
    ]
    nps_rows = []
    for label, nps in (("Young people", data["mentee_nps"]), ("Mentors", data["mentor_nps"])):
        if nps is None:
            continue
        if nps["suppressed"]:
            nps_rows.append([label, SUPPRESSED, "", "", "", ""])
        else:
            nps_rows.append(
                [label, nps["n"], nps["promoters"], nps["passives"], nps["detractors"], nps["score"]]
            )
    result.append(
        Table(
            "nps",
            "Net Promoter Score",
            ["Group", "Answers", "Promoters", "Passives", "Detractors", "NPS"],
            nps_rows,
        )
    )
    result.append(
        Table(
            "fidelity",
            "Delivery (fidelity)",
            ["Measure", "Value"],
            [
                [m["measure"], SUPPRESSED if m["suppressed"] else m["value"]]
                for m in data["fidelity"]["measures"]
            ],
        )
    )
    result.append(
        Table(
            "needs",
            "What young people want: needs and interests at the start, most chosen first",
            ["Question", "Answer", "Young people"],
            [
                [row["question"], row["option"], SUPPRESSED if row["suppressed"] else row["n"]]
                for row in data["needs"]
            ],
        )
    )
    result.append(
        Table(
            "rates",
            "Survey response rates",
            ["Survey", "Sent", "Completed", "Completion rate"],
            [
                [r["survey"], r["issued"], r["submitted"], "" if r["rate"] is None else f"{r['rate']}%"]
                for r in data["rates"]
            ],
        )
    )
    breakdown = data["breakdown"]
    if breakdown is not None:
        rows = [
            [row["label"], SUPPRESSED, "", ""]
            if row["suppressed"]
            else [row["label"], row["n"], _percent(row["share_before"]), _percent(row["share_after"])]
            for row in breakdown["rows"]
        ]
        rows.append(["Total", breakdown["total"] if breakdown["total"] is not None else SUPPRESSED, "", ""])
        item_text = next((i.text for i in data["items"] if i.code == breakdown["question_code"]), "")
        result.append(
            Table(
                "breakdown",
                f"By {breakdown['label'].lower()}: {item_text}",
                [breakdown["label"], "People (pairs)", "Agreed before", "Agreed after"],
                rows,
            )
        )
    return result


def chart_data(data: dict) -> dict:
    """What the browser charts draw (the same numbers as the tables beside them)."""
    items = [item for item in data["items"] if not item.suppressed]
    return {
        "paired": {
            "labels": [item.text for item in items],
            "before": [round(item.share_before * 100) for item in items],
            "after": [round(item.share_after * 100) for item in items],
        },
        "themes": {
            "labels": [theme["label"] for theme in data["themes"]],
            "before": [theme.get("pre") for theme in data["themes"]],
            "after": [theme.get("post") for theme in data["themes"]],
        },
    }


# Exports -----------------------------------------------------------------------------------------


def csv_response(table: Table) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="impact-{table.key}.csv"'
    return response


def xlsx_response(table: Table) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.key[:31]
    sheet.append([spreadsheet_safe(header) for header in table.headers])
    for row in table.rows:
        sheet.append([spreadsheet_safe(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="impact-{table.key}.xlsx"'
    return response
