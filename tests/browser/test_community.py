"""Peer support and employer partners in the browser: a new mentor is offered a buddy, both accept and
talk in their private thread; an employer contact signs in and sees their staff's figures."""

import datetime

from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Region
from accounts.tests.factories import MentorProfileFactory, UserFactory
from community.models import BuddyPreference
from community.tests.factories import (
    EmployerContactFactory,
    EmployerMembershipFactory,
    EmployerPartnerFactory,
)
from mentoring.models import Relationship

from .conftest import sign_in_with_session


def _verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_new_mentor_gets_a_buddy_and_they_talk_in_their_thread(live_world, live_server, log_in, browser):
    experienced = live_world.mentor  # Mo: mentoring since half a year ago, offering to be a buddy
    Relationship.objects.filter(mentor=experienced).update(
        started_on=timezone.localdate() - datetime.timedelta(days=180)
    )
    BuddyPreference.objects.create(mentor=experienced, wants=BuddyPreference.Wants.OFFERING)
    newcomer = _verified(
        MentorProfileFactory(
            user=UserFactory(email="nia.new@example.org", first_name="Nia", last_name="Newton"),
            region=Region.GREATER_MANCHESTER,
        ).user
    )

    page = log_in(newcomer)
    page.get_by_role("link", name="Mentor buddies").click()
    page.get_by_label("I would like an experienced buddy").check()
    page.get_by_role("button", name="Join the buddy scheme").click()
    expect(
        page.get_by_role("heading", name=f"Suggested buddy: {experienced.get_full_name()}")
    ).to_be_visible()
    page.get_by_role("link", name="See the suggestion").click()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("The pairing starts once your buddy accepts too.")).to_be_visible()

    other = browser.new_context().new_page()
    sign_in_with_session(other, live_server.url, experienced)
    other.get_by_role("link", name=f"A buddy has been suggested for you: {newcomer.get_full_name()}").click()
    other.get_by_role("button", name="Accept").click()
    expect(other.get_by_text("You are now buddies")).to_be_visible()
    other.get_by_label("Your message").fill("Welcome! Ask me anything about first sessions.")
    other.get_by_role("button", name="Send").click()
    expect(other.get_by_role("list", name="Buddy messages")).to_contain_text("Welcome! Ask me anything")

    page.reload()
    thread = page.get_by_role("list", name="Buddy messages")
    expect(thread).to_contain_text("Welcome! Ask me anything about first sessions.")
    page.get_by_label("Your message").fill(f"Thanks! {live_world.mentee_under_16.first_name} is my first.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Buddy threads are for mentors only").first).to_be_visible()
    page.get_by_label("Your message").fill("Thanks! How do you open a first session?")
    page.get_by_role("button", name="Send").click()
    expect(thread).to_contain_text("How do you open a first session?")
    other.reload()
    expect(other.get_by_role("list", name="Buddy messages")).to_contain_text(
        "How do you open a first session?"
    )
    expect(other.get_by_role("list", name="Buddy messages")).not_to_contain_text(
        live_world.mentee_under_16.first_name
    )


def test_employer_contact_signs_in_and_sees_their_figures(live_world, log_in):
    employer = EmployerPartnerFactory(name="Northgate Engineering")
    for _ in range(6):
        EmployerMembershipFactory(employer=employer)
    contact = _verified(
        EmployerContactFactory(
            employer=employer, user=UserFactory(email="erin@example.org", first_name="Erin")
        ).user
    )

    page = log_in(contact)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisation's mentoring")
    expect(page.get_by_role("heading", name="Northgate Engineering: your staff's mentoring")).to_be_visible()
    expect(page.get_by_text("Mentors from your organisation")).to_be_visible()
    page.get_by_role("link", name="Full figures and download").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Northgate Engineering: mentoring figures")
    expect(page.get_by_role("link", name="Download these figures (CSV)")).to_be_visible()
