"""Read queries about programmes shared by several apps' pages."""

from core import policy
from core.memo import once_per_request

from .models import Programme


def programmes_seen_by(request) -> list[Programme]:
    """The programmes the signed-in person may see, by name: read once per request, for the home page's
    panels that each show some of them (the funder's headline figures and programme table)."""
    return once_per_request(
        request,
        "programmes_seen",
        lambda: list(policy.scope(request.user, policy.VIEW, Programme).order_by("name")),
    )
