import datetime
import re

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import ApplicationFactory
from core.errors import ApplicationError
from recruitment import selectors, services
from recruitment.models import CONSENT_TEXT_VERSION, ConsentRecord, ConsentRequest, Reference


def _link_token(body: str, prefix: str) -> str:
    return re.search(rf"/{prefix}/([^/\s]+)/", body).group(1)


def _request_consent(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_request(
            actor=world.coordinator_a,
            mentee=world.mentee_under_16,
            parent_name="Pat Parent",
            parent_email="pat.parent@example.org",
        )
    return _link_token(mail.outbox[-1].body, "consent")


def test_consent_is_asked_only_for_under_16s(world):
    with pytest.raises(ApplicationError, match="under 16"):
        services.consent_request(
            actor=world.staff, mentee=world.mentee_over_18, parent_name="P", parent_email="p@example.org"
        )


def test_under_16_cannot_be_matched_until_consent_is_given(world, django_capture_on_commit_callbacks):
    assert selectors.consent_status(world.mentee_under_16) == selectors.ConsentStatus.MISSING
    assert selectors.can_be_matched(world.mentee_under_16) is False
    token = _request_consent(world, django_capture_on_commit_callbacks)
    assert selectors.consent_status(world.mentee_under_16) == selectors.ConsentStatus.REQUESTED
    assert selectors.can_be_matched(world.mentee_under_16) is False
    record = services.consent_give(token=token, given_by_name="Pat Parent", relationship="Mother")
    assert selectors.consent_status(world.mentee_under_16) == selectors.ConsentStatus.GIVEN
    assert selectors.can_be_matched(world.mentee_under_16) is True
    assert record.text_version == CONSENT_TEXT_VERSION
    assert world.mentee_under_16.get_full_name() in record.text
    assert record.given_by_email == "pat.parent@example.org"


def test_over_16s_need_no_consent(world):
    assert selectors.consent_status(world.mentee_over_18) == selectors.ConsentStatus.NOT_NEEDED
    assert selectors.can_be_matched(world.mentee_over_18) is True
    assert selectors.can_be_matched(world.staff) is False  # not a mentee at all


def test_consent_link_works_once(world, django_capture_on_commit_callbacks):
    token = _request_consent(world, django_capture_on_commit_callbacks)
    services.consent_give(token=token, given_by_name="Pat Parent", relationship="Mother")
    with pytest.raises(ApplicationError):
        services.consent_give(token=token, given_by_name="Pat Parent", relationship="Mother")
    assert ConsentRecord.objects.count() == 1


def test_a_tampered_or_expired_consent_link_does_not_work(world, django_capture_on_commit_callbacks):
    token = _request_consent(world, django_capture_on_commit_callbacks)
    raw, _sep, signature = token.rpartition(":")
    assert services.consent_request_for_token(raw + ":" + "x" * len(signature)) is None
    assert services.consent_request_for_token(signing.TimestampSigner(salt="other").sign("abc")) is None
    ConsentRequest.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert services.consent_request_for_token(token) is None


def test_withdrawing_consent_stops_matching_and_keeps_the_record(world, django_capture_on_commit_callbacks):
    token = _request_consent(world, django_capture_on_commit_callbacks)
    record = services.consent_give(token=token, given_by_name="Pat Parent", relationship="Mother")
    services.consent_withdraw(actor=world.coordinator_a, record=record, reason="Parent phoned the school")
    assert selectors.consent_status(world.mentee_under_16) == selectors.ConsentStatus.WITHDRAWN
    assert selectors.can_be_matched(world.mentee_under_16) is False
    record.refresh_from_db()
    assert record.withdrawn_by == world.coordinator_a
    with pytest.raises(ApplicationError):
        services.consent_withdraw(actor=world.staff, record=record)


def test_parent_gives_consent_through_the_page(world, client, django_capture_on_commit_callbacks):
    token = _request_consent(world, django_capture_on_commit_callbacks)
    url = reverse("recruitment:consent_give", kwargs={"token": token})
    page = client.get(url)
    assert "Statement version" in page.content.decode()
    refused = client.post(url, {"given_by_name": "Pat Parent", "relationship": "Mother"})
    assert "agree" in refused.context["form"].errors
    assert not ConsentRecord.objects.exists()
    client.post(url, {"given_by_name": "Pat Parent", "relationship": "Mother", "agree": "on"})
    assert ConsentRecord.objects.get().given_by_relationship == "Mother"
    assert client.get(url).status_code == 404


# References -------------------------------------------------------------------------------------


@pytest.fixture
def mentor_application(world):
    return ApplicationFactory(programme=world.programme, role=Role.MENTOR, status="submitted")


def _request_reference(world, application, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.reference_request(
            actor=world.staff, application=application, referee_name="Rita Referee", referee_email=email
        )
    return _link_token(mail.outbox[-1].body, "references")


def test_reference_link_is_single_use_and_moves_the_application_to_screening(
    world, mentor_application, django_capture_on_commit_callbacks
):
    token = _request_reference(
        world, mentor_application, "rita@example.org", django_capture_on_commit_callbacks
    )
    mentor_application.refresh_from_db()
    assert mentor_application.status == "screening"
    reference = services.reference_submit(token=token, satisfactory=True, response="Reliable and kind.")
    assert reference.satisfactory is True and reference.received_at
    with pytest.raises(ApplicationError):
        services.reference_submit(token=token, satisfactory=False, response="Changed my mind.")
    reference.refresh_from_db()
    assert reference.satisfactory is True


def test_expired_and_guessed_reference_links_do_not_work(
    world, mentor_application, django_capture_on_commit_callbacks
):
    token = _request_reference(
        world, mentor_application, "rita@example.org", django_capture_on_commit_callbacks
    )
    assert services.reference_for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    Reference.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert services.reference_for_token(token) is None


def test_at_most_two_live_reference_requests(world, mentor_application, django_capture_on_commit_callbacks):
    _request_reference(world, mentor_application, "one@example.org", django_capture_on_commit_callbacks)
    _request_reference(world, mentor_application, "two@example.org", django_capture_on_commit_callbacks)
    with pytest.raises(ApplicationError, match="Two references"):
        _request_reference(world, mentor_application, "three@example.org", django_capture_on_commit_callbacks)


def test_an_applicant_cannot_be_their_own_referee(world, mentor_application):
    with pytest.raises(ApplicationError):
        services.reference_request(
            actor=world.staff,
            application=mentor_application,
            referee_name="Me",
            referee_email=mentor_application.user.email,
        )


def test_consent_cannot_be_asked_of_the_young_persons_own_email(world):
    with pytest.raises(ApplicationError) as caught:
        services.consent_request(
            actor=world.staff,
            mentee=world.mentee_under_16,
            parent_name="P",
            parent_email=world.mentee_under_16.email,
        )
    assert caught.value.field == "parent_email"


def test_consent_is_not_asked_again_while_current_consent_is_recorded(
    world, django_capture_on_commit_callbacks
):
    token = _request_consent(world, django_capture_on_commit_callbacks)
    services.consent_give(token=token, given_by_name="Pat Parent", relationship="Mother")
    with pytest.raises(ApplicationError, match="already recorded"):
        services.consent_request(
            actor=world.staff, mentee=world.mentee_under_16, parent_name="P", parent_email="p@example.org"
        )


def test_a_new_consent_request_cancels_the_earlier_link(world, django_capture_on_commit_callbacks):
    first = _request_consent(world, django_capture_on_commit_callbacks)
    second = _request_consent(world, django_capture_on_commit_callbacks)
    assert services.consent_request_for_token(first) is None
    assert services.consent_request_for_token(second) is not None
