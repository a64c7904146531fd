"""The list filters' model choices: the same options as django-filter's, read by one plain query."""

import copy
from unittest import mock

import django_filters
import pytest
from django.db import connection
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext

from core import filters
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


def _plain_deepcopy(filters, memo):
    return copy.deepcopy(dict(filters), memo)


@pytest.mark.parametrize(
    "data",
    [{}, {"q": "ann lee", "status": "submitted", "role": "mentor", "region": "london", "consent": "missing"}],
)
def test_list_filter_sets_filter_and_render_as_with_deep_copied_filters(world, data):
    from recruitment.filters import ApplicationFilter
    from recruitment.selectors import applications_with_consent

    partner = world.partner_a
    data = {**data, "youth_partner": str(partner.pk)} if data else data

    def made():
        return ApplicationFilter(
            data,
            queryset=applications_with_consent(user=world.staff),
            partners=YouthPartner.objects.order_by("name"),
        )

    cheap = made()
    with mock.patch.object(filters._Filters, "__deepcopy__", _plain_deepcopy):
        deep = made()
    assert str(cheap.qs.query) == str(deep.qs.query)
    assert [str(field) for field in cheap.form] == [str(field) for field in deep.form]


def test_each_filter_set_has_filters_of_its_own(world):
    from mentoring.filters import MenteeFilter

    first, second = MenteeFilter({"q": "a"}), MenteeFilter({"q": "b"})
    for name, each in first.filters.items():
        assert each is not second.filters[name] and each is not MenteeFilter.base_filters[name]
        assert each.parent is first and each.extra is not MenteeFilter.base_filters[name].extra
    # A filter with a method calls its own filter set's.
    assert first.filters["q"].filter.f is first.filters["q"]
    assert second.filters["q"].filter.f is second.filters["q"]
    # A queryset given to one filter set's filter is not given to another's, nor to the class's.
    first.filters["youth_partner"].queryset = YouthPartner.objects.filter(pk=world.partner_a.pk)
    assert second.filters["youth_partner"].queryset is not first.filters["youth_partner"].queryset
    assert not MenteeFilter.base_filters["youth_partner"].queryset.exists()
    assert [value for value, _label in first.form.fields["youth_partner"].choices][1:] == [world.partner_a.pk]
    assert len(list(second.form.fields["youth_partner"].choices)) == 1  # the empty choice only
