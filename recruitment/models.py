"""How people join: windows, applications, screening, references, imports, invitations, consent."""

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import MenteeProfile, MentorProfile, Region, Role
from core.models import TimeStampedModel


class SupportArea(models.TextChoices):
    """The one taxonomy of support: what mentors offer and mentees ask for. Matching compares these."""

    CAREERS_GUIDANCE = "careers_guidance", "Careers guidance and exploring options"
    UNIVERSITY_APPLICATIONS = "university_applications", "University applications and personal statements"
    CV_AND_INTERVIEWS = "cv_and_interviews", "CVs, applications and interviews"
    STUDY_AND_EXAMS = "study_and_exams", "Study skills and exams"
    CONFIDENCE = "confidence", "Confidence and self-belief"
    NETWORKING = "networking", "Networking and work experience"
    WELLBEING = "wellbeing", "Wellbeing (and knowing where to get help)"
    APPRENTICESHIPS = "apprenticeships", "Apprenticeships and alternative routes"
    STARTING_A_BUSINESS = "starting_a_business", "Starting a business"
    WORKPLACE_SKILLS = "workplace_skills", "Settling into work and workplace skills"
    MONEY_AND_INDEPENDENCE = "money_and_independence", "Money and independent living"


def validate_support_areas(value):
    if not isinstance(value, list) or any(item not in SupportArea.values for item in value):
        raise ValidationError("Choose from the listed kinds of support.")


class _SlugNamed(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Industry(_SlugNamed):
    """An industry or career area. Mentors work in them; mentees are interested in them."""

    class Meta(_SlugNamed.Meta):
        db_table = "accounts_industry"
        verbose_name_plural = "industries"


class Interest(_SlugNamed):
    """A hobby or interest, shared interests help a match."""

    class Meta(_SlugNamed.Meta):
        db_table = "accounts_interest"


class ApplicationWindow(TimeStampedModel):
    """When a programme (optionally one cohort) takes applications, and what it tells applicants."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="application_windows"
    )
    cohort = models.ForeignKey(
        "programmes.Cohort",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="application_windows",
    )
    role = models.CharField(
        "who may apply",
        max_length=20,
        choices=[(Role.MENTOR.value, "Mentors"), (Role.MENTEE.value, "Mentees")],
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    eligibility = models.TextField(max_length=2000)
    commitment = models.TextField(max_length=1000)
    what_happens_next = models.TextField(max_length=2000)
    contact_email = models.EmailField()

    class Meta:
        db_table = "accounts_applicationwindow"
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="application_window_closes_after_opening"
            )
        ]

    def __str__(self):
        role = self.get_role_display().lower()
        return f"{self.programme} {role}: {self.opens_on:%d %b} to {self.closes_on:%d %b %Y}"

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": "The closing date must be on or after the opening date."})
        if self.cohort_id and self.programme_id and self.cohort.programme_id != self.programme_id:
            raise ValidationError({"cohort": "This cohort belongs to another programme."})

    def is_open(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.opens_on <= on <= self.closes_on


class DeclineGround(models.Model):
    """A reason a programme may decline an applicant, with the feedback the applicant is shown."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="decline_grounds"
    )
    label = models.CharField(max_length=160)
    feedback = models.TextField(
        max_length=2000,
        help_text="What the applicant reads: kind, honest and, where possible, what to do next.",
    )

    class Meta:
        db_table = "accounts_declineground"
        ordering = ["programme_id", "label"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "label"], name="unique_decline_ground_label")
        ]

    def __str__(self):
        return self.label


class ApplicationQuerySet(models.QuerySet):
    def mentors(self):
        return self.filter(role=Role.MENTOR)

    def mentees(self):
        return self.filter(role=Role.MENTEE)


