"""The funder's home leads with each programme's headline before-and-after figures and delivery
measures, the same figures as the impact page shows for that programme."""

import pytest
from django.apps import apps
from django.urls import reverse

from ..content import load_instruments
from .factories import mentee_in, pair

# Sign-in and roles, the headline figures (read from the tallies), the programme table (whose
# relationship counts the headline's delivery measures already made): the funder's home as computed in
# the test world.
FUNDER_CEILING = 15


@pytest.fixture(scope="module")
def shared_impact(shared_world, django_db_blocker):
    """Six pairs at partner A and five at partner B, with clear improvement on two headline items."""
    assert shared_world is not None, "the pairs are built once per module, inside its transaction"
    with django_db_blocker.unblock():
        load_instruments(apps)
        for cohort, count in ((shared_world.cohort_a, 6), (shared_world.cohort_b, 5)):
            for _ in range(count):
                pair(
                    mentee_in(cohort),
                    {"positive_future": 2, "advice_contact": 2},
                    {"positive_future": 5, "advice_contact": 4},
                )


@pytest.fixture(scope="module")
def pages(shared_impact, shared_world, django_db_blocker):
    """The funder's home page and the impact page for the programme, loaded once for the module:
    the tests compare what they show."""
    from django.test import Client

    client = Client()
    with django_db_blocker.unblock():
        client.force_login(shared_world.funder)
        home = client.get(reverse("home"))
        impact_page = client.get(reverse("evaluation:dashboard"), {"programme": shared_world.programme.pk})
    tables = {table.key: table for table in impact_page.context["tables"]}
    panel = next(p for p in home.context["panels"] if p.template == "evaluation/_funder_headline.html")
    return {"home": home.content.decode(), "panel": panel, "impact": tables}


@pytest.fixture
def impact(shared_impact, world):
    return world


def _impact_page_rows(pages, key):
    """The screen rows of one of the impact page's tables for the programme, by column header."""
    headers, rows = pages["impact"][key].screen()
    return [dict(zip(headers, row, strict=True)) for row in rows]


def test_the_funders_home_leads_with_the_impact_pages_headline_figures(pages):
    page = pages["home"]
    # It leads: the headline comes before the home page's own tables.
    assert page.index("Future Paths Mentoring: what changed for young people") < page.index("By programme")
    (row,) = pages["panel"].context["rows"]
    headline = row["headline"]
    shown = [dict(zip(headline["headers"], cells, strict=True)) for cells in headline["rows"]]
    positive = next(r for r in shown if r["Statement"] == "I feel positive about my future.")
    assert positive["People (pairs)"] == "11"
    assert (positive["Agreed before"], positive["Agreed after"]) == ("0%", "100%")
    assert positive["Change (after minus before)"] == "+100.0 points"
    assert "I feel positive about my future." in page and "+100.0 points" in page
    # The same figures as the impact page for the programme, statement by statement.
    on_impact_page = {r["Statement"]: r for r in _impact_page_rows(pages, "paired")}
    for row_shown in shown:
        expected = on_impact_page[row_shown["Statement"]]
        assert row_shown == {header: expected[header] for header in row_shown}
    # The headline statements only: the page's other statements are not repeated here.
    assert 2 <= len(shown) < len(on_impact_page)


def test_the_funders_home_shows_the_impact_pages_delivery_measures(pages):
    fidelity = pages["panel"].context["rows"][0]["headline"]["fidelity"]
    assert fidelity.screen() == pages["impact"]["fidelity"].screen()
    assert "Delivery (fidelity)" in pages["home"]
    assert "Active relationships meeting the programme&#x27;s session cadence" in pages["home"]


def test_only_people_who_read_impact_get_the_headline(impact, client_for):
    home = client_for(impact.mentor).get(reverse("home")).content.decode()
    assert "what changed for young people" not in home


def test_the_funders_home_reads_their_programmes_once_in_a_bounded_number_of_queries(
    impact, client, django_assert_max_num_queries
):
    """The headline figures and the programme table show the same programmes: read once."""
    client.force_login(impact.funder)
    with django_assert_max_num_queries(FUNDER_CEILING) as captured:
        page = client.get(reverse("home")).content.decode()
    programme_reads = [
        query
        for query in captured.captured_queries
        if query["sql"].startswith('SELECT "mentoring_programme"."id"')
    ]
    assert len(programme_reads) == 1
    assert "Future Paths Mentoring: what changed for young people" in page and "By programme" in page


def test_the_programme_table_counts_every_relationship_of_each_programme(impact, client):
    """The programmes whose headline leads the page take their relationship count from the delivery
    measures; the others (here one no longer active) are counted by the table itself: both the
    count of every relationship of the programme, whatever its status and partner."""
    from mentoring.models import Relationship
    from mentoring.panels import suppress
    from mentoring.tests.factories import CohortFactory, ProgrammeFactory, RelationshipFactory

    ended = ProgrammeFactory(name="Earlier Pilot", is_active=False)
    cohort = CohortFactory(programme=ended, youth_partner=impact.partner_b)
    for status in ("completed", "ended_early", "completed", "completed", "completed", "active"):
        RelationshipFactory(cohort=cohort, status=status)
    client.force_login(impact.funder)
    home = client.get(reverse("home"))
    table = next(p for p in home.context["panels"] if p.template == "mentoring/panels/funder_programmes.html")
    shown = {row["programme"].pk: row["relationships"] for row in table.context["rows"]}
    assert shown == {
        programme.pk: suppress(Relationship.objects.filter(cohort__programme=programme).count())
        for programme in (impact.programme, ended)
    }
    assert shown[ended.pk] == 6
