"""The impact and fidelity figures, assembled once and shown as a page, exports, the API and the PDF.

Every table keeps its figures as numbers (shares from 0 to 1, counts, p-values) with a kind per
column; the page and the PDF format them for reading, the exports keep them as numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse

from core.exports import csv_download, xlsx_download

from . import analysis, selectors
from .models import Instrument

SUPPRESSED = "fewer than 5"
POPULATION_LABEL = {Instrument.MENTEES: "young people", Instrument.MENTORS: "mentors"}


@dataclass
class Column:
    header: str
    # text, count, share (0-1), change (-1 to 1, shown in percentage points), p, score (0-100), number
    kind: str = "text"
    # False: in the exports and the API only (the counts behind a share, each bound of an interval).
    on_screen: bool = True
    # On screen, this column and the next are shown as one interval ("30–36%") under this header.
    interval: str = ""


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list]
    note: str = ""
    section: str = ""

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def screen(self) -> tuple[list[str], list[list[str]]]:
        """Headers and rows as text for reading, with each interval's bounds in one cell."""
        headers, plan = [], []
        index = 0
        while index < len(self.columns):
            column = self.columns[index]
            if column.interval:
                headers.append(column.interval)
                plan.append((index, index + 1, column.kind))
                index += 2
                continue
            if column.on_screen:
                headers.append(column.header)
                plan.append((index, None, column.kind))
            index += 1
        rows = []
        for row in self.rows:
            cells = []
            for first, second, kind in plan:
                if second is None:
                    cells.append(format_value(row[first], kind))
                elif row[first] is None or row[second] is None:
                    cells.append("")
                else:
                    cells.append(format_interval(row[first], row[second], kind))
            rows.append(cells)
        return headers, rows

    def as_dict(self) -> dict:
        """For the API: numbers as numbers, with what each column holds."""
        return {
            "title": self.title,
            "note": self.note,
            "columns": [{"header": column.header, "kind": column.kind} for column in self.columns],
            "headers": self.headers,
            "rows": self.rows,
        }


