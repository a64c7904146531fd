import dataclasses

import numpy as np
import pytest

from matching import engine, records
from matching.engine import Reason, RoundRules, Weights
from matching.tests.factories import build, mentee, mentor, mentor_reasons, pairs, reasons, run

WEEKDAY_AFTERNOONS = [(day, "afternoon") for day in ("mon", "tue", "wed", "thu", "fri")]

SPECIAL_CATEGORY_WORDS = (
    "ethnic",
    "race",
    "disab",
    "religio",
    "belief",
    "health",
    "sexual",
    "gender",
    "sex",
    "trans",
    "pregnan",
    "union",
    "political_opinion",
    "biometric",
    "genetic",
)


@pytest.mark.parametrize(
    "table", [engine.MenteeTable, engine.MentorTable, records.MenteeRecord, records.MentorRecord]
)
def test_the_engine_has_no_input_for_special_category_data(table):
    names = [field.name for field in dataclasses.fields(table)]
    assert names, "the table must list its inputs"
    for name in names:
        assert not any(word in name.lower() for word in SPECIAL_CATEGORY_WORDS), name


def test_needs_fit_outweighs_shared_interests():
    result = run(
        [
            mentee(
                "jade",
                needs=["interview_practice"],
                industries=["law"],
                interests=["photography", "music", "chess"],
            )
        ],
        [
            mentor("lawyer", offers=["interview_practice"], industries=["law"]),
            mentor(
                "friend",
                offers=["networking"],
                industries=["finance"],
                interests=["photography", "music", "chess"],
            ),
        ],
    )
    assert pairs(result) == {("jade", "lawyer")}
    assert mentor_reasons(result) == {"friend": Reason.NOT_CHOSEN}


def test_explanation_says_in_plain_words_why_the_pair_fits():
    result = run(
        [
            mentee(
                "jade",
                needs=["interview_practice"],
                industries=["law"],
                interests=["photography", "football"],
                availability=WEEKDAY_AFTERNOONS,
            )
        ],
        [
            mentor(
                "priya",
                offers=["interview_practice"],
                industries=["law"],
                job_title="Solicitor",
                interests=["photography"],
                availability=[*WEEKDAY_AFTERNOONS, ("sat", "morning")],
            )
        ],
    )
    (proposal,) = result.proposals
    assert proposal.explanation == (
        "wants law, mentor is a solicitor; first priority is interview practice, which the mentor offers; "
        "both like photography; same region (London); both free on weekday afternoons"
    )
    # Support, first need, industry, one shared interest of three, four or more shared times,
    # same region, one-to-one as preferred.
    assert proposal.score == 30 + 15 + 25 + 4 + 8 + 6 + 4


def test_explanation_is_honest_about_a_weak_fit():
    result = run(
        [mentee("noah", needs=["networking"], industries=["museums_heritage"], outside_region_ok=True)],
        [mentor("helen", region="west_midlands", offers=["first_job"], industries=["finance"])],
    )
    (proposal,) = result.proposals
    assert "which is not the mentor's industry" in proposal.explanation
    assert "mentor does not offer the support asked for" in proposal.explanation
    assert "as the mentee asked to be matched outside their own" in proposal.explanation
    assert "no free times in common yet" in proposal.explanation


def test_known_optimum_with_a_two_place_mentor():
    mentees = [
        mentee("ava", industries=["law"]),
        mentee("ben", industries=["law"]),
        mentee("cat", industries=["finance"]),
    ]
    mentors = [mentor("law2", industries=["law"], capacity=2), mentor("fin1", industries=["finance"])]
    result = run(mentees, mentors)
    assert pairs(result) == {("ava", "law2"), ("ben", "law2"), ("cat", "fin1")}
    assert result.metrics.share_matched == 1.0
    assert result.metrics.total == 3 * (30 + 15 + 25 + 6 + 4)


