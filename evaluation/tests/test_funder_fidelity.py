"""The funder's home writes its delivery measures with `evaluation/_funder_fidelity.html` (the rows
built by funder_tags), whose markup is the impact page's table's (`evaluation/_fidelity.html`): for
figures of every kind (whole numbers, shares, medians, missing and suppressed values), texts that need
escaping, with and without a filter query."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from evaluation import dashboard


@pytest.mark.parametrize("query", ["", "programme=3"])
def test_the_funders_delivery_table_is_the_impact_pages(query):
    measures = [
        {
            "measure": "Relationships",
            "value": 1234,
            "definition": "Every <relationship> & more",
            "suppressed": False,
        },
        {"measure": "Share “on cadence”", "value": 0.4567, "definition": "Active ones", "suppressed": False},
        {"measure": "Weeks (median)", "value": Decimal("8.5"), "definition": "Days / 7", "suppressed": False},
        {"measure": "Not yet known", "value": None, "definition": "No one yet", "suppressed": False},
        {"measure": "Few", "value": 3, "definition": "Fewer than five", "suppressed": True},
        {"measure": "O'Neil's <b>share</b>", "value": "12%", "definition": "", "suppressed": False},
    ]
    table = dashboard.fidelity_table({"measures": measures})
    for rows in (table.rows, table.rows[:1], []):
        table.rows = rows
        context = {"table": table, "query": query}
        impact = render_to_string("evaluation/_fidelity.html", context)
        funder = render_to_string("evaluation/_funder_fidelity.html", context)
        assert funder == impact
    assert "O&#x27;Neil" in render_to_string(
        "evaluation/_funder_fidelity.html",
        {"table": dashboard.fidelity_table({"measures": measures}), "query": query},
    )
