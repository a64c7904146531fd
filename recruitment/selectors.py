"""Read queries about people joining: applications, screening and consent (matching reads these)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import BooleanField, Case, DateField, Exists, Field, OuterRef, QuerySet, When
from django.utils import dateformat, timezone
from django.utils.formats import get_format

from accounts.models import Role, User, birthdate_cutoff
from core import policy
from core.links import reverse_id, reversing_where
from core.prepared import PreparedQuery
from core.prepared_pages import PreparedPage
from core.rows import rows_with_columns
from recruitment.models import Application, ConsentRecord, ConsentRequest, MenteeImport, ScreeningCheck


def applications_visible_to(*, user) -> QuerySet[Application]:
    """Applications the user may see: their own; their partner's mentees (coordinators); all (staff)."""
    return policy.scope(
        user,
        policy.VIEW,
        Application.objects.select_related("user", "programme", "youth_partner", "decline_ground"),
    )


def applications_with_consent(*, user, under_16_born_after=None) -> QuerySet[Application]:
    """Visible applications, each marked `needs_consent` (an under-16 mentee) and `consent_given`.
    `under_16_born_after`: the day after which the under-16s were born (today's, unless given)."""
    if under_16_born_after is None:
        under_16_born_after = birthdate_cutoff(16)
    return applications_visible_to(user=user).annotate(
        needs_consent=Case(
            When(role=Role.MENTEE, user__mentee_profile__date_of_birth__gt=under_16_born_after, then=True),
            default=False,
            output_field=BooleanField(),
        ),
        consent_given=Exists(
            ConsentRecord.objects.filter(mentee=OuterRef("user"), withdrawn_at__isnull=True)
        ),
    )


# What the application list shows of each application (`application_list_page`).
_LIST_COLUMNS = (
    "role",
    "status",
    "region",
    "submitted_at",
    "user__first_name",
    "user__last_name",
    "user__email",
    "programme__name",
    "youth_partner__name",
)


def application_list_page(applications: QuerySet[Application]) -> list[Application]:
    """A page of the application list (a slice of `applications_with_consent`, filtered): the
    applications with only the columns the list shows loaded (and their two consent marks), rather
    than every column of the application, its person, programme, partner and decline reason."""
    return rows_with_columns(applications, _LIST_COLUMNS, annotations=("needs_consent", "consent_given"))


# The unfiltered list's pages, compiled once (core.prepared_pages): the same rows `application_list_page`
# reads from `applications_with_consent`, in its order.
_LIST_PAGE = PreparedPage(
    Application,
    _LIST_COLUMNS,
    lambda slots: applications_with_consent(
        user=slots.person("user"), under_16_born_after=slots.value("under_16_born_after", DateField())
    ),
    annotations=("needs_consent", "consent_given"),
)


def unfiltered_application_list_page(start: int, stop: int, *, user) -> list[Application]:
    """`application_list_page` of `applications_with_consent(user=user)[start:stop]`, prepared."""
    return _LIST_PAGE.page(start, stop, user=user, under_16_born_after=birthdate_cutoff(16))


def _labels(field_name: str) -> dict[str, str]:
    # As get_FOO_display() gives them, made strings once rather than on each row's rendering.
    field = Application._meta.get_field(field_name)
    assert isinstance(field, Field)  # noqa: S101  (a column of the application, not a relation)
    return {value: str(label) for value, label in field.flatchoices}


def application_list_rows(applications) -> list[dict]:
    """What the list shows of each of `applications` (from `application_list_page`), worked out
    here rather than by the template's lookups, filters and `{% url %}` per row."""
    roles, statuses, regions = _labels("role"), _labels("status"), _labels("region")
    where = reversing_where()
    short_date = get_format("SHORT_DATE_FORMAT")  # as the `date` filter's "SHORT_DATE_FORMAT"
    rows = []
    for application in applications:
        user = application.user
        full_name = f"{user.first_name} {user.last_name}".strip()  # User.get_full_name
        submitted_at = application.submitted_at
        consent = None
        if application.needs_consent:
            consent = "given" if application.consent_given else "needed"
        rows.append(
            {
                "pk": str(application.pk),  # as the template writes a number (no separators)
                "url": reverse_id("recruitment:application_detail", application.pk, where=where),
                "full_name": full_name,
                "name": full_name or user.email,
                "role": roles.get(application.role, application.role),
                "programme": application.programme.name,
                "youth_partner": (application.youth_partner.name if application.youth_partner else "") or "–",
                "region": regions.get(application.region, application.region),
                "status": statuses.get(application.status, application.status),
                "consent": consent,
                "consent_url": consent == "needed"
                and reverse_id("recruitment:consent_manage", application.user_id, where=where),
                "sent": dateformat.format(timezone.localtime(submitted_at), short_date)
                if submitted_at
                else "–",
            }
        )
    return rows


