import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import RoleAssignmentFactory, UserFactory
from core.errors import ApplicationError
from core.models import AuditEvent
from safeguarding import services
from safeguarding.models import CaseEntry, Concern, OutboxMessage

from .factories import raise_concern


@pytest.fixture
def programme_dsl(world):
    lead = UserFactory(email="pat.programme-dsl@example.org", first_name="Pat")
    RoleAssignmentFactory(user=lead, role=Role.SAFEGUARDING_LEAD, programme=world.programme)
    return lead


def test_concern_goes_to_the_youth_partners_dsl_by_email(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    assert concern.youth_partner == world.partner_a
    assert concern.assigned_to == world.dsl_a
    assert [message.to for message in mail.outbox] == [[world.dsl_a.email]]
    # The email carries a reference and a link, never the child's words.
    assert "lunch money" not in mail.outbox[0].body
    assert concern.reference in mail.outbox[0].body


def test_concern_without_a_partner_dsl_goes_to_the_programme_dsl(world, programme_dsl):
    concern = raise_concern(reporter=world.other_mentor, young_person=world.mentee_b)
    assert concern.assigned_to == programme_dsl


def test_concern_about_an_adult_goes_to_the_programme_dsl(world, programme_dsl):
    concern = raise_concern(
        reporter=world.coordinator_a, kind="adult", adult_concerned="A mentor, Olu", young_person=None
    )
    assert concern.assigned_to == programme_dsl


def test_retention_is_the_childs_date_of_birth_plus_25_years(world):
    concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    date_of_birth = world.mentee_under_16.mentee_profile.date_of_birth
    assert concern.retain_until.year == date_of_birth.year + 25
    assert (concern.retain_until.month, concern.retain_until.day) == (date_of_birth.month, date_of_birth.day)


def test_mentor_cannot_raise_a_named_concern_about_someone_elses_mentee(world):
    with pytest.raises(ApplicationError):
        raise_concern(reporter=world.mentor, young_person=world.mentee_b)
    assert not Concern.objects.exists()


def test_outbox_rows_are_written_with_the_concern(world):
    concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    topics = sorted(OutboxMessage.objects.values_list("topic", flat=True))
    assert topics == ["concern.escalate", "concern.notify"]
    escalation = OutboxMessage.objects.get(topic="concern.escalate")
    assert escalation.available_at == concern.acknowledge_by


def test_unacknowledged_concern_escalates_once_to_the_programme_dsl(
    world, programme_dsl, django_capture_on_commit_callbacks
):
    concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    services.outbox_dispatch()  # the notification only: the escalation is not due yet
    assert Concern.objects.get(pk=concern.pk).escalated_at is None
    later = concern.acknowledge_by + datetime.timedelta(minutes=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.outbox_dispatch(now=later) == 1
        assert services.outbox_dispatch(now=later) == 0  # claimed and done: never sent twice
    concern.refresh_from_db()
    assert concern.escalated_at is not None
    assert [message.to for message in mail.outbox] == [[programme_dsl.email]]
    assert concern.entries.filter(kind=CaseEntry.Kind.SYSTEM, text__contains="escalated").exists()


def test_acknowledged_concern_does_not_escalate(world, programme_dsl):
    concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    services.concern_acknowledge(concern=concern, actor=world.dsl_a)
    services.outbox_dispatch(now=concern.acknowledge_by + datetime.timedelta(minutes=1))
    concern.refresh_from_db()
    assert concern.escalated_at is None
    assert OutboxMessage.objects.filter(status="done").count() == 2


def test_case_record_is_append_only(world):
    concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    entry = concern.entries.first()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        concern.entries.all().delete()
    with pytest.raises(PermissionError):
        concern.entries.update(text="changed")
    with pytest.raises(PermissionError):
        concern.delete()


def test_referral_needs_an_agency_and_moves_status(world):
    concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    with pytest.raises(ApplicationError):
        services.case_entry_add(concern=concern, actor=world.dsl_a, kind="note", text="Called the school.")
    services.concern_acknowledge(concern=concern, actor=world.dsl_a)
    with pytest.raises(ApplicationError) as error:
        services.case_entry_add(concern=concern, actor=world.dsl_a, kind="referral", text="Referred.")
    assert error.value.field == "agency"
    services.case_entry_add(
        concern=concern, actor=world.dsl_a, kind="referral", text="Referred to MASH by phone.", agency="mash"
    )
    concern.refresh_from_db()
    assert concern.status == Concern.Status.REFERRED
    services.case_entry_add(concern=concern, actor=world.dsl_a, kind="outcome", text="Plan in place.")
    concern.refresh_from_db()
    assert concern.status == Concern.Status.CLOSED


def test_decision_not_to_refer_records_the_reason(world):
    concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    services.concern_acknowledge(concern=concern, actor=world.dsl_a)
    entry = services.case_entry_add(
        concern=concern,
        actor=world.dsl_a,
        kind="no_referral",
        agency="mash",
        text="Threshold not met: early help offered through the school.",
    )
    assert entry.get_kind_display() == "Decision not to refer"


def test_only_the_dsl_reads_the_case_record_and_each_read_is_logged(world, client_for):
    concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    url = reverse("safeguarding:concern_detail", args=[concern.pk])
    for persona in ("mentor", "coordinator_a", "staff", "mentee_under_16", "funder"):
        assert client_for(getattr(world, persona)).get(url).status_code == 404, persona
    response = client_for(world.dsl_a).get(url)
    assert response.status_code == 200
    assert "lunch money" in response.text
    reads = AuditEvent.objects.filter(action="safeguarding.concern_viewed", target_id=str(concern.pk))
    assert list(reads.values_list("actor", flat=True)) == [world.dsl_a.pk]


def test_reporter_sees_received_and_status_but_not_the_record(world, client_for):
    concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    services.concern_acknowledge(concern=concern, actor=world.dsl_a)
    response = client_for(world.mentor).get(reverse("safeguarding:my_concerns"))
    assert concern.reference in response.text
    assert "Acknowledged by a safeguarding lead" in response.text
    assert "lunch money" not in response.text


def test_raising_a_concern_through_the_form(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.mentor)
    form_page = client.get(reverse("safeguarding:concern_raise"))
    assert "Call 999 first" in form_page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("safeguarding:concern_raise"),
            {
                "kind": "child",
                "young_person": world.mentee_under_16.pk,
                "happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "childs_words": "<script>alert(1)</script> I don't want to go home.",
                "facts": "Tearful at the end of the session.",
                "who_is_at_risk": "Yasmin",
            },
        )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.reporter == world.mentor
    detail = client_for(world.dsl_a).get(concern.get_absolute_url())
    assert "&lt;script&gt;" in detail.text and "<script>alert" not in detail.text


def test_bad_concern_form_shows_field_errors_and_saves_nothing(world, client_for):
    response = client_for(world.mentor).post(reverse("safeguarding:concern_raise"), {"kind": "child"})
    assert response.status_code == 200
    assert "This field is required" in response.text
    assert not Concern.objects.exists()


def test_dsl_home_shows_concerns_waiting(world, client_for, django_assert_max_num_queries):
    for _ in range(3):
        raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    client = client_for(world.dsl_a)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("home"))
    assert "Waiting for you to acknowledge" in response.text


