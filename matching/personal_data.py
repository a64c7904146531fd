"""What matching holds about people, for the personal data register (core/personal_data.py)."""

from core.personal_data import DELETE, not_personal_data, register

from .models import InterestExpression, MatchingRound, Opportunity, Proposal, RejectedPair, UnmatchedOutcome


def register_entries() -> None:
    register(
        Proposal,
        section="matching_proposals",
        title="Suggested matches",
        description="Each mentor and mentee pairing suggested for you, its score and what was decided.",
        subject=("mentor", "mentee"),
        actors=("decided_by",),
        fields=(
            "round__programme__name",
            "mentor__first_name",
            "mentor__last_name",
            "mentee__first_name",
            "mentee__last_name",
            "score",
            "explanation",
            "status",
            "decided_at",
            "reason",
        ),
        erasure=DELETE,
    )
    register(
        RejectedPair,
        section="rejected_pairings",
        title="Pairings a coordinator ruled out",
        description="Pairings a coordinator decided should not be made.",
        subject=("mentor", "mentee"),
        export_subject=(),
        not_exported="The coordinator's note concerns the other person as much as you.",
        actors=("rejected_by",),
        erasure=DELETE,
    )
    register(
        UnmatchedOutcome,
        section="unmatched_outcomes",
        title="Rounds where you were not matched",
        description="Matching rounds in which no match was found for you, and why.",
        subject=("person",),
        fields=("round__programme__name", "side", "category", "reason", "notified_at"),
        erasure=DELETE,
    )
    register(
        InterestExpression,
        section="opportunity_interest",
        title="Interest in mentoring opportunities",
        description="The opportunities you offered to take up, your message and the answer.",
        subject=("mentor",),
        actors=("decided_by",),
        fields=("opportunity__title", "message", "status", "expires_at", "decided_at", "reason"),
        erasure=DELETE,
    )
    not_personal_data(
        MatchingRound,
        reason="A run of the matching engine; it only names the member of staff who started it.",
        actors=("started_by",),
    )
    not_personal_data(
        Opportunity,
        reason="A place offered to mentors; it only names the member of staff who posted it.",
        actors=("created_by",),
    )
