"""Who may use the matching pages and API.

Staff run rounds everywhere; a coordinator runs them for their own youth partner and decides the
proposals for their own mentees. Mentors browse open opportunities and send requests; mentees, DSLs
and funders have nothing to do here. The scene's mentors are full (one place, already taken), so an
"accept" in the matrix is refused by the relationship rules and changes nothing.
"""

import datetime

from django.utils import timezone

from mentoring.tests.url_expectations import TARGETS_PROGRAMME, api, method_not_allowed, per_target
from tests.matrix import OTHER, SAME, Expect, cached, only, signed_in

RUNNERS = ("staff", "coordinator_a", "coordinator_b")


def _round(scene, name, cohort, mentor, mentee):
    from matching.models import MatchingRound, Proposal

    def build():
        matching_round = MatchingRound.objects.create(
            programme=cohort.programme,
            scope=MatchingRound.Scope.COHORT,
            cohort=cohort,
            youth_partner=cohort.youth_partner,
            pool_key=f"cohort:{cohort.pk}",
            status=MatchingRound.Status.DONE,
            progress=100,
        )
        Proposal.objects.create(
            round=matching_round, mentor=mentor, mentee=mentee, cohort=cohort, score=60, explanation="test"
        )
        return matching_round

    return cached(scene, name, build)


def _mentee_b(scene):
    from accounts.tests.factories import MenteeProfileFactory, UserFactory

    return cached(
        scene,
        "waiting_b",
        lambda: (
            MenteeProfileFactory(
                user=UserFactory(email="wes.waiting@example.org", first_name="Wes"),
                age=17,
                youth_partner=scene.partner_b,
                cohort=scene.cohort_b,
            ).user
        ),
    )


def _round_a(scene):
    return _round(scene, "round_a", scene.cohort_a, scene.mentor, scene.unmatched_a)


def _round_b(scene):
    return _round(scene, "round_b", scene.cohort_b, scene.other_mentor, _mentee_b(scene))


def _opportunity(scene, name, cohort):
    from matching.models import Opportunity

    return cached(
        scene,
        name,
        lambda: Opportunity.objects.create(
            cohort=cohort,
            title=f"Mentors for {cohort.youth_partner}",
            description="Year 12 careers mentoring",
        ),
    )


def _interest(scene, name, cohort, mentor):
    from matching.models import InterestExpression

    return cached(
        scene,
        name,
        lambda: InterestExpression.objects.create(
            opportunity=_opportunity(scene, f"opportunity_{name}", cohort),
            mentor=mentor,
            expires_at=timezone.now() + datetime.timedelta(days=5),
        ),
    )


TARGETS_ROUND = {SAME: lambda s: {"pk": _round_a(s).pk}, OTHER: lambda s: {"pk": _round_b(s).pk}}
TARGETS_PROPOSAL = {
    SAME: lambda s: {"pk": _round_a(s).proposals.get().pk},
    OTHER: lambda s: {"pk": _round_b(s).proposals.get().pk},
}
TARGETS_OPPORTUNITY = {
    SAME: lambda s: {"pk": _opportunity(s, "opportunity_a", s.cohort_a).pk},
    OTHER: lambda s: {"pk": _opportunity(s, "opportunity_b", s.cohort_b).pk},
}
TARGETS_INTEREST = {
    SAME: lambda s: {"pk": _interest(s, "interest_a", s.cohort_a, s.other_mentor).pk},
    OTHER: lambda s: {"pk": _interest(s, "interest_b", s.cohort_b, s.mentor).pk},
}


def visible(*personas: str, code: int = 200) -> dict[str, int]:
    return only(dict.fromkeys(personas, code), denied=404)


ROUND_READ = {SAME: visible("staff", "coordinator_a"), OTHER: visible("staff", "coordinator_b")}
DECIDE = {
    SAME: visible("staff", "coordinator_a", code=302),
    OTHER: visible("staff", "coordinator_b", code=302),
}
API_DECIDE = {
    SAME: api(visible("staff", "coordinator_a", code=400)),
    OTHER: api(visible("staff", "coordinator_b", code=400)),
}
INTEREST_DECIDE = {
    SAME: DECIDE[SAME],
    # The mentor sees their own request but cannot answer it.
    OTHER: {**DECIDE[OTHER], "mentor": 403},
}
# Programme staff only; others who may see the programme get 403, the rest 404.
SETTINGS = {
    # An employer contact takes part in no programme, so cannot even see this one.
    SAME: only({"staff": 200, "employer_contact": 404}, denied=403),
    OTHER: only({"staff": 200, "funder": 403, "coordinator_b": 403}, denied=404),
}
MENTOR_REQUEST = {label: only({"mentor": 302}) for label in (SAME, OTHER)}

EXPECTATIONS = {
    "matching:round_list": Expect({"GET": only(RUNNERS), "POST": only(RUNNERS)}),
    "matching:round_detail": Expect(
        {"GET": ROUND_READ, "POST": method_not_allowed(ROUND_READ)}, targets=TARGETS_ROUND
    ),
    "matching:round_progress": Expect(
        {"GET": ROUND_READ, "POST": method_not_allowed(ROUND_READ)}, targets=TARGETS_ROUND
    ),
    "matching:proposal_decide": Expect(
        {"GET": method_not_allowed(DECIDE), "POST": DECIDE}, targets=TARGETS_PROPOSAL
    ),
    "matching:programme_settings": Expect(
        {
            "GET": SETTINGS,
            "POST": SETTINGS,
        },
        targets=TARGETS_PROGRAMME,
    ),
    "matching:manual_match": Expect({"GET": only(RUNNERS), "POST": only(RUNNERS)}),
    "matching:opportunity_list": Expect({"GET": only((*RUNNERS, "mentor")), "POST": only(RUNNERS)}),
    "matching:opportunity_interest": Expect(
        {"GET": method_not_allowed(MENTOR_REQUEST), "POST": MENTOR_REQUEST}, targets=TARGETS_OPPORTUNITY
    ),
    "matching:proposal_list": Expect({"GET": only(RUNNERS), "POST": signed_in(405)}),
    "matching:interest_inbox": Expect({"GET": only(RUNNERS), "POST": signed_in(405)}),
    "matching:interest_decide": Expect(
        {"GET": method_not_allowed(DECIDE), "POST": INTEREST_DECIDE}, targets=TARGETS_INTEREST
    ),
    # API -----------------------------------------------------------------------------------------
    "api:matching-round-list": Expect(
        {"GET": signed_in(200, anonymous=403), "POST": api(only(dict.fromkeys(RUNNERS, 400)))}
    ),
    "api:matching-round-detail": Expect(
        {"GET": per_target(ROUND_READ, api), "DELETE": method_not_allowed(ROUND_READ, anonymous=403)},
        targets=TARGETS_ROUND,
    ),
    "api:matching-proposal-list": Expect(
        {"GET": signed_in(200, anonymous=403), "POST": signed_in(405, anonymous=403)}
    ),
    "api:matching-proposal-detail": Expect(
        {"GET": per_target(ROUND_READ, api), "PATCH": method_not_allowed(ROUND_READ, anonymous=403)},
        targets=TARGETS_PROPOSAL,
    ),
    "api:matching-proposal-accept": Expect(
        {"POST": API_DECIDE, "GET": method_not_allowed(ROUND_READ, anonymous=403)}, targets=TARGETS_PROPOSAL
    ),
    "api:matching-proposal-reject": Expect(
        {"POST": API_DECIDE, "GET": method_not_allowed(ROUND_READ, anonymous=403)}, targets=TARGETS_PROPOSAL
    ),
}
