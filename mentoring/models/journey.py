"""What happens inside a relationship: history, agreement, sessions, logs, goals, check-ins, closure."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.models import TimeStampedModel
from programmes.models import Programme, YouthPartner

from .relationships import Relationship


class RelationshipEvent(models.Model):
    """One step in a relationship's history: who moved it from which status to which, and why."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    reason = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self):
        return f"{self.from_status or 'new'} -> {self.to_status}"

    @property
    def from_label(self):
        return Relationship.Status(self.from_status).label if self.from_status else "New"

    @property
    def to_label(self):
        return Relationship.Status(self.to_status).label


class BlackoutDate(TimeStampedModel):
    """A period with no sessions at a youth partner: exams, holidays, staff training days."""

    youth_partner = models.ForeignKey(YouthPartner, on_delete=models.CASCADE, related_name="blackout_dates")
    label = models.CharField(max_length=120)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="blackout_dates_ordered")
        ]

    def __str__(self):
        return f"{self.label} ({self.starts_on:%d %b} to {self.ends_on:%d %b %Y})"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day must not be before the first day."})


class Term(TimeStampedModel):
    """A term at a youth partner that keeps term time: sessions fall inside a term, not between them."""

    youth_partner = models.ForeignKey(YouthPartner, on_delete=models.CASCADE, related_name="terms")
    label = models.CharField(max_length=120, help_text="For example: Autumn term 2027")
    starts_on = models.DateField("first day")
    ends_on = models.DateField("last day")

    class Meta:
        ordering = ["starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="terms_ordered")]

    def __str__(self):
        return f"{self.label} ({self.starts_on:%d %b} to {self.ends_on:%d %b %Y})"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day must not be before the first day."})


class Venue(TimeStampedModel):
    """A place a youth partner offers for sessions: a library, the careers room, an online link."""

    class Kind(models.TextChoices):
        ROOM = "room", "A room at the youth partner"
        PUBLIC = "public", "A public place"
        ONLINE = "online", "Online"

    youth_partner = models.ForeignKey(YouthPartner, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.ROOM)
    details = models.CharField(
        max_length=300, blank=True, help_text="Where to go on arrival, or the meeting link for online venues."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["youth_partner", "name"], name="unique_venue_name_per_partner")
        ]

    def __str__(self):
        return self.name


class AgreementTemplate(TimeStampedModel):
    """The mentoring agreement a programme asks each pair to sign."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="agreement_template")
    purpose = models.TextField(max_length=2000)
    boundaries = models.TextField(max_length=2000)
    confidentiality = models.TextField("confidentiality and its limits", max_length=2000)
    frequency = models.TextField("how often we meet", max_length=1000)
    contact = models.TextField("how we contact each other", max_length=1000)
    not_working = models.TextField("if it is not working", max_length=1000)

    SECTIONS = (
        ("purpose", "Purpose"),
        ("boundaries", "Boundaries"),
        ("confidentiality", "Confidentiality and its limits"),
        ("frequency", "How often we meet"),
        ("contact", "How we contact each other"),
        ("not_working", "If it is not working"),
    )

    def __str__(self):
        return f"Mentoring agreement for {self.programme}"

    def as_sections(self) -> list[tuple[str, str]]:
        return [(label, getattr(self, field)) for field, label in self.SECTIONS]

    @classmethod
    def default_for(cls, programme: Programme) -> "AgreementTemplate":
        minutes = programme.session_minutes
        return cls(
            programme=programme,
            purpose=(
                "We meet to help the mentee work out what they want next in education and work, "
                "set goals and take real steps towards them."
            ),
            boundaries=(
                "We meet at the school, college or another agreed public place, or online through the "
                "platform, never at either person's home. No gifts beyond the programme's policy."
            ),
            confidentiality=(
                "What we talk about stays between us, except when someone may be at risk of harm: "
                "then the mentor must tell the designated safeguarding lead straight away."
            ),
            frequency=f"About {minutes} minutes, {programme.get_session_cadence_display().lower()}.",
            contact=(
                "Through the platform and, for mentees under 18, through the coordinator. Over 18s "
                "may share contact details if they choose to."
            ),
            not_working=(
                "Either of us can tell the coordinator at any time. They will talk to us both and help "
                "fix it, or close the relationship kindly and offer a new match."
            ),
        )


class Agreement(TimeStampedModel):
    """A pair's signed agreement: the text as signed, and when each side signed it."""

    relationship = models.OneToOneField(Relationship, on_delete=models.CASCADE, related_name="agreement")
    text = models.JSONField(help_text="The sections as [heading, text] pairs, as signed.")
    mentor_signed_at = models.DateTimeField(null=True, blank=True)
    mentee_signed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Agreement for relationship {self.relationship_id}"

    @property
    def is_signed(self) -> bool:
        return bool(self.mentor_signed_at and self.mentee_signed_at)


class MentoringSessionQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(status=MentoringSession.Status.SCHEDULED, starts_at__gte=timezone.now())

    def unlogged(self):
        return self.filter(status=MentoringSession.Status.SCHEDULED, starts_at__lt=timezone.now())


class MentoringSession(TimeStampedModel):
    """One planned meeting of a pair."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(help_text="Session 1, 2, 3... within the relationship.")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    venue = models.ForeignKey(
        Venue, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    is_online = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    change_reason = models.CharField(max_length=300, blank=True)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: bumped on each change.")

    objects = MentoringSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["relationship", "status", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [
            # A pair never has two sessions at the same moment (cancelled ones free their slot).
            models.UniqueConstraint(
                fields=["relationship", "starts_at"],
                condition=~Q(status="cancelled"),
                name="one_session_per_relationship_at_a_time",
            )
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"Session {self.number} on {local:%a %d %b %Y at %H:%M}"

    def get_absolute_url(self):
        return reverse("mentoring:session_detail", args=[self.pk])

    @property
    def ends_at(self):
        return self.starts_at + timezone.timedelta(minutes=self.duration_minutes)

    @property
    def where(self) -> str:
        if self.is_online:
            return "Online"
        return self.venue.name if self.venue_id else "To be confirmed"


class Topic(models.TextChoices):
    """Session topics, aligned with the Theory of Change outcomes."""

    CONFIDENCE = "confidence", "Confidence"
    OPTIONS = "options", "Education and career options"
    EMPLOYABILITY = "employability", "Employability skills"
    STUDY = "study", "Study and exams"
    WELLBEING = "wellbeing", "Wellbeing"
    WORLD_OF_WORK = "world_of_work", "World of work and networking"
    OPPORTUNITIES = "opportunities", "Real-world opportunities"


class SessionLog(TimeStampedModel):
    """The mentor's record of a session: held or not, what was covered, and what comes next."""

    class MissedBy(models.TextChoices):
        MENTOR = "mentor", "The mentor"
        MENTEE = "mentee", "The mentee"
        BOTH = "both", "Both"
        OTHER = "other", "Something else (venue, illness, school closure)"

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"

    session = models.OneToOneField(MentoringSession, on_delete=models.CASCADE, related_name="log")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held = models.BooleanField("the session took place")
    missed_by = models.CharField("who missed it", max_length=10, choices=MissedBy.choices, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(5), MaxValueValidator(300)]
    )
    format = models.CharField(max_length=12, choices=Format.choices, blank=True)
    topics = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True, max_length=3000)
    next_time_notes = models.TextField("next time", blank=True, max_length=2000)
    mentee_activity = models.TextField("something to try before next time", blank=True, max_length=1000)
    worrying = models.BooleanField("something worrying came up", default=False)

    class Meta:
        ordering = ["-session__starts_at"]

    def __str__(self):
        return f"Log of {self.session}"

    def clean(self):
        errors = {}
        if self.held:
            if not self.duration_minutes:
                errors["duration_minutes"] = "Say how long the session lasted."
            if not self.format:
                errors["format"] = "Say whether you met online or in person."
        elif not self.missed_by:
            errors["missed_by"] = "Say who missed the session."
        unknown = set(self.topics or []) - set(Topic.values)
        if unknown:
            errors["topics"] = "Choose topics from the list."
        if errors:
            raise ValidationError(errors)

    @property
    def topic_labels(self) -> list[str]:
        return [Topic(value).label for value in self.topics if value in Topic.values]


class Goal(TimeStampedModel):
    class Term(models.TextChoices):
        SHORT = "short", "Short-term (the next few weeks)"
        LONG = "long", "Long-term (by the end of mentoring)"

    class Owner(models.TextChoices):
        MENTEE = "mentee", "The mentee"
        MENTOR = "mentor", "The mentor"
        BOTH = "both", "Both of us"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        ACHIEVED = "achieved", "Achieved"
        PARTLY_ACHIEVED = "partly_achieved", "Partly achieved"
        DROPPED = "dropped", "Dropped"

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(
        max_length=200,
        help_text="Specific: what exactly will be different? e.g. “Apply for two apprenticeships”.",
    )
    measure = models.CharField(
        "how we will know", max_length=300, blank=True, help_text="Measurable: what will show it is done?"
    )
    first_step = models.CharField(
        max_length=300, blank=True, help_text="Achievable: the first small step, and who takes it."
    )
    why = models.CharField(
        "why it matters",
        max_length=300,
        blank=True,
        help_text="Relevant: how it links to what the mentee wants.",
    )
    term = models.CharField(max_length=8, choices=Term.choices, default=Term.SHORT)
    owner = models.CharField(max_length=8, choices=Owner.choices, default=Owner.MENTEE)
    target_date = models.DateField(null=True, blank=True, help_text="Time-bound: by when?")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    OPEN_STATUSES = (Status.PROPOSED, Status.NOT_STARTED, Status.IN_PROGRESS)

    class Meta:
        ordering = ["target_date", "id"]
        indexes = [models.Index(fields=["relationship", "status"])]

    def __str__(self):
        return self.title


