"""A mentoring year in fast-forward: approve, sign, schedule twelve sessions, log three (one missed),
set and update goals, answer the third-session check-in, close, and see the recommendations."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import (
    MenteeProfileFactory,
    MentorProfileFactory,
    UserFactory,
    give_enhanced_check,
)
from mentoring import lifecycle
from mentoring.models import MentoringSession, Relationship

pytestmark = pytest.mark.browser


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def _log_session(page, live_server, session, *, held, topic="", next_time="", missed_by=""):
    page.goto(f"{live_server.url}/sessions/{session.pk}/log/")
    page.locator(f'input[name="held"][value="{"yes" if held else "no"}"]').check()
    if held:
        page.get_by_label("How long (minutes)").fill("60")
        page.get_by_label("How did you meet?").select_option("in_person")
        page.get_by_label(topic).check()
        page.get_by_label("A short summary").fill("Looked at college courses and what they lead to.")
        page.get_by_label("Next time", exact=True).fill(next_time)
    else:
        page.get_by_label("If not, who missed it?").select_option(missed_by)
    page.get_by_role("button", name="Save the log").click()
    expect(page.get_by_text("Session log saved.")).to_be_visible()


def test_a_mentoring_year_in_fast_forward(live_world, page, log_in, live_server):
    world = live_world
    mentor = MentorProfileFactory(user=UserFactory(email="maya.mentor@example.org", first_name="Maya")).user
    mentee = MenteeProfileFactory(
        user=UserFactory(email="zac.mentee@example.org", first_name="Zac", last_name="Quennell-Thistlewood"),
        age=15,
        youth_partner=world.partner_a,
        cohort=world.cohort_a,
    ).user
    from allauth.account.models import EmailAddress

    for user in (mentor, mentee):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    give_enhanced_check(mentor)

    # Approve: matching calls this service when the coordinator accepts the match.
    relationship = lifecycle.relationship_create(
        actor=world.coordinator_a, mentor=mentor, mentee=mentee, cohort=world.cohort_a
    )
    url = f"{live_server.url}/relationships/{relationship.pk}/"

    # Both sign the agreement; the mentor sees the how-to-prepare list and only the first name.
    log_in(mentor)
    page.goto(url)
    expect(page.get_by_role("heading", name="Before your first meeting")).to_be_visible()
    expect(page.get_by_text("Quennell-Thistlewood")).to_have_count(0)
    page.get_by_role("button", name="Sign the agreement").click()
    expect(page.get_by_text("You have signed the mentoring agreement.")).to_be_visible()
    _sign_out(page)
    log_in(mentee)
    page.goto(url)
    page.get_by_role("button", name="Sign the agreement").click()
    expect(page.get_by_text(re.compile(r"mentee signed \d+"))).to_be_visible()
    _sign_out(page)

    # The coordinator schedules the whole run of twelve sessions in one step.
    log_in(world.coordinator_a)
    page.goto(url)
    page.get_by_role("link", name="Schedule sessions").click()
    first = timezone.localtime() + datetime.timedelta(days=2)
    page.get_by_label("First session (date and time)").fill(first.strftime("%Y-%m-%dT16:00"))
    page.get_by_label("Number of sessions").fill("12")
    page.get_by_label("Online (no venue needed)").check()
    page.get_by_role("button", name="Schedule sessions").click()
    expect(page.get_by_text("12 sessions scheduled.")).to_be_visible()
    expect(page.get_by_text("Introduced").first).to_be_visible()
    _sign_out(page)

    # Fast-forward three months: the first three sessions are now in the past.
    sessions = list(MentoringSession.objects.filter(relationship=relationship).order_by("number"))
    assert len(sessions) == 12
    for months_ago, session in zip((3, 2, 1), sessions[:3], strict=True):
        session.starts_at = timezone.now() - datetime.timedelta(days=30 * months_ago)
        session.save()

    # The mentor sets a goal, then logs three sessions: held, missed, held.
    log_in(mentor)
    page.goto(url)
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("Title").fill("Choose a college course")
    page.get_by_label("How we will know").fill("An application sent")
    page.get_by_role("button", name="Save the goal").click()
    expect(page.get_by_text("Goal added.")).to_be_visible()
    _log_session(
        page,
        live_server,
        sessions[0],
        held=True,
        topic="Education and career options",
        next_time="Bring the college prospectus",
    )
    relationship.refresh_from_db()
    assert relationship.status == Relationship.Status.ACTIVE
    _log_session(page, live_server, sessions[1], held=False, missed_by="mentee")
    # The next session's page opens with what was agreed last time.
    page.goto(f"{live_server.url}/sessions/{sessions[2].pk}/")
    expect(page.get_by_text("Bring the college prospectus")).to_be_visible()
    _log_session(
        page,
        live_server,
        sessions[2],
        held=True,
        topic="Confidence",
        next_time="Practise the interview answers",
    )

    # Update the goal, then answer the third-session check-in.
    page.goto(url)
    page.get_by_role("link", name="Choose a college course").click()
    page.get_by_label("Status").select_option("achieved")
    page.get_by_label("Progress note").fill("Application sent to two colleges.")
    page.get_by_role("button", name="Update the goal").click()
    expect(page.get_by_text("Goal updated.")).to_be_visible()
    expect(page.get_by_role("heading", name="How is it going?")).to_be_visible()
    page.get_by_label("Really well").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Only the coordinator and the programme team see your answer.")).to_be_visible()
    _sign_out(page)

    # The coordinator closes the relationship through the guided workflow.
    log_in(world.coordinator_a)
    page.goto(url)
    page.get_by_role("link", name="Close the relationship").click()
    page.get_by_label("Why is the relationship closing?").select_option("completed")
    page.get_by_label("A final meeting took place").check()
    page.get_by_label("Every goal has a final status").check()
    page.get_by_label("The post-closure contact policy has been explained to both").check()
    page.get_by_role("button", name="Close the relationship").click()
    expect(page.get_by_text("The relationship is closed.")).to_be_visible()
    _sign_out(page)

    # The mentor sees the recommendations built from their logs.
    log_in(mentor)
    page.goto(url)
    expect(page.get_by_role("heading", name="Recommendations for Maya")).to_be_visible()
    expect(page.get_by_text("You logged 3 sessions: 2 held, 1 missed.")).to_be_visible()
    expect(page.get_by_text("1 of 1 goal achieved or partly achieved.")).to_be_visible()
    relationship.refresh_from_db()
    assert relationship.status == Relationship.Status.COMPLETED
    assert relationship.events.count() == 4  # approved, introduced, active, completed