def imports_visible_to(*, user) -> QuerySet[MenteeImport]:
    return policy.scope(
        user, policy.VIEW, MenteeImport.objects.select_related("youth_partner", "cohort", "uploaded_by")
    )


@dataclass
class ScreeningStatus:
    application: Application
    status: str  # the application's status value
    checklist: list[tuple[str, bool]]
    complete: bool


def _mentor_applications_latest_first(user: User):
    """The person's mentor applications, withdrawn ones aside, latest first."""
    return (
        Application.objects.mentors()
        .filter(user=user)
        .exclude(status=Application.Status.WITHDRAWN)
        .order_by("-created_at")
    )


def mentor_screening_status(user: User) -> ScreeningStatus | None:
    """The latest mentor application's status and screening checklist for this person, or None."""
    application = (
        _mentor_applications_latest_first(user)
        .select_related("screening")
        .prefetch_related("references")
        .first()
    )
    if application is None:
        return None
    screening = getattr(application, "screening", None)
    checklist = screening.checklist() if screening else []
    return ScreeningStatus(
        application=application,
        status=application.status,
        checklist=checklist,
        complete=bool(checklist) and all(done for _label, done in checklist),
    )


_LATEST_MENTOR_APPLICATION_STATUS = PreparedQuery(
    lambda slots: _mentor_applications_latest_first(slots.person("user")).values("status")[:1]
)


_CONSENT_GIVEN = PreparedQuery(
    lambda slots: ConsentRecord.objects.filter(
        mentee=slots.person("mentee"), withdrawn_at__isnull=True
    ).values("pk")[:1]
)


def consent_given(mentee: User) -> bool:
    """Whether a parent or carer's consent for `mentee` stands (one not withdrawn): compiled once per
    process (core.prepared)."""
    return bool(_CONSENT_GIVEN.tuples(mentee=mentee))


def latest_mentor_application_status(user: User) -> str | None:
    """The status of the person's latest mentor application (withdrawn ones aside), or None: what the
    mentor's home says of it, without the screening and references `mentor_screening_status` reads.
    Its query is compiled once per process (core.prepared)."""
    rows = _LATEST_MENTOR_APPLICATION_STATUS.tuples(user=user)
    return rows[0][0] if rows else None


def mentor_conflict_partner_ids(user: User) -> frozenset[int]:
    """Youth partners a mentor declared a conflict of interest with: never match them there."""
    return frozenset(
        Application.objects.mentors()
        .filter(user=user)
        .exclude(status=Application.Status.WITHDRAWN)
        .values_list("conflict_partners", flat=True)
        .exclude(conflict_partners=None)
    )


RENEWAL_HORIZON_DAYS = 60


def screenings_due_for_renewal(*, user, on: datetime.date | None = None) -> QuerySet[ScreeningCheck]:
    """Checks the user may see whose renewal falls within the next 60 days (or has passed), soonest first."""
    on = on or timezone.localdate()
    return (
        policy.scope(user, policy.VIEW, ScreeningCheck)
        .filter(renewal_due_on__lte=on + datetime.timedelta(days=RENEWAL_HORIZON_DAYS))
        .select_related("application__user", "application__programme", "checked_by")
        .order_by("renewal_due_on", "pk")
    )


