from datetime import date

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from core.models import TimeStampedModel
from core.prepared import PreparedQuery
from programmes.models import Region


class Role(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"
    COORDINATOR = "coordinator", "Coordinator"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Safeguarding lead"
    PROGRAMME_STAFF = "programme_staff", "Programme staff"
    FUNDER = "funder", "Funder"
    EMPLOYER_CONTACT = "employer_contact", "Employer contact"


# Which role's home page a person with several roles lands on first.
ROLE_PRECEDENCE = [
    Role.PROGRAMME_STAFF,
    Role.SAFEGUARDING_LEAD,
    Role.COORDINATOR,
    Role.FUNDER,
    Role.EMPLOYER_CONTACT,
    Role.MENTOR,
    Role.MENTEE,
]


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    SELF_DESCRIBED = "self_described", "I describe myself another way"
    UNDISCLOSED = "undisclosed", "Prefer not to say"


uk_phone_validator = RegexValidator(
    r"^\+?[0-9 ()-]{7,20}$", "Enter a phone number using digits, spaces and an optional leading +."
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person who signs in. Email is the login; roles come from RoleAssignment rows."""

    username = None
    email = models.EmailField("email address", unique=True)
    first_name = models.CharField("first name", max_length=150)
    last_name = models.CharField("last name", max_length=150, blank=True)
    # Safeguarding sets this while a suspension or removal is in effect (accounts.services.
    # suspension_fact_set); a suspended mentor leaves the matching pool, messaging and buddying.
    is_suspended = models.BooleanField("suspended or removed as a mentor", default=False, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "id"]
        # Lists of people are ordered by name: the first page reads 25 index entries, not every person.
        indexes = [models.Index(fields=["first_name", "last_name", "id"], name="accounts_user_name_order")]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @cached_property
    def mentee_placement(self) -> "MenteeProfile | None":
        """The person's mentee profile with its youth partner, cohort and programme (what the mentee's
        home page shows of it), read once: also kept as `mentee_profile`, so the page's panels share it."""
        profiles = _placement_query().rows(user=self)
        profile = profiles[0] if profiles else None
        User.mentee_profile.related.set_cached_value(self, profile)  # type: ignore[attr-defined]
        return profile

    @cached_property
    def _assignments(self) -> tuple[tuple[str, int | None, int | None], ...]:
        """(role, youth partner id, programme id) for each role held: one query per request."""
        if self.pk is None:
            return ()
        return tuple(tuple(row) for row in _ASSIGNMENTS.tuples(user=self))

    @cached_property
    def roles(self) -> frozenset[str]:
        """The role names this person holds anywhere."""
        return frozenset(role for role, _partner, _programme in self._assignments)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_programme_staff(self) -> bool:
        return self.is_superuser or Role.PROGRAMME_STAFF in self.roles

    @property
    def primary_role(self) -> str | None:
        if self.is_superuser:
            return Role.PROGRAMME_STAFF
        for role in ROLE_PRECEDENCE:
            if role in self.roles:
                return role
        return None

    @cached_property
    def coordinated_partner_ids(self) -> frozenset[int]:
        return self._partner_ids_for(Role.COORDINATOR)

    @cached_property
    def safeguarding_partner_ids(self) -> frozenset[int]:
        """Youth partners this person is DSL for, including every partner of a programme they lead."""
        from programmes.models import Cohort

        direct = self._partner_ids_for(Role.SAFEGUARDING_LEAD)
        programme_ids = [
            programme
            for role, partner, programme in self._assignments
            if role == Role.SAFEGUARDING_LEAD and partner is None and programme is not None
        ]
        if not programme_ids:
            return direct
        via_programme = Cohort.objects.filter(programme_id__in=programme_ids).values_list(
            "youth_partner_id", flat=True
        )
        return direct | frozenset(via_programme)

    def _partner_ids_for(self, role: str) -> frozenset[int]:
        return frozenset(
            partner for held, partner, _programme in self._assignments if held == role and partner is not None
        )


class RoleAssignment(TimeStampedModel):
    """A role a person holds, optionally within a youth partner or a programme.

    A coordinator at one school can be the DSL at another; a programme DSL holds the role
    for the programme; staff and funders hold it platform-wide or for one programme.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=Role.choices)
    youth_partner = models.ForeignKey(
        "programmes.YouthPartner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    is_deputy = models.BooleanField(default=False, help_text="Deputy safeguarding lead.")

    class Meta:
        ordering = ["user_id", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "youth_partner"],
                condition=Q(youth_partner__isnull=False),
                name="unique_role_per_partner",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "programme"],
                condition=Q(youth_partner__isnull=True, programme__isnull=False),
                name="unique_role_per_programme",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(youth_partner__isnull=True, programme__isnull=True),
                name="unique_platform_role",
            ),
            models.CheckConstraint(
                condition=~Q(role="coordinator") | Q(youth_partner__isnull=False),
                name="coordinator_needs_youth_partner",
            ),
            models.CheckConstraint(
                condition=~Q(role="safeguarding_lead")
                | Q(youth_partner__isnull=False)
                | Q(programme__isnull=False),
                name="safeguarding_lead_needs_organisation",
            ),
        ]

    def __str__(self):
        where = self.youth_partner or self.programme or "platform"
        return f"{self.user} – {self.get_role_display()} ({where})"


def age_on(date_of_birth: date, on: date) -> int:
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def age_band_on(date_of_birth: date, on: date) -> str:
    """A young person's age band as their profile shows it (`MenteeProfile.age_band`), on a day."""
    return age_band(age_on(date_of_birth, on))


def age_band(age: int) -> str:
    """The band a young person's age is shown in (under 16, 16-17, 18 and over)."""
    if age < 16:
        return "under 16"
    if age < 18:
        return "16-17"
    return "18 and over"


class MentorProfile(TimeStampedModel):
    class Background(models.TextChoices):
        EMPLOYED = "employed", "Employed"
        SELF_EMPLOYED = "self_employed", "Self-employed"
        RETIRED = "retired", "Retired"
        CAREER_BREAK = "career_break", "On a career break"
        STUDENT = "student", "Postgraduate student"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="mentor_profile")
    bio = models.TextField("where I would add most value", blank=True, max_length=2000)
    background = models.CharField(max_length=20, choices=Background.choices, default=Background.EMPLOYED)
    sector = models.CharField(max_length=120, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    employer_name = models.CharField(max_length=160, blank=True)
    region = models.CharField(max_length=32, choices=Region.choices, default=Region.GREATER_MANCHESTER)
    phone = models.CharField(max_length=24, blank=True, validators=[uk_phone_validator])
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.UNDISCLOSED)
    capacity = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(2)],
        help_text="Mentees at once: one or two.",
    )
    open_to_one_to_two = models.BooleanField("willing to mentor two mentees together", default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=2), name="mentor_capacity_one_or_two"
            )
        ]

    def __str__(self):
        return f"Mentor profile of {self.user}"


