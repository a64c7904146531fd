from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from core.links import reverse_id
from core.models import TimeStampedModel
from programmes.models import Cohort, YouthPartner

from ..signals import held_months_recounted

HELD_SUMMARY_FIELDS = ("held_sessions", "first_held_at", "last_held_at", "held_logs", "held_minutes")
# The young person's own dates and youth partner, the same on each of their relationships
# (refresh_mentee_dates).
MENTEE_DATE_FIELDS = (
    "mentee_signed_up_on",
    "mentee_first_started_on",
    "mentee_first_held_on",
    "mentee_partner",
)
# Its goals counted (refresh_goal_counts).
GOAL_COUNT_FIELDS = ("goals_agreed", "goals_reached")
MAINTAINED_FIELDS = HELD_SUMMARY_FIELDS + MENTEE_DATE_FIELDS + GOAL_COUNT_FIELDS


class RelationshipQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Relationship.OPEN_STATUSES)

    def refresh_held_sessions(self) -> int:
        """Recount these relationships' held sessions (`held_sessions`, `first_held_at`,
        `last_held_at`) from their sessions, and the logs recording a session as held (`held_logs`,
        `held_minutes`), in one UPDATE. Called whenever a session or a session log is saved or
        deleted (mentoring.receivers), and after writes that bypass model signals (bulk_create)."""
        from .journey import MentoringSession, SessionLog

        held = (
            MentoringSession.objects.filter(relationship=OuterRef("pk"), status=MentoringSession.Status.HELD)
            .order_by()
            .values("relationship")
        )
        logs = (
            SessionLog.objects.filter(session__relationship=OuterRef("pk"), held=True)
            .order_by()
            .values("session__relationship")
        )
        RelationshipMonth.recount(relationships=self)
        updated = self.update(
            held_sessions=Coalesce(Subquery(held.annotate(total=Count("pk")).values("total")), 0),
            first_held_at=Subquery(held.annotate(first=Min("starts_at")).values("first")),
            last_held_at=Subquery(held.annotate(last=Max("starts_at")).values("last")),
            held_logs=Coalesce(Subquery(logs.annotate(total=Count("pk")).values("total")), 0),
            held_minutes=Coalesce(Subquery(logs.annotate(total=Sum("duration_minutes")).values("total")), 0),
        )
        # A first held session may have moved: the young person's first held day follows it.
        self.refresh_mentee_dates()
        return updated

    def refresh_goal_counts(self) -> int:
        """Recount these relationships' goals (`goals_agreed`: every goal but those only proposed;
        `goals_reached`: those achieved or partly achieved) in one UPDATE. Called whenever a goal is
        saved or deleted (mentoring.receivers); writes that bypass model signals call it themselves."""
        from .journey import Goal

        goals = Goal.objects.filter(relationship=OuterRef("pk")).order_by().values("relationship")
        reached = (Goal.Status.ACHIEVED, Goal.Status.PARTLY_ACHIEVED)

        def counted(condition):
            return Coalesce(Subquery(goals.filter(condition).annotate(total=Count("pk")).values("total")), 0)

        return self.update(
            goals_agreed=counted(~Q(status=Goal.Status.PROPOSED)),
            goals_reached=counted(Q(status__in=reached)),
        )

    def refresh_mentee_dates(self) -> int:
        """Recount, for the young people of these relationships, the dates the impact page's waits are
        measured between, and write them on every relationship each of them has (one UPDATE):
        `mentee_signed_up_on`, the day (UK time) their first mentee application was submitted, or the
        day they joined if they never applied; `mentee_first_started_on`, the earliest start of any of
        their relationships; `mentee_first_held_on`, the day of their first held session in any of
        them. Called when a relationship is created, deleted, started or given to another young person,
        when its held-session summary is recounted, and when a young person's application or joining
        day changes (mentoring.receivers); writes that bypass model signals call it themselves.
        With them, `mentee_partner`: the youth partner of the young person's profile (None without
        one), recounted also when a profile is saved with another partner or deleted."""
        from django.contrib.auth import get_user_model
        from django.db.models.functions import TruncDate

        from accounts.models import MenteeProfile, Role
        from recruitment.models import Application

        mentee_ids = set(self.values_list("mentee_id", flat=True))
        if not mentee_ids:
            return 0
        theirs = Relationship.objects.filter(mentee_id=OuterRef("mentee_id")).order_by().values("mentee_id")
        applied = (
            Application.objects.filter(
                user_id=OuterRef("mentee_id"), role=Role.MENTEE, submitted_at__isnull=False
            )
            .order_by()
            .values("user_id")
            .annotate(first=TruncDate(Min("submitted_at")))
            .values("first")
        )
        people = get_user_model().objects
        joined = people.filter(pk=OuterRef("mentee_id")).values(day=TruncDate("date_joined"))
        partner = MenteeProfile.objects.filter(user_id=OuterRef("mentee_id")).values("youth_partner_id")
        return Relationship.objects.filter(mentee_id__in=mentee_ids).update(
            mentee_signed_up_on=Coalesce(Subquery(applied), Subquery(joined)),
            mentee_first_started_on=Subquery(theirs.annotate(first=Min("started_on")).values("first")),
            mentee_first_held_on=Subquery(
                theirs.annotate(first=TruncDate(Min("first_held_at"))).values("first")
            ),
            mentee_partner_id=Subquery(partner),
        )


