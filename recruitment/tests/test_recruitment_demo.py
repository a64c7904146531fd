import random
from types import SimpleNamespace

from accounts.models import Role
from demo.recruitment import extend_demo
from recruitment.models import Application, ApplicationWindow


def _context(world, logs):
    return SimpleNamespace(
        rng=random.Random(7),
        seed=7,
        programmes=[world.programme],
        partners=[world.partner_a, world.partner_b],
        cohorts=[world.cohort_a, world.cohort_b],
        mentor_ids=[world.mentor.pk, world.other_mentor.pk],
        mentee_ids=[world.mentee_under_16.pk, world.mentee_over_18.pk, world.mentee_b.pk],
        logins={"programme_staff": world.staff, "coordinator": world.coordinator_a, "mentor": world.mentor},
        password="demo password 2026",
        log=logs.append,
    )


def test_demo_has_applications_in_every_status_and_open_windows(world):
    logs = []
    extend_demo(_context(world, logs))
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(Application.Status.values)
    assert Application.objects.filter(role=Role.MENTEE).exists()
    assert ApplicationWindow.objects.filter(programme=world.programme).count() == 2
    assert Application.objects.get(status="declined").feedback
    assert logs


def test_demo_is_idempotent(world):
    extend_demo(_context(world, []))
    counts = (Application.objects.count(), ApplicationWindow.objects.count())
    extend_demo(_context(world, []))
    assert (Application.objects.count(), ApplicationWindow.objects.count()) == counts
