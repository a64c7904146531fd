"""The employer figures' breakdown rows, built by a tag, read as the template loop they replaced."""

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from community.selectors import Breakdown
from community.templatetags.community_tags import breakdown_rows

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
