"""Which home pages a write to accounts' rows makes out of date (see core.home_cache).

The person row itself (User) is registered by mentoring, which knows whose pages show a name.
"""

from core.home_cache import Scopes, by_fields, register_home_dependency
from programmes.models import Cohort

from .models import MenteeProfile, MentorProfile, RoleAssignment


def _mentee_profile_scopes(profile) -> Scopes:
    # Counts per youth partner and per cohort: both the partner's and the cohort's partner's pages.
    partners = {profile.youth_partner_id}
    if profile.cohort_id is not None:
        partners |= set(
            Cohort.objects.filter(pk=profile.cohort_id).values_list("youth_partner_id", flat=True)
        )
    return Scopes(users={profile.user_id}, partners=partners)


def register() -> None:
    register_home_dependency(RoleAssignment, by_fields(users=["user"]))
    register_home_dependency(MentorProfile, by_fields(users=["user"]))
    register_home_dependency(MenteeProfile, _mentee_profile_scopes, track_previous=True)
