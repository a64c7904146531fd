"""The mentee list reads its rows as the values it shows (`selectors.mentee_list_rows`) and writes them
in Python (`list_rows.mentee_rows_html`): each row shows what the list's template showed when it read
whole profiles, in the same order, page by page and filtered."""

import pytest
from django.template import engines
from django.urls import reverse

from accounts.tests.factories import MenteeProfileFactory
from core.tests.html import elements
from mentoring import selectors
from mentoring.filters import MenteeFilter
from mentoring.list_rows import mentee_rows_html
from mentoring.models import Relationship
from mentoring.tests.factories import RelationshipFactory
from programmes.models import YouthPartner

pytestmark = pytest.mark.django_db


# The list's rows as its template wrote them from whole profiles, before they were written in Python.
TEMPLATE_ROWS = """{% for profile in page %}
    <tr>
      <th scope="row"><a href="{% url 'mentoring:mentee_detail' profile.user_id %}">{{ profile.user.get_full_name }}</a></th>
      <td>{{ profile.age_band }}</td>
      <td>{{ profile.get_stage_display }}</td>
      <td>{{ profile.youth_partner.name }}</td>
      <td>{{ profile.cohort.programme.name|default:"–" }}</td>
      <td>{% if profile.matched_relationship_id %}<a href="{% url 'mentoring:relationship_detail' profile.matched_relationship_id %}">{{ profile.matched_with }}</a>{% else %}Not matched{% endif %}</td>
    </tr>{% endfor %}"""  # noqa: E501


def _as_profiles_show_them(profiles) -> list[dict]:
    """What the list's template showed from each profile read whole (`mentees_visible_to`)."""
    rows = []
    for profile in profiles:
        rows.append(
            {
                "url": reverse("mentoring:mentee_detail", args=[profile.user_id]),
                "name": profile.user.get_full_name(),
                "age_band": profile.age_band,
                "stage": profile.get_stage_display(),
                "youth_partner": profile.youth_partner.name,
                "programme": (profile.cohort.programme.name if profile.cohort else "") or "–",
                "matched_with": profile.matched_with,
                "matched_url": profile.matched_relationship_id
                and reverse("mentoring:relationship_detail", args=[profile.matched_relationship_id]),
            }
        )
    return rows


@pytest.mark.parametrize("persona", ["staff", "coordinator_a"])
@pytest.mark.parametrize(
    "data", [{}, {"age_band": "under_16"}, {"match": "matched"}, {"match": "waiting"}, {"q": "a"}]
)
def test_mentee_list_rows_show_what_whole_profiles_showed(world, persona, data):
    MenteeProfileFactory(age=15, youth_partner=world.partner_a, cohort=None, user__first_name="Zed")
    MenteeProfileFactory(
        age=17, youth_partner=world.partner_a, user__first_name="Abe & <Co>", user__last_name=""
    )
    matched = MenteeProfileFactory(age=19, youth_partner=world.partner_a, cohort=world.cohort_a).user
    RelationshipFactory(mentor=world.other_mentor, mentee=matched, cohort=world.cohort_a)
    RelationshipFactory(
        mentor=world.mentor, mentee=matched, cohort=world.cohort_a, status=Relationship.Status.COMPLETED
    )
    user = getattr(world, persona)
    listed = MenteeFilter(
        data, queryset=selectors.mentees_visible_to(user=user), partners=YouthPartner.objects.all()
    ).qs
    expected = _as_profiles_show_them(listed)
    assert len(expected) >= 2 or data
    assert selectors.mentee_list_rows(listed.all()) == expected
    for start in range(0, len(expected), 2):  # page by page
        assert selectors.mentee_list_rows(listed.all()[start : start + 2]) == expected[start : start + 2]
    written = mentee_rows_html(selectors.mentee_list_rows(listed.all()))
    templated = engines["django"].from_string(TEMPLATE_ROWS).render({"page": listed.all()})
    assert elements(written) == elements(templated)
    assert "Abe &amp; &lt;Co&gt;" in written or data
