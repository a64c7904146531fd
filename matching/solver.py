"""Assignment over candidate pairs: the optimum by min-cost flow, the worst-off option, a greedy baseline.

Every function takes the candidate arrays (mentee row, mentor row, integer score) and the places
each mentor has left, and returns the indices of the chosen candidates in ascending order. The
flow network is built from arrays in a fixed order with integer costs, so the same input always
gives the same answer.
"""

from __future__ import annotations

import array
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow
from scipy import sparse

GREEDY_PART = 65_536  # pairs the best-first baseline filters at once before walking them


class SolverError(RuntimeError):
    pass


def _compact(
    rows: np.ndarray, offset: int = 0, key: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows in ascending order and each entry's position among them (plus `offset`,
    in 32 bits: these are node numbers). With `key` (one value per row), the distinct rows are
    ordered by key, then row, instead.

    The same answer as `np.unique(rows, return_inverse=True)` for row numbers, by counting
    instead of sorting (tens of millions of candidates in a national round)."""
    rows = np.asarray(rows)
    present = np.zeros(int(rows.max()) + 1, bool)
    present[rows] = True
    if key is not None:
        used = np.flatnonzero(present)
        used = used[np.argsort(np.asarray(key)[used], kind="stable")]
        position = np.zeros(len(present), np.int32)
        position[used] = np.arange(offset, offset + len(used), dtype=np.int32)
        return used, position[rows]
    position = np.cumsum(present, dtype=np.int32)
    position += np.int32(offset - 1)
    return np.flatnonzero(present), position[rows]


def _network(mentee: np.ndarray, mentor: np.ndarray, places: np.ndarray, node_keys=None):
    """Node numbers for a source -> mentees -> mentors -> sink network over the rows in use (with
    `node_keys`, a key per mentee row and one per mentor row: numbered by key, then row)."""
    mentee_key, mentor_key = node_keys if node_keys is not None else (None, None)
    source = 0
    mentee_rows, mentee_node = _compact(mentee, 1, mentee_key)
    first_mentor = 1 + len(mentee_rows)
    mentor_rows, mentor_node = _compact(mentor, first_mentor, mentor_key)
    sink = first_mentor + len(mentor_rows)
    return source, sink, mentee_rows, mentor_rows, mentee_node, mentor_node, first_mentor


def _reduced_weights(score: np.ndarray, match_bonus: int) -> np.ndarray:
    """Pair weights divided by their greatest common divisor.

    Every matching's total is divided by the same positive number, so the optimal matchings are
    exactly those of the original weights; the solver's work grows with the size of the costs
    (each scaling phase divides the gap by a constant), and profile scores are whole points held
    as hundredths, so this usually removes two digits."""
    weight = np.asarray(score, np.int64) + match_bonus
    divisor = _common_divisor(weight)
    if divisor > 1:
        weight //= divisor
    return weight


# Weights up to this are counted to find their distinct values (a count array of at most 32 MiB).
_COUNTED_WEIGHTS = 1 << 22


def _common_divisor(weight: np.ndarray) -> int:
    """The greatest common divisor of the weights (0 when there are none or all are zero).

    Scores take a few thousand distinct values over millions of pairs: where they are small and
    not negative, the divisor of the distinct values (found by counting) is the same number for a
    tenth of the time of `np.gcd.reduce` over every pair."""
    if not len(weight):
        return 0
    low, high = int(weight.min()), int(weight.max())
    if 0 <= low and high < _COUNTED_WEIGHTS:
        weight = np.flatnonzero(np.bincount(weight))
    return int(np.gcd.reduce(weight))


# Ties broken exactly (see solve_optimal): each pair's weight is multiplied by TIE_SCALE and a key
# of 0 or 1 from the pair's rows is added. Small enough to keep OR-tools' cost-scaling phases few.
# From TIE_SCALE_WIDER_FROM pairs the scale is TIE_SCALE_WIDER: a round's keys can outweigh a point
# only along a long chain of pairs whose keys all favour it, which more pairs give more chances,
# and an answer the proof refuses costs a second solve. (16 was measured at 4.8 million pairs only.)
TIE_SCALE = 16
TIE_SCALE_WIDER = 64
TIE_SCALE_WIDER_FROM = 10_000_000
# Candidate pairs from which ties are broken: below it the solve is quick and the proof costs
# about as much as it saves (3,000 mentees, 145,100 pairs: 0.20 s either way plus 0.05 s of proof).
TIE_BREAK_FROM = 1_000_000
# Label-correcting steps allowed to the proof of a tie-broken answer before the plain solve is used.
PROOF_STEPS = 5_000


def _tie_key(mentee: np.ndarray, mentor: np.ndarray) -> np.ndarray:
    """0 or 1 per pair, from a hash of its mentee and mentor rows (the same pair always the same)."""
    # In place over two buffers: a round's pairs are millions, and each temporary is one more pass.
    key = np.asarray(mentee).astype(np.uint64)
    key *= np.uint64(0x9E3779B97F4A7C15)
    other = np.asarray(mentor).astype(np.uint64)
    other *= np.uint64(0xC2B2AE3D27D4EB4F)
    key ^= other
    np.right_shift(key, np.uint64(29), out=other)
    key ^= other
    key *= np.uint64(0xBF58476D1CE4E5B9)
    key >>= np.uint64(63)
    return key.view(np.int64)


def _flow_solve(
    mentee, mentor, places, weight: np.ndarray, *, most_matched: bool, node_keys=None
) -> np.ndarray:
    """The pairs OR-tools chooses: the most flow (with `most_matched`) at the least cost, -weight each."""
    source, sink, mentee_rows, mentor_rows, mentee_node, mentor_node, first_mentor = _network(
        mentee, mentor, places, node_keys
    )
    n_mentees, n_mentors = len(mentee_rows), len(mentor_rows)
    capacities = places[mentor_rows].astype(np.int64)
    n_pairs = len(mentee_node)
    flow = min_cost_flow.SimpleMinCostFlow()
    # Pair arcs first so that arc index == candidate index.
    flow.add_arcs_with_capacity_and_unit_cost(mentee_node, mentor_node, np.ones(n_pairs, np.int64), -weight)
    # The solver holds its own copy: a national round's arrays are gigabytes beside it while it solves.
    del mentee_node, mentor_node, weight
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n_mentees, source, np.int32),
        np.arange(1, 1 + n_mentees, dtype=np.int32),
        np.ones(n_mentees, np.int64),
        np.zeros(n_mentees, np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(first_mentor, first_mentor + n_mentors, dtype=np.int32),
        np.full(n_mentors, sink, np.int32),
        capacities,
        np.zeros(n_mentors, np.int64),
    )
    if not most_matched:
        # Mentees who stay unmatched flow straight to the sink at no cost.
        flow.add_arc_with_capacity_and_unit_cost(source, sink, n_mentees, 0)
    flow.set_node_supply(source, n_mentees)
    flow.set_node_supply(sink, -n_mentees)
    # With most_matched the supply is more than can reach the sink: OR-tools routes the most
    # that can (its max flow) at the least cost.
    status = flow.solve_max_flow_with_min_cost() if most_matched else flow.solve()
    if status != flow.OPTIMAL:
        raise SolverError(f"min-cost flow ended with status {status}")
    # The pair arcs' flows a few million at a time, not one array of them all beside the solver.
    step = 4_000_000
    return np.concatenate(
        [
            start
            + np.flatnonzero(flow.flows(np.arange(start, min(start + step, n_pairs), dtype=np.int32)) > 0)
            for start in range(0, n_pairs, step)
        ]
    ).astype(np.int64)


def proven_optimal(mentee, mentor, weight, places, chosen, *, max_steps: int | None = None) -> bool:
    """Whether dual prices prove `chosen` matches the most mentees and then has the largest total
    `weight` over these candidates: prices u >= 0 per mentee and v >= 0 per mentor with
    u + v >= the pair's weight plus a bonus for every candidate pair, whose total equals the
    chosen pairs' (so no matching can do better). False when `duals` finds an improving cycle
    or does not settle within `max_steps`."""
    if not len(mentee) or not len(chosen):
        # Nothing chosen is the optimum exactly when no pair has a mentor with a place.
        return not len(chosen) and not (np.asarray(places)[np.asarray(mentor, np.int64)] > 0).any()
    n_mentees, n_mentors = int(np.max(mentee)) + 1, len(places)
    weight = np.asarray(weight, np.int64)
    bonus = lexicographic_bonus(weight, places, n_mentees)
    weight = weight + bonus
    try:
        mentee_price, mentor_price = duals(
            mentee,
            mentor,
            weight,
            places,
            chosen,
            n_mentees=n_mentees,
            n_mentors=n_mentors,
            max_steps=max_steps,
        )
    except SolverError:
        return False
    # The certificate checked on its own terms, whatever found it.
    places = np.clip(np.asarray(places, np.int64), 0, None)[:n_mentors]
    if (mentee_price < 0).any() or (mentor_price < 0).any():
        return False
    covered = mentee_price[mentee]
    covered += mentor_price[mentor]
    covered = covered >= weight
    if not (covered | (places[mentor] <= 0)).all():
        return False
    used = np.bincount(np.asarray(mentor)[chosen], minlength=n_mentors)
    if len(np.unique(np.asarray(mentee)[chosen])) != len(chosen) or (used > places).any():
        return False
    dual_total = int(mentee_price.sum()) + int((mentor_price * places).sum())
    return dual_total == int(weight[chosen].sum())


def solve_optimal(
    mentee: np.ndarray,
    mentor: np.ndarray,
    score: np.ndarray,
    places: np.ndarray,
    *,
    match_bonus: int = 0,
    most_matched: bool = False,
    node_keys: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Indices of the candidates in a matching with the largest total score.

    Each mentee gets at most one mentor and each mentor at most `places[mentor]` mentees.
    With `most_matched`, the matching has as many mentees as any matching can have and, among
    those, the largest total: OR-tools' maximum flow with minimum cost (one call: the max flow
    that its min-cost flow runs anyway to check the supplies fixes how many are routed), so the
    costs stay the scores themselves (shifted so the lowest is zero, which changes every such
    matching's total by the same amount) instead of carrying a bonus per pair as large as a
    whole round's total. `match_bonus` (added to every pair's score) is the older way to the
    same order of priorities.

    Realistic scores tie often, and ties slow the solver. With `most_matched` it first solves
    with ties broken (each weight times TIE_SCALE, or TIE_SCALE_WIDER for the largest rounds,
    plus a key of 0 or 1 per pair), which is faster, and keeps that answer only when dual prices
    prove it optimal for the scores themselves (`proven_optimal`); otherwise it solves the scores
    as they are. Either way the answer is an optimum of the scores given.

    `node_keys` (a key per mentee row and one per mentor row, such as their regions) numbers the
    network's nodes by key: OR-tools then finds an optimum in less time when most pairs join
    people of one key, as its arrays for the pairs of one key sit together. Where several
    matchings are optimal, the numbering can decide which of them is returned."""
    if len(mentee) == 0:
        return np.zeros(0, np.int64)
    if most_matched:
        weight = np.asarray(score, np.int64)
        weight = weight - weight.min()
        divisor = _common_divisor(weight)
        if divisor > 1:
            weight //= divisor
        scale = TIE_SCALE if len(mentee) < TIE_SCALE_WIDER_FROM else TIE_SCALE_WIDER
        if (
            len(mentee) >= TIE_BREAK_FROM
            and scale
            and int(weight.max()) > 0
            and _fits(weight, scale, len(places) + int(np.max(mentee)) + 3)
        ):
            tied = weight * scale
            tied += _tie_key(mentee, mentor)
            chosen = _flow_solve(mentee, mentor, places, tied, most_matched=True, node_keys=node_keys)
            del tied
            if proven_optimal(mentee, mentor, weight, places, chosen, max_steps=PROOF_STEPS):
                return chosen
        return _flow_solve(mentee, mentor, places, weight, most_matched=True, node_keys=node_keys)
    return _flow_solve(
        mentee, mentor, places, _reduced_weights(score, match_bonus), most_matched=False, node_keys=node_keys
    )


