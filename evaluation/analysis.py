"""Statistics on counts already aggregated in the database: no answer rows are loaded here."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from scipy import special

SMALL_CELL = 5
AGREE_THRESHOLD = 4  # "Agree" or "Strongly agree" on the five-point scale
# The normal distribution from scipy.special (stats.norm.ppf is ndtri, .sf(z) is ndtr(-z): the same
# floats), so that starting Django does not import scipy.stats (0.6 s of CPU time in every process).
Z95 = float(special.ndtri(0.975))

METHODS = (
    "Shares agreeing are among people who answered both times. 95% confidence intervals: Wilson's "
    "score interval for each share; for the change, Newcombe's interval for a difference of paired "
    "proportions (his method 10, from the two Wilson intervals and the correlation between the two "
    "answers). McNemar's test compares agreeing before and after, as an exact binomial test on the "
    "people whose answer changed, with the mid-p correction. Wilcoxon's signed-rank test compares the "
    "full five-point answers."
)


def proportion_ci(successes: int, total: int) -> tuple[float, float] | None:
    """Wilson's 95% score interval for a share, without continuity correction: the closed form that
    scipy's `binomtest(...).proportion_ci(method="wilson")` computes (a test checks they agree), without
    the exact binomial test scipy runs first, which a page of breakdown rows cannot afford."""
    if total <= 0:
        return None
    z2 = Z95 * Z95
    centre = (successes + z2 / 2) / (total + z2)
    half = Z95 / (total + z2) * math.sqrt(successes * (total - successes) / total + z2 / 4)
    return (max(0.0, centre - half), min(1.0, centre + half))


def paired_difference_ci(
    both: int, after_only: int, before_only: int, neither: int
) -> tuple[float, float] | None:
    """Newcombe's 95% interval for (share agreeing after) - (share agreeing before) on paired answers.

    Method 10 of Newcombe (1998), "Improved confidence intervals for the difference between binomial
    proportions based on paired data", Statistics in Medicine 17: 2635-2650: the Wilson score
    intervals of the two shares, combined with the phi correlation of the 2x2 table of pairs (no
    continuity correction). Never leaves -1 to 1, and is sensible with zero cells.
    """
    n = both + after_only + before_only + neither
    if n <= 0:
        return None
    after, before = (both + after_only) / n, (both + before_only) / n
    low_after, high_after = proportion_ci(both + after_only, n)
    low_before, high_before = proportion_ci(both + before_only, n)
    margins = (both + after_only) * (before_only + neither) * (both + before_only) * (after_only + neither)
    phi = (both * neither - after_only * before_only) / margins**0.5 if margins else 0.0
    difference = after - before
    lower = (
        (after - low_after) ** 2
        - 2 * phi * (after - low_after) * (high_before - before)
        + (high_before - before) ** 2
    )
    upper = (
        (high_after - after) ** 2
        - 2 * phi * (high_after - after) * (before - low_before)
        + (before - low_before) ** 2
    )
    return (difference - max(lower, 0.0) ** 0.5, difference + max(upper, 0.0) ** 0.5)


def mcnemar_p(agree_before_only: int, agree_after_only: int) -> float | None:
    """Two-sided McNemar mid-p on the discordant pairs, exact binomial at any count.

    The exact two-sided p is twice the smaller binomial tail (n = discordant pairs, p = 1/2); the
    mid-p takes off the probability of the observed count itself (Fagerland, Lydersen and Laake 2013
    recommend it over both the exact test and the chi-square approximation).
    """
    discordant = agree_before_only + agree_after_only
    if discordant == 0:
        return None
    smaller = min(agree_before_only, agree_after_only)
    if 2 * smaller == discordant:  # as many changed one way as the other: the two tails are everything
        return 1.0
    # scipy.special's binomial ufuncs: the same values as stats.binom.cdf and .pmf, without their
    # argument checking, which costs more than the arithmetic.
    tail = float(special.bdtr(smaller, discordant, 0.5))
    point = math.exp(
        special.gammaln(discordant + 1)
        - special.gammaln(smaller + 1)
        - special.gammaln(discordant - smaller + 1)
        - discordant * math.log(2)
    )
    return min(1.0, 2 * tail - point)


# scipy.stats.wilcoxon's own choice of method for a sample of non-zero differences: exact (its null
# distribution) up to 50 without ties; an exact test over every assignment of signs (a permutation test
# of 2**n cases) up to 13 with ties; the normal approximation otherwise.
EXACT_UP_TO = 50
SIGN_FLIPS_UP_TO = 13


def wilcoxon_p(difference_counts: dict[int, int]) -> float | None:
    """Wilcoxon signed-rank test on paired differences (after minus before), two-sided, as
    scipy.stats.wilcoxon computes it by default (zero differences dropped, no continuity correction).

    The database returns the differences as aggregated counts ({difference: pairs}, at most nine keys
    from -4 to +4), never one row per pair, and the p-value is computed from those counts: exactly
    over the signs (`wilcoxon_sign_flip_p`) where scipy would run a permutation test, which costs it
    about 100 ms of CPU for 13 differences; by the normal approximation (`wilcoxon_normal_p`) where
    scipy would use it. Only a sample without ties (at most four differences, since they take only
    four sizes) goes to scipy itself.
    """
    nonzero = {difference: count for difference, count in difference_counts.items() if difference and count}
    total = sum(nonzero.values())
    if not total:
        return None
    tied = any(count > 1 for count in _counts_by_size(nonzero).values())
    if total <= EXACT_UP_TO and not tied:
        from scipy import stats

        differences = [difference for difference, count in nonzero.items() for _ in range(count)]
        return float(stats.wilcoxon(differences).pvalue)
    if total <= SIGN_FLIPS_UP_TO:
        return wilcoxon_sign_flip_p(nonzero)
    return wilcoxon_normal_p(nonzero)


def _counts_by_size(nonzero_counts: dict[int, int]) -> dict[int, int]:
    """How many differences have each size (absolute value)."""
    by_size: dict[int, int] = {}
    for difference, count in nonzero_counts.items():
        by_size[abs(difference)] = by_size.get(abs(difference), 0) + count
    return by_size


def _doubled_mid_ranks(by_size: dict[int, int]) -> dict[int, int]:
    """Twice the mid-rank of each size of difference (whole numbers, so sums compare exactly)."""
    doubled, ranked = {}, 0
    for size in sorted(by_size):
        doubled[size] = 2 * ranked + by_size[size] + 1
        ranked += by_size[size]
    return doubled


def wilcoxon_sign_flip_p(nonzero_counts: dict[int, int]) -> float:
    """The exact two-sided test over all 2**n assignments of signs to the differences' mid-ranks: the
    p-value scipy.stats.wilcoxon's permutation test gives for up to 13 tied differences, counted here
    by subset sums instead of 2**n recomputations of the statistic."""
    doubled = _doubled_mid_ranks(_counts_by_size(nonzero_counts))
    ranks = [doubled[abs(difference)] for difference, count in nonzero_counts.items() for _ in range(count)]
    observed = sum(doubled[d] * count for d, count in nonzero_counts.items() if d > 0)
    # ways[s]: how many assignments of signs give a positive rank sum of s.
    ways = {0: 1}
    for rank in ranks:
        grown = dict(ways)
        for total, number in ways.items():
            grown[total + rank] = grown.get(total + rank, 0) + number
        ways = grown
    cases = 2 ** len(ranks)
    at_most = sum(number for total, number in ways.items() if total <= observed)
    at_least = sum(number for total, number in ways.items() if total >= observed)
    return min(1.0, 2 * min(at_most / cases, at_least / cases))


def wilcoxon_normal_p(nonzero_counts: dict[int, int]) -> float:
    """The normal approximation of the signed-rank test, from counts of non-zero differences."""
    total = sum(nonzero_counts.values())
    by_size = _counts_by_size(nonzero_counts)
    doubled = _doubled_mid_ranks(by_size)
    rank_sum_positive = sum(doubled[abs(d)] / 2 * count for d, count in nonzero_counts.items() if d > 0)
    mean = total * (total + 1) / 4
    ties = sum(count**3 - count for count in by_size.values())
    spread = ((total * (total + 1) * (2 * total + 1) - ties / 2) / 24) ** 0.5
    z = (rank_sum_positive - mean) / spread
    return float(2 * special.ndtr(-abs(z)))


@dataclass
class PairedItem:
    code: str
    text: str
    theme: str
    n: int = 0
    agree_before: int = 0
    agree_after: int = 0
    agree_before_only: int = 0
    agree_after_only: int = 0
    difference_counts: dict[int, int] = field(default_factory=dict)
    suppressed: bool = False
    population: str = "mentee"
    position: int = 0
    headline: bool = False
    other_wordings: list[str] = field(default_factory=list)
    answered_after: int | None = None  # after answers given in the period, paired or not

    @property
    def unpaired_after(self) -> int | None:
        """People who answered the after survey in the period but not the before one."""
        if self.answered_after is None:
            return None
        return max(self.answered_after - self.n, 0)

    @property
    def share_before(self) -> float | None:
        return self.agree_before / self.n if self.n and not self.suppressed else None

    @property
    def share_after(self) -> float | None:
        return self.agree_after / self.n if self.n and not self.suppressed else None

    @property
    def ci_before(self):
        return None if self.suppressed else proportion_ci(self.agree_before, self.n)

    @property
    def ci_after(self):
        return None if self.suppressed else proportion_ci(self.agree_after, self.n)

    @property
    def mcnemar_p(self) -> float | None:
        return None if self.suppressed else mcnemar_p(self.agree_before_only, self.agree_after_only)

    @property
    def wilcoxon_p(self) -> float | None:
        return None if self.suppressed else wilcoxon_p(self.difference_counts)

    @property
    def change_points(self) -> float | None:
        if self.share_before is None:
            return None
        return round((self.share_after - self.share_before) * 100, 1)

    @property
    def change(self) -> float | None:
        if self.share_before is None:
            return None
        return (self.agree_after - self.agree_before) / self.n

    @property
    def ci_change(self):
        if self.suppressed:
            return None
        both = self.agree_before - self.agree_before_only
        neither = self.n - both - self.agree_before_only - self.agree_after_only
        return paired_difference_ci(both, self.agree_after_only, self.agree_before_only, neither)


def paired_items_from_cells(cells, texts: dict[str, str], themes: dict[str, str]) -> list[PairedItem]:
    """Fold (code, before, after, pairs) cells into one PairedItem per scale item."""
    items: dict[str, PairedItem] = {}
    for code, before, after, pairs in cells:
        if not pairs:
            continue
        item = items.setdefault(
            code, PairedItem(code=code, text=texts.get(code, code), theme=themes.get(code, ""))
        )
        agreed_before, agreed_after = before >= AGREE_THRESHOLD, after >= AGREE_THRESHOLD
        item.n += pairs
        item.agree_before += pairs if agreed_before else 0
        item.agree_after += pairs if agreed_after else 0
        item.agree_before_only += pairs if agreed_before and not agreed_after else 0
        item.agree_after_only += pairs if agreed_after and not agreed_before else 0
        item.difference_counts[after - before] = item.difference_counts.get(after - before, 0) + pairs
    for item in items.values():
        item.suppressed = item.n < SMALL_CELL
    return list(items.values())


def suppress_cells(rows: list[dict], count_key: str = "n") -> list[dict]:
    """Mark rows whose count is under five as suppressed, then hide more rows until the hidden ones
    add up to five or more and number at least two, so the total cannot give a small cell away."""
    for row in rows:
        row["suppressed"] = row[count_key] < SMALL_CELL
    hidden = [row for row in rows if row["suppressed"]]
    if hidden:
        shown = sorted((row for row in rows if not row["suppressed"]), key=lambda row: row[count_key])
        while shown and (len(hidden) < 2 or sum(row[count_key] for row in hidden) < SMALL_CELL):
            row = shown.pop(0)
            row["suppressed"] = True
            hidden.append(row)
    return rows


def _protect(cells: list[dict], count_key: str = "n") -> bool:
    """Within one set of cells whose total is known: if any is hidden, hide more (smallest first)
    until at least two are hidden and they add up to five or more. True if anything changed."""
    hidden = [cell for cell in cells if cell["suppressed"]]
    if not hidden:
        return False
    changed = False
    shown = sorted((cell for cell in cells if not cell["suppressed"]), key=lambda cell: cell[count_key])
    while shown and (len(hidden) < 2 or sum(cell[count_key] for cell in hidden) < SMALL_CELL):
        cell = shown.pop(0)
        cell["suppressed"] = True
        hidden.append(cell)
        changed = True
    return changed


def suppress_linked(parents: dict[str, list[dict]], children: list[dict]) -> None:
    """Suppression that holds across tables that nest: partners and programmes, each made of cohorts.

    Each parent table sums to the same total, and each child (a cohort) names the parents it is part
    of in `parents_of` ({"youth_partner": {id, ...}, "programme": {...}}). Small cells are hidden,
    then, until nothing changes: every table that has a hidden cell hides enough others (two or more,
    adding up to five or more); a hidden parent hides all its children, so they cannot add up to it;
    and within a shown parent the hidden children are again two or more adding up to five or more
    (else another child is hidden, or failing that the parent). So no hidden cell is the difference
    of shown figures, whichever tables are read together.
    """
    tables = [*parents.values(), children]
    for table in tables:
        suppress_cells(table)
    while True:
        changed = False
        for name, table in parents.items():
            hidden = {cell["group"] for cell in table if cell["suppressed"]}
            for child in children:
                if not child["suppressed"] and child["parents_of"].get(name, set()) & hidden:
                    child["suppressed"] = changed = True
            for parent in table:
                if parent["suppressed"]:
                    continue
                members = [
                    child for child in children if parent["group"] in child["parents_of"].get(name, ())
                ]
                if _protect(members):
                    changed = True
                hidden_members = [child for child in members if child["suppressed"]]
                if hidden_members and (
                    len(hidden_members) < 2 or sum(child["n"] for child in hidden_members) < SMALL_CELL
                ):
                    parent["suppressed"] = changed = True
        for table in tables:
            changed = _protect(table) or changed
        if not changed:
            return


def nps_from_counts(counts: dict[int, int]) -> dict | None:
    """Net Promoter Score: per cent promoters (9-10) minus per cent detractors (0-6)."""
    total = sum(counts.values())
    if total < SMALL_CELL:
        return {"n": total, "suppressed": True, "score": None} if total else None
    promoters = sum(count for value, count in counts.items() if value >= 9)
    detractors = sum(count for value, count in counts.items() if value <= 6)
    return {
        "n": total,
        "suppressed": False,
        "promoters": promoters,
        "passives": total - promoters - detractors,
        "detractors": detractors,
        "score": round((promoters - detractors) * 100 / total),
    }


def theme_score(total_value: int, answers: int) -> float | None:
    """Mean agreement on a 0-100 scale (1 = 0, 5 = 100)."""
    if answers < SMALL_CELL:
        return None
    return round((total_value / answers - 1) * 25, 1)
