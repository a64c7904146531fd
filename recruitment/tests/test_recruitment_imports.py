import datetime
import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import MenteeProfile, User
from core.errors import ApplicationError
from recruitment import imports, services
from recruitment.models import Application, Invitation, MenteeImport

TODAY = datetime.date(2026, 11, 26)


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


GOOD_HEADER = "first_name,last_name,email,date_of_birth,stage"


def parse(content: bytes, filename="mentees.csv"):
    return imports.parse_mentee_file(filename=filename, content=content, today=TODAY)


def messages_for(parsed, column=None):
    return [p.message for p in parsed.problems if column is None or p.column == column]


def test_a_clean_file_has_no_problems_and_reads_uk_dates():
    parsed = parse(csv_bytes(GOOD_HEADER, "Amir,Khan,amir@example.org,03/04/2011,secondary"))
    assert parsed.problems == []
    assert parsed.rows[0]["date_of_birth"] == "2011-04-03"
    assert parsed.rows[0]["row"] == 2


def test_missing_date_of_birth_is_reported_on_its_row():
    parsed = parse(csv_bytes(GOOD_HEADER, "Amir,Khan,amir@example.org,,"))
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "date_of_birth")]


def test_unreadable_date_and_out_of_range_age_are_reported():
    parsed = parse(csv_bytes(GOOD_HEADER, "A,B,a@example.org,31/02/2011,", "C,D,c@example.org,01/01/1980,"))
    messages = messages_for(parsed, "date_of_birth")
    assert "31/02/2011 is not a date: check the day and the month." in messages
    assert any("outside" in m for m in messages)


def test_a_date_in_an_unknown_format_says_how_to_write_it():
    parsed = parse(csv_bytes(GOOD_HEADER, "A,B,a@example.org,March 2011,"))
    assert messages_for(parsed, "date_of_birth") == [
        "'March 2011' is not a date we can read. Write the date of birth as DD/MM/YYYY (or YYYY-MM-DD)."
    ]


