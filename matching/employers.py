"""Who employs each mentor, for "same organisation" conflict-of-interest checks in a round.

Matching knows what a mentor typed on their profile (`MentorProfile.employer_name`). An app higher
up that knows more (community's employer partners) registers a source in its AppConfig.ready():

    register_employer_source(mentor_employer_names)

A source takes mentor ids and returns {mentor id: organisation name} for the mentors it knows; its
names win over the typed ones, later sources over earlier ones. This module loads no numpy, so
registering a source at start-up costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from accounts.models import MentorProfile

EmployerSource = Callable[[list[int]], dict[int, str]]

_sources: list[EmployerSource] = []


def register_employer_source(function: EmployerSource) -> None:
    if function not in _sources:
        _sources.append(function)


def unregister_employer_source(function: EmployerSource) -> None:
    if function in _sources:
        _sources.remove(function)


def normalise_organisation(name: str) -> str | None:
    """Lower case, punctuation and common suffixes dropped: "St. Mary's School Ltd" -> "st marys school"."""
    words = re.sub(r"[^a-z0-9 ]+", "", (name or "").lower().replace("&", " and ")).split()
    words = [word for word in words if word not in {"ltd", "limited", "plc", "llp", "the", "uk"}]
    return " ".join(words) or None


def mentor_employer_keys(mentor_ids: Iterable[int]) -> dict[int, str]:
    """{mentor id: normalised organisation name}, comparable with a mentee's youth partner (an
    employer programme) and with other mentors. Mentors with no known employer are left out. One
    query for the typed names plus what each registered source costs (community: one)."""
    mentor_ids = list(mentor_ids)
    names = dict(
        MentorProfile.objects.filter(user_id__in=mentor_ids)
        .exclude(employer_name="")
        .values_list("user_id", "employer_name")
    )
    for source in _sources:
        names.update(source(mentor_ids))
    keys = {mentor_id: normalise_organisation(name) for mentor_id, name in names.items()}
    return {mentor_id: key for mentor_id, key in keys.items() if key}
