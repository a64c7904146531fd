"""Matching rounds in the database: small hand-built cohorts whose best answer is known."""

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from community.models import EmployerMembership, EmployerPartner
from core.errors import ApplicationError
from matching import services
from matching.engine import Reason
from matching.models import MatchingRound, Proposal, RejectedPair, UnmatchedOutcome
from matching.tests import people
from mentoring.models import Relationship
from mentoring.tests.factories import CohortFactory, ProgrammeFactory, YouthPartnerFactory


@pytest.fixture
def cohort(world):
    return world.cohort_a


def run_round(actor, django_capture_on_commit_callbacks, **options):
    options.setdefault("scope", MatchingRound.Scope.COHORT)
    with django_capture_on_commit_callbacks(execute=True):
        matching_round = services.round_start(
            actor=actor, programme=options.pop("programme", None), **options
        )
    matching_round.refresh_from_db()
    return matching_round


def pairs_of(matching_round):
    return {
        (p.mentee.first_name, p.mentor.first_name)
        for p in matching_round.proposals.select_related("mentee", "mentor")
    }


def test_round_proposes_the_optimal_pairs_and_tells_the_unmatched(
    world, cohort, django_capture_on_commit_callbacks
):
    programme = cohort.programme
    people.mentee(cohort, "Jade", support=["cv_and_interviews"], industries=["law"])
    people.mentee(cohort, "Sami", support=["careers_guidance"], industries=["healthcare-and-medicine"])
    people.mentor(programme, "Lena", support=["cv_and_interviews"], industries=["law"])
    people.mentor(programme, "Hugo", support=["careers_guidance"], industries=["healthcare-and-medicine"])
    people.mentor(programme, "Ned", status="screening")
    mail.outbox.clear()

    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)

    assert matching_round.status == MatchingRound.Status.DONE
    assert matching_round.progress == 100
    assert pairs_of(matching_round) == {("Jade", "Lena"), ("Sami", "Hugo")}
    jade = matching_round.proposals.get(mentee__first_name="Jade")
    assert "law" in jade.explanation and jade.first_need_met
    assert matching_round.quality["share_matched"] == 1.0
    assert matching_round.quality["greedy_total"] <= matching_round.quality["total"]
    assert matching_round.quality["share_first_need_met"] == 1.0
    ned = UnmatchedOutcome.objects.get(round=matching_round, person__first_name="Ned")
    assert ned.reason_code == Reason.MENTOR_NOT_APPROVED
    assert ned.category == UnmatchedOutcome.Category.NOT_READY
    [notice] = [message for message in mail.outbox if "ned.mentor@example.org" in message.to]
    assert "the mentor has not been approved" in notice.body
    assert "stay in the pool" in notice.body


def test_an_under_18_is_only_proposed_a_mentor_with_an_enhanced_check(
    world, cohort, django_capture_on_commit_callbacks
):
    programme = cohort.programme
    people.mentee(cohort, "Kai", age=16, support=["cv_and_interviews"], industries=["law"])
    people.mentor(programme, "Unchecked", support=["cv_and_interviews"], industries=["law"], check=False)
    people.mentor(programme, "Checked", support=["networking"])

    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)

    assert pairs_of(matching_round) == {("Kai", "Checked")}
    unchecked = UnmatchedOutcome.objects.get(round=matching_round, person__first_name="Unchecked")
    assert unchecked.category == UnmatchedOutcome.Category.NO_SUITABLE_MATCH


def test_an_under_16_without_parental_consent_is_not_matched(
    world, cohort, django_capture_on_commit_callbacks
):
    people.mentee(cohort, "Ivy", age=14)
    people.mentee(cohort, "Ola", age=14, parental_consent=True)
    people.mentor(cohort.programme, "Hugo", capacity=2)

    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)

    assert pairs_of(matching_round) == {("Ola", "Hugo")}
    ivy = UnmatchedOutcome.objects.get(round=matching_round, person__first_name="Ivy")
    assert ivy.reason_code == Reason.MENTEE_NO_PARENTAL_CONSENT