def test_concern_list_has_bounded_queries(world, client_for, django_assert_max_num_queries):
    for _ in range(8):
        raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    client = client_for(world.dsl_a)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("safeguarding:concern_list"))
    assert response.text.count("SG-") >= 8


def test_report_a_worry_is_on_every_page_for_mentors_and_mentees(world, client_for):
    for persona in ("mentor", "mentee_under_16", "mentee_over_18"):
        response = client_for(getattr(world, persona)).get(reverse("accounts:profile"))
        assert reverse("safeguarding:concern_raise") in response.text, persona
    response = client_for(world.funder).get(reverse("accounts:profile"))
    assert "Report a worry" not in response.text


def test_a_copy_of_the_case_record_needs_a_second_dsl(world, client_for):
    deputy = UserFactory(email="deputy.dsl@example.org", first_name="Devi")
    RoleAssignmentFactory(
        user=deputy, role=Role.SAFEGUARDING_LEAD, youth_partner=world.partner_a, is_deputy=True
    )
    concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    export = services.case_export_request(
        concern=concern, actor=deputy, reason="For the MASH strategy meeting"
    )
    with pytest.raises(ApplicationError):
        services.case_export_data(export=export, actor=deputy)
    with pytest.raises(ApplicationError):
        services.case_export_approve(export=export, actor=deputy)
    services.case_export_approve(export=export, actor=world.dsl_a)
    response = client_for(deputy).get(reverse("safeguarding:concern_export_download", args=[export.pk]))
    assert response.status_code == 200
    data = response.json()
    assert data["reference"] == concern.reference and "lunch money" in data["facts"]
    assert AuditEvent.objects.filter(action="safeguarding.case_exported", actor=deputy).exists()
    assert (
        client_for(world.staff)
        .get(reverse("safeguarding:concern_export_download", args=[export.pk]))
        .status_code
        == 404
    )


def test_a_programme_dsl_sees_their_programmes_concerns_from_their_roles_without_another_query(
    world, programme_dsl, django_assert_num_queries
):
    from mentoring.tests.factories import ProgrammeFactory
    from safeguarding import selectors

    concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    assert concern.assigned_to == world.dsl_a  # the partner's lead: seen by the programme's through it
    other_lead = UserFactory(email="sam.other-programme@example.org", first_name="Sam")
    RoleAssignmentFactory(user=other_lead, role=Role.SAFEGUARDING_LEAD, programme=ProgrammeFactory())
    for lead in (programme_dsl, other_lead):
        # Read once per request: the role assignments, and the partners of the programmes led.
        assert lead.roles and lead.safeguarding_partner_ids is not None
    with django_assert_num_queries(1):
        assert list(selectors.concerns_visible_to(user=programme_dsl)) == [concern]
    with django_assert_num_queries(1):
        assert list(selectors.concerns_visible_to(user=other_lead)) == []
