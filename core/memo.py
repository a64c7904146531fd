"""Values worked out once per request and person, for the several parts of a page that show them."""

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def once_per_request(request, name: str, compute: Callable[[], T]) -> T:
    """`compute()` the first time the request asks for `name` (again if the signed-in person has
    changed since, as at signing in), the kept value after that."""
    attribute = f"_once_{name}"
    kept = getattr(request, attribute, None)
    if kept is None or kept[0] != request.user.pk:
        kept = (request.user.pk, compute())
        setattr(request, attribute, kept)
    return kept[1]
