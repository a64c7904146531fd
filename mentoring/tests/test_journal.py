import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import RoleAssignmentFactory, UserFactory
from core.errors import ApplicationError
from mentoring import journal, lifecycle
from mentoring.models import Goal, MentoringSession, PulseCheckIn, SessionLog, SupportCheckIn
from mentoring.tests.factories import GoalFactory, MentoringSessionFactory

pytestmark = pytest.mark.django_db


def _past_session(relationship, days_ago=1, **kwargs):
    return MentoringSessionFactory(
        relationship=relationship, starts_at=timezone.now() - datetime.timedelta(days=days_ago), **kwargs
    )


def _log(actor, session, **overrides):
    values = {
        "held": True,
        "duration_minutes": 55,
        "format": "in_person",
        "topics": ["options", "confidence"],
        "summary": "Talked about A-level choices.",
        "next_time_notes": "Look at apprenticeships in engineering.",
    }
    values.update(overrides)
    return journal.session_log_save(actor=actor, session=session, **values)


def test_mentor_logs_a_held_session_and_goal_progress(world):
    session = _past_session(world.relationship_under_16)
    goal = GoalFactory(relationship=world.relationship_under_16)
    log = _log(
        world.mentor,
        session,
        goal_updates=[journal.GoalUpdate(goal, Goal.Status.IN_PROGRESS, "Found three placements")],
    )
    session.refresh_from_db()
    goal.refresh_from_db()
    assert session.status == MentoringSession.Status.HELD
    assert log.topic_labels == ["Confidence", "Education and career options"]
    assert goal.status == Goal.Status.IN_PROGRESS
    assert goal.progress_notes.get().session == session


def test_a_missed_session_records_who_missed_it(world):
    session = _past_session(world.relationship_under_16)
    with pytest.raises(Exception, match="who missed"):
        _log(world.mentor, session, held=False)
    _log(world.mentor, session, held=False, missed_by="mentee")
    session.refresh_from_db()
    assert session.status == MentoringSession.Status.MISSED
    assert session.log.duration_minutes is None


def test_logging_a_session_of_an_ended_relationship_is_refused(world):
    session = _past_session(world.relationship_under_16)
    lifecycle.relationship_close(
        actor=world.staff,
        relationship=world.relationship_under_16,
        reason="moved",
        contact_policy_acknowledged=True,
    )
    with pytest.raises(ApplicationError, match="can no longer be logged"):
        _log(world.mentor, session)
    assert not SessionLog.objects.exists()


def test_a_mentor_cannot_log_another_pairs_session(world):
    session = _past_session(world.relationship_b)
    with pytest.raises(ApplicationError, match="Only the pair's mentor"):
        _log(world.mentor, session)
    assert not SessionLog.objects.exists()


def test_a_mentor_editing_another_pairs_log_gets_404_and_nothing_changes(world, client):
    session = _past_session(world.relationship_b)
    _log(world.other_mentor, session, summary="Original")
    client.force_login(world.mentor)
    response = client.post(
        reverse("mentoring:session_log", args=[session.pk]), {"held": "yes", "summary": "Changed"}
    )
    assert response.status_code == 404
    assert SessionLog.objects.get().summary == "Original"


def test_a_future_session_cannot_be_logged(world):
    session = MentoringSessionFactory(relationship=world.relationship_under_16)
    with pytest.raises(ApplicationError, match="not happened yet"):
        _log(world.mentor, session)


def test_holding_the_first_session_makes_an_introduced_pair_active(world):
    relationship = world.relationship_under_16
    relationship.status = "introduced"
    relationship.save()
    _log(world.mentor, _past_session(relationship))
    relationship.refresh_from_db()
    assert relationship.status == "active"


