"""Demo data for relationships in progress: venues, blackout dates, agreements, sessions, logs, goals.

`extend_demo(context)` takes the demo builder's context (rng, programmes, partners, mentor_ids,
logins, log; relationship_ids when given) once the foundation's people and relationships exist.
Idempotent: venues and blackout dates are fetched or
created by name, and relationships that already have sessions are left alone.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from mentoring.dates import add_months
from mentoring.models import (
    Agreement,
    AgreementTemplate,
    BlackoutDate,
    Goal,
    GoalProgress,
    MentoringSession,
    PulseCheckIn,
    Relationship,
    RelationshipEvent,
    SessionLog,
    SupportCheckIn,
    Topic,
    Venue,
)
from mentoring.terms import holidays_between

VENUES = (
    ("Careers room", Venue.Kind.ROOM, "Sign in at reception; the careers room is next to the library."),
    ("Library study room", Venue.Kind.ROOM, "Ask at the library desk for the bookable study room."),
    ("Online (platform video call)", Venue.Kind.ONLINE, "Join from the session page five minutes early."),
)
SUMMARIES = (
    "Talked through sixth-form and college options and what each could lead to.",
    "Worked on a first CV: education, a part-time job and volunteering.",
    "Practised answering 'tell me about yourself' for interviews.",
    "Looked at revision timetables and how to fit them around work shifts.",
    "Explored apprenticeships in engineering and digital; found two open days.",
    "Talked about confidence in class and one small thing to try this month.",
)
NEXT_TIME = (
    "Bring the college prospectus and two questions for the open evening.",
    "Finish the CV draft and bring it printed.",
    "Try the STAR method on two real examples.",
    "Look up three apprenticeship providers and compare entry requirements.",
)
ACTIVITIES = (
    "Write down three jobs you would like to know more about.",
    "Ask a teacher which subjects they think you enjoy most.",
    "Sign up for one open day or taster session.",
)
GOALS = (
    ("Choose my post-16 options", "Applications submitted", Goal.Term.LONG),
    ("Write a first CV", "A one-page CV checked by my mentor", Goal.Term.SHORT),
    ("Get a week of work experience", "A placement confirmed", Goal.Term.LONG),
    ("Speak up once in each lesson", "Tally kept for two weeks", Goal.Term.SHORT),
)


def _partner_setup(partner, today):
    for name, kind, details in VENUES:
        Venue.objects.get_or_create(
            youth_partner=partner, name=name, defaults={"kind": kind, "details": details}
        )
    year = today.year if today.month < 5 else today.year + 1
    for label, starts_on, ends_on in (
        ("Summer exams", datetime.date(year, 5, 11), datetime.date(year, 6, 19)),
        ("Winter holiday", datetime.date(today.year, 12, 20), datetime.date(today.year + 1, 1, 5)),
        ("Summer holiday", datetime.date(year, 7, 22), datetime.date(year, 9, 2)),
    ):
        BlackoutDate.objects.get_or_create(
            youth_partner=partner, label=label, starts_on=starts_on, defaults={"ends_on": ends_on}
        )


@dataclass
class _Story:
    """One relationship's rows, drawn from the random stream before any is written."""

    relationship: Relationship
    sessions: list[MentoringSession]
    goals: list[Goal]
    logs: list[SessionLog] = field(default_factory=list)
    progress: list[GoalProgress] = field(default_factory=list)
    events: list[RelationshipEvent] = field(default_factory=list)
    agreement: dict = field(default_factory=dict)
    check_ins: list[SupportCheckIn] = field(default_factory=list)
    pulse: PulseCheckIn | None = None


class _Partners:
    """What every relationship at a youth partner shares, read once per partner."""

    def __init__(self):
        self._venues: dict[int, Venue | None] = {}
        self._closed: dict[int, list] = {}
        self._templates: dict[int, AgreementTemplate] = {}

    def venue(self, partner_id: int) -> Venue | None:
        if partner_id not in self._venues:
            self._venues[partner_id] = Venue.objects.filter(youth_partner_id=partner_id).first()
        return self._venues[partner_id]

    def closed(self, partner) -> list:
        if partner.pk not in self._closed:
            self._closed[partner.pk] = list(BlackoutDate.objects.filter(youth_partner=partner))
        return self._closed[partner.pk]

    def template(self, programme) -> AgreementTemplate:
        if programme.pk not in self._templates:
            self._templates[programme.pk] = AgreementTemplate.objects.get(programme=programme)
        return self._templates[programme.pk]


