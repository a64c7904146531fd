"""What the demo's sign-ins meet, read from one `load_demo_data` run shared by the module's tests."""

import logging
from collections import Counter
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sites.models import Site
from django.core.management import call_command

from accounts.models import Region, User
from demo import builder as demo
from mentoring.models import Programme, Relationship, YouthPartner


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def load(**options) -> str:
    out = StringIO()
    records = _Records()
    root = logging.getLogger()
    root.addHandler(records)
    try:
        call_command("load_demo_data", stdout=out, **options)
    finally:
        root.removeHandler(records)
    LOGGED.extend(records.records)
    return out.getvalue()


LOGGED: list[logging.LogRecord] = []


DEMO_LOGINS = {
    "programme_staff": "staff",
    "funder": "funder",
    "coordinator": "coordinator",
    "safeguarding_lead": "dsl",
    "mentor": "mentor",
    "mentee": "mentee",
    "employer_contact": "employer",
}


def login(role: str) -> User:
    return User.objects.get(email=f"{DEMO_LOGINS[role]}@{demo.DEMO_EMAIL_DOMAIN}")


@pytest.fixture(scope="module")
def demo_output(module_transaction, django_db_blocker):
    """`load_demo_data` run once for the tests that only read what it built; its output."""
    assert module_transaction, "the demo is built once per module, inside its transaction"
    with django_db_blocker.unblock():
        return load(mentees=40, mentors=30)


@pytest.mark.django_db
def test_builds_fourteen_partners_of_each_kind_in_both_areas(demo_output):
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
@pytest.mark.parametrize("role", DEMO_LOGINS)
def test_each_demo_login_signs_in_and_sees_their_home_page(client, demo_output, role):
    user = login(role)
    email = user.email

    assert f"{email}  " in demo_output and demo.DEFAULT_PASSWORD in demo_output
    assert user.primary_role == role
    assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True).exists()
    assert client.login(email=email, password=demo.DEFAULT_PASSWORD)
    response = client.get("/home/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_demo_mentor_has_an_under_18_and_an_adult_mentee_and_the_mentee_login_is_one_of_them(demo_output):
    mentor, mentee = login("mentor"), login("mentee")

    open_relationships = (
        Relationship.objects.open().filter(mentor=mentor).select_related("mentee__mentee_profile")
    )
    ages = sorted(relationship.mentee.mentee_profile.age() for relationship in open_relationships)
    assert len(ages) == mentor.mentor_profile.capacity == 2
    assert ages[0] < 18 <= ages[1]
    assert mentee.mentee_profile.is_under_18
    assert open_relationships.filter(mentee=mentee).exists()
    coordinator, dsl = login("coordinator"), login("safeguarding_lead")
    assert mentee.mentee_profile.youth_partner_id in coordinator.coordinated_partner_ids
    assert mentee.mentee_profile.youth_partner_id in dsl.safeguarding_partner_ids


@pytest.mark.django_db
def test_demo_login_passes_the_sign_in_form_with_mandatory_email_verification(client, settings, demo_output):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"

    response = client.post(
        "/accounts/login/", {"login": f"mentee@{demo.DEMO_EMAIL_DOMAIN}", "password": demo.DEFAULT_PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == "/home/"


@pytest.mark.django_db
def test_building_the_demo_says_what_it_does_in_a_few_lines_and_logs_no_line_per_task(demo_output):
    lines = demo_output.splitlines()
    assert len(lines) <= 40
    assert lines[-1].startswith("Every partner also has")
    assert any(line.startswith("Sign in at ") for line in lines)
    chatty = [
        record for record in LOGGED if record.levelno < logging.WARNING and record.name.startswith("celery")
    ]
    assert chatty == []


@pytest.mark.django_db
def test_the_demo_mentee_has_done_their_induction(demo_output):
    from training.models import Audience, Enrolment

    enrolment = Enrolment.objects.get(user=login("mentee"), course__audience=Audience.MENTEE)
    assert enrolment.completed_at is not None
