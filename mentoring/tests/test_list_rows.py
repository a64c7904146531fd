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
from mentoring.list_rows import mentee_rows_html, relationship_rows_html
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


# The relationships list's rows as its template wrote them from whole relationships.
RELATIONSHIP_TEMPLATE_ROWS = """{% for relationship in page %}
    <tr>
      <th scope="row"><a href="{{ relationship.get_absolute_url }}">{{ relationship.mentee.get_full_name }}</a></th>
      <td>{{ relationship.mentor.get_full_name }}</td>
      {% if show_partner %}<td>{{ relationship.mentee.mentee_profile.youth_partner.name }}</td>{% endif %}
      <td>{{ relationship.cohort.programme.name }}</td>
      <td>{{ relationship.get_status_display }}</td>
      <td>{% if relationship.next_session_at %}{{ relationship.next_session_at|date:"D j M Y, H:i" }}{% else %}None scheduled{% endif %}</td>
      <td>{% if relationship.last_log_at %}{{ relationship.last_log_at|date:"j M Y" }}{% else %}No logs yet{% endif %}</td>
      <td>{% if relationship.cadence == "missed" %}<strong>{% endif %}{{ relationship.cadence_label }}{% if relationship.cadence == "missed" %}</strong>{% endif %}</td>
    </tr>{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("persona", ["staff", "coordinator_a"])
@pytest.mark.parametrize("data", [{}, {"cadence": "missed"}, {"status": "active"}, {"q": "a"}])
def test_relationship_list_rows_show_what_whole_relationships_showed(world, persona, data):
    """Each row of the relationships list shows what its template showed from the whole relationship:
    names (escaped), partner, programme, status in words, the next session and last log in the site's
    time zone (a session at 23:30 UTC in summer is the next day's), and the cadence, page by page."""
    import datetime

    from django.utils import timezone

    from mentoring.filters import RelationshipFilter
    from mentoring.tests.factories import MentoringSessionFactory, SessionLogFactory

    mentee = MenteeProfileFactory(
        age=17, youth_partner=world.partner_a, user__first_name="Abe & <Co>", user__last_name="O'Neill"
    ).user
    drifting = RelationshipFactory(
        mentor=world.mentor,
        mentee=mentee,
        cohort=world.cohort_a,
        status=Relationship.Status.ACTIVE,
        started_on=timezone.localdate() - datetime.timedelta(days=120),
    )
    SessionLogFactory(
        session__relationship=drifting,
        session__starts_at=datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC),
    )
    MentoringSessionFactory(
        relationship=world.relationship_over_18,
        starts_at=timezone.now() + datetime.timedelta(days=200, minutes=7),
    )
    RelationshipFactory(
        mentor=world.other_mentor, cohort=world.cohort_a, status=Relationship.Status.COMPLETED
    )
    user = getattr(world, persona)
    partner_ids = None if user.is_programme_staff else user.coordinated_partner_ids
    listed = RelationshipFilter(
        data, queryset=selectors.relationship_list(user=user, partner_ids=partner_ids), partners=None
    ).qs
    whole = list(listed.all())
    for relationship in whole:
        relationship.cadence_label = selectors.CADENCE_LABELS[relationship.cadence]
    assert len(whole) >= 3 or data
    for show_partner in (True, False):
        written = relationship_rows_html(
            selectors.relationship_list_rows(listed.all()), show_partner=show_partner
        )
        templated = (
            engines["django"]
            .from_string(RELATIONSHIP_TEMPLATE_ROWS)
            .render({"page": whole, "show_partner": show_partner})
        )
        assert elements(written) == elements(templated)
    for start in range(0, len(whole), 2):  # page by page, in the list's order
        page = selectors.relationship_list_rows(listed.all()[start : start + 2])
        assert [row["url"] for row in page] == [r.get_absolute_url() for r in whole[start : start + 2]]
    if not data:
        assert "Abe &amp; &lt;Co&gt; O&#x27;Neill" in written
        assert "2 Jul 2026" in written  # 23:30 UTC on 1 July is 00:30 on 2 July in London
