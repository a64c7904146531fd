"""Engine records from the database: one round's pool read in a fixed number of queries.

Recruitment stores its own vocabulary (SupportArea, Industry and Interest rows, days and times of
day); this module maps it onto `matching.taxonomy` codes. Facts that are missing stay missing, so
the engine gives a reason; a person whose stored data cannot be read at all is reported in
`Pool.problems` with a reason instead of stopping the round. Special category data (ethnicity,
disability, faith, health) is never read: the mapping has no entry for it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from accounts.models import MenteeProfile, MentorProfile, Region
from matching.employers import mentor_employer_keys, normalise_organisation
from matching.engine import RoundRules
from matching.explain import Labels
from matching.records import MenteeRecord, MentorRecord
from mentoring.models import Relationship
from programmes.models import Cohort, Programme
from recruitment.models import Application, ConsentRecord, ScreeningCheck, SupportArea

# Recruitment's kinds of support -> taxonomy.SUPPORT codes. The first code is the one that stands
# for the area when it is a mentee's first priority.
SUPPORT_CODES: dict[str, tuple[str, ...]] = {
    SupportArea.CAREERS_GUIDANCE: ("career_options",),
    SupportArea.UNIVERSITY_APPLICATIONS: ("university_choices",),
    SupportArea.CV_AND_INTERVIEWS: ("cv_applications", "interview_practice"),
    SupportArea.STUDY_AND_EXAMS: ("study_skills",),
    SupportArea.CONFIDENCE: ("confidence",),
    SupportArea.NETWORKING: ("networking", "work_experience"),
    SupportArea.WELLBEING: ("wellbeing_balance",),
    SupportArea.APPRENTICESHIPS: ("apprenticeships",),
    SupportArea.STARTING_A_BUSINESS: ("starting_business",),
    SupportArea.WORKPLACE_SKILLS: ("first_job",),
    SupportArea.MONEY_AND_INDEPENDENCE: ("money_independence",),
}

# Industry slugs (accounts migration 0004) -> taxonomy.INDUSTRIES codes.
INDUSTRY_CODES: dict[str, tuple[str, ...]] = {
    "accountancy-and-finance": ("finance",),
    "arts-culture-and-heritage": ("creative_arts", "museums_heritage"),
    "business-and-management": ("business_management",),
    "charity-and-community-work": ("charity",),
    "construction-and-trades": ("construction", "trades"),
    "creative-and-digital-media": ("media", "creative_arts"),
    "education-and-teaching": ("education",),
    "engineering-and-manufacturing": ("engineering",),
    "environment-and-energy": ("environment",),
    "healthcare-and-medicine": ("healthcare",),
    "hospitality-travel-and-tourism": ("hospitality_retail",),
    "law": ("law",),
    "marketing-and-communications": ("marketing",),
    "public-sector-and-government": ("public_service",),
    "retail-and-customer-service": ("hospitality_retail",),
    "science-and-research": ("science",),
    "social-care": ("healthcare",),
    "sport-and-fitness": ("sport",),
    "technology-and-it": ("technology",),
    "transport-and-logistics": ("transport_logistics",),
}

# Interest slugs -> taxonomy.INTERESTS codes. "Faith and community" is deliberately absent: religion
# is special category data and never feeds a match.
INTEREST_CODES: dict[str, tuple[str, ...]] = {
    "art-and-design": ("art",),
    "books-and-writing": ("reading", "writing"),
    "coding-and-gaming": ("coding", "gaming"),
    "cooking": ("cooking",),
    "fashion": ("fashion",),
    "film-and-tv": ("film",),
    "football": ("football",),
    "languages": ("languages",),
    "music": ("music",),
    "nature-and-the-outdoors": ("nature",),
    "photography": ("photography",),
    "science-and-space": ("science_space",),
    "sport-and-fitness": ("sport_fitness",),
    "politics-and-current-affairs": ("politics",),
    "theatre-and-dance": ("theatre", "dance"),
    "volunteering": ("volunteering",),
}

TIME_CODES: dict[str, str] = {
    Application.TimeOfDay.MORNING: "morning",
    Application.TimeOfDay.AFTERNOON: "afternoon",
    Application.TimeOfDay.AFTER_SCHOOL: "afternoon",
    Application.TimeOfDay.EVENING: "evening",
}

REGIONS: tuple[str, ...] = tuple(Region.values)
REGION_LABELS: tuple[str, ...] = tuple(Region.labels)
LABELS = Labels(regions=REGION_LABELS)

MENTOR_STATUSES = (
    Application.Status.SUBMITTED,
    Application.Status.SCREENING,
    Application.Status.ON_HOLD,
    Application.Status.APPROVED,
)


def _codes(mapping: dict, values) -> list[str]:
    codes: list[str] = []
    for value in values or ():
        for code in mapping.get(value, ()):
            if code not in codes:
                codes.append(code)
    return codes


def _related_by_application(relation: str, target: str, value: str, application_ids) -> dict[int, list]:
    """{application id: `value` of each related row}, for one many-to-many relation of Application,
    ordered by the related rows' name as their models order them, in one query on the join table. A
    prefetch builds a queryset per application, which at a few hundred people costs more than the
    round's solve."""
    values: dict[int, list] = defaultdict(list)
    for application_id, item in (
        getattr(Application, relation)
        .through.objects.filter(application_id__in=list(application_ids))
        .order_by(f"{target}__name", target)
        .values_list("application_id", f"{target}__{value}")
    ):
        values[application_id].append(item)
    return values


