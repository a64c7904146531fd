"""Building instruments, issuing surveys and recording answers (with the summaries kept in step)."""

from __future__ import annotations

import datetime
import logging
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from core.audit import audit_record
from core.errors import ApplicationError

from . import tallies
from .models import (
    Answer,
    AnswerTally,
    ImpactReport,
    Instrument,
    InstrumentVersion,
    PairGroupTally,
    PairTally,
    Question,
    ResponseTally,
    SurveyInstance,
    SurveyResponse,
)

logger = logging.getLogger(__name__)

# Looked up by the purpose an instrument stores (a plain string).
COUNTERPART: dict[str, str] = {
    Instrument.Purpose.MENTEE_PRE: Instrument.Purpose.MENTEE_POST,
    Instrument.Purpose.MENTEE_POST: Instrument.Purpose.MENTEE_PRE,
    Instrument.Purpose.MENTOR_PRE: Instrument.Purpose.MENTOR_POST,
    Instrument.Purpose.MENTOR_POST: Instrument.Purpose.MENTOR_PRE,
}


# Building instruments ----------------------------------------------------------------------------


@transaction.atomic
def instrument_create(*, actor, slug: str, name: str, purpose: str, description: str = "") -> Instrument:
    """Create an instrument with an empty draft version 1."""
    instrument = Instrument(slug=slug, name=name, purpose=purpose, description=description)
    instrument.full_clean()
    instrument.save()
    InstrumentVersion.objects.create(instrument=instrument, number=1)
    audit_record(actor=actor, action="evaluation.instrument_create", target=instrument, summary=name)
    return instrument


@transaction.atomic
def version_create_draft(*, actor, instrument: Instrument) -> InstrumentVersion:
    """Start a new draft version, copying the questions of the latest version."""
    instrument = Instrument.objects.select_for_update(of=("self",)).get(pk=instrument.pk)
    if instrument.versions.filter(status=InstrumentVersion.Status.DRAFT).exists():
        raise ApplicationError("This instrument already has a draft version: edit that one.")
    latest = instrument.versions.order_by("-number").first()
    number = (latest.number if latest else 0) + 1
    draft = InstrumentVersion.objects.create(
        instrument=instrument,
        number=number,
        introduction=latest.introduction if latest else "",
        introduction_plain=latest.introduction_plain if latest else "",
    )
    if latest:
        Question.objects.bulk_create(
            Question(
                version=draft,
                position=question.position,
                code=question.code,
                kind=question.kind,
                text=question.text,
                text_plain=question.text_plain,
                theme=question.theme,
                choices=question.choices,
                required=question.required,
                is_headline=question.is_headline,
                replaces=question.replaces,
            )
            for question in latest.questions.all()
        )
    audit_record(actor=actor, action="evaluation.version_create", target=draft, summary=str(draft))
    return draft


@transaction.atomic
def question_add(*, actor, version: InstrumentVersion, question: Question) -> Question:
    """Add a question to a draft version. Published versions are frozen."""
    version = InstrumentVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
    if version.is_frozen:
        raise ApplicationError("This version is published and cannot change. Start a new draft.")
    question.version = version
    if not question.position:
        question.position = (version.questions.aggregate(top=Max("position"))["top"] or 0) + 1
    question.full_clean()
    question.save()
    audit_record(actor=actor, action="evaluation.question_add", target=version, summary=question.code)
    return question


@transaction.atomic
def question_remove(*, actor, question: Question) -> None:
    version = InstrumentVersion.objects.select_for_update(of=("self",)).get(pk=question.version_id)
    if version.is_frozen:
        raise ApplicationError("This version is published and cannot change. Start a new draft.")
    audit_record(actor=actor, action="evaluation.question_remove", target=version, summary=question.code)
    question.delete()


