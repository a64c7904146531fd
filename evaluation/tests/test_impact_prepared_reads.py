"""The impact page's filter and report forms offer their programme, partner and cohort choices, and the
programme, partner and cohort breakdowns read their rows and labels, with queries compiled once per
process (core.prepared): each gives what the ordinary queryset gives, for each person it is run for."""

import datetime

import pytest
from django.apps import apps
from django.db.models import Q, Sum

from core import policy
from mentoring.tests.factories import CohortFactory, ProgrammeFactory
from programmes.models import Cohort, Programme, YouthPartner

from .. import analysis, selectors
from ..content import load_instruments
from ..forms import DashboardFilterForm, ReportRequestForm
from ..models import ImpactReport, Instrument, PairTally
from ..policies import aggregate_partner_scope
from .factories import mentee_in, pair

pytestmark = pytest.mark.django_db

PEOPLE = ("staff", "funder", "coordinator_a", "coordinator_b")


def _choices(field) -> list[tuple[str, str]]:
    return [(str(value), label) for value, label in field.choices]


def _expected(field) -> list[tuple[str, str]]:
    """The choices Django's ModelChoiceField gives for the field's queryset: each instance's id and text."""
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    return empty + [(str(each.pk), str(each)) for each in field.queryset.all()]


@pytest.fixture(scope="module")
def shared_data(shared_world, django_db_blocker):
    """Cohorts with a name and without one (labelled by programme, partner and start), at both partners
    and in a second programme; young people's before-and-after answers in three of them."""
    assert shared_world is not None, "the data is built once per module, inside its transaction"
    with django_db_blocker.unblock():
        other = ProgrammeFactory(name="Another Programme")
        programme, partner_a, partner_b = (
            shared_world.cohort_a.programme,
            shared_world.partner_a,
            shared_world.partner_b,
        )
        CohortFactory(programme=other, youth_partner=partner_a, name="", start_date=datetime.date(2026, 1, 5))
        spring = CohortFactory(programme=programme, youth_partner=partner_b, name="Spring intake")
        CohortFactory(programme=other, youth_partner=partner_b, name="", start_date=datetime.date(2025, 9, 1))
        load_instruments(apps)
        for cohort, count in ((shared_world.cohort_a, 6), (shared_world.cohort_b, 5), (spring, 7)):
            for index in range(count):
                pair(
                    mentee_in(cohort),
                    {"experience_training": 2, "positive_future": 1 + index % 5},
                    {"experience_training": 5 if index % 3 else 2, "positive_future": 4},
                )


@pytest.fixture
def cohorts(shared_data, world):
    return world


def test_the_filter_choices_are_the_scoped_querysets_rows(cohorts):
    world = cohorts
    seen = {}
    for name in PEOPLE:
        person = getattr(world, name)
        scope = aggregate_partner_scope(person)
        form = DashboardFilterForm(user=person, partner_ids=scope, item_choices=())
        # A bound form holds the querysets that validate a choice: the choices offered are their rows.
        bound = DashboardFilterForm({}, user=person, partner_ids=scope, item_choices=())
        for field_name in ("programme", "youth_partner", "cohort"):
            field = form.fields[field_name]
            assert field.listed is not None
            assert _choices(field) == _expected(bound.fields[field_name]), (name, field_name)
            assert _choices(bound.fields[field_name]) == _choices(field), (name, field_name)
        seen[name] = _choices(form.fields["cohort"])
    # Each coordinator sees their own partner's cohorts only, not the first one's choices again.
    assert seen["coordinator_a"] != seen["coordinator_b"]
    assert len(seen["staff"]) == Cohort.objects.count() + 1
    assert any("Another Programme at" in label for _value, label in seen["staff"])


def test_the_report_forms_programmes_are_every_programme(cohorts):
    form = ReportRequestForm(item_choices=())
    assert _choices(form.fields["programme"]) == _expected(form.fields["programme"])
    assert len(form.fields["programme"].choices) == Programme.objects.count() + 1


def test_a_chosen_programme_still_validates_through_the_scoped_queryset(cohorts):
    world = cohorts
    other = Programme.objects.get(name="Another Programme")
    form = DashboardFilterForm({"programme": other.pk}, user=world.staff, partner_ids=None)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["programme"] == other


