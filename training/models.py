"""Courses (versioned content), learner progress, workshops and certificates of achievement."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.links import reverse_id
from core.models import TimeStampedModel

DEFAULT_DEADLINE_DAYS = 14


class Audience(models.TextChoices):
    MENTOR = "mentor", "Mentors"
    MENTEE = "mentee", "Mentees"


class Course(TimeStampedModel):
    """A course's identity. Its content lives in versions; learners take one version."""

    title = models.CharField(max_length=160, unique=True)
    slug = models.SlugField(max_length=160, unique=True)
    summary = models.TextField(max_length=2000, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.MENTOR)
    is_mandatory = models.BooleanField(
        default=False,
        help_text="Mentor courses: required by default. Mentee courses: required for under-18s.",
    )
    deadline_days = models.PositiveSmallIntegerField(
        default=DEFAULT_DEADLINE_DAYS, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    order = models.PositiveSmallIntegerField(default=0)

    # Set by selectors.courses_for_catalogue: the learner's own enrolment, if any.
    my_enrolment: "Enrolment | None"

    class Meta:
        ordering = ["-audience", "order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:course_detail", args=[self.slug])


class CourseVersion(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    # Set only on versions the content loader published: the digest of the files it loaded. A version
    # staff made (a draft, or a copy they edited) has none, which is how the loader knows to leave it.
    source_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["course", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="unique_course_version_number"),
            models.UniqueConstraint(
                fields=["course"], condition=Q(status="published"), name="one_published_version_per_course"
            ),
            models.UniqueConstraint(
                fields=["course"], condition=Q(status="draft"), name="one_draft_version_per_course"
            ),
        ]

    def __str__(self):
        return f"{self.course} (version {self.number})"

    def get_absolute_url(self):
        return reverse("training:version_detail", args=[self.pk])

    def ordered_modules(self):
        return Module.objects.filter(section__version=self).order_by("section__order", "order", "pk")


class Section(models.Model):
    version = models.ForeignKey(CourseVersion, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=160)
    order = models.PositiveSmallIntegerField(default=0)

    # Set by selectors.version_outline for the course page: the section's modules in order.
    ordered: list["Module"]

    class Meta:
        ordering = ["version", "order", "pk"]

    def __str__(self):
        return self.title


class Module(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=160)
    order = models.PositiveSmallIntegerField(default=0)
    minutes = models.PositiveSmallIntegerField(
        "estimated minutes", default=5, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    body = models.TextField("content (Markdown)", max_length=40000)
    video_url = models.URLField("video link", blank=True)
    transcript = models.TextField("video transcript", blank=True, max_length=20000)
    worksheet = models.TextField("worksheet (Markdown)", blank=True, max_length=20000)
    pass_mark = models.PositiveSmallIntegerField(
        "pass mark (%)", default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    # Set by selectors.version_outline for the course page: done by the learner, and open to them.
    is_done: bool
    is_reachable: bool

    class Meta:
        ordering = ["section__order", "order", "pk"]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice (choose all that apply)"
        SCENARIO = "scenario", "Scenario: what do you do?"

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    prompt = models.TextField(max_length=2000)
    explanation = models.TextField(max_length=4000, blank=True, help_text="Shown after answering.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["module", "order", "pk"]

    def __str__(self):
        return self.prompt[:80]

    @property
    def allows_several(self) -> bool:
        return self.kind == self.Kind.MULTIPLE


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    feedback = models.CharField(max_length=1000, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question", "order", "pk"]

    def __str__(self):
        return self.text


class EnrolmentQuerySet(models.QuerySet):
    def incomplete(self):
        return self.filter(completed_at__isnull=True)

    def overdue(self, today=None):
        return self.incomplete().filter(due_on__lt=today or timezone.localdate())


class Enrolment(TimeStampedModel):
    """A person taking a course: the version they took is the one recorded on completion."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    version = models.ForeignKey(CourseVersion, on_delete=models.PROTECT, related_name="enrolments")
    started_on = models.DateField()
    due_on = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    last_module = models.ForeignKey(
        Module, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder_sent_on = models.DateField(null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="one_enrolment_per_course")]
        indexes = [models.Index(fields=["completed_at", "due_on"])]

    def __str__(self):
        return f"{self.user} on {self.course}"

    @property
    def is_overdue(self) -> bool:
        return self.completed_at is None and self.due_on < timezone.localdate()


class ModuleCompletion(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="module_completions")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module"], name="one_completion_per_module")
        ]

    def __str__(self):
        return f"{self.module} completed"


class QuizAttempt(models.Model):
    """One submission of a module's quiz. `answers` holds, per question id, the chosen ids and the result."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module", "number"], name="one_attempt_per_number")
        ]

    def __str__(self):
        return f"Attempt {self.number} at {self.module}: {self.score}%"


class TrainingRequirement(TimeStampedModel):
    """What a programme requires before a mentor counts as fully trained."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="training_requirement"
    )
    courses = models.ManyToManyField(Course, related_name="required_by", blank=True)
    core_workshop_required = models.BooleanField(default=True)

    def __str__(self):
        return f"Training required by {self.programme}"


class Workshop(TimeStampedModel):
    class Kind(models.TextChoices):
        CORE = "core", "Core mentor workshop"
        DEVELOPMENT = "development", "Development workshop"
        INDUCTION = "induction", "Mentee induction session"

    class Format(models.TextChoices):
        VIRTUAL = "virtual", "Online"
        IN_PERSON = "in_person", "In person"

    title = models.CharField(max_length=160)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CORE)
    delivery = models.CharField("format", max_length=10, choices=Format.choices, default=Format.VIRTUAL)
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(
        "length (minutes)", default=120, validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    capacity = models.PositiveSmallIntegerField(default=20, validators=[MinValueValidator(1)])
    location = models.CharField(
        max_length=300, blank=True, help_text="Venue address, for in-person workshops."
    )
    joining_details = models.TextField(
        max_length=2000, blank=True, help_text="Video link and instructions, shown to people who book."
    )
    description = models.TextField(max_length=4000, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshops_facilitated",
        help_text="Runs the workshop, and marks attendance as programme staff can.",
    )

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.title}, {timezone.localtime(self.starts_at):%d %b %Y %H:%M}"

    def get_absolute_url(self):
        return reverse_id("training:workshop_detail", self.pk)


class WorkshopBooking(TimeStampedModel):
    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    class Rating(models.IntegerChoices):
        POOR = 1, "Poor"
        FAIR = 2, "Fair"
        GOOD = 3, "Good"
        VERY_GOOD = 4, "Very good"
        EXCELLENT = 5, "Excellent"

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_bookings"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    attended = models.BooleanField(default=False)
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices, null=True, blank=True)
    would_recommend = models.BooleanField(null=True, blank=True)
    comments = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["workshop", "user__first_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["workshop", "user"], name="one_booking_per_workshop")]

    def __str__(self):
        return f"{self.user} at {self.workshop}"


def new_verification_code() -> str:
    return secrets.token_urlsafe(12)


class Certificate(TimeStampedModel):
    """A certificate of achievement: one per person and programme, rendered once, revocable."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being prepared"
        ISSUED = "issued", "Issued"
        REVOKED = "revoked", "Revoked"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    holder_name = models.CharField(max_length=300)
    title = models.CharField(max_length=200)
    completed_on = models.DateField()
    code = models.CharField(max_length=40, unique=True, default=new_verification_code, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf_path = models.CharField(max_length=300, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"],
                condition=Q(programme__isnull=False),
                name="one_certificate_per_programme",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(programme__isnull=True), name="one_general_certificate"
            ),
        ]

    def __str__(self):
        return f"{self.title}: {self.holder_name}"

    def get_absolute_url(self):
        return reverse("training:certificate_detail", args=[self.pk])

    def get_verify_url(self):
        return reverse("training:verify_code", args=[self.code])
