"""The impact dashboard, its exports and reports, over eleven young people's before-and-after pairs
built once for the module (each test's changes are rolled back)."""

import io

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from ..content import load_instruments
from ..models import ImpactReport
from .factories import mentee_in, pair


@pytest.fixture(scope="module")
def shared_impact(shared_world, django_db_blocker):
    """Six pairs at partner A and five at partner B, with clear improvement."""
    assert shared_world is not None, "the pairs are built once per module, inside its transaction"
    with django_db_blocker.unblock():
        load_instruments(apps)
        for cohort, count in ((shared_world.cohort_a, 6), (shared_world.cohort_b, 5)):
            for _ in range(count):
                pair(
                    mentee_in(cohort),
                    {"positive_future": 2, "advice_contact": 2},
                    {"positive_future": 5, "advice_contact": 4, "mentee_recommend": 9},
                )


@pytest.fixture
def impact(shared_impact, world):
    return world


def test_staff_dashboard_shows_the_paired_change_with_bounded_queries(
    impact, client_for, django_assert_max_num_queries
):
    client = client_for(impact.staff)
    # Session, person and roles (3); the item catalogue (1); the filter's programme, partner and cohort
    # choices (3); the pair summary and the after answers, once for both populations (2); needs (2);
    # the delivery measures (3); response rates (1); the report form's programmes and the reports (2).
    # The breakdown is loaded on its own: session, person, roles, catalogue, the summary and its labels.
    # Here the session is saved after the page too (a savepoint, an update and its release).
    with django_assert_max_num_queries(20):
        page = client.get(reverse("evaluation:dashboard"))
    with django_assert_max_num_queries(9):
        fragment = client.get(reverse("evaluation:dashboard_breakdown"), headers={"HX-Request": "true"})
    assert "By youth partner, young people:" in fragment.content.decode()
    html = page.content.decode()
    assert "I feel positive about my future." in html
    assert 'class="impact-chart-bar"' in html and "chartjs" not in html and 'style="' not in html
    items = page.context["data"]["items"]
    positive = next(item for item in items if item.code == "positive_future")
    assert (positive.n, positive.share_before, positive.share_after) == (11, 0, 1)


@pytest.mark.slow_ok(reason="submits paired surveys for a cohort through the services, then reads them")
def test_more_data_does_not_mean_more_queries(impact, client_for, django_assert_max_num_queries):
    for _ in range(10):
        pair(mentee_in(impact.cohort_a), {"positive_future": 3}, {"positive_future": 4})
    client = client_for(impact.staff)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("evaluation:dashboard")).status_code == 200


def test_coordinator_sees_only_their_partner(impact, client_for):
    page = client_for(impact.coordinator_b).get(reverse("evaluation:dashboard"))
    positive = next(item for item in page.context["data"]["items"] if item.code == "positive_future")
    assert positive.n == 5
    other = client_for(impact.coordinator_b).get(
        reverse("evaluation:dashboard"), {"youth_partner": impact.partner_a.pk}
    )
    # Partner A is not a choice for coordinator B: the filter is ignored, not obeyed.
    assert next(i for i in other.context["data"]["items"] if i.code == "positive_future").n == 5


def test_funder_sees_aggregates_but_cannot_build_reports(impact, client_for):
    client = client_for(impact.funder)
    page = client.get(reverse("evaluation:dashboard"))
    assert page.status_code == 200 and page.context["report_form"] is None
    assert client.post(reverse("evaluation:report_create"), {}).status_code == 403


