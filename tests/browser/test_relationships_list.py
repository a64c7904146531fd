"""A coordinator finds their partner's relationships from the navigation, filters to those that
missed their cadence, searches by name and downloads the list; at desktop and phone width."""

import csv
import datetime
import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.models import Relationship
from mentoring.tests.factories import MentoringSessionFactory
from tests.browser.test_accessibility import assert_no_serious_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 375], ids=["desktop", "phone"])
def test_a_coordinator_lists_filters_searches_and_downloads_their_relationships(
    live_world, page, log_in, width
):
    world = live_world
    # Yasmin's pair started three months ago and has not met since; Aaron's meets next week.
    Relationship.objects.filter(pk=world.relationship_under_16.pk).update(
        started_on=timezone.localdate() - datetime.timedelta(days=90)
    )
    MentoringSessionFactory(
        relationship=world.relationship_over_18, starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    yasmin, aaron = world.mentee_under_16.get_full_name(), world.mentee_over_18.get_full_name()
    page.set_viewport_size({"width": width, "height": 800})
    log_in(world.coordinator_a)

    main_nav = page.get_by_role("navigation", name="Main")
    if width < 992:
        page.get_by_role("button", name="Show or hide the menu").click()
    main_nav.get_by_role("button", name="Relationships").click()
    main_nav.get_by_role("link", name="Relationships", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Relationships")
    table = page.get_by_role("table", name="2 relationships")
    expect(table.get_by_role("rowheader", name=yasmin)).to_be_visible()
    expect(table.get_by_role("row", name=aaron)).to_contain_text("On track")
    # The page fits the screen: a wide table scrolls inside its own box.
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"page is {scroll_width}px wide in a {inner_width}px viewport"
    assert_no_serious_violations(Axe(), page)

    page.get_by_label("Cadence").select_option(label="Missed its cadence")
    page.get_by_role("button", name="Filter").click()
    table = page.get_by_role("table", name="1 relationship")
    expect(table.get_by_role("row", name=yasmin)).to_contain_text("Missed its cadence")
    expect(table.get_by_role("rowheader", name=aaron)).to_have_count(0)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these relationships (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert [(row["Mentee"], row["Cadence"]) for row in rows] == [(yasmin, "Missed its cadence")]

    page.get_by_role("link", name="Clear").click()
    page.get_by_label("Search by mentor or mentee name").fill(world.mentee_over_18.first_name)
    page.get_by_role("button", name="Filter").click()
    table = page.get_by_role("table", name="1 relationship")
    expect(table.get_by_role("rowheader", name=aaron)).to_be_visible()
    table.get_by_role("link", name=aaron).click()
    expect(page).to_have_url(re.compile(rf"/relationships/{world.relationship_over_18.pk}/$"))