def test_the_coordinator_downloads_a_template_the_import_accepts(world, client_for):
    page = client_for(world.coordinator_a).get(reverse("recruitment:import_list")).text
    assert reverse("recruitment:import_template") in page
    response = client_for(world.coordinator_a).get(reverse("recruitment:import_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    parsed = parse(response.content)
    assert parsed.problems == [] and len(parsed.rows) == 1


def test_bad_email_is_reported():
    parsed = parse(csv_bytes(GOOD_HEADER, "Amir,Khan,not-an-email,03/04/2011,"))
    assert "not a valid email" in messages_for(parsed, "email")[0]


def test_duplicate_email_in_the_file_points_at_the_first_row():
    parsed = parse(
        csv_bytes(
            GOOD_HEADER, "Amir,Khan,amir@example.org,03/04/2011,", "Amy,Khan,AMIR@example.org,03/04/2011,"
        )
    )
    assert messages_for(parsed, "email") == ["Duplicate: the same email is on row 2."]


def test_unknown_and_missing_columns_reject_the_file():
    parsed = parse(
        csv_bytes("first_name,surname,email,date_of_birth", "Amir,Khan,amir@example.org,03/04/2011")
    )
    columns = {p.column for p in parsed.problems}
    assert {"surname", "last_name"} <= columns
    assert all(p.row is None for p in parsed.problems)


def test_wrong_encoding_is_explained():
    content = csv_bytes(GOOD_HEADER).decode().encode() + "Zoë,Brontë,zoe@example.org,03/04/2011,\n".encode(
        "latin-1"
    )
    parsed = parse(content)
    assert "UTF-8" in parsed.problems[0].message


def test_formula_cells_are_refused_and_not_kept():
    parsed = parse(csv_bytes(GOOD_HEADER, '=HYPERLINK("http://evil"),Khan,amir@example.org,03/04/2011,'))
    assert messages_for(parsed, "first_name")[0].startswith("Starts with a formula character")
    assert parsed.rows[0]["first_name"] == ""


def test_files_that_are_too_large_or_too_long_are_refused(settings):
    assert "larger than" in parse(b"x" * (imports.MAX_FILE_BYTES + 1)).problems[0].message
    many = [GOOD_HEADER] + [f"A,B,p{n}@example.org,03/04/2011," for n in range(imports.MAX_ROWS + 1)]
    assert "more than" in parse(csv_bytes(*many)).problems[0].message


def test_other_file_types_and_corrupt_workbooks_are_refused():
    assert "csv or .xlsx" in parse(b"hello", filename="mentees.txt").problems[0].message
    assert "Excel" in parse(b"not a zip", filename="mentees.xlsx").problems[0].message


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_rows_are_read_with_real_dates_and_formula_strings_refused():
    content = xlsx_bytes(
        [
            ["First name", "Last name", "Email", "Date of birth"],
            ["Amir", "Khan", "amir@example.org", datetime.datetime(2011, 4, 3)],  # noqa: DTZ001
            ["Bea", "@SUM(A1)", "bea@example.org", "04/05/2011"],
        ]
    )
    parsed = parse(content, filename="mentees.xlsx")
    assert parsed.rows[0]["date_of_birth"] == "2011-04-03"
    assert [(p.row, p.column) for p in parsed.problems] == [(3, "last_name")]


# The service: preview, commit, re-import ---------------------------------------------------------


def _file(*rows: str) -> bytes:
    return csv_bytes(GOOD_HEADER, *rows)


def _dob(age: int) -> str:
    today = timezone.localdate()
    return (today - datetime.timedelta(days=age * 365 + 40)).strftime("%d/%m/%Y")


def _preview(world, content, actor=None):
    return services.mentee_import_preview(
        actor=actor or world.coordinator_a,
        youth_partner=world.partner_a,
        cohort=world.cohort_a,
        filename="year10.csv",
        content=content,
    )


def test_a_file_with_problems_writes_no_people_and_cannot_be_committed(world):
    before = User.objects.count()
    mentee_import = _preview(world, _file(f"Amir,Khan,amir@example.org,{_dob(14)},", "Bea,Lee,,,"))
    assert mentee_import.status == MenteeImport.Status.INVALID
    assert mentee_import.rows == []
    with pytest.raises(ApplicationError):
        services.mentee_import_commit(actor=world.coordinator_a, mentee_import=mentee_import)
    assert User.objects.count() == before


def test_an_email_belonging_to_someone_at_another_partner_is_a_problem(world):
    mentee_import = _preview(world, _file(f"Bea,Mentee,bea.mentee@example.org,{_dob(16)},"))
    assert mentee_import.problems[0]["message"].startswith("This email already belongs")


def test_commit_creates_mentees_with_draft_applications_and_emails_invitations(
    world, django_capture_on_commit_callbacks
):
    mentee_import = _preview(
        world,
        _file(f"Amir,Khan,amir@example.org,{_dob(14)},", f"Cara,Lee,cara@example.org,{_dob(15)},college"),
    )
    assert mentee_import.status == MenteeImport.Status.PREVIEWED
    with django_capture_on_commit_callbacks(execute=True):
        services.mentee_import_commit(actor=world.coordinator_a, mentee_import=mentee_import)
    mentee_import.refresh_from_db()
    assert (mentee_import.created_count, mentee_import.skipped_count) == (2, 0)
    assert mentee_import.rows == []
    amir = User.objects.get(email="amir@example.org")
    assert not amir.has_usable_password()
    assert amir.mentee_profile.youth_partner == world.partner_a
    assert MenteeProfile.objects.get(user__email="cara@example.org").stage == "college"
    assert Application.objects.get(user=amir).status == Application.Status.DRAFT
    assert sorted(message.to[0] for message in mail.outbox) == ["amir@example.org", "cara@example.org"]
    assert "/invitations/" in mail.outbox[0].body


def test_reimporting_the_same_file_does_not_duplicate_anyone(world, django_capture_on_commit_callbacks):
    content = _file(f"Amir,Khan,amir@example.org,{_dob(14)},")
    services.mentee_import_commit(actor=world.coordinator_a, mentee_import=_preview(world, content))
    again = _preview(world, content)
    assert again.status == MenteeImport.Status.PREVIEWED
    services.mentee_import_commit(actor=world.coordinator_a, mentee_import=again)
    again.refresh_from_db()
    assert (again.created_count, again.skipped_count) == (0, 1)
    assert User.objects.filter(email="amir@example.org").count() == 1
    assert Invitation.objects.filter(user__email="amir@example.org").count() == 1


def test_a_checked_file_is_committed_only_once(world):
    mentee_import = _preview(world, _file(f"Amir,Khan,amir@example.org,{_dob(14)},"))
    services.mentee_import_commit(actor=world.coordinator_a, mentee_import=mentee_import)
    with pytest.raises(ApplicationError):
        services.mentee_import_commit(actor=world.coordinator_a, mentee_import=mentee_import)


def test_a_cohort_of_another_partner_is_refused(world):
    with pytest.raises(ApplicationError):
        services.mentee_import_preview(
            actor=world.staff,
            youth_partner=world.partner_a,
            cohort=world.cohort_b,
            filename="x.csv",
            content=b"",
        )


def test_coordinator_cannot_upload_for_another_partner(world, client):
    client.force_login(world.coordinator_b)
    upload = io.BytesIO(_file(f"Amir,Khan,amir@example.org,{_dob(14)},"))
    upload.name = "mentees.csv"
    response = client.post(
        reverse("recruitment:import_list"), {"youth_partner": world.partner_a.pk, "file": upload}
    )
    assert response.status_code == 200  # the partner is not a choice for them
    assert "youth_partner" in response.context["form"].errors
    assert not MenteeImport.objects.exists()


# Invitations ------------------------------------------------------------------------------------


def _invite(world):
    mentee_import = _preview(world, _file(f"Amir,Khan,amir@example.org,{_dob(14)},"))
    services.mentee_import_commit(actor=world.coordinator_a, mentee_import=mentee_import)
    user = User.objects.get(email="amir@example.org")
    invitation = Invitation.objects.get(user=user)
    raw = invitation.issue_token(valid_for=datetime.timedelta(days=1))
    invitation.save()
    return user, invitation, raw


def test_claiming_an_invitation_sets_the_password_and_verifies_the_email(world):
    user, invitation, raw = _invite(world)
    services.invitation_claim(token=raw, password="a long enough passphrase")
    user.refresh_from_db()
    assert user.check_password("a long enough passphrase")
    assert EmailAddress.objects.get(user=user).verified is True
    with pytest.raises(ApplicationError):
        services.invitation_claim(token=raw, password="another long passphrase")


def test_an_expired_or_unknown_invitation_does_not_work(world):
    user, invitation, raw = _invite(world)
    invitation.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    invitation.save()
    assert services.invitation_for_token(raw) is None
    assert services.invitation_for_token("guess") is None
    with pytest.raises(ApplicationError):
        services.invitation_claim(token=raw, password="a long enough passphrase")


def test_only_a_hash_of_the_invitation_secret_is_stored(world):
    _user, invitation, raw = _invite(world)
    invitation.refresh_from_db()
    assert raw not in invitation.token_hash
    assert len(raw) >= 40


def test_a_weak_password_is_refused_and_the_link_still_works(world):
    _user, _invitation, raw = _invite(world)
    with pytest.raises(Exception, match="too short|too common"):
        services.invitation_claim(token=raw, password="password")
    assert services.invitation_for_token(raw) is not None


def test_resending_an_invitation_replaces_the_old_link(world, django_capture_on_commit_callbacks):
    user, _invitation, old = _invite(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=world.coordinator_a, user=user)
    assert services.invitation_for_token(old) is None
    assert "/invitations/" in mail.outbox[-1].body
    services.invitation_claim(
        token=re.search(r"/invitations/([^/\s]+)/", mail.outbox[-1].body).group(1),
        password="a long enough passphrase",
    )
    user.refresh_from_db()
    with pytest.raises(ApplicationError, match="already set up"):
        services.invitation_resend(actor=world.coordinator_a, user=user)


def test_an_invitation_email_is_sent_once_even_if_the_task_runs_again(
    world, django_capture_on_commit_callbacks
):
    from recruitment import tasks

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(actor=world.staff, user=world.mentee_b)
    assert len(mail.outbox) == 1
    assert tasks.send_invitation(invitation.pk) is False
    assert len(mail.outbox) == 1
    token = re.search(r"/invitations/([^/\s]+)/", mail.outbox[0].body).group(1)
    assert services.invitation_for_token(token) == invitation


def test_a_failed_send_releases_the_invitation_for_a_retry(world, monkeypatch):
    from recruitment import emails, tasks

    invitation = services.invitation_send(actor=world.staff, user=world.mentee_b)  # on_commit not run here

    def broken(**kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(services, "send_now", broken)
    with pytest.raises(OSError):
        services.link_email_deliver(kind="invitation", link_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.sent_at is None
    monkeypatch.setattr(services, "send_now", emails.send_now)
    assert tasks.send_invitation(invitation.pk) is True
    assert len(mail.outbox) == 1


def test_a_link_email_lost_with_the_broker_is_sent_once_by_the_resume(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Invitations made while the broker was down are sent by the periodic resume once
    WORK_REQUEUE_AFTER has passed, once each, with a link that works; a used or expired link is not
    sent, and a link whose send fails is tried again by the next run without holding up the others."""
    from kombu.exceptions import OperationalError

    from accounts.tests.factories import UserFactory
    from recruitment import emails, tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_invitation, "delay", broker_down)
    people = [world.mentee_b, UserFactory(email="second@example.org"), UserFactory(email="used@example.org")]
    people.append(UserFactory(email="expired@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        invitations = [services.invitation_send(actor=world.staff, user=user) for user in people]
    Invitation.objects.filter(pk=invitations[2].pk).update(used_at=timezone.now())
    Invitation.objects.filter(pk=invitations[3].pk).update(expires_at=timezone.now())
    monkeypatch.undo()
    assert mail.outbox == []
    assert services.link_emails_resume() == 0  # too soon: its own task may still be on its way

    settings.WORK_REQUEUE_AFTER = 0
    sent_to = []

    def first_fails(**kwargs):
        sent_to.append(kwargs["to"])
        if len(sent_to) == 1:
            raise OSError("mail server down")
        emails.send_now(**kwargs)

    monkeypatch.setattr(services, "send_now", first_fails)
    assert services.link_emails_resume() == 1
    assert [message.to for message in mail.outbox] == [["second@example.org"]]
    assert tasks.link_emails_resume() == 1
    assert tasks.link_emails_resume() == 0
    assert sorted(message.to[0] for message in mail.outbox) == [world.mentee_b.email, "second@example.org"]
    for message in mail.outbox:
        token = re.search(r"/invitations/([^/\s]+)/", message.body).group(1)
        assert services.invitation_for_token(token).user.email == message.to[0]


def test_a_link_email_whose_sender_dies_while_sending_is_sent_by_the_resume(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """A worker killed after taking a link and before the mail server has its email (here: an
    exception that no handler catches, as a killed process runs none) leaves the link unsent, so the
    periodic resume sends it, with a link that works."""
    from recruitment import emails, tasks

    class Killed(BaseException):
        pass

    def killed(**kwargs):
        raise Killed

    monkeypatch.setattr(services, "send_now", killed)
    with pytest.raises(Killed), django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(actor=world.staff, user=world.mentee_b)
    invitation = Invitation.objects.get(user=world.mentee_b)
    assert invitation.sent_at is None and mail.outbox == []

    monkeypatch.setattr(services, "send_now", emails.send_now)
    settings.WORK_REQUEUE_AFTER = 0
    assert tasks.link_emails_resume() == 1
    assert tasks.link_emails_resume() == 0
    [message] = mail.outbox
    token = re.search(r"/invitations/([^/\s]+)/", message.body).group(1)
    assert services.invitation_for_token(token).user == world.mentee_b
