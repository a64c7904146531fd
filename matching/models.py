"""Matching in the database: rounds and their proposals, decisions, outcomes and opportunities.

The engine (`matching.engine`) works on plain arrays; these models hold what a round was asked to
do, what it proposed, what coordinators decided and what people were told.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import TimeStampedModel
from matching.engine import Weights

WEIGHT_NAMES = Weights.NAMES


def _weight_field(name: str, label: str):
    return models.FloatField(
        label,
        default=getattr(Weights(), name),
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )


class MatchingSettings(TimeStampedModel):
    """A programme's scoring weights and matching options. Without a row, the engine's defaults apply."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="matching_settings"
    )
    support = _weight_field("support", "support wanted that the mentor offers")
    first_need = _weight_field("first_need", "first-priority need offered")
    industry = _weight_field("industry", "industry of interest")
    interests = _weight_field("interests", "shared interests")
    availability = _weight_field("availability", "shared free times")
    geography = _weight_field("geography", "same region")
    preferences = _weight_field("preferences", "one-to-one or one-to-two as preferred")
    induction_required_for_all = models.BooleanField(
        default=False, help_text="Induction is always required under 18; tick to require it of everyone."
    )
    low_score_warning = models.FloatField(
        "warn about manual matches scoring below",
        default=40.0,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )

    class Meta:
        verbose_name_plural = "matching settings"

    def __str__(self):
        return f"Matching settings for {self.programme}"

    def weights(self) -> Weights:
        return Weights(**{name: getattr(self, name) for name in WEIGHT_NAMES})


class RoundStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class MatchingRound(TimeStampedModel):
    """One run of the engine over a pool: a cohort, a youth partner's cohorts, or a whole programme."""

    class Scope(models.TextChoices):
        COHORT = "cohort", "One cohort"
        YOUTH_PARTNER = "youth_partner", "A youth partner's cohorts"
        PROGRAMME = "programme", "The programme's national pool"

    Status = RoundStatus
    ACTIVE_STATUSES = (RoundStatus.QUEUED, RoundStatus.RUNNING)

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=20, choices=Scope.choices)
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    youth_partner = models.ForeignKey(
        "programmes.YouthPartner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Identifies the pool, so two rounds for the same pool cannot be active at once.
    pool_key = models.CharField(max_length=60, editable=False)
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    progress_message = models.CharField(max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    protect_worst_off = models.BooleanField(
        "protect the worst-off",
        default=False,
        help_text="Raise the lowest score as far as possible, at some cost to the total score.",
    )
    weights = models.JSONField(default=dict, blank=True, help_text="The weights the round used.")
    quality = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, max_length=2000)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool_key"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_round_per_pool",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="matching_round_progress_at_most_100"
            ),
        ]

    def __str__(self):
        return f"Matching round #{self.pk}: {self.pool_label}"

    def get_absolute_url(self):
        return reverse("matching:round_detail", args=[self.pk])

    @property
    def pool_label(self) -> str:
        if self.scope == self.Scope.COHORT and self.cohort_id:
            return str(self.cohort)
        if self.scope == self.Scope.YOUTH_PARTNER and self.youth_partner_id:
            return f"{self.youth_partner} ({self.programme})"
        return f"{self.programme}: national pool"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @staticmethod
    def make_pool_key(*, programme_id: int, scope: str, cohort_id=None, youth_partner_id=None) -> str:
        if scope == MatchingRound.Scope.COHORT:
            return f"cohort:{cohort_id}"
        if scope == MatchingRound.Scope.YOUTH_PARTNER:
            return f"partner:{programme_id}:{youth_partner_id}"
        return f"programme:{programme_id}"


class Proposal(TimeStampedModel):
    """A pair the engine (or a coordinator by hand) proposed, waiting for or carrying a decision."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Awaiting a decision"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        SUPERSEDED = "superseded", "No longer possible"

    round = models.ForeignKey(
        MatchingRound, null=True, blank=True, on_delete=models.CASCADE, related_name="proposals"
    )
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey("programmes.Cohort", on_delete=models.PROTECT, related_name="+")
    score = models.FloatField()
    explanation = models.TextField(max_length=2000, blank=True)
    first_need_met = models.BooleanField(default=False)
    locked = models.BooleanField(default=False, help_text="Kept from an earlier approval.")
    manual = models.BooleanField(default=False, help_text="Chosen by hand by a coordinator.")
    group_key = models.CharField(
        max_length=40, blank=True, help_text="Shared by a one-to-two's two proposals."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField("reason", max_length=1000, blank=True)
    relationship = models.OneToOneField(
        "mentoring.Relationship", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["round_id", "-score", "id"]
        constraints = [
            # Two rounds over overlapping pools can never leave a mentee with two open proposals.
            models.UniqueConstraint(
                fields=["mentee"], condition=Q(status="proposed"), name="one_open_proposal_per_mentee"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""), name="rejected_proposal_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "cohort"]),
            # A round's page lists its proposals in this order: the first page is read from the index.
            models.Index(fields=["round", "status", "-score", "id"], name="proposal_round_order"),
        ]

    def __str__(self):
        return f"Proposal: {self.mentor} for {self.mentee.first_name}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PROPOSED


class RejectedPair(TimeStampedModel):
    """A pair a coordinator rejected: never proposed again."""

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(max_length=1000)
    proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["mentor", "mentee"], name="unique_rejected_pair")]

    def __str__(self):
        return f"Rejected pair: {self.mentor} and {self.mentee.first_name}"


class UnmatchedOutcome(TimeStampedModel):
    """Someone a round could not match, the reason category they were told, and the reason itself."""

    class Side(models.TextChoices):
        MENTEE = "mentee", "Mentee"
        MENTOR = "mentor", "Mentor"

    class Category(models.TextChoices):
        NOT_READY = "not_ready", "Something still needs doing before matching"
        NO_SUITABLE_MATCH = "no_suitable_match", "No suitable match in this round"
        OTHERS_CLOSER = "others_closer", "Others in this round were a closer fit"

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="unmatched")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    category = models.CharField(max_length=20, choices=Category.choices)
    reason_code = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=300)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["side", "category", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person", "side"], name="one_outcome_per_person_per_round"
            )
        ]

    def __str__(self):
        return f"{self.get_side_display()} {self.person_id} unmatched in round {self.round_id}"


class Opportunity(TimeStampedModel):
    """A cohort that needs mentors, open for approved mentors to choose. Holds no mentee's data."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    cohort = models.ForeignKey("programmes.Cohort", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=160)
    description = models.TextField(
        max_length=2000,
        help_text="What the cohort is about. Do not name or describe individual young people.",
    )
    places = models.PositiveSmallIntegerField(
        "mentors wanted", default=1, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    answer_within_days = models.PositiveSmallIntegerField(
        "days to answer a mentor", default=10, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "opportunities"

    def __str__(self):
        return self.title


class InterestExpression(TimeStampedModel):
    """A mentor's request to mentor in an opportunity's cohort; the coordinator answers before it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the coordinator"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Not taken up"
        EXPIRED = "expired", "Expired without an answer"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="interests")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.TextField("a note to the coordinator", max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["expires_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor"], condition=Q(status="pending"), name="one_pending_interest_per_mentor"
            )
        ]

    def __str__(self):
        return f"{self.mentor} interested in {self.opportunity}"
