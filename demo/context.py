"""What every demo step shares: the demo's address domain, default seed and password, where the demo
is served, and the `DemoContext` the builder hands to each step."""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import User
from core.email import absolute_url
from programmes.models import Cohort, Programme, YouthPartner

DEMO_EMAIL_DOMAIN = "demo.mentorbridge.example"
DEFAULT_PASSWORD = "demo-password-2026"  # noqa: S105  # published with the demo sign-ins  # nosec B105
DEFAULT_SEED = 42


def site_url() -> str:
    """Where the demo is served: SITE_URL, which `make demo` sets from HOST and PORT."""
    return absolute_url("").rstrip("/")


def site_domain() -> str:
    return site_url().split("://", 1)[-1]


@dataclass
class DemoContext:
    """What the people step built, handed to each later step's `extend_demo(context)`."""

    rng: random.Random
    seed: int
    programmes: list[Programme]
    partners: list[YouthPartner]
    cohorts: list[Cohort]
    mentor_ids: list[int]
    mentee_ids: list[int]
    logins: dict[str, User]
    password: str
    log: Callable[[str], None]
    today: datetime.date = field(default_factory=timezone.localdate)
    relationship_ids: list[int] = field(default_factory=list)
    partner_staff: list[User] = field(default_factory=list)