def _fits(weight: np.ndarray, scale: int, n_nodes: int) -> bool:
    """Whether OR-tools' costs stay clear of 64-bit overflow with the weights scaled: it multiplies
    costs by the number of nodes plus one and sums them over paths."""
    return (int(weight.max()) + 1) * scale * (n_nodes + 1) * 4 < 2**62


def _max_flow(mentee_node, mentor_node, n_mentees, n_mentors, first_mentor, capacities) -> int:
    source, sink = 0, first_mentor + n_mentors
    flow = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(mentee_node, mentor_node, np.ones(len(mentee_node), np.int64))
    flow.add_arcs_with_capacity(
        np.full(n_mentees, source, np.int32),
        np.arange(1, 1 + n_mentees, dtype=np.int32),
        np.ones(n_mentees, np.int64),
    )
    flow.add_arcs_with_capacity(
        np.arange(first_mentor, first_mentor + n_mentors, dtype=np.int32),
        np.full(n_mentors, sink, np.int32),
        capacities,
    )
    status = flow.solve(source, sink)
    if status != flow.OPTIMAL:
        raise SolverError(f"max flow ended with status {status}")
    return int(flow.optimal_flow())


def max_matched(mentee: np.ndarray, mentor: np.ndarray, places: np.ndarray) -> int:
    """The largest number of mentees that can be matched using these candidates."""
    if len(mentee) == 0:
        return 0
    _source, _sink, mentee_rows, mentor_rows, mentee_node, mentor_node, first_mentor = _network(
        mentee, mentor, places
    )
    capacities = places[mentor_rows].astype(np.int64)
    return _max_flow(mentee_node, mentor_node, len(mentee_rows), len(mentor_rows), first_mentor, capacities)


