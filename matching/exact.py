"""Exactness over every eligible pair, not only the candidates, and reasons checked before they are said.

The solver works on each mentee's best candidates. `solve` then prices every eligible pair left
out with the solver's dual prices (`solver.duals`): a pair whose score is above the sum of its
mentee's and its mentor's price could improve the round, so those pairs are added and the round
solved again, until no eligible pair can. The prices then prove the answer is the optimum over
all eligible pairs. The objective is lexicographic: as many mentees matched as possible, then
the largest total score. The solver reaches it with a max flow and then a min-cost flow over
that many pairs; the prices express it as a bonus per pair larger than any total can differ by.

Pricing looks at every (mentee, mentor) pair once per pass, in blocks, so it is done for pools up
to `EXACT_LIMIT` mentees; a larger round is the optimum over its candidates, and says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from matching import solver

EXACT_LIMIT = 20_000  # eligible mentees up to which every pair is priced and every reason checked
BLOCK_PAIRS = 1_000_000  # pairs scored at once
ADD_PER_MENTEE = 10  # most improving left-out pairs added per mentee and pass


class EligiblePairs:
    """Every eligible pair between the round's free mentees and its mentors with places, by blocks."""

    def __init__(self, mentees, mentors, weights, exclusion_keys, exclusion_codes, mentee_rows, mentor_rows):
        self.mentees, self.mentors, self.weights = mentees, mentors, weights
        self.keys, self.codes = exclusion_keys, exclusion_codes
        self.mentee_rows = np.asarray(mentee_rows, np.int64)
        self.mentor_rows = np.asarray(mentor_rows, np.int64)

    def scores(self, mentee_rows: np.ndarray, mentor_rows: np.ndarray | None = None) -> np.ndarray:
        """Scores (hundredths) for mentee_rows x mentor_rows, -1 where the pair is not eligible."""
        from matching.engine import _pair_reasons, pair_scores

        mentor_rows = self.mentor_rows if mentor_rows is None else mentor_rows
        me, mo = np.asarray(mentee_rows, np.int64)[:, None], np.asarray(mentor_rows, np.int64)[None, :]
        blocked = _pair_reasons(self.mentees, self.mentors, me, mo, self.keys, self.codes) != 0
        scores = pair_scores(self.mentees, self.mentors, me, mo, self.weights).astype(np.int64)
        scores[blocked] = -1
        return scores

    def blocks(self, mentee_rows: np.ndarray | None = None, mentor_rows: np.ndarray | None = None):
        """(mentee rows, score matrix) over all the given mentees, against the given mentors."""
        mentee_rows = self.mentee_rows if mentee_rows is None else np.asarray(mentee_rows, np.int64)
        mentor_rows = self.mentor_rows if mentor_rows is None else np.asarray(mentor_rows, np.int64)
        if not len(mentor_rows):
            return
        size = max(1, BLOCK_PAIRS // len(mentor_rows))
        for start in range(0, len(mentee_rows), size):
            rows = mentee_rows[start : start + size]
            yield rows, self.scores(rows, mentor_rows)


@dataclass
class Solution:
    mentee: np.ndarray  # the chosen pairs
    mentor: np.ndarray
    score: np.ndarray
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray]  # the pairs solved over at the end
    proven: bool  # optimal over every eligible pair (the prices priced them all)
    passes: int  # pricing passes
    added: int  # left-out pairs added because they could improve the round
    pricing_seconds: float  # CPU time spent on prices, pricing and solving again


def solve(
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray],
    places: np.ndarray,
    graph: EligiblePairs | None,
    *,
    bonus_score: int,
    min_score: int | None = None,
    count_only: bool = False,
    node_keys: tuple[np.ndarray, np.ndarray] | None = None,
) -> Solution:
    """The matching with the most mentees, then the largest total, over the candidates; with a
    graph, priced against all its eligible pairs (those scoring at least `min_score`) until proven.

    `count_only` maximises only the number matched (every pair weighs one). `node_keys` (a key per
    mentee row and one per mentor row, such as their regions) is passed to the solver, which
    numbers its nodes by them."""
    # Rows fit in 32 bits (half the memory of a national round's candidates); scores are summed
    # with bonuses as large as a round's total, so they stay 64-bit.
    mentee, mentor = (np.asarray(array, np.int32) for array in candidates[:2])
    score = np.asarray(candidates[2], np.int64)
    if min_score is not None:
        keep = score >= min_score
        mentee, mentor, score = mentee[keep], mentor[keep], score[keep]
    n_mentees = len(graph.mentees) if graph is not None else int(mentee.max(initial=-1)) + 1
    n_mentors = len(places)
    bonus = 0 if count_only else solver.lexicographic_bonus(np.array([bonus_score]), places, n_mentees)
    passes = added = 0
    pricing = 0.0
    while True:
        weight = np.ones(len(mentee), np.int64) if count_only else score
        started = time.process_time()
        chosen = solver.solve_optimal(mentee, mentor, weight, places, most_matched=True, node_keys=node_keys)
        if passes:
            pricing += time.process_time() - started
        if graph is None:
            break
        started = time.process_time()
        passes += 1
        mentee_price, mentor_price = solver.duals(
            mentee, mentor, weight + bonus, places, chosen, n_mentees=n_mentees, n_mentors=n_mentors
        )
        new = _improving_pairs(graph, mentee_price, mentor_price, bonus, min_score, count_only)
        pricing += time.process_time() - started
        if not len(new[0]):
            break
        added += len(new[0])
        mentee = np.concatenate([mentee, new[0]])
        mentor = np.concatenate([mentor, new[1]])
        score = np.concatenate([score, new[2]])
    return Solution(
        mentee[chosen],
        mentor[chosen],
        score[chosen],
        (mentee, mentor, score),
        proven=graph is not None,
        passes=passes,
        added=added,
        pricing_seconds=pricing,
    )


