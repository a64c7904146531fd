"""Demo data: the seeded instruments, and before and after surveys for the demo people on the days a
real programme would collect them, so the impact dashboards show a plausible year. Re-running adds
nothing."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.db import transaction

from accounts.models import User

from . import services, tallies
from .content import MENTEE_MIRRORED, MENTEE_POST, MENTEE_PRE, MENTOR_POST, MENTOR_PRE, load_instruments
from .models import Question, SurveyResponse

# Share agreeing before and after for each mirrored item, close to what programmes report.
AGREE_BEFORE_AFTER = {
    "experience_training": (0.33, 0.81),
    "positive_future": (0.56, 0.75),
    "advice_contact": (0.38, 0.75),
}
DEFAULT_BEFORE_AFTER = (0.45, 0.68)
STAYS_AGREEING = 0.9
POST_SHARE = 0.8  # of people whose relationship has ended answer the after survey


def _agree_value(rng, agrees: bool) -> int:
    return rng.choice([4, 4, 5]) if agrees else rng.choice([1, 2, 2, 3, 3, 3])


def _answers(rng, response: SurveyResponse, *, before_flags: dict[str, bool] | None) -> dict:
    """A complete, plausible set of answers for every question of the response's version."""
    answers = {}
    for question in response.instance.version.questions.all():
        kind = question.kind
        if kind == Question.Kind.AGREE:
            before, after = AGREE_BEFORE_AFTER.get(question.code, DEFAULT_BEFORE_AFTER)
            if before_flags is None:
                agrees = rng.random() < before
            else:
                was = before_flags.get(question.code, rng.random() < before)
                # Chosen so the overall share agreeing afterwards is about `after`.
                newly = max(0.0, min(1.0, (after - before * STAYS_AGREEING) / (1 - before)))
                agrees = rng.random() < (STAYS_AGREEING if was else newly)
            answers[question.code] = _agree_value(rng, agrees)
        elif kind == Question.Kind.NPS:
            answers[question.code] = rng.choice([6, 7, 8, 8, 9, 9, 9, 10, 10, 10])
        elif kind == Question.Kind.YES_NO:
            answers[question.code] = int(rng.random() < 0.8)
        elif kind == Question.Kind.SINGLE:
            answers[question.code] = rng.randrange(len(question.choices))
        elif kind == Question.Kind.MULTIPLE:
            weights = list(range(len(question.choices), 0, -1))
            picks = {rng.choices(range(len(question.choices)), weights=weights)[0] for _ in range(3)}
            answers[question.code] = sorted(picks)
    return answers


def _submit(rng, user, slug: str, *, programme, on, before_flags=None, answer=True) -> SurveyResponse:
    """Send a survey dated `on` and, when `answer`, answer it that day (a re-run changes nothing).

    The dates are set after the services have run; extend_demo then recounts the summaries."""
    from django.utils import timezone

    with transaction.atomic():
        response = services.survey_issue(instrument_slug=slug, user=user, programme=programme)
        if response.status != SurveyResponse.Status.ISSUED:
            return response
        if answer:
            response = services.response_save(
                actor=user,
                response=response,
                answers=_answers(rng, response, before_flags=before_flags),
                submit=True,
            )
        moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(17)))
        dates = {"created_at": moment - datetime.timedelta(hours=1)}
        if answer:
            dates["submitted_at"] = moment
        SurveyResponse.objects.filter(pk=response.pk).update(**dates)
    return response


def _answers_post(pk: int) -> bool:
    """Decided by the person, not the random stream, so a re-run makes the same choice."""
    return (pk * 7919) % 100 < POST_SHARE * 100


def _answers_pre(pk: int) -> bool:
    # The before survey is part of applying, but a few leave it unfinished.
    return (pk * 104729) % 100 >= 4


def _flags(response: SurveyResponse) -> dict[str, bool]:
    mirrored = {code for code, *_ in MENTEE_MIRRORED}
    return {
        code: value >= 4
        for code, value in response.answers.filter(question__code__in=mirrored).values_list(
            "question__code", "value"
        )
    }