def test_locked_pair_is_kept_and_uses_one_of_the_mentors_places():
    mentees = [mentee("ava", industries=["law"]), mentee("ben", industries=["law"]), mentee("cat")]
    mentors = [mentor("law1", industries=["law"]), mentor("other")]
    # Unlocked, ava or ben would get law1; locking cat there takes the only place.
    result = run(mentees, mentors, locked=[("cat", "law1")])
    assert ("cat", "law1") in pairs(result)
    assert [proposal.locked for proposal in result.proposals if proposal.mentee_id == "cat"] == [True]
    assert len(result.proposals) == 2
    assert reasons(result) in ({"ava": Reason.OUTMATCHED}, {"ben": Reason.OUTMATCHED})


def test_locked_pair_that_breaks_a_hard_rule_is_not_kept():
    result = run(
        [mentee("kid", age=16)], [mentor("nocheck", enhanced_check=False)], locked=[("kid", "nocheck")]
    )
    assert result.proposals == []
    (problem,) = result.lock_problems
    assert "enhanced check" in problem.reason
    assert (problem.mentee_id, problem.mentor_id) == ("kid", "nocheck")


def test_more_locked_pairs_than_places_keeps_only_what_fits():
    result = run([mentee("ava"), mentee("ben")], [mentor("one")], locked=[("ava", "one"), ("ben", "one")])
    assert pairs(result) == {("ava", "one")}
    assert [problem.mentee_id for problem in result.lock_problems] == ["ben"]


def test_places_taken_by_current_mentees_are_not_offered_again():
    result = run(
        [mentee("ava"), mentee("ben"), mentee("cat")],
        [mentor("two_one_taken", capacity=2, current_mentees=1), mentor("full", current_mentees=1)],
    )
    assert len(result.proposals) == 1
    assert {proposal.mentor_id for proposal in result.proposals} == {"two_one_taken"}
    assert mentor_reasons(result) == {"full": Reason.MENTOR_NO_PLACES_LEFT}


def test_declared_conflict_excludes_the_pair_from_either_side():
    by_mentee = run([mentee("ava", conflicts=["uncle"])], [mentor("uncle")])
    by_mentor = run([mentee("ava")], [mentor("uncle", conflicts=["ava"])])
    for result in (by_mentee, by_mentor):
        assert result.proposals == []
        assert reasons(result) == {"ava": Reason.CONFLICT_OF_INTEREST}


def test_pair_a_coordinator_rejected_is_not_proposed_again():
    result = run([mentee("ava")], [mentor("x"), mentor("y", offers=[])], rejected=[("ava", "x")])
    assert pairs(result) == {("ava", "y")}


def test_under_18_mentee_needs_a_mentor_with_an_enhanced_check_with_barred_list():
    result = run(
        [mentee("seventeen", age=17), mentee("adult", age=19)],
        [mentor("unchecked", enhanced_check=False, capacity=2)],
    )
    assert pairs(result) == {("adult", "unchecked")}
    assert reasons(result) == {"seventeen": Reason.NO_ENHANCED_CHECK}
    assert "enhanced check with barred list" in result.unmatched_mentees[0].reason_text


def test_under_16_mentee_needs_parental_consent():
    result = run(
        [
            mentee("fifteen", age=15),
            mentee("fifteen_with_consent", age=15, parental_consent=True),
            mentee("sixteen", age=16),
        ],
        [mentor("m", capacity=2), mentor("n")],
    )
    assert {mentee_id for mentee_id, _mentor in pairs(result)} == {"fifteen_with_consent", "sixteen"}
    assert reasons(result) == {"fifteen": Reason.MENTEE_NO_PARENTAL_CONSENT}


def test_under_18_mentee_needs_induction_and_the_programme_may_ask_it_of_everyone():
    mentees = [
        mentee("seventeen", age=17, induction_done=False),
        mentee("adult", age=20, induction_done=False),
    ]
    result = run(mentees, [mentor("m", capacity=2)])
    assert reasons(result) == {"seventeen": Reason.MENTEE_INDUCTION_NOT_DONE}
    strict = run(mentees, [mentor("m", capacity=2)], rules=RoundRules(induction_required_for_all=True))
    assert set(reasons(strict)) == {"seventeen", "adult"}


