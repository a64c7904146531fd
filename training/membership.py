"""Which mentors take part in which programme, for training requirements and reports.

A mentor belongs to a programme by a mentor role assigned at that programme (accounts, below
training) or by a relationship in one of its cohorts. Relationships live in `mentoring`, above
training, so mentoring registers a source in its AppConfig.ready():

    register_membership_source(relationship_memberships)

A source takes `mentor_id` and `programme_id` (either may be None, meaning any) and returns
(mentor id, programme id) pairs, as a list or a values_list queryset.
"""

from collections.abc import Callable, Iterable

from accounts.models import Role, RoleAssignment

MembershipSource = Callable[..., Iterable[tuple[int, int]]]

_sources: list[MembershipSource] = []


def register_membership_source(function: MembershipSource) -> None:
    if function not in _sources:
        _sources.append(function)


def unregister_membership_source(function: MembershipSource) -> None:
    if function in _sources:
        _sources.remove(function)


def mentor_programme_pairs(
    *, mentor_id: int | None = None, programme_id: int | None = None
) -> set[tuple[int, int]]:
    """(mentor id, programme id) for every mentor taking part in a programme, narrowed to one mentor
    or one programme when given. One query for the roles plus one per registered source."""
    roles = RoleAssignment.objects.filter(role=Role.MENTOR, programme__isnull=False)
    if mentor_id is not None:
        roles = roles.filter(user_id=mentor_id)
    if programme_id is not None:
        roles = roles.filter(programme_id=programme_id)
    pairs = set(roles.values_list("user_id", "programme_id"))
    for source in _sources:
        pairs.update(
            (mentor, programme)
            for mentor, programme in source(mentor_id=mentor_id, programme_id=programme_id)
            if programme is not None
        )
    return pairs


def programme_ids_of_mentor(user) -> set[int]:
    """The programmes `user` takes part in as a mentor: `mentor_programme_pairs` for one person, whose
    role assignments are already read for the request (one query fewer)."""
    ids = {programme for role, _partner, programme in user._assignments if role == Role.MENTOR and programme}
    for source in _sources:
        ids.update(
            programme for _mentor, programme in source(mentor_id=user.pk, programme_id=None) if programme
        )
    return ids