def _improving_pairs(graph, mentee_price, mentor_price, bonus, min_score, count_only):
    """Eligible pairs whose weight is above their mentee's and mentor's prices (the best few per mentee)."""
    found_mentee, found_mentor, found_score = [], [], []
    mentor_rows = graph.mentor_rows
    prices = mentor_price[mentor_rows]
    for rows, scores in graph.blocks():
        eligible = scores >= (0 if min_score is None else min_score)
        weight = (1 if count_only else scores) + bonus
        gain = np.where(eligible, weight - mentee_price[rows][:, None] - prices[None, :], 0)
        if not (gain > 0).any():
            continue
        if gain.shape[1] > ADD_PER_MENTEE:
            columns = np.argpartition(-gain, ADD_PER_MENTEE - 1, axis=1)[:, :ADD_PER_MENTEE]
        else:
            columns = np.broadcast_to(np.arange(gain.shape[1]), gain.shape)
        row_index = np.broadcast_to(np.arange(len(rows))[:, None], columns.shape)
        hit = gain[row_index, columns] > 0
        found_mentee.append(rows[row_index[hit]])
        found_mentor.append(mentor_rows[columns[hit]])
        found_score.append(scores[row_index[hit], columns[hit]])
    if not found_mentee:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    return np.concatenate(found_mentee), np.concatenate(found_mentor), np.concatenate(found_score)


@dataclass
class Protection:
    solution: Solution
    threshold: int  # every chosen pair scores at least this
    proven: bool  # no higher threshold keeps as many matched, over every eligible pair


def protect_worst_off(
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray],
    places: np.ndarray,
    graph: EligiblePairs | None,
    *,
    needed: int,
    lowest: int,
    highest: int,
    bonus_score: int,
    node_keys: tuple[np.ndarray, np.ndarray] | None = None,
) -> Protection:
    """The highest threshold at which `needed` mentees can still be matched, then the best round above it.

    A threshold the candidates reach is reachable; one they miss is checked over every eligible
    pair (with a graph), so "cannot be raised" is proven rather than an artefact of the cut."""
    # Rows fit in 32 bits (half the memory of a national round's candidates); scores are summed
    # with bonuses as large as a round's total, so they stay 64-bit.
    mentee, mentor = (np.asarray(array, np.int32) for array in candidates[:2])
    score = np.asarray(candidates[2], np.int64)

    def reachable(threshold: int) -> bool:
        keep = score >= threshold
        if solver.max_matched(mentee[keep], mentor[keep], places) >= needed:
            return True
        if graph is None:
            return False
        exact = solve(
            (mentee, mentor, score),
            places,
            graph,
            bonus_score=bonus_score,
            min_score=threshold,
            count_only=True,
            node_keys=node_keys,
        )
        return len(exact.mentee) >= needed

    low, high = lowest, highest  # low is reachable: the optimum itself
    while low < high:
        middle = (low + high + 1) // 2
        if reachable(middle):
            low = middle
        else:
            high = middle - 1
    solution = solve(
        (mentee, mentor, score), places, graph, bonus_score=bonus_score, min_score=low, node_keys=node_keys
    )
    return Protection(solution, low, proven=graph is not None)


INFINITE = np.iinfo(np.int64).max // 4


