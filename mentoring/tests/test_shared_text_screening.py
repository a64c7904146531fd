"""Goals, goal notes, what the mentee sees of a session log and requests to meet elsewhere are screened
for contact details like messages, and held the same way: the writer is told, the other side sees
nothing until a coordinator or safeguarding lead releases it, and a declined text is never shown.
Adults who agreed to share contact details write freely."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import ApplicationError
from mentoring import journal, moderation
from mentoring.models import Goal, GoalProgress, HeldText, SessionLog
from mentoring.tests.factories import GoalFactory, MentoringSessionFactory
from safeguarding import oversight
from safeguarding.models import MeetingRequest
from safeguarding.tests.screening_corpus import HELD, NOT_HELD

MENTOR_TEXT = "text me on 07700 900123 or priya.mentor@gmail.com"
MENTEE_TEXT = "my mobile is 07700 900520"


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _page(client, user, url):
    client.force_login(user)
    return client.get(url).content.decode()


def _past_session(relationship):
    return MentoringSessionFactory(
        relationship=relationship, starts_at=timezone.now() - datetime.timedelta(days=1)
    )


def test_a_mentors_goal_with_contact_details_is_held_until_released(world, client):
    relationship = world.relationship_under_16
    held = journal.goal_create(actor=world.mentor, relationship=relationship, goal=Goal(title=MENTOR_TEXT))
    assert isinstance(held, HeldText) and held.status == HeldText.Status.HELD
    assert "a phone number" in held.hold_reason and "an email address" in held.hold_reason
    assert not Goal.objects.filter(relationship=relationship).exists()
    # The child sees nothing of it, on the relationship page, her home page or the API.
    for url in (relationship.get_absolute_url(), "/"):
        assert "07700 900123" not in _page(client, world.mentee_under_16, url)
    assert "07700" not in _api(world.mentee_under_16).get("/api/goals/").content.decode()
    # The mentor (the writer) and the partner's coordinator see it waiting.
    assert "Waiting for a check" in _page(client, world.mentor, relationship.get_absolute_url())
    page = _page(client, world.coordinator_a, relationship.get_absolute_url())
    assert "07700 900123" in page and reverse("mentoring:held_text_release", args=[held.pk]) in page

    response = client.post(reverse("mentoring:held_text_release", args=[held.pk]))
    assert response.status_code == 302
    goal = Goal.objects.get(relationship=relationship)
    assert goal.title == MENTOR_TEXT and goal.proposed_by == world.mentor
    assert MENTOR_TEXT in _api(world.mentee_under_16).get("/api/goals/").content.decode()


def test_a_childs_goal_sent_through_the_page_is_held_and_she_is_told(world, client):
    client.force_login(world.mentee_under_16)
    response = client.post(
        reverse("mentoring:goal_create", args=[world.relationship_under_16.pk]),
        {"title": MENTEE_TEXT, "term": "short", "owner": "mentee"},
        follow=True,
    )
    assert "waiting for the coordinator to check it" in response.content.decode()
    assert HeldText.objects.get(author=world.mentee_under_16).kind == HeldText.Kind.GOAL
    assert "900520" not in _page(client, world.mentor, world.relationship_under_16.get_absolute_url())
    assert "900520" not in _api(world.mentor).get("/api/goals/").content.decode()


@pytest.mark.parametrize("field", ["measure", "first_step", "why"])
def test_every_text_of_a_goal_is_screened(world, field):
    held = journal.goal_create(
        actor=world.mentor,
        relationship=world.relationship_under_16,
        goal=Goal(title="Apply for two apprenticeships", **{field: "add me on snapchat priya_m"}),
    )
    assert isinstance(held, HeldText)


def test_a_goal_note_sent_through_the_api_is_held_and_answers_202(world):
    goal = GoalFactory(relationship=world.relationship_under_16, status=Goal.Status.NOT_STARTED)
    response = _api(world.mentor).post(
        f"/api/goals/{goal.pk}/progress/",
        {"status": "in_progress", "note": "priya.mentor[at]gmail[dot]com"},
        format="json",
    )
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "held" and "email" in response.json()["hold_reason"]
    assert not GoalProgress.objects.filter(goal=goal).exists()
    goal.refresh_from_db()
    assert goal.status == Goal.Status.NOT_STARTED

    held = HeldText.objects.get(pk=response.json()["id"])
    moderation.held_text_release(held=held, actor=world.dsl_a)
    progress = GoalProgress.objects.get(goal=goal)
    assert progress.note == "priya.mentor[at]gmail[dot]com" and progress.author == world.mentor
    goal.refresh_from_db()
    assert goal.status == Goal.Status.IN_PROGRESS


def test_a_goal_sent_through_the_api_is_held(world):
    response = _api(world.mentee_under_16).post(
        "/api/goals/",
        {"relationship": world.relationship_under_16.pk, "title": MENTEE_TEXT, "term": "short"},
        format="json",
    )
    assert response.status_code == 202, response.content
    assert not Goal.objects.filter(relationship=world.relationship_under_16).exists()


@pytest.mark.parametrize("field", ["next_time_notes", "mentee_activity"])
def test_what_the_mentee_sees_of_a_session_log_waits_for_a_check(world, field, client):
    session = _past_session(world.relationship_under_16)
    log = journal.session_log_save(
        actor=world.mentor,
        session=session,
        held=True,
        duration_minutes=50,
        format="in_person",
        topics=["options"],
        summary="Talked",
        **{field: "add me on snapchat priya_m"},
    )
    log.refresh_from_db()
    assert getattr(log, field) == ""  # saved, without the held notes
    (held,) = HeldText.objects.filter(kind=HeldText.Kind.FIELDS)
    assert held.target == log
    assert "priya_m" not in _page(client, world.mentee_under_16, "/")
    moderation.held_text_release(held=held, actor=world.coordinator_a)
    assert getattr(SessionLog.objects.get(pk=log.pk), field) == "add me on snapchat priya_m"


def test_a_session_log_through_the_api_names_what_was_held(world):
    session = _past_session(world.relationship_under_16)
    response = _api(world.mentor).post(
        f"/api/sessions/{session.pk}/log/",
        {
            "held": True,
            "duration_minutes": 45,
            "format": "online",
            "mentee_activity": "WA me",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mentee_activity"] == ""
    assert [held["kind"] for held in body["held_for_review"]] == ["fields"]


def test_a_meeting_request_with_contact_details_is_held_until_released(world, client):
    client.force_login(world.mentee_under_16)
    response = client.post(
        reverse("safeguarding:meeting_request", args=[world.relationship_under_16.pk]),
        {
            "place": "Central Library",
            "purpose": "CV help, ring me on 07700 900520 first",
            "proposed_for": (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        },
        follow=True,
    )
    assert "waiting for the coordinator to check it" in response.content.decode()
    assert not MeetingRequest.objects.exists()
    assert "900520" not in _page(client, world.mentor, reverse("safeguarding:meeting_list"))
    held = HeldText.objects.get(kind=HeldText.Kind.MEETING_REQUEST)
    moderation.held_text_release(held=held, actor=world.coordinator_a)
    meeting = MeetingRequest.objects.get()
    assert meeting.requested_by == world.mentee_under_16 and meeting.status == MeetingRequest.Status.PENDING


def test_a_declined_text_is_never_shown_and_the_writer_reads_why(world, client):
    held = oversight.meeting_request_create(
        relationship=world.relationship_under_16,
        actor=world.mentor,
        place="my flat, text 07700 900123",
        purpose="Chat",
        proposed_for=timezone.now() + datetime.timedelta(days=2),
    )
    client.force_login(world.coordinator_a)
    client.post(reverse("mentoring:held_text_decline", args=[held.pk]), {"reason": "No numbers, please."})
    held.refresh_from_db()
    assert held.status == HeldText.Status.DECLINED
    with pytest.raises(ApplicationError):
        moderation.held_text_release(held=held, actor=world.coordinator_a)
    assert not MeetingRequest.objects.exists()
    url = world.relationship_under_16.get_absolute_url()
    assert "No numbers, please." in _page(client, world.mentor, url)
    assert "900123" not in _page(client, world.mentee_under_16, url)


@pytest.mark.parametrize("persona", ["mentor", "mentee_under_16", "other_mentor", "coordinator_b"])
def test_only_the_partners_coordinators_and_leads_release(world, client, persona):
    held = journal.goal_create(
        actor=world.mentor, relationship=world.relationship_under_16, goal=Goal(title=MENTOR_TEXT)
    )
    client.force_login(world.persona(persona))
    response = client.post(reverse("mentoring:held_text_release", args=[held.pk]))
    assert response.status_code in (403, 404)  # the writer may see it waiting, not release it
    held.refresh_from_db()
    assert held.status == HeldText.Status.HELD


def test_every_variant_in_the_corpus_is_held_and_no_ordinary_sentence_is(world):
    def screened(text):
        return moderation.contact_details_to_hold(world.relationship_under_16, world.mentor, note=text)

    assert [text for text in HELD if screened(text)] == HELD
    assert [text for text in NOT_HELD if screened(text)] == []


def test_ordinary_goals_pass(world):
    goal = journal.goal_create(
        actor=world.mentor,
        relationship=world.relationship_under_16,
        goal=Goal(title="Finish the CV by 3 March and apply for 2 placements"),
    )
    assert isinstance(goal, Goal) and goal.pk


def test_an_adult_who_agreed_to_share_contact_details_may_write_them(world):
    profile = world.mentee_over_18.mentee_profile
    profile.shares_contact_with_mentor = True
    profile.save()
    goal = journal.goal_create(
        actor=world.mentor, relationship=world.relationship_over_18, goal=Goal(title=MENTOR_TEXT)
    )
    assert isinstance(goal, Goal) and goal.pk


def test_the_partners_coordinator_is_emailed_and_finds_it_on_the_messages_page(
    world, client, django_capture_on_commit_callbacks
):
    from django.core import mail

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        held = journal.goal_create(
            actor=world.mentor, relationship=world.relationship_under_16, goal=Goal(title=MENTOR_TEXT)
        )
    (email,) = [message for message in mail.outbox if world.coordinator_a.email in message.to]
    assert "held for your review" in email.body and "07700" not in email.body
    assert world.coordinator_b.email not in email.to
    page = _page(client, world.coordinator_a, reverse("safeguarding:thread_list"))
    assert "Goals, notes and requests held for review" in page and held.get_kind_display() in page
    assert "held for review" not in _page(client, world.coordinator_b, reverse("safeguarding:thread_list"))


def test_an_adult_pairs_reason_for_moving_a_session_waits_for_a_check(world):
    from mentoring import scheduling
    from mentoring.tests.factories import MentoringSessionFactory as Sessions

    session = Sessions(
        relationship=world.relationship_over_18, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    cancelled = scheduling.session_cancel(
        actor=world.mentor, session=session, reason="ill, ring me on 07700 900123"
    )
    assert cancelled.change_reason == "" and cancelled.held_for_review is not None
    moderation.held_text_release(held=cancelled.held_for_review, actor=world.coordinator_a)
    session.refresh_from_db()
    assert session.change_reason == "ill, ring me on 07700 900123"


def test_a_cancellation_through_the_api_says_its_reason_was_held(world):
    from mentoring.tests.factories import MentoringSessionFactory as Sessions

    session = Sessions(
        relationship=world.relationship_over_18, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    response = _api(world.mentor).post(
        f"/api/sessions/{session.pk}/cancel/", {"reason": "ill, ring me on 07700 900123"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["change_reason"] == "" and body["status"] == "cancelled"
    (held,) = body["held_for_review"]
    assert held["status"] == "held" and "07700" not in held["detail"]