def test_a_mentor_with_two_places_mentors_two_mentees_who_accepted_one_to_two_together(
    world, cohort, django_capture_on_commit_callbacks
):
    people.mentee(cohort, "Ana", pairing="either")
    people.mentee(cohort, "Ben", pairing="one_to_two")
    people.mentee(cohort, "Cat", pairing="one_to_one")
    people.mentor(cohort.programme, "Gwen", capacity=2, open_to_one_to_two=True)

    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)

    assert pairs_of(matching_round) == {("Ana", "Gwen"), ("Ben", "Gwen")}
    keys = set(matching_round.proposals.values_list("group_key", flat=True))
    assert len(keys) == 1 and keys != {""}
    cat = UnmatchedOutcome.objects.get(round=matching_round, person__first_name="Cat")
    assert cat.reason_code in (Reason.ONE_TO_TWO_NOT_ACCEPTED, Reason.OUTMATCHED)


def test_declared_conflicts_and_the_same_organisation_are_never_proposed(
    world, cohort, django_capture_on_commit_callbacks
):
    people.mentee(cohort, "Dan", support=["cv_and_interviews"])
    people.mentor(
        cohort.programme,
        "Conflicted",
        support=["cv_and_interviews"],
        conflict_partners=[cohort.youth_partner],
    )
    people.mentor(
        cohort.programme, "Colleague", support=["cv_and_interviews"], employer_name="Alder Park School Ltd"
    )
    linked = people.mentor(cohort.programme, "Linked", support=["cv_and_interviews"])
    # A mentor linked to an employer partner of the same name as the mentee's youth partner works there.
    employer = EmployerPartner.objects.create(name=f"{cohort.youth_partner.name} plc")
    EmployerMembership.objects.create(mentor=linked, employer=employer)
    people.mentor(cohort.programme, "Stranger", support=["networking"])

    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)

    assert pairs_of(matching_round) == {("Dan", "Stranger")}


def test_a_rejected_pair_is_never_proposed_again_and_the_mentee_stays_in_the_pool(
    world, cohort, django_capture_on_commit_callbacks
):
    people.mentee(cohort, "Eve", support=["cv_and_interviews"])
    people.mentor(cohort.programme, "Best", support=["cv_and_interviews"])
    people.mentor(cohort.programme, "Next", support=["networking"])
    first = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)
    proposal = first.proposals.get()
    assert proposal.mentor.first_name == "Best"

    with pytest.raises(ApplicationError):
        services.proposal_reject(actor=world.coordinator_a, proposal=proposal, reason="  ")
    services.proposal_reject(
        actor=world.coordinator_a, proposal=proposal, reason="They already know each other"
    )
    assert RejectedPair.objects.filter(mentee=proposal.mentee, mentor=proposal.mentor).exists()

    second = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)
    assert pairs_of(second) == {("Eve", "Next")}


def test_a_kept_pair_survives_a_new_round_even_when_a_better_mentor_appears(
    world, cohort, django_capture_on_commit_callbacks
):
    people.mentee(cohort, "Fay", support=["cv_and_interviews"], industries=["law"])
    people.mentor(cohort.programme, "Early", support=["networking"])
    first = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)
    proposal = first.proposals.get()
    services.proposal_lock(actor=world.coordinator_a, proposal=proposal, locked=True)
    people.mentor(cohort.programme, "Better", support=["cv_and_interviews"], industries=["law"])

    second = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)

    kept = second.proposals.get()
    assert (kept.mentor.first_name, kept.locked) == ("Early", True)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUPERSEDED
    assert Proposal.objects.filter(mentee=proposal.mentee, status=Proposal.Status.PROPOSED).count() == 1


