"""The matching engine: eligibility, scoring and sparse candidate generation over numpy arrays.

The engine knows nothing about the database. It takes a mentee table and a mentor table (one
array per fact, one row per person; `matching.records.build_tables` builds them from plain
Python records) and works on whole arrays at a time, so a national pool is handled without a
Python loop over pairs.

What goes in is deliberately narrow. Ethnicity, disability, religion, health, sexuality,
gender and every other special category of personal data are never an input: the tables have
no field for them, so they cannot feed eligibility or scoring (a test checks the field lists).

Hard rules are masks. Each failing rule has a `Reason` code, and people and pairs that a rule
excludes are reported with its plain-English text. Person rules (approval, training, consent,
induction, age, missing or contradictory data) remove a person from the round; pair rules
(enhanced check for under-18s, region, one-to-two, same organisation, declared conflicts,
pairs a coordinator rejected) remove a pair.

Scores are points out of 100 (configurable weights), held as integer hundredths so that the
solver, the greedy baseline and the tests all agree exactly.
"""

from __future__ import annotations

import enum
import functools
import gc
from contextlib import contextmanager
from dataclasses import dataclass, field, fields

import numpy as np

# Reasons --------------------------------------------------------------------------------------


class Reason(enum.IntEnum):
    OK = 0
    # Mentee, person level.
    MENTEE_AGE_MISSING = 1
    MENTEE_AGE_CONTRADICTS_FLAGS = 2
    MENTEE_OUTSIDE_AGE_RANGE = 3
    MENTEE_NO_CONSENT = 4
    MENTEE_NO_PARENTAL_CONSENT = 5
    MENTEE_INDUCTION_NOT_DONE = 6
    MENTEE_REGION_MISSING = 7
    MENTEE_ONE_TO_TWO_CONTRADICTION = 8
    MENTEE_FIRST_NEED_NOT_LISTED = 9
    # Mentor, person level.
    MENTOR_NOT_APPROVED = 20
    MENTOR_NOT_TRAINED = 21
    MENTOR_CAPACITY_INVALID = 22
    MENTOR_ONE_TO_TWO_CONTRADICTION = 23
    MENTOR_REGION_MISSING = 24
    MENTOR_NO_PLACES_LEFT = 25
    # Pair level.
    NO_ENHANCED_CHECK = 40
    DIFFERENT_REGION = 41
    ONE_TO_TWO_NOT_ACCEPTED = 42
    SAME_ORGANISATION = 43
    CONFLICT_OF_INTEREST = 44
    REJECTED_BEFORE = 45
    # Outcomes that are not rules.
    NO_MENTOR_IN_ROUND = 60
    OUTMATCHED = 61
    NO_ELIGIBLE_MENTEE = 62
    NOT_CHOSEN = 63
    TAKEN_BY_CLOSER_OR_APPROVED = 64
    TAKEN_OR_BELOW_PROTECTED = 65
    OUTMATCHED_AMONG_COMPARED = 66
    NO_PLACE_FOUND = 67
    MENTOR_NOT_PLACED = 69
    NOT_CHOSEN_AMONG_COMPARED = 70


REASON_TEXT: dict[Reason, str] = {
    Reason.OK: "eligible",
    Reason.MENTEE_AGE_MISSING: "the mentee's age is not recorded",
    Reason.MENTEE_AGE_CONTRADICTS_FLAGS: "the mentee's age and their under-18 or under-16 record disagree",
    Reason.MENTEE_OUTSIDE_AGE_RANGE: "the mentee is outside the programme's age range",
    Reason.MENTEE_NO_CONSENT: "the mentee's consent is not recorded",
    Reason.MENTEE_NO_PARENTAL_CONSENT: "the mentee is under 16 and parental consent is not recorded",
    Reason.MENTEE_INDUCTION_NOT_DONE: "the mentee has not completed their induction",
    Reason.MENTEE_REGION_MISSING: "the mentee's region is not recorded",
    Reason.MENTEE_ONE_TO_TWO_CONTRADICTION: "the mentee prefers one-to-two but has not accepted it",
    Reason.MENTEE_FIRST_NEED_NOT_LISTED: "the mentee's first-priority need is not among their needs",
    Reason.MENTOR_NOT_APPROVED: "the mentor has not been approved",
    Reason.MENTOR_NOT_TRAINED: "the mentor has not finished their training",
    Reason.MENTOR_CAPACITY_INVALID: "the mentor's number of places is not one or two",
    Reason.MENTOR_ONE_TO_TWO_CONTRADICTION: "the mentor is open to one-to-two but has only one place",
    Reason.MENTOR_REGION_MISSING: "the mentor's region is not recorded",
    Reason.MENTOR_NO_PLACES_LEFT: "the mentor's places are already taken by confirmed matches",
    Reason.NO_ENHANCED_CHECK: "the mentee is under 18 and the mentor has no valid enhanced check "
    "with barred list",
    Reason.DIFFERENT_REGION: "they are in different regions and meet in person",
    Reason.ONE_TO_TWO_NOT_ACCEPTED: "the mentor mentors two together and the mentee has not accepted "
    "one-to-two",
    Reason.SAME_ORGANISATION: "they belong to the same organisation",
    Reason.CONFLICT_OF_INTEREST: "a conflict of interest was declared",
    Reason.REJECTED_BEFORE: "a coordinator has already rejected this pair",
    Reason.NO_MENTOR_IN_ROUND: "no mentor in this round is eligible",
    Reason.OUTMATCHED: "every eligible mentor was a closer fit for other mentees in this round",
    Reason.NO_ELIGIBLE_MENTEE: "no mentee in this round is an eligible match",
    Reason.NOT_CHOSEN: "the eligible mentees were a closer fit for other mentors in this round",
    Reason.TAKEN_BY_CLOSER_OR_APPROVED: "every eligible mentor's places went to mentees who fit them at "
    "least as well or to pairs already approved",
    Reason.TAKEN_OR_BELOW_PROTECTED: "every eligible mentor's places went to mentees who fit them at "
    "least as well, or would have given this mentee a score below the lowest score the round protects",
    Reason.OUTMATCHED_AMONG_COMPARED: "the eligible mentors who fit them best were each a closer fit "
    "for other mentees in this round (the round was too large to compare every mentor)",
    Reason.NO_PLACE_FOUND: "no place was found for them in this round's matching",
    Reason.MENTOR_NOT_PLACED: "no mentee was placed with them in this round's matching",
    Reason.NOT_CHOSEN_AMONG_COMPARED: "the eligible mentees they were compared with were a closer fit "
    "for other mentors in this round (the round was too large to compare every mentee)",
}

PAIR_REASONS = (
    Reason.NO_ENHANCED_CHECK,
    Reason.DIFFERENT_REGION,
    Reason.ONE_TO_TWO_NOT_ACCEPTED,
    Reason.SAME_ORGANISATION,
    Reason.CONFLICT_OF_INTEREST,
    Reason.REJECTED_BEFORE,
)


def reason_text(code: int) -> str:
    return REASON_TEXT[Reason(int(code))]


