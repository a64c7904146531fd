"""A mentor about to log a session finds the goal-setting worksheet the page suggests, prints it and
rates it."""

import datetime
import io

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from mentoring.tests.factories import MentoringSessionFactory
from resources.loader import load_starter_content
from resources.models import Resource, ResourceRating

from .conftest import sign_in_with_session
from .test_accessibility import assert_no_serious_violations


def test_mentor_finds_prints_and_rates_a_goal_setting_worksheet_from_the_session_log(
    live_world, live_server, browser
):
    load_starter_content()
    world = live_world
    # A session that has just happened; the pair has set no goals yet.
    session = MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in_with_session(page, live_server.url, world.mentor)

    page.goto(live_server.url + reverse("mentoring:session_log", args=[session.pk]))
    suggestions = page.get_by_role("region", name="Resources that fit what you are working on")
    expect(suggestions).to_contain_text("No goals set yet")
    suggestions.get_by_role("link", name="Goal-setting worksheet (SMART goals)").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Goal-setting worksheet (SMART goals)")
    assert_no_serious_violations(Axe(), page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Printable version (PDF)").click()
    with open(download_info.value.path(), "rb") as pdf:
        text = PdfReader(io.BytesIO(pdf.read())).pages[0].extract_text()
    assert "Goal-setting worksheet" in text and "Make it SMART" in text

    page.get_by_label("4 stars").check()
    page.get_by_role("button", name="Save my rating").click()
    expect(page.get_by_text("Thank you: your rating is saved.")).to_be_visible()
    expect(page.locator("#rating-summary")).to_have_text("4.0 out of 5 from 1 mentor.")
    resource = Resource.objects.get(slug="goal-setting-worksheet")
    assert ResourceRating.objects.get(resource=resource, mentor=world.mentor).stars == 4
    context.close()