@transaction.atomic
def version_publish(*, actor, version: InstrumentVersion) -> InstrumentVersion:
    """Publish a draft (retiring the previous published version); from now on it is frozen."""
    version = InstrumentVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
    if version.status != InstrumentVersion.Status.DRAFT:
        raise ApplicationError("Only a draft version can be published.")
    if not version.questions.exists():
        raise ApplicationError("Add at least one question before publishing.")
    InstrumentVersion.objects.filter(
        instrument_id=version.instrument_id, status=InstrumentVersion.Status.PUBLISHED
    ).update(status=InstrumentVersion.Status.RETIRED)
    # Surveys already sent out on the old version stay answerable; new issues use this version.
    version.status = InstrumentVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.full_clean()
    version.save()
    audit_record(actor=actor, action="evaluation.version_publish", target=version, summary=str(version))
    return version


# Issuing surveys ---------------------------------------------------------------------------------


def _placement(user, context_object, programme):
    """Programme, youth partner and cohort to file a response under."""
    profile = getattr(user, "mentee_profile", None) if hasattr(user, "mentee_profile") else None
    return _placement_of(profile, context_object, programme)


def _placement_of(profile, context_object, programme):
    """`_placement` for a person whose mentee profile (or None) has been read."""
    from mentoring.models import Relationship

    partner = cohort = None
    if isinstance(context_object, Relationship):
        cohort = context_object.cohort
        partner = cohort.youth_partner
    elif profile is not None:
        cohort = profile.cohort
        partner = profile.youth_partner
    if programme is None and cohort is not None:
        programme = cohort.programme
    return programme, partner, cohort


def _published_version(instrument_slug: str) -> InstrumentVersion:
    version = (
        InstrumentVersion.objects.select_related("instrument")
        .filter(instrument__slug=instrument_slug, status=InstrumentVersion.Status.PUBLISHED)
        .first()
    )
    if version is None:
        raise ApplicationError(f"There is no published version of the survey “{instrument_slug}”.")
    return version


@transaction.atomic
def survey_issue(
    *, instrument_slug: str, user, context_object=None, programme=None, mandatory: bool = False
) -> SurveyResponse:
    """Send the published version of an instrument to a person; returns their (new or existing) response.

    A person gets one response per survey instance, and one pre- and one post-evaluation per programme.
    """
    version = _published_version(instrument_slug)
    programme, partner, cohort = _placement(user, context_object, programme)
    instance, _ = SurveyInstance.objects.get_or_create(version=version, programme=programme)
    if not instance.is_open:
        raise ApplicationError("This survey is closed.")
    existing = SurveyResponse.objects.filter(instance=instance, respondent=user).first()
    if existing is None and version.instrument.stage:
        existing = SurveyResponse.objects.filter(
            respondent=user,
            programme=programme,
            instance__version__instrument__purpose=version.instrument.purpose,
        ).first()
    if existing is not None:
        return existing
    response = SurveyResponse(
        instance=instance,
        respondent=user,
        programme=programme,
        youth_partner=partner,
        cohort=cohort,
        mandatory=mandatory,
        context_type=context_object._meta.label_lower if context_object is not None else "",
        context_id=str(context_object.pk) if context_object is not None else "",
    )
    response.full_clean()
    response.save()
    _bump(ResponseTally, "issued", **_rate_key(response, version.instrument.purpose))
    audit_record(actor=None, action="evaluation.survey_issue", target=response, summary=instrument_slug)
    from .tasks import send_survey_invitation

    send_survey_invitation.delay_on_commit(response.pk)
    return response


