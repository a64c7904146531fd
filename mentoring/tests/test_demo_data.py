import datetime
from collections import Counter
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from accounts.models import DiversityAnswers, MenteeProfile, MentorProfile, Region, Role, RoleAssignment, User
from demo import builder as demo
from evaluation.models import Answer, PairTally, ResponseTally, SurveyResponse
from mentoring.models import Cohort, Programme, Relationship, YouthPartner
from recruitment.models import Application

COUNTED_MODELS = [
    User,
    MentorProfile,
    MenteeProfile,
    DiversityAnswers,
    RoleAssignment,
    EmailAddress,
    Programme,
    YouthPartner,
    Cohort,
    Relationship,
]


def load(**options) -> str:
    out = StringIO()
    call_command("load_demo_data", stdout=out, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED_MODELS}


def demo_mentors():
    """The programme's demo mentors, not the applicants the recruitment extension adds."""
    return MentorProfile.objects.exclude(user__email__startswith="applicant.").values("user")


def demo_people() -> list[tuple[str, str, str]]:
    return sorted(User.objects.values_list("email", "first_name", "last_name"))


def demo_fingerprint() -> dict[str, list]:
    """What the seed decides beyond the people, told apart by email rather than primary key."""
    email = dict(User.objects.values_list("pk", "email"))
    return {
        "relationships": sorted(
            (email.get(mentor, ""), email[mentee], status, started_on, ended_on)
            for mentor, mentee, status, started_on, ended_on in Relationship.objects.values_list(
                "mentor_id", "mentee_id", "status", "started_on", "ended_on"
            )
        ),
        "survey answers": sorted(
            (email[person], survey, code, value, tuple(choices), text)
            for person, survey, code, value, choices, text in Answer.objects.values_list(
                "response__respondent_id",
                "response__instance__version__instrument__slug",
                "question__code",
                "value",
                "choices",
                "text",
            )
        ),
        "pair summaries": sorted(
            PairTally.objects.values_list(
                "population", "question_code", "programme__name", "day", "before", "after", "pairs"
            )
        ),
    }


def share_agreeing(side: str) -> float:
    """The share of the demo's young people agreeing (4 or 5) before or after, over their pairs."""
    pairs = PairTally.objects.filter(population="mentee")
    agreeing = sum(pairs.filter(**{f"{side}__gte": 4}).values_list("pairs", flat=True))
    return agreeing / sum(pairs.values_list("pairs", flat=True))


@pytest.mark.slow_ok(reason="builds the demo programme three times, to compare a rerun with the first run")
@pytest.mark.django_db
def test_same_seed_gives_same_people_and_rerun_does_not_duplicate(client):
    output = load(mentees=80, mentors=50, seed=7, password="a-test-password")
    first_people, first_counts, first_fingerprint = demo_people(), row_counts(), demo_fingerprint()
    # Every demo person gets the password asked for.
    assert "a-test-password" in output
    assert client.login(email=f"mentee@{demo.DEMO_EMAIL_DOMAIN}", password="a-test-password")

    load(mentees=80, mentors=50, seed=7)

    assert demo_people() == first_people
    assert row_counts() == first_counts
    assert demo_fingerprint() == first_fingerprint
    assert first_fingerprint["survey answers"] and first_fingerprint["pair summaries"]
    # The impact figures stay plausible: most surveys sent are answered, and more young people agree
    # with the outcome statements after mentoring than before.
    issued = sum(ResponseTally.objects.values_list("issued", flat=True))
    submitted = sum(ResponseTally.objects.values_list("submitted", flat=True))
    assert issued == SurveyResponse.objects.count() and 0.75 < submitted / issued < 1
    assert 0.3 < share_agreeing("before") < share_agreeing("after") < 0.95
    assert first_counts["MenteeProfile"] == 80
    # Approving a demo mentor application (the recruitment extension) adds that applicant's profile.
    # Every demo mentor also has the approved application and clear checks they were recruited with.
    approved = Application.objects.filter(role=Role.MENTOR, status=Application.Status.APPROVED)
    approved_applicants = approved.exclude(user__in=demo_mentors()).count()
    assert first_counts["MentorProfile"] == 50 + approved_applicants
    assert approved.filter(user__in=demo_mentors(), screening__barred_list_result="not_barred").count() == 50

    load(mentees=80, mentors=50, seed=8)
    assert demo_people() != first_people
    assert row_counts()["YouthPartner"] == 14


@pytest.mark.slow_ok(reason="the population mix is only measurable on a demo of 400 mentees")
@pytest.mark.django_db
def test_people_follow_the_population_table_and_mentor_capacity():
    context = demo.demo_build(mentees=400, mentors=280, seed=3)

    mentees = MenteeProfile.objects.all()
    assert len(context.mentee_ids) == mentees.count() == 400
    assert 0.6 < mentees.filter(region=Region.WEST_MIDLANDS).count() / 400 < 0.8
    under_18 = sum(profile.is_under_18 for profile in mentees)
    assert under_18 / 400 > 0.5
    assert all(14 <= profile.age() <= 25 for profile in mentees)
    assert 0.4 < mentees.filter(disadvantaged=True).count() / 400 < 0.65
    female_mentors = MentorProfile.objects.filter(gender="female").count() / 280
    assert 0.45 < female_mentors < 0.7
    white_british_mentors = DiversityAnswers.objects.filter(
        user__mentor_profile__isnull=False, ethnicity=DiversityAnswers.Ethnicity.WHITE_BRITISH
    ).count()
    assert 0.65 < white_british_mentors / 280 < 0.9

    for profile in MentorProfile.objects.all():
        open_count = Relationship.objects.open().filter(mentor_id=profile.user_id).count()
        assert open_count <= profile.capacity


@pytest.mark.django_db
def test_every_step_receives_the_context_in_the_order_of_the_register(monkeypatch):
    calls = []

    class Step:
        def __init__(self, name):
            self.__name__ = name

        def extend_demo(self, context):
            calls.append((self.__name__, context))

    monkeypatch.setattr(demo, "STEPS", (Step("demo.first"), Step("demo.second")))

    context = demo.demo_build(mentees=20, mentors=10)

    assert calls == [("demo.first", context), ("demo.second", context)]
    # The community step (left out here) adds the employer contact's sign-in.
    assert set(context.logins) == {role.value for role in Role} - {Role.EMPLOYER_CONTACT}
    assert len(context.partners) == 14


@pytest.mark.slow_ok(reason="builds a whole demo programme as of each date")
@pytest.mark.django_db
@pytest.mark.parametrize("today", ["2026-09-02", "2026-11-30", "2027-01-10", "2027-04-15", "2027-07-20"])
def test_most_relationships_are_active_whatever_the_time_of_year(today):
    demo.demo_build(mentees=150, mentors=100, today=datetime.date.fromisoformat(today))

    statuses = Counter(Relationship.objects.values_list("status", flat=True))
    assert statuses[Relationship.Status.ACTIVE] > sum(statuses.values()) / 2
    assert {Relationship.Status.COMPLETED, Relationship.Status.ENDED_EARLY} <= set(statuses)
    assert not Relationship.objects.filter(started_on__gt=today).exists()
    assert not Relationship.objects.filter(ended_on__gt=today).exists()