def test_mentee_without_consent_is_not_matched():
    result = run([mentee("ava", consent=False)], [mentor("m")])
    assert reasons(result) == {"ava": Reason.MENTEE_NO_CONSENT}


def test_mentor_must_be_approved_and_fully_trained():
    result = run(
        [mentee("ava"), mentee("ben")],
        [mentor("unapproved", approved=False), mentor("untrained", fully_trained=False)],
    )
    assert result.proposals == []
    assert mentor_reasons(result) == {
        "unapproved": Reason.MENTOR_NOT_APPROVED,
        "untrained": Reason.MENTOR_NOT_TRAINED,
    }
    assert set(reasons(result).values()) == {Reason.NO_MENTOR_IN_ROUND}


@pytest.mark.parametrize(
    ("mentee_options", "mentor_options", "allowed"),
    [
        ({"remote_ok": False}, {"remote_ok": True}, False),
        ({"remote_ok": True}, {"remote_ok": False}, False),
        ({"remote_ok": True}, {"remote_ok": True}, True),
        # Asking to be matched outside the region widens the search to mentors who meet online,
        # never to a mentor who meets only in person in another region.
        ({"remote_ok": False, "outside_region_ok": True}, {"remote_ok": False}, False),
        ({"remote_ok": True, "outside_region_ok": True}, {"remote_ok": False}, False),
        ({"remote_ok": False, "outside_region_ok": True}, {"remote_ok": True}, True),
        ({"remote_ok": True, "outside_region_ok": True}, {"remote_ok": True}, True),
    ],
)
def test_region_rule_for_in_person_delivery(mentee_options, mentor_options, allowed):
    result = run(
        [mentee("ava", region="london", **mentee_options)],
        [mentor("m", region="west_midlands", **mentor_options)],
    )
    if allowed:
        assert pairs(result) == {("ava", "m")}
    else:
        assert reasons(result) == {"ava": Reason.DIFFERENT_REGION}


def test_same_region_in_person_pair_is_allowed():
    result = run([mentee("ava", remote_ok=False)], [mentor("m", remote_ok=False)])
    assert pairs(result) == {("ava", "m")}


def test_one_to_two_only_where_mentor_and_both_mentees_accepted():
    group_mentor = mentor("pair", capacity=2, open_to_one_to_two=True)
    result = run(
        [mentee("yes1", accepts_one_to_two=True), mentee("yes2", accepts_one_to_two=True), mentee("no")],
        [group_mentor],
    )
    assert pairs(result) == {("yes1", "pair"), ("yes2", "pair")}
    assert reasons(result) == {"no": Reason.ONE_TO_TWO_NOT_ACCEPTED}
    # A two-place mentor who is not open to one-to-two runs two separate one-to-ones.
    separate = run([mentee("no1"), mentee("no2")], [mentor("two", capacity=2)])
    assert pairs(separate) == {("no1", "two"), ("no2", "two")}


def test_same_organisation_pairs_are_excluded():
    result = run([mentee("ava", organisation="Acme")], [mentor("colleague", organisation="Acme")])
    assert reasons(result) == {"ava": Reason.SAME_ORGANISATION}


def test_programme_age_rules():
    mentees = [
        mentee("thirteen", age=13, parental_consent=True),
        mentee("twenty_six", age=26),
        mentee("no_age", age=None),
    ]
    result = run(mentees, [mentor("m", capacity=2)])
    assert reasons(result) == {
        "thirteen": Reason.MENTEE_OUTSIDE_AGE_RANGE,
        "twenty_six": Reason.MENTEE_OUTSIDE_AGE_RANGE,
        "no_age": Reason.MENTEE_AGE_MISSING,
    }
    wider = run(mentees, [mentor("m", capacity=2)], rules=RoundRules(mentee_min_age=11, mentee_max_age=30))
    assert len(wider.proposals) == 2


