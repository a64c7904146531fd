"""Concerns and disclosures, their append-only case records, messages, and the outbox that carries
safeguarding alerts from a committed transaction to a Celery task."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.links import reverse_id
from core.models import TimeStampedModel


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(f"{self.model._meta.verbose_name_plural} are append-only.")

    def delete(self):
        raise PermissionError(f"{self.model._meta.verbose_name_plural} are append-only.")


class NoDeleteQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionError(f"{self.model._meta.verbose_name_plural} cannot be deleted.")


class Concern(TimeStampedModel):
    """A safeguarding concern or disclosure as first recorded. What the reporter wrote never changes;
    everything the DSL does afterwards is a `CaseEntry`."""

    class Kind(models.TextChoices):
        CHILD = "child", "A worry about a young person's safety or wellbeing"
        ADULT = "adult", "A low-level concern about an adult's behaviour (a mentor, staff or volunteer)"

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        ACKNOWLEDGED = "acknowledged", "Acknowledged by a safeguarding lead"
        IN_PROGRESS = "in_progress", "Being looked into"
        REFERRED = "referred", "Referred to another agency"
        CLOSED = "closed", "Closed"

    # Fields the reporter writes; frozen once saved.
    REPORTED_FIELDS = (
        "kind",
        "reporter_id",
        "young_person_id",
        "adult_concerned",
        "immediate_danger",
        "childs_words",
        "questions_asked",
        "happened_at",
        "who_is_at_risk",
        "context",
        "facts",
        "opinion",
    )

    kind = models.CharField("what is this about?", max_length=10, choices=Kind.choices, default=Kind.CHILD)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_reported"
    )
    young_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns_about",
        help_text="The young person this is about, if you know.",
    )
    adult_concerned = models.CharField("the adult concerned (name and role)", max_length=200, blank=True)
    immediate_danger = models.BooleanField("someone is in immediate danger", default=False)
    childs_words = models.TextField(
        "what the young person said, in their own words", blank=True, max_length=10000
    )
    questions_asked = models.TextField("the questions you asked", blank=True, max_length=5000)
    happened_at = models.DateTimeField("when it happened, or when you were told")
    who_is_at_risk = models.TextField("who may be at risk", max_length=2000)
    context = models.TextField("where and how it came up", blank=True, max_length=5000)
    facts = models.TextField("what you saw or heard (facts only)", max_length=10000)
    opinion = models.TextField(
        "your own view or worries (kept apart from the facts)", blank=True, max_length=5000
    )

    # Routing and handling, set by services.
    youth_partner = models.ForeignKey(
        "programmes.YouthPartner", null=True, blank=True, on_delete=models.PROTECT, related_name="concerns"
    )
    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="concerns"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    acknowledge_by = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    retain_until = models.DateField(help_text="Review date: the child's date of birth plus 25 years.")

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["youth_partner", "status"]),
            models.Index(fields=["status", "acknowledge_by"]),
            # The concern list's order (unacknowledged first, newest first): its first page reads
            # the index in this order instead of joining every concern's reporter before sorting.
            models.Index(fields=["acknowledged_at", "-created_at"], name="concern_list_order"),
            # The lead's home lists unacknowledged concerns soonest due first: read in this order.
            models.Index(
                fields=["acknowledge_by"],
                condition=Q(acknowledged_at__isnull=True),
                name="concern_unacknowledged_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="adult") | Q(young_person__isnull=False) | Q(youth_partner__isnull=True),
                name="concern_partner_comes_from_young_person",
            )
        ]

    def __str__(self):
        return f"Concern {self.reference}"

    @property
    def reference(self) -> str:
        return f"SG-{self.pk:05d}" if self.pk else "SG-new"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    def get_absolute_url(self):
        return reverse_id("safeguarding:concern_detail", self.pk)

    def delete(self, *args, **kwargs):
        raise PermissionError("Safeguarding records are kept until their review date.")


class CaseEntry(models.Model):
    """One line of a concern's chronology. Append-only: corrections are new entries."""

    class Kind(models.TextChoices):
        NOTE = "note", "Note or action taken"
        TOLD = "told", "Someone was told"
        REFERRAL = "referral", "Referral made"
        NO_REFERRAL = "no_referral", "Decision not to refer"
        STATUS = "status", "Status changed"
        OUTCOME = "outcome", "Outcome"
        EVIDENCE = "evidence", "Evidence kept"
        SYSTEM = "system", "Recorded by the platform"

    class Agency(models.TextChoices):
        MASH = "mash", "MASH / children's social care"
        POLICE = "police", "Police"
        LADO = "lado", "LADO (allegation about an adult)"
        EARLY_HELP = "early_help", "Early help"
        OTHER = "other", "Other"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(max_length=10000)
    agency = models.CharField(max_length=20, choices=Agency.choices, blank=True)
    told_whom = models.CharField("who was told", max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name_plural = "case entries"

    def __str__(self):
        return f"{self.get_kind_display()} on {self.concern}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Case entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Case entries are append-only.")


