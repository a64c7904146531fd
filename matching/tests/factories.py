"""Eligible-by-default mentee and mentor records for engine tests; override what a test is about."""

from matching.engine import run_round
from matching.explain import Labels
from matching.records import MenteeRecord, MentorRecord, build_tables

REGIONS = ("london", "west_midlands", "greater_manchester")
REGION_LABELS = ("London", "West Midlands", "Greater Manchester")


def mentee(id, **overrides) -> MenteeRecord:
    values = {
        "age": 19,
        "region": "london",
        "needs": ["career_options"],
        "industries": [],
        "interests": [],
        "availability": [],
        "remote_ok": True,
        "consent": True,
        "parental_consent": False,
        "induction_done": True,
    }
    values.update(overrides)
    return MenteeRecord(id=id, **values)


def mentor(id, **overrides) -> MentorRecord:
    values = {
        "region": "london",
        "offers": ["career_options"],
        "industries": [],
        "interests": [],
        "availability": [],
        "remote_ok": True,
        "capacity": 1,
        "approved": True,
        "fully_trained": True,
        "enhanced_check": True,
    }
    values.update(overrides)
    return MentorRecord(id=id, **values)


def build(mentees, mentors, rejected=()):
    return build_tables(mentees, mentors, regions=REGIONS, rejected_pairs=rejected)


def run(mentees, mentors, *, rejected=(), locked=(), **options):
    """Run a round on records; `locked` holds (mentee id, mentor id) pairs."""
    built = build(mentees, mentors, rejected)
    return run_round(
        built.mentees,
        built.mentors,
        exclusions=built.exclusions,
        locked=built.pairs(locked),
        places_taken=built.places_taken,
        labels=Labels(regions=REGION_LABELS),
        mentor_job_titles=built.mentor_job_titles,
        mentor_job_industries=built.mentor_job_industries,
        **options,
    )


def pairs(result) -> set[tuple]:
    return {(proposal.mentee_id, proposal.mentor_id) for proposal in result.proposals}


def reasons(result) -> dict:
    return {person.id: person.reason for person in result.unmatched_mentees}


def mentor_reasons(result) -> dict:
    return {person.id: person.reason for person in result.unchosen_mentors}
