"""A page's address can carry a number of any size: one no row can have is a page not found (404),
for each role that may open such pages, whichever way the page reads its row."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

BEYOND_ANY_ROW = 10**30


@pytest.mark.parametrize(
    ("url_name", "person"),
    [
        ("mentoring:relationship_detail", "mentor"),
        ("mentoring:relationship_detail", "staff"),
        ("mentoring:session_log", "mentor"),
        ("matching:round_detail", "staff"),
        ("community:employer_dashboard", "staff"),
        ("safeguarding:concern_detail", "dsl_a"),
    ],
)
def test_a_number_no_row_can_have_is_not_found(world, client, url_name, person):
    client.force_login(getattr(world, person))
    response = client.get(reverse(url_name, args=[BEYOND_ANY_ROW]))
    assert response.status_code == 404
