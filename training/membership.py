"""Which mentors take part in which programme, for training requirements and reports.

A mentor belongs to a programme by a mentor role assigned at that programme (accounts, below
training) or by a relationship in one of its cohorts. Relationships live in `mentoring`, above
training, so mentoring registers a source in its AppConfig.ready():

    register_membership_source(relationship_memberships, of_request=programme_ids_read_for)

A source takes `mentor_id` and `programme_id` (either may be None, meaning any) and returns
(mentor id, programme id) pairs, as a list or a values_list queryset. It may also give, as
`of_request`, a function that takes a request and gives the programme ids the source holds for the
signed-in person, from what that request has read already (the mentor's home reads their
relationships for its mentoring panel): `programme_ids_of_mentor` asks it rather than the database.
"""

from collections.abc import Callable, Iterable

from accounts.models import Role, RoleAssignment

MembershipSource = Callable[..., Iterable[tuple[int, int]]]
RequestSource = Callable[..., Iterable[int | None]]

_sources: list[MembershipSource] = []
_of_request: dict[MembershipSource, RequestSource] = {}


def register_membership_source(
    function: MembershipSource, *, of_request: RequestSource | None = None
) -> None:
    if function not in _sources:
        _sources.append(function)
    if of_request is not None:
        _of_request[function] = of_request


def unregister_membership_source(function: MembershipSource) -> None:
    if function in _sources:
        _sources.remove(function)
    _of_request.pop(function, None)


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


def programme_ids_of_mentor(user, request=None) -> set[int]:
    """The programmes `user` takes part in as a mentor: `mentor_programme_pairs` for one person, whose
    role assignments are already read for the request (one query fewer). With the `request` `user` is
    signed in to, each source that can answer from what the request has read (`of_request`) does."""
    ids = {programme for role, _partner, programme in user._assignments if role == Role.MENTOR and programme}
    signed_in = request is not None and request.user.pk == user.pk
    for source in _sources:
        of_request = _of_request.get(source) if signed_in else None
        if of_request is not None:
            ids.update(programme for programme in of_request(request) if programme)
            continue
        ids.update(
            programme for _mentor, programme in source(mentor_id=user.pk, programme_id=None) if programme
        )
    return ids
