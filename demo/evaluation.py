"""Demo data for evaluation: the seeded instruments, and before and after surveys for the demo people on
the days a real programme would collect them, so the impact dashboards show a plausible year.
Re-running adds nothing. The surveys are written in bulk by `SurveyWriter`, with the rows the
services would write, and the summaries are counted once at the end."""

from __future__ import annotations

import datetime
import zlib
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.audit import audit_event
from core.errors import ApplicationError
from core.models import AuditEvent
from evaluation import services, tallies
from evaluation.content import (
    MENTEE_MIRRORED,
    MENTEE_POST,
    MENTEE_PRE,
    MENTOR_POST,
    MENTOR_PRE,
    load_instruments,
)
from evaluation.models import Answer, InstrumentVersion, Question, SurveyInstance, SurveyResponse
from evaluation.tasks import send_survey_invitation

# Share agreeing before and after for each mirrored item, close to what programmes report.
AGREE_BEFORE_AFTER = {
    "experience_training": (0.33, 0.81),
    "positive_future": (0.56, 0.75),
    "advice_contact": (0.38, 0.75),
}
DEFAULT_BEFORE_AFTER = (0.45, 0.68)
STAYS_AGREEING = 0.9
POST_SHARE = 0.8  # of people whose relationship has ended answer the after survey
BATCH_SIZE = 1000


def _agree_value(rng, agrees: bool) -> int:
    return rng.choice([4, 4, 5]) if agrees else rng.choice([1, 2, 2, 3, 3, 3])


def _answers(rng, questions: list[Question], *, before_flags: dict[str, bool] | None) -> dict:
    """A complete, plausible set of answers for every question of a survey's version, in order."""
    answers = {}
    for question in questions:
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


