"""Home-page panels for relationships in progress, and the people and programme overviews of the
coordinator's, the programme team's and the funder's homes. Each uses a fixed number of queries."""

from django.db.models import Count

from accounts.models import Region, Role
from core.memo import once_per_request
from core.panels import Panel, register_home_panel, register_nav_item
from programmes.models import YouthPartner
from programmes.selectors import programmes_seen_by, relationship_totals_known

from . import selectors
from .models import Relationship

# Counts under five could identify people: the funder sees them as a band.
SMALL_GROUP = 5


def suppress(count: int) -> str | int:
    return count if count >= SMALL_GROUP or count == 0 else "fewer than 5"


def mentor_panel(request):
    overview = selectors.mentor_overview_of(request)
    if not any(overview.values()):
        return None
    return Panel("mentoring/panels/mentor.html", overview)


def mentee_panel(request):
    overview = selectors.mentee_overview(
        user=request.user, relationships=selectors.own_relationships_of(request, as_mentor=False)
    )
    if not any(overview.values()):
        return None
    return Panel("mentoring/panels/mentee.html", overview)


# The rows the coordinator's monitoring panel shows, with the columns it shows of each
# (mentoring/panels/coordinator.html).
COORDINATOR_ROWS = {
    "check_ins": (
        "kind",
        "due_on",
        "relationship__mentor__first_name",
        "relationship__mentor__last_name",
        "relationship__mentee__first_name",
    ),
    "drifting": ("mentor__first_name", "mentor__last_name", "mentee__first_name"),
}


def _partner_relationships(request) -> list:
    """The relationships at the coordinator's partners, with what the monitoring lists hold of each
    (`selectors.relationship_rows_at`), read once for the page's two panels."""
    return once_per_request(
        request,
        "partner_relationships",
        lambda: selectors.relationship_rows_at(request.user.coordinated_partner_ids),
    )


def coordinator_panel(request):
    user = request.user
    summary = selectors.monitoring_summary(
        user=user,
        partner_ids=sorted(user.coordinated_partner_ids),
        rows_for=COORDINATOR_ROWS,
        relationship_rows=_partner_relationships(request),
    )
    return Panel("mentoring/panels/coordinator.html", {"summary": summary})


def mentor_relationships_panel(request):
    """The mentor's mentees now and before: each one's first name, partner and programme, read once
    for the page (the mentoring panel reads the open ones' sessions and goals by their ids)."""
    relationships = selectors.own_relationships_of(request, as_mentor=True)
    return Panel(
        "mentoring/panels/mentor_relationships.html",
        {
            "open_relationships": [r for r in relationships if r.is_open],
            "past_relationships": [r for r in relationships if not r.is_open],
        },
    )


def mentee_mentor_panel(request):
    """The mentee's mentor (or word that one is being found) and where their programme runs."""
    # Read once for the page's panels, with the partner and programme shown here.
    profile = request.user.mentee_placement
    # Each mentor and their profile, as the mentoring panel read them: not the mentee, cohort and
    # partner a list reads.
    relationships = selectors.own_relationships_of(request, as_mentor=False)
    return Panel("mentoring/panels/mentee_mentor.html", {"profile": profile, "relationships": relationships})


def coordinator_summary_panel(request):
    """The coordinator's relationships and waiting mentees counted, their partners and cohorts."""
    user = request.user
    partner_ids = user.coordinated_partner_ids
    # The partners' relationships as the monitoring panel read them (found through the mentees' ids, not
    # each relationship joined to its mentee and profile), counted here rather than again in SQL.
    rows = _partner_relationships(request)
    statuses = [row.status for row in rows]
    partners = list(selectors.partner_overview(partner_ids))
    counts = {
        "open": sum(status in Relationship.OPEN_STATUSES for status in statuses),
        "active": statuses.count(Relationship.Status.ACTIVE),
        "ended_early": statuses.count(Relationship.Status.ENDED_EARLY),
    }
    matched = {row.mentee_id for row in rows if row.status in Relationship.OPEN_STATUSES}
    # The partners' mentees (counted per partner above) less those in an open relationship: the same
    # relationships read once instead of a second search through every mentee for one.
    unmatched = sum(partner.mentee_count for partner in partners) - len(matched)
    return Panel(
        "mentoring/panels/coordinator_summary.html",
        {
            "partners": partners,
            "cohorts": selectors.recent_partner_cohorts(user=user),
            "relationship_counts": counts,
            "unmatched_count": unmatched,
        },
    )