def format_value(value, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if kind == "share":
        return f"{round(value * 100)}%"
    if kind == "change":
        points = round(value * 100, 1)
        return f"{points:+.1f} points" if points else "0.0 points"
    if kind == "p":
        return "<0.001" if value < 0.001 else f"{value:.3f}"
    if kind in ("score", "number"):
        return f"{value:.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def format_interval(low, high, kind: str) -> str:
    if kind == "change":
        return f"{low * 100:+.1f} to {high * 100:+.1f}"
    return f"{round(low * 100)}–{round(high * 100)}%"


# Building the figures ----------------------------------------------------------------------------


def build(
    aggregate_filter: selectors.AggregateFilter,
    *,
    breakdown: str = "youth_partner",
    item: str | None = None,
    catalogue: dict | None = None,
    with_breakdown: bool = True,
) -> dict:
    """Every figure of the impact page. With `with_breakdown=False` the breakdown (the slowest part,
    which the page loads on its own after the first paint) is left out: `data["breakdown"]` is None."""
    catalogue = selectors.item_catalogue() if catalogue is None else catalogue
    chosen = chosen_item(catalogue, item)
    # The pair summary and the after answers, each read once for both populations' tables.
    cells = selectors.pair_cells(aggregate_filter)
    answers = selectors.post_answer_counts(aggregate_filter)
    mentees, mentors = Instrument.MENTEES, Instrument.MENTORS
    return {
        "period": aggregate_filter.period_in_words(),
        "items": selectors.paired_items(aggregate_filter, mentees, catalogue, cells=cells, answers=answers),
        "mentor_items": selectors.paired_items(
            aggregate_filter, mentors, catalogue, cells=cells, answers=answers
        ),
        "themes": selectors.theme_scores(aggregate_filter, mentees, cells=cells),
        "mentor_themes": selectors.theme_scores(aggregate_filter, mentors, cells=cells),
        "mentee_nps": selectors.nps(aggregate_filter, Instrument.Purpose.MENTEE_POST, answers=answers),
        "mentor_nps": selectors.nps(aggregate_filter, Instrument.Purpose.MENTOR_POST, answers=answers),
        "needs": selectors.what_young_people_want(aggregate_filter)[:15],
        "fidelity": selectors.fidelity(aggregate_filter),
        "rates": selectors.response_rates(aggregate_filter),
        "item": chosen,
        "breakdown": breakdown_of(aggregate_filter, breakdown, chosen) if with_breakdown else None,
    }


def chosen_item(catalogue: dict, item: str | None):
    """The statement the breakdown is of: the one asked for, else the programme's headline statement."""
    chosen = catalogue.get(item) if item else None
    if chosen is None:
        default = selectors.default_item(catalogue)
        chosen = catalogue.get(default) if default else None
    return chosen


def breakdown_of(aggregate_filter: selectors.AggregateFilter, dimension: str, chosen) -> dict | None:
    if chosen is None:
        return None
    return selectors.breakdown(
        aggregate_filter,
        dimension=dimension,
        question_code=chosen.key,
        population=chosen.population,
        codes=chosen.codes,
    )


def breakdown_table(
    aggregate_filter: selectors.AggregateFilter, *, breakdown: str, item: str | None, catalogue: dict
) -> Table | None:
    """The breakdown alone, as the page's deferred section shows it."""
    chosen = chosen_item(catalogue, item)
    return _breakdown_table({"item": chosen, "breakdown": breakdown_of(aggregate_filter, breakdown, chosen)})


def _statement(item) -> str:
    if not item.other_wordings:
        return item.text
    earlier = "; ".join(f"“{text}”" for text in item.other_wordings)
    return f"{item.text} (also asked as {earlier}; answers under both wordings are compared as one item)"


PAIRED_COLUMNS = [
    Column("Statement"),
    Column("People (pairs)", "count"),
    Column("Agreeing before (people)", "count", on_screen=False),
    Column("Agreed before", "share"),
    Column("95% CI before, low", "share", interval="95% CI before"),
    Column("95% CI before, high", "share", on_screen=False),
    Column("Agreeing after (people)", "count", on_screen=False),
    Column("Agreed after", "share"),
    Column("95% CI after, low", "share", interval="95% CI after"),
    Column("95% CI after, high", "share", on_screen=False),
    Column("Change (after minus before)", "change"),
    Column("95% CI change, low", "change", interval="95% CI change (points)"),
    Column("95% CI change, high", "change", on_screen=False),
    Column("McNemar mid-p", "p"),
    Column("Wilcoxon p", "p"),
    Column("Answered after only (not paired)", "count"),
]


def _paired_rows(items) -> list[list]:
    rows = []
    for item in items:
        unpaired = item.unpaired_after
        if unpaired is not None and 0 < unpaired < analysis.SMALL_CELL:
            unpaired = SUPPRESSED
        if item.suppressed:
            rows.append([_statement(item), SUPPRESSED, *[None] * 13, unpaired])
            continue
        ci_before, ci_after, ci_change = item.ci_before, item.ci_after, item.ci_change
        rows.append(
            [
                _statement(item),
                item.n,
                item.agree_before,
                item.share_before,
                ci_before[0],
                ci_before[1],
                item.agree_after,
                item.share_after,
                ci_after[0],
                ci_after[1],
                item.change,
                ci_change[0],
                ci_change[1],
                item.mcnemar_p,
                item.wilcoxon_p,
                unpaired,
            ]
        )
    return rows


def _theme_table(key: str, themes: list[dict], population: str) -> Table:
    return Table(
        key,
        f"Outcome theme scores, {POPULATION_LABEL[population]} who answered both times "
        "(0 = all strongly disagree, 100 = all strongly agree)",
        [
            Column("Theme"),
            Column("Paired answers", "count"),
            Column("Before", "score"),
            Column("After", "score"),
        ],
        [
            [theme["label"], SUPPRESSED, None, None]
            if theme["suppressed"]
            else [theme["label"], theme["pairs"], theme["pre"], theme["post"]]
            for theme in themes
        ],
        note="Each person's answer to each statement in the theme counts once before and once after; "
        "only answers with a partner on the other side are used.",
        section=population,
    )


BREAKDOWN_COLUMNS = [
    Column("Group"),
    Column("People (pairs)", "count"),
    Column("Agreeing before (people)", "count", on_screen=False),
    Column("Agreed before", "share"),
    Column("Agreeing after (people)", "count", on_screen=False),
    Column("Agreed after", "share"),
    Column("Change (after minus before)", "change"),
    Column("95% CI change, low", "change", interval="95% CI change (points)"),
    Column("95% CI change, high", "change", on_screen=False),
    Column("McNemar mid-p", "p"),
]


def _breakdown_table(data: dict) -> Table | None:
    breakdown, item = data["breakdown"], data["item"]
    if breakdown is None or item is None:
        return None
    rows = []
    for row in breakdown["rows"]:
        if row["suppressed"]:
            rows.append([row["label"], SUPPRESSED, *[None] * 8])
            continue
        low, high = row["ci_change"]
        rows.append(
            [
                row["label"],
                row["n"],
                row["agree_before"],
                row["share_before"],
                row["agree_after"],
                row["share_after"],
                row["change"],
                low,
                high,
                row["mcnemar_p"],
            ]
        )
    if breakdown["rows"]:
        rows.append(
            ["Total", breakdown["total"] if breakdown["total"] is not None else SUPPRESSED, *[None] * 8]
        )
    who = POPULATION_LABEL[item.population]
    note = breakdown.get("unavailable") or (
        f"{who.capitalize()} who answered this statement both times. " + analysis.METHODS
    )
    return Table(
        "breakdown",
        f"By {breakdown['label'].lower()}, {who}: {item.text}",
        BREAKDOWN_COLUMNS,
        rows,
        note=note,
        section="breakdown",
    )


def tables(data: dict) -> list[Table]:
    """Every table on the dashboard, with suppressed cells already hidden."""
    result = [
        Table(
            "paired",
            "Young people: share agreeing before and after, among those who answered both times",
            PAIRED_COLUMNS,
            _paired_rows(data["items"]),
            note=analysis.METHODS,
            section=Instrument.MENTEES,
        ),
        _theme_table("themes", data["themes"], Instrument.MENTEES),
    ]
    if data["mentor_items"]:
        result.append(
            Table(
                "mentor_paired",
                "Mentors: share agreeing before and after, among those who answered both times",
                PAIRED_COLUMNS,
                _paired_rows(data["mentor_items"]),
                note=analysis.METHODS,
                section=Instrument.MENTORS,
            )
        )
        result.append(_theme_table("mentor_themes", data["mentor_themes"], Instrument.MENTORS))
    breakdown = _breakdown_table(data)
    if breakdown is not None:
        result.append(breakdown)
    nps_rows = []
    for label, nps in (("Young people", data["mentee_nps"]), ("Mentors", data["mentor_nps"])):
        if nps is None:
            continue
        if nps["suppressed"]:
            nps_rows.append([label, SUPPRESSED, None, None, None, None])
        else:
            nps_rows.append(
                [label, nps["n"], nps["promoters"], nps["passives"], nps["detractors"], nps["score"]]
            )
    result.append(
        Table(
            "nps",
            "Net Promoter Score",
            [
                Column("Group"),
                Column("Answers", "count"),
                Column("Promoters", "count"),
                Column("Passives", "count"),
                Column("Detractors", "count"),
                Column("NPS", "count"),
            ],
            nps_rows,
        )
    )
    result.append(fidelity_table(data["fidelity"]))
    result.append(
        Table(
            "needs",
            "What young people want: needs and interests at the start, most chosen first",
            [Column("Question"), Column("Answer"), Column("Young people", "count")],
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
            [
                Column("Survey"),
                Column("Sent", "count"),
                Column("Completed", "count"),
                Column("Completion rate", "share"),
            ],
            [
                [r["survey"], r["issued"], r["submitted"], None if r["rate"] is None else r["rate"] / 100]
                for r in data["rates"]
            ],
            note="Sent: surveys sent in the period, each with an invitation by email and on the person's "
            "home page, answered or not. Completed: of those, the ones submitted so far. Completion rate: "
            "completed divided by sent.",
        )
    )
    return result


def fidelity_table(fidelity: dict) -> Table:
    """The delivery measures as the page, the exports, the PDF and the funder's home show them."""
    return Table(
        "fidelity",
        "Delivery (fidelity)",
        [Column("Measure"), Column("Value", "text"), Column("How it is computed")],
        [
            [m["measure"], SUPPRESSED if m["suppressed"] else m["value"], m["definition"]]
            for m in fidelity["measures"]
        ],
        note="Shares and medians behind fewer than five are shown as “fewer than 5”.",
    )


def chart_rows(items) -> list[dict]:
    """One row per statement for the dot-and-arrow charts (page and PDF): the same figures as the table."""
    return [
        {
            "text": item.text,
            "before": round(item.share_before * 100),
            "after": round(item.share_after * 100),
            "rising": item.agree_after >= item.agree_before,
        }
        for item in items
        if not item.suppressed
    ]


# Exports -----------------------------------------------------------------------------------------

NUMBER_FORMATS = {
    "count": "#,##0",
    "share": "0.0%",
    "change": "+0.0%;-0.0%;0.0%",
    "p": "0.0000",
    "score": "0.0",
    "number": "0.0",
}


def _export_value(value, kind: str):
    if isinstance(value, float) and kind in ("share", "change"):
        return round(value, 6)
    return value


def csv_response(table: Table) -> HttpResponse:
    """Numbers as numbers: shares from 0 to 1, p-values in full; suppressed cells say so."""
    rows = (
        [_export_value(cell, column.kind) for cell, column in zip(row, table.columns, strict=True)]
        for row in table.rows
    )
    return csv_download(f"impact-{table.key}.csv", table.headers, rows)


def xlsx_response(table: Table) -> HttpResponse:
    """Numbers as numbers with number formats (shares as percentages), text only where it is text."""
    return xlsx_download(
        f"impact-{table.key}.xlsx",
        table.headers,
        table.rows,
        sheet_title=table.key,
        number_formats=[NUMBER_FORMATS.get(column.kind) for column in table.columns],
        note=table.note,
    )


HEADLINE_COLUMNS = (0, 1, 3, 7, 10)  # statement, people, agreed before, agreed after, change


def headline(aggregate_filter: selectors.AggregateFilter) -> dict:
    """The impact page's headline for one slice (the funder's home page shows it per programme): the
    young people's headline statements before and after, and the delivery (fidelity) measures. The
    figures come from the functions `build` and `tables` use for the page, so the two always agree;
    the statements keep only the page's main columns."""
    catalogue = selectors.item_catalogue()
    items = [
        item
        for item in selectors.paired_items(aggregate_filter, Instrument.MENTEES, catalogue)
        if item.headline
    ]
    columns = [PAIRED_COLUMNS[index] for index in HEADLINE_COLUMNS]
    rows = [
        [
            format_value(row[index], column.kind)
            for index, column in zip(HEADLINE_COLUMNS, columns, strict=True)
        ]
        for row in _paired_rows(items)
    ]
    delivery = selectors.fidelity(aggregate_filter)
    return {
        "period": aggregate_filter.period_in_words(),
        "headers": [column.header for column in columns],
        "rows": rows,
        "fidelity": fidelity_table(delivery),
        # The relationships in the slice (the delivery measures' first figure), as a number.
        "relationships": delivery["counts"]["total"],
    }
