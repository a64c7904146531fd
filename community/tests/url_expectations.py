"""Who may use each community page: mentors and staff for events and buddies, employer contacts for
their own employer's figures, nobody else (mentees, coordinators, DSLs and funders have no business here)."""

from tests.matrix import OTHER, OWN, Expect, cached, grid, only, signed_in

OPEN, EMPLOYER, REGISTERED = "open", "employer", "registered"
MEMBERS = only(("mentor", "staff"))
STAFF_ONLY = only(("staff",))
NOT_ALLOWED = signed_in(405)


def api(codes: dict[str, int]) -> dict[str, int]:
    """The API answers anonymous callers with 403 rather than a redirect."""
    return {**codes, "anonymous": 403}


def answers(denied: int = 404, anonymous: int = 302, **codes: int) -> dict[str, int]:
    return grid(denied, anonymous=anonymous, **codes)


def _open_event(scene):
    from .factories import EventFactory

    return cached(scene, "community_open_event", lambda: EventFactory(title="Open community of practice"))


def _employer_event(scene):
    from .factories import EmployerPartnerFactory, EventFactory

    return cached(
        scene,
        "community_employer_event",
        lambda: EventFactory(
            title="Staff network meeting", employer=EmployerPartnerFactory(name="Elsewhere plc")
        ),
    )


def _registered_event(scene):
    from .factories import EventFactory, EventRegistrationFactory

    def build():
        event = EventFactory(title="Sharing what works")
        EventRegistrationFactory(event=event, mentor=scene.mentor)
        return event

    return cached(scene, "community_registered_event", build)


EVENT_TARGETS = {
    OPEN: lambda scene: {"pk": _open_event(scene).pk},
    EMPLOYER: lambda scene: {"pk": _employer_event(scene).pk},
}
REGISTERED_TARGET = {REGISTERED: lambda scene: {"pk": _registered_event(scene).pk}}


def _own_pairing(scene):
    from .factories import BuddyPairingFactory

    return cached(scene, "community_own_pairing", lambda: BuddyPairingFactory(new_mentor=scene.mentor))


def _other_pairing(scene):
    from .factories import BuddyPairingFactory

    return cached(scene, "community_other_pairing", lambda: BuddyPairingFactory())


PAIRING_TARGETS = {
    OWN: lambda scene: {"pk": _own_pairing(scene).pk},
    OTHER: lambda scene: {"pk": _other_pairing(scene).pk},
}


def _other_employer(scene):
    from .factories import EmployerPartnerFactory

    return cached(scene, "community_other_employer", lambda: EmployerPartnerFactory(name="Southbank Foods"))


EMPLOYER_TARGETS = {
    OWN: lambda scene: {"pk": scene.employer.pk},
    OTHER: lambda scene: {"pk": _other_employer(scene).pk},
}
EMPLOYER_FIGURES = {OWN: answers(staff=200, employer_contact=200), OTHER: answers(staff=200)}