def test_contradictory_profiles_make_a_person_ineligible_with_a_reason():
    result = run(
        [mentee("ava", prefers_one_to_two=True, accepts_one_to_two=False), mentee("ben", region=None)],
        [mentor("one_place_pair", capacity=1, open_to_one_to_two=True), mentor("m")],
    )
    assert reasons(result)["ava"] == Reason.MENTEE_ONE_TO_TWO_CONTRADICTION
    assert reasons(result)["ben"] == Reason.MENTEE_REGION_MISSING
    assert mentor_reasons(result)["one_place_pair"] == Reason.MENTOR_ONE_TO_TWO_CONTRADICTION


def test_age_flags_that_disagree_with_the_age_are_caught():
    built = build([mentee("ava", age=17)], [mentor("m")])
    table = dataclasses.replace(built.mentees, under_18=np.array([False]))
    assert engine.mentee_reasons(table, RoundRules())[0] == Reason.MENTEE_AGE_CONTRADICTS_FLAGS


def test_a_mentee_with_no_eligible_mentor_is_told_the_commonest_reason():
    result = run(
        [mentee("kid", age=16, remote_ok=False)],
        [
            mentor("far", region="west_midlands"),
            mentor("unchecked1", enhanced_check=False),
            mentor("unchecked2", enhanced_check=False),
        ],
    )
    assert reasons(result) == {"kid": Reason.NO_ENHANCED_CHECK}


def test_pair_reasons_explain_any_pair():
    built = build(
        [mentee("kid", age=15, parental_consent=True), mentee("adult")],
        [mentor("unchecked", enhanced_check=False)],
    )
    codes = engine.pair_reasons(built.mentees, built.mentors, [0, 1], [0, 0], rules=RoundRules())
    assert codes.tolist() == [Reason.NO_ENHANCED_CHECK, Reason.OK]


def test_mentors_left_out_are_told_why():
    result = run(
        [mentee("ava", industries=["law"])],
        [
            mentor("law", industries=["law"]),
            mentor("other"),
            mentor("far", region="west_midlands", remote_ok=False),
        ],
    )
    assert mentor_reasons(result) == {"other": Reason.NOT_CHOSEN, "far": Reason.NO_ELIGIBLE_MENTEE}


def test_first_priority_need_metric_counts_all_mentees():
    result = run(
        [
            mentee("met", needs=["apprenticeships"]),
            mentee("unmet", needs=["study_skills", "career_options"]),
            mentee("none", consent=False),
        ],
        [mentor("a", offers=["apprenticeships"]), mentor("b", offers=["career_options"])],
    )
    assert result.metrics.share_first_need_met == pytest.approx(1 / 3)
    assert result.metrics.share_matched == pytest.approx(2 / 3)


def test_round_is_deterministic():
    mentees = [mentee(f"e{index}", interests=["music"]) for index in range(12)]
    mentors = [mentor(f"o{index}", capacity=1 + index % 2, interests=["music"]) for index in range(8)]
    first = run(mentees, mentors)
    for _ in range(3):
        again = run(mentees, mentors)
        assert again.proposals == first.proposals
        assert again.unmatched_mentees == first.unmatched_mentees


def test_worst_off_option_reports_its_cost_on_a_round():
    # ava fits both mentors; ben only fits the law mentor well.
    mentees = [
        mentee("ava", industries=["law", "finance"]),
        mentee("ben", industries=["law"], needs=["networking"]),
    ]
    mentors = [
        mentor("law", industries=["law"], offers=["career_options", "networking"]),
        mentor("fin", industries=["finance"]),
    ]
    plain = run(mentees, mentors)
    protected = run(mentees, mentors, protect_worst_off=True)
    assert protected.metrics.lowest_score >= plain.metrics.lowest_score
    assert protected.metrics.lowest_score_before_protection == plain.metrics.lowest_score
    assert protected.metrics.protection_cost == pytest.approx(plain.metrics.total - protected.metrics.total)
    assert protected.metrics.worst_off_protected


