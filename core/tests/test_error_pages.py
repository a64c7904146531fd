"""Error pages in the site's layout, and a failed form's error summary at the top."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_styled_and_says_where_to_go(world, client_for):
    response = client_for(world.mentor).get("/no-such-page/")
    assert response.status_code == 404
    page = response.text
    assert "<h1>Page not found</h1>" in page and 'aria-label="Main"' in page
    assert reverse("home") in page and "Signed in as Mo" in page


def test_a_forbidden_page_is_styled(world, client_for):
    response = client_for(world.funder).post(reverse("mentoring:partner_create"), {})
    assert response.status_code == 403
    assert "<h1>You cannot do this</h1>" in response.text and "site-navbar" in response.text


def test_an_expired_form_says_so_in_the_sites_layout(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "x@example.org", "password": "x"})
    assert response.status_code == 403
    assert "The form had expired" in response.text and "Nothing was saved" in response.text
    assert "site-navbar" in response.text


@pytest.mark.parametrize(
    ("template", "heading"), [("400.html", "Something was wrong"), ("500.html", "Sorry")]
)
def test_400_and_500_pages_render_without_a_request(template, heading):
    page = render_to_string(template)
    assert heading in page and "bootstrap.min.css" in page


def test_a_failed_form_opens_with_an_error_summary_linking_to_each_field(world, client_for):
    url = reverse("mentoring:partner_terms", args=[world.partner_a.pk])
    response = client_for(world.coordinator_a).post(
        url, {"label": "", "starts_on": "2027-01-10", "ends_on": ""}
    )
    page = response.text
    summary = page[page.index("error-summary") : page.index("</div>", page.index("error-summary"))]
    assert "There is a problem" in summary
    assert 'href="#id_label"' in summary and 'href="#id_ends_on"' in summary
    assert page.index("error-summary") < page.index('name="label"')
    assert "js/error-summary.js" in page