# `User._assignments`'s read, compiled once per process (core.prepared): every signed-in page asks it.
_ASSIGNMENTS = PreparedQuery(
    lambda slots: RoleAssignment.objects.filter(user=slots.person("user")).values(
        "role", "youth_partner_id", "programme_id"
    )
)
_PLACEMENT: list = []


def _placement_query():
    """`User.mentee_placement`'s read, compiled once per process (core.prepared); made on first use,
    once every model it joins is loaded."""
    if not _PLACEMENT:
        from core.rows import PreparedRows

        # What the panels read: the age (consent, induction), the partner's and programme's names.
        _PLACEMENT.append(
            PreparedRows(
                MenteeProfile,
                ("user_id", "date_of_birth", "youth_partner__name", "cohort__programme__name"),
                lambda slots: MenteeProfile.objects.filter(user=slots.person("user"))[:1],
            )
        )
    return _PLACEMENT[0]


class MenteeProfile(TimeStampedModel):
    class Stage(models.TextChoices):
        SECONDARY = "secondary", "At school (secondary)"
        SIXTH_FORM = "sixth_form", "Sixth form"
        COLLEGE = "college", "At college"
        UNIVERSITY = "university", "At university"
        NOT_IN_EDUCATION = "not_in_education", "Not in education, employment or training"
        EARLY_CAREER = "early_career", "Early in my career"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="mentee_profile")
    date_of_birth = models.DateField()
    youth_partner = models.ForeignKey(
        "programmes.YouthPartner", on_delete=models.PROTECT, related_name="mentee_profiles"
    )
    cohort = models.ForeignKey(
        "programmes.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentee_profiles"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SECONDARY)
    region = models.CharField(max_length=32, choices=Region.choices, default=Region.GREATER_MANCHESTER)
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.UNDISCLOSED)
    disadvantaged = models.BooleanField(
        default=False,
        help_text="Eligible for free school meals or a bursary, as recorded by the youth partner.",
    )
    # Contact details. Never shown to a mentor while the mentee is under 18.
    phone = models.CharField(max_length=24, blank=True, validators=[uk_phone_validator])
    address = models.TextField(blank=True, max_length=500)
    shares_contact_with_mentor = models.BooleanField(
        default=False, help_text="Over 18s only: agreed to share email and phone with their mentor."
    )

    class Meta:
        indexes = [
            models.Index(fields=["youth_partner", "date_of_birth"]),
            # The funder's home counts a programme's mentees by cohort and region from this alone.
            models.Index(fields=["cohort", "region"], name="menteeprofile_cohort_region"),
        ]

    def __str__(self):
        return f"Mentee profile of {self.user}"

    def age(self, on: date | None = None) -> int:
        return age_on(self.date_of_birth, on or timezone.localdate())

    @property
    def is_under_16(self) -> bool:
        return self.age() < 16

    @property
    def is_under_18(self) -> bool:
        return self.age() < 18

    @property
    def age_band(self) -> str:
        return age_band(self.age())


def birthdate_cutoff(years: int, today: date | None = None) -> date:
    """People born after this date are younger than `years` today."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


class DiversityAnswers(TimeStampedModel):
    """Optional, separately consented equality monitoring answers.

    Kept apart from the profile, never used for a decision about a person, reported only in aggregate.
    """

    class Ethnicity(models.TextChoices):
        ASIAN = "asian", "Asian or Asian British"
        BLACK = "black", "Black, Black British, Caribbean or African"
        MIXED = "mixed", "Mixed or multiple ethnic groups"
        WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
        WHITE_OTHER = "white_other", "White: any other background"
        OTHER = "other", "Another ethnic group"
        UNDISCLOSED = "undisclosed", "Prefer not to say"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="diversity_answers")
    ethnicity = models.CharField(max_length=20, choices=Ethnicity.choices, default=Ethnicity.UNDISCLOSED)
    disability = models.CharField(
        max_length=12,
        choices=[("yes", "Yes"), ("no", "No"), ("undisclosed", "Prefer not to say")],
        default="undisclosed",
    )
    consented_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "diversity answers"

    def __str__(self):
        return f"Diversity answers #{self.pk}"
