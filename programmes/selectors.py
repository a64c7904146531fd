"""Read queries about programmes shared by several apps' pages."""

from core import policy

from .models import Programme


def programmes_seen_by(request) -> list[Programme]:
    """The programmes the signed-in person may see, by name: read once per request, for the home page's
    panels that each show some of them (the funder's headline figures and programme table)."""
    found = getattr(request, "_programmes_seen", None)
    if found is None or found[0] != request.user.pk:
        found = request._programmes_seen = (
            request.user.pk,
            list(policy.scope(request.user, policy.VIEW, Programme).order_by("name")),
        )
    return found[1]
