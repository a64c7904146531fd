"""Demo data for matching: a finished round with proposals for the demo coordinator to decide,
an opportunity mentors can choose, and one mentor's request waiting for an answer.

Runs after the training demo, so the mentors it trained can be matched. The round is a real run
of the engine over the demo coordinator's cohort; unmatched people are not emailed.
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import Application, MenteeProfile, Role, ScreeningCheck, SupportArea, User
from mentoring.models import Cohort, Relationship

from . import services
from .models import InterestExpression, MatchingRound, Opportunity
from .records_db import fully_trained_ids


def _approved_and_checked(mentor: User, programme, rng) -> None:
    application = (
        Application.objects.mentors().filter(user=mentor, programme=programme).order_by("-created_at").first()
    )
    if application is None:
        application = Application.objects.create(
            user=mentor,
            programme=programme,
            role=Role.MENTOR,
            status=Application.Status.APPROVED,
            submitted_at=timezone.now() - datetime.timedelta(days=60),
            decided_at=timezone.now() - datetime.timedelta(days=40),
            region=getattr(getattr(mentor, "mentor_profile", None), "region", "greater_manchester"),
            support_areas=rng.sample(list(SupportArea.values), 3),
            background="employed",
            sector="Demo sector",
            available_days=rng.sample(list(Application.Day.values)[:5], 2),
            available_times=[rng.choice(Application.TimeOfDay.values)],
            preferred_settings=["school", "college"],
            bio=getattr(getattr(mentor, "mentor_profile", None), "bio", "") or "Happy to help.",
        )
    elif application.status != Application.Status.APPROVED:
        return
    if not hasattr(application, "screening"):
        ScreeningCheck.objects.create(
            application=application,
            identity_status=ScreeningCheck.CheckStatus.CLEAR,
            background_check_status=ScreeningCheck.CheckStatus.CLEAR,
            background_check_level=ScreeningCheck.CheckLevel.ENHANCED_BARRED,
            barred_list_result=ScreeningCheck.BarredListResult.NOT_BARRED,
            certificate_issued_on=timezone.localdate() - datetime.timedelta(days=200),
            update_service=True,
        )


def extend_demo(context) -> None:
    coordinator = context.logins.get(str(Role.COORDINATOR)) or context.logins.get(Role.COORDINATOR)
    staff = context.logins.get(str(Role.PROGRAMME_STAFF)) or context.logins.get(Role.PROGRAMME_STAFF)
    if coordinator is None or not coordinator.coordinated_partner_ids:
        return
    programme = context.programmes[0]
    partner_id = min(coordinator.coordinated_partner_ids)
    # The coordinator's cohort with the most young people still waiting for a mentor.
    cohort = (
        Cohort.objects.filter(programme=programme, youth_partner_id=partner_id)
        .annotate(
            waiting=Count(
                "mentee_profiles",
                filter=~Q(mentee_profiles__user_id__in=Relationship.objects.open().values("mentee_id")),
            )
        )
        .order_by("-waiting", "-start_date")
        .first()
    )
    if cohort is None:
        return
    rng = context.rng

    if not MatchingRound.objects.filter(cohort=cohort, started_by=staff or coordinator).exists():
        waiting = list(
            User.objects.filter(pk__in=context.mentor_ids, mentor_profile__isnull=False)
            .exclude(pk__in=Relationship.objects.open().values("mentor_id"))
            .order_by("pk")[:200]
        )
        trained = fully_trained_ids([mentor.pk for mentor in waiting], programme)
        chosen = [mentor for mentor in waiting if mentor.pk in trained][:6]
        for mentor in chosen:
            _approved_and_checked(mentor, programme, rng)
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
                f"Matching round #{matching_round.pk}: {finished.proposals.count()} proposals for "
                f"{cohort.youth_partner}."
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