@dataclass(frozen=True)
class WorstOffResult:
    chosen: np.ndarray  # candidate indices
    threshold: int  # every chosen pair scores at least this
    optimal_chosen: np.ndarray  # the plain optimum, for comparison
    cost: int  # optimal total minus this total (hundredths of a point)


def solve_protecting_worst_off(
    mentee: np.ndarray, mentor: np.ndarray, score: np.ndarray, places: np.ndarray
) -> WorstOffResult:
    """Raise the lowest score as far as possible without matching fewer mentees, then maximise the total.

    Bisection over the distinct candidate scores finds the highest threshold at which as many
    mentees can still be matched as in the plain optimum (a max-flow check each step); the total
    is then maximised over the candidates at or above it, matching as many as possible first."""
    optimal = solve_optimal(mentee, mentor, score, places)
    if len(optimal) == 0:
        return WorstOffResult(optimal, 0, optimal, 0)
    needed = len(optimal)
    values = np.unique(score)
    low = int(np.searchsorted(values, score[optimal].min()))  # feasible: the optimum itself
    high = len(values) - 1
    while low < high:
        middle = (low + high + 1) // 2
        keep = score >= values[middle]
        if max_matched(mentee[keep], mentor[keep], places) >= needed:
            low = middle
        else:
            high = middle - 1
    threshold = int(values[low])
    keep = np.flatnonzero(score >= threshold)
    chosen = keep[solve_optimal(mentee[keep], mentor[keep], score[keep], places, most_matched=True)]
    cost = int(score[optimal].sum()) - int(score[chosen].sum())
    return WorstOffResult(chosen, threshold, optimal, cost)


