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
