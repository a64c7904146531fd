"""The one entry point of the demo: `demo_build(...)`, which `load_demo_data` runs.

It removes the demo people of an earlier run (each step first removes its own rows that protect them
from deletion), builds the people and their relationships (`demo.people`), then runs every step in
`STEPS`, in order, inside one transaction. A step is a module with `extend_demo(context)` and,
when it needs one, `clear_demo(people)`; it draws every random choice from `context.rng` (its own
stream, from the seed and its name) and logs progress with `context.log`, so the same seed builds the
same programme, on an empty database or over an earlier build.
"""

import datetime
import random
import time
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from mentoring.models import CohortMentees, Relationship
from mentoring.receivers import deletions_refreshed_at_end

from . import (
    community,
    evaluation,
    matching,
    people,
    recruitment,
    relationships,
    resources,
    safeguarding,
    training,
)
from .context import DEFAULT_PASSWORD, DEFAULT_SEED, DEMO_EMAIL_DOMAIN, DemoContext, site_url

__all__ = [
    "DEFAULT_PASSWORD",
    "DEFAULT_SEED",
    "DEMO_EMAIL_DOMAIN",
    "STEPS",
    "DemoContext",
    "demo_build",
    "site_url",
]

# The register of steps, in the order they run. Matching comes after training and safeguarding: it
# matches only trained, unsuspended mentors; evaluation after the relationships whose ends it surveys.
STEPS = (
    recruitment,
    relationships,
    training,
    safeguarding,
    matching,
    evaluation,
    resources,
    community,
)


def step_random(seed: int, step) -> random.Random:
    """The random stream of one step: from the seed and the step's name, so what one step draws (say,
    fewer draws on a rebuild, for rows it keeps) never changes what the steps after it build."""
    return random.Random(f"{seed}:{step.__name__}")


@transaction.atomic
def demo_build(
    *,
    seed: int = DEFAULT_SEED,
    mentees: int = 300,
    mentors: int | None = None,
    password: str = DEFAULT_PASSWORD,
    log: Callable[[str], None] = lambda line: None,
    today: datetime.date | None = None,
) -> DemoContext:
    """Build (or rebuild) the demo programme and return what was built.

    `mentees` and `mentors` count everyone in that role, the demo sign-ins included.
    """
    return _build(seed=seed, mentees=mentees, mentors=mentors, password=password, log=log, today=today)


def _build(*, seed, mentees, mentors, password, log, today) -> DemoContext:
    everyone = people.demo_people()
    # What the deleted rows counted in (a relationship's sessions, say) is recounted once, at the end.
    with deletions_refreshed_at_end():
        for step in STEPS:
            clear = getattr(step, "clear_demo", None)
            if clear is not None:
                clear(everyone)
        people.clear_people(log)
    context = people.build_people(
        seed=seed,
        mentees=mentees,
        mentors=mentors,
        password=password,
        log=log,
        today=today or timezone.localdate(),
    )
    for step in STEPS:
        # One line per step: what it added, and how long it took.
        started = time.monotonic()
        said: list[str] = []
        context.log = said.append
        context.rng = step_random(seed, step)
        step.extend_demo(context)
        took = f"({time.monotonic() - started:.1f} s)"
        for line in said[:-1]:
            log(line)
        log(f"{said[-1]} {took}" if said else f"{step.__name__.removeprefix('demo.')}: done {took}")
    # Profiles, relationships, applications and goals were created in bulk (no model signals): the young
    # people per cohort, each relationship's copy of its young person's dates and its goal counts are
    # written once, from what the steps built.
    CohortMentees.recount()
    Relationship.objects.refresh_mentee_dates()
    Relationship.objects.refresh_goal_counts()
    context.log = log
    return context
