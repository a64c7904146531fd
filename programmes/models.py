"""Programmes, the youth partners whose young people are mentored, and cohorts (one intake of a
programme at a partner). The lowest domain layer: it knows no person, so accounts can scope roles
and profiles by programme and partner. The tables keep the names they had inside `mentoring`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.text import slugify

from core.links import reverse_id
from core.models import TimeStampedModel


class Region(models.TextChoices):
    GREATER_MANCHESTER = "greater_manchester", "Greater Manchester"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    CARDIFF = "cardiff", "Cardiff and South Wales"
    LONDON = "london", "London"
    NORTH_EAST = "north_east", "North East"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    SOUTH_WEST = "south_west", "South West"
    SOUTH_EAST = "south_east", "South East"
    EAST = "east", "East of England"
    NORTH_WEST_OTHER = "north_west_other", "North West (outside Greater Manchester)"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


class ProgrammeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


def default_support_check_in_days() -> list[int]:
    """Twice in the first month, then monthly (MENTOR's Elements of Effective Practice)."""
    return [7, 21, 61, 91, 122, 152, 183, 213, 244, 274, 304, 335]


class Programme(TimeStampedModel):
    """A mentoring programme and its rules: length, cadence, ages, format and matching mode."""

    class Cadence(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        SIX_WEEKLY = "six_weekly", "Every six weeks"
        FORTNIGHTLY = "fortnightly", "Fortnightly"

    class DeliveryFormat(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "Hybrid (online and in person)"

    class MatchingMode(models.TextChoices):
        COORDINATOR = "coordinator", "Proposed by the platform, approved by a coordinator"
        MENTOR_CHOICE = "mentor_choice", "Mentors choose an opportunity, coordinators accept"
        BOTH = "both", "Both"

    name = models.CharField(max_length=160, unique=True)
    slug = models.SlugField(max_length=160, unique=True)
    summary = models.TextField(blank=True, max_length=2000)
    relationship_months = models.PositiveSmallIntegerField(
        "relationship length (months)", default=12, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    session_cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.MONTHLY)
    session_minutes = models.PositiveSmallIntegerField(
        "session length (minutes)", default=60, validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    mentee_min_age = models.PositiveSmallIntegerField(default=14, validators=[MinValueValidator(11)])
    mentee_max_age = models.PositiveSmallIntegerField(default=25, validators=[MaxValueValidator(99)])
    delivery_format = models.CharField(
        max_length=20, choices=DeliveryFormat.choices, default=DeliveryFormat.HYBRID
    )
    matching_mode = models.CharField(
        max_length=20, choices=MatchingMode.choices, default=MatchingMode.COORDINATOR
    )
    contact_email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    support_check_in_days = models.JSONField(
        "support check-ins (days after the start)",
        default=default_support_check_in_days,
        blank=True,
        help_text="When staff check in with the pair, in days after the relationship starts.",
    )
    rematch_wait_days = models.PositiveSmallIntegerField(
        "waiting period before re-matching (days)", default=28, validators=[MaxValueValidator(365)]
    )
    post_closure_contact_policy = models.TextField(
        blank=True,
        max_length=2000,
        default=(
            "Once the relationship closes, mentor and mentee do not contact each other privately. "
            "If either wishes to stay in touch, ask the programme team, who will check it is safe and "
            "that the young person (and, under 18, their school or college) agrees."
        ),
    )

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        db_table = "mentoring_programme"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mentee_min_age__lte=F("mentee_max_age")), name="programme_age_range_ordered"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.mentee_min_age is not None and self.mentee_max_age is not None:
            if self.mentee_min_age > self.mentee_max_age:
                raise ValidationError(
                    {"mentee_max_age": "The oldest age must not be below the youngest age."}
                )
        if not self.slug and self.name:
            self.slug = slugify(self.name)[:160]

    def get_absolute_url(self):
        return reverse_id("mentoring:programme_detail", self.pk)

    @property
    def cadence_days(self) -> int:
        """The longest expected gap between sessions before a relationship counts as drifting."""
        return {self.Cadence.FORTNIGHTLY: 14, self.Cadence.SIX_WEEKLY: 42}.get(self.session_cadence, 31)


class YouthPartner(TimeStampedModel):
    """A school, college, university or other organisation whose young people are mentored."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "School"
        ACADEMY = "academy", "Academy"
        COLLEGE = "college", "College"
        UNIVERSITY = "university", "University"
        CHARITY = "charity", "Charity"
        EMPLOYER_PROGRAMME = "employer_programme", "Employer programme"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField("type", max_length=24, choices=Kind.choices)
    region = models.CharField(max_length=32, choices=Region.choices)
    address = models.TextField(blank=True, max_length=500)
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)
    weekend_sessions = models.BooleanField(
        "sessions at weekends",
        null=True,
        blank=True,
        help_text=(
            "Leave as usual for the type: weekdays only for schools, academies and colleges, "
            "any day for the others."
        ),
    )
    term_time_only = models.BooleanField(
        "sessions in term time only",
        null=True,
        blank=True,
        help_text=(
            "Leave as usual for the type: term time only for schools, academies and colleges. "
            "Without term dates of your own, the usual school holidays in England apply."
        ),
    )
    sessions_from = models.TimeField(
        "sessions start no earlier than",
        null=True,
        blank=True,
        help_text="Leave blank for the usual: 08:00 at schools, academies and colleges, any time elsewhere.",
    )
    sessions_until = models.TimeField(
        "sessions end no later than",
        null=True,
        blank=True,
        help_text="Leave blank for the usual: 18:00 at schools, academies and colleges, any time elsewhere.",
    )

    class Meta:
        db_table = "mentoring_youthpartner"
        ordering = ["name"]
        indexes = [models.Index(fields=["region", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions_from__isnull=True)
                | Q(sessions_until__isnull=True)
                | Q(sessions_until__gt=F("sessions_from")),
                name="youth_partner_session_hours_ordered",
            )
        ]

    WEEKDAY_KINDS = frozenset({Kind.SCHOOL, Kind.ACADEMY, Kind.COLLEGE})

    @property
    def weekdays_only(self) -> bool:
        """Whether sessions must fall on Monday to Friday (term dates are recorded as blackout periods)."""
        if self.weekend_sessions is None:
            return self.kind in self.WEEKDAY_KINDS
        return not self.weekend_sessions

    @property
    def in_term_only(self) -> bool:
        """Whether sessions must fall in term time (the partner's terms, else the usual school holidays)."""
        if self.term_time_only is None:
            return self.kind in self.WEEKDAY_KINDS
        return self.term_time_only

    @property
    def session_hours(self) -> tuple[datetime.time | None, datetime.time | None]:
        """The earliest start and latest end of a session; None for no limit."""
        school = self.kind in self.WEEKDAY_KINDS
        start = self.sessions_from or (datetime.time(8, 0) if school else None)
        end = self.sessions_until or (datetime.time(18, 0) if school else None)
        return start, end

    def clean(self):
        if self.sessions_from and self.sessions_until and self.sessions_until <= self.sessions_from:
            raise ValidationError({"sessions_until": "The latest end must be after the earliest start."})

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_id("mentoring:partner_detail", self.pk)


class Cohort(TimeStampedModel):
    """One intake: a programme delivered at a youth partner from a start date."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    youth_partner = models.ForeignKey(YouthPartner, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=160, blank=True)
    start_date = models.DateField()
    target_mentees = models.PositiveIntegerField(
        default=0, help_text="How many young people this cohort aims to mentor."
    )

    class Meta:
        db_table = "mentoring_cohort"
        ordering = ["-start_date", "youth_partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "youth_partner", "start_date"], name="unique_cohort_per_partner_start"
            )
        ]

    def __str__(self):
        return self.name or f"{self.programme} at {self.youth_partner} ({self.start_date:%b %Y})"

    def get_absolute_url(self):
        return reverse_id("mentoring:cohort_detail", self.pk)
