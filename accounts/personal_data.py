"""What accounts holds about people, for the personal data register (core/personal_data.py)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import make_password

from core.personal_data import ANONYMISE, DELETE, KEEP, register

from .models import ApiToken, DiversityAnswers, MenteeProfile, MentorProfile, RoleAssignment, User

ERASED_FIRST_NAME = "Erased"
ERASED_LAST_NAME = "person"


def register_entries() -> None:
    register(
        User,
        section="account",
        title="Your account",
        description="Your name, email address and when you joined and last signed in.",
        subject=("pk",),
        fields=("first_name", "last_name", "email", "date_joined", "last_login", "is_active"),
        own_contact_details=True,
        erasure=ANONYMISE,
        # The row stays so that relationships and safeguarding records still point at someone.
        anonymise={
            "first_name": ERASED_FIRST_NAME,
            "last_name": ERASED_LAST_NAME,
            "email": lambda row, person: f"erased-{row.pk}@erased.invalid",
            "is_active": False,
            "password": lambda row, person: make_password(None),
        },
        reason="Other people's mentoring and safeguarding records point at the account; "
        "the name, email address and password are removed and it can no longer sign in.",
    )
    register(
        EmailAddress,
        section="email_addresses",
        title="Email addresses",
        description="The email addresses on your account and whether each is confirmed.",
        subject=("user",),
        fields=("email", "verified", "primary"),
        own_contact_details=True,
        erasure=DELETE,
    )
    register(
        Authenticator,
        section="two_factor_methods",
        title="Two-factor sign-in methods",
        description="The kinds of second sign-in step you set up (the secrets themselves are not included).",
        subject=("user",),
        fields=("type", "created_at", "last_used_at"),
        erasure=DELETE,
    )
    register(
        ApiToken,
        section="api_tokens",
        title="API keys",
        description="The keys you created for the platform's API: their names, when they were created, "
        "last used, expire or were revoked (the keys themselves are not included).",
        subject=("user",),
        fields=("name", "created_at", "expires_at", "last_used_at", "revoked_at"),
        actors=("revoked_by",),
        erasure=DELETE,
    )
    register(
        RoleAssignment,
        section="roles",
        title="Your roles",
        description="What you do on the platform (mentor, mentee, coordinator…) and for which programme "
        "or youth partner.",
        subject=("user",),
        fields=("role", "programme__name", "youth_partner__name", "is_deputy"),
        erasure=KEEP,
        reason="Shows which programme the relationship and safeguarding records kept below belong to; "
        "holds nothing else about the person.",
        retention="Kept with the relationship and safeguarding records.",
    )
    register(
        MentorProfile,
        section="mentor_profile",
        title="Your mentor profile",
        description="What you told us about yourself as a mentor, used for matching.",
        subject=("user",),
        fields=(
            "bio",
            "background",
            "sector",
            "job_title",
            "employer_name",
            "region",
            "phone",
            "gender",
            "capacity",
            "open_to_one_to_two",
        ),
        own_contact_details=True,
        erasure=ANONYMISE,
        anonymise={"bio": "", "job_title": "", "employer_name": "", "phone": "", "sector": ""},
        reason="Past matching rounds point at the profile; what could identify the person is removed.",
    )
    register(
        MenteeProfile,
        section="mentee_profile",
        title="Your mentee profile",
        description="Your date of birth, school stage, region, youth partner and contact details.",
        subject=("user",),
        fields=(
            "date_of_birth",
            "youth_partner__name",
            "cohort__name",
            "stage",
            "region",
            "gender",
            "disadvantaged",
            "phone",
            "address",
            "shares_contact_with_mentor",
        ),
        own_contact_details=True,
        erasure=ANONYMISE,
        anonymise={"phone": "", "address": "", "shares_contact_with_mentor": False},
        reason="The date of birth stays: safeguarding records about a young person are kept until their "
        "25th birthday, and it is how that date is known.",
    )
    register(
        DiversityAnswers,
        section="diversity_answers",
        title="Equality and diversity answers",
        description="The optional answers you gave about ethnicity and disability, and when you agreed "
        "to give them.",
        subject=("user",),
        fields=("ethnicity", "disability", "consented_at"),
        erasure=DELETE,
    )