def _summed(aggregate_filter, code, population):
    """The summary's rows per programme, partner and cohort, as the ORM sums them."""
    agree = analysis.AGREE_THRESHOLD
    return sorted(
        PairTally.objects.filter(aggregate_filter.q(), question_code=code, population=population)
        .values("programme_id", "youth_partner_id", "cohort_id")
        .annotate(
            n=Sum("pairs"),
            agree_before=Sum("pairs", filter=Q(before__gte=agree), default=0),
            agree_after=Sum("pairs", filter=Q(after__gte=agree), default=0),
            before_only=Sum("pairs", filter=Q(before__gte=agree, after__lt=agree), default=0),
            after_only=Sum("pairs", filter=Q(before__lt=agree, after__gte=agree), default=0),
        )
        .order_by(),
        key=lambda row: (row["programme_id"], row["youth_partner_id"], row["cohort_id"] or 0),
    )


@pytest.mark.parametrize("code", ["experience_training", "positive_future"])
def test_the_summary_breakdowns_read_what_the_orm_sums_with_the_querysets_labels(cohorts, code):
    world = cohorts
    filters = [
        selectors.AggregateFilter(),
        selectors.AggregateFilter(partner_ids=frozenset({world.partner_a.pk})),
        selectors.AggregateFilter(partner_ids=frozenset({world.partner_a.pk, world.partner_b.pk})),
        selectors.AggregateFilter(programme_id=world.cohort_a.programme_id),
        selectors.AggregateFilter(youth_partner_id=world.partner_b.pk, start=datetime.date(2020, 1, 1)),
    ]
    labels = {
        "programme": {each.pk: each.name for each in Programme.objects.all()},
        "youth_partner": {each.pk: each.name for each in YouthPartner.objects.all()},
        "cohort": {each.pk: str(each) for each in Cohort.objects.all()},
    }
    for aggregate_filter in filters:
        population = Instrument.MENTEES
        finest = _summed(aggregate_filter, code, population)
        read = aggregate_filter.rows(
            selectors._SUMMARY_BREAKDOWNS,
            selectors._summary_breakdown_query,
            question_code=code,
            population=population,
        )
        assert (
            sorted(
                read, key=lambda row: (row["programme_id"], row["youth_partner_id"], row["cohort_id"] or 0)
            )
            == finest
        )
        for dimension in ("programme", "youth_partner", "cohort"):
            result = selectors.breakdown(
                aggregate_filter, dimension=dimension, question_code=code, population=population
            )
            groups = {row[selectors.SUMMARY_DIMENSIONS[dimension]] for row in finest}
            assert {row["group"] for row in result["rows"]} == groups
            for row in result["rows"]:
                assert row["label"] == labels[dimension][row["group"]], (dimension, row)
            # Every pair is counted once in each breakdown.
            if result["total"] is not None:
                assert result["total"] == sum(row["n"] for row in finest)


def test_the_latest_reports_are_the_scoped_querysets_first_five(cohorts):
    world = cohorts
    other = Programme.objects.get(name="Another Programme")
    statuses = [ImpactReport.Status.READY, ImpactReport.Status.PENDING, ImpactReport.Status.FAILED]
    for index in range(9):
        ImpactReport.objects.create(
            programme=(None, world.cohort_a.programme, other)[index % 3],
            period_start=datetime.date(2026, 1, 1 + index),
            period_end=datetime.date(2026, 2, 1),
            status=statuses[index % 2 if index < 6 else 0],
        )
    for name in PEOPLE:
        person = getattr(world, name)
        expected = list(policy.scope(person, policy.VIEW, ImpactReport).select_related("programme")[:5])
        rows = selectors.latest_reports(user=person)
        shown = [
            (row.pk, str(row.programme or ""), row.period_start, row.period_end, row.get_status_display())
            for row in rows
        ]
        assert shown == [
            (
                each.pk,
                str(each.programme or ""),
                each.period_start,
                each.period_end,
                each.get_status_display(),
            )
            for each in expected
        ], name
        if name in ("staff", "funder"):
            assert rows, name
    assert len(selectors.latest_reports(user=world.staff)) == 5
    assert {row.status for row in selectors.latest_reports(user=world.funder)} == {ImpactReport.Status.READY}
