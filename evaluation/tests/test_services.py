import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from core.errors import ApplicationError
from core.models import AuditEvent

from .. import selectors, services
from ..content import MENTEE_POST, MENTEE_PRE, TRAINING
from ..models import (
    Answer,
    AnswerTally,
    Instrument,
    InstrumentVersion,
    PairTally,
    Question,
    SurveyInstance,
    SurveyResponse,
)
from .factories import complete_answers, mentee_in, pair, submit


def test_issuing_twice_gives_the_same_response(world):
    first = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_under_16, mandatory=True)
    second = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_under_16)
    assert first.pk == second.pk
    assert first.programme == world.programme
    assert first.youth_partner == world.partner_a and first.cohort == world.cohort_a
    assert SurveyResponse.objects.filter(respondent=world.mentee_under_16).count() == 1


def test_issue_sends_a_plain_text_invitation(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_issue(instrument_slug=TRAINING, user=world.mentor)
    assert len(mailoutbox) == 1
    assert "Training feedback" in mailoutbox[0].body
    assert mailoutbox[0].to == [world.mentor.email]


def test_the_database_refuses_a_second_response_to_one_survey_instance(world):
    response = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_b)
    with pytest.raises(Exception):  # noqa: B017  IntegrityError, whatever the database
        SurveyResponse.objects.create(instance=response.instance, respondent=world.mentee_b)


def test_progress_is_saved_without_submitting(world):
    response = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_b)
    services.response_save(
        actor=world.mentee_b, response=response, answers={"positive_future": 4}, submit=False
    )
    response.refresh_from_db()
    assert response.status == SurveyResponse.Status.IN_PROGRESS
    assert response.answers.get().value == 4
    assert not AnswerTally.objects.exists()


def test_submitting_needs_every_required_answer_and_saves_nothing_when_refused(world):
    response = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_b)
    with pytest.raises(ValidationError) as error:
        services.response_save(
            actor=world.mentee_b, response=response, answers={"positive_future": 4}, submit=True
        )
    assert "advice_contact" in error.value.message_dict
    assert not Answer.objects.exists()
    response.refresh_from_db()
    assert response.status == SurveyResponse.Status.ISSUED


@pytest.mark.parametrize(
    ("code", "value"),
    [("positive_future", 6), ("positive_future", 0), ("positive_future", "lots"), ("help_wanted", [99])],
)
def test_out_of_range_answers_are_refused_with_a_field_message(world, code, value):
    response = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_b)
    with pytest.raises(ValidationError) as error:
        services.response_save(actor=world.mentee_b, response=response, answers={code: value}, submit=False)
    assert code in error.value.message_dict
    assert not Answer.objects.exists()


def test_a_second_submission_is_refused(world):
    response = submit(world.mentee_b, MENTEE_PRE)
    with pytest.raises(ApplicationError, match="already submitted"):
        services.response_save(
            actor=world.mentee_b, response=response, answers=complete_answers(response), submit=True
        )
    assert AnswerTally.objects.filter(question_code="positive_future").get().respondents == 1


def test_another_persons_survey_is_refused(world):
    response = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_b)
    with pytest.raises(ApplicationError, match="someone else"):
        services.response_save(
            actor=world.mentee_over_18, response=response, answers=complete_answers(response), submit=True
        )
    assert not Answer.objects.exists()


def test_a_closed_survey_is_refused(world):
    response = services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_b)
    services.survey_instance_set_open(actor=world.staff, instance=response.instance, is_open=False)
    with pytest.raises(ApplicationError, match="closed"):
        services.response_save(
            actor=world.mentee_b, response=response, answers=complete_answers(response), submit=True
        )
    with pytest.raises(ApplicationError, match="closed"):
        services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_over_18)


def test_an_unpublished_survey_cannot_be_issued_or_answered(world):
    instrument = services.instrument_create(
        actor=world.staff, slug="draft-only", name="Draft only", purpose=Instrument.Purpose.OTHER
    )
    draft = instrument.versions.get()
    services.question_add(
        actor=world.staff,
        version=draft,
        question=Question(code="q1", kind="yes_no", text="Ok?", theme="wellbeing"),
    )
    with pytest.raises(ApplicationError, match="no published version"):
        services.survey_issue(instrument_slug="draft-only", user=world.mentee_b)
    instance = SurveyInstance.objects.create(version=draft)
    response = SurveyResponse.objects.create(instance=instance, respondent=world.mentee_b)
    with pytest.raises(ApplicationError, match="not been published"):
        services.response_save(actor=world.mentee_b, response=response, answers={"q1": 1}, submit=True)