def test_accepting_starts_the_relationship_and_tells_both_without_contact_details(
    world, cohort, django_capture_on_commit_callbacks
):
    kid = people.mentee(cohort, "Gus", age=16, goals="Become a paramedic", interests=["football"])
    people.mentor(cohort.programme, "Hana")
    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)
    proposal = matching_round.proposals.get()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_accept(actor=world.coordinator_a, proposal=proposal)

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    relationship = Relationship.objects.get(mentor=proposal.mentor, mentee=kid)
    assert proposal.relationship == relationship
    [to_mentor] = [message for message in mail.outbox if proposal.mentor.email in message.to]
    assert "Gus" in to_mentor.body and "Become a paramedic" in to_mentor.body and "football" in to_mentor.body
    assert kid.email not in to_mentor.body and kid.mentee_profile.phone not in to_mentor.body
    assert any(kid.email in message.to for message in mail.outbox)
    with pytest.raises(ApplicationError):
        services.proposal_accept(actor=world.coordinator_a, proposal=proposal)


def test_a_coordinator_cannot_decide_another_partners_proposal(
    world, cohort, django_capture_on_commit_callbacks
):
    people.mentee(cohort, "Hal")
    people.mentor(cohort.programme, "Iris")
    proposal = run_round(
        world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort
    ).proposals.get()
    from django.http import Http404

    with pytest.raises(Http404):
        services.proposal_accept(actor=world.coordinator_b, proposal=proposal)
    with pytest.raises(ApplicationError):
        services.round_start(
            actor=world.coordinator_b, programme=cohort.programme, scope="cohort", cohort=cohort
        )


def test_two_rounds_for_the_same_pool_cannot_be_waiting_at_once(world, cohort):
    services.round_start(actor=world.coordinator_a, programme=None, scope="cohort", cohort=cohort)
    with pytest.raises(ApplicationError, match="already waiting or running"):
        services.round_start(actor=world.staff, programme=None, scope="cohort", cohort=cohort)


def test_the_database_refuses_a_second_open_proposal_for_a_mentee(world, cohort):
    mentee = people.mentee(cohort, "Jon")
    mentor = people.mentor(cohort.programme, "Kim")
    Proposal.objects.create(mentor=mentor, mentee=mentee, cohort=cohort, score=50)
    with pytest.raises(IntegrityError):
        Proposal.objects.create(mentor=world.mentor, mentee=mentee, cohort=cohort, score=40)


def test_overlapping_rounds_leave_each_mentee_one_open_proposal(
    world, cohort, django_capture_on_commit_callbacks
):
    people.mentee(cohort, "Lou")
    people.mentor(cohort.programme, "Max")
    run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)
    run_round(world.staff, django_capture_on_commit_callbacks, scope="programme", programme=cohort.programme)
    assert Proposal.objects.filter(mentee__first_name="Lou", status=Proposal.Status.PROPOSED).count() == 1


def test_missing_profile_data_makes_a_person_ineligible_with_a_reason(
    world, cohort, django_capture_on_commit_callbacks
):
    people.mentee(cohort, "Noor", region="")
    people.mentee(cohort, "Otto")
    people.mentor(cohort.programme, "Pia", capacity=2)

    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)

    assert matching_round.status == MatchingRound.Status.DONE
    assert pairs_of(matching_round) == {("Otto", "Pia")}
    noor = UnmatchedOutcome.objects.get(round=matching_round, person__first_name="Noor")
    assert noor.reason == "the mentee's region is not recorded"


def test_an_untrained_mentor_and_a_suspended_mentor_are_not_proposed(
    world, cohort, django_capture_on_commit_callbacks
):
    from safeguarding.models import MentorSuspension

    people.mentee(cohort, "Quin")
    untrained = people.mentor(cohort.programme, "Untrained", is_trained=False, support=["careers_guidance"])
    suspended = people.mentor(cohort.programme, "Suspended")
    MentorSuspension.objects.create(
        mentor=suspended,
        action=MentorSuspension.Action.values[0],
        ground=MentorSuspension.Ground.values[0],
        status=MentorSuspension.Status.IN_EFFECT,
        reason="Under review",
        requested_by=world.staff,
    )
    people.mentor(cohort.programme, "Ready", support=["networking"])

    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)

    assert pairs_of(matching_round) == {("Quin", "Ready")}
    assert (
        UnmatchedOutcome.objects.get(round=matching_round, person=untrained).reason_code
        == Reason.MENTOR_NOT_TRAINED
    )
    assert not UnmatchedOutcome.objects.filter(person=suspended).exists()


