"""The demo's surveys are written in bulk: the rows and summaries must be the ones the services make."""

import datetime
import random
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import MenteeProfileFactory, UserFactory
from core.models import AuditEvent
from demo.evaluation import _answers, _flags, extend_demo
from evaluation import services
from evaluation.models import (
    Answer,
    AnswerTally,
    PairGroupTally,
    PairTally,
    Question,
    ResponseTally,
    SurveyInstance,
    SurveyResponse,
)
from mentoring.models import Relationship
from mentoring.tests.factories import RelationshipFactory

TALLIES = (ResponseTally, AnswerTally, PairTally, PairGroupTally)


@contextmanager
def frozen(moment):
    """Django's clock (auto dates, `timezone.now()` in the services) stopped at `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


class ServiceWriter:
    """Writes each demo survey through `survey_issue` and `response_save`, as a person would, on the
    day the demo dates it; the services keep the summaries in step as they go."""

    def submit(self, rng, user, slug, *, programme, on, before_flags=None, answer=True):
        moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(17)))
        with frozen(moment - datetime.timedelta(hours=1)):
            response = services.survey_issue(instrument_slug=slug, user=user, programme=programme)
        if response.status == SurveyResponse.Status.ISSUED and answer:
            questions = list(response.instance.version.questions.all())
            with frozen(moment):
                response = services.response_save(
                    actor=user,
                    response=response,
                    answers=_answers(rng, questions, before_flags=before_flags),
                    submit=True,
                )
        return SimpleNamespace(flags=_flags(response), is_submitted=response.is_submitted)

    def write(self):
        pass


def snapshot() -> dict:
    """Every row the surveys made, told apart by person and survey rather than by primary key."""
    responses = {
        response.pk: (response.respondent_id, response.instance.version.instrument.slug)
        for response in SurveyResponse.objects.select_related("instance__version__instrument")
    }
    instances = {
        instance.pk: (instance.version.instrument.slug, instance.version.number, instance.programme_id)
        for instance in SurveyInstance.objects.select_related("version__instrument")
    }
    questions = {
        question.pk: (question.version.instrument.slug, question.code)
        for question in Question.objects.select_related("version__instrument")
    }
    return {
        "responses": sorted(
            (responses[pk], instances[instance], *rest)
            for pk, instance, *rest in SurveyResponse.objects.values_list(
                "pk",
                "instance_id",
                "status",
                "programme_id",
                "youth_partner_id",
                "cohort_id",
                "mandatory",
                "context_type",
                "context_id",
                "created_at",
                "submitted_at",
            )
        ),
        "answers": sorted(
            (responses[response], questions[question], *rest)
            for response, question, *rest in Answer.objects.values_list(
                "response_id", "question_id", "value", "choices", "text"
            )
        ),
        "audit": sorted(
            (action, actor or 0, responses[int(target)], summary)
            for action, actor, target, summary in AuditEvent.objects.filter(
                action__startswith="evaluation.", target_type="evaluation.surveyresponse"
            ).values_list("action", "actor_id", "target_id", "summary")
        ),
        "emails": sorted((tuple(message.to), message.subject) for message in mail.outbox),
        **{
            model.__name__: sorted(
                tuple(row.values())
                for row in model.objects.values(*[field.attname for field in model._meta.fields[1:]])
            )
            for model in TALLIES
        },
    }


@pytest.fixture
def year(world):
    """Sixteen young people who signed up over a year, ten of whose relationships have ended.

    Their addresses are fixed, not the factory's next ones: which surveys the demo leaves unanswered is
    decided by each address (`demo.evaluation._number`), and these leave one before survey and two after
    surveys unanswered, whichever tests ran earlier in the process."""
    today = timezone.localdate()
    mentees = [
        MenteeProfileFactory(
            user=UserFactory(email=f"mentee{index}.year@example.org"),
            youth_partner=world.partner_a,
            cohort=world.cohort_a,
        ).user
        for index in range(16)
    ]
    for index, mentee in enumerate(mentees):
        signed_up = today - datetime.timedelta(days=400 - 20 * index)
        User.objects.filter(pk=mentee.pk).update(
            date_joined=timezone.make_aware(datetime.datetime.combine(signed_up, datetime.time(10)))
        )
        started = signed_up + datetime.timedelta(weeks=10)
        finished = index < 10
        RelationshipFactory(
            mentor=world.mentor,
            mentee=mentee,
            cohort=world.cohort_a,
            status=Relationship.Status.COMPLETED if finished else Relationship.Status.ACTIVE,
            started_on=started,
            ended_on=started + datetime.timedelta(days=120) if finished else None,
        )
    return SimpleNamespace(
        rng=random.Random(11),
        seed=11,
        programmes=[world.programme],
        partners=[world.partner_a],
        cohorts=[world.cohort_a],
        mentor_ids=[world.mentor.pk, world.other_mentor.pk],
        mentee_ids=[mentee.pk for mentee in mentees],
        logins={"mentee": mentees[0]},
        password="demo",
        log=lambda message: None,
        today=today,
    )


def build(context, writer, capture) -> dict:
    """Build the surveys in a transaction that is then rolled back; return what it wrote."""
    mail.outbox.clear()
    with transaction.atomic():
        with capture(execute=True):
            extend_demo(context, writer=writer)
        rows = snapshot()
        transaction.set_rollback(True)
    return rows


@pytest.mark.slow_ok(reason="builds a year of surveys twice, once through the services one survey at a time")
def test_bulk_surveys_write_what_the_services_write_and_the_same_summaries(
    year, django_capture_on_commit_callbacks
):
    year.rng = random.Random(11)
    bulk = build(year, None, django_capture_on_commit_callbacks)
    year.rng = random.Random(11)
    through_services = build(year, ServiceWriter(), django_capture_on_commit_callbacks)

    assert len(bulk["responses"]) == 16 + 10 + 2 and len(bulk["answers"]) > 200
    assert {row[2] for row in bulk["responses"]} == {"issued", "submitted"}
    assert bulk["emails"], "the surveys left unanswered were sent to their people"
    assert bulk["PairTally"] and bulk["PairGroupTally"]
    for part, rows in through_services.items():
        assert bulk[part] == rows, part


def test_the_summaries_of_the_bulk_surveys_are_a_rebuild_of_their_answers(year):
    from django.apps import apps

    from evaluation import tallies

    extend_demo(year)
    counted = {model.__name__: snapshot()[model.__name__] for model in TALLIES}
    tallies.rebuild(apps)
    assert counted == {model.__name__: snapshot()[model.__name__] for model in TALLIES}
    assert sum(PairTally.objects.values_list("pairs", flat=True)) > 0
