"""The list filters' model choices: the same options as django-filter's, read by one plain query."""

from unittest import mock

import django_filters
import pytest
from django.db import connection
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext

from core.filters import ModelChoiceFilter
from mentoring.tests.factories import CohortFactory, YouthPartnerFactory
from programmes.models import Cohort, YouthPartner

pytestmark = pytest.mark.django_db


class PartnerFilter(django_filters.FilterSet):
    youth_partner = ModelChoiceFilter(
        queryset=YouthPartner.objects.order_by("name"), field_name="youth_partner", label="Youth partner"
    )
    with_none = ModelChoiceFilter(
        queryset=YouthPartner.objects.order_by("name"), field_name="youth_partner", null_label="None"
    )

    class Meta:
        model = Cohort
        fields: list[str] = []


def test_choices_match_django_filters_own_and_are_read_without_a_server_side_cursor():
    YouthPartnerFactory(name="Beacon School")
    YouthPartnerFactory(name="Ashfield College")
    form = PartnerFilter({}).form
    reference = django_filters.ModelChoiceFilter(
        queryset=YouthPartner.objects.order_by("name"), null_label="None"
    ).field
    expected = [(str(value), label) for value, label in reference.choices]
    # QuerySet.iterator() is what opens a server-side cursor on PostgreSQL.
    with mock.patch.object(QuerySet, "iterator", side_effect=AssertionError("iterator() used")):
        with CaptureQueriesContext(connection) as captured:
            choices = [(str(value), label) for value, label in form.fields["with_none"].choices]
    assert choices == expected
    assert [label for _value, label in choices] == ["---------", "None", "Ashfield College", "Beacon School"]
    assert len(captured) == 1
    assert [label for _value, label in form.fields["youth_partner"].choices][0] == "---------"


def test_choices_are_read_again_on_each_rendering_and_a_choice_filters():
    first = YouthPartnerFactory(name="Ashfield College")
    form = PartnerFilter({}).form
    assert len(list(form.fields["youth_partner"].choices)) == 2
    YouthPartnerFactory(name="Beacon School")
    assert len(list(form.fields["youth_partner"].choices)) == 3
    cohort = CohortFactory(youth_partner=first)
    CohortFactory()
    filtered = PartnerFilter({"youth_partner": str(first.pk)}, queryset=Cohort.objects.all())
    assert list(filtered.qs) == [cohort]
    assert f'value="{first.pk}"' in str(filtered.form["youth_partner"])