def test_programme_weights_change_the_answer(world, cohort, django_capture_on_commit_callbacks):
    from matching.models import MatchingSettings

    people.mentee(
        cohort, "Rae", support=["cv_and_interviews"], interests=["music", "football", "photography"]
    )
    people.mentor(cohort.programme, "Helper", support=["cv_and_interviews"])
    people.mentor(
        cohort.programme, "Friend", support=["networking"], interests=["music", "football", "photography"]
    )
    assert pairs_of(run_round(world.staff, django_capture_on_commit_callbacks, cohort=cohort)) == {
        ("Rae", "Helper")
    }

    MatchingSettings.objects.create(programme=cohort.programme, support=0, first_need=0, interests=100)
    assert pairs_of(run_round(world.staff, django_capture_on_commit_callbacks, cohort=cohort)) == {
        ("Rae", "Friend")
    }


def test_protecting_the_worst_off_shows_its_cost(world, cohort, django_capture_on_commit_callbacks):
    people.mentee(cohort, "Sol", support=["cv_and_interviews", "confidence"], industries=["law"])
    people.mentee(cohort, "Tia", support=["cv_and_interviews"])
    people.mentor(cohort.programme, "Wide", support=["cv_and_interviews", "confidence"], industries=["law"])
    people.mentor(cohort.programme, "Narrow", support=["networking"])

    matching_round = run_round(
        world.staff, django_capture_on_commit_callbacks, cohort=cohort, protect_worst_off=True
    )

    assert matching_round.quality["worst_off_protected"] is True
    assert matching_round.quality["protection_cost"] >= 0
    assert matching_round.quality["lowest_score"] >= matching_round.quality["lowest_score_before_protection"]


def test_round_page_shows_proposals_quality_and_decisions_in_bounded_queries(
    world, cohort, client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for name in ("Uma", "Vic", "Wes"):
        people.mentee(cohort, name, age=16)
    for name in ("Xan", "Yan", "Zed"):
        people.mentor(cohort.programme, name)
    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)
    client.force_login(world.coordinator_a)

    with django_assert_max_num_queries(14):
        response = client.get(matching_round.get_absolute_url())

    body = response.content.decode()
    assert response.status_code == 200
    assert "How good is this round?" in body
    assert "Everyone was matched: all 3 mentees have a proposed mentor." in body
    assert "Technical figures" in body and "first-come (greedy)" in body
    assert body.count("Reason for rejecting") == 3
    assert "uma.mentee@example.org" not in body


