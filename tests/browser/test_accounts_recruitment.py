"""Recruitment journeys in a real browser: a mentor applying to approval; a coordinator importing a file
with errors, fixing it and importing it, then a mentee claiming the invitation; a parent giving consent."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role
from accounts.tests.factories import (
    ApplicationWindowFactory,
    DeclineGroundFactory,
    MenteeProfileFactory,
    RoleAssignmentFactory,
    UserFactory,
    date_of_birth_for_age,
)
from mentoring.tests.factories import CohortFactory, ProgrammeFactory, YouthPartnerFactory
from recruitment.models import Application, ScreeningCheck

from .conftest import sign_in_through_form, sign_in_with_session

PASSWORD = "correct horse battery staple"


def person(email, first_name, role=None, **assignment):
    user = UserFactory(email=email, first_name=first_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role:
        RoleAssignmentFactory(user=user, role=role, **assignment)
    return user


def sign_in(page, live_server, user):
    """An applicant signs in through the form, as they would; staff and coordinators, whose sign-in is
    tested in test_role_home_pages.py, start from a session of theirs."""
    if user.roles:
        sign_in_with_session(page, live_server.url, user)
    else:
        sign_in_through_form(page, live_server.url, user)


def link_path(body: str, prefix: str) -> str:
    return re.search(rf"https?://[^/\s]+(/{prefix}/[^\s]+/)", body).group(1)


@pytest.fixture
def programme():
    programme = ProgrammeFactory(name="Future Paths Mentoring", slug="future-paths")
    DeclineGroundFactory(programme=programme)
    return programme


def test_mentor_applies_and_is_approved(page, browser, live_server, programme):
    ApplicationWindowFactory(programme=programme, role=Role.MENTOR)
    applicant = person("nadia.applicant@example.org", "Nadia")
    staff = person("sam.staff@example.org", "Sam", Role.PROGRAMME_STAFF)

    page.goto(f"{live_server.url}/join/future-paths/")
    expect(page.get_by_role("heading", name="Who can apply")).to_be_visible()
    sign_in(page, live_server, applicant)
    page.goto(f"{live_server.url}/join/future-paths/")
    page.get_by_role("link", name="Apply to be a mentor").click()
    page.get_by_label("Background", exact=True).select_option("employed")
    page.get_by_label("Sector", exact=True).fill("Healthcare")
    page.get_by_label("Careers guidance and exploring options").check()
    page.get_by_label("CVs, applications and interviews").check()
    page.get_by_label("Wednesday").check()
    page.get_by_label("School", exact=True).check()
    page.get_by_label("Where I would add most value").fill(
        "Twenty years as a nurse; I know the routes into health."
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved")).to_be_visible()
    page.get_by_label("I have read the mentor code of conduct").check()
    page.get_by_label("I have read the safeguarding policy").check()
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text("your application has been sent")).to_be_visible()
    expect(page.get_by_text("Received", exact=True)).to_be_visible()
    application = Application.objects.get(user=applicant)

    staff_page = browser.new_context().new_page()
    sign_in(staff_page, live_server, staff)
    staff_page.goto(f"{live_server.url}/recruitment/applications/")
    staff_page.get_by_role("link", name="Nadia").click()
    for name, email in (("Rita Referee", "rita@example.org"), ("Rob Referee", "rob@example.org")):
        staff_page.get_by_label("Referee's name").fill(name)
        staff_page.get_by_label("Referee's email").fill(email)
        staff_page.get_by_role("button", name="Email a reference request").click()
        expect(staff_page.get_by_text(f"Reference requested from {name}")).to_be_visible()

    referee_page = browser.new_context().new_page()
    for message in [m for m in mail.outbox if "Reference request" in m.subject]:
        referee_page.goto(live_server.url + link_path(message.body, "references"))
        referee_page.get_by_label("Yes").check()
        referee_page.get_by_label("Your reference").fill(
            "I managed Nadia for six years: patient and reliable."
        )
        referee_page.get_by_role("button", name="Send reference").click()
        expect(referee_page.get_by_role("heading", name="Thank you for your reference")).to_be_visible()

    staff_page.reload()
    staff_page.get_by_label("Identity status").select_option("clear")
    staff_page.get_by_label("Background check status").select_option("clear")
    staff_page.get_by_label("Background check level").select_option("enhanced_barred")
    staff_page.get_by_label("Certificate number").fill("001122334455")
    staff_page.get_by_label("Certificate issued on").fill("2026-10-01")
    staff_page.get_by_label("Interview status").select_option("clear")
    staff_page.get_by_role("button", name="Save screening").click()
    expect(staff_page.get_by_text("Screening saved.")).to_be_visible()
    expect(staff_page.get_by_text("•••• 4455")).to_be_visible()
    staff_page.get_by_label("Approve").check()
    staff_page.get_by_role("button", name="Save decision").click()
    expect(staff_page.get_by_text("Decision saved")).to_be_visible()

    assert ScreeningCheck.objects.get(application=application).certificate_last4 == "4455"
    page.goto(f"{live_server.url}/recruitment/my-applications/")
    expect(page.get_by_text("approved and waiting for a match")).to_be_visible()


def test_coordinator_imports_mentees_and_a_mentee_claims_the_invitation(
    page, browser, live_server, programme
):
    partner = YouthPartnerFactory(name="Alder Park School")
    CohortFactory(programme=programme, youth_partner=partner)
    coordinator = person("alice.coordinator@example.org", "Alice", Role.COORDINATOR, youth_partner=partner)
    teen = date_of_birth_for_age(14).strftime("%d/%m/%Y")
    header = "first_name,last_name,email,date_of_birth\n"
    broken = header + "".join(
        [
            f"Amir,Khan,amir@example.org,{teen}\n",
            "Bea,Lee,bea-at-example.org,\n",
            f"=cmd,Jones,cal@example.org,{teen}\n",
        ]
    )
    fixed = header + "".join(
        [
            f"Amir,Khan,amir@example.org,{teen}\n",
            f"Bea,Lee,bea@example.org,{teen}\n",
            f"Cal,Jones,cal@example.org,{teen}\n",
        ]
    )

    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/recruitment/imports/")
    page.get_by_label("Cohort").select_option(index=1)
    page.get_by_label("File of mentees").set_input_files(
        {"name": "year10.csv", "mimeType": "text/csv", "buffer": broken.encode()}
    )
    page.get_by_role("button", name="Check file").click()
    expect(page.get_by_text("Nothing has been imported")).to_be_visible()
    expect(page.get_by_text("'bea-at-example.org' is not a valid email address.")).to_be_visible()
    expect(page.get_by_text("The date of birth is missing.")).to_be_visible()
    expect(page.get_by_text("Starts with a formula character")).to_be_visible()

    page.get_by_role("link", name="check it again").click()
    page.get_by_label("Cohort").select_option(index=1)
    page.get_by_label("File of mentees").set_input_files(
        {"name": "year10.csv", "mimeType": "text/csv", "buffer": fixed.encode()}
    )
    page.get_by_role("button", name="Check file").click()
    expect(page.get_by_text("No problems found: 3 new mentees")).to_be_visible()
    page.get_by_role("button", name=re.compile("Import 3 mentees")).click()
    expect(page.get_by_text("Imported 3 new mentee(s)")).to_be_visible()

    invitation = next(m for m in mail.outbox if m.to == ["amir@example.org"])
    mentee_page = browser.new_context().new_page()
    mentee_page.goto(live_server.url + link_path(invitation.body, "invitations"))
    expect(mentee_page.get_by_role("heading", name="Set up your account")).to_be_visible()
    mentee_page.get_by_label("Choose a password").fill("sunny morning by the canal")
    mentee_page.get_by_label("Type the password again").fill("sunny morning by the canal")
    mentee_page.get_by_role("button", name="Set up my account").click()
    expect(mentee_page.get_by_text("Your account is ready")).to_be_visible()
    mentee_page.get_by_role("link", name="Finish your application").click()
    expect(mentee_page.get_by_role("heading", name="Apply for a mentor")).to_be_visible()
    # The link worked once.
    mentee_page.goto(live_server.url + link_path(invitation.body, "invitations"))
    expect(mentee_page.get_by_role("heading", name="This link no longer works")).to_be_visible()


def test_parent_gives_consent(page, browser, live_server, programme):
    partner = YouthPartnerFactory(name="Alder Park School")
    cohort = CohortFactory(programme=programme, youth_partner=partner)
    coordinator = person("alice.coordinator@example.org", "Alice", Role.COORDINATOR, youth_partner=partner)
    mentee = MenteeProfileFactory(
        user=UserFactory(email="yasmin@example.org", first_name="Yasmin", last_name="Ali"),
        age=14,
        youth_partner=partner,
        cohort=cohort,
    ).user

    sign_in(page, live_server, coordinator)
    page.goto(f"{live_server.url}/recruitment/mentees/{mentee.pk}/consent/")
    expect(page.get_by_text("Not yet requested")).to_be_visible()
    page.get_by_label("Parent or guardian's name").fill("Pat Ali")
    page.get_by_label("Parent or guardian's email").fill("pat.ali@example.org")
    page.get_by_role("button", name="Email consent request").click()
    expect(page.get_by_text("Consent requested from Pat Ali")).to_be_visible()

    request_email = next(m for m in mail.outbox if m.to == ["pat.ali@example.org"])
    parent_page = browser.new_context().new_page()
    parent_page.goto(live_server.url + link_path(request_email.body, "consent"))
    expect(parent_page.get_by_text("Yasmin Ali may take part in Future Paths Mentoring")).to_be_visible()
    parent_page.get_by_label("Your full name").fill("Pat Ali")
    parent_page.get_by_label("Your relationship to the young person").fill("Mother")
    parent_page.get_by_label("I agree to the statement above").check()
    parent_page.get_by_role("button", name="Give consent").click()
    expect(parent_page.get_by_role("heading", name="Thank you: your consent is recorded")).to_be_visible()

    page.reload()
    expect(page.get_by_text("Status: Given")).to_be_visible()
    expect(page.get_by_role("cell", name="Pat Ali (Mother)")).to_be_visible()


def test_recruitment_pages_have_no_serious_accessibility_problems(page, live_server, programme):
    from axe_playwright_python.sync_playwright import Axe

    ApplicationWindowFactory(programme=programme, role=Role.MENTEE)
    applicant = person("young.applicant@example.org", "Jo")
    sign_in(page, live_server, applicant)
    axe = Axe()
    for path in ("/join/future-paths/", "/join/future-paths/apply/mentee/"):
        page.goto(live_server.url + path)
        # The shared navigation bar is checked by the site-wide accessibility tests.
        results = axe.run(page, context="#main")
        serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], (path, [(v["id"], [n["html"] for n in v["nodes"]][:3]) for v in serious])
