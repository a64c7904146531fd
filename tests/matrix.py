"""Building blocks for the permission matrix: who gets which answer from which URL.

Each app lists its URLs in `<app>/tests/url_expectations.py` as `EXPECTATIONS = {url_name: Expect(...)}`.
`tests/test_permission_matrix.py` walks every URL pattern and fails on a URL that has no expectation.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = (
    "anonymous",
    "mentor",
    "mentee_under_16",
    "mentee_over_18",
    "coordinator_a",
    "coordinator_b",
    "dsl_a",
    "staff",
    "funder",
    "employer_contact",
)

# Targets: the same kind of object seen from partner A (where the mentor, mentees, coordinator_a and
# dsl_a belong) and from partner B. "own" is tied to the mentor personally, "same" is at partner A but
# not the mentor's, "other" is at partner B.
OWN, SAME, OTHER = "own", "same", "other"


def grid(default: int, **codes: int) -> dict[str, int]:
    """The expected status for every persona: `default` unless named."""
    unknown = set(codes) - set(PERSONAS)
    if unknown:
        raise ValueError(f"Unknown personas: {sorted(unknown)}")
    return {persona: codes.get(persona, default) for persona in PERSONAS}


def signed_in(code: int, anonymous: int = 302, **codes: int) -> dict[str, int]:
    """`code` for every signed-in persona; anonymous visitors are sent to sign in."""
    return grid(code, anonymous=anonymous, **codes)


def only(
    allowed: dict[str, int] | tuple[str, ...], denied: int = 403, anonymous: int = 302
) -> dict[str, int]:
    """Named personas get their code (200 when given as a tuple); everyone else `denied`."""
    if isinstance(allowed, tuple):
        allowed = dict.fromkeys(allowed, 200)
    return grid(denied, anonymous=anonymous, **allowed)


@dataclass
class Expect:
    """What a URL answers. `targets` maps a label to a function giving reverse() kwargs from the scene;
    `methods` maps an HTTP method to either a grid (no targets) or {target label: grid}."""

    methods: dict[str, dict]
    targets: dict[str, Callable] = field(default_factory=dict)
    data: dict = field(default_factory=dict)

    def cases(self):
        for method, expected in self.methods.items():
            if self.targets:
                for label, kwargs in self.targets.items():
                    yield method, label, kwargs, expected[label]
            else:
                yield method, None, None, expected


def cached(scene, name: str, build: Callable):
    """Build a target object once per scene (target functions are called for every method)."""
    if not hasattr(scene, name):
        setattr(scene, name, build())
    return getattr(scene, name)