@transaction.atomic
def survey_issue_many(*, instrument_slug: str, recipients) -> list[SurveyResponse]:
    """`survey_issue` (no context object, not mandatory) for many (person, programme or None) pairs at
    once: the same rows (response, placement, summary counts, audit row, invitation) in a few queries
    rather than a dozen per person. Returns the responses it wrote: a person who already has one is
    left alone, and one whose survey is closed gets none (`survey_issue` refuses them; the receivers
    that issue surveys log it and carry on, as this does)."""
    from accounts.models import MenteeProfile
    from core.audit import audit_event
    from core.models import AuditEvent

    recipients = list(recipients)
    if not recipients:
        return []
    version = _published_version(instrument_slug)
    purpose = version.instrument.purpose
    user_ids = {user.pk for user, _programme in recipients}
    profiles = {
        profile.user_id: profile
        for profile in MenteeProfile.objects.filter(user_id__in=user_ids).select_related(
            "cohort__programme", "youth_partner"
        )
    }
    placed = [
        (user, *_placement_of(profiles.get(user.pk), None, programme)) for user, programme in recipients
    ]
    instances: dict[int | None, SurveyInstance] = {}
    for _user, programme, _partner, _cohort in placed:
        key = programme.pk if programme is not None else None
        if key not in instances:
            instances[key], _ = SurveyInstance.objects.get_or_create(version=version, programme=programme)
    answered = set(
        SurveyResponse.objects.filter(
            instance__in=list(instances.values()), respondent_id__in=user_ids
        ).values_list("instance_id", "respondent_id")
    )
    evaluated: set[tuple[int, int | None]] = set()
    if version.instrument.stage:
        evaluated = set(
            SurveyResponse.objects.filter(
                respondent_id__in=user_ids, instance__version__instrument__purpose=purpose
            ).values_list("respondent_id", "programme_id")
        )
    responses = []
    for user, programme, partner, cohort in placed:
        instance = instances[programme.pk if programme is not None else None]
        if not instance.is_open:
            logger.warning(
                "Survey %s not issued to user %s: This survey is closed.", instrument_slug, user.pk
            )
            continue
        if (instance.pk, user.pk) in answered or (user.pk, instance.programme_id) in evaluated:
            continue
        responses.append(
            SurveyResponse(
                instance=instance,
                respondent=user,
                programme=programme,
                youth_partner=partner,
                cohort=cohort,
                mandatory=False,
                context_type="",
                context_id="",
            )
        )
        answered.add((instance.pk, user.pk))  # a pair given twice is issued once, as by survey_issue
        if version.instrument.stage:
            evaluated.add((user.pk, instance.programme_id))
    SurveyResponse.objects.bulk_create(responses)
    _bump_all(ResponseTally, "issued", [_rate_key(response, purpose) for response in responses])
    AuditEvent.objects.bulk_create(
        audit_event(actor=None, action="evaluation.survey_issue", target=response, summary=instrument_slug)
        for response in responses
    )
    from .tasks import send_survey_invitation

    for response in responses:
        send_survey_invitation.delay_on_commit(response.pk)
    return responses


@transaction.atomic
def survey_instance_set_open(*, actor, instance: SurveyInstance, is_open: bool) -> SurveyInstance:
    instance.is_open = is_open
    instance.full_clean()
    instance.save(update_fields=["is_open", "updated_at"])
    audit_record(
        actor=actor,
        action="evaluation.instance_open" if is_open else "evaluation.instance_close",
        target=instance,
    )
    return instance


# Answering ---------------------------------------------------------------------------------------


def _clean_answer(question: Question, raw) -> tuple[int | None, list[int], str] | None:
    """Turn a raw answer into (value, choices, text), None when blank; ValidationError when invalid."""
    if raw is None or raw == "" or raw == []:
        return None
    kind = question.kind
    if kind == Question.Kind.TEXT:
        text = str(raw).strip()
        if len(text) > 2000:
            raise ValidationError({question.code: "Please keep this answer under 2,000 characters."})
        return (None, [], text) if text else None
    if kind == Question.Kind.MULTIPLE:
        items = raw if isinstance(raw, list | tuple) else [raw]
        try:
            positions = sorted({int(item) for item in items})
        except (TypeError, ValueError):
            raise ValidationError({question.code: "Choose from the options given."}) from None
        if any(position < 0 or position >= len(question.choices) for position in positions):
            raise ValidationError({question.code: "Choose from the options given."})
        return (None, positions, "")
    if isinstance(raw, bool):
        raw = int(raw)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({question.code: "Choose one of the answers given."}) from None
    if kind == Question.Kind.SINGLE:
        low, high = 0, len(question.choices) - 1
    else:
        low, high = Question.VALUE_RANGE[kind]
    if not low <= value <= high:
        raise ValidationError({question.code: f"Choose an answer between {low} and {high}."})
    return (value, [], "")