def solve_greedy(mentee: np.ndarray, mentor: np.ndarray, score: np.ndarray, places: np.ndarray) -> np.ndarray:
    """Best pair first: the baseline a spreadsheet user would reach by hand."""
    if len(mentee) == 0:
        return np.zeros(0, np.int64)
    # Rows and scores as they come (a round's candidates are 32-bit): widened only for the packed key.
    mentee, mentor, score = np.asarray(mentee), np.asarray(mentor), np.asarray(score)
    # Highest score first, then mentee row, then mentor row: one sort of a packed key where it fits.
    n_mentees, n_mentors = int(mentee.max()) + 1, int(mentor.max()) + 1
    high = int(score.max())
    span = high - int(score.min()) + 1
    if span <= 1 << 16 and _by_mentee_best_first(mentee, mentor, score):
        # Candidates come by mentee, best score first, then mentor row, so pairs of equal score are
        # already by mentee and mentor: a stable sort by score alone gives that order (a radix
        # sort of 16-bit keys, a fraction of the packed key's sort over millions of pairs).
        # Every score is within 2**16 of the highest, so the difference is exact modulo 2**16.
        below = np.subtract(np.uint16(high & 0xFFFF), score, dtype=np.uint16, casting="unsafe")
        order = np.argsort(below, kind="stable")
    elif span * n_mentees * n_mentors < 2**62:
        key = np.subtract(high, score, dtype=np.int64)
        key *= n_mentees
        key += mentee
        key *= n_mentors
        key += mentor
        order = np.argsort(key, kind="stable")
    else:
        order = np.lexsort((mentor, mentee, -score))
    # The loop below updates these buffers one pair at a time; numpy reads them through views.
    left = array.array("q", np.asarray(places, np.int64).tolist())
    taken = bytearray(n_mentees)
    left_view, taken_view = np.frombuffer(left, np.int64), np.frombuffer(taken, np.uint8)
    chosen = []
    # In parts, each first rid of the pairs whose mentee was taken or whose mentor filled up in an
    # earlier part (most pairs, since a mentee's first pairs come early): the loop sees the rest,
    # in the same order, so it takes exactly the pairs it would take looking at every one.
    for start in range(0, len(order), GREEDY_PART):
        part = order[start : start + GREEDY_PART]
        who_part, by_part = mentee[part], mentor[part]
        open_pair = (taken_view[who_part] == 0) & (left_view[by_part] > 0)
        part, who_part, by_part = part[open_pair], who_part[open_pair], by_part[open_pair]
        for index, who, by in zip(part.tolist(), who_part.tolist(), by_part.tolist(), strict=True):
            if taken[who] or left[by] <= 0:
                continue
            taken[who] = 1
            left[by] -= 1
            chosen.append(index)
    return np.sort(np.asarray(chosen, np.int64))


