"""The landing page and each role's home page, composed from the panels the apps register
(core.panels) and, for mentors and coordinators, kept in the cache per person (core.home_cache)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from accounts.models import (
    MenteeProfile,
    Region,
    Role,
    User,
    birthdate_cutoff,
)
from core import policy
from core.home_cache import (
    CSRF_PLACEHOLDER,
    HomeRecord,
)
from core.models import AuditEvent
from core.panels import home_panels
from mentoring import selectors
from mentoring.models import Relationship
from programmes.models import Cohort, Programme, YouthPartner

SMALL_GROUP = 5


def suppress(count: int) -> str | int:
    """Counts under five could identify people: show them as a band."""
    return count if count >= SMALL_GROUP or count == 0 else "fewer than 5"


@require_safe
def landing(request):
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "home/landing.html")


@login_required
@require_safe
def home(request):
    # One cache visit: the person's cached content and roles, if nothing they show has changed.
    record = HomeRecord(request.user)
    role = request.user.primary_role
    if role in _CACHED_HOMES:
        return _cached_home(request, role, record)
    view = {
        Role.PROGRAMME_STAFF: _staff_home,
        Role.SAFEGUARDING_LEAD: _safeguarding_home,
        Role.FUNDER: _funder_home,
        Role.MENTEE: _mentee_home,
        Role.EMPLOYER_CONTACT: _employer_contact_home,
    }.get(role, _no_role_home)
    return view(request, panels=home_panels(request, role) if role else [])


def _cached_home(request, role, record):
    """The mentor's and coordinator's pages come from the cache while nothing they show has changed
    (core.home_cache), with this request's CSRF token put in."""
    template, title, build = _CACHED_HOMES[role]

    def render_content() -> str:
        context = build(request)
        context["panels"] = home_panels(request, role)
        context["csrf_token"] = CSRF_PLACEHOLDER
        return render_to_string(template, context, request)

    def render_page(content: str, csrf_token: str | None) -> str:
        # The content was rendered (and escaped) by the template engine: it is safe as it stands.
        context = {"title": title, "content": mark_safe(content)}  # noqa: S308  # nosec B308 B703
        if csrf_token is not None:
            context["csrf_token"] = csrf_token
        return render_to_string("home/cached.html", context, request)

    partner_ids = request.user.coordinated_partner_ids if role == Role.COORDINATOR else ()
    return HttpResponse(
        record.page(
            request,
            role=role,
            partner_ids=partner_ids,
            render_content=render_content,
            render_page=render_page,
        )
    )


def _other_roles(user, shown):
    return sorted(Role(role).label for role in user.roles if role != shown)


def _mentor_context(request) -> dict:
    user = request.user
    relationships = selectors.relationships_visible_to(user=user).filter(mentor=user).order_by("-created_at")
    return {
        "profile": getattr(user, "mentor_profile", None),
        "open_relationships": [r for r in relationships if r.is_open],
        "past_relationships": [r for r in relationships if not r.is_open],
        "other_roles": _other_roles(user, Role.MENTOR),
    }


def _mentee_home(request, panels):
    user = request.user
    profile = (
        MenteeProfile.objects.select_related("youth_partner", "cohort__programme").filter(user=user).first()
    )
    relationships = selectors.relationships_visible_to(user=user).filter(mentee=user).order_by("-created_at")
    return render(
        request,
        "home/mentee.html",
        {
            "profile": profile,
            "relationships": relationships,
            "panels": panels,
            "other_roles": _other_roles(user, Role.MENTEE),
        },
    )


def _partner_overview(user, partner_ids):
    under_16, under_18 = birthdate_cutoff(16), birthdate_cutoff(18)
    return (
        YouthPartner.objects.filter(pk__in=partner_ids)
        .annotate(
            # One join (mentee profiles) for the counts; cohorts are counted in a subquery so the
            # two joins do not multiply each other's rows.
            mentee_count=Count("mentee_profiles"),
            under_16_count=Count("mentee_profiles", filter=Q(mentee_profiles__date_of_birth__gt=under_16)),
            under_18_count=Count("mentee_profiles", filter=Q(mentee_profiles__date_of_birth__gt=under_18)),
            cohort_count=Coalesce(
                Subquery(
                    Cohort.objects.filter(youth_partner=OuterRef("pk"))
                    .order_by()
                    .values("youth_partner")
                    .annotate(total=Count("pk"))
                    .values("total")
                ),
                0,
            ),
        )
        .order_by("name")
    )