def _day(moment: datetime.datetime) -> datetime.date:
    """The UK-local day of a moment: every summary is filed by day, so any period is exact."""
    return timezone.localdate(moment)


def _bump(model, increment_field: str, **key) -> None:
    if not model.objects.filter(**key).update(**{increment_field: F(increment_field) + 1}):
        model.objects.create(**key, **{increment_field: 1})


def _bump_all(model, increment_field: str, keys: list[dict]) -> None:
    """`_bump` for each key (a key given twice counts twice), in a few queries rather than one or two
    per key: a response's answers touch a summary row each."""
    if not keys:
        return
    fields = list(keys[0])
    # As the database gives the values back (a key's rows are found by comparing with them).
    to_python = [model._meta.get_field(field).to_python for field in fields]
    counts = Counter(
        tuple(convert(key[field]) for convert, field in zip(to_python, fields, strict=True)) for key in keys
    )
    matching = Q()
    for values in counts:
        matching |= Q(**dict(zip(fields, values, strict=True)))
    rows: dict[tuple, list[int]] = {}
    for pk, *values in model.objects.filter(matching).values_list("pk", *fields):
        rows.setdefault(tuple(values), []).append(pk)
    by_increment: dict[int, list[int]] = {}
    for values, count in counts.items():
        by_increment.setdefault(count, []).extend(rows.get(values, ()))
    for increment, pks in by_increment.items():
        if pks:
            model.objects.filter(pk__in=pks).update(**{increment_field: F(increment_field) + increment})
    model.objects.bulk_create(
        model(**dict(zip(fields, values, strict=True)), **{increment_field: count})
        for values, count in counts.items()
        if values not in rows
    )


def _rate_key(response: SurveyResponse, purpose: str) -> dict:
    return {
        "instrument_purpose": purpose,
        "programme_id": response.programme_id,
        "youth_partner_id": response.youth_partner_id,
        "cohort_id": response.cohort_id,
        "day": _day(response.created_at),
    }


