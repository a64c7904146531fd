"""`AnyOf`: the rows `__in` finds, with the ids sent as one array on PostgreSQL."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from core.lookups import AnyOf
from mentoring.tests.factories import YouthPartnerFactory
from programmes.models import YouthPartner

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds_and_excludes_the_rest():
    partners = [YouthPartnerFactory(name=f"School {index}") for index in range(6)]
    chosen = [partner.pk for partner in partners[1:4]] + [partners[2].pk]
    found = YouthPartner.objects.filter(AnyOf(F("pk"), chosen)).order_by("pk")
    assert list(found) == list(YouthPartner.objects.filter(pk__in=chosen).order_by("pk"))
    assert list(found) == partners[1:4]
    assert list(YouthPartner.objects.exclude(AnyOf(F("pk"), chosen)).order_by("pk")) == [
        partners[0],
        *partners[4:],
    ]
    assert list(YouthPartner.objects.filter(AnyOf(F("pk"), []))) == []
    assert YouthPartner.objects.exclude(AnyOf(F("pk"), [])).count() == 6


def test_any_of_sends_one_parameter_on_postgresql_and_a_list_elsewhere():
    ids = [YouthPartnerFactory(name=f"School {index}").pk for index in range(3)]
    with CaptureQueriesContext(connection) as captured:
        assert YouthPartner.objects.filter(AnyOf(F("id"), ids)).count() == 3
    sql = captured.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
    else:
        assert " IN (" in sql