def test_a_published_version_is_frozen_and_a_new_draft_copies_it(world):
    published = InstrumentVersion.objects.get(instrument__slug=MENTEE_PRE, status="published")
    with pytest.raises(ApplicationError, match="cannot change"):
        services.question_add(
            actor=world.staff,
            version=published,
            question=Question(code="extra", kind="yes_no", text="Extra?", theme="wellbeing"),
        )
    with pytest.raises(ApplicationError):
        services.question_remove(actor=world.staff, question=published.questions.first())
    draft = services.version_create_draft(actor=world.staff, instrument=published.instrument)
    assert draft.number == 2
    assert list(draft.questions.values_list("code", flat=True)) == list(
        published.questions.values_list("code", flat=True)
    )
    services.version_publish(actor=world.staff, version=draft)
    published.refresh_from_db()
    assert published.status == InstrumentVersion.Status.RETIRED
    assert AuditEvent.objects.filter(action="evaluation.version_publish").exists()


def test_choice_questions_need_options(world):
    instrument = services.instrument_create(actor=world.staff, slug="opts", name="Options", purpose="other")
    with pytest.raises(ValidationError) as error:
        services.question_add(
            actor=world.staff,
            version=instrument.versions.get(),
            question=Question(code="pick", kind="single", text="Pick", theme="needs", choices=["Only one"]),
        )
    assert "choices" in error.value.message_dict


def test_pairs_are_counted_once_whichever_evaluation_comes_second(world):
    pair(world.mentee_b, {"positive_future": 2}, {"positive_future": 5})
    # The post-evaluation arrives before the pre-evaluation for this person.
    submit(world.mentee_over_18, MENTEE_POST, positive_future=4)
    submit(world.mentee_over_18, MENTEE_PRE, positive_future=4)
    cells = {
        (row.before, row.after): row.pairs
        for row in PairTally.objects.filter(question_code="positive_future")
    }
    assert cells == {(2, 5): 1, (4, 4): 1}


def test_the_pair_summary_matches_the_paired_answers_computed_from_scratch(world):
    people = [mentee_in(world.cohort_a) for _ in range(6)] + [mentee_in(world.cohort_b) for _ in range(3)]
    for index, person in enumerate(people):
        pair(person, {"positive_future": 1 + index % 5}, {"positive_future": 1 + (index * 3) % 5})
    submit(mentee_in(world.cohort_a), MENTEE_PRE)  # unpaired
    for aggregate_filter in (
        selectors.AggregateFilter(),
        selectors.AggregateFilter(partner_ids=frozenset({world.partner_a.pk})),
    ):
        summary = {
            (code, before, after): total
            for code, before, after, total in PairTally.objects.filter(aggregate_filter.q())
            .values_list("question_code", "before", "after")
            .order_by()
            .annotate(total=Sum("pairs"))
        }
        live = {
            (code, before, after): total
            for code, before, after, total in selectors.paired_cells_live(aggregate_filter)
        }
        assert summary == live
    assert sum(t for (c, _b, _a), t in live.items() if c == "positive_future") == 6


def test_response_rates_count_surveys_sent_and_completed(world):
    submit(world.mentee_b, MENTEE_PRE)
    services.survey_issue(instrument_slug=MENTEE_PRE, user=world.mentee_over_18)
    services.survey_issue(instrument_slug=MENTEE_POST, user=world.mentee_over_18)
    rates = {row["survey"]: row for row in selectors.response_rates(selectors.AggregateFilter())}
    assert (rates["Mentee pre-evaluation"]["issued"], rates["Mentee pre-evaluation"]["submitted"]) == (2, 1)
    assert rates["Mentee pre-evaluation"]["rate"] == 50
    assert rates["Mentee post-evaluation"]["rate"] == 0
    only_b = selectors.response_rates(selectors.AggregateFilter(partner_ids=frozenset({world.partner_b.pk})))
    assert [(row["issued"], row["submitted"]) for row in only_b] == [(1, 1)]


@pytest.mark.django_db
def test_summary_rows_are_added_to_or_created_and_a_key_given_twice_counts_twice(world):
    def key(value, cohort=None):
        return {
            "stage": "pre",
            "instrument_purpose": "mentee_pre",
            "question_code": "positive_future",
            "question_kind": "agree",
            "theme": "wellbeing",
            "programme_id": world.programme.pk,
            "youth_partner_id": None,
            "cohort_id": cohort,
            "day": datetime.date(2026, 3, 2),
            "value": value,
        }

    services._bump(AnswerTally, "respondents", **key(4))
    services._bump_all(AnswerTally, "respondents", [key(4), key(5), key(5), key(4, world.cohort_a.pk)])
    counts = {
        (row.value, row.cohort_id): row.respondents
        for row in AnswerTally.objects.filter(question_code="positive_future")
    }
    assert counts == {(4, None): 2, (5, None): 2, (4, world.cohort_a.pk): 1}
    services._bump_all(AnswerTally, "respondents", [])
    assert AnswerTally.objects.filter(question_code="positive_future").count() == 3