def _tally_response(response: SurveyResponse, answers: list[Answer]) -> None:
    """Add a submitted response to the summaries; pair it with the person's other evaluation, if any.

    Answers are counted under their item's stable key, so an item whose code changed between survey
    versions still pairs. A pair is filed under the after answer: its day and where the person stood.
    """
    instrument = response.instance.version.instrument
    _bump(ResponseTally, "submitted", **_rate_key(response, instrument.purpose))
    if response.submitted_at is None:
        raise ValueError("Only a submitted response is tallied.")
    keys = tallies.item_keys(Question)
    day = _day(response.submitted_at)
    placement = {
        "programme_id": response.programme_id,
        "youth_partner_id": response.youth_partner_id,
        "cohort_id": response.cohort_id,
    }
    answer_keys = []
    for answer in answers:
        question = answer.question
        values = answer.choices if question.kind == Question.Kind.MULTIPLE else [answer.value]
        for value in values:
            if value is None:
                continue
            answer_keys.append(
                {
                    "stage": instrument.stage,
                    "instrument_purpose": instrument.purpose,
                    "question_code": keys.get(question.code, question.code),
                    "question_kind": question.kind,
                    "theme": question.theme,
                    "day": day,
                    "value": value,
                    **placement,
                }
            )
    _bump_all(AnswerTally, "respondents", answer_keys)
    counterpart_purpose = COUNTERPART.get(instrument.purpose)
    if counterpart_purpose is None:
        return
    mine = {
        keys.get(answer.question.code, answer.question.code): answer
        for answer in answers
        if answer.question.kind == Question.Kind.AGREE and answer.value is not None
    }
    codes = [code for key in mine for code in tallies.aliases(key, keys)]
    # A programme of None matches IS NULL: a platform-wide response pairs with the other
    # platform-wide one (the stubs allow no None in a lookup).
    theirs = Answer.objects.filter(  # type: ignore[misc]
        response__respondent_id=response.respondent_id,
        response__programme_id=response.programme_id,
        response__status=SurveyResponse.Status.SUBMITTED,
        response__instance__version__instrument__purpose=counterpart_purpose,
        question__kind=Question.Kind.AGREE,
        question__code__in=codes,
        value__isnull=False,
    ).values_list(
        "question__code",
        "question__theme",
        "value",
        "response__submitted_at",
        "response__youth_partner_id",
        "response__cohort_id",
    )
    population = Instrument.POPULATION[instrument.purpose]
    groups = None
    pair_keys: list[dict] = []
    group_keys: list[dict] = []
    for code, their_theme, other_value, their_submitted, their_partner, their_cohort in theirs:
        answer = mine[keys.get(code, code)]
        if instrument.stage == "post":
            before, after, theme, filed = other_value, answer.value, answer.question.theme, (day, placement)
        else:
            before, after, theme = answer.value, other_value, their_theme
            filed = (
                _day(their_submitted or response.submitted_at),  # submitted: never None here
                {
                    "programme_id": response.programme_id,
                    "youth_partner_id": their_partner,
                    "cohort_id": their_cohort,
                },
            )
        pair_keys.append(
            {
                "population": population,
                "question_code": keys.get(code, code),
                "theme": theme,
                "day": filed[0],
                "before": before,
                "after": after,
                **filed[1],
            }
        )
        if groups is None:
            before_day = _day(their_submitted or response.submitted_at) if instrument.stage == "post" else day
            groups = tallies.person_groups(response.respondent, population, before_day)
        group_keys.extend(
            {
                "population": population,
                "question_code": keys.get(code, code),
                "dimension": dimension,
                "group": group,
                "day": filed[0],
                "before": before,
                "after": after,
                **filed[1],
            }
            for dimension, group in groups.items()
        )
    _bump_all(PairTally, "pairs", pair_keys)
    _bump_all(PairGroupTally, "pairs", group_keys)


@transaction.atomic
def response_save(*, actor, response: SurveyResponse, answers: dict, submit: bool) -> SurveyResponse:
    """Save a person's answers (progress is kept); with submit=True check completeness and submit.

    `answers` maps question code to the raw answer. Refuses another person's response, a submitted
    response, a closed or unpublished survey, and out-of-range values (nothing is saved then).
    """
    response = (
        SurveyResponse.objects.select_for_update(of=("self",))
        .select_related("instance__version__instrument")
        .get(pk=response.pk)
    )
    if actor is None or response.respondent_id != actor.pk:
        raise ApplicationError("This survey belongs to someone else.")
    if response.is_submitted:
        raise ApplicationError("You have already submitted this survey. Thank you!")
    instance = response.instance
    if not instance.is_open or (instance.closes_on and instance.closes_on < timezone.localdate()):
        raise ApplicationError("This survey is closed.")
    if instance.version.status == InstrumentVersion.Status.DRAFT:
        raise ApplicationError("This survey has not been published.")
    questions = {question.code: question for question in instance.version.questions.all()}
    unknown = set(answers) - set(questions)
    if unknown:
        raise ValidationError({code: "This question is not in the survey." for code in sorted(unknown)})
    cleaned, errors = {}, {}
    for code, raw in answers.items():
        try:
            cleaned[code] = _clean_answer(questions[code], raw)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    existing = {answer.question_id: answer for answer in response.answers.all()}
    for code, value in cleaned.items():
        question = questions[code]
        answer = existing.get(question.pk)
        if value is None:
            if answer is not None:
                answer.delete()
                del existing[question.pk]
            continue
        if answer is None:
            answer = Answer(response=response, question=question)
        answer.value, answer.choices, answer.text = value
        answer.save()
        existing[question.pk] = answer
    if submit:
        missing = [
            code for code, question in questions.items() if question.required and question.pk not in existing
        ]
        if missing:
            raise ValidationError({code: "Please answer this question." for code in missing})
        response.status = SurveyResponse.Status.SUBMITTED
        response.submitted_at = timezone.now()
    elif existing:
        response.status = SurveyResponse.Status.IN_PROGRESS
    response.full_clean()
    response.save()
    if submit:
        by_id = {question.pk: question for question in questions.values()}
        for answer in existing.values():
            answer.question = by_id[answer.question_id]
        _tally_response(response, list(existing.values()))
        audit_record(actor=actor, action="evaluation.response_submit", target=response)
    return response


