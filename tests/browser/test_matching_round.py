"""A matching round from start to the mentor's home page: the coordinator starts a round, accepts
one proposal, rejects another with a reason, and the accepted mentor sees their new mentee."""

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from matching.tests import people
from tests.browser.test_accessibility import assert_no_serious_violations

pytestmark = pytest.mark.browser


def test_a_round_runs_and_the_coordinator_decides_its_proposals(live_world, page, log_in, live_server):
    world = live_world
    people.mentee(world.cohort_a, "Jade", support=["cv_and_interviews"], industries=["law"])
    people.mentee(
        world.cohort_a, "Sami", support=["careers_guidance"], industries=["healthcare-and-medicine"]
    )
    lena = people.mentor(world.programme, "Lena", support=["cv_and_interviews"], industries=["law"])
    people.mentor(
        world.programme, "Hugo", support=["careers_guidance"], industries=["healthcare-and-medicine"]
    )
    EmailAddress.objects.create(user=lena, email=lena.email, verified=True, primary=True)

    log_in(world.coordinator_a)
    page.goto(f"{live_server.url}/matching/rounds/")
    page.get_by_label("What to match").select_option("cohort")
    page.get_by_label("Cohort").select_option(str(world.cohort_a.pk))
    page.get_by_role("button", name="Start the round").click()

    expect(page.get_by_role("heading", name="How good is this round?")).to_be_visible()
    expect(page.get_by_text("Everyone was matched: all 2 mentees have a proposed mentor.")).to_be_visible()
    assert_no_serious_violations(Axe(), page)

    page.get_by_role("button", name="Accept Lena and Jade").click()
    expect(page.get_by_text("Accepted: Lena")).to_be_visible()

    page.get_by_role("article").filter(has_text="Hugo").get_by_label("Reason for rejecting").fill(
        "Hugo already mentors at this school"
    )
    page.get_by_role("button", name="Reject Hugo and Sami").click()
    expect(page.get_by_text("Rejected. Sami stays in the pool.")).to_be_visible()
    expect(page.get_by_text("Reason: Hugo already mentors at this school")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    log_in(lena)
    mentees = page.get_by_role("region", name="Your mentees")
    expect(mentees.get_by_role("link", name="Jade")).to_be_visible()
