"""Plain-words explanations of a proposed pair, built from label lookups.

Explanations are made only for the pairs a round proposes, never for every candidate.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

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
    parts = []
    shared_industries = _set_bits(mentee["industries"] & mentor["industries"])
    if shared_industries:
        # The job title is named only beside the industry it belongs to: a mentor who is an
        # accountant and also works in marketing "works in marketing", never "is an accountant",
        # for a mentee who wants marketing.
        title = mentor_job_title.strip()
        title_industry = mentor.get("job_industry", -1)
        if title and title_industry in shared_industries:
            industry = labels.industries[title_industry]
            parts.append(f"wants {industry}, mentor is {_article(title)} {_job_title(title)}")
        else:
            industry = labels.industries[shared_industries[0]]
            parts.append(f"wants {industry}, mentor works in {industry}")
    elif mentee["industries"]:
        wanted = words([labels.industries[bit] for bit in _set_bits(mentee["industries"])[:2]])
        parts.append(f"interested in {wanted}, which is not the mentor's industry")

    offered = _set_bits(mentee["needs"] & mentor["offers"])
    first = mentee["first_need"]
    if first >= 0 and first in offered:
        others = [labels.support[bit] for bit in offered if bit != first]
        text = f"first priority is {labels.support[first]}, which the mentor offers"
        if others:
            text += f", as well as {words(others)}"
        parts.append(text)
    elif offered:
        text = f"mentor offers {words([labels.support[bit] for bit in offered])}"
        if first >= 0:
            text += f" but not the first priority, {labels.support[first]}"
        parts.append(text)
    elif mentee["needs"]:
        parts.append("mentor does not offer the support asked for")

    shared_interests = _set_bits(mentee["interests"] & mentor["interests"])
    if shared_interests:
        parts.append(f"both like {words([labels.interests[bit] for bit in shared_interests])}")

    if mentee["region"] == mentor["region"]:
        region = mentee["region"]
        name = labels.regions[region] if 0 <= region < len(labels.regions) else ""
        parts.append(f"same region ({name})" if name else "same region")
    elif mentee["outside_region_ok"]:
        parts.append("different regions, as the mentee asked to be matched outside their own")
    else:
        parts.append("different regions, meeting online")

    overlap = mentee["availability"] & mentor["availability"]
    if overlap:
        parts.append(f"both free on {availability_words(overlap, labels)}")
    else:
        parts.append("no free times in common yet")

    if mentor["group_mode"]:
        parts.append(
            "one-to-two, as the mentee prefers"
            if mentee["prefers_one_to_two"]
            else "one-to-two, which the mentee accepted"
        )
    elif mentee["prefers_one_to_two"]:
        parts.append("one-to-one, although the mentee would prefer one-to-two")
    return "; ".join(parts)
