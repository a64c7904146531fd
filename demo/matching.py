"""Demo data for matching: a finished round with proposals for the demo coordinator to decide,
an opportunity mentors can choose, and one mentor's request waiting for an answer.

Runs after the training demo, so the mentors it trained can be matched. The round is a real run
of the engine over the demo coordinator's latest intake. Before it runs, most of the young people
waiting in that intake are made ready the way the product records it (an approved application
saying what they would like help with and when they can meet, a parent's consent for under-16s,
the mentee induction completed); the others honestly are not yet, so the round reports why.
Unmatched people are not emailed.
"""

import datetime

from django.utils import timezone

from accounts.models import MenteeProfile, Role, User
from matching import services
from matching.models import InterestExpression, MatchingRound, Opportunity
from matching.records_db import fully_trained_ids
from mentoring.models import Relationship
from programmes.models import Cohort
from recruitment.models import (
    CONSENT_TEXT_VERSION,
    Application,
    ConsentRecord,
    Industry,
    Interest,
    SupportArea,
)
from recruitment.services import consent_text

# What young people at school most often ask a mentor for.
MENTEE_NEEDS = [
    SupportArea.CAREERS_GUIDANCE,
    SupportArea.UNIVERSITY_APPLICATIONS,
    SupportArea.CV_AND_INTERVIEWS,
    SupportArea.STUDY_AND_EXAMS,
    SupportArea.CONFIDENCE,
    SupportArea.APPRENTICESHIPS,
    SupportArea.WORKPLACE_SKILLS,
    SupportArea.NETWORKING,
]
MENTEE_GOALS = [
    "Find out what jobs there are in science.",
    "Get better at talking in front of people.",
    "Work out whether university or an apprenticeship is right for me.",
    "Get some work experience and write my first CV.",
    "Feel less stressed about my exams and plan my revision.",
    "Meet people who do the job I want to do.",
]
WEEKDAYS = list(Application.Day.values)[:5]
# Of the young people waiting, about one in three is not ready yet.
NOT_READY_SHARE = 3


def _mentee_application(profile: MenteeProfile, programme, *, rng, industries, interests, staff) -> None:
    """An approved application saying what the young person would like help with and when they can
    meet; an earlier one is completed where it left those out (its status is kept)."""
    now = timezone.now()
    details = {
        "support_areas": rng.sample(MENTEE_NEEDS, rng.choice([2, 3])),
        "available_days": sorted(rng.sample(WEEKDAYS, rng.choice([3, 4])), key=WEEKDAYS.index),
        "available_times": [Application.TimeOfDay.AFTER_SCHOOL]
        + ([Application.TimeOfDay.EVENING] if rng.random() < 0.6 else []),
    }
    picked_industries = rng.sample(industries, min(2, len(industries)))
    picked_interests = rng.sample(interests, min(3, len(interests)))
    application = (
        Application.objects.mentees()
        .filter(user=profile.user, programme=programme)
        .exclude(status__in=[Application.Status.WITHDRAWN, Application.Status.DECLINED])
        .first()
    )
    if application is None:
        application = Application.objects.create(
            user=profile.user,
            programme=programme,
            role=Role.MENTEE,
            status=Application.Status.APPROVED,
            date_of_birth=profile.date_of_birth,
            stage=profile.stage,
            youth_partner_id=profile.youth_partner_id,
            region=profile.region,
            goals=rng.choice(MENTEE_GOALS),
            pairing_preference=rng.choice(
                [Application.Pairing.ONE_TO_ONE, Application.Pairing.ONE_TO_ONE, Application.Pairing.EITHER]
            ),
            submitted_at=now - datetime.timedelta(days=rng.randrange(14, 21)),
            decided_at=now - datetime.timedelta(days=rng.randrange(7, 14)),
            decided_by=staff,
            **details,
        )
    else:
        changed = [name for name, value in details.items() if not getattr(application, name)]
        for name in changed:
            setattr(application, name, details[name])
        if changed:
            application.save(update_fields=[*changed, "updated_at"])
    if not application.industries.exists():
        application.industries.set(picked_industries)
    if not application.interests.exists():
        application.interests.set(picked_interests)


def _parental_consent(profile: MenteeProfile, programme) -> None:
    """A parent's consent, recorded as recruitment records it (see demo.recruitment)."""
    if ConsentRecord.objects.filter(mentee=profile.user, withdrawn_at__isnull=True).exists():
        return
    ConsentRecord.objects.create(
        mentee=profile.user,
        given_by_name=f"Parent of {profile.user.first_name}",
        given_by_email=f"parent.{profile.user_id}@example.org",
        given_by_relationship="Parent",
        given_at=timezone.now() - datetime.timedelta(days=10),
        text_version=CONSENT_TEXT_VERSION,
        text=consent_text(profile.user, programme.name),
    )


def _induction(user: User, *, share: float) -> None:
    """The mentee induction taken as training records it: a share of its modules completed, and
    the enrolment completed when all of them are."""
    from training import services as training_services
    from training.models import Audience, Course, Enrolment, ModuleCompletion

    for course in Course.objects.filter(audience=Audience.MENTEE, is_mandatory=True).order_by("pk"):
        enrolment = training_services.enrolment_start(user=user, course=course)
        modules = list(enrolment.version.ordered_modules())
        target = modules[: int(len(modules) * share)]
        done = set(enrolment.module_completions.values_list("module_id", flat=True))
        ModuleCompletion.objects.bulk_create(
            [
                ModuleCompletion(enrolment=enrolment, module=module, score=100)
                for module in target
                if module.pk not in done
            ]
        )
        if target == modules and enrolment.completed_at is None:
            Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=timezone.now())