# Tables ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MenteeTable:
    """One row per mentee. Bitmasks follow matching.taxonomy; -1 means not recorded."""

    ids: np.ndarray  # the caller's ids, any dtype
    region: np.ndarray  # int16 region code, -1 not recorded
    remote_ok: np.ndarray  # bool: may meet online
    outside_region_ok: np.ndarray  # bool: asked to be matched outside their region
    needs: np.ndarray  # uint64 bitmask over taxonomy.SUPPORT
    first_need: np.ndarray  # int16 bit of the first-priority need, -1 none
    industries: np.ndarray  # uint64 bitmask over taxonomy.INDUSTRIES (industries of interest)
    interests: np.ndarray  # uint64 bitmask over taxonomy.INTERESTS
    availability: np.ndarray  # uint32 bitmask: 7 days x 4 parts of the day
    accepts_one_to_two: np.ndarray  # bool
    prefers_one_to_two: np.ndarray  # bool
    age: np.ndarray  # int16 years, -1 not recorded
    under_18: np.ndarray  # bool
    under_16: np.ndarray  # bool
    consent: np.ndarray  # bool: the mentee's consent is recorded
    parental_consent: np.ndarray  # bool: a parent's consent is recorded
    induction_done: np.ndarray  # bool
    organisation: np.ndarray  # int64 organisation id (school, college, employer), -1 none

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class MentorTable:
    """One row per mentor. Bitmasks follow matching.taxonomy; -1 means not recorded."""

    ids: np.ndarray
    region: np.ndarray  # int16
    remote_ok: np.ndarray  # bool: will meet online
    offers: np.ndarray  # uint64 bitmask over taxonomy.SUPPORT
    industries: np.ndarray  # uint64 bitmask over taxonomy.INDUSTRIES (where they work)
    interests: np.ndarray  # uint64
    availability: np.ndarray  # uint32
    capacity: np.ndarray  # int8: places, one or two
    open_to_one_to_two: np.ndarray  # bool: mentors two mentees together
    approved: np.ndarray  # bool
    fully_trained: np.ndarray  # bool
    enhanced_check: np.ndarray  # bool: valid enhanced check with barred list
    organisation: np.ndarray  # int64 employer or organisation id, -1 none

    def __len__(self) -> int:
        return len(self.ids)

    @functools.cached_property
    def group_mode(self) -> np.ndarray:
        """Mentors who mentor their two mentees together (one-to-two)."""
        return self.open_to_one_to_two & (self.capacity == 2)

    @functools.cached_property
    def pair_masks(self) -> tuple[type, np.ndarray, np.ndarray, np.ndarray]:
        """Offers, industries and interests in 32 bits when every mask fits (the taxonomy's do), with
        that type: a pair's shared bits only need the mentor's, so the mentee's are cut to match."""
        masks = (self.offers, self.industries, self.interests)
        fits = all(int(mask.max(initial=0)) >> 32 == 0 for mask in masks)
        mask_type = np.uint32 if fits else np.uint64
        return (mask_type, *(mask.astype(mask_type) for mask in masks))


_DTYPES = {
    "region": np.int16,
    "remote_ok": np.bool_,
    "outside_region_ok": np.bool_,
    "needs": np.uint64,
    "offers": np.uint64,
    "first_need": np.int16,
    "industries": np.uint64,
    "interests": np.uint64,
    "availability": np.uint32,
    "accepts_one_to_two": np.bool_,
    "prefers_one_to_two": np.bool_,
    "age": np.int16,
    "under_18": np.bool_,
    "under_16": np.bool_,
    "consent": np.bool_,
    "parental_consent": np.bool_,
    "induction_done": np.bool_,
    "organisation": np.int64,
    "capacity": np.int8,
    "open_to_one_to_two": np.bool_,
    "approved": np.bool_,
    "fully_trained": np.bool_,
    "enhanced_check": np.bool_,
}


def make_table(cls, **columns):
    """Build a table with every column converted to the engine's dtype and checked for length."""
    converted = {}
    length = len(columns["ids"])
    for table_field in fields(cls):
        values = columns[table_field.name]
        array = (
            np.asarray(values) if table_field.name == "ids" else np.asarray(values, _DTYPES[table_field.name])
        )
        if array.shape != (length,):
            raise ValueError(f"{table_field.name} has shape {array.shape}, expected ({length},)")
        converted[table_field.name] = array
    return cls(**converted)


# Configuration -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundRules:
    """Programme rules that decide eligibility."""

    mentee_min_age: int = 14
    mentee_max_age: int = 25
    # Induction is mandatory for under-18s; some programmes ask it of everyone.
    induction_required_for_all: bool = False


@dataclass(frozen=True)
class Weights:
    """Points for each part of the score. Needs fit (support, first need, industry) comes first."""

    support: float = 30.0  # share of the support the mentee wants that the mentor offers
    first_need: float = 15.0  # the mentee's first-priority need is offered
    industry: float = 25.0  # the mentor works in an industry the mentee is interested in
    interests: float = 12.0  # shared interests (three or more count in full)
    availability: float = 8.0  # shared free times (four or more count in full)
    geography: float = 6.0  # same region
    preferences: float = 4.0  # one-to-one or one-to-two as the mentee prefers

    NAMES = ("support", "first_need", "industry", "interests", "availability", "geography", "preferences")

    @property
    def total(self) -> float:
        return sum(getattr(self, name) for name in self.NAMES)

    @classmethod
    def parse(cls, text: str) -> Weights:
        """Weights from "support=30,industry=20"; names not given keep their defaults."""
        values = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            name, separator, number = item.partition("=")
            name = name.strip()
            if not separator or name not in cls.NAMES:
                raise ValueError(
                    f"unknown weight {item!r}; use name=number with names {', '.join(cls.NAMES)}"
                )
            try:
                value = float(number)
            except ValueError:
                raise ValueError(f"weight {name} must be a number, not {number.strip()!r}") from None
            if not (0 <= value <= 1000):
                raise ValueError(f"weight {name} must be between 0 and 1000")
            values[name] = value
        return cls(**values)


INTEREST_FULL = 3
AVAILABILITY_FULL = 4
SCALE = 100  # scores are held as integer hundredths of a point


@dataclass(frozen=True)
class Exclusions:
    """Pairs excluded by people, not rules: declared conflicts and pairs a coordinator rejected.

    Pairs are row positions in the tables (mentee row, mentor row)."""

    conflicts: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    rejected: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))

    def keys(self, n_mentors: int) -> tuple[np.ndarray, np.ndarray]:
        """Sorted pair keys (mentee * n_mentors + mentor) and their reason code."""
        conflicts = np.asarray(self.conflicts, np.int64).reshape(-1, 2)
        rejected = np.asarray(self.rejected, np.int64).reshape(-1, 2)
        keys = np.concatenate(
            [conflicts[:, 0] * n_mentors + conflicts[:, 1], rejected[:, 0] * n_mentors + rejected[:, 1]]
        )
        codes = np.concatenate(
            [
                np.full(len(conflicts), Reason.CONFLICT_OF_INTEREST, np.uint8),
                np.full(len(rejected), Reason.REJECTED_BEFORE, np.uint8),
            ]
        )
        # A conflict outranks a rejection for the same pair: stable sort keeps conflicts first.
        order = np.argsort(keys, kind="stable")
        keys, codes = keys[order], codes[order]
        first = np.ones(len(keys), bool)
        first[1:] = keys[1:] != keys[:-1]
        return keys[first], codes[first]


# Person rules --------------------------------------------------------------------------------


def _first_failing(checks: list[tuple[Reason, np.ndarray]], length: int) -> np.ndarray:
    """The first failing rule's code per row (0 when every rule passes)."""
    reasons = np.zeros(length, np.uint8)
    for code, failing in reversed(checks):
        reasons[failing] = code
    return reasons