def checked_reasons(
    mentees,
    mentors,
    *,
    weights,
    exclusion_keys,
    exclusion_codes,
    mentee_reason: np.ndarray,
    mentor_reason: np.ndarray,
    open_places: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    compared: tuple[np.ndarray, np.ndarray, np.ndarray],
    threshold: int | None,
    full: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Why each mentee and mentor without a pair has none (0 for those with one), each claim checked.

    "Every eligible mentor was a closer fit for other mentees" is said only when every eligible
    mentor's places are all taken by mentees who score at least as high with them; with `full`
    that is checked against every eligible mentor, otherwise only against the pairs compared
    (and the reason says so). When it does not hold the reason says what does: places taken by
    approved pairs, the protected lowest score, or only that no place was found. Mentors likewise."""
    from matching.engine import Reason

    pair_mentee, pair_mentor, pair_score, pair_locked = pairs
    n_mentees, n_mentors = len(mentees), len(mentors)
    load = np.bincount(pair_mentor, minlength=n_mentors)
    full_up = load >= open_places
    lowest_any = np.full(n_mentors, INFINITE, np.int64)
    np.minimum.at(lowest_any, pair_mentor, pair_score)
    lowest_free = np.full(n_mentors, INFINITE, np.int64)
    np.minimum.at(lowest_free, pair_mentor[~pair_locked], pair_score[~pair_locked])
    partner_score = np.full(n_mentees, -1, np.int64)  # -1: not matched
    partner_score[pair_mentee] = pair_score

    mentee_codes = mentee_reason.astype(np.int64).copy()
    matched = partner_score >= 0
    mentee_codes[matched] = 0
    # Person rules stand as they are; anyone else unmatched is checked against the mentors with
    # places this round (including those whose places went to approved pairs).
    person_rule = (mentee_reason > 0) & (mentee_reason < Reason.NO_ENHANCED_CHECK)
    asked = np.flatnonzero(~matched & (~person_rule if full else mentee_reason == 0))
    any_eligible = np.zeros(n_mentees, bool)
    # Per asked mentee: does any eligible mentor break each claim?
    breaks_strict = np.zeros(n_mentees, bool)
    breaks_approved = np.zeros(n_mentees, bool)
    breaks_protected = np.zeros(n_mentees, bool)

    def mark_mentees(rows, columns, scores):
        """rows/columns/scores: eligible (mentee, mentor, score) triples to test."""
        any_eligible[rows] = True
        strict = ~(full_up[columns] & (lowest_any[columns] >= scores))
        approved = ~(full_up[columns] & (lowest_free[columns] >= scores))
        protected = approved & (scores >= (threshold if threshold is not None else -1))
        np.logical_or.at(breaks_strict, rows, strict)
        np.logical_or.at(breaks_approved, rows, approved)
        np.logical_or.at(breaks_protected, rows, protected)

    # Mentors with places this round, including those whose places all went to approved pairs.
    open_mentors = np.flatnonzero(
        ((mentor_reason == 0) | (mentor_reason == Reason.MENTOR_NO_PLACES_LEFT)) & (open_places > 0)
    )
    graph = EligiblePairs(mentees, mentors, weights, exclusion_keys, exclusion_codes, asked, open_mentors)
    if full:
        for rows, scores in graph.blocks():
            row_index, column_index = np.nonzero(scores >= 0)
            mark_mentees(rows[row_index], open_mentors[column_index], scores[row_index, column_index])
    else:
        compared_mentee, compared_mentor, compared_score = (np.asarray(a) for a in compared)
        in_question = ~matched[compared_mentee]
        mark_mentees(compared_mentee[in_question], compared_mentor[in_question], compared_score[in_question])
    if full:
        codes = np.where(
            ~breaks_strict[asked],
            Reason.OUTMATCHED,
            np.where(
                ~breaks_approved[asked],
                Reason.TAKEN_BY_CLOSER_OR_APPROVED,
                np.where(
                    (threshold is not None) & ~breaks_protected[asked],
                    Reason.TAKEN_OR_BELOW_PROTECTED,
                    Reason.NO_PLACE_FOUND,
                ),
            ),
        )
    else:
        codes = np.where(~breaks_strict[asked], Reason.OUTMATCHED_AMONG_COMPARED, Reason.NO_PLACE_FOUND)
    # Someone with no eligible mentor keeps the rule that stopped them.
    mentee_codes[asked] = np.where(any_eligible[asked], codes, mentee_codes[asked])

    # Mentors with places and nobody placed with them.
    mentor_codes = mentor_reason.astype(np.int64).copy()
    mentor_codes[load > 0] = 0
    idle = np.flatnonzero((load == 0) & (mentor_reason == 0))
    has_eligible = np.zeros(n_mentors, bool)
    breaks = np.zeros(n_mentors, bool)  # an eligible mentee unmatched or matched less well elsewhere
    if full and len(idle):
        everyone = np.flatnonzero(mentee_reason == 0)
        for rows, scores in graph.blocks(everyone, idle):
            row_index, column_index = np.nonzero(scores >= 0)
            has_eligible[idle[np.unique(column_index)]] = True
            worse = partner_score[rows[row_index]] < scores[row_index, column_index]
            breaks[idle[column_index[worse]]] = True
        mentor_codes[idle] = np.where(
            ~has_eligible[idle],
            Reason.NO_ELIGIBLE_MENTEE,
            np.where(breaks[idle], Reason.MENTOR_NOT_PLACED, Reason.NOT_CHOSEN),
        )
    elif len(idle):
        compared_mentee, compared_mentor, compared_score = (np.asarray(a) for a in compared)
        has_eligible[compared_mentor] = True
        worse = partner_score[compared_mentee] < compared_score
        breaks[compared_mentor[worse]] = True
        mentor_codes[idle] = np.where(
            has_eligible[idle] & ~breaks[idle], Reason.NOT_CHOSEN_AMONG_COMPARED, Reason.MENTOR_NOT_PLACED
        )
    return mentee_codes, mentor_codes