class Application(TimeStampedModel):
    """A mentor's or mentee's application: a draft until submitted, then screened and decided."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Received"
        SCREENING = "screening", "In screening"
        ON_HOLD = "on_hold", "On hold"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    ACTIVE_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.SCREENING, Status.ON_HOLD, Status.APPROVED)
    DECIDABLE_STATUSES = (Status.SUBMITTED, Status.SCREENING, Status.ON_HOLD)

    class Setting(models.TextChoices):
        SCHOOL = "school", "School"
        COLLEGE = "college", "College"
        UNIVERSITY = "university", "University"
        ADULT = "adult", "Adults early in their career"

    class Day(models.TextChoices):
        MONDAY = "mon", "Monday"
        TUESDAY = "tue", "Tuesday"
        WEDNESDAY = "wed", "Wednesday"
        THURSDAY = "thu", "Thursday"
        FRIDAY = "fri", "Friday"
        SATURDAY = "sat", "Saturday"
        SUNDAY = "sun", "Sunday"

    class TimeOfDay(models.TextChoices):
        MORNING = "morning", "Mornings"
        AFTERNOON = "afternoon", "Afternoons"
        AFTER_SCHOOL = "after_school", "After school (3pm to 6pm)"
        EVENING = "evening", "Evenings"

    class Pairing(models.TextChoices):
        ONE_TO_ONE = "one_to_one", "Just me and my mentor"
        ONE_TO_TWO = "one_to_two", "Me and one other young person with a mentor"
        EITHER = "either", "I don't mind"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="applications"
    )
    window = models.ForeignKey(
        ApplicationWindow, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    role = models.CharField(
        max_length=20, choices=[(Role.MENTOR.value, "Mentor"), (Role.MENTEE.value, "Mentee")]
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decline_ground = models.ForeignKey(
        DeclineGround, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    feedback = models.TextField("feedback to the applicant", blank=True, max_length=2000)

    # Shared by both roles.
    region = models.CharField(max_length=32, choices=Region.choices, default=Region.GREATER_MANCHESTER)
    industries = models.ManyToManyField(Industry, blank=True, related_name="applications")
    interests = models.ManyToManyField(Interest, blank=True, related_name="applications")
    hobbies = models.CharField("other hobbies and interests", max_length=300, blank=True)
    support_areas = models.JSONField(default=list, blank=True, validators=[validate_support_areas])

    # Mentors.
    background = models.CharField(max_length=20, choices=MentorProfile.Background.choices, blank=True)
    sector = models.CharField(max_length=120, blank=True)
    job_title = models.CharField("role or job title", max_length=120, blank=True)
    languages = models.CharField("languages you speak", max_length=200, blank=True, default="English")
    available_days = models.JSONField(default=list, blank=True)
    available_times = models.JSONField(default=list, blank=True)
    months_away = models.CharField("months you know you will be away", max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(
        "how many mentees at once",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(2)],
    )
    open_to_one_to_two = models.BooleanField("willing to mentor two young people together", default=False)
    preferred_settings = models.JSONField(default=list, blank=True)
    conflicts_of_interest = models.TextField(
        "conflicts of interest",
        max_length=1000,
        blank=True,
        help_text="For example a school where you work or govern, or young people you know personally.",
    )
    conflict_partners = models.ManyToManyField(
        "programmes.YouthPartner",
        blank=True,
        related_name="conflicted_applications",
        verbose_name="schools or organisations you have a link with",
        help_text="Where you work, govern, volunteer or have family: you will not be matched there.",
    )
    bio = models.TextField("where I would add most value", max_length=2000, blank=True)

    # Mentees.
    date_of_birth = models.DateField(null=True, blank=True)
    stage = models.CharField(max_length=20, choices=MenteeProfile.Stage.choices, blank=True)
    youth_partner = models.ForeignKey(
        "programmes.YouthPartner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    careers_of_interest = models.CharField(
        "jobs or careers you are curious about", max_length=300, blank=True
    )
    goals = models.TextField("what you would like to get out of mentoring", max_length=2000, blank=True)
    pairing_preference = models.CharField(
        "who would you like in your sessions", max_length=20, choices=Pairing.choices, blank=True
    )
    willing_outside_region = models.BooleanField(
        "happy to have a mentor from another part of the UK", default=False
    )
    accessibility_needs = models.TextField(
        "anything that would make sessions easier for you", max_length=1000, blank=True
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        db_table = "accounts_application"
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme", "role"],
                condition=Q(status__in=["draft", "submitted", "screening", "on_hold", "approved"]),
                name="one_active_application_per_programme_role",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=2), name="application_capacity_one_or_two"
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | Q(decline_ground__isnull=False),
                name="declined_application_has_ground",
            ),
        ]
        indexes = [
            models.Index(fields=["role", "status"]),
            # The application list's order: its first page reads 25 entries, not every application.
            models.Index(fields=["-submitted_at", "-created_at"], name="application_newest_first"),
        ]

    def __str__(self):
        return f"{self.get_role_display()} application from {self.user} to {self.programme}"

    def get_absolute_url(self):
        return reverse("recruitment:application_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def get_support_areas_display(self) -> list[str]:
        return [SupportArea(value).label for value in self.support_areas if value in SupportArea.values]

    def missing_for_submission(self) -> dict[str, str]:
        """Field -> message for everything an applicant must answer before submitting."""
        missing = {}
        if not self.support_areas:
            missing["support_areas"] = (
                "Choose at least one kind of support you can offer."
                if self.role == Role.MENTOR
                else "Pick at least one thing you would like help with."
            )
        if self.role == Role.MENTOR:
            for field, message in (
                ("background", "Tell us whether you are employed, retired or on a career break."),
                ("sector", "Tell us the sector you work or worked in."),
                ("bio", "Write a few lines on where you would add most value."),
            ):
                if not getattr(self, field):
                    missing[field] = message
            if not self.available_days:
                missing["available_days"] = "Choose at least one day you could meet."
            if not self.preferred_settings:
                missing["preferred_settings"] = "Choose at least one setting you would mentor in."
        else:
            if not self.date_of_birth and not hasattr(self.user, "mentee_profile"):
                missing["date_of_birth"] = "Tell us your date of birth."
            if not self.stage:
                missing["stage"] = "Tell us where you are at the moment (school, college, work...)."
            if not self.youth_partner_id:
                missing["youth_partner"] = "Choose your school, college or organisation."
            if not self.goals:
                missing["goals"] = "Tell us in your own words what you would like to get out of mentoring."
            if not self.pairing_preference:
                missing["pairing_preference"] = "Tell us who you would like in your sessions."
        return missing


class ScreeningCheck(TimeStampedModel):
    """A mentor applicant's screening checklist, seen and kept by programme staff."""

    class CheckStatus(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        CLEAR = "clear", "Clear"
        CONCERN = "concern", "Needs review"

    class CheckLevel(models.TextChoices):
        BASIC = "basic", "Basic"
        STANDARD = "standard", "Standard"
        ENHANCED = "enhanced", "Enhanced"
        ENHANCED_BARRED = "enhanced_barred", "Enhanced with barred list"

    class BarredListResult(models.TextChoices):
        NOT_BARRED = "not_barred", "Not barred"
        BARRED = "barred", "Barred"

    class Decision(models.TextChoices):
        SUITABLE = "suitable", "Suitable to mentor"
        NOT_SUITABLE = "not_suitable", "Not suitable to mentor"

    ENHANCED_LEVELS = (CheckLevel.ENHANCED, CheckLevel.ENHANCED_BARRED)

    class Meta:
        db_table = "accounts_screeningcheck"

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="screening")
    identity_status = models.CharField(
        max_length=20, choices=CheckStatus.choices, default=CheckStatus.NOT_STARTED
    )
    background_check_status = models.CharField(
        max_length=20, choices=CheckStatus.choices, default=CheckStatus.NOT_STARTED
    )
    background_check_level = models.CharField(max_length=20, choices=CheckLevel.choices, blank=True)
    # Only the last four characters of the certificate number are kept.
    certificate_last4 = models.CharField("certificate reference (last 4)", max_length=4, blank=True)
    certificate_issued_on = models.DateField(null=True, blank=True)
    update_service = models.BooleanField("registered with the update service", default=False)
    renewal_due_on = models.DateField(null=True, blank=True)
    # Blank until the children's barred list has been checked.
    barred_list_result = models.CharField(max_length=20, choices=BarredListResult.choices, blank=True)
    check_decision = models.CharField(
        "decision on the background check", max_length=20, choices=Decision.choices, blank=True
    )
    # Set by the service from the acting staff user, never typed in, so the register says who decided.
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_on = models.DateField(null=True, blank=True)
    code_of_conduct_accepted_at = models.DateTimeField(null=True, blank=True)
    safeguarding_policy_accepted_at = models.DateTimeField(null=True, blank=True)
    interview_status = models.CharField(
        max_length=20, choices=CheckStatus.choices, default=CheckStatus.NOT_STARTED
    )
    interview_notes = models.TextField(max_length=4000, blank=True)

    def __str__(self):
        return f"Screening for {self.application}"

    @property
    def certificate_masked(self) -> str:
        return f"•••• {self.certificate_last4}" if self.certificate_last4 else ""

    def renewal_due(self) -> date | None:
        if self.renewal_due_on:
            return self.renewal_due_on
        if self.certificate_issued_on and not self.update_service:
            return self.certificate_issued_on + timedelta(days=3 * 365)
        return None

    def checklist(self) -> list[tuple[str, bool]]:
        """Each item and whether it is done."""
        references = list(self.application.references.all())
        return [
            ("Identity confirmed", self.identity_status == self.CheckStatus.CLEAR),
            (
                "Enhanced background check clear",
                self.background_check_status == self.CheckStatus.CLEAR
                and self.background_check_level in self.ENHANCED_LEVELS,
            ),
            (
                "Two satisfactory references",
                sum(1 for reference in references if reference.satisfactory is True) >= 2,
            ),
            ("Code of conduct accepted", self.code_of_conduct_accepted_at is not None),
            ("Safeguarding policy accepted", self.safeguarding_policy_accepted_at is not None),
            ("Interview held and satisfactory", self.interview_status == self.CheckStatus.CLEAR),
        ]

    @property
    def is_complete(self) -> bool:
        return all(done for _label, done in self.checklist())


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class RenewalReminder(models.Model):
    """A renewal reminder sent for one check and one renewal date; the unique pair stops a second send."""

    screening = models.ForeignKey(ScreeningCheck, on_delete=models.CASCADE, related_name="renewal_reminders")
    renewal_due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "accounts_renewalreminder"
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "renewal_due_on"], name="one_renewal_reminder_per_check_and_date"
            )
        ]

    def __str__(self):
        return f"Renewal reminder for {self.screening_id} due {self.renewal_due_on}"