def _after_end(ended_on: datetime.date, pk: int, today: datetime.date) -> datetime.date:
    """The after survey is answered in the fortnight after the relationship ends, never in the future."""
    return min(ended_on + datetime.timedelta(days=pk % 15), today)


def extend_demo(context) -> None:
    """A programme's year: each young person answers the before survey on the day they sign up (their
    application, or joining); the after survey is sent only when their relationship has ended, and
    most answer it. Mentors answer theirs when their first relationship starts and after it ends."""
    from django.utils import timezone

    load_instruments(apps)
    rng = context.rng
    today = getattr(context, "today", None) or timezone.localdate()
    relationship_model = apps.get_model("mentoring", "Relationship")
    application_model = apps.get_model("recruitment", "Application")
    ended = (relationship_model.Status.COMPLETED, relationship_model.Status.ENDED_EARLY)
    latest: dict[int, tuple] = {}
    for mentee_id, status, started_on, ended_on in (
        relationship_model.objects.filter(mentee_id__in=context.mentee_ids)
        .order_by("mentee_id", "created_at")
        .values_list("mentee_id", "status", "started_on", "ended_on")
    ):
        latest[mentee_id] = (status, started_on, ended_on)
    applied = dict(
        application_model.objects.filter(
            user_id__in=context.mentee_ids, role="mentee", submitted_at__isnull=False
        )
        .order_by("-submitted_at")
        .values_list("user_id", "submitted_at")
    )
    mentees = User.objects.filter(pk__in=context.mentee_ids).select_related(
        "mentee_profile__cohort__programme", "mentee_profile__youth_partner"
    )
    pairs = 0
    login_mentee = context.logins.get("mentee")
    for mentee in mentees.order_by("pk"):
        profile = getattr(mentee, "mentee_profile", None)
        programme = profile.cohort.programme if profile and profile.cohort else None
        signed_up = timezone.localdate(applied.get(mentee.pk, mentee.date_joined))
        pre = _submit(
            rng,
            mentee,
            MENTEE_PRE,
            programme=programme,
            on=min(signed_up, today),
            answer=_answers_pre(mentee.pk) or mentee == login_mentee,
        )
        status, _started_on, ended_on = latest.get(mentee.pk, (None, None, None))
        if status in ended and ended_on is not None:
            answer = _answers_post(mentee.pk) or mentee == login_mentee
            post = _submit(
                rng,
                mentee,
                MENTEE_POST,
                programme=programme,
                on=_after_end(ended_on, mentee.pk, today),
                before_flags=_flags(pre),
                answer=answer,
            )
            pairs += post.is_submitted
    mentor_relationships: dict[int, list[tuple]] = {}
    for mentor_id, programme_id, status, started_on, ended_on in (
        relationship_model.objects.filter(mentor_id__in=context.mentor_ids)
        .order_by("mentor_id", "created_at")
        .values_list("mentor_id", "cohort__programme_id", "status", "started_on", "ended_on")
    ):
        mentor_relationships.setdefault(mentor_id, []).append((programme_id, status, started_on, ended_on))
    programme_model = apps.get_model("programmes", "Programme")
    programmes = programme_model.objects.in_bulk({rows[0][0] for rows in mentor_relationships.values()})
    for mentor in User.objects.filter(pk__in=context.mentor_ids).order_by("pk"):
        rows = mentor_relationships.get(mentor.pk)
        if not rows:
            continue
        programme_id, status, started_on, ended_on = rows[0]
        programme = programmes.get(programme_id)
        began = started_on or today
        _submit(rng, mentor, MENTOR_PRE, programme=programme, on=min(began, today))
        if status in ended and ended_on is not None:
            _submit(
                rng,
                mentor,
                MENTOR_POST,
                programme=programme,
                on=_after_end(ended_on, mentor.pk, today),
                before_flags={},
                answer=_answers_post(mentor.pk),
            )
    # Every summary is filed by the day things happened: count them again from the dated responses.
    tallies.rebuild(apps)
    context.log(
        f"Evaluation: before surveys for {len(context.mentee_ids)} young people at sign-up, after "
        f"surveys for those whose relationship has ended ({pairs} pairs)."
    )