def test_csv_export_is_safe_from_formula_injection(impact, client_for):
    from ..models import Question

    Question.objects.filter(code="positive_future").update(text='=HYPERLINK("http://x")')
    response = client_for(impact.staff).get(reverse("evaluation:dashboard_export", args=["paired", "csv"]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in body and "\n=HYPERLINK" not in body


def test_xlsx_export_opens_and_keeps_formulas_as_text(impact, client_for):
    from ..models import Question

    Question.objects.filter(code="advice_contact").update(text="+SUM(A1)")
    response = client_for(impact.funder).get(reverse("evaluation:dashboard_export", args=["paired", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet["A"]]
    assert "'+SUM(A1)" in values
    assert sheet["B1"].value == "People (pairs)"


def test_staff_build_a_pdf_report_in_the_background(impact, client_for, django_capture_on_commit_callbacks):
    client = client_for(impact.staff)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            reverse("evaluation:report_create"),
            {"programme": impact.programme.pk, "period_start": "2020-01-01", "period_end": "2099-12-31"},
        )
    report = ImpactReport.objects.get()
    assert created.url == report.get_absolute_url()
    assert report.status == ImpactReport.Status.READY and report.progress == 100
    status = client.get(reverse("evaluation:report_status", args=[report.pk]))
    assert (
        "Download the PDF report" in status.content.decode() and "hx-trigger" not in status.content.decode()
    )
    download = client.get(reverse("evaluation:report_download", args=[report.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert bytes(download.content).startswith(b"%PDF")


def test_a_tables_cells_are_escaped_as_the_template_would():
    from django.utils.html import format_html, format_html_join

    from evaluation import dashboard
    from evaluation.templatetags.evaluation_tags import screen_table

    table = dashboard.Table(
        "t", "T", [dashboard.Column("Group"), dashboard.Column("Share")], [["<A & B>", "<1%"]]
    )
    expected = format_html(
        '<tr><th scope="row">{}</th>{}</tr>', "<A & B>", format_html_join("", "<td>{}</td>", [("<1%",)])
    )
    assert screen_table(table)["body"] == expected
    assert expected == '<tr><th scope="row">&lt;A &amp; B&gt;</th><td>&lt;1%</td></tr>'


# evaluation/_table.html as it was written in the template language, before `impact_table` wrote it.
TABLE_TEMPLATE = """{% load evaluation_tags %}{% screen_table table as shown %}
<div class="table-responsive impact-table" tabindex="0" role="region" aria-label="{{ table.title }} (scrolls sideways)">
<table class="table table-sm table-striped align-middle">
  <caption>{{ table.title }}
    <span class="ms-2 small">Download: <a href="{% url 'evaluation:dashboard_export' table.key 'csv' %}{% if query %}?{{ query }}{% endif %}">CSV<span class="visually-hidden"> of {{ table.title }}</span></a>
    · <a href="{% url 'evaluation:dashboard_export' table.key 'xlsx' %}{% if query %}?{{ query }}{% endif %}">Excel<span class="visually-hidden"> of {{ table.title }}</span></a></span>
  </caption>
  <thead><tr>{% for header in shown.headers %}<th scope="col">{{ header }}</th>{% endfor %}</tr></thead>
  <tbody>
    {% if shown.rows %}{{ shown.body }}
    {% else %}<tr><td colspan="{{ shown.headers|length }}">No answers yet for this selection.</td></tr>{% endif %}
  </tbody>
</table>
</div>
{% if table.note %}<p class="small text-body-secondary">{{ table.note }}</p>{% endif %}
"""  # noqa: E501


def test_a_table_is_written_as_the_template_wrote_it():
    from django.template import Context, Template
    from django.template.loader import render_to_string

    from evaluation import dashboard

    columns = [
        dashboard.Column("Group <b>"),
        dashboard.Column("Share", "share"),
        dashboard.Column("Low", "share", interval="95% CI"),
        dashboard.Column("High", "share", on_screen=False),
        dashboard.Column("Hidden", "count", on_screen=False),
    ]
    tables = [
        dashboard.Table("paired", "Before & after <young people>", columns, [["A & B", 0.5, 0.4, 0.6, 3]]),
        dashboard.Table("needs", "Needs", columns, [], note="Small <groups> & others"),
        dashboard.Table("rates", "Rates", columns, [["x", None, None, None, None]], note=""),
    ]
    for table in tables:
        for query in ("", "programme=1&breakdown=cohort", "item=<x>"):
            expected = Template(TABLE_TEMPLATE).render(Context({"table": table, "query": query}))
            shown = render_to_string("evaluation/_table.html", {"table": table, "query": query})
            assert shown == expected, (table.key, query)


# evaluation/_dumbbell.html and _fidelity.html as they were written in the template language, before the
# `dumbbell` and `fidelity_rows` tags wrote them.
DUMBBELL_TEMPLATE = """{# One row per statement: its full wording, the two shares in words, and a dot-and-arrow drawn in SVG attributes (no inline style). #}
<figure class="impact-chart">
  <figcaption class="small text-body-secondary mb-2">{{ caption }} <span class="impact-key"><svg viewBox="0 0 14 14" class="impact-key-mark" aria-hidden="true" focusable="false"><circle cx="7" cy="7" r="5" class="impact-before"/></svg> before, <svg viewBox="0 0 14 14" class="impact-key-mark" aria-hidden="true" focusable="false"><circle cx="7" cy="7" r="5" class="impact-after"/></svg> after. The same figures are in the table below.</span></figcaption>
  <ol class="impact-chart-rows">
    {% for row in rows %}
    <li class="impact-chart-row">
      <span class="impact-chart-text">{{ row.text }}</span>
      <span class="impact-chart-figures">{{ row.before }}% before, {{ row.after }}% after</span>
      <svg class="impact-chart-bar" viewBox="-6 0 212 16" aria-hidden="true" focusable="false">
        <line x1="0" y1="8" x2="200" y2="8" class="impact-track"/>
        <line x1="100" y1="3" x2="100" y2="13" class="impact-track"/>
        <line x1="{% widthratio row.before 1 2 %}" y1="8" x2="{% widthratio row.after 1 2 %}" y2="8" class="impact-change{% if not row.rising %} impact-fall{% endif %}"/>
        <circle cx="{% widthratio row.before 1 2 %}" cy="8" r="4.5" class="impact-before"/>
        <circle cx="{% widthratio row.after 1 2 %}" cy="8" r="4.5" class="impact-after"/>
      </svg>
    </li>
    {% endfor %}
  </ol>
  <div class="impact-chart-axis small text-body-secondary" aria-hidden="true"><span>0%</span><span>50%</span><span>100%</span></div>
</figure>
"""  # noqa: E501

FIDELITY_TEMPLATE = """{# The delivery measures, each with a "?" that opens how it is computed (the same words as in the exports and the PDF). #}
<div class="table-responsive impact-table" tabindex="0" role="region" aria-label="{{ table.title }}">
<table class="table table-sm table-striped align-middle">
  <caption>{{ table.title }}
    <span class="ms-2 small">Download: <a href="{% url 'evaluation:dashboard_export' table.key 'csv' %}{% if query %}?{{ query }}{% endif %}">CSV<span class="visually-hidden"> of {{ table.title }}</span></a>
    · <a href="{% url 'evaluation:dashboard_export' table.key 'xlsx' %}{% if query %}?{{ query }}{% endif %}">Excel<span class="visually-hidden"> of {{ table.title }}</span></a></span>
  </caption>
  <thead><tr><th scope="col">Measure</th><th scope="col">Value</th></tr></thead>
  <tbody>
    {% for measure, value, definition in table.rows %}<tr>
      <th scope="row" class="fw-normal">{{ measure }}
        <details class="impact-definition"><summary><span aria-hidden="true">?</span><span class="visually-hidden">How “{{ measure }}” is computed</span></summary><p class="small mb-1">{{ definition }}</p></details>
      </th>
      <td>{{ value }}</td>
    </tr>{% endfor %}
  </tbody>
</table>
</div>
{% if table.note %}<p class="small text-body-secondary">{{ table.note }}</p>{% endif %}
"""  # noqa: E501


def test_the_charts_and_delivery_measures_are_written_as_the_templates_wrote_them():
    from django.template import Context, Template
    from django.template.loader import render_to_string

    from evaluation import dashboard

    rows = [
        {"text": "I feel <safe> & heard", "before": 40, "after": 65, "rising": True},
        {"text": "Plain", "before": 100, "after": 0, "rising": False},
        {"text": "Same", "before": 7, "after": 7, "rising": True},
    ]
    for shown in (rows, rows[:1], []):
        for caption in ("Share of young people agreeing with each statement.", "<b>"):
            expected = Template(DUMBBELL_TEMPLATE).render(Context({"rows": shown, "caption": caption}))
            written = Template("{% load evaluation_tags %}{% dumbbell rows caption %}").render(
                Context({"rows": shown, "caption": caption})
            )
            assert written == expected
    fidelity = dashboard.fidelity_table(
        {
            "measures": [
                {
                    "measure": "Relationships",
                    "value": 10000,
                    "definition": "In <the> period",
                    "suppressed": False,
                },
                {"measure": "Mean & more", "value": 4.5, "definition": "Held", "suppressed": False},
                {"measure": "Share", "value": "<1%", "definition": "x", "suppressed": False},
                {"measure": "Hidden", "value": None, "definition": "y", "suppressed": True},
            ]
        }
    )
    for query in ("", "programme=3&start=2026-01-01"):
        context = {"table": fidelity, "query": query}
        expected = Template(FIDELITY_TEMPLATE).render(Context(context))
        assert render_to_string("evaluation/_fidelity.html", context) == expected
