"""`PreparedPage`: a page of a list read by one compiled statement, its bounds given on each run."""

import pytest

from accounts.models import User
from accounts.tests.factories import UserFactory
from core.prepared_pages import PreparedPage
from core.rows import rows_with_columns

pytestmark = pytest.mark.django_db

PEOPLE = PreparedPage(User, ("first_name", "email"), lambda slots: User.objects.order_by("email", "pk"))


def test_each_page_is_the_slice_of_the_queryset():
    for number in range(7):
        UserFactory(email=f"person{number}@example.org", first_name=f"P{number}")
    ordered = User.objects.order_by("email", "pk")
    total = ordered.count()
    for start, stop in ((0, 3), (3, 6), (6, 9), (total - 1, total + 5), (total, total + 3), (2, 2), (4, 1)):
        expected = rows_with_columns(ordered[start:stop], ("first_name", "email")) if stop > start else []
        page = PEOPLE.page(start, stop)
        assert page == expected
        shown = [(row.first_name, row.email) for row in page]
        assert shown == [(row.first_name, row.email) for row in expected]
