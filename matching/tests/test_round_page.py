"""The matching round's page reads its proposals, the young people's goals and the people not matched
with queries compiled once per process, and writes each proposal with `proposal_cards` from the
columns it shows: the same proposals, for each person, and the same HTML as the proposals' queryset
rendered by the template loop the page used before (young people of 15 to 20: each age band)."""

import pytest
from django.template import Context, Template
from django.utils import timezone

from accounts.models import MentorProfile
from matching import selectors
from matching.models import MatchingRound, Proposal
from matching.tests import people
from matching.tests.test_rounds import run_round
from recruitment.models import Application

pytestmark = pytest.mark.django_db

# The proposals as the page's template wrote them before (templates/matching/round_detail.html).
LOOP = """{% for proposal in page %}
<article class="card mb-3" aria-labelledby="proposal-{{ proposal.pk }}">
  <div class="card-body">
    <h3 id="proposal-{{ proposal.pk }}" class="h5">{{ proposal.mentor.get_full_name }} and {{ proposal.mentee.get_full_name }} <span class="badge text-bg-secondary">{{ proposal.get_status_display }}</span> <span class="badge text-bg-light">score {{ proposal.score }}</span>{% if proposal.locked %} <span class="badge text-bg-info">kept</span>{% endif %}</h3>
    <p>{{ proposal.explanation|capfirst }}.</p>
    <div class="row">
      <div class="col-md-6">
        <h4 class="h6">Mentor</h4>
        {% with profile=proposal.mentor.mentor_profile %}
        <p class="mb-1">{{ profile.job_title|default:"Role not given" }}{% if profile.sector %}, {{ profile.sector }}{% endif %} · {{ profile.get_region_display }}</p>
        <p class="small">{{ profile.bio }}</p>
        {% endwith %}
      </div>
      <div class="col-md-6">
        <h4 class="h6">Mentee</h4>
        {% with profile=proposal.mentee.mentee_profile %}
        <p class="mb-1">{{ profile.age_band }} · {{ profile.get_stage_display }} · {{ profile.youth_partner }} · {{ profile.get_region_display }}</p>
        {% endwith %}
        {% for mentee_id, text in goals.items %}{% if mentee_id == proposal.mentee_id and text %}<p class="small">Goals: {{ text }}</p>{% endif %}{% endfor %}
      </div>
    </div>
    {% if proposal.status == "proposed" %}
    <div class="d-flex flex-wrap gap-3 align-items-end">
      <form method="post" action="{% url 'matching:proposal_decide' proposal.pk %}">{% csrf_token %}
        <input type="hidden" name="decision" value="accept">
        <button type="submit" class="btn btn-success">Accept {{ proposal.mentor.first_name }} and {{ proposal.mentee.first_name }}</button>
      </form>
      <form method="post" action="{% url 'matching:proposal_decide' proposal.pk %}" class="d-flex flex-wrap gap-2 align-items-end">{% csrf_token %}
        <input type="hidden" name="decision" value="reject">
        <div><label for="reason-{{ proposal.pk }}" class="form-label">Reason for rejecting</label>
        <input type="text" name="reason" id="reason-{{ proposal.pk }}" class="form-control" maxlength="1000" required></div>
        <button type="submit" class="btn btn-outline-danger">Reject {{ proposal.mentor.first_name }} and {{ proposal.mentee.first_name }}</button>
      </form>
      <form method="post" action="{% url 'matching:proposal_decide' proposal.pk %}">{% csrf_token %}
        <input type="hidden" name="decision" value="{% if proposal.locked %}unlock{% else %}lock{% endif %}">
        <button type="submit" class="btn btn-link">{% if proposal.locked %}Stop keeping this pair{% else %}Keep this pair if the pool is matched again{% endif %}</button>
      </form>
    </div>
    {% elif proposal.reason %}<p class="mb-0">Reason: {{ proposal.reason }}</p>{% endif %}
  </div>
</article>
{% endfor %}"""  # noqa: E501


@pytest.fixture
def decided_round(world, django_capture_on_commit_callbacks):
    """A round at cohort A with proposals proposed, kept, rejected with a reason and accepted, people
    not matched, names, goals and profiles that must be escaped or are blank."""
    cohort = world.cohort_a
    for index, name in enumerate(("Uma", "Vic", "Wes", "Xia", "Yos", "<i>Zo</i>")):
        goals = "" if index == 2 else f"Learn about <engineering> & 'design' {index}"
        people.mentee(cohort, name, age=15 + index, goals=goals)
    for name in ("Abe", "Bo & Co", "Cyd", "Dee"):
        people.mentor(cohort.programme, name)
    MentorProfile.objects.filter(user__first_name="Cyd").update(job_title="", sector="Law <firm>", bio="")
    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)
    first, second, third, *_ = matching_round.proposals.order_by("id")
    Proposal.objects.filter(pk=first.pk).update(locked=True, explanation="")
    Proposal.objects.filter(pk=second.pk).update(status=Proposal.Status.REJECTED, reason="Not <near> enough")
    Proposal.objects.filter(pk=third.pk).update(
        status=Proposal.Status.ACCEPTED, decided_at=timezone.now(), score=12.345678
    )
    return matching_round


