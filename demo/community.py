"""Demo community: events by region and employer, a buddy scheme in use, and two employer partners
(one large enough for its figures to show, one small enough for them to be suppressed), with a sign-in
for the larger one's contact.

Called by `load_demo_data` as `extend_demo(context)`; `clear_demo(people)` removes what it made.
"""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone

from accounts.models import Region, Role, RoleAssignment, User
from community.models import (
    BuddyMessage,
    BuddyPairing,
    BuddyPreference,
    EmployerContact,
    EmployerMembership,
    EmployerMonth,
    EmployerPartner,
    Event,
    EventRegistration,
)
from demo.context import DEMO_EMAIL_DOMAIN
from mentoring.models import Relationship, SessionLog

LARGE_EMPLOYER = ("Brightwater Engineering", "Engineering", Region.GREATER_MANCHESTER)
SMALL_EMPLOYER = ("Harbourside Pharmacy Group", "Healthcare", Region.WEST_MIDLANDS)
CONTACT_EMAIL = f"employer@{DEMO_EMAIL_DOMAIN}"

EVENTS = [
    # (title, days from today, hour, format, region, for the large employer, capacity, description)
    (
        "Greater Manchester mentors' evening",
        9,
        18,
        Event.Format.IN_PERSON,
        Region.GREATER_MANCHESTER,
        False,
        25,
        "Share what is working in your sessions, over tea, with mentors from across Greater Manchester.",
    ),
    (
        "West Midlands community of practice",
        16,
        18,
        Event.Format.ONLINE,
        Region.WEST_MIDLANDS,
        False,
        40,
        "This month: helping your mentee set goals they own.",
    ),
    (
        "All-mentor online drop-in",
        23,
        12,
        Event.Format.ONLINE,
        "",
        False,
        None,
        "Bring a question about your mentoring; programme staff and experienced mentors answer.",
    ),
    (
        "Brightwater mentors' lunch",
        12,
        12,
        Event.Format.IN_PERSON,
        "",
        True,
        4,
        "For Brightwater staff who mentor: lunch and a chat about fitting mentoring around work.",
    ),
    (
        "Safeguarding refresher and Q&A",
        -14,
        18,
        Event.Format.ONLINE,
        "",
        False,
        60,
        "A refresher on the safeguarding procedure, with time for questions.",
    ),
]

BUDDY_MESSAGES = [
    ("new", "Hello! I have my first session next week and I am a bit nervous about how to start."),
    (
        "experienced",
        "Welcome! In my first one we made a one-page plan together: what they hope to get out of "
        "the year. It breaks the ice and gives you goals to come back to.",
    ),
    ("new", "That is a good idea. How long did you spend on it?"),
    ("experienced", "About twenty minutes, then we just talked. Keep the end-of-session note short."),
]