def test_weights_change_the_ranking():
    mentees = [mentee("ava", needs=["networking"], industries=["law"], interests=["music", "chess", "film"])]
    mentors = [
        mentor("lawyer", offers=["networking"], industries=["law"]),
        mentor("fan", offers=["networking"], industries=["finance"], interests=["music", "chess", "film"]),
    ]
    assert pairs(run(mentees, mentors)) == {("ava", "lawyer")}
    interests_first = Weights(industry=1, interests=60)
    assert pairs(run(mentees, mentors, weights=interests_first)) == {("ava", "fan")}


@pytest.mark.parametrize("text", ["support", "colour=3", "support=lots", "support=-1"])
def test_bad_weights_are_refused(text):
    with pytest.raises(ValueError):
        Weights.parse(text)


def test_weights_parse_keeps_defaults_for_unnamed_parts():
    weights = Weights.parse("support=40, interests=5")
    assert (weights.support, weights.interests, weights.industry) == (40, 5, Weights().industry)


def test_large_pools_keep_at_most_top_k_candidates_per_mentee_and_fall_back_when_the_pool_is_empty():
    rng = np.random.default_rng(1)
    n_mentors = 400
    mentors = [
        mentor(
            f"o{index}",
            offers=["career_options"],
            industries=["law"],
            enhanced_check=index >= 390,
            interests=["music"] if rng.random() < 0.5 else [],
        )
        for index in range(n_mentors)
    ]
    mentees = [mentee(f"e{index}", industries=["law"]) for index in range(30)] + [
        mentee("kid", age=16, industries=["law"])
    ]
    built = build(mentees, mentors, rejected=[("kid", "o395")])
    candidates = engine.generate_candidates(
        built.mentees,
        built.mentors,
        rules=RoundRules(),
        weights=Weights(),
        exclusions=built.exclusions,
        top_k=5,
        pool_size=50,
    )
    assert not candidates.exhaustive
    counts = np.bincount(candidates.mentee, minlength=len(mentees))
    assert counts.max() <= 5
    # The kid's pool (the first 50 plausible mentors) has nobody checked; the fallback finds the ten who are.
    kid = built.mentee_row["kid"]
    kid_mentors = candidates.mentor[candidates.mentee == kid]
    assert len(kid_mentors) == 5 and (kid_mentors >= 390).all()
    assert built.mentor_row["o395"] not in kid_mentors
    # Candidates are sorted by mentee, best score first.
    for row in range(len(mentees)):
        scores = candidates.score[candidates.mentee == row]
        assert (np.diff(scores) <= 0).all()


def test_small_pools_consider_every_eligible_pair():
    built = build([mentee("ava")], [mentor("a"), mentor("b")])
    candidates = engine.generate_candidates(
        built.mentees, built.mentors, rules=RoundRules(), weights=Weights()
    )
    assert candidates.exhaustive and len(candidates) == 2


def test_tables_refuse_columns_of_the_wrong_length():
    built = build([mentee("ava")], [mentor("m")])
    columns = {field.name: getattr(built.mentors, field.name) for field in dataclasses.fields(built.mentors)}
    columns["capacity"] = np.array([1, 2])
    with pytest.raises(ValueError, match="capacity"):
        engine.make_table(engine.MentorTable, **columns)


def test_records_with_unknown_codes_are_refused():
    with pytest.raises(ValueError, match="unknown support"):
        build([mentee("ava", needs=["juggling"])], [mentor("m")])
    with pytest.raises(ValueError, match="unknown region"):
        build([mentee("ava", region="atlantis")], [mentor("m")])
    with pytest.raises(ValueError, match="twice"):
        build([mentee("ava"), mentee("ava")], [mentor("m")])


def test_a_round_with_nobody_on_one_side_reports_everyone_on_the_other():
    no_mentors = run([mentee("ava")], [])
    assert no_mentors.proposals == [] and reasons(no_mentors) == {"ava": Reason.NO_MENTOR_IN_ROUND}
    no_mentees = run([], [mentor("m")])
    assert no_mentees.proposals == [] and mentor_reasons(no_mentees) == {"m": Reason.NO_ELIGIBLE_MENTEE}
    assert no_mentees.metrics.share_matched == 0.0
