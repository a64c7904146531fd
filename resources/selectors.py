"""Read queries for the library, the FAQ and bulletins, always scoped by the policy module."""

import re
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from accounts.models import MenteeProfile, Role, User, birthdate_cutoff
from core import policy
from core.rows import PreparedRows
from mentoring.models import Goal, MentoringSession, Relationship, SessionLog

from .models import Audience, Bulletin, BulletinDelivery, FaqEntry, Ingredient, Resource, SessionResource

MAX_SEARCH_WORDS = 6


def audience_of(profile: MenteeProfile) -> str:
    age = profile.age()
    if age < 16:
        return Audience.UNDER_16
    if age < 18:
        return Audience.SIXTEEN_TO_EIGHTEEN
    return Audience.ADULT


def mentee_audiences(*, mentor) -> list[str]:
    """The audiences of the mentor's current mentees, youngest first (empty without mentees)."""
    born = MenteeProfile.objects.filter(
        user__mentee_relationships__mentor=mentor,
        user__mentee_relationships__status__in=Relationship.OPEN_STATUSES,
    ).values_list("date_of_birth", flat=True)
    audiences = set()
    under_16, under_18 = birthdate_cutoff(16), birthdate_cutoff(18)
    for date_of_birth in born:
        if date_of_birth > under_16:
            audiences.add(Audience.UNDER_16)
        elif date_of_birth > under_18:
            audiences.add(Audience.SIXTEEN_TO_EIGHTEEN)
        else:
            audiences.add(Audience.ADULT)
    return [audience for audience in Audience.values if audience in audiences]


def resources_visible_to(*, user):
    return policy.scope(user, policy.VIEW, Resource.objects.all()).ranked()


def search_words(text: str) -> list[str]:
    return [word for word in re.split(r"\s+", (text or "").strip()) if word][:MAX_SEARCH_WORDS]


def resource_search(queryset, text: str):
    """Every word must appear in the title, summary, keywords or body (any database)."""
    for word in search_words(text):
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(keywords__icontains=word)
            | Q(body__icontains=word)
        )
    return queryset


def faq_entries_visible_to(*, user, text: str = "", topic: str = ""):
    queryset = policy.scope(user, policy.VIEW, FaqEntry)
    for word in search_words(text):
        queryset = queryset.filter(Q(question__icontains=word) | Q(answer__icontains=word))
    if topic:
        queryset = queryset.filter(topic=topic)
    return queryset


def upcoming_sessions_for_mentor(*, mentor, limit: int = 10):
    return list(
        MentoringSession.objects.upcoming()
        .filter(relationship__mentor=mentor, relationship__status__in=Relationship.OPEN_STATUSES)
        .select_related("relationship__mentee")
        .order_by("starts_at")[:limit]
    )


def _planned_resources_query(slots):
    user = slots.person("user")
    return policy.scope(user, policy.VIEW, SessionResource).filter(
        session_id=slots.value("session", IntegerField()),
        resource__in=policy.scope(user, policy.VIEW, Resource),
    )


# Compiled once per process (core.prepared), scoped through the policy to the person it is run for.
_PLANNED_RESOURCES = PreparedRows(
    SessionResource,
    # What the pages show of each (its title and link): not every resource's body.
    ("session_id", "resource__title", "resource__slug"),
    _planned_resources_query,
)


def planned_resources(*, user, session) -> list[SessionResource]:
    return _PLANNED_RESOURCES.rows(user=user, session=session.pk)


@dataclass
class Suggestion:
    resource: Resource
    reasons: list[str]


def _goal_words(goals) -> set[str]:
    words: set[str] = set()
    for goal in goals:
        words.update(word.lower() for word in re.findall(r"[A-Za-z]{3,}", goal.title))
    return words


# What the scoring reads and the pages show of each candidate: not every resource's body.
_CANDIDATE_COLUMNS = ("title", "slug", "topic", "keywords", "ingredient")
_CANDIDATES: dict[str | None, PreparedRows] = {}


def _candidates_for(audience: str | None) -> PreparedRows:
    """The published resources the person may see (for `audience`, when known), ranked: compiled once
    per process and audience (core.prepared), scoped through the policy to the person it is run for."""
    prepared = _CANDIDATES.get(audience)
    if prepared is None:

        def build(slots):
            published = policy.scope(slots.person("user"), policy.VIEW, Resource.objects.published())
            if audience is not None:
                published = published.for_audiences([audience])
            return published.with_rank()

        prepared = _CANDIDATES.setdefault(
            audience, PreparedRows(Resource, _CANDIDATE_COLUMNS, build, annotations=("rank",))
        )
    return prepared


