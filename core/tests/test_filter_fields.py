"""`filter_field` writes a list filter's fields as crispy's `as_crispy_field` renders them: the same
elements, attributes and text (whitespace between elements aside), for every list page's filter, empty,
with a choice made, with text needing escaping and with an invalid value (which goes through crispy)."""

from unittest import mock

import django_filters
import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms

from accounts.models import User
from core.templatetags import filter_fields
from core.templatetags.filter_fields import filter_field
from core.tests.html import elements as _elements
from mentoring.filters import MenteeFilter, MentorFilter, PartnerFilter, ProgrammeFilter, RelationshipFilter
from mentoring.tests.factories import YouthPartnerFactory
from programmes.models import YouthPartner
from recruitment.filters import ApplicationFilter, RenewalFilter, WaitingPoolFilter
from resources.forms import ResourceFilter

pytestmark = pytest.mark.django_db

FILTERS = [
    ApplicationFilter,
    WaitingPoolFilter,
    RenewalFilter,
    MenteeFilter,
    MentorFilter,
    PartnerFilter,
    ProgrammeFilter,
    RelationshipFilter,
    ResourceFilter,
]


def _data_variants(form) -> list[dict]:
    """No data; each field given its first and last real choice (or awkward text); invalid values."""
    chosen: dict[str, str] = {}
    last: dict[str, str] = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.ChoiceField):
            values = [str(value) for value, _label in field.choices if str(value) != ""]
            if values:
                chosen[name], last[name] = values[0], values[-1]
        else:
            chosen[name] = last[name] = 'Ann <b>"O\'Neil"</b> & co'
    invalid = {name: "no-such-choice" for name in form.fields}
    return [{}, chosen, last, invalid]


@pytest.mark.parametrize("filterset_class", FILTERS, ids=lambda each: each.__name__)
def test_filter_fields_are_written_as_crispy_renders_them(filterset_class):
    YouthPartnerFactory(name="Ashfield & <Sons>")
    YouthPartnerFactory(name='Beacon "School"')
    # The mentor list's filter names no model: it is given its users.
    queryset = (filterset_class._meta.model or User).objects.none()
    rendered = 0
    crispy = mock.patch.object(filter_fields, "as_crispy_field", wraps=as_crispy_field)
    with crispy as through_crispy:
        for data in _data_variants(filterset_class({}, queryset=queryset).form):
            ours = filterset_class(data, queryset=queryset).form
            theirs = filterset_class(data, queryset=queryset).form
            if filterset_class in (ApplicationFilter, MenteeFilter):  # given their partners by the view
                for form in (ours, theirs):
                    form.fields["youth_partner"].queryset = YouthPartner.objects.order_by("name")
            for name in ours.fields:
                expected = as_crispy_field(theirs[name])
                assert _elements(filter_field(ours[name])) == _elements(expected), (
                    filterset_class,
                    name,
                    data,
                )
                # The widget is left as crispy leaves it (its class set), for anything rendering it again.
                assert ours.fields[name].widget.attrs == theirs.fields[name].widget.attrs
                rendered += 1
    # Text boxes and lists of choices were written here; invalid values and yes/no lists by crispy.
    assert through_crispy.call_count < rendered


def test_a_field_crispy_shows_otherwise_goes_through_crispy():
    class Filter(django_filters.FilterSet):
        name = django_filters.CharFilter(help_text="Part of a name")
        on = django_filters.DateFilter()

        class Meta:
            model = YouthPartner
            fields = ["name", "on"]

    form = Filter({"on": "not a date"}).form
    for name in ("name", "on"):
        expected = as_crispy_field(Filter({"on": "not a date"}).form[name])
        assert _elements(filter_field(form[name])) == _elements(expected)
    assert "Part of a name" in filter_field(form["name"])
    assert "is-invalid" in filter_field(form["on"])


def test_a_selected_choice_is_marked_once_and_values_are_escaped():
    partner = YouthPartnerFactory(name="Ashfield & <Sons>")
    form = ApplicationFilter({"youth_partner": str(partner.pk), "q": '"><script>'}).form
    form.fields["youth_partner"].queryset = YouthPartner.objects.all()
    select = filter_field(form["youth_partner"])
    assert select.count(" selected") == 1
    assert f'<option value="{partner.pk}" selected>Ashfield &amp; &lt;Sons&gt;</option>' in select
    assert 'value="&quot;&gt;&lt;script&gt;"' in filter_field(form["q"])