def mentee_reasons(mentees: MenteeTable, rules: RoundRules) -> np.ndarray:
    age = mentees.age.astype(np.int32)
    known = age >= 0
    needs_induction = mentees.under_18 | rules.induction_required_for_all
    first = mentees.first_need.astype(np.int64)
    first_listed = (mentees.needs >> np.clip(first, 0, 63).astype(np.uint64)) & np.uint64(1)
    checks = [
        (Reason.MENTEE_AGE_MISSING, ~known),
        (
            Reason.MENTEE_AGE_CONTRADICTS_FLAGS,
            known & ((mentees.under_18 != (age < 18)) | (mentees.under_16 != (age < 16))),
        ),
        (
            Reason.MENTEE_OUTSIDE_AGE_RANGE,
            known & ((age < rules.mentee_min_age) | (age > rules.mentee_max_age)),
        ),
        (Reason.MENTEE_NO_CONSENT, ~mentees.consent),
        (
            Reason.MENTEE_NO_PARENTAL_CONSENT,
            (mentees.under_16 | (known & (age < 16))) & ~mentees.parental_consent,
        ),
        (Reason.MENTEE_INDUCTION_NOT_DONE, needs_induction & ~mentees.induction_done),
        (Reason.MENTEE_REGION_MISSING, mentees.region < 0),
        (Reason.MENTEE_ONE_TO_TWO_CONTRADICTION, mentees.prefers_one_to_two & ~mentees.accepts_one_to_two),
        (Reason.MENTEE_FIRST_NEED_NOT_LISTED, (first >= 0) & ((first > 63) | (first_listed == 0))),
    ]
    return _first_failing(checks, len(mentees))


def mentor_reasons(mentors: MentorTable) -> np.ndarray:
    checks = [
        (Reason.MENTOR_NOT_APPROVED, ~mentors.approved),
        (Reason.MENTOR_NOT_TRAINED, ~mentors.fully_trained),
        (Reason.MENTOR_CAPACITY_INVALID, (mentors.capacity < 1) | (mentors.capacity > 2)),
        (Reason.MENTOR_ONE_TO_TWO_CONTRADICTION, mentors.open_to_one_to_two & (mentors.capacity == 1)),
        (Reason.MENTOR_REGION_MISSING, mentors.region < 0),
    ]
    return _first_failing(checks, len(mentors))


# Pair rules and scores (broadcasting: pass me[:, None], mo[None, :] for a block, or two 1-D arrays)


