from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import ApplicationFactory
from recruitment import services
from recruitment.models import Application, ScreeningCheck

FULL_CERTIFICATE = "001234567890"


def _checked_mentor(world, mentor):
    application = ApplicationFactory(
        user=mentor,
        programme=world.programme,
        status=Application.Status.APPROVED,
        submitted_at=timezone.now(),
    )
    screening = ScreeningCheck.objects.create(
        application=application,
        background_check_status="clear",
        background_check_level="enhanced_barred",
        certificate_issued_on=timezone.localdate(),
    )
    # Recorded through the service, as staff do, so "checked by" is stamped.
    screening.barred_list_result = ScreeningCheck.BarredListResult.NOT_BARRED
    screening.check_decision = ScreeningCheck.Decision.SUITABLE
    services.screening_update(actor=world.staff, screening=screening, certificate_reference=FULL_CERTIFICATE)
    return screening


def test_confirmation_shows_checks_and_training_but_only_the_masked_certificate(world, client_for):
    _checked_mentor(world, world.mentor)
    url = reverse("recruitment:checks_confirmation", args=[world.mentor.pk])
    page = client_for(world.coordinator_a).get(url)
    content = page.content.decode()
    assert page.status_code == 200
    for expected in ("Enhanced with barred list", "Not barred", "•••• 7890", world.staff.get_full_name()):
        assert expected in content
    assert str(page.context["training"]) in content
    assert FULL_CERTIFICATE not in content
    assert "print-record" in content


def test_dsl_of_the_mentees_partner_downloads_the_pdf(world, client_for):
    _checked_mentor(world, world.mentor)
    response = client_for(world.dsl_a).get(reverse("recruitment:checks_pdf", args=[world.mentor.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_coordinator_of_another_partner_gets_404(world, client_for):
    _checked_mentor(world, world.mentor)
    url = reverse("recruitment:checks_confirmation", args=[world.mentor.pk])
    assert client_for(world.coordinator_b).get(url).status_code == 404


def test_mentor_cannot_see_their_own_confirmation_page(world, client_for):
    _checked_mentor(world, world.mentor)
    url = reverse("recruitment:checks_confirmation", args=[world.mentor.pk])
    assert client_for(world.mentor).get(url).status_code == 404


def test_mentor_without_a_screening_is_404_even_for_staff(world, client_for):
    url = reverse("recruitment:checks_confirmation", args=[world.mentor.pk])
    assert client_for(world.staff).get(url).status_code == 404
