import io

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.utils import timezone
from pypdf import PdfReader

from core.errors import ApplicationError
from training import services
from training.models import Certificate
from training.tasks import certificate_render


@pytest.fixture
def certificate(world):
    return Certificate.objects.create(
        user=world.mentor,
        programme=world.programme,
        holder_name="Mo Mentor",
        title="Mentor training: Future Paths Mentoring",
        completed_on=timezone.localdate(),
    )


def pdf_text(path):
    with default_storage.open(path, "rb") as handle:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


@pytest.mark.django_db
def test_rendering_stores_a_pdf_with_name_and_code_and_emails_a_plain_text_link(
    certificate, mailoutbox, committing
):
    with committing():
        certificate_render(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED
    text = pdf_text(certificate.pdf_path)
    assert "Mo Mentor" in text
    assert certificate.code in text.replace("\n", "")
    assert len(mailoutbox) == 1
    assert f"/training/certificates/{certificate.pk}/" in mailoutbox[0].body
    assert mailoutbox[0].alternatives == []


@pytest.mark.django_db
def test_running_the_task_twice_keeps_one_certificate_and_one_email(certificate, mailoutbox, committing):
    with committing():
        certificate_render(certificate.pk)
    first = Certificate.objects.get(pk=certificate.pk)
    with committing():
        certificate_render(certificate.pk)
    with committing():
        certificate_render(certificate.pk, regenerate=True)
    again = Certificate.objects.get(pk=certificate.pk)
    assert Certificate.objects.count() == 1
    assert again.code == first.code and again.issued_at == first.issued_at
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_certificate_for_the_same_programme(certificate):
    with pytest.raises(IntegrityError):
        Certificate.objects.create(
            user=certificate.user,
            programme=certificate.programme,
            holder_name="x",
            title="x",
            completed_on=timezone.localdate(),
        )


@pytest.mark.django_db
def test_verification_codes_are_long_and_unguessable(world, certificate):
    other = Certificate.objects.create(
        user=world.other_mentor, holder_name="Olu", title="t", completed_on=timezone.localdate()
    )
    assert len(certificate.code) >= 16 and certificate.code != other.code


@pytest.mark.django_db
def test_verify_page_says_valid_revoked_or_unknown_without_personal_data(
    world, certificate, client, committing
):
    with committing():
        certificate_render(certificate.pk)
    valid = client.get(f"/training/verify/{certificate.code}/")
    assert valid.status_code == 200
    assert "Valid." in valid.content.decode()
    assert "Mo Mentor" not in valid.content.decode()
    assert world.mentor.email not in valid.content.decode()

    services.certificate_revoke(actor=world.staff, certificate=certificate, reason="Conduct below standard")
    revoked = client.get(f"/training/verify/{certificate.code}/")
    assert "Revoked." in revoked.content.decode()
    assert "Conduct below standard" not in revoked.content.decode()

    unknown = client.get("/training/verify/not-a-code/")
    assert unknown.status_code == 404
    assert "No certificate has this code" in unknown.content.decode()


@pytest.mark.django_db
def test_verify_form_takes_a_typed_code(certificate, client, committing):
    with committing():
        certificate_render(certificate.pk)
    response = client.get("/training/verify/", {"code": f"  {certificate.code} "}, follow=True)
    assert "Valid." in response.content.decode()


@pytest.mark.django_db
def test_revoked_certificates_are_not_regenerated_or_downloadable(world, certificate, client, committing):
    with committing():
        certificate_render(certificate.pk)
    services.certificate_revoke(actor=world.staff, certificate=certificate, reason="Left the programme")
    with pytest.raises(ApplicationError):
        services.certificate_regenerate(actor=world.staff, certificate=certificate)
    with pytest.raises(ApplicationError):
        services.certificate_revoke(actor=world.staff, certificate=certificate, reason="again")
    client.force_login(world.mentor)
    response = client.get(f"/training/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 302


@pytest.mark.django_db
def test_staff_revoke_through_the_page_needs_a_reason(world, certificate, client, committing):
    with committing():
        certificate_render(certificate.pk)
    client.force_login(world.staff)
    client.post(f"/training/certificates/{certificate.pk}/revoke/", {"reason": ""})
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED
    client.post(f"/training/certificates/{certificate.pk}/revoke/", {"reason": "Issued in error"})
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED


@pytest.mark.django_db
def test_holder_downloads_their_pdf(world, certificate, client, committing):
    with committing():
        certificate_render(certificate.pk)
    client.force_login(world.mentor)
    response = client.get(f"/training/certificates/{certificate.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Emails are recorded with the change and sent once it commits: run what waits for the commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
