"""The employer figures and their breakdowns, built by tags, read as the template loops they replaced."""

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation

from community.selectors import Breakdown, Figure
from community.templatetags.community_tags import breakdown_rows, breakdown_sections

LOOP = Template(
    "{% for group, cells in breakdown.rows %}\n"
    '        <tr><th scope="row">{{ group }}</th>{% for value in cells %}<td>{% if value is None %}'
    '<span class="text-body-secondary">Not shown</span>{% else %}{{ value }}{% endif %}</td>'
    "{% endfor %}</tr>\n      {% endfor %}"
)


def test_breakdown_rows_match_the_template_loop_with_hidden_cells_and_escaped_names():
    breakdown = Breakdown(
        title="By youth partner",
        heading="Youth partner",
        columns=("Mentors", "Young people", "Sessions held", "Hours"),
        rows=[
            ("Bench <School> & Co", [12, None, 340, 12.5]),
            ("March 2026", [None, None, None, None]),
            ("Other", [0, 7, 1234, 0.0]),
        ],
    )
    html = breakdown_rows(breakdown)
    assert html == LOOP.render(Context({"breakdown": breakdown}))
    assert "Bench &lt;School&gt; &amp; Co" in html
    assert html.count("Not shown") == 5


@pytest.mark.parametrize("language", ["en-gb", "de", "fr"])
@pytest.mark.parametrize("grouping", [False, True])
def test_breakdown_rows_write_numbers_as_the_template_does_in_any_language(language, grouping):
    breakdown = Breakdown(
        title="By month",
        heading="Month",
        columns=("Mentors", "Young people", "Sessions held", "Hours"),
        rows=[("June 2026", [1234567, None, 1000, 2345.5]), ("July 2026", [5, 0, True, 0.1])],
    )
    with override_settings(USE_THOUSAND_SEPARATOR=grouping), translation.override(language):
        assert breakdown_rows(breakdown) == LOOP.render(Context({"breakdown": breakdown}))


SECTIONS_LOOP = Template(
    "{% load community_tags %}{% for breakdown in breakdowns %}\n"
    '<section class="mt-4" aria-labelledby="breakdown-{{ forloop.counter }}">\n'
    '  <h2 id="breakdown-{{ forloop.counter }}" class="h4">{{ breakdown.title }}</h2>\n'
    "  {% if breakdown.rows %}\n"
    '  <div class="table-responsive">\n'
    '  <table class="table table-striped">\n'
    '    <caption class="visually-hidden">{{ breakdown.title }}</caption>\n'
    '    <thead><tr><th scope="col">{{ breakdown.heading }}</th>{% for column in breakdown.columns %}'
    '<th scope="col">{{ column }}</th>{% endfor %}</tr></thead>\n'
    "    <tbody>\n"
    "      {% breakdown_rows breakdown %}\n"
    "    </tbody>\n"
    "  </table>\n"
    "  </div>\n"
    "  {% else %}\n"
    "  <p>{{ breakdown.empty }}</p>\n"
    "  {% endif %}\n"
    "</section>\n"
    "{% endfor %}"
)


def test_breakdown_sections_match_the_template_loop_with_empty_breakdowns_and_escaped_text():
    columns = ("Mentors", "Young <people>", "Sessions held", "Hours")
    breakdowns = [
        Breakdown("By month", "Month", columns, [], "No sessions held in the last twelve months."),
        Breakdown("By <programme> & co", "Programme & co", columns, [("Maths & <Sci>", [5, None, 7, 1.5])]),
        Breakdown("By youth partner", "Youth partner", columns, [("A", [None] * 4), ("B", [12, 1, 14, 2.0])]),
        Breakdown("Empty & <odd>", "Heading", columns, [], "Nothing <yet> & more"),
    ]
    html = breakdown_sections(breakdowns)
    assert html == SECTIONS_LOOP.render(Context({"breakdowns": breakdowns}))
    assert "By &lt;programme&gt; &amp; co" in html and "Nothing &lt;yet&gt; &amp; more" in html
    assert breakdown_sections([]) == ""


FIGURES_LOOP = Template(
    '<dl class="row mb-0">\n'
    "  {% for figure in figures %}\n"
    '    <dt class="col-sm-7">{{ figure.label }}</dt>\n'
    '    <dd class="col-sm-5">{% if figure.shown %}{{ figure.value }}{% else %}'
    '<span class="text-body-secondary">{{ figure.note }}</span>{% endif %}</dd>\n'
    "  {% endfor %}\n"
    "</dl>\n"
)


@pytest.mark.parametrize("grouping", [False, True])
def test_the_figures_match_the_template_loop_with_hidden_figures_and_escaped_text(grouping):
    figures = [
        Figure("mentors_linked", "Mentors from <your> organisation", 1234),
        Figure("mentors_active", "Mentors & more", None, "Not shown: fewer than <5> & so on."),
        Figure("hours_volunteered", "Hours", 12345.5),
        Figure("sessions_held", "Sessions", 0),
    ]
    with override_settings(USE_THOUSAND_SEPARATOR=grouping):
        expected = FIGURES_LOOP.render(Context({"figures": figures}))
        assert render_to_string("community/_figures.html", {"figures": figures}) == expected
    assert "Mentors from &lt;your&gt; organisation" in expected