# Read once: `Day.values` builds a new list on every access, and this is asked of every day of
# every person in a round.
DAY_CODES = frozenset(Application.Day.values)


def _availability(days, times) -> list[tuple[str, str]]:
    day_codes = [day for day in (days or ()) if day in DAY_CODES]
    part_codes = sorted({TIME_CODES[time] for time in (times or ()) if time in TIME_CODES})
    return [(day, part) for day in day_codes for part in part_codes]


def cohorts_in_pool(*, programme: Programme, scope: str, cohort_id=None, youth_partner_id=None):
    from matching.models import MatchingRound

    cohorts = Cohort.objects.filter(programme=programme)
    if scope == MatchingRound.Scope.COHORT:
        return cohorts.filter(pk=cohort_id)
    if scope == MatchingRound.Scope.YOUTH_PARTNER:
        return cohorts.filter(youth_partner_id=youth_partner_id)
    return cohorts


def _screening_is_valid(screening: ScreeningCheck, on: datetime.date) -> bool:
    """The rule of `recruitment.selectors.has_valid_enhanced_check(..., barred_list=True)` (what
    `relationship_create` asks of a mentor of an under-18), applied to a row already loaded."""
    if screening.check_decision == ScreeningCheck.Decision.NOT_SUITABLE:
        return False
    if screening.background_check_level != ScreeningCheck.CheckLevel.ENHANCED_BARRED:
        return False
    if screening.barred_list_result != ScreeningCheck.BarredListResult.NOT_BARRED:
        return False
    if screening.certificate_issued_on and screening.certificate_issued_on > on:
        return False
    if screening.update_service:
        return True
    due = screening.renewal_due()
    return due is not None and due >= on


def mentors_with_valid_check(user_ids, on: datetime.date | None = None) -> set[int]:
    """Of these people, those with a clear, in-date enhanced check with barred list (one query)."""
    on = on or timezone.localdate()
    screenings = ScreeningCheck.objects.filter(
        application__user_id__in=list(user_ids),
        background_check_status=ScreeningCheck.CheckStatus.CLEAR,
    ).select_related("application")
    return {screening.application.user_id for screening in screenings if _screening_is_valid(screening, on)}


