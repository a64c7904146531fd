"""The monitoring page a coordinator sees: every list counted from the relationships read once at their
partners, each page read with the columns shown by a query compiled once per process
(`selectors.MonitoringPage`), and its rows written by `monitoring_rows`: the same rows, counts and
HTML as the lists' querysets rendered by the template loop the page used before."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import MenteeProfileFactory, MentorProfileFactory
from mentoring import selectors
from mentoring.models import MentoringSession, PulseCheckIn, Relationship, SupportCheckIn
from mentoring.relationship_views import MONITORING_TITLES
from mentoring.tests.factories import GoalFactory, MentoringSessionFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

# The rows as the page's template wrote them before (templates/mentoring/_monitoring_table.html).
LOOPS = {
    "sessions": """{% for session in rows %}
      <tr><th scope="row"><a href="{% url 'mentoring:relationship_detail' session.relationship_id %}">{{ session.relationship.mentor.get_full_name }} and {{ session.relationship.mentee.first_name }}</a></th>
        <td><a href="{{ session.get_absolute_url }}">Session {{ session.number }}</a></td>
        <td>{{ session.starts_at|date:"D j M Y, H:i" }}</td><td>{% if kind == "unlogged" %}Not logged{% else %}{{ session.get_status_display }}{% endif %}</td></tr>
    {% empty %}<tr><td colspan="4">Nothing here.</td></tr>{% endfor %}""",  # noqa: E501
    "check_ins": """{% for check_in in rows %}
      <tr><th scope="row"><a href="{% url 'mentoring:relationship_detail' check_in.relationship_id %}">{{ check_in.relationship.mentor.get_full_name }} and {{ check_in.relationship.mentee.first_name }}</a></th>
        <td><a href="{% url 'mentoring:support_check_in' check_in.pk %}">{{ check_in.get_kind_display }}</a>{% if check_in.pulse %}: “{{ check_in.pulse.get_rating_display }}”{% endif %}</td>
        <td>{{ check_in.due_on|date:"j M Y" }}{% if check_in.is_overdue %} <span class="badge text-bg-danger">Overdue</span>{% endif %}</td></tr>
    {% empty %}<tr><td colspan="3">Nothing needs action.</td></tr>{% endfor %}""",  # noqa: E501
    "relationships": """{% for relationship in rows %}
      <tr><th scope="row"><a href="{{ relationship.get_absolute_url }}">{{ relationship.mentor.get_full_name }} and {{ relationship.mentee.first_name }}</a></th>
        <td>{{ relationship.cohort.youth_partner }}</td><td>{{ relationship.get_status_display }}</td>
        {% if kind == "drifting" %}<td>{{ relationship.last_held|date:"j M Y"|default:"None yet" }}</td>{% endif %}</tr>
    {% empty %}<tr><td colspan="4">Nothing here.</td></tr>{% endfor %}""",  # noqa: E501
}


def _loop(kind: str) -> Template:
    part = {"month_sessions": "sessions", "unlogged": "sessions", "check_ins": "check_ins"}
    return Template(LOOPS[part.get(kind, "relationships")])


def _tag(rows, kind: str) -> str:
    return Template("{% load monitoring_tags %}{% monitoring_rows rows kind %}").render(
        Context({"rows": rows, "kind": kind})
    )


@pytest.fixture
def busy_partners(world):
    """Pairs at both partners with sessions this month and before it (held, scheduled, cancelled),
    check-ins due, overdue, done and following up a pulse, pairs drifting and without goals, a closed
    pair, and names that must be escaped."""
    now, today = timezone.now(), timezone.localdate()
    pairs = [world.relationship_under_16, world.relationship_over_18, world.relationship_b]
    for index in range(7):
        partner, cohort = (
            (world.partner_a, world.cohort_a) if index % 3 else (world.partner_b, world.cohort_b)
        )
        young_person = MenteeProfileFactory(age=15, youth_partner=partner, cohort=cohort).user
        mentor = MentorProfileFactory().user
        if index == 1:
            mentor.first_name, mentor.last_name = "<b>Ann</b>", "O'Hara & Co"
            mentor.save(update_fields=["first_name", "last_name"])
            young_person.first_name = '"Zoë"'
            young_person.save(update_fields=["first_name"])
        pairs.append(RelationshipFactory(mentor=mentor, mentee=young_person, cohort=cohort))
    for index, relationship in enumerate(pairs):
        for days, status in (
            (-3, "scheduled"),
            (1, "scheduled"),
            (2, "held"),
            (0, "cancelled"),
            (40, "scheduled"),
        ):
            MentoringSessionFactory(
                relationship=relationship,
                starts_at=now - datetime.timedelta(days=days, hours=index),
                status=status,
            )
        Relationship.objects.filter(pk=relationship.pk).update(
            started_on=today - datetime.timedelta(days=60 + index % 3),
            held_sessions=2,
            last_held_at=None if index % 4 == 0 else now - datetime.timedelta(days=45 + index),
        )
        SupportCheckIn.objects.create(
            relationship=relationship, due_on=today - datetime.timedelta(days=index % 3)
        )
        if index % 2:
            pulse = PulseCheckIn.objects.create(
                relationship=relationship, respondent=relationship.mentee, rating=1 + (index // 2) % 2
            )
            SupportCheckIn.objects.create(
                relationship=relationship,
                due_on=today - datetime.timedelta(days=2),
                kind=SupportCheckIn.Kind.PULSE_FOLLOW_UP,
                pulse=pulse,
            )
        if index % 3 == 2:
            GoalFactory(relationship=relationship)
    SupportCheckIn.objects.filter(relationship=pairs[3]).update(completed_at=now)
    Relationship.objects.filter(pk=pairs[5].pk).update(status=Relationship.Status.COMPLETED)
    return pairs


def test_the_coordinators_pages_are_the_lists_rows_and_html(world, busy_partners):
    for coordinator in (world.coordinator_a, world.coordinator_b):
        partner_ids = coordinator.coordinated_partner_ids
        lists = selectors.monitoring_querysets(user=coordinator, partner_ids=partner_ids)
        read = selectors.relationship_rows_at(partner_ids)
        counts = selectors.monitoring_counts_from_rows(read)
        for kind in MONITORING_TITLES:
            expected = list(lists[kind])
            page = selectors.MonitoringPage(kind, read)
            assert counts[kind] == page.count() == len(expected), kind
            for start in range(0, len(expected) + 3, 3):
                rows = page[start : start + 3]
                shown = expected[start : start + 3]
                assert [row.pk for row in rows] == [row.pk for row in shown], (kind, start)
                for row in shown:
                    if kind == "drifting":
                        row.last_held = row.last_held_at  # as the list annotates it
                html = _loop(kind).render(Context({"rows": shown, "kind": kind}))
                assert _tag(rows, kind) == html, (kind, start)
                assert _tag(shown, kind) == html, (kind, start)
        # Every list holds rows here (none is tested empty only).
        assert all(count >= 2 for count in counts.values()), counts


def test_the_rows_escape_names_and_show_pulses_overdue_and_empty_lists(world, busy_partners):
    read = selectors.relationship_rows_at(world.coordinator_a.coordinated_partner_ids)
    sessions = _tag(selectors.MonitoringPage("month_sessions", read)[0:100], "month_sessions")
    assert "&lt;b&gt;Ann&lt;/b&gt; O&#x27;Hara &amp; Co and &quot;Zoë&quot;" in sessions
    assert "<b>" not in sessions
    check_ins = _tag(selectors.MonitoringPage("check_ins", read)[0:100], "check_ins")
    assert "Overdue</span>" in check_ins and ": “Not well”" in check_ins
    for kind in ("month_sessions", "drifting"):
        assert (
            _tag([], kind)
            == _loop(kind).render(Context({"rows": [], "kind": kind}))
            == ('<tr><td colspan="4">Nothing here.</td></tr>')
        )
    assert _tag([], "check_ins") == '<tr><td colspan="3">Nothing needs action.</td></tr>'


def test_the_monitoring_page_counts_and_shows_each_list(world, busy_partners, client):
    client.force_login(world.coordinator_a)
    partner_ids = world.coordinator_a.coordinated_partner_ids
    lists = selectors.monitoring_querysets(user=world.coordinator_a, partner_ids=partner_ids)
    for kind, title in MONITORING_TITLES.items():
        page = client.get(reverse("mentoring:monitoring") + f"?list={kind}").content.decode()
        expected = list(lists[kind])
        assert f"<caption>{title}: {len(expected)}</caption>" in page
        for other, other_title in MONITORING_TITLES.items():
            assert f'{other_title} <span class="badge text-bg-light">{lists[other].count()}</span>' in page
        first = expected[0]
        link = first.get_absolute_url() if isinstance(first, MentoringSession | Relationship) else None
        if kind == "check_ins":
            link = reverse("mentoring:support_check_in", args=[first.pk])
        assert f'href="{link}"' in page, kind


def test_the_dates_are_written_as_the_date_filter_writes_them():
    from django.template.defaultfilters import date as date_filter

    from mentoring.templatetags.monitoring_tags import day, day_and_time

    start = datetime.datetime(2026, 1, 1, 0, 5, tzinfo=datetime.UTC)
    for hours in range(0, 24 * 400, 37):
        moment = timezone.localtime(start + datetime.timedelta(hours=hours))
        assert day_and_time(moment) == date_filter(moment, "D j M Y, H:i"), moment
        assert day(moment) == date_filter(moment, "j M Y") == date_filter(moment.date(), "j M Y"), moment
        assert day(moment.date()) == date_filter(moment.date(), "j M Y"), moment
    assert day(None) == date_filter(None, "j M Y") == ""
