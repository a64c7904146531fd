"""Helpers for evaluation tests: complete answer sets and submitted pre/post pairs."""

from accounts.tests.factories import MenteeProfileFactory, UserFactory

from .. import services
from ..content import MENTEE_POST, MENTEE_PRE
from ..models import Question


def complete_answers(response, **overrides) -> dict:
    """An answer for every required question (agree items 3, NPS 8, first option), with overrides."""
    answers = {}
    for question in response.instance.version.questions.all():
        if not question.required:
            continue
        answers[question.code] = {
            Question.Kind.AGREE: 3,
            Question.Kind.NPS: 8,
            Question.Kind.YES_NO: 1,
            Question.Kind.SINGLE: 0,
            Question.Kind.MULTIPLE: [0],
            Question.Kind.TEXT: "Fine",
        }[question.kind]
    answers.update(overrides)
    return answers


def submit(user, slug, *, programme=None, **overrides):
    response = services.survey_issue(instrument_slug=slug, user=user, programme=programme)
    return services.response_save(
        actor=user, response=response, answers=complete_answers(response, **overrides), submit=True
    )


def mentee_in(cohort, **kwargs):
    return MenteeProfileFactory(
        user=UserFactory(), youth_partner=cohort.youth_partner, cohort=cohort, **kwargs
    ).user


def pair(user, before: dict, after: dict):
    """Submit a pre- and a post-evaluation for `user` with the given item values."""
    submit(user, MENTEE_PRE, **before)
    submit(user, MENTEE_POST, **after)


def at(moment):
    """Run the services as if it were `moment` (an aware datetime): submissions and tallies use it."""
    from unittest import mock

    from django.utils import timezone

    return mock.patch.object(timezone, "now", return_value=moment)


def pair_on(user, before: dict, after: dict, *, pre_at, post_at, slugs=(MENTEE_PRE, MENTEE_POST)):
    """A pre- and a post-evaluation submitted at the given moments."""
    with at(pre_at):
        submit(user, slugs[0], **before)
    with at(post_at):
        submit(user, slugs[1], **after)


def mentor_pair(before: dict, after: dict, **profile):
    from accounts.tests.factories import MentorProfileFactory

    from ..content import MENTOR_POST, MENTOR_PRE

    user = MentorProfileFactory(user=UserFactory(), **profile).user
    submit(user, MENTOR_PRE, **before)
    submit(user, MENTOR_POST, **after)
    return user