def _topics_log_query(slots):
    """A pair's session log whose topics the suggestions follow: the session's own, else the pair's
    latest."""
    this_session = When(session_id=slots.value("session", IntegerField()), then=Value(0))
    return (
        SessionLog.objects.filter(session__relationship_id=slots.value("relationship", IntegerField()))
        .annotate(is_this=Case(this_session, default=Value(1)))
        .order_by("is_this", "-session__starts_at")[:1]
    )


_TOPICS_LOG = PreparedRows(SessionLog, ("topics", "session_id"), _topics_log_query)


def resources_suggested_for_session(*, user, session, limit: int = 5, goals=None) -> list[Suggestion]:
    """Published resources for this mentee's age that fit the topics and goals in play.

    Topics come from this session's log or, before it is written, from the pair's latest log;
    goals are the pair's open goals (`goals`, when the caller has read them: their titles and target
    dates). Without goals, goal setting comes first; goals past their date bring the review worksheet
    forward.
    """
    relationship = session.relationship
    profile = getattr(relationship.mentee, "mentee_profile", None)
    audience = audience_of(profile) if profile is not None else None
    candidates = _candidates_for(audience).rows(user=user)
    if not candidates:
        return []  # nothing to score: the pair's log and goals are not read

    # This session's own log when it has one, otherwise the pair's latest: one query either way.
    logs = _TOPICS_LOG.rows(relationship=session.relationship_id, session=session.pk)
    topics = set(logs[0].topics) if logs else set()
    # The words of their titles and whether any is due: not the rest of each goal.
    if goals is None:
        goals = list(
            Goal.objects.filter(relationship=relationship, status__in=Goal.OPEN_STATUSES).only(
                "title", "target_date"
            )
        )
    words = _goal_words(goals)
    today = timezone.localdate()
    goals_due = any(goal.target_date and goal.target_date <= today for goal in goals)

    scored = []
    for resource in candidates:
        score, reasons = 0.0, []
        if resource.topic in topics:
            score += 3
            reasons.append(f"Topic: {resource.get_topic_display()}")
        matched = sorted(word for word in resource.keyword_list if word in words or word.rstrip("s") in words)
        if matched:
            score += 2 + len(matched)
            reasons.append("Fits a goal: " + ", ".join(matched))
        if resource.ingredient == Ingredient.GOALS:
            # Reviewing needs goals to review; setting them matters most when there are none.
            is_review = "review" in resource.keyword_list
            if not goals and not is_review:
                score += 4
                reasons.append("No goals set yet")
            elif goals_due and is_review:
                score += 4
                reasons.append("A goal's date has passed: time to review")
        if resource.ingredient == Ingredient.CONTINUITY:
            score += 1
            reasons.append("Keeps sessions joined up")
        if score:
            scored.append((score + resource.rank, resource, reasons))
    scored.sort(key=lambda item: (-item[0], item[1].title))
    return [Suggestion(resource, reasons) for _score, resource, reasons in scored[:limit]]


# Bulletins ---------------------------------------------------------------------------------------


def bulletins_visible_to(*, user):
    return policy.scope(user, policy.VIEW, Bulletin)


def bulletin_recipients():
    """Active mentors who have not turned bulletins off."""
    return (
        User.objects.filter(is_active=True, role_assignments__role=Role.MENTOR)
        .exclude(notification_preference__bulletins=False)
        .distinct()
        .order_by("pk")
    )


def bulletin_pending_recipients(*, bulletin: Bulletin):
    return bulletin_recipients().exclude(
        pk__in=BulletinDelivery.objects.filter(bulletin=bulletin).values("recipient_id")
    )


@dataclass
class BulletinProgress:
    sent: int
    remaining: int

    @property
    def total(self) -> int:
        return self.sent + self.remaining

    @property
    def percent(self) -> int:
        return round(100 * self.sent / self.total) if self.total else 100


def bulletin_progress(*, bulletin: Bulletin) -> BulletinProgress:
    sent = BulletinDelivery.objects.filter(bulletin=bulletin).count()
    if bulletin.status == Bulletin.Status.SENT:
        return BulletinProgress(sent=sent, remaining=0)
    return BulletinProgress(sent=sent, remaining=bulletin_pending_recipients(bulletin=bulletin).count())


# The latest bulletin (by issue date, then the newest), every column (its progress reads who it is for),
# compiled once per process (core.prepared): the programme team's home shows it.
_LATEST_BULLETIN = PreparedRows(
    Bulletin,
    tuple(field.attname for field in Bulletin._meta.concrete_fields),
    lambda slots: Bulletin.objects.order_by("-issue_date", "-id")[:1],
)


def latest_bulletin() -> Bulletin | None:
    rows = _LATEST_BULLETIN.rows()
    return rows[0] if rows else None
