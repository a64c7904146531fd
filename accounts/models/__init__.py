"""People: accounts, roles and profiles. Recruitment (how people join) is the `recruitment` app."""

from .people import (
    ROLE_PRECEDENCE,
    DiversityAnswers,
    Gender,
    MenteeProfile,
    MentorProfile,
    Region,
    Role,
    RoleAssignment,
    User,
    UserManager,
    age_band,
    age_band_on,
    age_on,
    birthdate_cutoff,
    uk_phone_validator,
)
from .tokens import ApiToken, api_token_digest

__all__ = [
    "ApiToken",
    "api_token_digest",
    "ROLE_PRECEDENCE",
    "DiversityAnswers",
    "Gender",
    "MenteeProfile",
    "MentorProfile",
    "Region",
    "Role",
    "RoleAssignment",
    "User",
    "UserManager",
    "age_band",
    "age_band_on",
    "age_on",
    "birthdate_cutoff",
    "uk_phone_validator",
]
