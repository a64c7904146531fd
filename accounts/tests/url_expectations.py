from tests.matrix import OTHER, SAME, Expect, only, signed_in

STAFF_ONLY = only(("staff",))

EXPECTATIONS = {
    "accounts:profile": Expect({"GET": signed_in(200), "POST": signed_in(405)}),
    # An empty POST re-shows the form with "first name is required".
    "accounts:profile_edit": Expect({"GET": signed_in(200), "POST": signed_in(200)}),
    "accounts:person_roles": Expect(
        {"GET": {SAME: STAFF_ONLY, OTHER: STAFF_ONLY}, "POST": {SAME: STAFF_ONLY, OTHER: STAFF_ONLY}},
        targets={SAME: lambda s: {"pk": s.coordinator_a.pk}, OTHER: lambda s: {"pk": s.coordinator_b.pk}},
    ),
    "accounts:role_revoke": Expect(
        {
            "GET": {SAME: signed_in(405), OTHER: signed_in(405)},
            # coordinator_a may see their own role assignment but not remove it.
            "POST": {
                SAME: only({"staff": 302, "coordinator_a": 403}, denied=404),
                OTHER: only({"staff": 302, "coordinator_b": 403}, denied=404),
            },
        },
        targets={
            SAME: lambda s: {"pk": s.coordinator_a.role_assignments.get().pk},
            OTHER: lambda s: {"pk": s.coordinator_b.role_assignments.get().pk},
        },
    ),
    "accounts:mentee_edit": Expect(
        {
            "GET": {
                SAME: only({"staff": 200, "coordinator_a": 200, "dsl_a": 403}, denied=404),
                OTHER: only({"staff": 200, "coordinator_b": 200}, denied=404),
            },
            "POST": {
                SAME: only({"staff": 200, "coordinator_a": 200, "dsl_a": 403}, denied=404),
                OTHER: only({"staff": 200, "coordinator_b": 200}, denied=404),
            },
        },
        targets={SAME: lambda s: {"pk": s.unmatched_a.pk}, OTHER: lambda s: {"pk": s.mentee_b.pk}},
    ),
    "accounts:audit_log": Expect({"GET": STAFF_ONLY, "POST": signed_in(405)}),
}
