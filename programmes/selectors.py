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


def relationship_totals_known(request) -> dict[int, int]:
    """The relationships counted per programme (all of them, any status and date) by a part of this
    request's page that has already counted them (the funder's headline delivery measures): the
    programme table counts only the programmes missing here. Filled and read within one request."""
    return once_per_request(request, "programme_relationship_totals", dict)