def _pair_reasons(mentees: MenteeTable, mentors: MentorTable, me, mo, exclusion_keys, exclusion_codes):
    """First failing pair rule per pair (0 when the pair passes every pair rule)."""
    same_region = mentees.region[me] == mentors.region[mo]
    # Across regions only with a mentor who meets online: with a mentee who does too, or who asked
    # to be matched outside their region. Two people who meet only in person share a region.
    may_cross = mentors.remote_ok[mo] & (mentees.remote_ok[me] | mentees.outside_region_ok[me])
    mentee_org = mentees.organisation[me]
    checks = [
        (Reason.NO_ENHANCED_CHECK, mentees.under_18[me] & ~mentors.enhanced_check[mo]),
        (Reason.DIFFERENT_REGION, ~same_region & ~may_cross),
        (Reason.ONE_TO_TWO_NOT_ACCEPTED, mentors.group_mode[mo] & ~mentees.accepts_one_to_two[me]),
        (Reason.SAME_ORGANISATION, (mentee_org >= 0) & (mentee_org == mentors.organisation[mo])),
    ]
    shape = np.broadcast_shapes(np.shape(me), np.shape(mo))
    reasons = np.zeros(shape, np.uint8)
    for code, failing in reversed(checks):
        reasons[np.broadcast_to(failing, shape)] = code
    # Exclusions are few: look them up only when one of these mentees has any.
    if len(exclusion_keys) and np.isin(np.ravel(me), exclusion_keys // len(mentors)).any():
        keys = np.asarray(me, np.int64) * len(mentors) + np.asarray(mo, np.int64)
        keys = np.broadcast_to(keys, shape)
        position = np.searchsorted(exclusion_keys, keys)
        position = np.minimum(position, len(exclusion_keys) - 1)
        hit = (exclusion_keys[position] == keys) & (reasons == 0)
        reasons[hit] = exclusion_codes[position[hit]]
    return reasons


def _pair_blocked(mentees: MenteeTable, mentors: MentorTable, me, mo, exclusion_keys, exclusion_codes):
    """True where a pair rule forbids the pair: the same rules as `_pair_reasons`, without naming which."""
    blocked = mentees.region[me] != mentors.region[mo]
    blocked &= ~(mentors.remote_ok[mo] & (mentees.remote_ok[me] | mentees.outside_region_ok[me]))
    blocked |= mentees.under_18[me] & ~mentors.enhanced_check[mo]
    blocked |= mentors.group_mode[mo] & ~mentees.accepts_one_to_two[me]
    mentee_org = mentees.organisation[me]
    blocked |= (mentee_org >= 0) & (mentee_org == mentors.organisation[mo])
    if len(exclusion_keys) and np.isin(np.ravel(me), exclusion_keys // len(mentors)).any():
        blocked |= _pair_reasons(mentees, mentors, me, mo, exclusion_keys, exclusion_codes) != 0
    return blocked


def _popcount(values) -> np.ndarray:
    return np.bitwise_count(values)


def pair_components(mentees: MenteeTable, mentors: MentorTable, me, mo) -> dict[str, np.ndarray]:
    """Each score part in [0, 1] for the pairs (broadcasting)."""
    wanted = mentees.needs[me]
    offered_wanted = _popcount(wanted & mentors.offers[mo])
    wanted_count = np.maximum(_popcount(wanted), 1)
    first = mentees.first_need[me]
    first_met = (first >= 0) & (
        ((mentors.offers[mo] >> np.clip(first, 0, 63).astype(np.uint64)) & np.uint64(1)) == 1
    )
    return {
        "support": offered_wanted / wanted_count,
        "first_need": first_met,
        "industry": (mentees.industries[me] & mentors.industries[mo]) != 0,
        "interests": np.minimum(_popcount(mentees.interests[me] & mentors.interests[mo]), INTEREST_FULL)
        / INTEREST_FULL,
        "availability": np.minimum(
            _popcount(mentees.availability[me] & mentors.availability[mo]), AVAILABILITY_FULL
        )
        / AVAILABILITY_FULL,
        "geography": mentees.region[me] == mentors.region[mo],
        "preferences": mentees.prefers_one_to_two[me] == mentors.group_mode[mo],
    }


_BITS = 65  # 0..64 bits set in a uint64 mask


@functools.lru_cache(maxsize=32)
def _score_tables(weights: Weights) -> tuple[np.ndarray, np.ndarray]:
    """Integer points by lookup: support by (wanted, offered) counts, the rest by a packed index.

    The score is the support part plus the rest, each rounded to hundredths; every caller
    scores through these tables, so the engine, the solver and the tests agree exactly."""
    wanted = np.arange(_BITS)[:, None]
    offered = np.arange(_BITS)[None, :]
    support = np.rint(weights.support * SCALE * np.minimum(offered, wanted) / np.maximum(wanted, 1)).astype(
        np.int32
    )
    interests, availability, industry, geography, preferences, first_need = np.meshgrid(
        np.arange(INTEREST_FULL + 1),
        np.arange(AVAILABILITY_FULL + 1),
        np.arange(2),
        np.arange(2),
        np.arange(2),
        np.arange(2),
        indexing="ij",
    )
    rest = (
        weights.interests * interests / INTEREST_FULL
        + weights.availability * availability / AVAILABILITY_FULL
        + weights.industry * industry
        + weights.geography * geography
        + weights.preferences * preferences
        + weights.first_need * first_need
    )
    return support.ravel(), np.rint(rest * SCALE).astype(np.int32).ravel()


_REST = 2 * 2 * 2 * 2 * (AVAILABILITY_FULL + 1) * (INTEREST_FULL + 1)  # entries of the rest table


@functools.lru_cache(maxsize=32)
def _pair_score_table(weights: Weights) -> np.ndarray:
    """`_score_tables` added together: the score at (wanted count * _BITS + offered count) * _REST +
    the rest's packed index, so that a pair takes one lookup instead of two and an addition (the
    same integers: each entry is the same sum of the two)."""
    support_table, rest_table = _score_tables(weights)
    return (support_table[:, None] + rest_table[None, :]).ravel()


_TABLE_SIZE = _BITS * _BITS * _REST  # entries of _pair_score_table


@functools.lru_cache(maxsize=32)
def _pair_score_table_blocked(weights: Weights) -> np.ndarray:
    """`_pair_score_table` followed by as many -1s, for pairs a rule forbids."""
    table = _pair_score_table(weights)
    return np.concatenate([table, np.full(len(table), -1, table.dtype)])


def pair_scores(mentees: MenteeTable, mentors: MentorTable, me, mo, weights: Weights) -> np.ndarray:
    """Scores in integer hundredths of a point (broadcasting)."""
    support_table, rest_table = _score_tables(weights)
    wanted = mentees.needs[me]
    support_index = _popcount(wanted).astype(np.uint16) * np.uint16(_BITS) + _popcount(
        wanted & mentors.offers[mo]
    )
    first = mentees.first_need[me]
    first_met = (first >= 0) & (
        ((mentors.offers[mo] >> np.clip(first, 0, 63).astype(np.uint64)) & np.uint64(1)) == 1
    )
    index = np.minimum(_popcount(mentees.interests[me] & mentors.interests[mo]), INTEREST_FULL).astype(
        np.uint16
    )
    index *= np.uint16(AVAILABILITY_FULL + 1)
    index += np.minimum(_popcount(mentees.availability[me] & mentors.availability[mo]), AVAILABILITY_FULL)
    index *= np.uint16(2)
    index += (mentees.industries[me] & mentors.industries[mo]) != 0
    index *= np.uint16(2)
    index += mentees.region[me] == mentors.region[mo]
    index *= np.uint16(2)
    index += mentees.prefers_one_to_two[me] == mentors.group_mode[mo]
    index *= np.uint16(2)
    index += first_met
    return support_table[support_index] + rest_table[index]


class _GroupScorer:
    """Scores against one pool of mentors for mentees who share a region, a reach (whether they may
    meet mentors in other regions online) and a first-priority need, as generate_candidates' groups
    do: the same numbers as `pair_scores` with `_pair_blocked` pairs set to -1, with what depends
    only on the mentor for the whole group (the region rule, the same region, the first need
    offered, the one-to-two parts) worked out once per group instead of once per pair.

    `shares_organisation` marks the mentees whose organisation some mentor belongs to (None: found
    here); only their rows are compared with the pool's organisations."""

    def __init__(
        self,
        mentees,
        mentors,
        weights,
        lead,
        pool,
        exclusion_keys,
        exclusion_codes,
        shares_organisation=None,
        sides: _MentorSides | None = None,
    ):
        self.mentees, self.mentors, self.pool = mentees, mentors, pool
        self.exclusion_keys, self.exclusion_codes = exclusion_keys, exclusion_codes
        self.shares_organisation = shares_organisation
        self.table = _pair_score_table_blocked(weights)
        sides = sides or _MentorSides(mentors)
        may_cross = bool(mentees.remote_ok[lead] | mentees.outside_region_ok[lead])
        kind = sides.kinds(int(mentees.region[lead]), int(mentees.first_need[lead]))[pool]
        # The index's tail (same region, preference met, first need met) and the rules on the
        # mentor's side, by (rule) * 2 + (preference): see _MentorSides.tails.
        self.tail = np.take(_MentorSides.tails(may_cross), kind, axis=1)
        self.mask_type = sides.mask_type
        masks = np.take(sides.masks, pool, axis=1)
        self.offers, self.industries, self.interests, self.availability = (
            masks[row : row + 1] for row in range(4)
        )
        self.organisation = mentors.organisation[pool]

    def scores(self, block: np.ndarray) -> np.ndarray:
        """Scores (int32 hundredths) for block x pool, -1 where a pair rule forbids the pair."""
        mentees, mask_type = self.mentees, self.mask_type
        wanted = mentees.needs[block]
        # One lookup per pair in the score table. The index is (((offered * 4 + interests) * 5 +
        # free times) * 2 + industry) * 8 + tail, plus the row's wanted count times _BITS * _REST:
        # the small part is put together in 8 and 16 bits (two and four times as many numbers
        # per instruction as 32), and only then widened.
        width = len(self.pool)
        small = _popcount(mentees.interests[block][:, None].astype(mask_type) & self.interests)
        np.minimum(small, _filled_row(INTEREST_FULL, width), out=small)
        small *= np.uint8(AVAILABILITY_FULL + 1)
        shared = _popcount(mentees.availability[block][:, None] & self.availability)
        np.minimum(shared, _filled_row(AVAILABILITY_FULL, width), out=shared)
        small += shared
        small *= np.uint8(2)
        small += (mentees.industries[block][:, None].astype(mask_type) & self.industries) != 0
        offered = _popcount(wanted[:, None].astype(mask_type) & self.offers)
        middle = np.multiply(offered, np.uint16(_REST // 8), dtype=np.uint16)
        middle += small
        index = np.multiply(middle, np.int32(8), dtype=np.int32)
        index += (_popcount(wanted).astype(np.int32) * (_BITS * _REST))[:, None]
        code = mentees.under_18[block].astype(np.intp) * 4
        code += mentees.accepts_one_to_two[block] * 2
        code += mentees.prefers_one_to_two[block]
        index += self.tail[code]
        scores = np.take(self.table, index)
        # The same organisation, only for the rows of mentees whose organisation a mentor has.
        organisation = mentees.organisation[block]
        if self.shares_organisation is None:
            sharing = np.flatnonzero((organisation >= 0) & np.isin(organisation, self.organisation))
        else:
            sharing = np.flatnonzero(self.shares_organisation[block])
        if len(sharing):
            rows = scores[sharing]
            np.putmask(rows, organisation[sharing][:, None] == self.organisation[None, :], -1)
            scores[sharing] = rows
        keys = self.exclusion_keys
        if len(keys) and np.isin(block, keys // len(self.mentors)).any():
            me, mo = block[:, None], self.pool[None, :]
            np.putmask(
                scores, _pair_reasons(mentees, self.mentors, me, mo, keys, self.exclusion_codes) != 0, -1
            )
        return scores


class _MentorSides:
    """What the group scorers read of every mentor, worked out once per round: the pair masks as the
    rows of one array (offers, industries, interests, free times), and for the groups of one region
    and first-priority need a kind per mentor (0 to 31: same region, offers that need, mentors two
    together, meets online, has no enhanced check), kept for the last region and need asked for
    (generate_candidates' groups come in that order)."""

    def __init__(self, mentors: MentorTable):
        self.mentors = mentors
        self.mask_type, offers, industries, interests = mentors.pair_masks
        self.masks = np.stack([offers, industries, interests, mentors.availability.astype(self.mask_type)])
        flags = mentors.group_mode.astype(np.uint8)
        flags |= mentors.remote_ok.astype(np.uint8) << 1
        flags |= (~mentors.enhanced_check).astype(np.uint8) << 2
        self.flags = flags
        self._last: tuple[tuple[int, int], np.ndarray] | None = None

    def kinds(self, region: int, first: int) -> np.ndarray:
        """Each mentor's kind for mentees of this region and first-priority need (-1: none)."""
        if self._last is not None and self._last[0] == (region, first):
            return self._last[1]
        kind = (self.mentors.region == region).astype(np.uint8) << 4
        if first >= 0:
            bit = min(first, 63)
            offers = self.masks[0]
            kind |= ((offers & self.mask_type(1 << bit if bit < 8 * offers.itemsize else 0)) != 0).astype(
                np.uint8
            ) << 3
        kind |= self.flags
        self._last = ((region, first), kind)
        return kind

    @staticmethod
    @functools.lru_cache(maxsize=2)
    def tails(may_cross: bool) -> np.ndarray:
        """The index's tail by (rule) * 2 + (preference) and kind: pair_scores' packed index ends with
        three bits (same region, preference met, first need met), and a pair a rule on the mentor's
        side forbids points into the table's second half, which holds -1. The rule is (mentee
        under 18) * 2 + (accepts one-to-two), the preference 1 for a mentee who prefers one-to-two."""
        kind = np.arange(32)
        same_region, first_met = (kind >> 4) & 1, (kind >> 3) & 1
        group_mode, remote, unchecked = kind & 1, (kind >> 1) & 1, (kind >> 2) & 1
        # Across regions only with a mentor who meets online, for a mentee who may cross.
        other_region = (same_region == 0) & ~((remote == 1) & may_cross)
        tails = np.empty((8, 32), np.int32)
        for rule in range(4):
            under_18, accepts = rule >> 1, rule & 1
            blocked = other_region | ((under_18 == 1) & (unchecked == 1))
            blocked |= (accepts == 0) & (group_mode == 1)
            for preference in range(2):
                tail = same_region * 4 + (preference == group_mode) * 2 + first_met
                tails[rule * 2 + preference] = tail + blocked * _TABLE_SIZE
        tails.flags.writeable = False
        return tails


@functools.lru_cache(maxsize=64)
def _filled_row(value: int, width: int) -> np.ndarray:
    """One row of `value` (uint8): numpy's minimum against a row is vectorised, against a single
    number it is not (a tenth of the time over a block of pairs)."""
    row = np.full((1, width), value, np.uint8)
    row.flags.writeable = False
    return row


def _shares_organisation(mentees: MenteeTable, mentors: MentorTable) -> np.ndarray:
    """Per mentee: whether they belong to an organisation that some mentor also belongs to."""
    organisation = mentees.organisation
    return (organisation >= 0) & np.isin(organisation, mentors.organisation)


def pair_reasons(
    mentees: MenteeTable,
    mentors: MentorTable,
    mentee_rows,
    mentor_rows,
    *,
    rules: RoundRules,
    exclusions: Exclusions | None = None,
) -> np.ndarray:
    """Why each given pair may not be matched (Reason codes; 0 for an eligible pair).

    Person rules come first, so a pair with an unapproved mentor reports that, not its region."""
    me = np.asarray(mentee_rows, np.int64)
    mo = np.asarray(mentor_rows, np.int64)
    keys, codes = (exclusions or Exclusions()).keys(len(mentors))
    reasons = _pair_reasons(mentees, mentors, me, mo, keys, codes)
    mentor_reason = mentor_reasons(mentors)[mo]
    reasons = np.where(mentor_reason != 0, mentor_reason, reasons)
    mentee_reason = mentee_reasons(mentees, rules)[me]
    return np.where(mentee_reason != 0, mentee_reason, reasons).astype(np.uint8)


# Candidate generation ------------------------------------------------------------------------


@dataclass
class Candidates:
    """Eligible pairs kept for the solver, sorted by mentee, best score first, then mentor row."""

    mentee: np.ndarray  # int32 rows
    mentor: np.ndarray  # int32 rows
    score: np.ndarray  # int32 hundredths of a point
    mentee_reason: np.ndarray  # uint8 per mentee: why they have no candidate (0 when they have one)
    mentor_reason: np.ndarray  # uint8 per mentor: person rule that removed them (0 when eligible)
    exhaustive: bool  # every eligible pair was considered (no plausibility pruning)

    def __len__(self) -> int:
        return len(self.mentee)


def _lowest_bit(masks: np.ndarray) -> np.ndarray:
    """Position of the lowest set bit (-1 for zero)."""
    masks = masks.astype(np.uint64)
    lowest = masks & (~masks + np.uint64(1))
    position = np.full(len(masks), -1, np.int16)
    nonzero = lowest != 0
    position[nonzero] = np.log2(lowest[nonzero].astype(np.float64)).astype(np.int16)
    return position


def _top_k(scores: np.ndarray, top_k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row, column and score of the best `top_k` eligible entries per row (ineligible entries are
    -1), row by row, and within a row best score first, then column."""
    if not scores.size:
        empty = np.zeros(0, np.intp)
        return empty, empty, np.zeros(0, scores.dtype)
    if scores.shape[1] > top_k:
        columns = np.argpartition(-scores, top_k - 1, axis=1)[:, :top_k]
        values = np.take(scores, columns + np.arange(0, scores.size, scores.shape[1])[:, None])
    else:
        columns = np.broadcast_to(np.arange(scores.shape[1]), scores.shape)
        values = scores
    # Each row's few kept entries in order by one sort of a packed key (ineligible ones last).
    width, high = scores.shape[1], int(values.max(initial=0))
    key = (high - values.astype(np.int64)) * width + columns
    key.sort(axis=1)
    columns, values = key % width, high - key // width
    keep = values >= 0
    rows, _ = np.nonzero(keep)
    return rows, columns[keep], values[keep].astype(scores.dtype)


def generate_candidates(
    mentees: MenteeTable,
    mentors: MentorTable,
    *,
    rules: RoundRules,
    weights: Weights,
    exclusions: Exclusions | None = None,
    top_k: int = 50,
    pool_size: int = 1500,
    block_size: int = 512,
    mentor_places: np.ndarray | None = None,
) -> Candidates:
    """Keep the best `top_k` eligible mentors per mentee, working in blocks of mentees.

    Mentees are grouped by what decides plausibility (who they can reach, their first-priority
    need, their first industry of interest). Each group scores a pool of at most `pool_size`
    mentors, taken in order from: reachable mentors who offer that need and work in that
    industry; who offer the need; who work in the industry; any reachable mentor. Where the
    reachable mentors fit in the pool, every eligible pair is scored, so small rounds are exact.
    A mentee whose pool held no eligible mentor is checked against every mentor, which also
    finds the reason when nobody is eligible. Memory is proportional to block x pool plus the
    candidates kept, never mentees x mentors.
    """
    n_mentees, n_mentors = len(mentees), len(mentors)
    exclusion_keys, exclusion_codes = (exclusions or Exclusions()).keys(n_mentors)
    mentee_reason = mentee_reasons(mentees, rules)
    mentor_reason = mentor_reasons(mentors)
    if mentor_places is not None:
        mentor_reason = np.where(
            (mentor_reason == 0) & (mentor_places <= 0), Reason.MENTOR_NO_PLACES_LEFT, mentor_reason
        )
    active_mentors = np.flatnonzero(mentor_reason == 0).astype(np.int64)
    active_mentees = np.flatnonzero(mentee_reason == 0).astype(np.int64)

    found_mentee: list[np.ndarray] = []
    found_mentor: list[np.ndarray] = []
    found_score: list[np.ndarray] = []
    exhaustive = True

    def keep(block, pool, scores):
        rows, columns, values = _top_k(scores, top_k)
        found_mentee.append(block[rows].astype(np.int32))
        found_mentor.append(pool[columns].astype(np.int32))
        found_score.append(values)

    if len(active_mentors) and len(active_mentees):
        # Reach: 1 own region or mentors who meet online, 2 own region only (see _pair_reasons).
        reach = np.where(mentees.outside_region_ok | mentees.remote_ok, 1, 2).astype(np.int64)
        region_key = np.where(reach == 0, -1, mentees.region).astype(np.int64)
        first_industry = _lowest_bit(mentees.industries).astype(np.int64)
        first_need = mentees.first_need.astype(np.int64)
        sub = active_mentees
        order = np.lexsort((sub, first_industry[sub], first_need[sub], region_key[sub], reach[sub]))
        sub = sub[order]
        keys = np.stack([reach[sub], region_key[sub], first_need[sub], first_industry[sub]], axis=1)
        starts = np.flatnonzero(np.any(np.diff(keys, axis=0) != 0, axis=1)) + 1
        starts = np.concatenate([[0], starts, [len(sub)]])

        shares_organisation = _shares_organisation(mentees, mentors)
        sides = _MentorSides(mentors)
        mentor_region = mentors.region[active_mentors]
        mentor_remote = mentors.remote_ok[active_mentors]
        mentor_offers = mentors.offers[active_mentors]
        mentor_industries = mentors.industries[active_mentors]
        reachable_cache: dict[tuple[int, int], np.ndarray] = {}
        need_cache: dict[tuple[int, int, int], tuple[np.ndarray, np.ndarray]] = {}

        def reachable_from(group_reach: int, group_region: int) -> np.ndarray:
            """Positions (into active_mentors) of the mentors this group can reach."""
            key = (group_reach, group_region)
            if key not in reachable_cache:
                if group_reach == 0:
                    mask = np.ones(len(active_mentors), bool)
                elif group_reach == 1:
                    mask = (mentor_region == group_region) | mentor_remote
                else:
                    mask = mentor_region == group_region
                reachable_cache[key] = np.flatnonzero(mask)
            return reachable_cache[key]

        def split_by_need(group_reach: int, group_region: int, need: int) -> tuple[np.ndarray, np.ndarray]:
            key = (group_reach, group_region, need)
            if key not in need_cache:
                reachable = reachable_from(group_reach, group_region)
                if need >= 0:
                    offers = ((mentor_offers[reachable] >> np.uint64(need)) & np.uint64(1)) == 1
                else:
                    offers = np.zeros(len(reachable), bool)
                members = (reachable[offers], reachable[~offers])
                need_cache[key] = tuple((rows, mentor_industries[rows]) for rows in members)
            return need_cache[key]

        def take(members: np.ndarray, room: int, group_number: int, inside=None) -> np.ndarray:
            """The group's share of `members` (with `inside`: of the members not at those positions)."""
            count = len(members) if inside is None else len(members) - len(inside)
            if count <= room:
                return members if inside is None else np.delete(members, inside)
            # Rotate so that groups drawing on the same mentors spread over different ones.
            offset = (group_number * 7919) % count
            ranks = (offset + np.arange(room)) % count
            if inside is not None:
                # The rank-th member not inside: rank plus the inside positions before it, found
                # from the outside members counted before each inside one (no list of the outside).
                ranks += np.searchsorted(inside - np.arange(len(inside)), ranks, side="right")
            return members[ranks]

        for group_number, (start, stop) in enumerate(zip(starts[:-1], starts[1:], strict=True)):
            group_reach, group_region, need, industry = (int(value) for value in keys[start])
            reachable = reachable_from(group_reach, group_region)
            if len(reachable) <= pool_size:
                pool = active_mentors[reachable]
            else:
                exhaustive = False
                chosen, room = [], pool_size
                for members, industries_of in split_by_need(group_reach, group_region, need):
                    # Tiers: the members in the group's industry, then the others (or all members).
                    if industry >= 0:
                        inside = np.flatnonzero(industries_of & np.uint64(1 << industry))
                        tiers = ((members[inside], None), (members, inside))
                    else:
                        tiers = ((members, None),)
                    for tier, leave_out in tiers:
                        size = len(tier) - (0 if leave_out is None else len(leave_out))
                        if room > 0 and size:
                            picked = take(tier, room, group_number, leave_out)
                            chosen.append(picked)
                            room -= len(picked)
                    if room <= 0:
                        break
                pool = active_mentors[np.sort(np.concatenate(chosen))]
            scorer = _GroupScorer(
                mentees,
                mentors,
                weights,
                sub[start],
                pool,
                exclusion_keys,
                exclusion_codes,
                shares_organisation=shares_organisation,
                sides=sides,
            )
            for block_start in range(start, stop, block_size):
                block = sub[block_start : min(stop, block_start + block_size)]
                keep(block, pool, scorer.scores(block))

    mentee_rows = np.concatenate(found_mentee) if found_mentee else np.zeros(0, np.int32)
    mentor_rows = np.concatenate(found_mentor) if found_mentor else np.zeros(0, np.int32)
    scores = np.concatenate(found_score) if found_score else np.zeros(0, np.int32)

    # Mentees with nothing in their pool: check them against every mentor.
    has_candidate = np.zeros(n_mentees, bool)
    has_candidate[mentee_rows] = True
    empty = active_mentees[~has_candidate[active_mentees]]
    if len(empty) and not len(active_mentors):
        mentee_reason[empty] = Reason.NO_MENTOR_IN_ROUND
    elif len(empty):
        chunk = max(1, 4_000_000 // max(1, len(active_mentors)))
        extra_mentee, extra_mentor, extra_score = [], [], []
        for chunk_start in range(0, len(empty), chunk):
            block = empty[chunk_start : chunk_start + chunk]
            me, mo = block[:, None], active_mentors[None, :]
            reasons = _pair_reasons(mentees, mentors, me, mo, exclusion_keys, exclusion_codes)
            eligible = reasons == 0
            if eligible.any():
                scores_block = pair_scores(mentees, mentors, me, mo, weights)
                scores_block[~eligible] = -1
                rows, columns, values = _top_k(scores_block, top_k)
                extra_mentee.append(block[rows].astype(np.int32))
                extra_mentor.append(active_mentors[columns].astype(np.int32))
                extra_score.append(values)
            none_eligible = ~eligible.any(axis=1)
            for row in np.flatnonzero(none_eligible):
                counts = np.bincount(reasons[row], minlength=256)
                counts[0] = 0
                # The commonest blocking rule; ties go to the rule listed first.
                best = max(PAIR_REASONS, key=lambda code: (counts[code], -PAIR_REASONS.index(code)))
                mentee_reason[block[row]] = best
        if extra_mentee:
            mentee_rows = np.concatenate([mentee_rows, *extra_mentee])
            mentor_rows = np.concatenate([mentor_rows, *extra_mentor])
            scores = np.concatenate([scores, *extra_score])

    # By mentee, best score first, then mentor row. Each mentee's pairs are already one run in that
    # order (pools list mentors by row, and _top_k orders each row), so the runs are put in
    # mentee order: a sort of one entry per mentee instead of one per pair.
    run_start = np.flatnonzero(np.diff(mentee_rows, prepend=-1, append=-1))
    run_length = np.diff(run_start)
    run_start = run_start[:-1]
    runs = np.argsort(mentee_rows[run_start], kind="stable")
    length = run_length[runs]
    order = np.repeat(run_start[runs] - (np.cumsum(length) - length), length) + np.arange(len(mentee_rows))
    return Candidates(
        mentee=mentee_rows[order],
        mentor=mentor_rows[order],
        score=scores[order],
        mentee_reason=mentee_reason,
        mentor_reason=mentor_reason,
        exhaustive=exhaustive,
    )


# A whole round -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    mentee_row: int
    mentor_row: int
    mentee_id: object
    mentor_id: object
    score: float  # points out of the weights' total
    explanation: str
    locked: bool
    first_need_met: bool


@dataclass(frozen=True)
class Unmatched:
    row: int
    id: object
    reason: Reason

    @property
    def reason_text(self) -> str:
        return REASON_TEXT[self.reason]


@dataclass(frozen=True)
class LockProblem:
    mentee_row: int
    mentor_row: int
    mentee_id: object
    mentor_id: object
    reason: str


@dataclass(frozen=True)
class RoundMetrics:
    mentees: int
    matched: int
    share_matched: float
    mean_score: float
    lowest_score: float
    share_first_need_met: float  # of all mentees in the round
    optimal_total: float  # before protecting the worst-off
    total: float  # of the proposals returned
    greedy_total: float
    greedy_share_of_optimum: float
    greedy_matched: int
    candidates: int
    exhaustive: bool
    proven_optimal: bool  # the optimum over every eligible pair, proven by pricing the rest
    pairs_added: int  # eligible pairs outside the candidates added because they could improve it
    pricing_passes: int
    pricing_seconds: float  # CPU time pricing the left-out pairs and solving again
    worst_off_protected: bool
    worst_off_proven: bool  # the lowest score cannot go higher, over every eligible pair
    lowest_score_before_protection: float
    protection_cost: float  # total score given up to protect the worst-off


@dataclass(frozen=True)
class RoundResult:
    proposals: list[Proposal]
    unmatched_mentees: list[Unmatched]
    unchosen_mentors: list[Unmatched]
    lock_problems: list[LockProblem]
    metrics: RoundMetrics


_MENTEE_EXPLAIN = (
    "industries",
    "needs",
    "first_need",
    "interests",
    "region",
    "outside_region_ok",
    "availability",
    "prefers_one_to_two",
)
_MENTOR_EXPLAIN = ("industries", "offers", "interests", "region", "availability")


def run_round(
    mentees: MenteeTable,
    mentors: MentorTable,
    *,
    rules: RoundRules | None = None,
    weights: Weights | None = None,
    exclusions: Exclusions | None = None,
    locked: np.ndarray | None = None,
    places_taken: np.ndarray | None = None,
    protect_worst_off: bool = False,
    top_k: int = 50,
    pool_size: int = 1500,
    labels=None,
    mentor_job_titles=None,
    mentor_job_industries=None,
    explain: bool = True,
    exact_limit: int | None = None,
    progress=None,
) -> RoundResult:
    """Eligibility, candidates, the optimal assignment, explanations and round metrics.

    `locked` holds (mentee row, mentor row) pairs already approved: they are kept as they are
    (after checking they still pass every hard rule) and their places are taken off the mentor.
    `places_taken` counts each mentor's current mentees from earlier rounds. `progress`, if
    given, is called as `progress(percent, message)` as each stage starts (0 to 100)."""
    from matching import exact, solver
    from matching.explain import Labels

    if exact_limit is None:
        exact_limit = exact.EXACT_LIMIT

    def report(percent: int, message: str) -> None:
        if progress is not None:
            progress(percent, message)

    rules = rules or RoundRules()
    weights = weights or Weights()
    labels = labels or Labels()
    n_mentees, n_mentors = len(mentees), len(mentors)
    locked = np.asarray(locked if locked is not None else np.zeros((0, 2)), np.int64).reshape(-1, 2)

    # Locked pairs: honour those that still pass the hard rules and fit the mentor's places.
    places = np.clip(mentors.capacity.astype(np.int64), 0, 2)
    if places_taken is not None:
        places = np.maximum(places - np.asarray(places_taken, np.int64), 0)
    open_places = places.copy()  # this round's places, before locked pairs take theirs
    lock_problems: list[LockProblem] = []
    kept_locks: list[tuple[int, int]] = []
    if len(locked):
        lock_reasons = pair_reasons(
            mentees, mentors, locked[:, 0], locked[:, 1], rules=rules, exclusions=exclusions
        )
        seen: set[int] = set()
        for (mentee_row, mentor_row), code in zip(locked.tolist(), lock_reasons.tolist(), strict=True):
            ids = (mentee_row, mentor_row, _plain(mentees.ids[mentee_row]), _plain(mentors.ids[mentor_row]))
            if code:
                lock_problems.append(LockProblem(*ids, REASON_TEXT[Reason(code)]))
            elif mentee_row in seen:
                lock_problems.append(LockProblem(*ids, "the mentee already has a locked mentor"))
            elif places[mentor_row] <= 0:
                lock_problems.append(LockProblem(*ids, "the mentor has no place left for it"))
            else:
                seen.add(mentee_row)
                places[mentor_row] -= 1
                kept_locks.append((mentee_row, mentor_row))
    locked_mentees = np.zeros(n_mentees, bool)
    lock_array = np.asarray(kept_locks, np.int64).reshape(-1, 2)
    locked_mentees[lock_array[:, 0]] = True

    report(0, f"Finding each of {n_mentees:,} mentees' best mentors among {n_mentors:,}.")
    candidates = generate_candidates(
        mentees,
        mentors,
        rules=rules,
        weights=weights,
        exclusions=exclusions,
        top_k=top_k,
        pool_size=pool_size,
        mentor_places=places,
    )
    report(20, f"Finding the best matching over {len(candidates):,} candidate pairs.")
    if len(lock_array):
        free = ~locked_mentees[candidates.mentee]
        cand_mentee, cand_mentor, cand_score = (
            candidates.mentee[free],
            candidates.mentor[free],
            candidates.score[free],
        )
    else:  # the candidates themselves: a copy of 48 million pairs is half a gigabyte
        cand_mentee, cand_mentor, cand_score = candidates.mentee, candidates.mentor, candidates.score

    # The optimum over every eligible pair (most mentees matched, then the largest total): solved
    # on the candidates, then priced against every eligible pair left out, up to EXACT_LIMIT.
    exclusion_keys, exclusion_codes = (exclusions or Exclusions()).keys(n_mentors)
    free_mentees = np.flatnonzero((candidates.mentee_reason == 0) & ~locked_mentees)
    open_mentors = np.flatnonzero(candidates.mentor_reason == 0)
    prove = len(free_mentees) <= exact_limit
    graph = (
        exact.EligiblePairs(
            mentees, mentors, weights, exclusion_keys, exclusion_codes, free_mentees, open_mentors
        )
        if prove
        else None
    )
    bonus_score = int(round(weights.total * SCALE))
    # The solver's nodes numbered by region: most pairs join people of one region.
    node_keys = (mentees.region, mentors.region)
    optimum = exact.solve(
        (cand_mentee, cand_mentor, cand_score), places, graph, bonus_score=bonus_score, node_keys=node_keys
    )
    threshold = None
    worst_off_proven = False
    final = optimum
    if protect_worst_off and len(optimum.mentee):
        protection = exact.protect_worst_off(
            optimum.candidates,
            places,
            graph,
            needed=len(optimum.mentee),
            lowest=int(optimum.score.min()),
            highest=int(optimum.candidates[2].max()),
            bonus_score=bonus_score,
            node_keys=node_keys,
        )
        final, threshold, worst_off_proven = protection.solution, protection.threshold, protection.proven
    cost = int(optimum.score.sum()) - int(final.score.sum())
    report(80, "Comparing with a best-first matching.")
    greedy = solver.solve_greedy(cand_mentee, cand_mentor, cand_score, places)

    lock_scores = (
        pair_scores(mentees, mentors, lock_array[:, 0], lock_array[:, 1], weights)
        if len(lock_array)
        else np.zeros(0, np.int32)
    )
    pair_mentee = np.concatenate([lock_array[:, 0], final.mentee]).astype(np.int64)
    pair_mentor = np.concatenate([lock_array[:, 1], final.mentor]).astype(np.int64)
    pair_score = np.concatenate([lock_scores, final.score]).astype(np.int64)
    pair_locked = np.concatenate([np.ones(len(lock_array), bool), np.zeros(len(final.mentee), bool)])
    order = np.lexsort((pair_mentor, pair_mentee))
    pair_mentee, pair_mentor, pair_score, pair_locked = (
        pair_mentee[order],
        pair_mentor[order],
        pair_score[order],
        pair_locked[order],
    )
    first_met = np.asarray(pair_components(mentees, mentors, pair_mentee, pair_mentor)["first_need"], bool)

    report(85, f"Explaining {len(pair_mentee):,} proposals." if explain else "Listing the proposals.")
    with _collector_paused():
        proposals = _proposals(
            mentees,
            mentors,
            (pair_mentee, pair_mentor, pair_score, pair_locked, first_met),
            labels=labels,
            mentor_job_titles=mentor_job_titles,
            mentor_job_industries=mentor_job_industries,
            explain=explain,
        )

    report(95, "Checking the reason for everyone not matched.")
    mentee_codes, mentor_codes = exact.checked_reasons(
        mentees,
        mentors,
        weights=weights,
        exclusion_keys=exclusion_keys,
        exclusion_codes=exclusion_codes,
        mentee_reason=candidates.mentee_reason,
        mentor_reason=candidates.mentor_reason,
        open_places=open_places,
        pairs=(pair_mentee, pair_mentor, pair_score, pair_locked),
        compared=final.candidates,
        threshold=threshold,
        full=prove,
    )
    unmatched = [
        Unmatched(row, _plain(mentees.ids[row]), Reason(int(mentee_codes[row])))
        for row in np.flatnonzero(mentee_codes).tolist()
    ]
    unchosen = [
        Unmatched(row, _plain(mentors.ids[row]), Reason(int(mentor_codes[row])))
        for row in np.flatnonzero(mentor_codes).tolist()
    ]

    total = int(pair_score.sum())
    optimal_total = int(lock_scores.sum()) + int(optimum.score.sum())
    greedy_total = int(lock_scores.sum()) + int(cand_score[greedy].sum())
    lowest_before = int(min(lock_scores.min(initial=10**9), optimum.score.min(initial=10**9)))
    matched = len(pair_mentee)
    metrics = RoundMetrics(
        mentees=n_mentees,
        matched=matched,
        share_matched=matched / n_mentees if n_mentees else 0.0,
        mean_score=round(total / matched / SCALE, 2) if matched else 0.0,
        lowest_score=round(int(pair_score.min()) / SCALE, 2) if matched else 0.0,
        share_first_need_met=int(first_met.sum()) / n_mentees if n_mentees else 0.0,
        optimal_total=optimal_total / SCALE,
        total=total / SCALE,
        greedy_total=greedy_total / SCALE,
        greedy_share_of_optimum=greedy_total / optimal_total if optimal_total else 1.0,
        greedy_matched=len(lock_array) + len(greedy),
        candidates=len(candidates),
        exhaustive=candidates.exhaustive,
        proven_optimal=optimum.proven,
        pairs_added=optimum.added,
        pricing_passes=optimum.passes,
        pricing_seconds=round(optimum.pricing_seconds, 3),
        worst_off_protected=protect_worst_off,
        worst_off_proven=worst_off_proven,
        lowest_score_before_protection=(lowest_before / SCALE) if lowest_before < 10**9 else 0.0,
        protection_cost=cost / SCALE,
    )
    report(100, f"Finished: {matched:,} proposals.")
    return RoundResult(proposals, unmatched, unchosen, lock_problems, metrics)


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while many small objects that cannot form a cycle (strings,
    dicts of plain values, the proposals) are made: it would scan the growing list again and again
    (a quarter of the proposals' time at 96,000)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _proposals(
    mentees: MenteeTable,
    mentors: MentorTable,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    *,
    labels,
    mentor_job_titles,
    mentor_job_industries,
    explain: bool,
) -> list[Proposal]:
    """The round's pairs (mentee row, mentor row, score, locked, first need met) as proposals,
    explained when `explain`."""
    from matching.explain import explain_pairs

    pair_mentee, pair_mentor, pair_score, pair_locked, first_met = pairs
    count = len(pair_mentee)
    texts = [""] * count
    if explain:
        # Each column gathered for all proposals at once; each part of the text is worded once per
        # distinct set of the values it reads.
        mentee_columns = {name: getattr(mentees, name)[pair_mentee] for name in _MENTEE_EXPLAIN}
        mentor_columns = {name: getattr(mentors, name)[pair_mentor] for name in _MENTOR_EXPLAIN}
        mentor_columns["group_mode"] = mentors.group_mode[pair_mentor]
        mentor_columns["job_industry"] = (
            np.asarray(mentor_job_industries, np.int64)[pair_mentor]
            if mentor_job_industries is not None
            else np.full(count, -1, np.int64)
        )
        titles = (
            [mentor_job_titles[row] or "" for row in pair_mentor.tolist()]
            if mentor_job_titles is not None
            else [""] * count
        )
        texts = explain_pairs(mentee_columns, mentor_columns, titles, labels)
    return [
        Proposal(
            mentee_row=mentee_row,
            mentor_row=mentor_row,
            mentee_id=mentee_id,
            mentor_id=mentor_id,
            score=score,
            explanation=text,
            locked=locked,
            first_need_met=need_met,
        )
        for mentee_row, mentor_row, mentee_id, mentor_id, score, text, locked, need_met in zip(
            pair_mentee.tolist(),
            pair_mentor.tolist(),
            _plain_list(mentees.ids[pair_mentee]),
            _plain_list(mentors.ids[pair_mentor]),
            # Points: round(hundredths / SCALE, 2) for every pair at once (a whole number of
            # hundredths divided by 100 is already the nearest double to its two decimals).
            (pair_score / SCALE).tolist(),
            texts,
            pair_locked.tolist(),
            first_met.tolist(),
            strict=True,
        )
    ]


def _plain_list(values: np.ndarray) -> list:
    """Plain Python values, as `_plain` gives one at a time."""
    return values.tolist() if values.dtype != object else [_plain(value) for value in values]


def _plain(value):
    return value.item() if hasattr(value, "item") else value
