import datetime
from collections import Counter
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sites.models import Site
from django.core.management import call_command

from accounts.models import DiversityAnswers, MenteeProfile, MentorProfile, Region, Role, RoleAssignment, User
from mentoring import demo
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


@pytest.mark.django_db
def test_builds_fourteen_partners_of_each_kind_in_both_areas():
    load(mentees=60, mentors=40)

    assert Counter(YouthPartner.objects.values_list("kind", flat=True)) == {
        YouthPartner.Kind.SCHOOL: 4,
        YouthPartner.Kind.ACADEMY: 2,
        YouthPartner.Kind.COLLEGE: 4,
        YouthPartner.Kind.UNIVERSITY: 2,
        YouthPartner.Kind.CHARITY: 1,
        YouthPartner.Kind.EMPLOYER_PROGRAMME: 1,
    }
    assert set(YouthPartner.objects.values_list("region", flat=True)) == {
        Region.GREATER_MANCHESTER,
        Region.WEST_MIDLANDS,
    }
    youth = Programme.objects.get(slug="youth-futures-mentoring")
    museum = Programme.objects.get(slug="museum-professionals-mentoring")
    assert (youth.relationship_months, youth.mentee_min_age, youth.mentee_max_age) == (12, 14, 25)
    assert (museum.relationship_months, museum.session_cadence) == (6, Programme.Cadence.SIX_WEEKLY)
    assert not YouthPartner.objects.filter(cohorts__isnull=True).exists()
    site = Site.objects.get(pk=1)
    assert site.domain == "127.0.0.1:8000"


@pytest.mark.django_db
def test_same_seed_gives_same_people_and_rerun_does_not_duplicate():
    load(mentees=80, mentors=50, seed=7)
    first_people, first_counts = demo_people(), row_counts()

    load(mentees=80, mentors=50, seed=7)

    assert demo_people() == first_people
    assert row_counts() == first_counts
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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "mailbox"),
    [
        ("programme_staff", "staff"),
        ("funder", "funder"),
        ("coordinator", "coordinator"),
        ("safeguarding_lead", "dsl"),
        ("mentor", "mentor"),
        ("mentee", "mentee"),
        ("employer_contact", "employer"),
    ],
)
def test_each_demo_login_signs_in_and_sees_their_home_page(client, role, mailbox):
    output = load(mentees=40, mentors=30, password="a-test-password")
    email = f"{mailbox}@{demo.DEMO_EMAIL_DOMAIN}"
    user = User.objects.get(email=email)

    assert f"{email}  " in output and "a-test-password" in output
    assert user.primary_role == role
    assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True).exists()
    assert client.login(email=email, password="a-test-password")
    response = client.get("/home/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_demo_mentor_has_an_under_18_and_an_adult_mentee_and_the_mentee_login_is_one_of_them():
    context = demo.demo_build(mentees=40, mentors=30)
    mentor, mentee = context.logins["mentor"], context.logins["mentee"]

    open_relationships = (
        Relationship.objects.open().filter(mentor=mentor).select_related("mentee__mentee_profile")
    )
    ages = sorted(relationship.mentee.mentee_profile.age() for relationship in open_relationships)
    assert len(ages) == mentor.mentor_profile.capacity == 2
    assert ages[0] < 18 <= ages[1]
    assert mentee.mentee_profile.is_under_18
    assert open_relationships.filter(mentee=mentee).exists()
    coordinator, dsl = context.logins["coordinator"], context.logins["safeguarding_lead"]
    assert mentee.mentee_profile.youth_partner_id in coordinator.coordinated_partner_ids
    assert mentee.mentee_profile.youth_partner_id in dsl.safeguarding_partner_ids


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
def test_extension_hook_receives_the_context(monkeypatch):
    calls = []

    class FakeDemoModule:
        __name__ = "training.demo"

        @staticmethod
        def extend_demo(context):
            calls.append(context)

    monkeypatch.setattr(demo, "_extension_modules", lambda: iter([FakeDemoModule]))

    context = demo.demo_build(mentees=20, mentors=10)

    assert calls == [context]
    # The community extension (left out here) adds the employer contact's sign-in.
    assert set(context.logins) == {role.value for role in Role} - {Role.EMPLOYER_CONTACT}
    assert len(context.partners) == 14


@pytest.mark.django_db
@pytest.mark.parametrize("today", ["2026-09-02", "2026-11-30", "2027-01-10", "2027-04-15", "2027-07-20"])
def test_most_relationships_are_active_whatever_the_time_of_year(today):
    demo.demo_build(mentees=150, mentors=100, today=datetime.date.fromisoformat(today))

    statuses = Counter(Relationship.objects.values_list("status", flat=True))
    assert statuses[Relationship.Status.ACTIVE] > sum(statuses.values()) / 2
    assert {Relationship.Status.COMPLETED, Relationship.Status.ENDED_EARLY} <= set(statuses)
    assert not Relationship.objects.filter(started_on__gt=today).exists()
    assert not Relationship.objects.filter(ended_on__gt=today).exists()


@pytest.mark.django_db
def test_demo_login_passes_the_sign_in_form_with_mandatory_email_verification(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    load(mentees=20, mentors=10)

    response = client.post(
        "/accounts/login/", {"login": f"mentee@{demo.DEMO_EMAIL_DOMAIN}", "password": demo.DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == "/home/"