class SingleUseLink(TimeStampedModel):
    """A link sent by email: only a hash of its secret is stored; it expires and works once."""

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def issue_token(self, *, valid_for: timedelta) -> str:
        """Give this link a fresh secret; returns the raw secret (never stored) for the email."""
        raw = secrets.token_urlsafe(32)
        self.token_hash = hash_token(raw)
        self.expires_at = timezone.now() + valid_for
        return raw

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class Reference(SingleUseLink):
    """A referee asked, by a one-time link, about a mentor applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="references")
    referee_name = models.CharField(max_length=160)
    referee_email = models.EmailField()
    known_as = models.CharField("how the referee knows the applicant", max_length=200, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    satisfactory = models.BooleanField(null=True, blank=True)
    response = models.TextField(max_length=4000, blank=True)

    class Meta:
        db_table = "accounts_reference"
        ordering = ["created_at"]

    def __str__(self):
        return f"Reference from {self.referee_name} for {self.application.user}"

    @property
    def status_label(self) -> str:
        if self.received_at is None:
            return "Expired" if self.expires_at <= timezone.now() else "Requested"
        return "Satisfactory" if self.satisfactory else "Not satisfactory"


class MenteeImport(TimeStampedModel):
    """One uploaded file of mentees from a youth partner: previewed, then committed whole or not at all."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Checked, not yet imported"
        INVALID = "invalid", "Has problems"
        COMMITTED = "committed", "Imported"

    youth_partner = models.ForeignKey(
        "programmes.YouthPartner", on_delete=models.CASCADE, related_name="mentee_imports"
    )
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentee_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="mentee_imports"
    )
    filename = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices)
    rows = models.JSONField(default=list, blank=True, help_text="The checked rows, ready to import.")
    problems = models.JSONField(default=list, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "accounts_menteeimport"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} for {self.youth_partner}"

    def get_absolute_url(self):
        return reverse("recruitment:import_detail", args=[self.pk])


