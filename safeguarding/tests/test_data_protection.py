"""Subject access exports and erasure read the register of personal data."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from accounts.models import MenteeProfile
from accounts.tests.factories import MenteeApplicationFactory
from core.models import AuditEvent
from evaluation.content import MENTEE_PRE, load_instruments
from evaluation.models import Answer, SurveyResponse
from evaluation.tests.factories import submit
from mentoring.models import Goal, SessionLog
from mentoring.tests.factories import GoalFactory, MentoringSessionFactory, SessionLogFactory
from recruitment.models import Application
from safeguarding import data_protection, services
from safeguarding.models import Concern, Message, SubjectAccessExport
from training.models import Certificate

from .factories import raise_concern


@pytest.fixture
def mentee_record(world):
    """A mentee with something in every part of their journey."""
    mentee, relationship = world.mentee_under_16, world.relationship_under_16
    load_instruments(apps)
    MenteeApplicationFactory(
        user=mentee,
        programme=world.programme,
        youth_partner=world.partner_a,
        goals="Find out what working in a hospital is like.",
        status=Application.Status.APPROVED,
    )
    session = MentoringSessionFactory(
        relationship=relationship, starts_at=timezone.now() - datetime.timedelta(days=3)
    )
    SessionLogFactory(session=session, summary="Talked about GCSE options and a hospital open day.")
    GoalFactory(relationship=relationship, title="Visit the hospital open day")
    submit(mentee, MENTEE_PRE, programme=world.programme)
    services.message_send(relationship=relationship, sender=world.mentor, body="Hello Yasmin")
    services.message_send(relationship=relationship, sender=mentee, body="Thanks, see you Tuesday")
    Certificate.objects.create(
        user=mentee,
        programme=world.programme,
        holder_name="Yasmin Mentee",
        title="Mentee induction: Future Paths Mentoring",
        completed_on=timezone.localdate(),
    )
    raise_concern(reporter=world.mentor, young_person=mentee)
    return mentee


def _export_for(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("safeguarding:my_data"))
    export = SubjectAccessExport.objects.get(person=user)
    assert response.status_code == 302 and response["Location"] == export.get_absolute_url()
    return export


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def _section(archive, name):
    return json.loads(archive.read(f"{name}.json"))["rows"]


def test_a_mentees_export_holds_their_whole_record(
    world, mentee_record, client_for, django_capture_on_commit_callbacks
):
    client = client_for(mentee_record)
    export = _export_for(client, mentee_record, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.status == SubjectAccessExport.Status.READY and export.progress == 100
    archive = _zip(client.get(reverse("safeguarding:data_export_download", args=[export.pk])))

    assert _section(archive, "account")[0]["email"] == mentee_record.email
    assert _section(archive, "mentee_profile")[0]["phone"] == "07700 900001"
    applications = _section(archive, "applications")
    assert [(row["goals"], row["status"]) for row in applications] == [
        ("Find out what working in a hospital is like.", "Approved")
    ]
    assert "GCSE options" in _section(archive, "session_logs")[0]["summary"]
    assert [row["title"] for row in _section(archive, "goals")] == ["Visit the hospital open day"]
    answers = _section(archive, "survey_answers")
    assert answers and len(answers) == Answer.objects.filter(response__respondent=mentee_record).count()
    assert _section(archive, "survey_responses")[0]["status"] == "Submitted"
    assert {row["body"] for row in _section(archive, "messages")} == {
        "Hello Yasmin",
        "Thanks, see you Tuesday",
    }
    assert _section(archive, "certificates")[0]["title"] == "Mentee induction: Future Paths Mentoring"
    # The concern the mentor raised about her is the safeguarding lead's record, not hers to download.
    assert _section(archive, "concerns_reported") == []
    assert "case_entries.json" not in archive.namelist()

    # Each section has its CSV, with headings in words, and the index says what each one is.
    rows = list(csv.reader(io.StringIO(archive.read("goals.csv").decode())))
    assert rows[0][1] == "title" and rows[1][1] == "Visit the hospital open day"
    index = archive.read("index.html").decode()
    assert "Session logs" in index and "Safeguarding case notes" in index
    assert "25th birthday" in index
    assert AuditEvent.objects.filter(action="data_protection.export_downloaded", actor=mentee_record).exists()


def test_a_mentors_export_never_carries_a_mentees_contact_details(
    world, mentee_record, client_for, django_capture_on_commit_callbacks
):
    services.message_send(
        relationship=world.relationship_under_16, sender=mentee_record, body="ring me 07700 900001"
    )  # held for the coordinator: the mentor never received it
    client = client_for(world.mentor)
    export = _export_for(client, world.mentor, django_capture_on_commit_callbacks)
    archive = _zip(client.get(reverse("safeguarding:data_export_download", args=[export.pk])))
    everything = "".join(archive.read(name).decode() for name in archive.namelist())
    assert (
        "Hello Yasmin" in everything
        and "Yasmin" in _section(archive, "relationships")[0]["mentee__first_name"]
    )
    for mentee in (world.mentee_under_16, world.mentee_over_18):
        assert mentee.email not in everything
        assert mentee.mentee_profile.phone not in everything
        assert mentee.mentee_profile.date_of_birth.isoformat() not in everything


def test_the_progress_endpoint_reports_the_build(world, client_for):
    export = SubjectAccessExport.objects.create(
        person=world.mentee_over_18, requested_by=world.mentee_over_18
    )
    client = client_for(world.mentee_over_18)
    status = client.get(reverse("safeguarding:data_export_status", args=[export.pk])).json()
    assert status["finished"] is False and status["status_label"] == "Waiting to start"
    assert "data-progress-url" in client.get(export.get_absolute_url()).text
    data_protection.data_export_build(export_id=export.pk)
    status = client.get(reverse("safeguarding:data_export_status", args=[export.pk])).json()
    assert status == {
        "status": "ready",
        "status_label": "Ready to download",
        "progress": 100,
        "message": "Ready to download.",
        "finished": True,
    }
    assert "Download the ZIP file" in client.get(export.get_absolute_url()).text


def test_building_twice_builds_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = data_protection.data_export_request(person=world.mentor, actor=world.mentor)
    export.refresh_from_db()
    first = export.archive
    assert data_protection.data_export_build(export_id=export.pk) is None
    export.refresh_from_db()
    assert export.archive == first


def test_asking_again_while_one_is_being_prepared_gives_the_same_one(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = data_protection.data_export_request(person=world.mentor, actor=world.mentor)
        second = data_protection.data_export_request(person=world.mentor, actor=world.mentor)
    assert first.pk == second.pk and len(callbacks) == 1


def test_nobody_else_may_see_or_download_an_export(world, client_for):
    export = data_protection.data_export_request(person=world.mentee_under_16, actor=world.mentee_under_16)
    for name in ("data_export_detail", "data_export_status", "data_export_download"):
        url = reverse(f"safeguarding:{name}", args=[export.pk])
        for other in (world.mentor, world.coordinator_a, world.dsl_a, world.staff):
            assert client_for(other).get(url).status_code == 404, (name, other)
        assert client_for(None).get(url).status_code == 302


def test_staff_prepare_a_persons_data_on_request_and_only_they_may_download_it(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("safeguarding:data_export_for_person"), {"email": world.mentee_over_18.email}
        )
    export = SubjectAccessExport.objects.get(person=world.mentee_over_18)
    assert response["Location"] == export.get_absolute_url() and export.requested_by == world.staff
    download = reverse("safeguarding:data_export_download", args=[export.pk])
    assert _section(_zip(client.get(download)), "account")[0]["email"] == world.mentee_over_18.email
    assert client_for(world.mentee_over_18).get(download).status_code == 200
    assert client_for(world.mentor).get(download).status_code == 404
    assert client_for(world.mentor).get(reverse("safeguarding:data_export_for_person")).status_code == 403


def test_an_expired_export_cannot_be_downloaded_and_is_removed(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = data_protection.data_export_request(person=world.mentor, actor=world.mentor)
    export.refresh_from_db()
    later = export.expires_at + datetime.timedelta(minutes=1)
    SubjectAccessExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    download = reverse("safeguarding:data_export_download", args=[export.pk])
    assert client_for(world.mentor).get(download).status_code == 404
    assert data_protection.data_exports_expire(now=later) == 1
    export.refresh_from_db()
    assert export.status == SubjectAccessExport.Status.EXPIRED and export.archive is None


def test_the_api_asks_for_a_copy_and_reports_its_status(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.mentee_over_18)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(reverse("api:data-export-list"))
    assert created.status_code == 202 and created.json()["status"] == "pending"
    detail = client.get(reverse("api:data-export-detail", args=[created.json()["id"]])).json()
    assert detail["status"] == "ready" and detail["progress"] == 100
    archive = _zip(client.get(detail["download_url"]))
    assert _section(archive, "account")[0]["email"] == world.mentee_over_18.email
    assert client_for(world.mentor).get(detail["download_url"]).status_code == 404
    assert client_for(world.mentor).get(reverse("api:data-export-list")).json()["count"] == 0


# Erasure -----------------------------------------------------------------------------------------


def test_erasing_a_mentee_does_what_the_register_says(world, mentee_record):
    mentee = mentee_record
    concern = Concern.objects.get(young_person=mentee)
    data_protection.erasure_request(person=mentee, actor=world.staff, reason="Asked to be forgotten")

    mentee.refresh_from_db()
    assert (mentee.first_name, mentee.is_active, mentee.has_usable_password()) == ("Erased", False, False)
    assert mentee.email == f"erased-{mentee.pk}@erased.invalid"
    profile = MenteeProfile.objects.get(user=mentee)
    assert profile.phone == "" and profile.date_of_birth is not None  # kept for the 25th-birthday rule
    application = Application.objects.get(user=mentee)
    assert application.goals == "" and application.status == Application.Status.APPROVED
    assert not Goal.objects.filter(relationship__mentee=mentee).exists()
    assert not SurveyResponse.objects.filter(respondent=mentee).exists()
    assert not Answer.objects.filter(response__respondent=mentee).exists()
    assert Certificate.objects.get(user=mentee).holder_name == "Erased person"
    # Kept, with the reason: safeguarding records and the record of contact with an adult.
    assert Concern.objects.filter(pk=concern.pk).exists()
    assert SessionLog.objects.filter(session__relationship__mentee=mentee).exists()
    assert Message.objects.filter(sender=mentee, body="Thanks, see you Tuesday").exists()
    event = AuditEvent.objects.get(action="data_protection.erased")
    register = event.details["register"]
    assert register["goals"] == {"action": "delete", "rows": 1, "fields": []}
    assert register["concerns_reported"] == {"action": "keep", "rows": 1}
    assert register["applications"]["action"] == "anonymise"


def test_an_erasure_that_fails_part_way_changes_nothing(world, mentee_record, monkeypatch):
    from core import personal_data

    certificates = personal_data.entry_for(Certificate)

    def fail(rows, person):
        raise RuntimeError("storage unavailable")

    from dataclasses import replace

    entries = dict(personal_data._entries)
    entries[Certificate] = replace(certificates, before_erase=fail)
    monkeypatch.setattr(personal_data, "_entries", entries)
    with pytest.raises(RuntimeError):
        data_protection.erasure_request(person=mentee_record, actor=world.staff, reason="Asked")
    mentee_record.refresh_from_db()
    assert mentee_record.is_active and Goal.objects.filter(relationship__mentee=mentee_record).exists()
    assert not AuditEvent.objects.filter(action="data_protection.erased").exists()


def test_the_confirmation_page_lists_what_is_deleted_anonymised_and_kept_before_anything_changes(
    world, mentee_record, client_for, django_assert_max_num_queries
):
    client = client_for(world.staff)
    form = {"email": mentee_record.email, "reason": "Asked by email"}
    with django_assert_max_num_queries(len(__import__("core").personal_data.entries()) + 15):
        page = client.post(reverse("safeguarding:erasure_create"), form)
    assert page.status_code == 200
    text = page.text
    for heading in ("Deleted", "Anonymised", "Kept"):
        assert f">{heading}</h2>" in text
    assert "Goals" in text and "Concerns you raised" in text and "25th birthday" in text
    mentee_record.refresh_from_db()
    assert mentee_record.is_active and not AuditEvent.objects.filter(action="data_protection.erased").exists()

    response = client.post(reverse("safeguarding:erasure_create"), {**form, "confirm": "yes"})
    assert response.status_code == 302
    mentee_record.refresh_from_db()
    assert not mentee_record.is_active


def test_a_second_approver_sees_the_plan_and_the_message_text_goes_only_then(
    world, mentee_record, client_for
):
    from accounts.models import Role
    from accounts.tests.factories import RoleAssignmentFactory, UserFactory

    erasure = data_protection.erasure_request(
        person=mentee_record, actor=world.staff, reason="Asked", includes_safeguarding=True
    )
    second = UserFactory()
    RoleAssignmentFactory(user=second, role=Role.PROGRAMME_STAFF)
    page = client_for(second).get(reverse("safeguarding:erasure_detail", args=[erasure.pk]))
    assert "Messages" in page.text and "Approve erasure" in page.text
    assert Message.objects.filter(sender=mentee_record, body="Thanks, see you Tuesday").exists()
    client_for(second).post(reverse("safeguarding:erasure_approve", args=[erasure.pk]))
    assert set(Message.objects.filter(sender=mentee_record).values_list("body", flat=True)) == {
        data_protection.REDACTED
    }
    assert Message.objects.filter(sender=world.mentor, body="Hello Yasmin").exists()


def test_privacy_notice_is_written_for_the_mentees_age_band(world, client_for):
    young = client_for(world.mentee_under_16).get(reverse("safeguarding:privacy_notice")).text
    assert "If you are under 16" in young and "If you are 18 or over" not in young
    adult = client_for(world.mentee_over_18).get(reverse("safeguarding:privacy_notice")).text
    assert "If you are 18 or over" in adult and "If you are under 16" not in adult
    everyone = client_for(None).get(reverse("safeguarding:privacy_notice")).text
    assert "If you are under 16" in everyone and "If you are 16 or 17" in everyone
