"""Peer support for mentors (events, buddies) and the employers whose staff mentor.

Nothing here ever points at a mentee: these are spaces for mentors, and the buddy thread refuses
messages that name a mentee (see services.buddy_message_post).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region
from core.models import TimeStampedModel


class EmployerPartner(TimeStampedModel):
    """An organisation whose staff volunteer as mentors."""

    name = models.CharField(max_length=160, unique=True)
    sector = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=32, choices=Region.choices, blank=True)
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:employer_dashboard", kwargs={"pk": self.pk})


class EmployerMembership(TimeStampedModel):
    """A mentor works for (and volunteers through) an employer partner: at most one at a time."""

    mentor = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_membership"
    )
    employer = models.ForeignKey(EmployerPartner, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        ordering = ["employer_id", "mentor_id"]

    def __str__(self):
        return f"{self.mentor} at {self.employer}"


class EmployerMonth(models.Model):
    """An employer's mentors' held session logs in one month (in the site's time zone), with their
    minutes and how many of its mentors, and young people, stand behind them: the figures page's months
    read these instead of every month of every relationship of the employer's mentors.

    Counted from the months of each relationship (mentoring.RelationshipMonth) of the mentors linked to
    the employer now. Recounted, in the same transaction, whenever those months are recounted, a
    relationship is given to another mentor or young person or deleted, and a mentor joins or leaves
    the employer (community.receivers); writes that bypass model signals (bulk_create of memberships)
    call `recount` themselves."""

    employer = models.ForeignKey(EmployerPartner, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(help_text="The first day of the month.")
    held_logs = models.PositiveIntegerField()
    held_minutes = models.PositiveIntegerField()
    mentors = models.PositiveIntegerField(help_text="The employer's mentors with a held log that month.")
    mentees = models.PositiveIntegerField(help_text="Their young people with a held log that month.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employer", "month"], name="one_row_per_employer_month"),
        ]

    def __str__(self):
        return f"{self.employer_id} {self.month:%Y-%m}: {self.held_logs}"

    @classmethod
    def counted(cls, *, employer_ids):
        """(employer id, month, held logs, minutes, mentors, young people) from the relationships' months."""
        from mentoring.models import RelationshipMonth

        employer = "relationship__mentor__employer_membership__employer_id"
        return (
            RelationshipMonth.objects.filter(**{f"{employer}__in": list(employer_ids)})
            .order_by()
            .values_list(employer, "month")
            .annotate(
                total=models.Sum("held_logs"),
                minutes=models.Sum("held_minutes"),
                mentors=models.Count("relationship__mentor_id", distinct=True),
                mentees=models.Count("relationship__mentee_id", distinct=True),
            )
        )

    @classmethod
    def recount(cls, *, employer_ids) -> None:
        """Replace these employers' months with a fresh count from their mentors' relationships' months."""
        employer_ids = {pk for pk in employer_ids if pk is not None}
        if not employer_ids:
            return
        cls.objects.filter(employer_id__in=employer_ids).delete()
        cls.objects.bulk_create(
            cls(
                employer_id=employer_id,
                month=month,
                held_logs=total,
                held_minutes=minutes,
                mentors=mentors,
                mentees=mentees,
            )
            for employer_id, month, total, minutes, mentors, mentees in cls.counted(employer_ids=employer_ids)
        )


class EmployerContact(TimeStampedModel):
    """The person at an employer partner who sees their staff's aggregate figures (role: employer contact)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_contacts"
    )
    employer = models.ForeignKey(EmployerPartner, on_delete=models.CASCADE, related_name="contacts")

    class Meta:
        ordering = ["employer_id", "user_id"]
        constraints = [models.UniqueConstraint(fields=["user", "employer"], name="unique_employer_contact")]

    def __str__(self):
        return f"{self.user} for {self.employer}"


class Event(TimeStampedModel):
    """A community-of-practice meeting for mentors, open to a region, an employer's staff, or everyone."""

    class Format(models.TextChoices):
        ONLINE = "online", "Online"
        IN_PERSON = "in_person", "In person"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=160)
    description = models.TextField(blank=True, max_length=3000)
    region = models.CharField(
        max_length=32,
        choices=Region.choices,
        blank=True,
        help_text="Leave blank for an event open to every region.",
    )
    employer = models.ForeignKey(
        EmployerPartner,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        help_text="Only this employer's mentors may see and join the event.",
    )
    format = models.CharField(max_length=12, choices=Format.choices, default=Format.ONLINE)
    location = models.CharField(
        max_length=300, blank=True, help_text="The venue (in person) or the joining link (online)."
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Blank for no limit.")
    waiting_list = models.BooleanField(
        default=True, help_text="When full, later sign-ups join a waiting list."
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_events",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE: bumped on each change.")

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:event_detail", kwargs={"pk": self.pk})

    @property
    def is_upcoming(self) -> bool:
        return self.status == self.Status.SCHEDULED and self.ends_at > timezone.now()

    @property
    def audience(self) -> str:
        if self.employer_id:
            return f"{self.employer.name} mentors"
        if self.region:
            return f"Mentors in {self.get_region_display()}"
        return "All mentors"


class EventRegistration(TimeStampedModel):
    """A mentor's place (or place in the queue) at an event, and whether they came."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "Registered"
        WAITING = "waiting", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REGISTERED)
    attended = models.BooleanField(null=True, blank=True)
    notes = models.TextField("organiser's notes", blank=True, max_length=1000)

    class Meta:
        ordering = ["event_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "mentor"], name="one_registration_per_mentor")
        ]

    def __str__(self):
        return f"{self.mentor} at {self.event}: {self.get_status_display()}"


class BuddyPreference(TimeStampedModel):
    """A mentor's opt-in to the buddy scheme: looking for a buddy, or offering to be one."""

    class Wants(models.TextChoices):
        SEEKING = "seeking", "I would like an experienced buddy"
        OFFERING = "offering", "I can be a buddy to a new mentor"

    mentor = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buddy_preference"
    )
    wants = models.CharField(max_length=10, choices=Wants.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["mentor_id"]

    def __str__(self):
        return f"{self.mentor}: {self.get_wants_display()}"


class BuddyPairing(TimeStampedModel):
    """A new mentor and an experienced one, suggested by staff or the scheme; active once both accept."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Suggested"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        ENDED = "ended", "Ended"

    OPEN_STATUSES = (Status.PROPOSED, Status.ACTIVE)

    new_mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buddy_pairings_as_new"
    )
    experienced_mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buddy_pairings_as_experienced"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    reason = models.CharField(
        max_length=300, blank=True, help_text="Why they were suggested (region, sector)."
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_accepted_at = models.DateTimeField(null=True, blank=True)
    experienced_accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(new_mentor=models.F("experienced_mentor")), name="buddies_are_two_people"
            ),
            models.UniqueConstraint(
                fields=["new_mentor"],
                condition=Q(status__in=["proposed", "active"]),
                name="one_open_buddy_pairing_per_new_mentor",
            ),
        ]

    def __str__(self):
        return f"{self.new_mentor} with {self.experienced_mentor} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("community:buddy_detail", kwargs={"pk": self.pk})

    def is_member(self, user) -> bool:
        return user.pk in (self.new_mentor_id, self.experienced_mentor_id)

    def buddy_of(self, user):
        return self.experienced_mentor if user.pk == self.new_mentor_id else self.new_mentor

    def has_accepted(self, user) -> bool:
        if user.pk == self.new_mentor_id:
            return self.new_accepted_at is not None
        if user.pk == self.experienced_mentor_id:
            return self.experienced_accepted_at is not None
        return False


class BuddyMessage(models.Model):
    """One message in a buddy pair's private thread."""

    pairing = models.ForeignKey(BuddyPairing, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author} in pairing {self.pairing_id}"