def _by_mentee_best_first(mentee: np.ndarray, mentor: np.ndarray, score: np.ndarray) -> bool:
    """Whether the pairs are in order of mentee, then score from the highest, then mentor."""
    same_mentee = mentee[1:] == mentee[:-1]
    same_score = score[1:] == score[:-1]
    in_order = mentee[1:] > mentee[:-1]
    in_order |= same_mentee & (score[1:] < score[:-1])
    in_order |= same_mentee & same_score & (mentor[1:] >= mentor[:-1])
    return bool(in_order.all())


def lexicographic_bonus(score: np.ndarray, places: np.ndarray, n_mentees: int) -> int:
    """A bonus per matched pair large enough that one more mentee matched always outweighs any
    difference in total score: more than the highest score times the most pairs a matching holds."""
    if len(score) == 0:
        return 0
    most_pairs = min(int(n_mentees), int(np.clip(places, 0, None).sum()))
    return int(np.max(score)) * most_pairs + 1


def duals(
    mentee: np.ndarray,
    mentor: np.ndarray,
    weight: np.ndarray,
    places: np.ndarray,
    chosen: np.ndarray,
    *,
    n_mentees: int,
    n_mentors: int,
    max_steps: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Dual prices (per mentee u, per mentor v) proving `chosen` is a largest-weight matching.

    For the problem "maximise the total weight, each mentee at most one mentor, mentor j at most
    places[j] mentees", the prices satisfy u >= 0, v >= 0, u[i] + v[j] >= weight for every pair
    given, with equality on the chosen pairs, u = 0 for unmatched mentees and v = 0 for mentors
    with a place left. Any pair (i, j) NOT given with u[i] + v[j] < its weight is one that could
    improve the matching; when there is none among all eligible pairs, the matching is optimal
    over all of them (the prices then prove it: the dual total equals the matching's total).

    They come from shortest paths on the mentors (label-correcting, vectorised): a mentee matched
    to mentor a and also able to take mentor j gives v[a] <= v[j] + w(i, a) - w(i, j); an
    unmatched mentee gives v[j] >= w(i, j); u >= 0 gives v[a] <= w(i, a). Raises SolverError if the
    matching is not optimal (a negative cycle), or when the paths have not settled after
    `max_steps` rounds of relaxation (by default, as many as there are mentors)."""
    weight = np.asarray(weight, np.int64)
    # Rows and nodes in 32 bits (a round's pairs are read several times over below).
    mentee = np.asarray(mentee, np.int32)
    mentor = np.asarray(mentor, np.int32)
    root = n_mentors
    # Each mentee's mentor, or the root for a mentee left unmatched; and the chosen pair's weight
    # (0 when unmatched, so that an unmatched mentee's arc j -> root has length -w(i, j)).
    partner = np.full(n_mentees, root, np.int32)
    partner_weight = np.zeros(n_mentees, np.int64)
    chosen_mentee, chosen_mentor, chosen_weight = mentee[chosen], mentor[chosen], weight[chosen]
    partner[chosen_mentee] = chosen_mentor
    partner_weight[chosen_mentee] = chosen_weight
    load = np.bincount(chosen_mentor, minlength=n_mentors)
    places = np.asarray(places, np.int64)[:n_mentors]
    # A mentor with no place takes nobody: any price does, the highest weight covers every pair.
    closed = places <= 0
    others = np.ones(len(mentee), bool)
    others[chosen] = False
    if closed.any():
        others &= ~closed[mentor]
    # The pairs not chosen give arcs j -> partner(i) (or j -> root), of length w(i, partner) - w(i, j).
    other_mentee = mentee[others]
    other_tail = mentor[others]
    other_head = partner[other_mentee]
    other_length = partner_weight[other_mentee]
    other_length -= weight[others]
    del others, other_mentee
    # v >= 0 (an arc j -> root of length 0) holds for any finite distance below: checked at the end.
    # Arcs grouped by tail, in their order within each group (a stable counting sort: SciPy's
    # conversion to compressed rows, a fifth of the time of a stable argsort on a round's pairs).
    # The root's arcs come last, as the root is numbered after every mentor: root -> a, v[a] <= w(i, a),
    # for each chosen pair, and root -> free mentor, v <= 0.
    by_tail = sparse.coo_matrix(
        (np.ones(len(other_tail), np.int8), (other_tail, np.arange(len(other_tail), dtype=np.int32))),
        shape=(root, len(other_tail)),
    ).tocsr()
    order, starts = by_tail.indices, by_tail.indptr
    del by_tail, other_tail
    free = np.flatnonzero(load < places).astype(np.int32)
    starts = np.append(starts, starts[-1] + len(chosen) + len(free))
    # Each step reads its frontier's arcs in turn: their tails are the frontier itself, repeated.
    heads = np.concatenate([other_head[order], chosen_mentor, free])
    lengths = np.concatenate([other_length[order], chosen_weight, np.zeros(len(free), np.int64)])
    del order, other_head, other_length
    infinite = np.iinfo(np.int64).max // 4
    distance = np.full(root + 1, infinite, np.int64)
    distance[root] = 0
    frontier = np.array([root])
    for _step in range(root + 2 if max_steps is None else min(root + 2, max_steps)):
        counts = starts[frontier + 1] - starts[frontier]
        if not counts.sum():
            break
        arcs = np.repeat(starts[frontier] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        reached = np.repeat(distance[frontier], counts) + lengths[arcs]
        best = distance.copy()
        np.minimum.at(best, heads[arcs], reached)
        improved = np.flatnonzero(best < distance)
        if best[root] < 0:
            raise SolverError("the matching is not optimal: a cycle of the residual network gains")
        distance = best
        frontier = improved
    else:
        raise SolverError("shortest paths did not settle")
    mentor_price = distance[:n_mentors]
    mentor_price[closed] = int(weight.max(initial=0))
    if (mentor_price < 0).any():
        raise SolverError("the matching is not optimal: a mentor's price is negative")
    mentee_price = np.zeros(n_mentees, np.int64)
    has = partner < root
    mentee_price[has] = partner_weight[has] - mentor_price[partner[has]]
    return mentee_price, mentor_price
