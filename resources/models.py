"""The resource library, the FAQ and the monthly bulletin."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from core.models import TimeStampedModel
from mentoring.models import MentoringSession, Topic


class Audience(models.TextChoices):
    UNDER_16 = "under_16", "Under 16"
    SIXTEEN_TO_EIGHTEEN = "16_18", "16-18"
    ADULT = "adult", "Adult (18 and over)"


class Ingredient(models.TextChoices):
    """The five key ingredients of an effective session (process evaluation, chapter 5)."""

    GOALS = "goals", "Goals set and tracked"
    TAILORED = "tailored", "Content tailored to the mentee"
    OPPORTUNITIES = "opportunities", "Real-world opportunities"
    CONTINUITY = "continuity", "Continuity between sessions"
    SAFE_SPACE = "safe_space", "A safe, non-judgemental space"


# Ranking: a Bayesian average pulls resources with few ratings towards a neutral 3, so one 5-star
# rating does not beat twenty 4-star ones; use adds up to one point more, saturating.
PRIOR_RATINGS = 2
PRIOR_MEAN = 3.0
USE_HALF_POINT = 5


class ResourceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Resource.Status.PUBLISHED)

    def for_audiences(self, audiences):
        condition = Q(pk__in=[])
        for audience in audiences:
            condition |= Q(**{Resource.AUDIENCE_FIELDS[audience]: True})
        return self.filter(condition)

    def with_rank(self):
        """Most used and best rated first."""
        ratings = (Cast("rating_total", FloatField()) + PRIOR_RATINGS * PRIOR_MEAN) / (
            Cast("rating_count", FloatField()) + PRIOR_RATINGS
        )
        uses = Cast("use_count", FloatField()) / (Cast("use_count", FloatField()) + USE_HALF_POINT)
        return self.annotate(rank=ratings + uses)

    def ranked(self):
        return self.with_rank().order_by(F("rank").desc(), "title")


class Resource(TimeStampedModel):
    """A short, practical piece of material for a mentor to use in or between sessions."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class Kind(models.TextChoices):
        ACTIVITY = "activity", "Activity"
        WORKSHEET = "worksheet", "Worksheet"
        GUIDE = "guide", "Guide"
        SESSION_PLAN = "session_plan", "Session plan"

    AUDIENCE_FIELDS = {
        Audience.UNDER_16: "for_under_16",
        Audience.SIXTEEN_TO_EIGHTEEN: "for_16_to_18",
        Audience.ADULT: "for_adults",
    }

    title = models.CharField(max_length=160)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.CharField(max_length=300, help_text="One or two sentences: what it is for.")
    body = models.TextField(
        max_length=30000, help_text="Markdown. Headings, lists, tables and links; scripts are removed."
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.GUIDE)
    topic = models.CharField(max_length=20, choices=Topic.choices)
    ingredient = models.CharField("key ingredient", max_length=16, choices=Ingredient.choices)
    keywords = models.CharField(
        max_length=300,
        blank=True,
        help_text="Words that link it to mentees' goals, separated by commas (e.g. CV, interview).",
    )
    minutes = models.PositiveSmallIntegerField(
        "minutes needed", default=15, validators=[MinValueValidator(5), MaxValueValidator(120)]
    )
    for_under_16 = models.BooleanField("under 16", default=True)
    for_16_to_18 = models.BooleanField("16-18", default=True)
    for_adults = models.BooleanField("adults", default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_starter = models.BooleanField(default=False, help_text="Starter content the platform provides.")
    # Kept by the services so list pages sort without aggregating every row.
    rating_count = models.PositiveIntegerField(default=0)
    rating_total = models.PositiveIntegerField(default=0)
    use_count = models.PositiveIntegerField(default=0)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "topic"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(for_under_16=True) | Q(for_16_to_18=True) | Q(for_adults=True),
                name="resource_has_an_audience",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:resource_detail", args=[self.slug])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def audiences(self) -> list[str]:
        return [audience for audience, field in self.AUDIENCE_FIELDS.items() if getattr(self, field)]

    @property
    def audience_labels(self) -> list[str]:
        return [Audience(audience).label for audience in self.audiences]

    @property
    def average_rating(self) -> float | None:
        return round(self.rating_total / self.rating_count, 1) if self.rating_count else None

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip().lower() for word in self.keywords.split(",") if word.strip()]


class ResourceRating(TimeStampedModel):
    """A mentor's 1-5 rating of a resource; one each, changeable."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="ratings")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "mentor"], name="one_rating_per_mentor"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="rating_one_to_five"),
        ]

    def __str__(self):
        return f"{self.stars} stars for {self.resource_id} by {self.mentor_id}"


class SessionResource(models.Model):
    """A resource a mentor plans to use in one of their sessions."""

    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="planned_resources")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="session_uses")
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attached_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["attached_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "resource"], name="resource_once_per_session")
        ]

    def __str__(self):
        return f"{self.resource} for session {self.session_id}"


class FaqEntry(TimeStampedModel):
    """A question mentees often ask, with an answer a mentor can use."""

    question = models.CharField(max_length=200)
    answer = models.TextField(max_length=6000, help_text="Markdown.")
    topic = models.CharField(max_length=20, choices=Topic.choices)
    position = models.PositiveSmallIntegerField(default=100, help_text="Lower numbers come first.")
    is_published = models.BooleanField(default=True)
    is_starter = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "question"]
        verbose_name = "FAQ entry"
        verbose_name_plural = "FAQ entries"

    def __str__(self):
        return self.question


class Bulletin(TimeStampedModel):
    """The monthly bulletin to mentors: news, a skill builder, featured resources and events."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    title = models.CharField(max_length=160)
    issue_date = models.DateField(default=timezone.localdate)
    news = models.TextField(blank=True, max_length=10000, help_text="Markdown.")
    skill_builder = models.TextField(
        "skill builder", blank=True, max_length=10000, help_text="Markdown: one practical skill to try."
    )
    upcoming_events = models.TextField("upcoming events", blank=True, max_length=10000, help_text="Markdown.")
    featured_resources = models.ManyToManyField(Resource, blank=True, related_name="featured_in")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    send_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issue_date", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("resources:bulletin_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class BulletinDelivery(models.Model):
    """One bulletin sent to one person: claimed before the email is queued, so it goes once."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "recipient"], name="bulletin_once_per_recipient")
        ]
        verbose_name_plural = "bulletin deliveries"

    def __str__(self):
        return f"{self.bulletin_id} to {self.recipient_id}"
