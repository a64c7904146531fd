"""A mentee answers the pre- and post-evaluation; staff see the change and download the PDF report."""

import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from accounts.models import Role
from accounts.tests.factories import (
    MenteeProfileFactory,
    MentorProfileFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from core.signals import relationship_closed
from evaluation.content import load_instruments
from evaluation.tests.factories import mentee_in, pair
from mentoring.models import Relationship
from mentoring.tests.factories import (
    CohortFactory,
    ProgrammeFactory,
    RelationshipFactory,
    YouthPartnerFactory,
)

from .conftest import add_session_cookie


def answer_every_question(page, *, agree_choice: int):
    """Pick the same point on every scale, 9 on 0-10 and the first option elsewhere."""
    fieldsets = page.locator("fieldset")
    for index in range(fieldsets.count()):
        fieldset = fieldsets.nth(index)
        options = fieldset.locator("input")
        count = options.count()
        if count == 5:
            options.nth(agree_choice).check()
        elif count == 11:
            options.nth(9).check()
        else:
            options.first.check()


@pytest.mark.django_db(transaction=True)
def test_mentee_pre_and_post_show_on_the_dashboard_and_in_the_pdf(live_server_url, browser):
    load_instruments(apps)
    programme = ProgrammeFactory(name="Future Paths Mentoring")
    cohort = CohortFactory(programme=programme, youth_partner=YouthPartnerFactory(name="Alder Park School"))
    staff = UserFactory(email="staff@example.org", first_name="Sam")
    RoleAssignmentFactory(user=staff, role=Role.PROGRAMME_STAFF)
    for _ in range(5):
        pair(mentee_in(cohort, age=17), {"positive_future": 2}, {"positive_future": 4})
    mentee = MenteeProfileFactory(
        user=UserFactory(email="aaron@example.org", first_name="Aaron"),
        age=19,
        youth_partner=cohort.youth_partner,
        cohort=cohort,
    ).user
    mentor = MentorProfileFactory().user
    relationship = RelationshipFactory(mentor=mentor, mentee=mentee, cohort=cohort)
    from evaluation.services import survey_issue

    survey_issue(instrument_slug="mentee-pre", user=mentee, programme=programme, mandatory=True)

    mentee_context = browser.new_context()
    add_session_cookie(mentee_context, live_server_url, mentee)
    page = mentee_context.new_page()
    page.goto(live_server_url + "/home/")
    page.get_by_role("link", name="Mentee pre-evaluation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentee pre-evaluation")
    answer_every_question(page, agree_choice=1)  # "Disagree"
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you: your answers have been sent.")).to_be_visible()

    relationship.status = Relationship.Status.COMPLETED
    relationship.save()
    relationship_closed.send(sender=None, relationship=relationship, early=False, actor=staff)

    page.goto(live_server_url + "/surveys/")
    page.get_by_role("link", name="Mentee post-evaluation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentee post-evaluation")
    answer_every_question(page, agree_choice=4)  # "Strongly agree"
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you: your answers have been sent.")).to_be_visible()
    mentee_context.close()

    staff_context = browser.new_context(accept_downloads=True)
    add_session_cookie(staff_context, live_server_url, staff)
    page = staff_context.new_page()
    page.goto(live_server_url + "/impact/")
    row = page.get_by_role("row", name=re.compile("I feel positive about my future"))
    # Six people answered both: the five before plus Aaron, who moved from disagree to strongly agree.
    expect(row.get_by_role("cell").nth(0)).to_have_text("6")
    expect(row.get_by_role("cell").nth(1)).to_have_text("0%")
    expect(row.get_by_role("cell").nth(3)).to_have_text("100%")
    # The chart: one row per statement with its full wording and both shares in words, drawn in SVG.
    chart = page.get_by_role("figure", name=re.compile("Share of young people agreeing"))
    expect(chart).to_be_visible()
    chart_row = chart.get_by_role("listitem").filter(has_text="I feel positive about my future")
    expect(chart_row).to_contain_text("0% before, 100% after")
    assert chart_row.locator("svg").bounding_box()["height"] > 8
    # The breakdown by partner arrives after the page is shown, in its own section.
    breakdown = page.get_by_role("region", name=re.compile("^By youth partner, young people"))
    expect(breakdown.get_by_role("row", name=re.compile("Alder Park School"))).to_be_visible()
    # At phone width the rows stack: nothing wider than the screen.
    page.set_viewport_size({"width": 375, "height": 800})
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_label("Programme", exact=True).last.select_option(label="Future Paths Mentoring")
    page.get_by_role("button", name="Build PDF report").click()
    download_link = page.get_by_role("link", name="Download the PDF report")
    expect(download_link).to_be_visible(timeout=30_000)
    with page.expect_download() as download_info:
        download_link.click()
    path = download_info.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    staff_context.close()