def test_accept_and_reject_through_the_page(world, cohort, client, django_capture_on_commit_callbacks):
    people.mentee(cohort, "Ada")
    people.mentee(cohort, "Bo")
    people.mentor(cohort.programme, "Cy")
    people.mentor(cohort.programme, "Di")
    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)
    first, second = matching_round.proposals.order_by("id")
    client.force_login(world.coordinator_a)

    url = reverse("matching:proposal_decide", args=[first.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 302
    client.post(
        reverse("matching:proposal_decide", args=[second.pk]),
        {"decision": "reject", "reason": "Timetable clash"},
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Proposal.Status.ACCEPTED and first.relationship is not None
    assert (second.status, second.reason) == (Proposal.Status.REJECTED, "Timetable clash")


def test_progress_endpoint_reports_the_round(world, cohort, client):
    matching_round = services.round_start(
        actor=world.coordinator_a, programme=None, scope="cohort", cohort=cohort
    )
    client.force_login(world.coordinator_a)
    data = client.get(reverse("matching:round_progress", args=[matching_round.pk])).json()
    assert data == {
        "status": "queued",
        "status_label": "Waiting to start",
        "progress": 0,
        "message": "Waiting for a worker to start the round.",
        "finished": False,
    }


def test_rounds_elsewhere_are_invisible_to_a_coordinator(world, client):
    other = CohortFactory(
        programme=ProgrammeFactory(name="Elsewhere"), youth_partner=YouthPartnerFactory(name="Far")
    )
    matching_round = services.round_start(actor=world.staff, programme=None, scope="cohort", cohort=other)
    client.force_login(world.coordinator_a)
    assert client.get(matching_round.get_absolute_url()).status_code == 404


def test_the_bulk_check_agrees_with_the_rule_relationships_enforce(world):
    from matching.records_db import mentors_with_valid_check
    from recruitment.models import ScreeningCheck
    from recruitment.selectors import has_valid_enhanced_check

    cohort = world.cohort_a
    variants = {
        "Clear": {},
        "Basic": {"background_check_level": ScreeningCheck.CheckLevel.ENHANCED},
        "Barred": {"barred_list_result": ScreeningCheck.BarredListResult.BARRED},
        "Unsuitable": {"check_decision": ScreeningCheck.Decision.NOT_SUITABLE},
        "Lapsed": {"update_service": False, "renewal_due_on": cohort.start_date.replace(year=2000)},
    }
    mentors = {}
    for name, overrides in variants.items():
        mentor = people.mentor(cohort.programme, name, check=False)
        people.valid_check(mentor, mentor.applications.get(), **overrides)
        mentors[name] = mentor
    bulk = mentors_with_valid_check([mentor.pk for mentor in mentors.values()])
    for name, mentor in mentors.items():
        assert (mentor.pk in bulk) == has_valid_enhanced_check(mentor, barred_list=True), name
    assert bulk == {mentors["Clear"].pk}


def test_running_a_round_twice_changes_nothing_the_second_time(
    world, cohort, django_capture_on_commit_callbacks
):
    from matching.tasks import matching_round_run

    people.mentee(cohort, "Ari")
    people.mentor(cohort.programme, "Bex")
    with django_capture_on_commit_callbacks() as callbacks:
        matching_round = services.round_start(
            actor=world.coordinator_a, programme=None, scope="cohort", cohort=cohort
        )
    assert len(callbacks) == 1  # the round's task
    matching_round.refresh_from_db()
    assert matching_round.status == MatchingRound.Status.QUEUED and not matching_round.proposals.exists()

    assert matching_round_run(matching_round.pk) == MatchingRound.Status.DONE
    assert matching_round_run(matching_round.pk) is None
    assert Proposal.objects.filter(mentee__first_name="Ari").count() == 1


def test_a_round_that_breaks_is_marked_failed_and_frees_its_pool(
    world, cohort, monkeypatch, django_capture_on_commit_callbacks
):
    from matching import engine

    people.mentee(cohort, "Cal")

    def broken(*args, **kwargs):
        raise RuntimeError("solver unavailable")

    monkeypatch.setattr(engine, "run_round", broken)
    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)

    assert matching_round.status == MatchingRound.Status.FAILED
    assert "solver unavailable" in matching_round.error
    services.round_start(actor=world.coordinator_a, programme=None, scope="cohort", cohort=cohort)


def test_staff_set_a_programmes_weights_on_a_page_and_the_next_round_keeps_them(world, client):
    from matching.models import MatchingSettings

    client.force_login(world.staff)
    url = reverse("matching:programme_settings", args=[world.programme.pk])
    data = {
        "support": 40,
        "first_need": 20,
        "industry": 20,
        "interests": 5,
        "availability": 5,
        "geography": 5,
        "preferences": 5,
        "low_score_warning": 30,
    }
    assert client.post(url, data).status_code == 302
    assert MatchingSettings.objects.get(programme=world.programme).weights().support == 40
    matching_round = services.round_start(
        actor=world.staff, programme=None, scope="cohort", cohort=world.cohort_a
    )
    assert matching_round.weights["support"] == 40
    client.force_login(world.coordinator_a)
    assert client.post(url, data).status_code == 403


def test_in_person_programmes_match_within_a_region_even_when_the_mentee_would_go_outside_it(
    world, cohort, django_capture_on_commit_callbacks
):
    from recruitment.models import Application

    programme = cohort.programme
    programme.delivery_format = programme.DeliveryFormat.IN_PERSON
    programme.save()
    people.mentee(cohort, "Uli")
    roamer = people.mentee(cohort, "Vee")
    Application.objects.filter(user=roamer).update(willing_outside_region=True)
    people.mentor(programme, "Lon", region="london", capacity=2)

    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)

    # Everyone meets in person, so asking to go outside the region finds no mentor who meets online.
    assert pairs_of(matching_round) == set()
    for name in ("Uli", "Vee"):
        outcome = UnmatchedOutcome.objects.get(round=matching_round, person__first_name=name)
        assert outcome.reason_code == Reason.DIFFERENT_REGION


def test_the_programmes_age_range_is_a_hard_rule(world, cohort, django_capture_on_commit_callbacks):
    programme = cohort.programme
    programme.mentee_max_age = 18
    programme.save()
    people.mentee(cohort, "Wil", age=19)
    people.mentor(programme, "Xer")

    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)

    assert not matching_round.proposals.exists()
    wil = UnmatchedOutcome.objects.get(round=matching_round, person__first_name="Wil")
    assert (wil.reason_code, wil.category) == (
        Reason.MENTEE_OUTSIDE_AGE_RANGE,
        UnmatchedOutcome.Category.NOT_READY,
    )


