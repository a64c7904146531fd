from tests.matrix import OTHER, OWN, SAME, Expect, cached, grid, only, signed_in

STAFF_ONLY = only(("staff",))
PEOPLE_LISTS = only(("staff", "coordinator_a", "coordinator_b", "dsl_a"))
EVERYONE_AT_A = ("staff", "funder", "coordinator_a", "dsl_a", "mentor", "mentee_under_16", "mentee_over_18")


def api(codes: dict[str, int]) -> dict[str, int]:
    """The API answers anonymous callers with 403 rather than a redirect."""
    return {**codes, "anonymous": 403}


def visible(*personas: str, denied: int = 404) -> dict[str, int]:
    return only(dict.fromkeys(personas, 200), denied=denied)


# What each persona may see, by target ------------------------------------------------------------
# Everyone taking part sees the programme; an employer contact takes part in none (they see figures only).
PROGRAMME = {SAME: signed_in(200, employer_contact=404), OTHER: visible("staff", "funder", "coordinator_b")}
PARTNER = {SAME: visible(*EVERYONE_AT_A), OTHER: visible("staff", "funder", "coordinator_b")}
COHORT = PARTNER
MENTEE = {
    OWN: visible("staff", "coordinator_a", "dsl_a", "mentor", "mentee_under_16"),
    SAME: visible("staff", "coordinator_a", "dsl_a"),
    OTHER: visible("staff", "coordinator_b"),
}
MENTOR = {
    OWN: visible("staff", "coordinator_a", "dsl_a", "mentor", "mentee_under_16", "mentee_over_18"),
    OTHER: visible("staff", "coordinator_b"),
}
RELATIONSHIP = {
    OWN: visible("staff", "coordinator_a", "dsl_a", "mentor", "mentee_under_16"),
    OTHER: visible("staff", "coordinator_b"),
}


def change(view_grid: dict[str, int], *changers: str, ok: int = 200) -> dict[str, int]:
    """Those who may change get `ok`; those who may only view get 403; the rest keep 404."""
    result = {}
    for persona, code in view_grid.items():
        if persona in changers:
            result[persona] = ok
        elif code == 200:
            result[persona] = 403
        else:
            result[persona] = code
    return result


PROGRAMME_CHANGE = {SAME: change(PROGRAMME[SAME], "staff"), OTHER: change(PROGRAMME[OTHER], "staff")}
PARTNER_CHANGE = {
    SAME: change(PARTNER[SAME], "staff", "coordinator_a"),
    OTHER: change(PARTNER[OTHER], "staff", "coordinator_b"),
}


def per_target(grids: dict[str, dict[str, int]], wrap=lambda g: g) -> dict[str, dict[str, int]]:
    return {label: wrap(codes) for label, codes in grids.items()}


def method_not_allowed(grids, anonymous=302):
    return {label: signed_in(405, anonymous=anonymous) for label in grids}


TARGETS_PROGRAMME = {SAME: lambda s: {"pk": s.programme.pk}, OTHER: lambda s: {"pk": s.other_programme.pk}}
TARGETS_PARTNER = {SAME: lambda s: {"pk": s.partner_a.pk}, OTHER: lambda s: {"pk": s.partner_b.pk}}
TARGETS_COHORT = {SAME: lambda s: {"pk": s.cohort_a.pk}, OTHER: lambda s: {"pk": s.cohort_b.pk}}
TARGETS_MENTEE = {
    OWN: lambda s: {"pk": s.mentee_under_16.pk},
    SAME: lambda s: {"pk": s.unmatched_a.pk},
    OTHER: lambda s: {"pk": s.mentee_b.pk},
}
TARGETS_MENTOR = {OWN: lambda s: {"pk": s.mentor.pk}, OTHER: lambda s: {"pk": s.other_mentor.pk}}
TARGETS_RELATIONSHIP = {
    OWN: lambda s: {"pk": s.relationship_under_16.pk},
    OTHER: lambda s: {"pk": s.relationship_b.pk},
}