class GoalProgress(models.Model):
    """A note on a goal, usually written in a session log."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress_notes")
    session = models.ForeignKey(
        MentoringSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="goal_progress"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(max_length=1000)
    status = models.CharField(max_length=16, choices=Goal.Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Progress on {self.goal}"


class PulseCheckIn(TimeStampedModel):
    """At the third session each side is asked privately: how is it going?"""

    class Rating(models.IntegerChoices):
        POOR = 1, "Not well"
        MIXED = 2, "It is OK, but some things are hard"
        GOOD = 3, "Well"
        GREAT = 4, "Really well"

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="pulse_check_ins")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    comment = models.TextField("anything you would like the coordinator to know", blank=True, max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["relationship", "respondent"], name="one_pulse_per_person")
        ]

    def __str__(self):
        return f"Pulse check-in by {self.respondent_id}"

    @property
    def needs_action(self) -> bool:
        return self.rating <= self.Rating.MIXED


class SupportCheckIn(TimeStampedModel):
    """A support task for staff: a scheduled check-in with the pair, or a follow-up to a poor pulse."""

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled support check-in"
        PULSE_FOLLOW_UP = "pulse_follow_up", "Follow up a 'how is it going?' answer"

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="support_check_ins")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SCHEDULED)
    due_on = models.DateField()
    pulse = models.ForeignKey(PulseCheckIn, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["completed_at", "due_on"]),
            # The open check-ins in the monitoring lists' order: the first few due at a coordinator's
            # partners come from the index instead of sorting every open check-in they have.
            models.Index(
                fields=["due_on", "id"], condition=Q(completed_at__isnull=True), name="checkin_open_due"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "due_on"],
                condition=Q(kind="scheduled"),
                name="one_scheduled_check_in_per_day",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} due {self.due_on}"

    @property
    def is_overdue(self) -> bool:
        return self.completed_at is None and self.due_on < timezone.localdate()


class Closure(TimeStampedModel):
    """How a relationship was closed, and what the mentor takes away from it."""

    relationship = models.OneToOneField(Relationship, on_delete=models.CASCADE, related_name="closure")
    early = models.BooleanField()
    reason = models.CharField(max_length=20, choices=Relationship.EndReason.choices)
    notes = models.TextField(blank=True, max_length=2000)
    final_meeting_held = models.BooleanField(default=False)
    checklist = models.JSONField(default=list, blank=True)
    recommendations = models.JSONField(default=list, blank=True)
    contact_policy_acknowledged = models.BooleanField(default=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    CHECKLIST = (
        ("final_meeting", "We had (or offered) a final meeting to look back and say goodbye"),
        ("goals_reviewed", "Every goal has a final status"),
        ("next_steps", "The mentee knows where to get help next (school, college, careers service)"),
        ("logs_complete", "All session logs are written"),
    )

    def __str__(self):
        return f"Closure of relationship {self.relationship_id}"


class NotificationPreference(models.Model):
    """Which reminders a person wants by email. Everything else is shown on their home page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    session_reminders = models.BooleanField("remind me 48 hours before a session", default=True)
    log_reminders = models.BooleanField("remind me to log sessions", default=True)
    monthly_digest = models.BooleanField("send me the monthly digest (coordinators)", default=True)
    bulletins = models.BooleanField("send me the monthly mentor bulletin", default=True)

    def __str__(self):
        return f"Notification preferences of {self.user_id}"


class SentReminder(models.Model):
    """A reminder claimed before it is sent, so re-running the beat task never sends it twice."""

    class Kind(models.TextChoices):
        SESSION_SOON = "session_soon", "Session in 48 hours"
        LOG_DUE = "log_due", "Log due"
        LOG_OVERDUE = "log_overdue", "Log overdue"
        MONTHLY_DIGEST = "monthly_digest", "Monthly digest"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40, help_text="The session id, or the month for a digest.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "recipient", "key"], name="one_reminder_per_kind_and_key")
        ]

    def __str__(self):
        return f"{self.kind} {self.key} to {self.recipient_id}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private, revocable calendar address: the token in the URL is the only key."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Calendar feed of {self.user_id}"

    def regenerate(self):
        self.token = _new_token()
        self.created_at = timezone.now()
