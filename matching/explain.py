"""Plain-words explanations of a proposed pair, built from label lookups.

Explanations are made only for the pairs a round proposes, never for every candidate.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from matching import taxonomy


@dataclass(frozen=True)
class Labels:
    """What each bit and code means, in words. Region labels are indexed by region code."""

    support: tuple[str, ...] = tuple(label for _code, label in taxonomy.SUPPORT)
    industries: tuple[str, ...] = tuple(label for _code, label in taxonomy.INDUSTRIES)
    interests: tuple[str, ...] = tuple(label for _code, label in taxonomy.INTERESTS)
    regions: tuple[str, ...] = ()
    days: tuple[str, ...] = tuple(label for _code, label in taxonomy.DAYS)
    parts_of_day: tuple[str, ...] = tuple(label for _code, label in taxonomy.PARTS_OF_DAY)


def bits(mask: int) -> list[int]:
    """Positions of the set bits, lowest first."""
    mask, positions = int(mask), []
    while mask:
        lowest = mask & -mask
        positions.append(lowest.bit_length() - 1)
        mask ^= lowest
    return positions


@functools.lru_cache(maxsize=65536)
def _set_bits(mask: int) -> tuple[int, ...]:
    """`bits` as a tuple, remembered: a round explains many pairs with the same shared bits."""
    return tuple(bits(mask))


def words(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"; labels that hold a comma or "and" themselves are kept whole
    with semicolons: "CVs and applications; balancing work, study and wellbeing"."""
    if len(items) <= 1:
        return "".join(items)
    if any("," in item or " and " in item for item in items):
        return "; ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# Words that start with a vowel letter but a consonant sound ("a university lecturer").
_CONSONANT_SOUND = ("uni", "use", "usu", "uro", "eu", "one", "once")
# Capitalised abbreviations read letter by letter: "an HR adviser", "a UX designer".
_VOWEL_SOUND_LETTERS = "AEFHILMNORSX"


def _article(noun: str) -> str:
    first = noun.split()[0] if noun.split() else ""
    if len(first) > 1 and first.isupper():
        return "an" if first[0] in _VOWEL_SOUND_LETTERS else "a"
    lowered = first.lower()
    if lowered.startswith(_CONSONANT_SOUND):
        return "a"
    return "an" if lowered[:1] in "aeiou" else "a"


def _job_title(title: str) -> str:
    """Lower case for reading in a sentence, keeping abbreviations: "UX designer", "HR adviser"."""
    return " ".join(word if len(word) > 1 and word.isupper() else word.lower() for word in title.split())


@functools.lru_cache(maxsize=65536)
def availability_words(mask: int, labels: Labels) -> str:
    """e.g. "weekday afternoons and Saturday mornings"."""
    parts_count = len(labels.parts_of_day)
    phrases = []
    for part, part_label in enumerate(labels.parts_of_day):
        days = [day for day in range(len(labels.days)) if (int(mask) >> (day * parts_count + part)) & 1]
        if not days:
            continue
        weekdays = [day for day in days if day < 5]
        weekend = [day for day in days if day >= 5]
        names = []
        if len(weekdays) == 5:
            names.append("weekday")
        else:
            names.extend(labels.days[day] for day in weekdays)
        if len(weekend) == 2:
            names.append("weekend")
        else:
            names.extend(labels.days[day] for day in weekend)
        phrases.append(f"{words(names)} {part_label}s")
    if len(phrases) > 3:
        phrases = phrases[:3] + ["other times"]
    return words(phrases)


def explain_pair(
    *,
    mentee: dict,
    mentor: dict,
    labels: Labels,
    mentor_job_title: str = "",
) -> str:
    """One line saying why this pair fits, from the two rows' raw values (plain ints and bools)."""
    parts = (
        industry_words(
            mentee["industries"] & mentor["industries"],
            mentee["industries"],
            mentor_job_title,
            mentor.get("job_industry", -1),
            labels,
        ),
        support_words(
            mentee["needs"] & mentor["offers"], mentee["first_need"], bool(mentee["needs"]), labels
        ),
        interest_words(mentee["interests"] & mentor["interests"], labels),
        region_words(
            mentee["region"] == mentor["region"], mentee["region"], bool(mentee["outside_region_ok"]), labels
        ),
        time_words(mentee["availability"] & mentor["availability"], labels),
        mode_words(bool(mentor["group_mode"]), bool(mentee["prefers_one_to_two"])),
    )
    return "; ".join(part for part in parts if part)


# Each part of an explanation from the few values it depends on ("" when it says nothing), so that
# a round's proposals can be explained from their distinct values (`explain_pairs`).


def industry_words(shared: int, wanted: int, title: str, title_industry: int, labels: Labels) -> str:
    """The industry part: `shared` industries of both, the mentee's `wanted` industries."""
    shared_industries = _set_bits(shared)
    if shared_industries:
        # The job title is named only beside the industry it belongs to: a mentor who is an
        # accountant and also works in marketing "works in marketing", never "is an accountant",
        # for a mentee who wants marketing.
        title = title.strip()
        if title and title_industry in shared_industries:
            industry = labels.industries[title_industry]
            return f"wants {industry}, mentor is {_article(title)} {_job_title(title)}"
        industry = labels.industries[shared_industries[0]]
        return f"wants {industry}, mentor works in {industry}"
    if wanted:
        wanted_words = words([labels.industries[bit] for bit in _set_bits(wanted)[:2]])
        return f"interested in {wanted_words}, which is not the mentor's industry"
    return ""