class OutboxMessage(models.Model):
    """Work written in the same transaction as the change that causes it, so it cannot be lost.

    A beat task claims due rows with a conditional UPDATE, handles them and marks them done.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Being handled"
        DONE = "done", "Done"

    topic = models.CharField(max_length=60)
    payload = models.JSONField(default=dict)
    available_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["available_at", "id"]
        indexes = [models.Index(fields=["status", "available_at"])]

    def __str__(self):
        return f"{self.topic} #{self.pk} ({self.status})"


class Message(models.Model):
    """A message between a mentor and a mentee, within a relationship. Never deleted."""

    class Status(models.TextChoices):
        DELIVERED = "delivered", "Delivered"
        HELD = "held", "Held for review"
        DECLINED = "declined", "Not delivered"
        RETURNED = "returned", "Returned for editing"

    relationship = models.ForeignKey(
        "mentoring.Relationship", on_delete=models.PROTECT, related_name="messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("message", max_length=4000)
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DELIVERED)
    hold_reason = models.CharField(max_length=200, blank=True)
    decline_reason = models.CharField(
        "why it was not delivered",
        max_length=500,
        blank=True,
        help_text="Shown to the sender: why it was declined, or what to change when returned for editing.",
    )
    risk_words = models.JSONField(default=list, blank=True)
    copied_to_coordinator = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["relationship", "sent_at"])]

    def __str__(self):
        return f"Message #{self.pk} in relationship {self.relationship_id}"

    def delete(self, *args, **kwargs):
        raise PermissionError("Messages are kept for the retention period and cannot be deleted.")


class ErasureRequest(TimeStampedModel):
    """A request to erase (anonymise) a person. Records that must be kept are left alone; erasing
    safeguarding material (their messages) needs a second staff member's approval."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a second approver"
        COMPLETED = "completed", "Completed"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=2000)
    includes_safeguarding = models.BooleanField(
        "also remove the text of their messages (safeguarding records)", default=False
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("requested_by")),
                name="erasure_second_approver_differs",
            )
        ]

    def __str__(self):
        return f"Erasure request #{self.pk}"


