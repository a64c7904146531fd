"""What resources holds about people, for the personal data register (core/personal_data.py)."""

from core.personal_data import DELETE, not_personal_data, register

from .models import Bulletin, BulletinDelivery, Resource, ResourceRating, SessionResource


def _remove_ratings(ratings, person) -> None:
    from .services import resource_ratings_remove

    resource_ratings_remove(mentor_id=person.pk)


def register_entries() -> None:
    register(
        ResourceRating,
        section="resource_ratings",
        title="Resource ratings",
        description="The stars you gave to resources in the library.",
        subject=("mentor",),
        fields=("resource__title", "stars", "created_at"),
        erasure=DELETE,
        # The resources' rating totals are counted again without these.
        before_erase=_remove_ratings,
    )
    register(
        BulletinDelivery,
        section="bulletins_received",
        title="Bulletins sent to you",
        description="Which bulletins were emailed to you, and when.",
        subject=("recipient",),
        fields=("bulletin__title", "sent_at"),
        erasure=DELETE,
    )
    not_personal_data(
        Resource,
        reason="Published library content; it only names the member of staff who wrote it.",
        actors=("created_by",),
    )
    not_personal_data(
        SessionResource,
        reason="Which resource a session used; it names who attached it, and the session itself is in "
        "the mentoring records.",
        actors=("attached_by",),
    )
    not_personal_data(
        Bulletin,
        reason="A newsletter sent to many people; it only names the member of staff who wrote it.",
        actors=("created_by",),
    )
