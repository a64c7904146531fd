"""The demo's matching round: the demo coordinator opens it and has proposals to decide."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import MenteeProfile, User
from demo import builder as demo
from demo import people as demo_people
from matching.models import MatchingRound, Proposal, UnmatchedOutcome
from matching.records_db import inducted_ids
from recruitment.models import ConsentRecord


def load(**options) -> str:
    out = StringIO()
    call_command("load_demo_data", stdout=out, mentees=80, mentors=50, seed=7, **options)
    return out.getvalue()


def demo_round() -> MatchingRound:
    coordinator = User.objects.get(email=f"coordinator@{demo.DEMO_EMAIL_DOMAIN}")
    return MatchingRound.objects.get(youth_partner_id__in=coordinator.coordinated_partner_ids)


@pytest.mark.slow_ok(reason="builds the demo programme twice, to show a rerun replaces the round")
@pytest.mark.django_db
def test_demo_round_has_open_proposals_for_the_demo_coordinator_even_after_a_rerun(client):
    output = load()

    matching_round = demo_round()
    assert matching_round.status == "done"
    assert matching_round.cohort.youth_partner.name == demo_people.LOGIN_PARTNER
    # The partner's latest intake that has started, not last year's finished one.
    latest = matching_round.cohort.youth_partner.cohorts.filter(
        programme=matching_round.programme, start_date__lte=matching_round.cohort.start_date
    )
    assert matching_round.cohort == latest.order_by("-start_date").first()

    proposals = list(matching_round.proposals.filter(status=Proposal.Status.PROPOSED))
    assert 3 <= len(proposals) <= 8
    assert f"Matching round #{matching_round.pk}: {len(proposals)} proposals" in output
    mentee_ids = [proposal.mentee_id for proposal in proposals]
    profiles = MenteeProfile.objects.filter(user_id__in=mentee_ids)
    assert {profile.cohort_id for profile in profiles} == {matching_round.cohort_id}
    # Each proposed young person is ready: consent for under-16s, induction done for under-18s.
    consented = set(
        ConsentRecord.objects.filter(mentee_id__in=mentee_ids).values_list("mentee_id", flat=True)
    )
    inducted, _ = inducted_ids(mentee_ids)
    for profile in profiles:
        assert not profile.is_under_16 or profile.user_id in consented
        assert not profile.is_under_18 or profile.user_id in inducted
    # Scores mean something: most proposals meet the young person's first need, and each says why.
    assert sum(proposal.first_need_met for proposal in proposals) >= len(proposals) / 2
    for proposal in proposals:
        assert "first priority" in proposal.explanation
        assert proposal.score > 0

    # A few young people honestly wait, with the reason they are not ready.
    waiting = matching_round.unmatched.filter(side=UnmatchedOutcome.Side.MENTEE)
    assert waiting.filter(category="not_ready").exists()
    assert set(waiting.values_list("reason", flat=True)) <= {
        "the mentee is under 16 and parental consent is not recorded",
        "the mentee has not completed their induction",
    }

    client.force_login(User.objects.get(email=f"coordinator@{demo.DEMO_EMAIL_DOMAIN}"))
    response = client.get(reverse("matching:round_detail", args=[matching_round.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for proposal in proposals:
        assert proposal.mentee.get_full_name() in page

    # Running the demo again replaces the round: still one, still with proposals to decide.
    load()

    again = demo_round()
    assert not MatchingRound.objects.filter(pk=matching_round.pk).exists()
    assert again.cohort_id == matching_round.cohort_id
    assert 3 <= again.proposals.filter(status=Proposal.Status.PROPOSED).count() <= 8