def _coordinator_context(request) -> dict:
    user = request.user
    partner_ids = user.coordinated_partner_ids
    relationships = Relationship.objects.filter(mentee__mentee_profile__youth_partner_id__in=partner_ids)
    return {
        "partners": _partner_overview(user, partner_ids),
        "cohorts": selectors.cohorts_visible_to(user=user).filter(youth_partner_id__in=partner_ids)[:10],
        "relationship_counts": relationships.aggregate(
            open=Count("pk", filter=Q(status__in=Relationship.OPEN_STATUSES)),
            active=Count("pk", filter=Q(status=Relationship.Status.ACTIVE)),
            ended_early=Count("pk", filter=Q(status=Relationship.Status.ENDED_EARLY)),
        ),
        "unmatched_count": MenteeProfile.objects.filter(youth_partner_id__in=partner_ids)
        .exclude(user__mentee_relationships__status__in=Relationship.OPEN_STATUSES)
        .count(),
        "other_roles": _other_roles(user, Role.COORDINATOR),
    }


# Template, title and context of the home pages served through the cache.
_CACHED_HOMES = {
    Role.MENTOR: ("home/mentor.html", "Your mentoring", _mentor_context),
    Role.COORDINATOR: ("home/coordinator.html", "Coordinator home", _coordinator_context),
}


def _safeguarding_home(request, panels):
    user = request.user
    partner_ids = user.safeguarding_partner_ids
    under_18 = birthdate_cutoff(18)
    young_mentees = (
        MenteeProfile.objects.filter(youth_partner_id__in=partner_ids, date_of_birth__gt=under_18)
        .select_related("user", "youth_partner")
        .order_by("date_of_birth")
    )
    return render(
        request,
        "home/safeguarding.html",
        {
            "partners": _partner_overview(user, partner_ids),
            "young_mentees": young_mentees[:20],
            "young_mentee_total": young_mentees.count(),
            "assignments": user.role_assignments.filter(role=Role.SAFEGUARDING_LEAD).select_related(
                "youth_partner", "programme"
            ),
            "panels": panels,
            "other_roles": _other_roles(user, Role.SAFEGUARDING_LEAD),
        },
    )


def _staff_home(request, panels):
    user = request.user
    return render(
        request,
        "home/staff.html",
        {
            "programmes": selectors.programmes_visible_to(user=user).filter(is_active=True)[:10],
            "totals": {
                "mentors": User.objects.filter(mentor_profile__isnull=False).count(),
                "mentees": MenteeProfile.objects.count(),
                "partners": YouthPartner.objects.filter(is_active=True).count(),
                "open_relationships": Relationship.objects.open().count(),
            },
            "partners_by_kind": [
                {"kind": YouthPartner.Kind(row["kind"]).label, "value": row["kind"], "total": row["total"]}
                for row in YouthPartner.objects.values("kind").annotate(total=Count("pk")).order_by("kind")
            ],
            "recent_events": policy.scope(user, policy.VIEW, AuditEvent).select_related("actor")[:8],
            "panels": panels,
            "other_roles": _other_roles(user, Role.PROGRAMME_STAFF),
        },
    )


def _funder_home(request, panels):
    user = request.user
    programmes = policy.scope(user, policy.VIEW, Programme).order_by("name")
    rows = []
    mentee_counts = dict(
        MenteeProfile.objects.filter(cohort__programme__in=programmes)
        .values_list("cohort__programme")
        .annotate(total=Count("pk"))
    )
    relationship_counts = dict(
        Relationship.objects.filter(cohort__programme__in=programmes)
        .values_list("cohort__programme")
        .annotate(total=Count("pk"))
    )
    partner_counts = dict(
        Cohort.objects.filter(programme__in=programmes)
        .values_list("programme")
        .annotate(total=Count("youth_partner", distinct=True))
    )
    for programme in programmes:
        rows.append(
            {
                "programme": programme,
                "mentees": suppress(mentee_counts.get(programme.pk, 0)),
                "relationships": suppress(relationship_counts.get(programme.pk, 0)),
                "partners": partner_counts.get(programme.pk, 0),
            }
        )
    by_region = (
        MenteeProfile.objects.filter(cohort__programme__in=programmes)
        .values("region")
        .annotate(total=Count("pk"))
        .order_by("region")
    )
    return render(
        request,
        "home/funder.html",
        {
            "rows": rows,
            "by_region": [
                {"region": Region(row["region"]).label, "total": suppress(row["total"])} for row in by_region
            ],
            "panels": panels,
            "other_roles": _other_roles(user, Role.FUNDER),
        },
    )


def _employer_contact_home(request, panels):
    # Everything an employer contact sees (their staff's figures) comes from the community app's panel.
    return render(
        request,
        "home/employer_contact.html",
        {"panels": panels, "other_roles": _other_roles(request.user, Role.EMPLOYER_CONTACT)},
    )


def _no_role_home(request, panels):
    return render(request, "home/no_role.html", {"panels": panels})