# Relationships in progress -----------------------------------------------------------------------
RELATIONSHIP_MANAGE = {
    OWN: change(RELATIONSHIP[OWN], "staff", "coordinator_a"),
    OTHER: change(RELATIONSHIP[OTHER], "staff", "coordinator_b"),
}
RELATIONSHIP_MANAGE_REDIRECT = {
    OWN: change(RELATIONSHIP[OWN], "staff", "coordinator_a", ok=302),
    OTHER: change(RELATIONSHIP[OTHER], "staff", "coordinator_b", ok=302),
}
# Only the pair themselves: the mentor and the mentee (redirected back to the relationship).
RELATIONSHIP_PAIR_REDIRECT = {
    OWN: change(RELATIONSHIP[OWN], "mentor", "mentee_under_16", ok=302),
    OTHER: change(RELATIONSHIP[OTHER]),
}
# Goals: the pair and those who run the relationship.
RELATIONSHIP_GOAL_EDITORS = {
    OWN: change(RELATIONSHIP[OWN], "mentor", "mentee_under_16", "staff", "coordinator_a"),
    OTHER: change(RELATIONSHIP[OTHER], "staff", "coordinator_b"),
}
# A session's log: only the pair's mentor.
SESSION_LOG = {OWN: change(RELATIONSHIP[OWN], "mentor"), OTHER: change(RELATIONSHIP[OTHER])}
# Recording a session that was not scheduled: the pair's mentor and those who run the relationship.
SESSION_RECORD = {
    OWN: change(RELATIONSHIP[OWN], "mentor", "staff", "coordinator_a"),
    OTHER: change(RELATIONSHIP[OTHER], "staff", "coordinator_b"),
}
# Support check-ins are invisible to everyone who does not run the relationship.
SUPPORT = {OWN: visible("staff", "coordinator_a"), OTHER: visible("staff", "coordinator_b")}
MONITORS = only(("staff", "coordinator_a", "coordinator_b"))


def post_only(grids):
    return {label: signed_in(405) for label in grids}


def _session(scene, name, relationship):
    from mentoring.tests.factories import MentoringSessionFactory

    return cached(scene, name, lambda: MentoringSessionFactory(relationship=relationship, number=1))


def _goal(scene, name, relationship):
    from mentoring.tests.factories import GoalFactory

    return cached(scene, name, lambda: GoalFactory(relationship=relationship))


def _check_in(scene, name, relationship):
    from mentoring.tests.factories import SupportCheckInFactory

    return cached(scene, name, lambda: SupportCheckInFactory(relationship=relationship))


def _feed_token(scene):
    from mentoring.journal import calendar_feed_for

    return cached(scene, "mentor_feed", lambda: calendar_feed_for(scene.mentor)).token


TARGETS_SESSION = {
    OWN: lambda s: {"pk": _session(s, "session_own", s.relationship_under_16).pk},
    OTHER: lambda s: {"pk": _session(s, "session_other", s.relationship_b).pk},
}
TARGETS_GOAL = {
    OWN: lambda s: {"pk": _goal(s, "goal_own", s.relationship_under_16).pk},
    OTHER: lambda s: {"pk": _goal(s, "goal_other", s.relationship_b).pk},
}


def _held_text(scene, name, relationship):
    from mentoring.journal import goal_create
    from mentoring.models import Goal

    return cached(
        scene,
        name,
        lambda: goal_create(
            actor=relationship.mentor, relationship=relationship, goal=Goal(title="text me on 07700 900123")
        ),
    )


TARGETS_HELD_TEXT = {
    OWN: lambda s: {"pk": _held_text(s, "held_own", s.relationship_under_16).pk},
    OTHER: lambda s: {"pk": _held_text(s, "held_other", s.relationship_b).pk},
}


def _returned_text(scene, name, relationship):
    from mentoring.models import HeldText

    def returned():
        held = _held_text(scene, f"{name}_held", relationship)
        HeldText.objects.filter(pk=held.pk).update(
            status=HeldText.Status.RETURNED, decline_reason="Leave out the number."
        )
        return held

    return cached(scene, name, returned)


