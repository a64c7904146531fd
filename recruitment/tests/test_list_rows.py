"""The application list reads each page with only the columns it shows (`application_list_page`),
works out what each row shows (`application_list_rows`) and writes the rows in Python
(`list_rows.application_rows_html`): the rows show what the list's template showed when it read whole
applications, in the same order, page by page, filtered, with the boxes to select them or without."""

import datetime

import pytest
from django.template import engines
from django.utils import timezone

from accounts.tests.factories import (
    ApplicationFactory,
    MenteeApplicationFactory,
    MenteeProfileFactory,
    UserFactory,
)
from core.tests.html import elements
from programmes.models import YouthPartner
from recruitment import selectors
from recruitment.filters import ApplicationFilter
from recruitment.list_rows import application_rows_html
from recruitment.models import Application, ConsentRecord

pytestmark = pytest.mark.django_db

# The list's rows as its template wrote them from whole applications, before they were written in Python.
TEMPLATE_ROWS = """{% for application in page %}
    <tr>
      {% if can_decide %}<td><input class="form-check-input" type="checkbox" name="applications" value="{{ application.pk }}" id="select-{{ application.pk }}" aria-label="Select {{ application.user.get_full_name }}"></td>{% endif %}
      <th scope="row"><a href="{{ application.get_absolute_url }}">{{ application.user.get_full_name|default:application.user.email }}</a></th>
      <td>{{ application.get_role_display }}</td>
      <td>{{ application.programme.name }}</td>
      <td>{{ application.youth_partner.name|default:"–" }}</td>
      <td>{{ application.get_region_display }}</td>
      <td>{{ application.get_status_display }}</td>
      <td>{% if application.needs_consent %}{% if application.consent_given %}Given{% else %}<a href="{% url 'recruitment:consent_manage' application.user_id %}">Needed</a>{% endif %}{% else %}–{% endif %}</td>
      <td>{{ application.submitted_at|date:"SHORT_DATE_FORMAT"|default:"–" }}</td>
    </tr>{% endfor %}"""  # noqa: E501


def _applications(world):
    late_evening = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    ApplicationFactory(
        user=UserFactory(email="ann@example.org", first_name='Ann <b>"&', last_name="Lee"),
        programme=world.programme,
        status=Application.Status.SUBMITTED,
        submitted_at=late_evening,  # the next day in London in summer time; the same in winter
    )
    ApplicationFactory(
        user=UserFactory(email="noname@example.org", first_name="", last_name=""),
        programme=world.programme,
        status=Application.Status.DRAFT,
    )
    for mentee, consent in ((world.mentee_under_16, True), (world.mentee_over_18, False)):
        MenteeApplicationFactory(
            user=mentee,
            programme=world.programme,
            youth_partner=world.partner_a,
            status=Application.Status.SCREENING,
            submitted_at=timezone.now(),
        )
        if consent:
            ConsentRecord.objects.create(
                mentee=mentee,
                given_by_name="A Parent",
                given_by_email="parent@example.org",
                given_by_relationship="Parent",
                given_at=timezone.now(),
                text_version="test",
                text="I agree.",
            )
    young = UserFactory(email="young@example.org", first_name="Cal", last_name="Young")
    MenteeProfileFactory(user=young, age=14, youth_partner=world.partner_a)
    MenteeApplicationFactory(
        user=young, programme=world.programme, youth_partner=world.partner_a, submitted_at=timezone.now()
    )


@pytest.mark.parametrize("persona", ["staff", "coordinator_a"])
@pytest.mark.parametrize("data", [{}, {"role": "mentee"}, {"consent": "missing"}, {"consent": "given"}])
def test_application_list_rows_show_what_whole_applications_showed(world, persona, data):
    _applications(world)
    user = getattr(world, persona)
    listed = ApplicationFilter(
        data,
        queryset=selectors.applications_with_consent(user=user),
        partners=YouthPartner.objects.order_by("name"),
    ).qs
    whole = list(listed.all())
    page = selectors.application_list_page(listed.all())
    assert page == whole and [row.needs_consent for row in page] == [row.needs_consent for row in whole]
    template = engines["django"].from_string(TEMPLATE_ROWS)
    for can_decide in (True, False):
        written = application_rows_html(selectors.application_list_rows(page), can_decide=can_decide)
        templated = template.render({"page": whole, "can_decide": can_decide})
        assert elements(written) == elements(templated)
    for start in range(0, len(whole), 2):  # page by page
        assert selectors.application_list_page(listed.all()[start : start + 2]) == whole[start : start + 2]
    if not data:
        assert len(whole) >= (5 if persona == "staff" else 3)
        assert "Given" in written and "Needed" in written
    if not data and persona == "staff":
        assert "Ann &lt;b&gt;&quot;&amp; Lee" in written and "noname@example.org" in written


def test_the_unfiltered_list_s_prepared_pages_are_the_rows_its_queryset_gives(world):
    """The unfiltered list's pages come from one compiled statement (core.prepared_pages): for staff
    and for a coordinator in turn (each given their own), every page, including one past the end."""
    _applications(world)
    for _ in range(2):  # compiled on the first round, reused on the second
        for persona in ("staff", "coordinator_a", "staff"):
            user = getattr(world, persona)
            listed = selectors.applications_with_consent(user=user)
            whole = list(listed)
            assert len(whole) >= 3
            for start, stop in ((0, 25), (0, 2), (2, 4), (4, 6), (len(whole), len(whole) + 2), (3, 3)):
                prepared = selectors.unfiltered_application_list_page(start, stop, user=user)
                expected = selectors.application_list_page(listed.all()[start:stop])
                assert prepared == expected == whole[start:stop]
                assert [row.needs_consent for row in prepared] == [row.needs_consent for row in expected]
                assert [row.consent_given for row in prepared] == [row.consent_given for row in expected]
                rows = selectors.application_list_rows(prepared)
                assert rows == selectors.application_list_rows(expected)
