"""Safeguarding journeys in a real browser: a worry reaches the DSL and is acknowledged; an ignored one
escalates; a coordinator releases a held message to an under-16; a person downloads their data."""

import datetime
import json
import re
import zipfile

from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role
from accounts.tests.factories import RoleAssignmentFactory, UserFactory
from safeguarding import services
from safeguarding.models import Concern, Message
from safeguarding.tests.factories import raise_concern

from .conftest import give_mfa_if_required


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_mentor_reports_a_worry_and_the_partners_dsl_acknowledges_it(live_world, live_server, log_in, page):
    page = log_in(live_world.mentor)
    page.get_by_role("link", name="Report a worry").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a worry")
    expect(page.get_by_text("Call 999 first")).to_be_visible()
    page.get_by_label("A worry about a young person's safety or wellbeing").check()
    # A mentor knows their mentee by first name and the initial of the surname.
    mentee = live_world.mentee_under_16
    page.get_by_label("Young person", exact=True).select_option(
        label=f"{mentee.first_name} {mentee.last_name[:1]}"
    )
    page.get_by_label("What the young person said, in their own words").fill(
        "My stepdad said I'm not allowed to eat if I'm late home."
    )
    page.get_by_label("The questions you asked").fill("Can you tell me more about that?")
    page.get_by_label("What you saw or heard (facts only)").fill("Yasmin looked hungry and tired at 4pm.")
    page.get_by_label("Who may be at risk").fill("Yasmin and possibly her younger brother")
    page.get_by_role("button", name="Send to the safeguarding lead").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Worries I have reported")
    expect(page.get_by_role("cell", name="Received", exact=True)).to_be_visible()
    concern = Concern.objects.get()
    assert any(live_world.dsl_a.email in message.to for message in mail.outbox)

    _sign_out(page)
    page = log_in(live_world.dsl_a)
    page.get_by_role("link", name=concern.reference).click()
    expect(page.get_by_text("not allowed to eat")).to_be_visible()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("status").filter(has_text="You have acknowledged")).to_be_visible()
    expect(page.get_by_text("Acknowledged by a safeguarding lead")).to_be_visible()

    _sign_out(page)
    page = log_in(live_world.mentor)
    page.goto(f"{live_server.url}/safeguarding/concerns/mine/")
    expect(page.get_by_role("cell", name="Acknowledged by a safeguarding lead")).to_be_visible()
    expect(page.get_by_text("not allowed to eat")).to_have_count(0)


def test_an_unacknowledged_concern_escalates_to_the_programme_dsl(live_world, live_server, log_in, page):
    programme_lead = UserFactory(email="pat.programme-dsl@example.org", first_name="Pat")
    RoleAssignmentFactory(user=programme_lead, role=Role.SAFEGUARDING_LEAD, programme=live_world.programme)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=programme_lead, email=programme_lead.email, verified=True, primary=True)
    give_mfa_if_required(programme_lead)
    concern = raise_concern(reporter=live_world.mentor, young_person=live_world.mentee_under_16)
    mail.outbox.clear()

    # The beat task runs after the acknowledgement window has passed.
    services.outbox_dispatch(now=concern.acknowledge_by + datetime.timedelta(minutes=1))
    assert [message.to for message in mail.outbox] == [[programme_lead.email]]

    page = log_in(programme_lead)
    page.get_by_role("link", name="All concerns").click()
    row = page.get_by_role("row").filter(has_text=concern.reference)
    expect(row.get_by_text("Escalated")).to_be_visible()
    row.get_by_role("link", name=concern.reference).click()
    expect(page.get_by_text("Not acknowledged in time: escalated to Pat")).to_be_visible()


def test_coordinator_releases_a_held_message_to_an_under_16(live_world, live_server, log_in, page):
    thread_url = f"{live_server.url}/safeguarding/messages/{live_world.relationship_under_16.pk}/"
    page = log_in(live_world.mentor)
    page.goto(thread_url)
    page.get_by_label("Your message").fill("The careers fair is at www.example.org/fair on Saturday.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("waiting for the coordinator to check it")).to_be_visible()
    assert Message.objects.get().status == Message.Status.HELD

    _sign_out(page)
    page = log_in(live_world.mentee_under_16)
    page.goto(thread_url)
    expect(page.get_by_text("careers fair")).to_have_count(0)

    _sign_out(page)
    page = log_in(live_world.coordinator_a)
    expect(page.get_by_role("heading", name="Messages held for your review")).to_be_visible()
    page.goto(thread_url)
    expect(page.get_by_text("Held: Contains a link")).to_be_visible()
    page.get_by_role("button", name="Release message 1").click()
    expect(page.get_by_text("The message is released and delivered.")).to_be_visible()

    _sign_out(page)
    page = log_in(live_world.mentee_under_16)
    page.goto(thread_url)
    expect(page.get_by_text("The careers fair is at")).to_be_visible()


def test_a_person_downloads_their_data(live_world, live_server, log_in, page):
    page = log_in(live_world.mentee_over_18)
    page.get_by_role("link", name="Download my data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    page.get_by_role("button", name="Prepare a copy of my data").click()
    download_link = page.get_by_role("link", name=re.compile("Download the ZIP file"))
    expect(download_link).to_be_visible()
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    with zipfile.ZipFile(download.path()) as archive:
        account = json.loads(archive.read("account.json"))
        profile = json.loads(archive.read("mentee_profile.json"))
        assert "index.html" in archive.namelist()
    assert account["rows"][0]["email"] == live_world.mentee_over_18.email
    assert profile["rows"][0]["phone"] == "07700 900002"