class SurveyWriter:
    """Issues and answers the demo's surveys with the rows the evaluation services would write, in bulk.

    `survey_issue` and `response_save` (evaluation/services.py) write each response, its answers and
    its audit rows one at a time and keep the summaries in step as they go: thousands of small writes.
    This writer makes the same rows (placement, cleaned answers, audit rows, invitations for surveys
    left unanswered) with a few bulk inserts, dated by `on`, then counts the summaries once with
    `tallies.rebuild` (evaluation/tests: the same rows and summaries as the services make).
    """

    def __init__(self):
        self._versions: dict[str, tuple[InstrumentVersion, list[Question]]] = {}
        self._instances: dict[tuple[int, int | None], SurveyInstance] = {}
        self._existing: dict[tuple[int, int | None, str], SurveyResponse] | None = None
        self._planned: list[_Planned] = []

    def _version(self, slug: str) -> tuple[InstrumentVersion, list[Question]]:
        if slug not in self._versions:
            version = services._published_version(slug)
            self._versions[slug] = (version, list(version.questions.all()))
        return self._versions[slug]

    def _instance(self, version: InstrumentVersion, programme) -> SurveyInstance:
        key = (version.pk, getattr(programme, "pk", None))
        if key not in self._instances:
            instance, _ = SurveyInstance.objects.get_or_create(version=version, programme=programme)
            if not instance.is_open:
                raise ApplicationError("This survey is closed.")
            self._instances[key] = instance
        return self._instances[key]

    def _earlier(self, user, programme, purpose: str) -> SurveyResponse | None:
        """The person's evaluation for this programme and purpose from an earlier run, if any."""
        if self._existing is None:
            self._existing = {}
            for response in SurveyResponse.objects.filter(
                instance__version__instrument__purpose__in=list(services.COUNTERPART)
            ).select_related("instance__version__instrument"):
                key = (
                    response.respondent_id,
                    response.programme_id,
                    response.instance.version.instrument.purpose,
                )
                self._existing.setdefault(key, response)
        return self._existing.get((user.pk, getattr(programme, "pk", None), purpose))

    def submit(self, rng, user, slug: str, *, programme, on, before_flags=None, answer=True) -> _Planned:
        """Send a survey dated `on` and, when `answer`, answer it that day (a re-run changes nothing)."""
        version, questions = self._version(slug)
        instance = self._instance(version, programme)
        programme, partner, cohort = services._placement(user, None, programme)
        response = self._earlier(user, programme, version.instrument.purpose)
        if response is not None and response.status != SurveyResponse.Status.ISSUED:
            planned = _Planned(response=response, is_new=False, answered=False, moment=None)
            planned.flags = _flags(response)
            return planned
        is_new = response is None
        if is_new:
            response = SurveyResponse(
                instance=instance,
                respondent=user,
                programme=programme,
                youth_partner=partner,
                cohort=cohort,
                mandatory=False,
                context_type="",
                context_id="",
            )
        moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(17)))
        planned = _Planned(response=response, is_new=is_new, answered=answer, moment=moment)
        if answer:
            raw = _answers(rng, questions, before_flags=before_flags)
            for question in questions:
                if question.code not in raw:
                    continue
                cleaned = services._clean_answer(question, raw[question.code])
                if cleaned is not None:
                    value, choices, text = cleaned
                    planned.answers.append(Answer(question=question, value=value, choices=choices, text=text))
            response.status = SurveyResponse.Status.SUBMITTED
            response.submitted_at = moment
            mirrored = {code for code, *_ in MENTEE_MIRRORED}
            planned.flags = {
                item.question.code: item.value >= 4
                for item in planned.answers
                if item.question.code in mirrored and item.value is not None
            }
        self._planned.append(planned)
        return planned

    @transaction.atomic
    def write(self) -> None:
        """Write every planned response, answer and audit row, then count the summaries again."""
        planned = self._planned
        new = [each.response for each in planned if each.is_new]
        SurveyResponse.objects.bulk_create(new, batch_size=BATCH_SIZE)
        for each in planned:
            each.response.created_at = each.moment - datetime.timedelta(hours=1)
        SurveyResponse.objects.bulk_update(
            [each.response for each in planned],
            ["created_at", "status", "submitted_at"],
            batch_size=BATCH_SIZE,
        )
        answers = []
        events = []
        for each in planned:
            for answer in each.answers:
                answer.response = each.response
                answers.append(answer)
            response = each.response
            if each.is_new:
                slug = response.instance.version.instrument.slug
                events.append(
                    audit_event(actor=None, action="evaluation.survey_issue", target=response, summary=slug)
                )
            if each.answered:
                events.append(
                    audit_event(
                        actor=response.respondent, action="evaluation.response_submit", target=response
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=BATCH_SIZE)
        AuditEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        for each in planned:
            if each.is_new and not each.answered:
                send_survey_invitation.delay_on_commit(each.response.pk)
        self._planned = []
        # Every summary is filed by the day things happened: count them from the dated responses.
        tallies.rebuild(apps)


def _number(person) -> int:
    """A number for the person that a rebuild from the same seed gives again (their email, unlike
    their primary key, is the same every time)."""
    return zlib.crc32(person.email.encode("utf-8"))


def _answers_post(number: int) -> bool:
    """Decided by the person, not the random stream, so a re-run makes the same choice."""
    return (number * 7919) % 100 < POST_SHARE * 100


def _answers_pre(number: int) -> bool:
    # The before survey is part of applying, but a few leave it unfinished.
    return (number * 104729) % 100 >= 4


@dataclass
class _Planned:
    """One survey of the demo: the response, new or from an earlier run, and what to write for it."""

    response: SurveyResponse
    is_new: bool
    answered: bool
    moment: datetime.datetime | None
    answers: list[Answer] = field(default_factory=list)
    flags: dict[str, bool] = field(default_factory=dict)

    @property
    def is_submitted(self) -> bool:
        return self.response.status == SurveyResponse.Status.SUBMITTED


def _flags(response: SurveyResponse) -> dict[str, bool]:
    mirrored = {code for code, *_ in MENTEE_MIRRORED}
    return {
        code: value >= 4
        for code, value in response.answers.filter(question__code__in=mirrored).values_list(
            "question__code", "value"
        )
    }


def _after_end(ended_on: datetime.date, number: int, today: datetime.date) -> datetime.date:
    """The after survey is answered in the fortnight after the relationship ends, never in the future."""
    return min(ended_on + datetime.timedelta(days=number % 15), today)


def extend_demo(context, writer=None) -> None:
    """A programme's year: each young person answers the before survey on the day they sign up (their
    application, or joining); the after survey is sent only when their relationship has ended, and
    most answer it. Mentors answer theirs when their first relationship starts and after it ends.

    `writer` writes the surveys (a `SurveyWriter` unless given: tests pass one that calls the services)."""
    writer = writer or SurveyWriter()
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
        pre = writer.submit(
            rng,
            mentee,
            MENTEE_PRE,
            programme=programme,
            on=min(signed_up, today),
            answer=_answers_pre(_number(mentee)) or mentee == login_mentee,
        )
        status, _started_on, ended_on = latest.get(mentee.pk, (None, None, None))
        if status in ended and ended_on is not None:
            answer = _answers_post(_number(mentee)) or mentee == login_mentee
            post = writer.submit(
                rng,
                mentee,
                MENTEE_POST,
                programme=programme,
                on=_after_end(ended_on, _number(mentee), today),
                before_flags=pre.flags,
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
        writer.submit(rng, mentor, MENTOR_PRE, programme=programme, on=min(began, today))
        if status in ended and ended_on is not None:
            writer.submit(
                rng,
                mentor,
                MENTOR_POST,
                programme=programme,
                on=_after_end(ended_on, _number(mentor), today),
                before_flags={},
                answer=_answers_post(_number(mentor)),
            )
    writer.write()
    context.log(
        f"Evaluation: before surveys for {len(context.mentee_ids)} young people at sign-up, after "
        f"surveys for those whose relationship has ended ({pairs} pairs)."
    )