def fully_trained_ids(user_ids, programme: Programme | None) -> set[int]:
    """Of these people, those fully trained for the programme (None: the default requirement):
    `training.selectors.training_status`'s rule for many people at once (every required course
    completed; the core workshop attended)."""
    from training.models import Enrolment, Workshop, WorkshopBooking
    from training.selectors import required_training

    user_ids = list(user_ids)
    courses, workshop_required = required_training(programme=programme)
    completed = defaultdict(set)
    for user_id, course_id in Enrolment.objects.filter(
        user_id__in=user_ids, course__in=courses, completed_at__isnull=False
    ).values_list("user_id", "course_id"):
        completed[user_id].add(course_id)
    needed = {course.pk for course in courses}
    trained = {user_id for user_id in user_ids if needed <= completed[user_id]}
    if workshop_required:
        attended = set(
            WorkshopBooking.objects.filter(
                user_id__in=user_ids, attended=True, workshop__kind=Workshop.Kind.CORE
            ).values_list("user_id", flat=True)
        )
        trained &= attended
    return trained


def inducted_ids(user_ids) -> tuple[set[int], bool]:
    """Mentees who completed every mandatory mentee course, and whether any such course exists."""
    from training.models import Audience, Course, Enrolment

    courses = set(
        Course.objects.filter(audience=Audience.MENTEE, is_mandatory=True).values_list("pk", flat=True)
    )
    if not courses:
        return set(), False
    completed = defaultdict(set)
    for user_id, course_id in Enrolment.objects.filter(
        user_id__in=list(user_ids), course_id__in=courses, completed_at__isnull=False
    ).values_list("user_id", "course_id"):
        completed[user_id].add(course_id)
    return {user_id for user_id, done in completed.items() if courses <= done}, True


@dataclass
class Pool:
    mentees: list[MenteeRecord] = field(default_factory=list)
    mentors: list[MentorRecord] = field(default_factory=list)
    rejected_pairs: list[tuple[int, int]] = field(default_factory=list)
    rules: RoundRules = field(default_factory=RoundRules)
    mentee_cohort: dict[int, int] = field(default_factory=dict)  # mentee id -> cohort id
    problems: dict[int, tuple[str, str]] = field(default_factory=dict)  # user id -> (side, reason)


def open_proposal_counts(exclude_mentees=()) -> tuple[set[int], dict[int, int]]:
    """Mentees with an open proposal, and open proposals per mentor (places held for a decision),
    leaving out the proposals of `exclude_mentees` (the pool a round is about to re-propose)."""
    from matching.models import Proposal

    rows = list(
        Proposal.objects.filter(status=Proposal.Status.PROPOSED)
        .exclude(mentee_id__in=list(exclude_mentees))
        .values_list("mentee_id", "mentor_id")
    )
    per_mentor: dict[int, int] = defaultdict(int)
    for _mentee_id, mentor_id in rows:
        per_mentor[mentor_id] += 1
    return {mentee_id for mentee_id, _ in rows}, per_mentor


def programme_rules(programme: Programme) -> RoundRules:
    from matching.models import MatchingSettings

    settings_row = MatchingSettings.objects.filter(programme=programme).first()
    return RoundRules(
        mentee_min_age=programme.mentee_min_age,
        mentee_max_age=programme.mentee_max_age,
        induction_required_for_all=bool(settings_row and settings_row.induction_required_for_all),
    )


def load_mentee_records(mentee_ids, *, programme: Programme, today: datetime.date | None = None) -> Pool:
    """Records for the given mentees only (no mentors): used by the manual match check."""
    pool = Pool(rules=programme_rules(programme))
    profiles = MenteeProfile.objects.filter(user_id__in=list(mentee_ids)).select_related(
        "user", "youth_partner"
    )
    _fill_mentees(pool, list(profiles), programme=programme, today=today)
    return pool


