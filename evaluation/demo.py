"""Demo data: the seeded instruments, and pre- and post-evaluations for the demo people, so the
impact dashboards show realistic paired change. Re-running adds nothing."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from accounts.models import User

from . import services
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
POST_SHARE = 0.65  # of demo mentees have finished and answered the post-evaluation


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


def _submit(rng, user, slug: str, *, programme, before_flags=None) -> SurveyResponse | None:
    with transaction.atomic():
        response = services.survey_issue(instrument_slug=slug, user=user, programme=programme)
        if response.is_submitted:
            return response
        services.response_save(
            actor=user,
            response=response,
            answers=_answers(rng, response, before_flags=before_flags),
            submit=True,
        )
    return response


def _has_finished(pk: int) -> bool:
    """Decided by the person, not the random stream, so a re-run makes the same choice."""
    return (pk * 7919) % 100 < POST_SHARE * 100


def _flags(response: SurveyResponse) -> dict[str, bool]:
    mirrored = {code for code, *_ in MENTEE_MIRRORED}
    return {
        code: value >= 4
        for code, value in response.answers.filter(question__code__in=mirrored).values_list(
            "question__code", "value"
        )
    }


def extend_demo(context) -> None:
    load_instruments(apps)
    rng = context.rng
    mentees = User.objects.filter(pk__in=context.mentee_ids).select_related(
        "mentee_profile__cohort__programme", "mentee_profile__youth_partner"
    )
    pairs = 0
    for mentee in mentees.order_by("pk"):
        profile = getattr(mentee, "mentee_profile", None)
        programme = profile.cohort.programme if profile and profile.cohort else None
        pre = _submit(rng, mentee, MENTEE_PRE, programme=programme)
        if _has_finished(mentee.pk) or mentee == context.logins.get("mentee"):
            _submit(rng, mentee, MENTEE_POST, programme=programme, before_flags=_flags(pre))
            pairs += 1
    relationship_model = apps.get_model("mentoring", "Relationship")
    mentor_programmes = dict(
        relationship_model.objects.filter(mentor_id__in=context.mentor_ids)
        .order_by("mentor_id", "created_at")
        .values_list("mentor_id", "cohort__programme_id")
    )
    programme_model = apps.get_model("programmes", "Programme")
    programmes = programme_model.objects.in_bulk(set(mentor_programmes.values()))
    for mentor in User.objects.filter(pk__in=context.mentor_ids).order_by("pk"):
        programme = programmes.get(mentor_programmes.get(mentor.pk))
        _submit(rng, mentor, MENTOR_PRE, programme=programme)
        if _has_finished(mentor.pk):
            _submit(rng, mentor, MENTOR_POST, programme=programme, before_flags={})
    context.log(
        f"Evaluation: pre- and post-evaluations for {len(context.mentee_ids)} mentees ({pairs} pairs)."
    )
