"""Demo data: the starter library and FAQ, some ratings and plans by the demo mentor, and a sent bulletin."""

import datetime

from django.utils import timezone

from accounts.models import User
from mentoring.models import MentoringSession
from resources.loader import load_starter_content
from resources.models import Bulletin, BulletinDelivery, Resource, ResourceRating, SessionResource

DEMO_BULLETIN_TITLE = "Mentor bulletin: getting goals off the ground"


def extend_demo(context) -> None:
    """Idempotent: content loads once, ratings are set per mentor, the bulletin is found by title."""
    result = load_starter_content()
    resources = list(Resource.objects.published().order_by("slug"))
    mentors = list(User.objects.filter(pk__in=context.mentor_ids[:40]).order_by("pk"))
    rng = context.rng
    already_rated = set(ResourceRating.objects.filter(mentor__in=mentors).values_list("mentor_id", flat=True))
    # A mentor with no rating yet gets three new ones (three different resources), in one query for all.
    ratings = []
    for mentor in mentors:
        if mentor.pk in already_rated:
            continue
        for resource in rng.sample(resources, k=min(3, len(resources))):
            ratings.append(
                ResourceRating(resource=resource, mentor=mentor, stars=rng.choice([3, 4, 4, 5, 5]))
            )
    ResourceRating.objects.bulk_create(ratings)
    demo_mentor = context.logins.get("mentor")
    planned = 0
    if demo_mentor is not None:
        session = (
            MentoringSession.objects.upcoming()
            .filter(relationship__mentor=demo_mentor)
            .order_by("starts_at")
            .first()
        )
        goal_sheet = Resource.objects.filter(slug="goal-setting-worksheet").first()
        if session is not None and goal_sheet is not None:
            _, created = SessionResource.objects.get_or_create(
                session=session, resource=goal_sheet, defaults={"attached_by": demo_mentor}
            )
            planned += created
    for resource in resources:
        ratings = ResourceRating.objects.filter(resource=resource).values_list("stars", flat=True)
        Resource.objects.filter(pk=resource.pk).update(
            rating_count=len(ratings),
            rating_total=sum(ratings),
            use_count=SessionResource.objects.filter(resource=resource).count(),
        )
    _demo_bulletin(context, resources)
    context.log(
        f"resources: {result.resources_created} resources and {result.faq_created} questions added, "
        f"{len(mentors)} mentors rated some, {planned} planned for the demo mentor's next session"
    )


def _demo_bulletin(context, resources) -> None:
    if Bulletin.objects.filter(title=DEMO_BULLETIN_TITLE).exists():
        return
    issue = context.today.replace(day=1)
    bulletin = Bulletin.objects.create(
        title=DEMO_BULLETIN_TITLE,
        issue_date=issue,
        news=(
            "Welcome to the new mentors who finished their training this month. Sessions are "
            "picking up again after half term: please log each one within a few days, so coordinators "
            "can see how pairs are doing.\n\n"
            "The resource library now has printable worksheets for goal setting, goal reviews and the "
            "end-of-session *next time* sheet."
        ),
        skill_builder=(
            "**Ask, don't tell.** When your mentee brings a problem, try three questions before "
            "offering any advice:\n\n"
            "1. What have you tried so far?\n2. What would you tell a friend in the same spot?\n"
            "3. What is one small thing you could do this week?"
        ),
        upcoming_events=(
            "- Community of practice (online): sharing what works in first sessions, first Tuesday "
            "of next month, 6-7pm.\n- Core mentor workshop in Manchester for new mentors."
        ),
        status=Bulletin.Status.SENT,
        send_started_at=timezone.now() - datetime.timedelta(days=3),
        sent_at=timezone.now() - datetime.timedelta(days=3),
    )
    featured = [r for r in resources if r.slug in ("goal-setting-worksheet", "next-time-sheet")]
    bulletin.featured_resources.set(featured)
    # Recorded as delivered (the demo sends no email): the archive is what mentors see.
    BulletinDelivery.objects.bulk_create(
        [BulletinDelivery(bulletin=bulletin, recipient_id=pk) for pk in context.mentor_ids],
        ignore_conflicts=True,
    )


def clear_demo(people) -> None:
    """Demo people's ratings and deliveries go with them (cascade); plans go with their sessions."""
