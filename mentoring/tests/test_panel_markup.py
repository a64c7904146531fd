"""The coordinator's and safeguarding lead's home rows built by mentoring_tags give the markup of the
template loops they replaced, names escaped, for empty and full lists."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from accounts.models import User
from mentoring.models import Relationship, SupportCheckIn
from mentoring.selectors import partner_overview
from programmes.models import YouthPartner

pytestmark = pytest.mark.django_db

PARTNER_LOOP = (
    "{% for partner in partners %}\n"
    "    <tr>\n"
    '      <th scope="row"><a href="{{ partner.get_absolute_url }}">{{ partner.name }}</a></th>\n'
    "      <td>{{ partner.get_kind_display }}</td>\n"
    "      <td><a href=\"{% url 'mentoring:mentee_list' %}?youth_partner={{ partner.pk }}\" "
    'data-count="{{ partner.mentee_count }}" aria-label="{{ partner.mentee_count }} '
    'mentee{{ partner.mentee_count|pluralize }} at {{ partner.name }}">{{ partner.mentee_count }}</a></td>\n'
    "      <td><a href=\"{% url 'mentoring:mentee_list' %}?youth_partner={{ partner.pk }}"
    '&amp;age_band=under_16" '
    'data-count="{{ partner.under_16_count }}" aria-label="{{ partner.under_16_count }} under 16 at '
    '{{ partner.name }}">{{ partner.under_16_count }}</a></td>\n'
    "      <td><a href=\"{% url 'mentoring:mentee_list' %}?youth_partner={{ partner.pk }}"
    '&amp;age_band=under_18" '
    'data-count="{{ partner.under_18_count }}" aria-label="{{ partner.under_18_count }} under 18 at '
    '{{ partner.name }}">{{ partner.under_18_count }}</a></td>\n'
    '      <td><a href="{{ partner.get_absolute_url }}#cohorts-heading" '
    'data-count="{{ partner.cohort_count }}" '
    'aria-label="{{ partner.cohort_count }} cohort{{ partner.cohort_count|pluralize }} at '
    '{{ partner.name }}">'
    "{{ partner.cohort_count }}</a></td>\n"
    "    </tr>\n"
    "  {% empty %}\n"
    '    <tr><td colspan="6">No youth partners yet.</td></tr>\n'
    "  {% endfor %}"
)
CHECK_IN_LOOP = (
    "{% for check_in in check_ins %}<li><a href=\"{% url 'mentoring:support_check_in' check_in.pk %}\">"
    "{{ check_in.get_kind_display }}</a>: {{ check_in.relationship.mentor.get_full_name }} and "
    '{{ check_in.relationship.mentee.first_name }}, due {{ check_in.due_on|date:"j M" }}</li>{% endfor %}'
)
DRIFTING_LOOP = (
    '{% for relationship in relationships %}<li><a href="{{ relationship.get_absolute_url }}">'
    "{{ relationship.mentor.get_full_name }} and {{ relationship.mentee.first_name }}</a></li>{% endfor %}"
)


def _both(loop: str, tag: str, **context) -> tuple[str, str]:
    return (
        Template(loop).render(Context(context)),
        Template("{% load mentoring_tags %}" + tag).render(Context(context)),
    )


def test_the_partner_rows_are_the_loops_markup(world):
    YouthPartner.objects.filter(pk=world.partner_b.pk).update(name="St <Mary> & Joseph's")
    for partner_ids in ({world.partner_a.pk, world.partner_b.pk}, {world.partner_a.pk}, set()):
        partners = partner_overview(partner_ids)
        loop, tag = _both(PARTNER_LOOP, "{% partner_rows partners %}", partners=partners)
        assert tag == loop
    assert (
        "St &lt;Mary&gt; &amp; Joseph&#x27;s"
        in _both(
            PARTNER_LOOP, "{% partner_rows partners %}", partners=partner_overview({world.partner_b.pk})
        )[1]
    )


def test_the_check_in_and_drifting_items_are_the_loops_markup(world):
    User.objects.filter(pk=world.mentor.pk).update(first_name="<Mo>", last_name="O'Carrick")
    relationships = list(
        Relationship.objects.filter(pk__in=[world.relationship_under_16.pk, world.relationship_b.pk])
        .select_related("mentor", "mentee")
        .order_by("pk")
    )
    today = timezone.localdate()
    for relationship, days in zip(relationships, (3, 40), strict=True):
        SupportCheckIn.objects.create(relationship=relationship, due_on=today - datetime.timedelta(days=days))
    check_ins = list(SupportCheckIn.objects.select_related("relationship__mentor", "relationship__mentee"))
    assert len(check_ins) == 2
    for listed in (check_ins, []):
        loop, tag = _both(CHECK_IN_LOOP, "{% check_in_items check_ins %}", check_ins=listed)
        assert tag == loop
    for listed in (relationships, []):
        loop, tag = _both(DRIFTING_LOOP, "{% drifting_items relationships %}", relationships=listed)
        assert tag == loop
    assert "&lt;Mo&gt; O&#x27;Carrick" in tag or not listed


# The mentor's home panel as its template was written with a loop per list (mentoring/panels/mentor.html
# writes the same with the mentor's panel tags).
MENTOR_PANEL_LOOPS = (
    '<section class="card mb-4" aria-labelledby="mentor-panel-heading">\n'
    '  <div class="card-body">\n'
    '    <h2 id="mentor-panel-heading" class="h4">Your mentoring this month</h2>\n'
    '    <div class="row g-4">\n'
    '      <div class="col-md-6">\n'
    '        <h3 class="h6">Next session</h3>\n'
    "        {% if panel.next_session %}\n"
    '          <p><a href="{{ panel.next_session.get_absolute_url }}">'
    '{{ panel.next_session.starts_at|date:"l j F, H:i" }}</a> with '
    "{{ panel.next_session.relationship.mentee.first_name }} · {{ panel.next_session.where }}</p>\n"
    "        {% else %}<p>No session scheduled.</p>{% endif %}\n"
    '        <h3 class="h6">What you planned last time</h3>\n'
    '        {% for log in panel.latest_notes %}<p class="mb-1"><strong>'
    "{{ log.session.relationship.mentee.first_name }}:</strong> "
    "{{ log.next_time_notes|truncatechars:200 }}</p>\n"
    "        {% empty %}<p>Nothing noted yet.</p>{% endfor %}\n"
    "      </div>\n"
    '      <div class="col-md-6">\n'
    '        <h3 class="h6">Goals in progress</h3>\n'
    '        <ul class="mb-2">{% for goal in panel.goals %}<li>{{ goal.title }} '
    "({{ goal.relationship.mentee.first_name }}, {{ goal.get_status_display|lower }})</li>"
    "{% empty %}<li>No goals yet: agree one at your next session.</li>{% endfor %}</ul>\n"
    "        {% if panel.overdue_logs %}\n"
    '          <h3 class="h6 text-danger">Sessions to log</h3>\n'
    "          <ul>{% for session in panel.overdue_logs %}<li><a href=\"{% url 'mentoring:session_log' "
    'session.pk %}">Session {{ session.number }} with {{ session.relationship.mentee.first_name }}, '
    '{{ session.starts_at|date:"j M" }}</a></li>{% endfor %}</ul>\n'
    "        {% endif %}\n"
    "      </div>\n"
    "    </div>\n"
    "  </div>\n"
    "</section>\n"
)


def _mentor_panels(overview) -> tuple[str, str]:
    from django.template.loader import render_to_string

    return (
        Template(MENTOR_PANEL_LOOPS).render(Context({"panel": overview})),
        render_to_string("mentoring/panels/mentor.html", {"panel": overview}),
    )


def test_the_mentor_panel_tags_are_the_loops_markup(world, settings):
    from mentoring.models import Goal, MentoringSession, Venue
    from mentoring.selectors import mentor_overview
    from mentoring.tests.factories import GoalFactory, MentoringSessionFactory, SessionLogFactory

    # Local times that differ from UTC in their day, and names and notes that need escaping.
    settings.TIME_ZONE = "Pacific/Auckland"
    mentee_ids = [world.relationship_under_16.mentee_id, world.relationship_over_18.mentee_id]
    User.objects.filter(pk=mentee_ids[0]).update(first_name="<Jo> & 'Sam'")
    now = timezone.now()
    first, second = world.relationship_under_16, world.relationship_over_18
    # Nothing yet: the empty lists' words.
    loop, tags = _mentor_panels(mentor_overview(user=world.mentor))
    assert tags == loop and "Nothing noted yet." in tags and "No goals yet" in tags
    venue = Venue.objects.create(name="Hall <B>", youth_partner=world.partner_a)
    for days, relationship in ((3, first), (5, second), (9, first)):
        MentoringSessionFactory(
            relationship=relationship, starts_at=now - datetime.timedelta(days=days, hours=days)
        )
    MentoringSessionFactory(
        relationship=second,
        starts_at=now + datetime.timedelta(days=2, hours=11),
        is_online=False,
        venue=venue,
    )
    SessionLogFactory(
        session=MentoringSessionFactory(
            relationship=first,
            status=MentoringSession.Status.HELD,
            starts_at=now - datetime.timedelta(days=20),
        ),
        next_time_notes="Practise the interview <questions> & " + "then more " * 30,
    )
    SessionLogFactory(
        session=MentoringSessionFactory(
            relationship=second,
            status=MentoringSession.Status.HELD,
            starts_at=now - datetime.timedelta(days=21),
        ),
        next_time_notes="Bring the CV",
    )
    GoalFactory(relationship=first, title="Write a CV <draft> & 'cover' letter")
    GoalFactory(relationship=second, status=Goal.Status.IN_PROGRESS)
    overview = mentor_overview(user=world.mentor)
    assert overview["next_session"] is not None and len(overview["overdue_logs"]) == 3
    assert len(overview["latest_notes"]) == 2 and len(overview["goals"]) == 2
    loop, tags = _mentor_panels(overview)
    assert tags == loop
    assert "&lt;Jo&gt; &amp; &#x27;Sam&#x27;" in tags and "Hall &lt;B&gt;" in tags
    assert "Sessions to log" in tags and "Nothing noted yet." not in tags
    # Online, and no session to log.
    MentoringSession.objects.filter(relationship__in=[first, second], starts_at__lt=now).update(
        status=MentoringSession.Status.CANCELLED
    )
    MentoringSession.objects.filter(venue=venue).update(is_online=True)
    overview = mentor_overview(user=world.mentor)
    assert overview["overdue_logs"] == [] and overview["next_session"].where == "Online"
    loop, tags = _mentor_panels(overview)
    assert tags == loop and "Sessions to log" not in tags