def has_valid_enhanced_check(
    user: User, on: datetime.date | None = None, *, barred_list: bool = False
) -> bool:
    """True when the person has a clear enhanced check that is in date on `on` (default today).

    With `barred_list`, the check must also include the children's barred list, checked and not
    barred: the level needed to mentor anyone under 18. A check found barred, or decided not
    suitable, is never valid.
    """
    on = on or timezone.localdate()
    checks = (
        ScreeningCheck.objects.filter(
            application__user=user,
            background_check_status=ScreeningCheck.CheckStatus.CLEAR,
            background_check_level__in=ScreeningCheck.ENHANCED_LEVELS,
        )
        .exclude(barred_list_result=ScreeningCheck.BarredListResult.BARRED)
        .exclude(check_decision=ScreeningCheck.Decision.NOT_SUITABLE)
    )
    if barred_list:
        checks = checks.filter(
            background_check_level=ScreeningCheck.CheckLevel.ENHANCED_BARRED,
            barred_list_result=ScreeningCheck.BarredListResult.NOT_BARRED,
        )
    for screening in checks:
        if screening.certificate_issued_on and screening.certificate_issued_on > on:
            continue
        if screening.update_service:
            return True
        due = screening.renewal_due()
        if due is not None and due >= on:
            return True
    return False


class ConsentStatus:
    NOT_NEEDED = "not_needed"
    GIVEN = "given"
    REQUESTED = "requested"
    WITHDRAWN = "withdrawn"
    MISSING = "missing"

    LABELS = {
        NOT_NEEDED: "Not needed (16 or over)",
        GIVEN: "Given",
        REQUESTED: "Requested, waiting for the parent or guardian",
        WITHDRAWN: "Withdrawn",
        MISSING: "Not yet requested",
    }


def consent_status(mentee: User) -> str:
    """One of ConsentStatus: whether a parent or guardian's consent is needed and recorded."""
    profile = getattr(mentee, "mentee_profile", None)
    if profile is None or not profile.is_under_16:
        return ConsentStatus.NOT_NEEDED
    records = list(ConsentRecord.objects.filter(mentee=mentee).only("withdrawn_at"))
    if any(record.withdrawn_at is None for record in records):
        return ConsentStatus.GIVEN
    if ConsentRequest.objects.filter(
        mentee=mentee, used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists():
        return ConsentStatus.REQUESTED
    return ConsentStatus.WITHDRAWN if records else ConsentStatus.MISSING


def can_be_matched(mentee: User) -> bool:
    """A mentee can be matched when they have a mentee profile and, if under 16, current parental consent."""
    if not hasattr(mentee, "mentee_profile"):
        return False
    return consent_status(mentee) in (ConsentStatus.NOT_NEEDED, ConsentStatus.GIVEN)


# Which mentors are already busy mentoring: relationships live in `mentoring`, above recruitment, so
# mentoring registers a source in its AppConfig.ready(). A source returns a queryset of user ids. It may
# also give, as `of_request`, a function telling from what a request has read already whether the
# signed-in person is busy (the mentor's home reads their relationships for its mentoring panel).
_busy_mentor_sources: list[Callable[[], QuerySet]] = []
# A relationship's statuses while it is open (mentoring's Relationship.OPEN_STATUSES).
OPEN_RELATIONSHIP_STATUSES = ("approved", "introduced", "active", "paused")
_busy_of_request: list[Callable[..., bool]] = []


def register_busy_mentors_source(
    function: Callable[[], QuerySet], *, of_request: Callable[..., bool] | None = None
) -> None:
    if function not in _busy_mentor_sources:
        _busy_mentor_sources.append(function)
    if of_request is not None and of_request not in _busy_of_request:
        _busy_of_request.append(of_request)


def signed_in_mentor_is_busy(request) -> bool:
    """Whether the signed-in person mentors in an open relationship: from what the request has read
    when a source can tell (`of_request`), else by a query of their relationships."""
    if _busy_of_request:
        return any(answer(request) for answer in _busy_of_request)
    return request.user.mentor_relationships.filter(status__in=OPEN_RELATIONSHIP_STATUSES).exists()


def waiting_mentor_applications(*, user) -> QuerySet[Application]:
    """Approved mentors with no open relationship and no suspension: the pool waiting for a match."""
    applications = applications_visible_to(user=user).filter(
        role=Role.MENTOR, status=Application.Status.APPROVED
    )
    for source in _busy_mentor_sources:
        applications = applications.exclude(user_id__in=source())
    return applications.exclude(user__is_suspended=True).order_by("region", "decided_at")