def _expected_goals(mentee_ids):
    return dict(
        Application.objects.mentees()
        .filter(user_id__in=mentee_ids)
        .exclude(status__in=[Application.Status.WITHDRAWN, Application.Status.DECLINED])
        .order_by("created_at")
        .values_list("user_id", "goals")
    )


def test_the_round_pages_reads_are_the_querysets(world, decided_round):
    assert decided_round.proposals.count() == 4 and decided_round.unmatched.count() >= 2
    for name in ("staff", "coordinator_a", "coordinator_b", "dsl_a", "mentor"):
        person = getattr(world, name)
        expected = list(selectors.proposals_for_round(user=person, matching_round=decided_round))
        ids = selectors.proposal_ids_for_round(user=person, matching_round=decided_round)
        assert ids == [proposal.pk for proposal in expected], name
        outcomes = list(selectors.outcomes_for_round(user=person, matching_round=decided_round)[:100])
        read = selectors.first_outcomes_for_round(user=person, matching_round=decided_round)
        assert [(o.pk, o.side, o.category, o.reason, o.person.get_full_name()) for o in read] == [
            (o.pk, o.side, o.category, o.reason, o.person.get_full_name()) for o in outcomes
        ], name
    mentee_ids = list(decided_round.proposals.values_list("mentee_id", flat=True))
    mentee_ids += list(decided_round.unmatched.values_list("person_id", flat=True))
    Application.objects.filter(user_id=mentee_ids[0]).update(status=Application.Status.WITHDRAWN)
    assert selectors.mentee_goals(mentee_ids) == _expected_goals(mentee_ids)
    assert len(selectors.mentee_goals(mentee_ids)) >= 4
    assert selectors.mentee_goals([]) == {}


def test_the_cards_are_the_template_loops_html(world, decided_round, rf):
    proposals = list(selectors.proposals_for_round(user=world.staff, matching_round=decided_round))
    goals = _expected_goals([proposal.mentee_id for proposal in proposals])
    cards = selectors.proposal_cards([proposal.pk for proposal in proposals])
    assert [card.pk for card in cards] == [proposal.pk for proposal in proposals]
    assert selectors.proposal_cards(list(reversed([card.pk for card in cards]))) == cards[::-1]
    for token in ("a-token", None):
        context = {"page": proposals, "goals": goals, "csrf_token": token}
        expected = Template(LOOP).render(Context(context))
        tag = Template("{% load matching_tags %}{% proposal_cards page goals %}")
        assert tag.render(Context({**context, "page": cards})) == expected
    html = tag.render(Context({"page": cards, "goals": goals, "csrf_token": "a-token"}))
    assert "&lt;i&gt;Zo&lt;/i&gt;" in html or "Bo &amp; Co" in html
    assert "<engineering>" not in html and "Reason: Not &lt;near&gt; enough" in html
    assert html.count("Reason for rejecting") == 2 and "Stop keeping this pair" in html


def test_a_proposal_whose_people_have_no_profile_reads_as_the_template_did(world, decided_round):
    from accounts.models import MenteeProfile

    proposal = decided_round.proposals.order_by("id").last()
    MentorProfile.objects.filter(user_id=proposal.mentor_id).delete()
    MenteeProfile.objects.filter(user_id=proposal.mentee_id).delete()
    expected_rows = list(
        Proposal.objects.filter(pk=proposal.pk).select_related(
            "mentor__mentor_profile", "mentee__mentee_profile__youth_partner"
        )
    )
    context = {"goals": {}, "csrf_token": "t"}
    expected = Template(LOOP).render(Context({**context, "page": expected_rows}))
    tag = Template("{% load matching_tags %}{% proposal_cards page goals %}")
    assert tag.render(Context({**context, "page": selectors.proposal_cards([proposal.pk])})) == expected
    assert "Role not given · </p>" in expected


def test_the_round_page_shows_a_page_of_proposals(world, decided_round, client):
    client.force_login(world.staff)
    body = client.get(decided_round.get_absolute_url()).content.decode()
    for proposal in decided_round.proposals.all():
        assert f'id="proposal-{proposal.pk}"' in body
    assert body.count('<form method="post" action="/matching/proposals/') == 3 * 2
    empty = MatchingRound.objects.create(
        programme=decided_round.programme, scope=decided_round.scope, cohort=decided_round.cohort
    )
    assert "<p>No proposals" in client.get(empty.get_absolute_url()).content.decode()


def test_the_round_is_read_for_those_who_may_see_it(world, decided_round, client):
    from django.http import Http404

    from core import policy

    for name in ("staff", "coordinator_a", "coordinator_b", "dsl_a", "mentor", "mentee_under_16"):
        person = getattr(world, name)
        try:
            expected = policy.get_object_or_404(person, policy.VIEW, MatchingRound, pk=decided_round.pk)
        except Http404:
            expected = None
        read = selectors.round_for_page(user=person, pk=decided_round.pk)
        assert (read is None) == (expected is None), name
        if read is not None:
            assert read.pool_label == expected.pool_label and read.quality == expected.quality, name
            assert read.started_by.get_full_name() == expected.started_by.get_full_name(), name
            assert selectors.round_summary(read) == selectors.round_summary(expected), name
        client.force_login(person)
        answered = client.get(decided_round.get_absolute_url()).status_code
        assert answered == (404 if expected is None else 200), name
    assert selectors.round_for_page(user=world.staff, pk=decided_round.pk + 1000) is None
