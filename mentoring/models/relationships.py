from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.models import TimeStampedModel
from programmes.models import Cohort


class RelationshipQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Relationship.OPEN_STATUSES)


class EndReason(models.TextChoices):
    COMPLETED = "completed", "Completed as planned"
    MENTEE_WITHDREW = "mentee_withdrew", "The mentee withdrew"
    MENTOR_WITHDREW = "mentor_withdrew", "The mentor withdrew"
    NOT_WORKING = "not_working", "It was not working out"
    SAFEGUARDING = "safeguarding", "Safeguarding"
    MOVED = "moved", "Moved away"
    OTHER = "other", "Another reason"


class Relationship(TimeStampedModel):
    """A mentor matched with a mentee. One-to-two is two relationships sharing `group_key`."""

    EndReason = EndReason

    class Status(models.TextChoices):
        APPROVED = "approved", "Approved"
        INTRODUCED = "introduced", "Introduced"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        ENDED_EARLY = "ended_early", "Ended early"

    OPEN_STATUSES = (Status.APPROVED, Status.INTRODUCED, Status.ACTIVE, Status.PAUSED)

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentor_relationships"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentee_relationships"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="relationships")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.APPROVED)
    group_key = models.CharField(
        max_length=40, blank=True, help_text="Shared by the two relationships of a one-to-two."
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    planned_end_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    messaging_enabled = models.BooleanField(default=True)
    rematch_available_on = models.DateField(
        null=True, blank=True, help_text="After an early end: when the mentee may be matched again."
    )

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=Q(status__in=["approved", "introduced", "active", "paused"]),
                name="one_open_relationship_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")), name="relationship_mentor_is_not_mentee"
            ),
        ]
        indexes = [models.Index(fields=["mentor", "status"]), models.Index(fields=["mentee", "status"])]

    def __str__(self):
        return f"{self.mentor} mentoring {self.mentee.first_name}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def get_absolute_url(self):
        return reverse("mentoring:relationship_detail", args=[self.pk])