def support_words(offered_mask: int, first: int, asked: bool, labels: Labels) -> str:
    """The support part: what the mentor offers of what the mentee asked for (`asked`: anything)."""
    offered = _set_bits(offered_mask)
    if first >= 0 and first in offered:
        others = [labels.support[bit] for bit in offered if bit != first]
        text = f"first priority is {labels.support[first]}, which the mentor offers"
        if others:
            text += f", as well as {words(others)}"
        return text
    if offered:
        text = f"mentor offers {words([labels.support[bit] for bit in offered])}"
        if first >= 0:
            text += f" but not the first priority, {labels.support[first]}"
        return text
    return "mentor does not offer the support asked for" if asked else ""


def interest_words(shared: int, labels: Labels) -> str:
    shared_interests = _set_bits(shared)
    if shared_interests:
        return f"both like {words([labels.interests[bit] for bit in shared_interests])}"
    return ""


def region_words(same: bool, region: int, outside_region_ok: bool, labels: Labels) -> str:
    if same:
        name = labels.regions[region] if 0 <= region < len(labels.regions) else ""
        return f"same region ({name})" if name else "same region"
    if outside_region_ok:
        return "different regions, as the mentee asked to be matched outside their own"
    return "different regions, meeting online"


def time_words(overlap: int, labels: Labels) -> str:
    if overlap:
        return f"both free on {availability_words(overlap, labels)}"
    return "no free times in common yet"


def mode_words(group_mode: bool, prefers_one_to_two: bool) -> str:
    if group_mode:
        return (
            "one-to-two, as the mentee prefers"
            if prefers_one_to_two
            else "one-to-two, which the mentee accepted"
        )
    if prefers_one_to_two:
        return "one-to-one, although the mentee would prefer one-to-two"
    return ""


def explain_pairs(mentee: dict, mentor: dict, titles: list[str], labels: Labels) -> list[str]:
    """`explain_pair` for many pairs at once: `mentee` and `mentor` map the names `explain_pair`
    reads to numpy arrays (one entry per pair), `titles` the mentors' job titles. Each part is
    worded once per distinct set of the values it depends on, then the parts are joined per pair:
    the same text as `explain_pair`, pair by pair."""
    count = len(titles)
    if not count:
        return []
    shared_industries = mentee["industries"] & mentor["industries"]
    title_code: dict[str, int] = {}
    codes = np.asarray([title_code.setdefault(title, len(title_code)) for title in titles], np.int64)
    title_of = list(title_code)
    has_shared = shared_industries != 0
    # Values a part does not read are set to zero, so that fewer sets of values are distinct.
    industry = _by_values(
        lambda shared, wanted, code, title_industry: industry_words(
            shared, wanted, title_of[code], title_industry, labels
        ),
        shared_industries,
        np.where(has_shared, 0, mentee["industries"]),
        np.where(has_shared, codes, 0),
        np.where(has_shared, mentor["job_industry"], -1),
    )
    needs = mentee["needs"]
    support = _by_values(
        lambda offered, first, asked: support_words(offered, first, bool(asked), labels),
        needs & mentor["offers"],
        mentee["first_need"],
        needs != 0,
    )
    interests = _by_values(
        lambda shared: interest_words(shared, labels), mentee["interests"] & mentor["interests"]
    )
    same_region = mentee["region"] == mentor["region"]
    region = _by_values(
        lambda same, region, outside: region_words(bool(same), region, bool(outside), labels),
        same_region,
        np.where(same_region, mentee["region"], 0),
        ~same_region & mentee["outside_region_ok"],
    )
    times = _by_values(
        lambda overlap: time_words(overlap, labels), mentee["availability"] & mentor["availability"]
    )
    mode = _by_values(
        lambda group, prefers: mode_words(bool(group), bool(prefers)),
        mentor["group_mode"],
        mentee["prefers_one_to_two"],
    )
    # Each part comes with the separator before it, or empty; the line drops the first separator.
    return [
        (first + second + third + fourth + fifth + sixth)[_SKIP:]
        for first, second, third, fourth, fifth, sixth in zip(
            industry, support, interests, region, times, mode, strict=True
        )
    ]


_SEPARATOR = "; "
_SKIP = len(_SEPARATOR)


def _by_values(word, *columns: np.ndarray) -> list[str]:
    """`word(*values)` for each entry of the columns, with the separator before it (empty when it
    says nothing), called once per distinct set of values."""
    values_of, inverse_of = [], []
    for column in columns:
        values, inverse = np.unique(np.asarray(column), return_inverse=True)
        values_of.append(values.tolist())  # plain Python values, as explain_pair is given
        inverse_of.append(inverse.ravel())
    # A code per distinct set of values, numbered 0, 1, ... again after each column so it stays small.
    codes = inverse_of[0]
    for values, inverse in zip(values_of[1:], inverse_of[1:], strict=True):
        codes = np.unique(codes * len(values) + inverse, return_inverse=True)[1].ravel()
    _distinct, first = np.unique(codes, return_index=True)
    texts = []
    for entry in first.tolist():
        text = word(*(values[inverse[entry]] for values, inverse in zip(values_of, inverse_of, strict=True)))
        texts.append(_SEPARATOR + text if text else "")
    return [texts[code] for code in codes.tolist()]
