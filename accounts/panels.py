"""Home-page panels of people's own accounts: a mentor's profile, and the programme team's most
recent sensitive actions from the audit log."""

from core import policy
from core.models import AuditEvent
from core.panels import Panel, register_home_panel
from core.rows import PreparedRows

from .models import MentorProfile, Role, User

# The person's own mentor profile, compiled once per process (core.prepared).
_OWN_MENTOR_PROFILE = PreparedRows(
    MentorProfile,
    tuple(item.attname for item in MentorProfile._meta.concrete_fields),
    lambda slots: MentorProfile.objects.filter(user=slots.person("user")),
)


def mentor_profile_panel(request):
    user = request.user
    if User.mentor_profile.related.is_cached(user):  # type: ignore[attr-defined]
        profile = getattr(user, "mentor_profile", None)
    else:
        profiles = _OWN_MENTOR_PROFILE.rows(user=user)
        profile = profiles[0] if profiles else None
    return Panel("accounts/panels/mentor_profile.html", {"profile": profile})


# The programme team's latest audit events, with what the panel shows of each (when, what and by whom;
# not every column of each event and its actor), compiled once per process (core.prepared).
_RECENT_ACTIONS = PreparedRows(
    AuditEvent,
    ("occurred_at", "action", "summary", "actor__first_name", "actor__last_name", "actor__email"),
    lambda slots: policy.scope(slots.person("user"), policy.VIEW, AuditEvent)[:8],
)


def recent_actions_panel(request):
    return Panel("accounts/panels/recent_actions.html", {"events": _RECENT_ACTIONS.rows(user=request.user)})


def register():
    register_home_panel(Role.MENTOR, mentor_profile_panel, order=70)
    register_home_panel(Role.PROGRAMME_STAFF, recent_actions_panel, order=70)