class Invitation(SingleUseLink):
    """An invitation for an imported mentee to claim their account: set a password, confirm their email."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    mentee_import = models.ForeignKey(
        MenteeImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "accounts_invitation"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.user}"


CONSENT_TEXT_VERSION = "2026-09"
CONSENT_TEXT = (
    "I am the parent or guardian of {name}. I agree that {name} may take part in {programme}: meeting a "
    "trained, background-checked volunteer mentor about once a month for up to twelve months, at their "
    "school, college or online through the school's accounts, and that the programme may keep the "
    "information needed to run the mentoring and evaluate it. I understand that I can withdraw this "
    "consent at any time by contacting the programme or the school."
)


class ConsentRequest(SingleUseLink):
    """An email to a parent or guardian asking consent for an under-16 to be mentored."""

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_requests"
    )
    parent_name = models.CharField("parent or guardian's name", max_length=160)
    parent_email = models.EmailField("parent or guardian's email")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text_version = models.CharField(max_length=20, default=CONSENT_TEXT_VERSION)

    class Meta:
        db_table = "accounts_consentrequest"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Consent request for {self.mentee} to {self.parent_email}"


class ConsentRecord(TimeStampedModel):
    """A consent given (and perhaps later withdrawn): what, by whom, when and which version of the text."""

    class Scope(models.TextChoices):
        MENTORING = "mentoring", "Taking part in mentoring"

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_records"
    )
    request = models.OneToOneField(
        ConsentRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="record"
    )
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.MENTORING)
    given_by_name = models.CharField(max_length=160)
    given_by_email = models.EmailField()
    given_by_relationship = models.CharField("relationship to the young person", max_length=80)
    given_at = models.DateTimeField()
    text_version = models.CharField(max_length=20)
    text = models.TextField("the exact words agreed to")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        db_table = "accounts_consentrecord"
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "scope"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_current_consent_per_scope",
            )
        ]

    def __str__(self):
        return f"Consent for {self.mentee} by {self.given_by_name}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None
