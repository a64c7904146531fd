"""A new mentor completes Level One, a staff member marks their workshop attendance, and the mentor
downloads a certificate whose PDF carries their name and a code the public verify page accepts."""

import datetime
import io
import re

from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Role, User
from accounts.tests.factories import MentorProfileFactory, RoleAssignmentFactory, UserFactory
from training.loader import load_training_content
from training.models import Certificate, Choice, Workshop
from training.tests.factories import WorkshopFactory

from .conftest import sign_in_with_session

PASSWORD = "correct horse battery staple"


def person(email, first_name, last_name):
    user = UserFactory(email=email, first_name=first_name, last_name=last_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def sign_in(page, base_url, email):
    sign_in_with_session(page, base_url, User.objects.get(email=email))


def answer_quiz_correctly(page):
    """Tick the correct choices; the test reads them from the database, the page never shows them."""
    submit = page.get_by_role("button", name="Submit answers")
    expect(submit).to_be_visible()  # the new module's page has loaded
    ids = [
        int(value)
        for value in page.locator("input[name^=question_]").evaluate_all("els => els.map(e => e.value)")
    ]
    for choice_id in Choice.objects.filter(pk__in=ids, is_correct=True).values_list("pk", flat=True):
        page.locator(f"#choice-{choice_id}").check()
    submit.click()
    expect(page.locator("#quiz-result")).to_contain_text("You passed")


def test_new_mentor_completes_level_one_attends_workshop_and_gets_a_verifiable_certificate(
    live_server, browser
):
    load_training_content()
    mentor = person("nadia.new@example.org", "Nadia", "Okafor")
    MentorProfileFactory(user=mentor)
    staff = person("sam.staff@example.org", "Sam", "Staff")
    RoleAssignmentFactory(user=staff, role=Role.PROGRAMME_STAFF)
    workshop = WorkshopFactory(
        title="Core mentor workshop", starts_at=timezone.now() + datetime.timedelta(days=2)
    )

    mentor_page = browser.new_context(accept_downloads=True).new_page()
    sign_in(mentor_page, live_server.url, mentor.email)
    expect(mentor_page.get_by_text("Core workshop: not booked yet.")).to_be_visible()

    main_nav = mentor_page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("button", name="Training").click()
    main_nav.get_by_role("link", name="Training", exact=True).click()
    mentor_page.get_by_role("link", name="Level One: Heart of the Matter").click()
    mentor_page.get_by_role("button", name="Start this course").click()
    expect(mentor_page.get_by_role("button", name="Submit answers")).to_be_visible()
    # The quiz itself (the shared navigation bar is checked elsewhere).
    violations = Axe().run(mentor_page, context="#main").response["violations"]
    assert violations == [], [(v["id"], [n["html"] for n in v["nodes"]]) for v in violations]
    for number in range(1, 18):
        answer_quiz_correctly(mentor_page)
        if number < 17:
            mentor_page.get_by_role("link", name=re.compile("^Next module:")).click()
    mentor_page.get_by_role("link", name="Course overview").click()
    expect(mentor_page.get_by_text("You completed this course")).to_be_visible()

    mentor_page.goto(f"{live_server.url}/training/workshops/{workshop.pk}/")
    mentor_page.get_by_role("button", name="Book a place").click()
    expect(mentor_page.get_by_text("You have a place on this workshop.")).to_be_visible()

    # The workshop takes place.
    Workshop.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=2))

    staff_page = browser.new_context().new_page()
    sign_in(staff_page, live_server.url, staff.email)
    staff_page.goto(f"{live_server.url}/training/workshops/{workshop.pk}/")
    staff_page.get_by_role("link", name="Mark attendance").click()
    staff_page.get_by_label("Nadia Okafor").check()
    staff_page.get_by_role("button", name="Save attendance").click()
    expect(staff_page.get_by_text("Attendance saved.")).to_be_visible()

    mentor_page.goto(f"{live_server.url}/home/")
    expect(mentor_page.get_by_text(re.compile("Fully trained on"))).to_be_visible()
    mentor_page.get_by_role("link", name=re.compile("^Your certificate")).click()
    with mentor_page.expect_download() as download_info:
        mentor_page.get_by_role("link", name="Download your certificate (PDF)").click()
    with open(download_info.value.path(), "rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Nadia Okafor" in text
    code = re.search(r"Verification code: (\S+)", text).group(1)
    assert Certificate.objects.get(user=mentor).code == code

    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}/training/verify/")
    visitor.get_by_label("Verification code").fill(code)
    visitor.get_by_role("button", name="Check").click()
    expect(visitor.locator("#verify-result")).to_contain_text("Valid.")
