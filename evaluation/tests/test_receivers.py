from types import SimpleNamespace

from accounts.models import Role
from core.signals import application_submitted, relationship_closed

from ..models import SurveyResponse


def _slugs(user):
    return set(
        SurveyResponse.objects.filter(respondent=user).values_list(
            "instance__version__instrument__slug", flat=True
        )
    )


def test_an_application_issues_the_mandatory_pre_evaluation(world):
    application = SimpleNamespace(pk=1, _meta=SimpleNamespace(label_lower="recruitment.application"))
    application_submitted.send(
        sender=None, application=application, user=world.mentee_b, programme=world.programme, role=Role.MENTEE
    )
    response = SurveyResponse.objects.get(respondent=world.mentee_b)
    assert response.instance.version.instrument.slug == "mentee-pre"
    assert response.mandatory and response.programme == world.programme
    assert response.context_type == "recruitment.application"


def test_a_mentor_application_issues_the_mentor_pre_evaluation(world):
    application_submitted.send(
        sender=None, application=None, user=world.other_mentor, programme=world.programme, role=Role.MENTOR
    )
    assert _slugs(world.other_mentor) == {"mentor-pre"}


def test_a_planned_close_issues_post_evaluations_to_mentor_and_mentee(world):
    relationship_closed.send(sender=None, relationship=world.relationship_b, early=False, actor=world.staff)
    assert _slugs(world.mentee_b) == {"mentee-post"}
    assert _slugs(world.other_mentor) == {"mentor-post"}


def test_an_early_end_also_issues_the_exit_survey(world):
    relationship_closed.send(sender=None, relationship=world.relationship_b, early=True, actor=world.staff)
    assert _slugs(world.mentee_b) == {"mentee-post", "exit-survey"}
    assert _slugs(world.other_mentor) == {"mentor-post", "exit-survey"}


def test_a_closed_survey_does_not_stop_the_relationship_closing(world):
    from ..models import InstrumentVersion, SurveyInstance

    version = InstrumentVersion.objects.get(instrument__slug="mentee-post", status="published")
    SurveyInstance.objects.create(version=version, programme=world.programme, is_open=False)
    relationship_closed.send(sender=None, relationship=world.relationship_b, early=False, actor=world.staff)
    assert _slugs(world.mentee_b) == set()
    assert _slugs(world.other_mentor) == {"mentor-post"}


def test_completing_training_issues_the_training_feedback_once(world):
    from core.signals import training_completed

    training_completed.send(sender=None, user=world.mentor, programme=world.programme)
    training_completed.send(sender=None, user=world.mentor, programme=world.programme)
    assert SurveyResponse.objects.filter(respondent=world.mentor).count() == 1
    assert _slugs(world.mentor) == {"training-feedback"}
