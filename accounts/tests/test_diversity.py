from django.urls import reverse

from accounts import services
from accounts.models import DiversityAnswers
from core.models import AuditEvent

from .factories import DiversityAnswersFactory


def test_giving_answers_records_consent_time_and_audits_without_the_answers(world):
    answers = services.diversity_answers_give(user=world.mentor, ethnicity="asian", disability="no")
    assert answers.consented_at is not None
    event = AuditEvent.objects.get(action="diversity.give")
    assert event.actor == world.mentor
    assert "asian" not in f"{event.summary} {event.details}"


def test_withdrawing_deletes_the_row(world):
    DiversityAnswersFactory(user=world.mentor, ethnicity="black")
    services.diversity_answers_withdraw(user=world.mentor)
    assert not DiversityAnswers.objects.filter(user=world.mentor).exists()
    assert AuditEvent.objects.filter(action="diversity.withdraw", actor=world.mentor).exists()


def test_person_gives_and_withdraws_answers_through_the_page(world, client_for):
    client = client_for(world.mentee_over_18)
    page = client.get(reverse("accounts:diversity"))
    assert "never used for any decision" in page.content.decode()
    client.post(reverse("accounts:diversity"), {"ethnicity": "mixed", "disability": "yes"})
    assert DiversityAnswers.objects.get(user=world.mentee_over_18).disability == "yes"
    client.post(reverse("accounts:diversity"), {"withdraw": "1"})
    assert not DiversityAnswers.objects.filter(user=world.mentee_over_18).exists()


def test_staff_page_shows_only_their_own_answers_never_another_persons(world, client_for):
    DiversityAnswersFactory(user=world.mentor, ethnicity="black")
    page = client_for(world.staff).get(reverse("accounts:diversity"))
    assert page.context["answers"] is None
    assert 'value="black" selected' not in page.content.decode()


def test_profile_links_to_the_optional_questions(world, client_for):
    page = client_for(world.mentor).get(reverse("accounts:profile"))
    assert reverse("accounts:diversity") in page.content.decode()