class RelationshipMonth(models.Model):
    """A relationship's session logs recording a session as held, counted by the month the session
    started (in the site's time zone), with their minutes: the employer figures' months read these
    instead of every log. Recounted with the relationship's held-session summary
    (`RelationshipQuerySet.refresh_held_sessions`), so on every path that keeps that true; each recount
    sends `mentoring.signals.held_months_recounted`."""

    relationship = models.ForeignKey("Relationship", on_delete=models.CASCADE, related_name="held_months")
    month = models.DateField(help_text="The first day of the month.")
    held_logs = models.PositiveIntegerField()
    held_minutes = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["relationship", "month"], name="one_row_per_month")]

    def __str__(self):
        return f"{self.relationship_id} {self.month:%Y-%m}: {self.held_logs}"

    @classmethod
    def counted(cls, *, relationships):
        """(relationship id, month, held logs, minutes) from the logs themselves."""
        from zoneinfo import ZoneInfo

        from django.db.models.functions import TruncMonth

        from .journey import SessionLog

        month = TruncMonth(
            "session__starts_at", output_field=models.DateField(), tzinfo=ZoneInfo(settings.TIME_ZONE)
        )
        return (
            SessionLog.objects.filter(held=True, session__relationship__in=relationships.values("pk"))
            .order_by()
            .values_list("session__relationship_id", month)
            .annotate(total=Count("pk"), minutes=Coalesce(Sum("duration_minutes"), 0))
        )

    @classmethod
    def recount(cls, *, relationships) -> None:
        """Replace these relationships' months with a fresh count from their logs."""
        cls.objects.filter(relationship__in=relationships.values("pk")).delete()
        cls.objects.bulk_create(
            cls(relationship_id=relationship_id, month=month, held_logs=total, held_minutes=minutes)
            for relationship_id, month, total, minutes in cls.counted(relationships=relationships)
        )
        held_months_recounted.send(sender=cls, relationships=relationships)


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
    # Kept from the sessions (RelationshipQuerySet.refresh_held_sessions), so that monitoring's cadence
    # rule and the impact page's delivery measures read one row per relationship, not its sessions.
    held_sessions = models.PositiveIntegerField(default=0, editable=False)
    first_held_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_held_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Kept the same way from the session logs that say the session was held: how many, and their
    # minutes, so that an employer's figures read its mentors' relationships, not every log.
    held_logs = models.PositiveIntegerField(default=0, editable=False)
    held_minutes = models.PositiveIntegerField(default=0, editable=False)
    # The young person's dates the impact page measures waits between, the same on each of their
    # relationships (RelationshipQuerySet.refresh_mentee_dates): their sign-up, their first relationship
    # start and their first held session, in any relationship. The waits are then counted per young
    # person from the relationships in the slice alone, without reading their other relationships,
    # their applications or their account.
    mentee_signed_up_on = models.DateField(null=True, blank=True, editable=False)
    mentee_first_started_on = models.DateField(null=True, blank=True, editable=False)
    mentee_first_held_on = models.DateField(null=True, blank=True, editable=False)
    # The young person's youth partner (their profile's), kept the same way: a coordinator's partners'
    # relationships are read from this column's index (a few hundred rows) instead of joining every
    # relationship to the young people's profiles. Who may see a relationship is still decided by the
    # profile (mentoring.policies).
    mentee_partner = models.ForeignKey(
        YouthPartner, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    # Its goals counted (RelationshipQuerySet.refresh_goal_counts), for the impact page's goals measure:
    # agreed (all but those only proposed) and achieved or partly achieved.
    goals_agreed = models.PositiveIntegerField(default=0, editable=False)
    goals_reached = models.PositiveIntegerField(default=0, editable=False)

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

    def save(self, *args, **kwargs):
        # The held-session summary is written only by refresh_held_sessions (the young person's dates
        # only by refresh_mentee_dates, the goal counts only by refresh_goal_counts): a relationship read
        # before a session was logged and saved afterwards must not put back the counts it was read with.
        if not self._state.adding and kwargs.get("update_fields") is None and not args:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in MAINTAINED_FIELDS
            ]
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def get_absolute_url(self):
        return reverse_id("mentoring:relationship_detail", self.pk)


class CohortMentees(models.Model):
    """How many young people's profiles are in each cohort, by their region: the funder's programme
    panel reads these few rows instead of counting every profile. Recounted for a cohort whenever a
    profile joins, leaves or changes region or cohort (mentoring.receivers); bulk writers call
    `recount()` themselves. A cohort that is deleted takes its rows with it (its profiles lose their
    cohort)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    region = models.CharField(max_length=32)
    mentees = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "region"], name="one_row_per_cohort_region")]

    def __str__(self):
        return f"{self.cohort_id} {self.region}: {self.mentees}"

    @classmethod
    def counted(cls, *, cohort_ids=None):
        """(cohort id, region, young people) from the profiles themselves."""
        from accounts.models import MenteeProfile

        profiles = MenteeProfile.objects.filter(cohort__isnull=False)
        if cohort_ids is not None:
            profiles = profiles.filter(cohort_id__in=list(cohort_ids))
        return profiles.order_by().values_list("cohort_id", "region").annotate(total=Count("*"))

    @classmethod
    def recount(cls, *, cohort_ids=None) -> None:
        """Replace these cohorts' rows (every cohort's when None) with a fresh count of their profiles."""
        # One transaction, so no reader sees a cohort's rows gone and not yet written again, with the
        # cohorts locked, so two recounts of the same cohort run one after the other instead of both
        # inserting its rows.
        with transaction.atomic():
            cohorts = Cohort.objects.select_for_update().order_by("pk")
            if cohort_ids is not None:
                cohorts = cohorts.filter(pk__in=list(cohort_ids))
            list(cohorts.values_list("pk", flat=True))
            rows = cls.objects.all()
            if cohort_ids is not None:
                rows = rows.filter(cohort_id__in=list(cohort_ids))
            rows.delete()
            cls.objects.bulk_create(
                cls(cohort_id=cohort_id, region=region, mentees=total)
                for cohort_id, region, total in cls.counted(cohort_ids=cohort_ids)
            )