def test_worrying_answer_names_the_partners_dsl_and_keeps_the_log(world, client):
    session = _past_session(world.relationship_under_16)
    client.force_login(world.mentor)
    response = client.post(
        reverse("mentoring:session_log", args=[session.pk]),
        {
            "held": "yes",
            "duration_minutes": "60",
            "format": "in_person",
            "topics": ["wellbeing"],
            "summary": "Seemed low.",
            "worrying": "yes",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dee" in page
    assert world.dsl_a.email in page
    assert "designated safeguarding lead" in page
    assert SessionLog.objects.get(session=session).worrying is True


def test_programme_dsl_is_named_when_the_partner_has_none(world):
    programme_dsl = UserFactory(first_name="Priya", last_name="Shah")
    RoleAssignmentFactory(user=programme_dsl, role=Role.SAFEGUARDING_LEAD, programme=world.programme)
    contacts = journal.safeguarding_contacts(world.relationship_b)
    assert [assignment.user for assignment in contacts] == [programme_dsl]


def test_next_session_page_opens_with_last_next_time_notes(world, client):
    _log(
        world.mentor, _past_session(world.relationship_under_16, days_ago=30), next_time_notes="Bring your CV"
    )
    upcoming = MentoringSessionFactory(relationship=world.relationship_under_16, number=2)
    client.force_login(world.mentor)
    page = client.get(reverse("mentoring:session_detail", args=[upcoming.pk])).content.decode()
    assert "Last time you agreed" in page
    assert "Bring your CV" in page


def test_a_mentee_proposes_a_goal_and_the_mentor_agrees_it(world):
    goal = journal.goal_create(
        actor=world.mentee_under_16,
        relationship=world.relationship_under_16,
        goal=Goal(title="Get a Saturday job"),
    )
    assert goal.status == Goal.Status.PROPOSED
    with pytest.raises(ApplicationError, match="mentor agrees"):
        journal.goal_progress_add(actor=world.mentee_under_16, goal=goal, status=Goal.Status.IN_PROGRESS)
    journal.goal_progress_add(actor=world.mentor, goal=goal, status=Goal.Status.NOT_STARTED, note="Agreed")
    goal.refresh_from_db()
    assert goal.status == Goal.Status.NOT_STARTED


def test_someone_outside_the_pair_cannot_add_goals(world):
    with pytest.raises(ApplicationError):
        journal.goal_create(
            actor=world.other_mentor, relationship=world.relationship_under_16, goal=Goal(title="x")
        )
    assert not Goal.objects.exists()


def test_pulse_is_asked_from_the_third_session_and_a_poor_answer_creates_a_task(world):
    relationship = world.relationship_under_16
    for number in (1, 2):
        _past_session(relationship, days_ago=10 * number, number=number)
    assert not journal.pulse_due(world.mentor, relationship)
    _past_session(relationship, days_ago=1, number=3)
    assert journal.pulse_due(world.mentor, relationship)
    assert journal.pulse_due(world.mentee_under_16, relationship)
    assert not journal.pulse_due(world.coordinator_a, relationship)
    journal.pulse_answer(
        actor=world.mentee_under_16, relationship=relationship, rating=PulseCheckIn.Rating.POOR
    )
    task = SupportCheckIn.objects.get(kind=SupportCheckIn.Kind.PULSE_FOLLOW_UP)
    assert task.relationship == relationship
    assert not journal.pulse_due(world.mentee_under_16, relationship)
    with pytest.raises(ApplicationError, match="already answered"):
        journal.pulse_answer(actor=world.mentee_under_16, relationship=relationship, rating=4)
    journal.pulse_answer(actor=world.mentor, relationship=relationship, rating=PulseCheckIn.Rating.GREAT)
    assert SupportCheckIn.objects.filter(kind=SupportCheckIn.Kind.PULSE_FOLLOW_UP).count() == 1


def test_the_mentor_does_not_see_the_mentees_pulse_answer(world, client):
    relationship = world.relationship_under_16
    PulseCheckIn.objects.create(
        relationship=relationship, respondent=world.mentee_under_16, rating=1, comment="He is always late"
    )
    client.force_login(world.mentor)
    assert "always late" not in client.get(relationship.get_absolute_url()).content.decode()
    client.force_login(world.coordinator_a)
    assert "always late" in client.get(relationship.get_absolute_url()).content.decode()


def test_support_check_in_is_recorded_with_notes(world):
    check_in = SupportCheckIn.objects.create(
        relationship=world.relationship_under_16, due_on=timezone.localdate()
    )
    with pytest.raises(ApplicationError, match="note"):
        journal.support_check_in_complete(actor=world.staff, check_in=check_in, notes="")
    journal.support_check_in_complete(
        actor=world.staff, check_in=check_in, notes="Both happy; goals on track."
    )
    check_in.refresh_from_db()
    assert check_in.completed_by == world.staff


def test_both_sign_the_agreement_once(world):
    journal.agreement_sign(actor=world.mentor, relationship=world.relationship_under_16)
    agreement = journal.agreement_sign(actor=world.mentee_under_16, relationship=world.relationship_under_16)
    assert agreement.is_signed
    assert agreement.text[0][0] == "Purpose"
    with pytest.raises(ApplicationError, match="already signed"):
        journal.agreement_sign(actor=world.mentor, relationship=world.relationship_under_16)
    with pytest.raises(ApplicationError):
        journal.agreement_sign(actor=world.coordinator_a, relationship=world.relationship_under_16)


def test_mentor_sees_only_the_under_18_mentees_first_name_and_no_contact_details(world, client):
    mentee = world.mentee_under_16
    mentee.last_name = "Quennell-Thistlewood"
    mentee.save()
    client.force_login(world.mentor)
    page = client.get(world.relationship_under_16.get_absolute_url()).content.decode()
    assert mentee.first_name in page
    assert mentee.last_name not in page
    assert mentee.email not in page
    assert "07700 900001" not in page
    assert "Before your first meeting" not in page  # the pair is already active