def _fill_mentees(pool: Pool, profiles, *, programme: Programme, today=None) -> None:
    today = today or timezone.localdate()
    remote = programme.delivery_format != Programme.DeliveryFormat.IN_PERSON
    user_ids = [profile.user_id for profile in profiles]
    applications: dict[int, Application] = {}
    for application in (
        Application.objects.mentees()
        .filter(user_id__in=user_ids)
        .exclude(status__in=[Application.Status.WITHDRAWN, Application.Status.DECLINED])
        .order_by("created_at")
    ):
        # The latest application wins; one for this programme beats any other.
        current = applications.get(application.user_id)
        if (
            current is None
            or application.programme_id == programme.pk
            or current.programme_id != programme.pk
        ):
            applications[application.user_id] = application
    consented = set(
        ConsentRecord.objects.filter(mentee_id__in=user_ids, withdrawn_at__isnull=True).values_list(
            "mentee_id", flat=True
        )
    )
    inducted, induction_exists = inducted_ids(user_ids)
    application_ids = [application.pk for application in applications.values()]
    industries_of = _related_by_application("industries", "industry", "slug", application_ids)
    interests_of = _related_by_application("interests", "interest", "slug", application_ids)
    for profile in profiles:
        try:
            application = applications.get(profile.user_id)
            support = list(application.support_areas or []) if application else []
            industries = industries_of.get(application.pk, []) if application else []
            interests = interests_of.get(application.pk, []) if application else []
            pairing = application.pairing_preference if application else ""
            record = MenteeRecord(
                id=profile.user_id,
                age=profile.age(today) if profile.date_of_birth else None,
                region=profile.region if profile.region in REGIONS else None,
                needs=_codes(SUPPORT_CODES, support),
                industries=_codes(INDUSTRY_CODES, industries),
                interests=_codes(INTEREST_CODES, interests),
                availability=_availability(
                    application.available_days if application else (),
                    application.available_times if application else (),
                ),
                remote_ok=remote,
                outside_region_ok=bool(application and application.willing_outside_region),
                accepts_one_to_two=pairing in (Application.Pairing.ONE_TO_TWO, Application.Pairing.EITHER),
                prefers_one_to_two=pairing == Application.Pairing.ONE_TO_TWO,
                # Taking part is the young person's own choice, recorded when their account is active.
                consent=profile.user.is_active,
                parental_consent=profile.user_id in consented,
                # Without a mandatory mentee course there is no induction to wait for.
                induction_done=(profile.user_id in inducted) or not induction_exists,
                organisation=normalise_organisation(profile.youth_partner.name),
            )
        except (AttributeError, TypeError, ValueError):
            pool.problems[profile.user_id] = ("mentee", "the mentee's profile could not be read")
            continue
        pool.mentees.append(record)
        if profile.cohort_id:
            pool.mentee_cohort[profile.user_id] = profile.cohort_id