def staff_overview_panel(request):
    """The programme team's totals, active programmes and youth partners by type."""
    overview = selectors.staff_overview(user=request.user)
    return Panel(
        "mentoring/panels/staff_overview.html",
        {
            "programmes": overview["programmes"],
            "totals": overview["totals"],
            "partners_by_kind": [
                {"kind": YouthPartner.Kind(kind).label, "value": kind, "total": total}
                for kind, total in overview["partners_by_kind"]
            ],
        },
    )


def funder_programmes_panel(request):
    """Mentees, relationships and partners of each programme the funder funds, and mentees by
    region, anonymised."""
    programmes = programmes_seen_by(request)
    programme_ids = [programme.pk for programme in programmes]
    # Both reads compiled once per process (core.prepared).
    cohorts = selectors.cohorts_of_programmes(programme_ids)
    # The mentees counted per cohort and region, kept as they change (CohortMentees): one small row
    # per pair gives both the programmes' totals and the regions', without counting every profile.
    mentee_counts: dict[int, int] = {}
    region_counts: dict[str, int] = {}
    for programme_id, region, total in selectors.mentees_of_programmes(programme_ids):
        mentee_counts[programme_id] = mentee_counts.get(programme_id, 0) + total
        region_counts[region] = region_counts.get(region, 0) + total
    # Counted already, for the programmes whose headline figures lead the page; the others here.
    relationship_counts = dict(relationship_totals_known(request))
    uncounted = [programme.pk for programme in programmes if programme.pk not in relationship_counts]
    if uncounted:
        relationship_counts |= dict(
            Relationship.objects.filter(cohort__programme__in=uncounted)
            .values_list("cohort__programme")
            .annotate(total=Count("pk"))
        )
    partners: dict[int, set] = {}
    for _cohort, programme_id, partner_id in cohorts:
        partners.setdefault(programme_id, set()).add(partner_id)
    rows = [
        {
            "programme": programme,
            "mentees": suppress(mentee_counts.get(programme.pk, 0)),
            "relationships": suppress(relationship_counts.get(programme.pk, 0)),
            "partners": len(partners.get(programme.pk, ())),
        }
        for programme in programmes
    ]
    return Panel(
        "mentoring/panels/funder_programmes.html",
        {
            "rows": rows,
            "by_region": [
                {"region": Region(region).label, "total": suppress(total)}
                for region, total in sorted(region_counts.items())
            ],
        },
    )


def _monitors(user) -> bool:
    # Roles are already loaded for the page; only coordinators cost a query for their partners.
    return user.is_programme_staff or (Role.COORDINATOR in user.roles and bool(user.coordinated_partner_ids))


def _has_sessions(user) -> bool:
    return bool({Role.MENTOR, Role.MENTEE} & user.roles) or _monitors(user)


def _sees_people(user) -> bool:
    return user.is_programme_staff or bool(user.roles & {Role.COORDINATOR, Role.SAFEGUARDING_LEAD})


def _sees_programmes(user) -> bool:
    return user.is_programme_staff or Role.FUNDER in user.roles


def _funder_not_staff(user) -> bool:
    return Role.FUNDER in user.roles and not user.is_programme_staff


def register():
    # The people and programme lists come first in the navigation, under "People".
    register_nav_item("Mentees", "mentoring:mentee_list", _sees_people, order=1, section="People")
    register_nav_item("Mentors", "mentoring:mentor_list", _sees_people, order=2, section="People")
    register_nav_item("Youth partners", "mentoring:partner_list", _sees_people, order=3, section="People")
    register_nav_item("Programmes", "mentoring:programme_list", _sees_programmes, order=4, section="People")
    register_nav_item(
        "Youth partners", "mentoring:partner_list", _funder_not_staff, order=5, section="People"
    )
    register_home_panel(Role.MENTOR, mentor_panel, order=10)
    register_home_panel(Role.MENTEE, mentee_panel, order=10)
    register_home_panel(Role.COORDINATOR, coordinator_panel, order=10)
    # The overviews follow the other apps' panels.
    register_home_panel(Role.MENTOR, mentor_relationships_panel, order=60)
    register_home_panel(Role.MENTEE, mentee_mentor_panel, order=60)
    register_home_panel(Role.COORDINATOR, coordinator_summary_panel, order=60)
    register_home_panel(Role.PROGRAMME_STAFF, staff_overview_panel, order=60)
    register_home_panel(Role.FUNDER, funder_programmes_panel, order=60)
    register_nav_item(
        "Relationships", "mentoring:relationship_list", _monitors, order=39, section="Relationships"
    )
    register_nav_item("Monitoring", "mentoring:monitoring", _monitors, order=40, section="Relationships")
    register_nav_item(
        "Calendar", "mentoring:calendar_settings", _has_sessions, order=80, section="Relationships"
    )