def _prepare_waiting_mentees(cohort, programme, *, rng, staff) -> None:
    """Make most of the cohort's waiting young people ready to match. The others are under-18s
    who are not ready yet: an under-16 whose parent's consent form has not come back, or someone
    part-way through the induction. Re-running changes nothing already recorded."""
    waiting = list(
        MenteeProfile.objects.filter(cohort=cohort, user__is_active=True)
        .exclude(user_id__in=Relationship.objects.open().values("mentee_id"))
        .select_related("user")
        .order_by("user_id")
    )
    if not waiting:
        return
    industries = list(Industry.objects.order_by("pk"))
    interests = list(Interest.objects.order_by("pk"))
    under_18 = [profile for profile in waiting if profile.is_under_18]
    not_ready = {
        profile.pk for profile in rng.sample(under_18, min(len(waiting) // NOT_READY_SHARE, len(under_18)))
    }
    for profile in waiting:
        _mentee_application(
            profile, programme, rng=rng, industries=industries, interests=interests, staff=staff
        )
        held_back = profile.pk in not_ready
        consent_missing = held_back and profile.is_under_16 and not profile.user.consent_records.exists()
        if profile.is_under_16 and not consent_missing:
            _parental_consent(profile, programme)
        if profile.is_under_18:
            _induction(profile.user, share=0.5 if held_back and not consent_missing else 1.0)


def _latest_intake(programme, partner_id, today):
    """The partner's most recent intake that has started: the one whose young people are waiting."""
    return (
        Cohort.objects.filter(programme=programme, youth_partner_id=partner_id, start_date__lte=today)
        .order_by("-start_date")
        .first()
    )


def extend_demo(context) -> None:
    coordinator = context.logins.get(str(Role.COORDINATOR)) or context.logins.get(Role.COORDINATOR)
    staff = context.logins.get(str(Role.PROGRAMME_STAFF)) or context.logins.get(Role.PROGRAMME_STAFF)
    if coordinator is None or not coordinator.coordinated_partner_ids:
        return
    programme = context.programmes[0]
    partner_id = min(coordinator.coordinated_partner_ids)
    cohort = _latest_intake(programme, partner_id, context.today)
    if cohort is None:
        return
    rng = context.rng

    if not MatchingRound.objects.filter(cohort=cohort, started_by=staff or coordinator).exists():
        _prepare_waiting_mentees(cohort, programme, rng=rng, staff=staff)
        waiting = list(
            User.objects.filter(pk__in=context.mentor_ids, mentor_profile__isnull=False)
            .exclude(pk__in=Relationship.objects.open().values("mentor_id"))
            .order_by("pk")[:200]
        )
        # Every demo mentor has an approved application and a clear check (the recruitment demo);
        # a round needs some of those waiting to have finished their training too.
        trained = fully_trained_ids([mentor.pk for mentor in waiting], programme)
        chosen = [mentor for mentor in waiting if mentor.pk in trained]
        has_mentees = (
            MenteeProfile.objects.filter(cohort=cohort)
            .exclude(user_id__in=Relationship.objects.open().values("mentee_id"))
            .exists()
        )
        if chosen and has_mentees:
            matching_round = MatchingRound.objects.create(
                programme=programme,
                scope=MatchingRound.Scope.COHORT,
                cohort=cohort,
                youth_partner=cohort.youth_partner,
                pool_key=MatchingRound.make_pool_key(
                    programme_id=programme.pk, scope=MatchingRound.Scope.COHORT, cohort_id=cohort.pk
                ),
                started_by=staff or coordinator,
                weights={},
            )
            finished = services.round_run(round_id=matching_round.pk, notify=False)
            context.log(
                f"Matching round #{matching_round.pk}: {finished.proposals.count()} proposals and "
                f"{finished.unmatched.filter(side='mentee').count()} young people not matched yet "
                f"for {cohort}."
            )

    opportunity, _ = Opportunity.objects.get_or_create(
        cohort=cohort,
        title=f"Careers mentors for {cohort.youth_partner}",
        defaults={
            "description": (
                "Year 12 and 13 students exploring apprenticeships, university and first jobs. "
                "One hour a month, at the college or online."
            ),
            "places": 3,
            "answer_within_days": 10,
            "created_by": coordinator,
        },
    )
    approved = (
        Application.objects.mentors()
        .filter(programme=programme, status=Application.Status.APPROVED, user_id__in=context.mentor_ids)
        .exclude(user_id__in=InterestExpression.objects.filter(status="pending").values("mentor_id"))
        .values_list("user_id", flat=True)
        .order_by("user_id")
    )
    if not InterestExpression.objects.filter(opportunity=opportunity).exists() and approved:
        InterestExpression.objects.create(
            opportunity=opportunity,
            mentor_id=approved[0],
            message="I studied at a college like this one and would love to give something back.",
            expires_at=timezone.now() + datetime.timedelta(days=opportunity.answer_within_days),
        )


def clear_demo(people) -> None:
    """Rounds and opportunities started by demo people go with them (their cohorts stay)."""
    MatchingRound.objects.filter(started_by__in=people).delete()
    Opportunity.objects.filter(created_by__in=people).delete()
