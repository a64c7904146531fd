"""Mentor-chosen opportunities, manual matches, the API and the home panels."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from matching import services, tasks
from matching.models import InterestExpression, MatchingRound, Opportunity, Proposal
from matching.tests import people
from mentoring.models import Relationship


@pytest.fixture
def opportunity(world):
    return services.opportunity_create(
        actor=world.coordinator_a,
        cohort=world.cohort_a,
        title="Year 12 engineering mentors",
        description="Twenty students curious about engineering.",
        places=1,
        answer_within_days=7,
    )


def test_an_approved_mentor_chooses_an_opportunity_and_the_coordinator_receives_their_bio(
    world, opportunity, client, django_capture_on_commit_callbacks
):
    mentor = people.mentor(world.programme, "Nia", bio="I build bridges and love explaining how.")
    client.force_login(mentor)
    page = client.get(reverse("matching:opportunity_list")).content.decode()
    assert "Year 12 engineering mentors" in page
    assert "young.mentee@example.org" not in page and "Yasmin" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("matching:opportunity_interest", args=[opportunity.pk]), {"message": "Free on Tuesdays"}
        )

    assert response.status_code == 302
    interest = InterestExpression.objects.get(mentor=mentor)
    assert interest.status == InterestExpression.Status.PENDING
    assert interest.expires_at.date() == (timezone.now() + datetime.timedelta(days=7)).date()
    [to_coordinator] = [m for m in mail.outbox if world.coordinator_a.email in m.to]
    assert "I build bridges" in to_coordinator.body and "Free on Tuesdays" in to_coordinator.body


def test_a_mentor_who_is_not_approved_cannot_choose(world, opportunity):
    mentor = people.mentor(world.programme, "Oli", status="screening")
    with pytest.raises(ApplicationError, match="approved mentors"):
        services.interest_express(actor=mentor, opportunity=opportunity)


def test_the_coordinator_accepts_and_the_opportunity_closes_when_full(world, opportunity, client):
    mentor = people.mentor(world.programme, "Pat")
    interest = services.interest_express(actor=mentor, opportunity=opportunity)
    with pytest.raises(ApplicationError):
        services.interest_decide(actor=world.coordinator_a, interest=interest, accept=False)

    services.interest_decide(actor=world.coordinator_a, interest=interest, accept=True)

    opportunity.refresh_from_db()
    assert opportunity.status == Opportunity.Status.CLOSED
    client.force_login(world.coordinator_a)
    inbox = client.get(reverse("matching:interest_inbox")).content.decode()
    assert f"?mentor={mentor.pk}" in inbox and "match Pat with a mentee" in inbox
    form = client.get(reverse("matching:manual_match"), {"mentor": mentor.pk}).context["form"]
    assert form["mentor"].value() == str(mentor.pk)


def test_a_declined_mentor_is_told_why_and_may_choose_again(
    world, opportunity, django_capture_on_commit_callbacks
):
    mentor = people.mentor(world.programme, "Ray")
    interest = services.interest_express(actor=mentor, opportunity=opportunity)
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_decide(
            actor=world.coordinator_a,
            interest=interest,
            accept=False,
            reason="We need a sixth-form specialist",
        )
    assert any("sixth-form specialist" in m.body for m in mail.outbox if mentor.email in m.to)
    services.interest_express(actor=mentor, opportunity=opportunity)


def test_an_unanswered_request_expires_the_mentor_is_told_and_may_choose_again(
    world, opportunity, django_capture_on_commit_callbacks
):
    mentor = people.mentor(world.programme, "Sue")
    interest = services.interest_express(actor=mentor, opportunity=opportunity)
    with pytest.raises(ApplicationError, match="already have a request"):
        services.interest_express(actor=mentor, opportunity=opportunity)
    InterestExpression.objects.filter(pk=interest.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.interests_expire() == 1
        assert tasks.interests_expire() == 0

    interest.refresh_from_db()
    assert interest.status == InterestExpression.Status.EXPIRED
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    assert "expired" in mail.outbox[0].body
    with pytest.raises(ApplicationError, match="expired"):
        services.interest_decide(actor=world.coordinator_a, interest=interest, accept=True)
    services.interest_express(actor=mentor, opportunity=opportunity)


def test_a_manual_match_still_obeys_the_hard_rules(world):
    kid = people.mentee(world.cohort_a, "Tom", age=16)
    unchecked = people.mentor(world.programme, "Uri", check=False)
    with pytest.raises(ApplicationError, match="enhanced check"):
        services.manual_match_create(actor=world.coordinator_a, mentee=kid, mentor=unchecked)
    assert not Relationship.objects.filter(mentee=kid).exists()


def test_a_low_scoring_manual_match_needs_confirming(world, client):
    adult = people.mentee(world.cohort_a, "Val", support=["cv_and_interviews"], industries=["law"])
    mentor = people.mentor(world.programme, "Wyn", support=["networking"], region="london")
    client.force_login(world.coordinator_a)
    url = reverse("matching:manual_match")

    response = client.post(url, {"mentee": adult.pk, "mentor": mentor.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "low" in body and "Tick the box to match them anyway" in body
    assert not Relationship.objects.filter(mentee=adult).exists()

    response = client.post(url, {"mentee": adult.pk, "mentor": mentor.pk, "confirm_low_score": "on"})
    assert response.status_code == 302
    proposal = Proposal.objects.get(mentee=adult, manual=True)
    assert proposal.status == Proposal.Status.ACCEPTED
    assert Relationship.objects.open().filter(mentee=adult, mentor=mentor).exists()


def test_a_coordinator_cannot_hand_match_another_partners_mentee(world):
    mentor = people.mentor(world.programme, "Xia")
    with pytest.raises(ApplicationError):
        services.manual_match_create(actor=world.coordinator_b, mentee=world.mentee_over_18, mentor=mentor)


def test_the_api_starts_a_round_and_decides_proposals(world, client, django_capture_on_commit_callbacks):
    people.mentee(world.cohort_a, "Yve")
    people.mentee(world.cohort_a, "Zac")
    people.mentor(world.programme, "Abe")
    people.mentor(world.programme, "Bea")
    client.force_login(world.coordinator_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/matching/rounds/",
            {"scope": "cohort", "cohort": world.cohort_a.pk},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    round_id = response.json()["id"]
    assert client.get(f"/api/matching/rounds/{round_id}/").json()["status"] == MatchingRound.Status.DONE
    proposals = client.get(f"/api/matching/proposals/?round={round_id}").json()["results"]
    assert len(proposals) == 2
    assert all("email" not in str(proposal) for proposal in proposals)
    first, second = (proposal["id"] for proposal in proposals)

    assert client.post(f"/api/matching/proposals/{first}/reject/", {}).status_code == 400
    response = client.post(f"/api/matching/proposals/{first}/reject/", {"reason": "Known to the family"})
    assert response.json()["status"] == "rejected"
    response = client.post(f"/api/matching/proposals/{second}/accept/")
    assert response.status_code == 200 and response.json()["relationship"]

    client.force_login(world.coordinator_b)
    assert client.get(f"/api/matching/proposals/{first}/").status_code == 404


def test_home_panels_show_decisions_waiting_and_open_opportunities(
    world, opportunity, client, django_capture_on_commit_callbacks
):
    people.mentee(world.cohort_a, "Cal")
    mentor = people.mentor(world.programme, "Dee")
    with django_capture_on_commit_callbacks(execute=True):
        services.round_start(actor=world.coordinator_a, programme=None, scope="cohort", cohort=world.cohort_a)
    client.force_login(world.coordinator_a)
    assert "1 proposed match awaiting your decision" in client.get(reverse("home")).content.decode()
    client.force_login(mentor)
    assert "1 open opportunity" in client.get(reverse("home")).content.decode()


def test_matching_lists_keep_a_bounded_number_of_queries(
    world, opportunity, client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    mentors = [people.mentor(world.programme, name) for name in ("Eli", "Fen", "Gil")]
    for mentor in mentors:
        services.interest_express(actor=mentor, opportunity=opportunity)
    for name in ("Hep", "Ian", "Jas"):
        people.mentee(world.cohort_a, name)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_start(actor=world.coordinator_a, programme=None, scope="cohort", cohort=world.cohort_a)

    client.force_login(world.coordinator_a)
    with django_assert_max_num_queries(12):
        inbox = client.get(reverse("matching:interest_inbox")).content.decode()
    assert inbox.count("Reason for declining") == 3
    with django_assert_max_num_queries(12):
        assert client.get(reverse("matching:round_list")).status_code == 200
    client.force_login(mentors[0])
    with django_assert_max_num_queries(10):
        page = client.get(reverse("matching:opportunity_list")).content.decode()
    assert "Waiting for the coordinator" in page