def load_mentor_records(
    mentor_ids=None, *, programme: Programme, mentee_partner: dict[int, int], today=None, pool: Pool
) -> None:
    """Add mentor records to the pool: mentors who applied to the programme (or the given ids)."""
    today = today or timezone.localdate()
    remote = programme.delivery_format != Programme.DeliveryFormat.IN_PERSON
    applications = (
        Application.objects.mentors()
        .filter(programme=programme, status__in=MENTOR_STATUSES, user__is_active=True)
        .exclude(user__is_suspended=True)
        .order_by("user_id", "created_at")
    )
    if mentor_ids is not None:
        applications = applications.filter(user_id__in=list(mentor_ids))
    by_user = {application.user_id: application for application in applications}
    application_ids = [application.pk for application in by_user.values()]
    industries_of = _related_by_application("industries", "industry", "slug", application_ids)
    interests_of = _related_by_application("interests", "interest", "slug", application_ids)
    conflict_partners_of = _related_by_application("conflict_partners", "youthpartner", "pk", application_ids)
    profiles = {
        profile.user_id: profile for profile in MentorProfile.objects.filter(user_id__in=list(by_user))
    }
    checked = mentors_with_valid_check(by_user, today)
    employers = mentor_employer_keys(by_user)
    trained = fully_trained_ids(by_user, programme)
    open_counts = dict(
        Relationship.objects.open()
        .filter(mentor_id__in=list(by_user))
        .values_list("mentor_id")
        .annotate(count=Count("pk"))
    )
    _pending_mentees, pending = open_proposal_counts(exclude_mentees=mentee_partner)
    mentees_by_partner: dict[int, list[int]] = defaultdict(list)
    for mentee_id, partner_id in mentee_partner.items():
        mentees_by_partner[partner_id].append(mentee_id)
    for user_id, application in by_user.items():
        profile = profiles.get(user_id)
        if profile is None:
            pool.problems[user_id] = ("mentor", "the mentor has no mentor profile yet")
            continue
        taken = open_counts.get(user_id, 0) + pending.get(user_id, 0)
        if taken >= profile.capacity:
            continue  # fully booked: not in this round, nothing to tell them
        try:
            conflicts = [
                mentee_id
                for partner_id in conflict_partners_of.get(application.pk, ())
                for mentee_id in mentees_by_partner.get(partner_id, ())
            ]
            record = MentorRecord(
                id=user_id,
                region=profile.region if profile.region in REGIONS else None,
                offers=_codes(SUPPORT_CODES, application.support_areas),
                industries=_codes(INDUSTRY_CODES, industries_of.get(application.pk, [])),
                job_title=profile.job_title or application.job_title or "",
                interests=_codes(INTEREST_CODES, interests_of.get(application.pk, [])),
                availability=_availability(application.available_days, application.available_times),
                remote_ok=remote,
                capacity=profile.capacity,
                open_to_one_to_two=profile.open_to_one_to_two,
                approved=application.status == Application.Status.APPROVED,
                fully_trained=user_id in trained,
                enhanced_check=user_id in checked,
                organisation=employers.get(user_id),
                conflicts=conflicts,
                current_mentees=taken,
            )
        except (AttributeError, TypeError, ValueError):
            pool.problems[user_id] = ("mentor", "the mentor's profile could not be read")
            continue
        pool.mentors.append(record)


def load_pool(*, programme: Programme, scope: str, cohort_id=None, youth_partner_id=None, today=None) -> Pool:
    """Everyone a round over this pool considers: mentees of its cohorts who have no open
    relationship or open proposal, and mentors who applied to the programme with a place free."""
    from matching.models import RejectedPair

    cohorts = cohorts_in_pool(
        programme=programme, scope=scope, cohort_id=cohort_id, youth_partner_id=youth_partner_id
    )
    # Mentees with an open proposal are in again: the round re-proposes them (or keeps a locked pair).
    # After an early end a mentee waits out the programme's re-matching period first.
    waiting_to_rematch = Relationship.objects.filter(rematch_available_on__gt=today or timezone.localdate())
    profiles = list(
        MenteeProfile.objects.filter(cohort__in=cohorts, user__is_active=True)
        .exclude(user_id__in=Relationship.objects.open().values("mentee_id"))
        .exclude(user_id__in=waiting_to_rematch.values("mentee_id"))
        .select_related("user", "youth_partner")
        .order_by("user_id")
    )
    pool = Pool(rules=programme_rules(programme))
    _fill_mentees(pool, profiles, programme=programme, today=today)
    load_mentor_records(
        programme=programme,
        mentee_partner={profile.user_id: profile.youth_partner_id for profile in profiles},
        today=today,
        pool=pool,
    )
    mentee_ids = {record.id for record in pool.mentees}
    pool.rejected_pairs = [
        (mentee_id, mentor_id)
        for mentee_id, mentor_id in RejectedPair.objects.filter(mentee_id__in=list(mentee_ids)).values_list(
            "mentee_id", "mentor_id"
        )
    ]
    return pool