# Reports -----------------------------------------------------------------------------------------


@transaction.atomic
def impact_report_request(
    *,
    actor,
    programme,
    period_start: datetime.date,
    period_end: datetime.date,
    breakdown: str = "youth_partner",
    item: str = "",
) -> ImpactReport:
    """Queue a PDF impact report for a programme (or all) and period, with the breakdown it shows."""
    from .selectors import BREAKDOWNS

    if period_start > period_end:
        raise ValidationError({"period_end": "The end of the period must not be before its start."})
    if breakdown not in BREAKDOWNS:
        raise ValidationError({"breakdown": "Choose a grouping from the list."})
    report = ImpactReport(
        requested_by=actor,
        programme=programme,
        period_start=period_start,
        period_end=period_end,
        breakdown=breakdown,
        item=item or "",
    )
    report.full_clean()
    report.save()
    audit_record(actor=actor, action="evaluation.report_request", target=report, summary=str(report))
    from .tasks import build_impact_report

    build_impact_report.delay_on_commit(report.pk)
    return report


def impact_report_build(*, report_id: int) -> ImpactReport | None:
    """Build the PDF once: a conditional update claims the work, so a repeated task does nothing."""
    from .reports import render_impact_report_pdf

    started_at = timezone.now()
    claimed = ImpactReport.objects.filter(
        pk=report_id, status__in=[ImpactReport.Status.PENDING, ImpactReport.Status.FAILED]
    ).update(status=ImpactReport.Status.RUNNING, progress=5, error="", started_at=started_at)
    if not claimed:
        return None
    report = ImpactReport.objects.select_related("programme").get(pk=report_id)
    # Only this build may write its result: a build taken back from a dead worker is another claim.
    this_build = ImpactReport.objects.filter(
        pk=report_id, status=ImpactReport.Status.RUNNING, started_at=started_at
    )

    def progress(percent: int) -> None:
        this_build.update(progress=percent)

    try:
        pdf = render_impact_report_pdf(report=report, progress=progress)
    except Exception as error:
        this_build.update(status=ImpactReport.Status.FAILED, error=str(error)[:255])
        raise
    this_build.update(status=ImpactReport.Status.READY, progress=100, pdf=pdf)
    report.refresh_from_db()
    return report


def impact_reports_due_again(*, now=None) -> list[int]:
    """Reports whose build should be queued again: still waiting WORK_REQUEUE_AFTER seconds after they
    were asked for (the task was lost), or claimed WORK_STALE_AFTER ago and never finished (the
    worker died; those are put back to waiting here)."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.WORK_STALE_AFTER)
    ImpactReport.objects.filter(status=ImpactReport.Status.RUNNING, started_at__lt=stale).update(
        status=ImpactReport.Status.PENDING, progress=0
    )
    waiting_since = now - datetime.timedelta(seconds=settings.WORK_REQUEUE_AFTER)
    return list(
        ImpactReport.objects.filter(status=ImpactReport.Status.PENDING)
        .filter(Q(started_at__isnull=True, created_at__lt=waiting_since) | Q(started_at__lt=stale))
        .values_list("pk", flat=True)
    )
