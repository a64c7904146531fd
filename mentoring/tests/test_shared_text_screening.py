"""Goals, goal notes and what the mentee sees of a session log are screened for contact details like
messages: refused, with nothing saved, unless the mentee is an adult who agreed to share them."""

import datetime

import pytest
from django.utils import timezone

from core.errors import ApplicationError
from mentoring import journal
from mentoring.models import Goal, GoalProgress, SessionLog
from mentoring.tests.factories import GoalFactory, MentoringSessionFactory

MENTOR_TEXT = "text me on 07700 900123 or priya.mentor@gmail.com"
MENTEE_TEXT = "my mobile is 07700 900520"


def test_a_mentors_goal_title_with_a_phone_number_is_refused(world):
    with pytest.raises(ApplicationError) as error:
        journal.goal_create(
            actor=world.mentor, relationship=world.relationship_under_16, goal=Goal(title=MENTOR_TEXT)
        )
    assert error.value.field == "title"
    assert not Goal.objects.filter(relationship=world.relationship_under_16).exists()


def test_a_childs_goal_title_with_her_number_is_refused(world):
    with pytest.raises(ApplicationError):
        journal.goal_create(
            actor=world.mentee_under_16,
            relationship=world.relationship_under_16,
            goal=Goal(title=MENTEE_TEXT),
        )


def test_a_goal_note_with_an_email_written_in_words_is_refused(world):
    goal = GoalFactory(relationship=world.relationship_under_16)
    with pytest.raises(ApplicationError) as error:
        journal.goal_progress_add(
            actor=world.mentor,
            goal=goal,
            status=Goal.Status.IN_PROGRESS,
            note="priya.mentor[at]gmail[dot]com",
        )
    assert error.value.field == "note"
    assert not GoalProgress.objects.exists()


@pytest.mark.parametrize("field", ["next_time_notes", "mentee_activity"])
def test_what_the_mentee_sees_of_a_session_log_is_screened(world, field):
    session = MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    with pytest.raises(ApplicationError) as error:
        journal.session_log_save(
            actor=world.mentor,
            session=session,
            held=True,
            duration_minutes=50,
            format="in_person",
            topics=["options"],
            summary="Talked",
            **{field: "add me on snapchat priya_m"},
        )
    assert error.value.field == field
    assert not SessionLog.objects.exists()


def test_ordinary_goals_pass(world):
    goal = journal.goal_create(
        actor=world.mentor,
        relationship=world.relationship_under_16,
        goal=Goal(title="Finish the CV by 3 March and apply for 2 placements"),
    )
    assert goal.pk


def test_an_adult_who_agreed_to_share_contact_details_may_write_them(world):
    profile = world.mentee_over_18.mentee_profile
    profile.shares_contact_with_mentor = True
    profile.save()
    goal = journal.goal_create(
        actor=world.mentor, relationship=world.relationship_over_18, goal=Goal(title=MENTOR_TEXT)
    )
    assert goal.pk
