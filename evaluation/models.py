"""Survey instruments (versioned), the responses people give, and the summaries the dashboards read."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import TimeStampedModel


class OutcomeTheme(models.TextChoices):
    EMPOWERMENT = "empowerment", "Empowerment"
    WELLBEING = "wellbeing", "Wellbeing"
    SOCIAL_CONNECTEDNESS = "social_connectedness", "Social connectedness"
    CONFIDENCE = "confidence", "Confidence"
    AWARENESS = "awareness", "Awareness of education and work options"
    EMPLOYABILITY = "employability", "Employability skills"
    WORLD_OF_WORK = "world_of_work", "Exposure to the world of work"
    PERSONAL_EFFECTIVENESS = "personal_effectiveness", "Personal effectiveness"
    SELF_EFFICACY = "self_efficacy", "Self-efficacy"
    RESILIENCE = "resilience", "Resilience"
    PROGRAMME_QUALITY = "programme_quality", "Programme quality"
    NEEDS = "needs", "Needs and interests"


class Instrument(TimeStampedModel):
    """A survey, such as the mentee pre-evaluation. Its questions live in numbered versions."""

    class Purpose(models.TextChoices):
        MENTEE_PRE = "mentee_pre", "Mentee pre-evaluation"
        MENTEE_POST = "mentee_post", "Mentee post-evaluation"
        MENTOR_PRE = "mentor_pre", "Mentor pre-evaluation"
        MENTOR_POST = "mentor_post", "Mentor post-evaluation"
        TRAINING = "training", "Training feedback"
        WORKSHOP = "workshop", "Workshop feedback"
        MIDPOINT = "midpoint", "Mid-point check-in"
        PULSE = "pulse", "Relationship pulse"
        EXIT = "exit", "Exit survey (early ending)"
        OTHER = "other", "Other"

    # Which side of a before-and-after comparison an instrument's answers fall on.
    PRE_PURPOSES = (Purpose.MENTEE_PRE, Purpose.MENTOR_PRE)
    POST_PURPOSES = (Purpose.MENTEE_POST, Purpose.MENTOR_POST)
    # Who answers a before-and-after survey: young people and mentors are never mixed in one figure.
    MENTEES, MENTORS = "mentee", "mentor"
    POPULATION: dict[str, str] = {
        Purpose.MENTEE_PRE: MENTEES,
        Purpose.MENTEE_POST: MENTEES,
        Purpose.MENTOR_PRE: MENTORS,
        Purpose.MENTOR_POST: MENTORS,
    }
    POPULATION_PURPOSES: dict[str, tuple[str, str]] = {
        MENTEES: (Purpose.MENTEE_PRE, Purpose.MENTEE_POST),
        MENTORS: (Purpose.MENTOR_PRE, Purpose.MENTOR_POST),
    }

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=160)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.OTHER)
    description = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def stage(self) -> str:
        if self.purpose in self.PRE_PURPOSES:
            return "pre"
        if self.purpose in self.POST_PURPOSES:
            return "post"
        return ""

    def get_absolute_url(self):
        return reverse("evaluation:instrument_detail", args=[self.pk])


class InstrumentVersion(TimeStampedModel):
    """One numbered version of an instrument. Once published its questions are frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    introduction = models.TextField(blank=True, max_length=2000)
    introduction_plain = models.TextField(
        "introduction for under-16s", blank=True, max_length=2000, help_text="Plain wording for under-16s."
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["instrument__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="unique_instrument_version_number"),
            models.UniqueConstraint(
                fields=["instrument"],
                condition=Q(status="published"),
                name="one_published_version_per_instrument",
            ),
        ]

    def __str__(self):
        return f"{self.instrument} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT

    def get_absolute_url(self):
        return reverse("evaluation:version_detail", args=[self.pk])


class Question(models.Model):
    """A question in one instrument version. `code` is stable across versions and mirrored items."""

    class Kind(models.TextChoices):
        AGREE = "agree", "Agree scale (five points)"
        YES_NO = "yes_no", "Yes or no"
        NPS = "nps", "0 to 10 (likelihood to recommend)"
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        TEXT = "text", "Free text"

    AGREE_LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
    AGREE_LABELS_PLAIN = ["No, not at all", "Not really", "Not sure", "Yes, mostly", "Yes, definitely"]
    # Answer values: agree 1-5, yes/no 1 (yes) or 0 (no), NPS 0-10, choices their position from 0.
    # Looked up by the kind a question stores (a plain string).
    VALUE_RANGE: dict[str, tuple[int, int]] = {Kind.AGREE: (1, 5), Kind.YES_NO: (0, 1), Kind.NPS: (0, 10)}

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.SlugField(max_length=60, help_text="The same code on a pre and a post item pairs them.")
    replaces = models.SlugField(
        "continues the item",
        max_length=60,
        blank=True,
        help_text="The code this item had in an earlier version, when only the code changed. Answers to "
        "both are then compared as one item. Leave blank for a new item, or one whose meaning changed.",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.CharField(max_length=300)
    text_plain = models.CharField(
        "wording for under-16s", max_length=300, blank=True, help_text="Leave blank to use the main wording."
    )
    theme = models.CharField(max_length=32, choices=OutcomeTheme.choices)
    choices = models.JSONField(default=list, blank=True, help_text="Options, for choice questions.")
    required = models.BooleanField(default=True)
    is_headline = models.BooleanField(default=False, help_text="Shown first in impact reports.")

    class Meta:
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_question_code_per_version"),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        if self.replaces and self.replaces == self.code:
            raise ValidationError({"replaces": "An item cannot continue itself: give its earlier code."})
        if self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE):
            if not isinstance(self.choices, list) or len(self.choices) < 2:
                raise ValidationError({"choices": "A choice question needs at least two options."})
            if any(not isinstance(option, str) or not option.strip() for option in self.choices):
                raise ValidationError({"choices": "Every option needs some text."})
        elif self.choices:
            raise ValidationError({"choices": "Only choice questions have options."})

    def wording_for(self, *, plain: bool) -> str:
        return self.text_plain if plain and self.text_plain else self.text

    def scale_labels(self, *, plain: bool) -> list[str]:
        return self.AGREE_LABELS_PLAIN if plain else self.AGREE_LABELS


class SurveyInstance(TimeStampedModel):
    """An instrument version sent out for one programme (or platform-wide). People answer it once."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="instances")
    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_instances",
    )
    is_open = models.BooleanField(default=True)
    closes_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "programme"], name="unique_survey_instance_per_programme"
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(programme__isnull=True),
                name="unique_platform_survey_instance",
            ),
        ]

    def __str__(self):
        return f"{self.version} for {self.programme or 'all programmes'}"


class SurveyResponse(TimeStampedModel):
    """One person's response to one survey instance: issued, then in progress, then submitted."""

    class Status(models.TextChoices):
        ISSUED = "issued", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    instance = models.ForeignKey(SurveyInstance, on_delete=models.PROTECT, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_responses"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ISSUED)
    # Where the respondent stood when the survey was issued, so reports group without joins.
    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    youth_partner = models.ForeignKey(
        "programmes.YouthPartner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    context_type = models.CharField(max_length=80, blank=True, help_text="What the survey is about.")
    context_id = models.CharField(max_length=40, blank=True)
    mandatory = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "respondent"], name="one_response_per_person_per_survey"
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="submitted_response_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["respondent", "status"]),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self):
        return f"{self.instance.version} – {self.respondent}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def get_absolute_url(self):
        return reverse("evaluation:response_fill", args=[self.pk])


class Answer(models.Model):
    """One answer. Scale, yes/no, 0-10 and single choice keep a small integer; multiple choice the
    positions chosen; free text its text."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
        ]

    def __str__(self):
        return f"Answer to {self.question.code}"


class AnswerTally(models.Model):
    """How many people gave each value to each question, per programme, partner, cohort and day.

    Updated in the same transaction as each submission, so dashboards read counts, not answers.
    Rows are only ever incremented and reads always SUM, so a duplicate row from a race is harmless.
    """

    stage = models.CharField(max_length=8, blank=True)
    instrument_purpose = models.CharField(max_length=20)
    question_code = models.CharField(max_length=60)
    question_kind = models.CharField(max_length=12)
    theme = models.CharField(max_length=32)
    programme = models.ForeignKey(
        "programmes.Programme", null=True, on_delete=models.CASCADE, related_name="+"
    )
    youth_partner = models.ForeignKey(
        "programmes.YouthPartner", null=True, on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.ForeignKey("programmes.Cohort", null=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The day (UK time) the answers were submitted.")
    value = models.SmallIntegerField()
    respondents = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["programme", "instrument_purpose", "question_code"], name="evaluation_tally_prog"
            ),
        ]

    def __str__(self):
        return f"{self.question_code}={self.value}: {self.respondents}"


class PairTally(models.Model):
    """Pairs of pre and post answers to the same scale item by the same person, counted by the
    (before, after) values: everything the paired analysis needs, in at most 25 rows per group.

    A pair is filed under the after answer: the day it was given and where the person stood then.
    `question_code` is the item's stable key (the code of its first version, see Question.replaces)."""

    population = models.CharField(max_length=8, default="mentee")
    question_code = models.CharField(max_length=60)
    theme = models.CharField(max_length=32)
    programme = models.ForeignKey(
        "programmes.Programme", null=True, on_delete=models.CASCADE, related_name="+"
    )
    youth_partner = models.ForeignKey(
        "programmes.YouthPartner", null=True, on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.ForeignKey("programmes.Cohort", null=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The day (UK time) the after answer was submitted.")
    before = models.SmallIntegerField()
    after = models.SmallIntegerField()
    pairs = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["programme", "question_code"], name="evaluation_pairs_prog"),
        ]
        # The covering index led by the youth partner is created in migration 0002 (PostgreSQL INCLUDE).

    def __str__(self):
        return f"{self.question_code} {self.before}->{self.after}: {self.pairs}"


class PairGroupTally(models.Model):
    """The pair summary again, once per grouping of people (region, gender, age band, disadvantage,
    ethnicity, disability), so every breakdown reads counts, not answers.

    `group` is the person's value when the pair was made (age: on the day of the before answer);
    blank when not recorded. Filed like PairTally: the after answer's day and placement."""

    population = models.CharField(max_length=8, default="mentee")
    question_code = models.CharField(max_length=60)
    dimension = models.CharField(max_length=16)
    group = models.CharField(max_length=32, blank=True)
    programme = models.ForeignKey(
        "programmes.Programme", null=True, on_delete=models.CASCADE, related_name="+"
    )
    youth_partner = models.ForeignKey(
        "programmes.YouthPartner", null=True, on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.ForeignKey("programmes.Cohort", null=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The day (UK time) the after answer was submitted.")
    before = models.SmallIntegerField()
    after = models.SmallIntegerField()
    pairs = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["dimension", "question_code", "population"], name="evaluation_groups_dim"),
        ]

    def __str__(self):
        return f"{self.question_code} {self.dimension}={self.group} {self.before}->{self.after}: {self.pairs}"


class ResponseTally(models.Model):
    """Surveys sent and completed, per survey purpose, programme, partner, cohort and day sent.

    Incremented when a survey is issued and when it is submitted, in the same transactions."""

    instrument_purpose = models.CharField(max_length=20)
    programme = models.ForeignKey(
        "programmes.Programme", null=True, on_delete=models.CASCADE, related_name="+"
    )
    youth_partner = models.ForeignKey(
        "programmes.YouthPartner", null=True, on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.ForeignKey("programmes.Cohort", null=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The day (UK time) the survey was sent.")
    issued = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["youth_partner", "instrument_purpose"], name="evaluation_rates_partner")
        ]

    def __str__(self):
        return f"{self.instrument_purpose}: {self.submitted}/{self.issued}"


class ImpactReport(TimeStampedModel):
    """A PDF impact report for one programme and period, built in the background."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to start"
        RUNNING = "running", "Being built"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="impact_reports"
    )
    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.CASCADE, related_name="impact_reports"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    # The breakdown the report shows: a grouping (see selectors.BREAKDOWNS) of one statement (its stable
    # key; blank: young people's headline statement).
    breakdown = models.CharField(max_length=20, default="youth_partner")
    item = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    error = models.CharField(max_length=255, blank=True)
    # When the current build was claimed: a build claimed long ago and never finished lost its worker.
    started_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="impact_report_period_ordered"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="impact_report_progress_percent"),
        ]

    def __str__(self):
        return f"Impact report {self.programme or 'all programmes'} {self.period_start}–{self.period_end}"

    def get_absolute_url(self):
        return reverse("evaluation:report_detail", args=[self.pk])