def test_round_summary_says_only_what_the_figures_prove():
    from matching.models import MatchingRound
    from matching.selectors import round_summary

    quality = {
        "mentees": 10,
        "matched": 8,
        "mean_score": 77.6,
        "lowest_score": 41.0,
        "share_first_need_met": 0.7,
        "proven_optimal": True,
        "exhaustive": False,
        "worst_off_protected": False,
    }
    exact = round_summary(MatchingRound(quality=quality, weights={}))
    assert exact[0].startswith("Everyone who could be matched was: 8 of 10 mentees")
    assert exact[1] == "The average fit is 78 of 100 points; the lowest is 41."
    assert exact[2].startswith("70% of the mentees in the round")

    unproven = round_summary(MatchingRound(quality={**quality, "proven_optimal": False}, weights={}))
    assert not any("could be matched was" in sentence for sentence in unproven)
    assert unproven[0].startswith("8 of 10 mentees have a proposed mentor")

    heavier = round_summary(MatchingRound(quality=quality, weights={"support": 60.0}))
    assert heavier[1].startswith("The average fit is 78 of 130 points")


def test_a_coordinator_decides_proposals_from_the_list_of_those_awaiting_and_returns_to_it(
    world, cohort, client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for name in ("Kit", "Lou"):
        people.mentee(cohort, name, age=16)
    for name in ("Mae", "Ned"):
        people.mentor(cohort.programme, name)
    matching_round = run_round(world.coordinator_a, django_capture_on_commit_callbacks, cohort=cohort)
    first, second = matching_round.proposals.order_by("pk")
    client.force_login(world.coordinator_a)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("matching:proposal_list")).content.decode()
    assert "2 proposed matches" in page and page.count('<th scope="row">') == 2
    client.force_login(world.coordinator_b)
    assert "0 proposed matches" in client.get(reverse("matching:proposal_list")).content.decode()

    client.force_login(world.coordinator_a)
    url = reverse("matching:proposal_decide", args=[second.pk])
    answer = client.post(url, {"decision": "reject", "reason": "Lives too far", "back": "proposals"})
    assert answer.status_code == 302 and answer.url == reverse("matching:proposal_list")
    second.refresh_from_db()
    assert second.status == Proposal.Status.REJECTED
    page = client.get(reverse("matching:proposal_list")).content.decode()
    assert "1 proposed match<" in page and first.mentee.get_full_name() in page
    # Without "back", a decision returns to the round as before.
    answer = client.post(reverse("matching:proposal_decide", args=[first.pk]), {"decision": "lock"})
    assert answer.url == matching_round.get_absolute_url()