EXPECTATIONS = {
    "community:event_list": Expect({"GET": MEMBERS, "POST": NOT_ALLOWED}),
    # An empty post shows the form again, with its errors, to staff.
    "community:event_create": Expect({"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "community:event_detail": Expect(
        {
            "GET": {OPEN: answers(mentor=200, staff=200), EMPLOYER: answers(staff=200)},
            "POST": {OPEN: NOT_ALLOWED, EMPLOYER: NOT_ALLOWED},
        },
        targets=EVENT_TARGETS,
    ),
    "community:event_update": Expect(
        {
            "GET": {OPEN: answers(mentor=403, staff=200), EMPLOYER: answers(staff=200)},
            "POST": {OPEN: answers(mentor=403, staff=200), EMPLOYER: answers(staff=200)},
        },
        targets=EVENT_TARGETS,
    ),
    # Signing up redirects back to the event (staff are told events are for mentors).
    "community:event_register": Expect(
        {
            "GET": {OPEN: NOT_ALLOWED, EMPLOYER: NOT_ALLOWED},
            "POST": {OPEN: answers(mentor=302, staff=302), EMPLOYER: answers(staff=302)},
        },
        targets=EVENT_TARGETS,
    ),
    # Only a mentor with a place can give it up.
    "community:event_cancel": Expect(
        {"GET": {REGISTERED: NOT_ALLOWED}, "POST": {REGISTERED: answers(mentor=302)}},
        targets=REGISTERED_TARGET,
    ),
    # The calendar file is for people with a place (and those running the event).
    "community:event_ics": Expect(
        {
            "GET": {REGISTERED: answers(mentor=200, staff=200), OPEN: answers(staff=200)},
            "POST": {REGISTERED: NOT_ALLOWED, OPEN: NOT_ALLOWED},
        },
        targets={**REGISTERED_TARGET, OPEN: EVENT_TARGETS[OPEN]},
    ),
    # Staff save the (unchanged) register and are sent back to it.
    "community:event_attendance": Expect(
        {
            "GET": {REGISTERED: answers(mentor=403, staff=200)},
            "POST": {REGISTERED: answers(mentor=403, staff=302)},
        },
        targets=REGISTERED_TARGET,
    ),
    "community:buddy_home": Expect({"GET": MEMBERS, "POST": NOT_ALLOWED}),
    # An empty choice means "no employer": the link is removed and the mentor sent back to the page.
    "community:my_employer": Expect({"GET": only(("mentor",)), "POST": only({"mentor": 302})}),
    # An empty choice is refused with a message and a redirect.
    "community:buddy_preference": Expect({"GET": NOT_ALLOWED, "POST": only({"mentor": 302})}),
    # Staff posting without naming a new mentor find nobody.
    "community:buddy_suggest": Expect({"GET": NOT_ALLOWED, "POST": only({"staff": 404})}),
    "community:buddy_detail": Expect(
        {
            "GET": {OWN: answers(mentor=200, staff=200), OTHER: answers(staff=200)},
            "POST": {OWN: NOT_ALLOWED, OTHER: NOT_ALLOWED},
        },
        targets=PAIRING_TARGETS,
    ),
    # The pairing is already active: the answer is refused with a message and a redirect.
    "community:buddy_respond": Expect(
        {
            "GET": {OWN: NOT_ALLOWED, OTHER: NOT_ALLOWED},
            "POST": {OWN: answers(mentor=302, staff=302), OTHER: answers(staff=302)},
        },
        targets=PAIRING_TARGETS,
    ),
    # A buddy's empty message is shown again with its error; staff oversee but never write.
    "community:buddy_message": Expect(
        {
            "GET": {OWN: NOT_ALLOWED, OTHER: NOT_ALLOWED},
            "POST": {OWN: answers(mentor=400, staff=403), OTHER: answers(staff=403)},
        },
        targets=PAIRING_TARGETS,
    ),
    # The mentor ends their pairing; staff, next, are told it is no longer active.
    "community:buddy_end": Expect(
        {
            "GET": {OWN: NOT_ALLOWED, OTHER: NOT_ALLOWED},
            "POST": {OWN: answers(mentor=302, staff=302), OTHER: answers(staff=302)},
        },
        targets=PAIRING_TARGETS,
    ),
    # An employer contact with one employer goes straight to its figures.
    "community:employer_list": Expect(
        {"GET": only({"staff": 200, "employer_contact": 302}), "POST": NOT_ALLOWED}
    ),
    "community:employer_dashboard": Expect(
        {"GET": EMPLOYER_FIGURES, "POST": {OWN: NOT_ALLOWED, OTHER: NOT_ALLOWED}}, targets=EMPLOYER_TARGETS
    ),
    "community:employer_figures_csv": Expect(
        {"GET": EMPLOYER_FIGURES, "POST": {OWN: NOT_ALLOWED, OTHER: NOT_ALLOWED}}, targets=EMPLOYER_TARGETS
    ),
    # The API: everyone signed in gets the events they may see (none, for most).
    "api:community-event-list": Expect({"GET": api(signed_in(200)), "POST": api(only({"staff": 400}))}),
    "api:community-event-detail": Expect(
        {
            "GET": {OPEN: api(answers(mentor=200, staff=200)), EMPLOYER: api(answers(staff=200))},
            "PATCH": {OPEN: api(answers(mentor=403, staff=200)), EMPLOYER: api(answers(staff=200))},
            "DELETE": {OPEN: api(signed_in(405)), EMPLOYER: api(signed_in(405))},
        },
        targets=EVENT_TARGETS,
    ),
    # A mentor gets a place (201); staff are told events are for mentors (400).
    "api:community-event-register": Expect(
        {
            "GET": {OPEN: api(signed_in(405)), EMPLOYER: api(signed_in(405))},
            "POST": {OPEN: api(answers(mentor=201, staff=400)), EMPLOYER: api(answers(staff=400))},
        },
        targets=EVENT_TARGETS,
    ),
}