TARGETS_RETURNED_TEXT = {
    OWN: lambda s: {"pk": _returned_text(s, "returned_own", s.relationship_under_16).pk},
    OTHER: lambda s: {"pk": _returned_text(s, "returned_other", s.relationship_b).pk},
}
# Returned for editing: only its writer sends it again; the reviewers see it and may not.
HELD_TEXT_REWRITE = {
    OWN: only({"mentor": 200, "coordinator_a": 403, "dsl_a": 403}, denied=404),
    OTHER: only({"coordinator_b": 403}, denied=404),
}
HELD_TEXT_VIEW = {OWN: visible("coordinator_a", "dsl_a", "mentor"), OTHER: visible("coordinator_b")}
# Held text: the partner's coordinators and safeguarding leads decide; its writer sees it, no more.
HELD_TEXT_DECIDE = {
    OWN: only({"coordinator_a": 302, "dsl_a": 302, "mentor": 403}, denied=404),
    OTHER: only({"coordinator_b": 302}, denied=404),
}


def _log(scene, name, relationship):
    from mentoring.tests.factories import MentoringSessionFactory, SessionLogFactory

    return cached(
        scene,
        name,
        lambda: SessionLogFactory(session=MentoringSessionFactory(relationship=relationship, status="held")),
    )


TARGETS_LOG = {
    OWN: lambda s: {"pk": _log(s, "log_own", s.relationship_under_16).pk},
    OTHER: lambda s: {"pk": _log(s, "log_other", s.relationship_b).pk},
}
# A log is the mentor's notes: not shown to the mentee.
LOG_VIEW = {
    OWN: visible("staff", "coordinator_a", "dsl_a", "mentor"),
    OTHER: visible("staff", "coordinator_b"),
}
TARGETS_CHECK_IN = {
    OWN: lambda s: {"pk": _check_in(s, "check_in_own", s.relationship_under_16).pk},
    OTHER: lambda s: {"pk": _check_in(s, "check_in_other", s.relationship_b).pk},
}


def _with(grids, old: int, new: int):
    return {label: {p: (new if c == old else c) for p, c in codes.items()} for label, codes in grids.items()}


def api_post(grids, ok: int = 400):
    """An API action: those allowed get `ok` (400 for an empty body); anonymous callers 403."""
    return per_target(_with(grids, 200, ok), api)


API_POST_ONLY = {label: signed_in(405, anonymous=403) for label in (OWN, OTHER)}

