"""Held text returned for editing: the reviewer says what to change, the writer is told by email and on
the relationship page, edits it and sends it again. Without contact details it takes effect at once,
as if written so the first time; with them still, it is held again. Nothing is half-done on a refusal."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import ApplicationError
from mentoring import journal, moderation
from mentoring.models import Goal, GoalProgress, HeldText, SessionLog
from mentoring.tests.factories import GoalFactory, MentoringSessionFactory
from safeguarding import oversight
from safeguarding.models import MeetingRequest

NUMBER = "text me on 07700 900123"


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _held_goal(world):
    return journal.goal_create(
        actor=world.mentor,
        relationship=world.relationship_under_16,
        goal=Goal(title=f"Apply for two apprenticeships, {NUMBER}", measure="Two sent", term="short"),
    )


def test_the_coordinator_returns_a_goal_and_the_mentor_is_emailed_what_to_change(
    world, client, django_capture_on_commit_callbacks
):
    held = _held_goal(world)
    client.force_login(world.coordinator_a)
    page = client.get(world.relationship_under_16.get_absolute_url()).content.decode()
    assert reverse("mentoring:held_text_return", args=[held.pk]) in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentoring:held_text_return", args=[held.pk]), {"note": "Leave out your number."}
        )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == HeldText.Status.RETURNED and held.reviewed_by == world.coordinator_a
    (email,) = [message for message in mail.outbox if message.to == [world.mentor.email]]
    assert "Leave out your number." in email.body
    assert reverse("mentoring:held_text_rewrite", args=[held.pk]) in email.body
    assert "07700" not in email.body  # the text itself does not travel by email
    assert not Goal.objects.exists()

    client.force_login(world.mentor)
    page = client.get(world.relationship_under_16.get_absolute_url()).content.decode()
    assert "Returned for editing" in page and "What to change: Leave out your number." in page
    assert reverse("mentoring:held_text_rewrite", args=[held.pk]) in page
    # The child sees nothing of it.
    client.force_login(world.mentee_under_16)
    assert "900123" not in client.get(world.relationship_under_16.get_absolute_url()).content.decode()


def test_returning_needs_a_note_and_only_held_text_can_be_returned(world):
    held = _held_goal(world)
    with pytest.raises(ApplicationError, match="Say what to change"):
        moderation.held_text_return(held=held, actor=world.coordinator_a, note="  ")
    held.refresh_from_db()
    assert held.status == HeldText.Status.HELD
    moderation.held_text_release(held=held, actor=world.coordinator_a)
    with pytest.raises(ApplicationError, match="already been checked"):
        moderation.held_text_return(held=held, actor=world.coordinator_a, note="Too late")


def test_the_mentor_edits_a_returned_goal_and_it_is_made_at_once(world, client):
    held = _held_goal(world)
    moderation.held_text_return(held=held, actor=world.coordinator_a, note="Leave out your number.")
    client.force_login(world.mentor)
    url = reverse("mentoring:held_text_rewrite", args=[held.pk])
    page = client.get(url).content.decode()
    assert "Leave out your number." in page and "Apply for two apprenticeships" in page
    assert 'for="id_title"' in page and "How we will know" in page  # labelled as on the goal form
    response = client.post(
        url, {"title": "Apply for two apprenticeships", "measure": "Two sent", "first_step": "", "why": ""}
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == HeldText.Status.RELEASED
    goal = Goal.objects.get(relationship=world.relationship_under_16)
    assert goal.title == "Apply for two apprenticeships" and goal.term == "short"
    assert goal.proposed_by == world.mentor
    # Sent again, it cannot be sent a second time.
    assert client.get(url).status_code == 302
    with pytest.raises(ApplicationError):
        moderation.held_text_rewrite(held=held, actor=world.mentor, texts=dict(held.texts))
    assert Goal.objects.count() == 1


def test_sent_again_with_contact_details_still_in_it_is_held_again_and_the_coordinator_told(
    world, client, django_capture_on_commit_callbacks
):
    held = _held_goal(world)
    moderation.held_text_return(held=held, actor=world.coordinator_a, note="Leave out your number.")
    client.force_login(world.mentor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentoring:held_text_rewrite", args=[held.pk]),
            {
                "title": "Apply, email me at priya.mentor@gmail.com",
                "measure": "",
                "first_step": "",
                "why": "",
            },
            follow=True,
        )
    assert "waiting for the coordinator to check it" in response.content.decode()
    held.refresh_from_db()
    assert held.status == HeldText.Status.HELD and "an email address" in held.hold_reason
    assert held.texts["title"] == "Apply, email me at priya.mentor@gmail.com"
    assert not Goal.objects.exists()
    assert any(world.coordinator_a.email in message.to for message in mail.outbox)


def test_a_refused_rewrite_changes_nothing(world, client):
    held = _held_goal(world)
    moderation.held_text_return(held=held, actor=world.coordinator_a, note="Shorter, and no number.")
    before = dict(held.texts)
    client.force_login(world.mentor)
    response = client.post(
        reverse("mentoring:held_text_rewrite", args=[held.pk]),
        {"title": "", "measure": "", "first_step": "", "why": ""},
    )
    assert response.status_code == 200
    assert "Write the text again before sending it." in response.content.decode()
    response = client.post(
        reverse("mentoring:held_text_rewrite", args=[held.pk]),
        {"title": "x" * 201, "measure": "", "first_step": "", "why": ""},
    )
    assert response.status_code == 200 and "200 characters" in response.content.decode()
    held.refresh_from_db()
    assert held.status == HeldText.Status.RETURNED and held.texts == before
    assert not Goal.objects.exists()


@pytest.mark.parametrize("persona", ["mentee_under_16", "coordinator_a", "coordinator_b", "other_mentor"])
def test_only_the_writer_sends_returned_text_again(world, client, persona):
    held = _held_goal(world)
    moderation.held_text_return(held=held, actor=world.coordinator_a, note="No number.")
    client.force_login(world.persona(persona))
    response = client.post(
        reverse("mentoring:held_text_rewrite", args=[held.pk]),
        {"title": "Apply", "measure": "", "first_step": "", "why": ""},
    )
    assert response.status_code in (403, 404)
    held.refresh_from_db()
    assert held.status == HeldText.Status.RETURNED and not Goal.objects.exists()


def test_a_returned_goal_note_is_recorded_with_its_status_once_edited(world):
    goal = GoalFactory(relationship=world.relationship_under_16, status=Goal.Status.NOT_STARTED)
    held = journal.goal_progress_add(
        actor=world.mentee_under_16, goal=goal, status=Goal.Status.IN_PROGRESS, note="ring 07700 900520"
    )
    moderation.held_text_return(held=held, actor=world.dsl_a, note="No phone numbers, please.")
    moderation.held_text_rewrite(held=held, actor=world.mentee_under_16, texts={"note": "Drafted my CV"})
    progress = GoalProgress.objects.get(goal=goal)
    assert progress.note == "Drafted my CV" and progress.author == world.mentee_under_16
    goal.refresh_from_db()
    assert goal.status == Goal.Status.IN_PROGRESS


def test_returned_session_log_notes_fill_in_the_log_once_edited(world):
    session = MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    log = journal.session_log_save(
        actor=world.mentor,
        session=session,
        held=True,
        duration_minutes=50,
        format="in_person",
        topics=["options"],
        summary="Talked",
        next_time_notes="add me on snapchat priya_m",
    )
    held = HeldText.objects.get(kind=HeldText.Kind.FIELDS)
    moderation.held_text_return(held=held, actor=world.coordinator_a, note="No social media names.")
    labels = [str(field.verbose_name) for field in moderation.held_text_fields(held)]
    assert labels == ["next time", "something to try before next time"]
    moderation.held_text_rewrite(
        held=held, actor=world.mentor, texts={"next_time_notes": "Bring your CV", "mentee_activity": ""}
    )
    assert SessionLog.objects.get(pk=log.pk).next_time_notes == "Bring your CV"


def test_a_returned_meeting_request_is_made_once_edited_and_still_checked_for_home_visits(world):
    held = oversight.meeting_request_create(
        relationship=world.relationship_under_16,
        actor=world.mentee_under_16,
        place="Central Library",
        purpose="CV help, ring me on 07700 900520 first",
        proposed_for=timezone.now() + datetime.timedelta(days=3),
    )
    moderation.held_text_return(held=held, actor=world.coordinator_a, note="No phone number, please.")
    with pytest.raises(ApplicationError, match="anyone's home"):
        moderation.held_text_rewrite(
            held=held, actor=world.mentee_under_16, texts={"place": "my home", "purpose": "CV help"}
        )
    held.refresh_from_db()
    assert held.status == HeldText.Status.RETURNED and not MeetingRequest.objects.exists()
    moderation.held_text_rewrite(
        held=held, actor=world.mentee_under_16, texts={"place": "Central Library", "purpose": "CV help"}
    )
    meeting = MeetingRequest.objects.get()
    assert meeting.purpose == "CV help" and meeting.requested_by == world.mentee_under_16


def test_the_api_returns_and_the_writer_rewrites(world):
    held = _held_goal(world)
    assert _api(world.mentee_under_16).get(f"/api/held-texts/{held.pk}/").status_code == 404
    listed = _api(world.mentor).get("/api/held-texts/").json()["results"]
    assert [item["id"] for item in listed] == [held.pk]
    response = _api(world.coordinator_a).post(
        f"/api/held-texts/{held.pk}/return/", {"note": "Leave out your number."}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "returned"
    assert response.json()["decline_reason"] == "Leave out your number."
    response = _api(world.mentor).post(
        f"/api/held-texts/{held.pk}/rewrite/", {"texts": {"title": "Apply"}}, format="json"
    )
    assert response.status_code == 400 and "every part" in response.content.decode()
    texts = {"title": "Apply for two apprenticeships", "measure": "Two sent", "first_step": "", "why": ""}
    response = _api(world.mentor).post(f"/api/held-texts/{held.pk}/rewrite/", {"texts": texts}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "released"
    assert Goal.objects.get().title == "Apply for two apprenticeships"
    assert "Apply for two" in _api(world.mentee_under_16).get("/api/goals/").content.decode()