class SubjectAccessExport(TimeStampedModel):
    """A person's own data (UK GDPR Article 15) as a ZIP of JSON and CSV files with an index, built in
    the background from the register of personal data. The file is kept in the database, never under a
    public address, and is removed when it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Being prepared"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be prepared"
        EXPIRED = "expired", "Expired and removed"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    archive = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="data_export_progress_percent"),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["pending", "running"]),
                name="one_data_export_being_prepared_per_person",
            ),
        ]

    def __str__(self):
        return f"Data export #{self.pk}"

    def get_absolute_url(self):
        return reverse("safeguarding:data_export_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)


class MentorSuspension(TimeStampedModel):
    """A mentor suspended or removed on one of the programme's grounds. Removal takes effect only when a
    second staff member approves it; a suspension takes effect at once."""

    class Action(models.TextChoices):
        SUSPEND = "suspend", "Suspend"
        REMOVE = "remove", "Remove from the programme"

    class Ground(models.TextChoices):
        CANNOT_PERFORM = "cannot_perform", "Cannot perform the role"
        DOES_NOT_COMPLY = "does_not_comply", "Does not comply with the programme's requirements"
        NO_TIME = "no_time", "Cannot give the time the role needs"
        CONDUCT = "conduct", "Conduct below the expected standard"
        SAFEGUARDING = "safeguarding", "Breach of safeguarding"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a second approver"
        IN_EFFECT = "in_effect", "In effect"
        LIFTED = "lifted", "Lifted"

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="suspensions")
    action = models.CharField(max_length=10, choices=Action.choices)
    ground = models.CharField(max_length=20, choices=Ground.choices)
    reason = models.TextField("what happened", max_length=4000)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    effective_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("requested_by")),
                name="suspension_second_approver_differs",
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.mentor}"


class MeetingRequest(TimeStampedModel):
    """A pair asks to meet somewhere other than the youth partner's venues or online on the platform.
    The coordinator approves; for under-18s a parent or guardian must have agreed first."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the coordinator"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Not approved"

    relationship = models.ForeignKey(
        "mentoring.Relationship", on_delete=models.PROTECT, related_name="meeting_requests"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    place = models.CharField("where", max_length=200, help_text="A public place, never anyone's home.")
    purpose = models.CharField("what for", max_length=300)
    proposed_for = models.DateTimeField("when")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    guardian_agreed = models.CharField(
        "parent or guardian's agreement (who agreed, when and how)", max_length=200, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Meeting at {self.place}"


class GiftDeclaration(TimeStampedModel):
    """A gift or hospitality given or received by a mentor. Above the threshold it needs staff approval."""

    class Direction(models.TextChoices):
        GIVEN = "given", "I gave it"
        RECEIVED = "received", "I received it"

    class Status(models.TextChoices):
        RECORDED = "recorded", "Recorded (under the threshold)"
        PENDING = "pending", "Waiting for staff approval"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Not approved"

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gifts")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    description = models.CharField(max_length=300)
    value = models.DecimalField("value (£)", max_digits=8, decimal_places=2)
    given_on = models.DateField("date")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECORDED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(value__gte=0), name="gift_value_not_negative")]

    def __str__(self):
        return f"{self.description} (£{self.value})"


class ProgrammeSafeguarding(TimeStampedModel):
    """Safeguarding settings a programme chooses for itself."""

    class MentorMFA(models.TextChoices):
        OPTIONAL = "optional", "Optional for mentors"
        REQUIRED = "required", "Required for mentors"

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="safeguarding_settings"
    )
    mentor_mfa = models.CharField(
        "two-factor authentication for mentors",
        max_length=10,
        choices=MentorMFA.choices,
        default=MentorMFA.OPTIONAL,
    )

    class Meta:
        verbose_name_plural = "programme safeguarding settings"

    def __str__(self):
        return f"Safeguarding settings of {self.programme}"


class MessageAttachment(models.Model):
    """A file sent with a message. Stored outside the public web root and served only through a view
    that checks who may read the message."""

    message = models.OneToOneField(Message, on_delete=models.PROTECT, related_name="attachment")
    file = models.FileField(upload_to="message-files/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()

    def __str__(self):
        return self.original_name


class CaseExport(TimeStampedModel):
    """A copy of a case record taken off the platform (for a referral or a court). A second safeguarding
    lead must approve before it can be downloaded."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a second safeguarding lead"
        APPROVED = "approved", "Approved"

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="exports")
    reason = models.CharField("why a copy is needed, and for whom", max_length=300)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("requested_by")),
                name="case_export_second_approver_differs",
            )
        ]

    def __str__(self):
        return f"Export of {self.concern}"