def _contact(context) -> User:
    user = User.objects.create(
        email=CONTACT_EMAIL,
        first_name="Priya",
        last_name="Natarajan",
        password=make_password(context.password),
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    RoleAssignment.objects.create(user=user, role=Role.EMPLOYER_CONTACT)
    return user


def _employer(name, sector, region) -> EmployerPartner:
    employer, _created = EmployerPartner.objects.update_or_create(
        name=name, defaults={"sector": sector, "region": region, "is_active": True}
    )
    return employer


def extend_demo(context) -> None:
    rng = context.rng
    now = timezone.now()
    mentor_ids = list(context.mentor_ids)
    demo_mentor = context.logins.get("mentor") or context.logins.get(Role.MENTOR)
    # Mentors who have held sessions, busiest first, so the large employer's figures are worth showing.
    with_sessions = list(
        SessionLog.objects.filter(held=True, session__relationship__mentor_id__in=mentor_ids)
        .values_list("session__relationship__mentor_id", flat=True)
        .annotate(n=Count("pk"))
        .order_by("-n", "session__relationship__mentor_id")
        .distinct()[:40]
    )
    others = [mentor_id for mentor_id in mentor_ids if not demo_mentor or mentor_id != demo_mentor.pk]
    eligible = set(others)
    pool = [mentor_id for mentor_id in with_sessions if mentor_id in eligible]
    chosen = set(pool)
    pool += [mentor_id for mentor_id in others if mentor_id not in chosen][: max(0, 17 - len(pool))]

    large = _employer(*LARGE_EMPLOYER)
    small = _employer(*SMALL_EMPLOYER)
    large_ids = pool[:14] + ([demo_mentor.pk] if demo_mentor else [])
    small_ids = pool[14:17]
    EmployerMembership.objects.bulk_create(
        [EmployerMembership(mentor_id=mentor_id, employer=large) for mentor_id in large_ids]
        + [EmployerMembership(mentor_id=mentor_id, employer=small) for mentor_id in small_ids]
    )
    EmployerMonth.recount(employer_ids={large.pk, small.pk})  # bulk_create bypasses the signals that keep it
    contact = _contact(context)
    EmployerContact.objects.create(user=contact, employer=large)
    context.logins[Role.EMPLOYER_CONTACT] = contact

    staff = context.logins.get(Role.PROGRAMME_STAFF) or context.logins.get("programme_staff")
    events = []
    for title, days, hour, event_format, region, for_employer, capacity, description in EVENTS:
        day = context.today + datetime.timedelta(days=days)
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
        events.append(
            Event.objects.create(
                title=title,
                description=description,
                format=event_format,
                region=region,
                employer=large if for_employer else None,
                location="Central Library, St Peter's Square, Manchester"
                if event_format == Event.Format.IN_PERSON
                else "https://meet.example.org/mentorbridge-community",
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=90),
                capacity=capacity,
                waiting_list=True,
                organiser=staff,
            )
        )
    registrations = []
    for event in events:
        candidates = large_ids if event.employer_id else rng.sample(mentor_ids, min(len(mentor_ids), 30))
        taken = 0
        for mentor_id in candidates[: rng.randint(3, 12)]:
            full = event.capacity is not None and taken >= event.capacity
            past = event.starts_at < now
            registrations.append(
                EventRegistration(
                    event=event,
                    mentor_id=mentor_id,
                    status=EventRegistration.Status.WAITING if full else EventRegistration.Status.REGISTERED,
                    attended=(rng.random() < 0.8) if past and not full else None,
                )
            )
            taken += 0 if full else 1
    EventRegistration.objects.bulk_create(registrations, ignore_conflicts=True)

    # The buddy scheme: experienced mentors offering, new ones asking, and one pairing in use.
    experienced = list(
        Relationship.objects.filter(
            mentor_id__in=mentor_ids, started_on__lte=context.today - datetime.timedelta(days=120)
        )
        .values_list("mentor_id", flat=True)
        .distinct()
        .order_by("mentor_id")[:12]
    )
    started = set(Relationship.objects.filter(mentor_id__in=mentor_ids).values_list("mentor_id", flat=True))
    newcomers = [mentor_id for mentor_id in mentor_ids if mentor_id not in started][:6]
    if demo_mentor and demo_mentor.pk not in experienced and demo_mentor.pk in started:
        experienced.insert(0, demo_mentor.pk)
    BuddyPreference.objects.bulk_create(
        [
            BuddyPreference(mentor_id=mentor_id, wants=BuddyPreference.Wants.OFFERING)
            for mentor_id in experienced
        ]
        + [
            BuddyPreference(mentor_id=mentor_id, wants=BuddyPreference.Wants.SEEKING)
            for mentor_id in newcomers
        ],
        ignore_conflicts=True,
    )
    if experienced and newcomers:
        buddy = demo_mentor.pk if demo_mentor and demo_mentor.pk in experienced else experienced[0]
        pairing = BuddyPairing.objects.create(
            new_mentor_id=newcomers[0],
            experienced_mentor_id=buddy,
            status=BuddyPairing.Status.ACTIVE,
            reason="both in the same region",
            suggested_by=staff,
            new_accepted_at=now - datetime.timedelta(days=6),
            experienced_accepted_at=now - datetime.timedelta(days=5),
        )
        BuddyMessage.objects.bulk_create(
            BuddyMessage(
                pairing=pairing,
                author_id=newcomers[0] if side == "new" else buddy,
                body=body,
                created_at=now - datetime.timedelta(days=5 - index),
            )
            for index, (side, body) in enumerate(BUDDY_MESSAGES)
        )
    context.log(
        f"Community: {len(events)} events, {len(registrations)} registrations, "
        f"{len(large_ids)} mentors at {large.name} and {len(small_ids)} at {small.name}."
    )


def clear_demo(people) -> None:
    # Users cascade to memberships, registrations and buddy rows; events outlive their organiser.
    Event.objects.filter(organiser__in=people).delete()
    Event.objects.filter(title__in=[row[0] for row in EVENTS], organiser__isnull=True).delete()