def _relationship_story(relationship, rng, today, now, partners: _Partners) -> _Story:
    """Twelve monthly sessions from the start, the past ones logged, with goals and history: the rows,
    unsaved, in the order the random stream draws them (`_write` saves every relationship's at once)."""
    programme = relationship.cohort.programme
    start = relationship.started_on or today - datetime.timedelta(days=rng.randint(30, 200))
    partner = relationship.mentee.mentee_profile.youth_partner
    venue = partners.venue(partner.pk)
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time(15, 30)))
    closed: list = list(partners.closed(partner))
    if partner.in_term_only:
        closed += holidays_between(
            [], start - datetime.timedelta(days=31), start + datetime.timedelta(days=500)
        )
    sessions = []
    taken: set[datetime.date] = set()
    for index in range(programme.relationship_months):
        day = add_months(first.date(), index)
        # As the scheduler would: never a closed day or holiday, a weekend at a school, or twice on one day.
        while (
            day in taken
            or (partner.weekdays_only and day.weekday() >= 5)
            or any(b.starts_on <= day <= b.ends_on for b in closed)
        ):
            day += datetime.timedelta(days=1)
        taken.add(day)
        sessions.append(
            MentoringSession(
                relationship=relationship,
                number=index + 1,
                starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 30))),
                duration_minutes=programme.session_minutes,
                venue=venue,
                is_online=venue is None,
            )
        )
    goals = [
        Goal(
            relationship=relationship,
            title=title,
            measure=measure,
            term=term,
            target_date=add_months(start, 6 if term == Goal.Term.LONG else 2),
            status=Goal.Status.IN_PROGRESS,
            proposed_by=relationship.mentor,
        )
        for title, measure, term in rng.sample(GOALS, 2)
    ]
    story = _Story(relationship=relationship, sessions=sessions, goals=goals)
    past = [s for s in sessions if s.starts_at < now]
    logged = past[:-1] if len(past) > 1 and rng.random() < 0.4 else past
    # A few statements for the whole demo: the held-session summary, which saving each log and session
    # would recount, is recounted once when they are written.
    for session in logged:
        held = rng.random() > 0.15
        story.logs.append(
            SessionLog(
                session=session,
                author=relationship.mentor,
                held=held,
                missed_by="" if held else rng.choice(["mentee", "other"]),
                duration_minutes=programme.session_minutes if held else None,
                format="in_person" if held else "",
                topics=sorted(rng.sample(Topic.values, 2)) if held else [],
                summary=rng.choice(SUMMARIES) if held else "",
                next_time_notes=rng.choice(NEXT_TIME) if held else "",
                mentee_activity=rng.choice(ACTIVITIES) if held and rng.random() < 0.5 else "",
            )
        )
        session.status = "held" if held else "missed"
        if held and goals:
            story.progress.append(
                GoalProgress(
                    goal=rng.choice(goals),
                    session=session,
                    author=relationship.mentor,
                    status="in_progress",
                    note="Progress discussed.",
                )
            )
    if relationship.started_on is None:
        relationship.started_on = start
    relationship.planned_end_on = add_months(start, programme.relationship_months)
    story.events = [
        RelationshipEvent(
            relationship=relationship,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            occurred_at=now,
        )
        for from_status, to_status, reason in (
            ("", "approved", "Match approved"),
            ("approved", "introduced", "First meeting scheduled"),
            ("introduced", "active", "First session held"),
        )
    ]
    signed = timezone.make_aware(datetime.datetime.combine(start, datetime.time(16, 30)))
    story.agreement = {
        "text": [list(section) for section in partners.template(programme).as_sections()],
        "mentor_signed_at": signed,
        "mentee_signed_at": signed,
    }
    story.check_ins = [
        SupportCheckIn(relationship=relationship, due_on=start + datetime.timedelta(days=int(day)))
        for day in programme.support_check_in_days
    ]
    if len(past) >= 3 and rng.random() < 0.5:
        story.pulse = PulseCheckIn(
            relationship=relationship,
            respondent=relationship.mentee,
            rating=rng.choice([2, 3, 4, 4]),
            comment="",
        )
    return story


def _write(stories: list[_Story]) -> None:
    """Every story's rows, a few bulk statements for them all, each table in the order of the stories."""
    if not stories:
        return
    relationships = [story.relationship for story in stories]
    MentoringSession.objects.bulk_create(session for story in stories for session in story.sessions)
    Goal.objects.bulk_create(goal for story in stories for goal in story.goals)
    SessionLog.objects.bulk_create(log for story in stories for log in story.logs)
    GoalProgress.objects.bulk_create(progress for story in stories for progress in story.progress)
    Relationship.objects.bulk_update(relationships, ["started_on", "planned_end_on"])
    written = Relationship.objects.filter(pk__in=[relationship.pk for relationship in relationships])
    written.refresh_held_sessions()
    RelationshipEvent.objects.bulk_create(event for story in stories for event in story.events)
    # Kept where an agreement or pulse check-in is already there, as `get_or_create` would.
    signed = set(
        Agreement.objects.filter(relationship__in=relationships).values_list("relationship_id", flat=True)
    )
    Agreement.objects.bulk_create(
        Agreement(relationship=story.relationship, **story.agreement)
        for story in stories
        if story.relationship.pk not in signed
    )
    SupportCheckIn.objects.bulk_create(
        (check_in for story in stories for check_in in story.check_ins), ignore_conflicts=True
    )
    answered = set(
        PulseCheckIn.objects.filter(relationship__in=relationships).values_list(
            "relationship_id", "respondent_id"
        )
    )
    PulseCheckIn.objects.bulk_create(
        story.pulse
        for story in stories
        if story.pulse is not None and (story.relationship.pk, story.relationship.mentee_id) not in answered
    )


@transaction.atomic
def extend_demo(context, *, limit: int = 300) -> None:
    rng, today, now = context.rng, getattr(context, "today", None) or timezone.localdate(), timezone.now()
    for programme in context.programmes:
        if not AgreementTemplate.objects.filter(programme=programme).exists():
            AgreementTemplate.default_for(programme).save()
    for partner in context.partners:
        _partner_setup(partner, today)
    relationships = Relationship.objects.filter(
        status__in=[Relationship.Status.ACTIVE, Relationship.Status.PAUSED],
        mentor_id__in=list(context.mentor_ids),
        sessions__isnull=True,
    )
    if getattr(context, "relationship_ids", None):
        relationships = relationships.filter(pk__in=list(context.relationship_ids))
    relationships = relationships.select_related(
        "cohort__programme", "mentee__mentee_profile", "mentor"
    ).order_by("pk")
    mentor_login = context.logins.get("mentor")
    chosen = list(relationships.filter(mentor=mentor_login)) if mentor_login else []
    chosen += [r for r in relationships[:limit] if r not in chosen]
    partners = _Partners()
    _write([_relationship_story(relationship, rng, today, now, partners) for relationship in chosen[:limit]])
    context.log(f"Relationships: sessions, logs and goals for {len(chosen[:limit])} relationships.")