EXPECTATIONS = {
    # Pages ---------------------------------------------------------------------------------------
    "mentoring:programme_list": Expect({"GET": signed_in(200), "POST": signed_in(405)}),
    "mentoring:programme_create": Expect({"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "mentoring:programme_detail": Expect(
        {"GET": PROGRAMME, "POST": method_not_allowed(PROGRAMME)}, targets=TARGETS_PROGRAMME
    ),
    "mentoring:programme_edit": Expect(
        {"GET": PROGRAMME_CHANGE, "POST": PROGRAMME_CHANGE}, targets=TARGETS_PROGRAMME
    ),
    "mentoring:agreement_template_edit": Expect(
        {"GET": PROGRAMME_CHANGE, "POST": PROGRAMME_CHANGE}, targets=TARGETS_PROGRAMME
    ),
    "mentoring:partner_list": Expect({"GET": signed_in(200), "POST": signed_in(405)}),
    "mentoring:partner_create": Expect({"GET": STAFF_ONLY, "POST": STAFF_ONLY}),
    "mentoring:partner_detail": Expect(
        {"GET": PARTNER, "POST": method_not_allowed(PARTNER)}, targets=TARGETS_PARTNER
    ),
    "mentoring:partner_edit": Expect(
        {"GET": PARTNER_CHANGE, "POST": PARTNER_CHANGE}, targets=TARGETS_PARTNER
    ),
    "mentoring:cohort_create": Expect(
        {
            "GET": only(("staff", "coordinator_a", "coordinator_b")),
            "POST": only(("staff", "coordinator_a", "coordinator_b")),
        }
    ),
    "mentoring:cohort_detail": Expect(
        {"GET": COHORT, "POST": method_not_allowed(COHORT)}, targets=TARGETS_COHORT
    ),
    "mentoring:mentee_list": Expect({"GET": PEOPLE_LISTS, "POST": signed_in(405)}),
    "mentoring:mentee_detail": Expect(
        {"GET": MENTEE, "POST": method_not_allowed(MENTEE)}, targets=TARGETS_MENTEE
    ),
    "mentoring:mentor_list": Expect({"GET": PEOPLE_LISTS, "POST": signed_in(405)}),
    "mentoring:mentor_detail": Expect(
        {"GET": MENTOR, "POST": method_not_allowed(MENTOR)}, targets=TARGETS_MENTOR
    ),
    "mentoring:relationship_detail": Expect(
        {"GET": RELATIONSHIP, "POST": method_not_allowed(RELATIONSHIP)}, targets=TARGETS_RELATIONSHIP
    ),
    "mentoring:relationship_transition": Expect(
        {"GET": post_only(RELATIONSHIP), "POST": RELATIONSHIP_MANAGE_REDIRECT}, targets=TARGETS_RELATIONSHIP
    ),
    "mentoring:relationship_extend": Expect(
        {"GET": post_only(RELATIONSHIP), "POST": RELATIONSHIP_MANAGE_REDIRECT}, targets=TARGETS_RELATIONSHIP
    ),
    "mentoring:relationship_close": Expect(
        {"GET": RELATIONSHIP_MANAGE, "POST": RELATIONSHIP_MANAGE}, targets=TARGETS_RELATIONSHIP
    ),
    "mentoring:agreement_sign": Expect(
        {"GET": post_only(RELATIONSHIP), "POST": RELATIONSHIP_PAIR_REDIRECT}, targets=TARGETS_RELATIONSHIP
    ),
    "mentoring:pulse_answer": Expect(
        {"GET": post_only(RELATIONSHIP), "POST": RELATIONSHIP_PAIR_REDIRECT}, targets=TARGETS_RELATIONSHIP
    ),
    # The mentee here is under 18, so only the coordinator and staff schedule for the pair.
    "mentoring:sessions_schedule": Expect(
        {"GET": RELATIONSHIP_MANAGE, "POST": RELATIONSHIP_MANAGE}, targets=TARGETS_RELATIONSHIP
    ),
    "mentoring:goal_create": Expect(
        {"GET": RELATIONSHIP_GOAL_EDITORS, "POST": RELATIONSHIP_GOAL_EDITORS}, targets=TARGETS_RELATIONSHIP
    ),
    "mentoring:session_detail": Expect(
        {"GET": RELATIONSHIP, "POST": method_not_allowed(RELATIONSHIP)}, targets=TARGETS_SESSION
    ),
    "mentoring:session_reschedule": Expect(
        {"GET": RELATIONSHIP_MANAGE, "POST": RELATIONSHIP_MANAGE}, targets=TARGETS_SESSION
    ),
    "mentoring:session_cancel": Expect(
        {"GET": RELATIONSHIP_MANAGE, "POST": RELATIONSHIP_MANAGE}, targets=TARGETS_SESSION
    ),
    "mentoring:session_record": Expect(
        {"GET": SESSION_RECORD, "POST": SESSION_RECORD}, targets=TARGETS_RELATIONSHIP
    ),
    "mentoring:session_log": Expect({"GET": SESSION_LOG, "POST": SESSION_LOG}, targets=TARGETS_SESSION),
    "mentoring:goal_update": Expect(
        {"GET": RELATIONSHIP_GOAL_EDITORS, "POST": RELATIONSHIP_GOAL_EDITORS}, targets=TARGETS_GOAL
    ),
    "mentoring:held_text_release": Expect(
        {"GET": post_only(HELD_TEXT_DECIDE), "POST": HELD_TEXT_DECIDE}, targets=TARGETS_HELD_TEXT
    ),
    "mentoring:held_text_decline": Expect(
        {"GET": post_only(HELD_TEXT_DECIDE), "POST": HELD_TEXT_DECIDE}, targets=TARGETS_HELD_TEXT
    ),
    "mentoring:held_text_return": Expect(
        {"GET": post_only(HELD_TEXT_DECIDE), "POST": HELD_TEXT_DECIDE}, targets=TARGETS_HELD_TEXT
    ),
    "mentoring:held_text_rewrite": Expect(
        {"GET": HELD_TEXT_REWRITE, "POST": HELD_TEXT_REWRITE}, targets=TARGETS_RETURNED_TEXT
    ),
    "mentoring:monitoring": Expect({"GET": MONITORS, "POST": signed_in(405)}),
    "mentoring:relationship_list": Expect({"GET": MONITORS, "POST": signed_in(405)}),
    "mentoring:relationship_export": Expect({"GET": MONITORS, "POST": signed_in(405)}),
    "mentoring:support_check_in": Expect({"GET": SUPPORT, "POST": SUPPORT}, targets=TARGETS_CHECK_IN),
    "mentoring:calendar_settings": Expect({"GET": signed_in(200), "POST": signed_in(200)}),
    # The private feed needs no sign-in: the token is the key. Only GET is answered.
    "mentoring:calendar_feed": Expect(
        {"GET": {"feed": grid(200)}, "POST": {"feed": grid(405)}},
        targets={"feed": lambda s: {"token": _feed_token(s)}},
    ),
    "mentoring:partner_venues": Expect({"GET": PARTNER, "POST": PARTNER_CHANGE}, targets=TARGETS_PARTNER),
    "mentoring:partner_blackouts": Expect({"GET": PARTNER, "POST": PARTNER_CHANGE}, targets=TARGETS_PARTNER),
    "mentoring:partner_terms": Expect({"GET": PARTNER, "POST": PARTNER_CHANGE}, targets=TARGETS_PARTNER),
    # API -----------------------------------------------------------------------------------------
    "api:me": Expect({"GET": signed_in(200, anonymous=403), "PATCH": signed_in(200, anonymous=403)}),
    "api:programme-list": Expect({"GET": signed_in(200, anonymous=403), "POST": api(only({"staff": 400}))}),
    "api:programme-detail": Expect(
        {
            "GET": per_target(PROGRAMME, api),
            "PATCH": per_target(PROGRAMME_CHANGE, api),
            "DELETE": method_not_allowed(PROGRAMME, anonymous=403),
        },
        targets=TARGETS_PROGRAMME,
    ),
    "api:youthpartner-list": Expect(
        {"GET": signed_in(200, anonymous=403), "POST": api(only({"staff": 400}))}
    ),
    "api:youthpartner-detail": Expect(
        {
            "GET": per_target(PARTNER, api),
            "PATCH": per_target(PARTNER_CHANGE, api),
            "DELETE": method_not_allowed(PARTNER, anonymous=403),
        },
        targets=TARGETS_PARTNER,
    ),
    "api:cohort-list": Expect(
        {
            "GET": signed_in(200, anonymous=403),
            "POST": api(only({"staff": 400, "coordinator_a": 400, "coordinator_b": 400})),
        }
    ),
    "api:cohort-detail": Expect(
        {
            "GET": per_target(COHORT, api),
            "PATCH": per_target(PARTNER_CHANGE, api),
            "DELETE": method_not_allowed(COHORT, anonymous=403),
        },
        targets=TARGETS_COHORT,
    ),
    "api:mentee-list": Expect({"GET": signed_in(200, anonymous=403), "POST": signed_in(405, anonymous=403)}),
    "api:mentee-detail": Expect(
        {"GET": per_target(MENTEE, api), "PATCH": method_not_allowed(MENTEE, anonymous=403)},
        targets=TARGETS_MENTEE,
    ),
    "api:mentor-list": Expect({"GET": signed_in(200, anonymous=403), "POST": signed_in(405, anonymous=403)}),
    "api:mentor-detail": Expect(
        {"GET": per_target(MENTOR, api), "PATCH": method_not_allowed(MENTOR, anonymous=403)},
        targets=TARGETS_MENTOR,
    ),
    "api:relationship-list": Expect(
        {"GET": signed_in(200, anonymous=403), "POST": signed_in(405, anonymous=403)}
    ),
    "api:relationship-detail": Expect(
        {"GET": per_target(RELATIONSHIP, api), "PATCH": method_not_allowed(RELATIONSHIP, anonymous=403)},
        targets=TARGETS_RELATIONSHIP,
    ),
    **{
        f"api:relationship-{name}": Expect(
            {"GET": API_POST_ONLY, "POST": api_post(RELATIONSHIP_MANAGE)}, targets=TARGETS_RELATIONSHIP
        )
        for name in ("transition", "close", "extend", "schedule")
    },
    # Signing succeeds for the pair (the empty body is all it needs).
    "api:relationship-sign-agreement": Expect(
        {"GET": API_POST_ONLY, "POST": api_post(_with(RELATIONSHIP_PAIR_REDIRECT, 302, 200), ok=200)},
        targets=TARGETS_RELATIONSHIP,
    ),
    "api:session-list": Expect({"GET": signed_in(200, anonymous=403), "POST": signed_in(405, anonymous=403)}),
    "api:session-detail": Expect(
        {"GET": per_target(RELATIONSHIP, api), "PATCH": method_not_allowed(RELATIONSHIP, anonymous=403)},
        targets=TARGETS_SESSION,
    ),
    "api:session-reschedule": Expect(
        {"GET": API_POST_ONLY, "POST": api_post(RELATIONSHIP_MANAGE)}, targets=TARGETS_SESSION
    ),
    "api:session-cancel": Expect(
        {"GET": API_POST_ONLY, "POST": api_post(RELATIONSHIP_MANAGE)}, targets=TARGETS_SESSION
    ),
    "api:session-log": Expect({"GET": API_POST_ONLY, "POST": api_post(SESSION_LOG)}, targets=TARGETS_SESSION),
    "api:sessionlog-list": Expect(
        {"GET": signed_in(200, anonymous=403), "POST": signed_in(405, anonymous=403)}
    ),
    "api:sessionlog-detail": Expect(
        {"GET": per_target(LOG_VIEW, api), "PATCH": method_not_allowed(LOG_VIEW, anonymous=403)},
        targets=TARGETS_LOG,
    ),
    "api:goal-list": Expect({"GET": signed_in(200, anonymous=403), "POST": signed_in(400, anonymous=403)}),
    "api:goal-detail": Expect(
        {"GET": per_target(RELATIONSHIP, api), "PATCH": method_not_allowed(RELATIONSHIP, anonymous=403)},
        targets=TARGETS_GOAL,
    ),
    "api:held-text-list": Expect(
        {"GET": signed_in(200, anonymous=403), "POST": signed_in(405, anonymous=403)}
    ),
    "api:held-text-detail": Expect(
        {"GET": per_target(HELD_TEXT_VIEW, api), "PATCH": method_not_allowed(HELD_TEXT_VIEW, anonymous=403)},
        targets=TARGETS_HELD_TEXT,
    ),
    # Releasing needs no body: the coordinator releases it, and the safeguarding lead after them is
    # told it has already been checked.
    "api:held-text-release": Expect(
        {
            "GET": API_POST_ONLY,
            "POST": {
                OWN: api(only({"coordinator_a": 200, "dsl_a": 400, "mentor": 403}, denied=404)),
                OTHER: api(only({"coordinator_b": 200}, denied=404)),
            },
        },
        targets=TARGETS_HELD_TEXT,
    ),
    "api:held-text-decline": Expect(
        {"GET": API_POST_ONLY, "POST": per_target(_with(HELD_TEXT_DECIDE, 302, 400), api)},
        targets=TARGETS_HELD_TEXT,
    ),
    "api:held-text-return": Expect(
        {"GET": API_POST_ONLY, "POST": per_target(_with(HELD_TEXT_DECIDE, 302, 400), api)},
        targets=TARGETS_HELD_TEXT,
    ),
    "api:held-text-rewrite": Expect(
        {"GET": API_POST_ONLY, "POST": per_target(_with(HELD_TEXT_REWRITE, 200, 400), api)},
        targets=TARGETS_RETURNED_TEXT,
    ),
    "api:goal-progress": Expect(
        {"GET": API_POST_ONLY, "POST": api_post(RELATIONSHIP_GOAL_EDITORS)}, targets=TARGETS_GOAL
    ),
}
