import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import MentorProfile, Role
from accounts.tests.factories import (
    ApplicationFactory,
    ApplicationWindowFactory,
    DeclineGroundFactory,
    MenteeApplicationFactory,
    UserFactory,
)
from core.errors import ApplicationError
from core.models import AuditEvent
from core.signals import application_submitted
from mentoring.tests.factories import ProgrammeFactory
from recruitment import selectors, services
from recruitment.models import Application, ScreeningCheck


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append((sender, kwargs))

    application_submitted.connect(receiver)
    yield calls
    application_submitted.disconnect(receiver)


@pytest.fixture
def mentor_draft(world):
    window = ApplicationWindowFactory(programme=world.programme, role=Role.MENTOR)
    applicant = UserFactory(email="new.mentor@example.org", first_name="Nia")
    return ApplicationFactory(user=applicant, programme=world.programme, window=window)


def _submit(application, **kwargs):
    return services.application_submit(
        actor=application.user,
        application=application,
        accepted_code_of_conduct=kwargs.get("conduct", True),
        accepted_safeguarding_policy=kwargs.get("safeguarding", True),
    )


def test_submitting_sends_application_submitted_exactly_once(
    mentor_draft, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(mentor_draft)
    with pytest.raises(ApplicationError):
        _submit(mentor_draft)
    assert len(received) == 1
    sender, kwargs = received[0]
    assert sender is Application
    assert kwargs["application"] == mentor_draft
    assert kwargs["user"] == mentor_draft.user
    assert kwargs["programme"] == mentor_draft.programme
    assert kwargs["role"] == Role.MENTOR


def test_submission_emails_a_plain_text_receipt_and_starts_screening(
    mentor_draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(mentor_draft)
    mentor_draft.refresh_from_db()
    assert mentor_draft.status == Application.Status.SUBMITTED
    assert mentor_draft.screening.code_of_conduct_accepted_at is not None
    # The receipt, plus the invitation to the pre-evaluation survey that applying starts.
    receipts = [message for message in mail.outbox if "received your application" in message.subject]
    assert len(receipts) == 1
    assert "background check" in receipts[0].body
    assert AuditEvent.objects.filter(action="application.submit").count() == 1


def test_saving_a_draft_sends_nothing(world, received):
    ApplicationWindowFactory(programme=world.programme, role=Role.MENTOR)
    application = Application(user=UserFactory(), programme=world.programme, role=Role.MENTOR)
    services.application_save_draft(actor=application.user, application=application)
    assert application.status == Application.Status.DRAFT
    assert received == []
    assert mail.outbox == []


def test_incomplete_mentor_application_is_refused_field_by_field(mentor_draft, received):
    mentor_draft.bio = ""
    mentor_draft.support_areas = []
    mentor_draft.save()
    with pytest.raises(ValidationError) as caught:
        _submit(mentor_draft, conduct=False)
    assert set(caught.value.message_dict) >= {"bio", "support_areas", "accept_code_of_conduct"}
    mentor_draft.refresh_from_db()
    assert mentor_draft.status == Application.Status.DRAFT
    assert received == []


def test_mentor_must_accept_the_safeguarding_policy(mentor_draft):
    with pytest.raises(ValidationError) as caught:
        _submit(mentor_draft, safeguarding=False)
    assert "accept_safeguarding_policy" in caught.value.message_dict


def test_cannot_start_an_application_when_no_window_is_open(world):
    ApplicationWindowFactory(
        programme=world.programme,
        role=Role.MENTOR,
        opens_on=timezone.localdate() - datetime.timedelta(days=60),
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    application = Application(user=UserFactory(), programme=world.programme, role=Role.MENTOR)
    with pytest.raises(ApplicationError, match="closed"):
        services.application_save_draft(actor=application.user, application=application)


def test_submission_after_the_window_closes_is_refused(mentor_draft):
    mentor_draft.window.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    mentor_draft.window.opens_on = timezone.localdate() - datetime.timedelta(days=30)
    mentor_draft.window.save()
    with pytest.raises(ApplicationError, match="closed"):
        _submit(mentor_draft)


def test_self_referred_mentee_outside_the_age_range_is_refused(world):
    window = ApplicationWindowFactory(programme=world.programme, role=Role.MENTEE)
    application = MenteeApplicationFactory(
        window=window,
        user=UserFactory(),
        programme=world.programme,
        youth_partner=world.partner_a,
        date_of_birth=timezone.localdate().replace(year=timezone.localdate().year - 40),
    )
    with pytest.raises(ValidationError) as caught:
        _submit(application)
    assert "date_of_birth" in caught.value.message_dict


def test_self_referred_mentee_gets_a_profile_and_role_on_submission(world, received):
    window = ApplicationWindowFactory(programme=world.programme, role=Role.MENTEE)
    born = timezone.localdate().replace(year=timezone.localdate().year - 15) - datetime.timedelta(days=10)
    application = MenteeApplicationFactory(
        user=UserFactory(),
        window=window,
        programme=world.programme,
        youth_partner=world.partner_a,
        date_of_birth=born,
    )
    _submit(application)
    application.user.refresh_from_db()
    assert application.user.mentee_profile.youth_partner == world.partner_a
    assert application.user.role_assignments.filter(role=Role.MENTEE).exists()
    assert len(received) == 1


def _submitted_mentor(world):
    window = ApplicationWindowFactory(programme=world.programme, role=Role.MENTOR)
    application = ApplicationFactory(
        user=UserFactory(first_name="Rae"), programme=world.programme, window=window
    )
    _submit(application)
    application.refresh_from_db()
    return application


def _complete_screening(application):
    screening = application.screening
    screening.identity_status = ScreeningCheck.CheckStatus.CLEAR
    screening.background_check_status = ScreeningCheck.CheckStatus.CLEAR
    screening.background_check_level = ScreeningCheck.CheckLevel.ENHANCED_BARRED
    screening.certificate_issued_on = timezone.localdate() - datetime.timedelta(days=30)
    screening.interview_status = ScreeningCheck.CheckStatus.CLEAR
    services.screening_update(actor=None, screening=screening, certificate_reference="0012 3456 7890")
    for name in ("Ref One", "Ref Two"):
        application.references.create(
            referee_name=name,
            referee_email=f"{name.replace(' ', '.').lower()}@example.org",
            token_hash=name,
            expires_at=timezone.now(),
            received_at=timezone.now(),
            satisfactory=True,
        )


def test_mentor_cannot_be_approved_until_screening_is_complete(world):
    application = _submitted_mentor(world)
    with pytest.raises(ApplicationError, match="Two satisfactory references"):
        services.application_decide(actor=world.staff, application=application, decision="approve")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_approving_a_screened_mentor_creates_their_profile_and_role(
    world, django_capture_on_commit_callbacks
):
    application = _submitted_mentor(world)
    _complete_screening(application)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(actor=world.staff, application=application, decision="approve")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    profile = MentorProfile.objects.get(user=application.user)
    assert profile.bio == application.bio
    assert application.user.role_assignments.filter(role=Role.MENTOR).exists()
    assert "approved" in mail.outbox[-1].subject


def test_certificate_number_is_stored_as_its_last_four_characters_only(world):
    application = _submitted_mentor(world)
    _complete_screening(application)
    screening = ScreeningCheck.objects.get(pk=application.screening.pk)
    assert screening.certificate_last4 == "7890"
    assert not ScreeningCheck.objects.filter(certificate_last4__contains="0012").exists()
    assert screening.certificate_masked.endswith("7890")


def test_decline_needs_one_of_the_programmes_grounds(world):
    application = _submitted_mentor(world)
    other_ground = DeclineGroundFactory(programme=ProgrammeFactory(name="Another programme"))
    with pytest.raises(ApplicationError, match="reasons"):
        services.application_decide(actor=world.staff, application=application, decision="decline")
    with pytest.raises(ApplicationError, match="reasons"):
        services.application_decide(
            actor=world.staff, application=application, decision="decline", ground=other_ground
        )


def test_declined_applicant_sees_tailored_feedback(world, client, django_capture_on_commit_callbacks):
    application = _submitted_mentor(world)
    ground = DeclineGroundFactory(programme=world.programme)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            actor=world.staff,
            application=application,
            decision="decline",
            ground=ground,
            note="Do apply again in the spring intake.",
        )
    client.force_login(application.user)
    page = client.get(reverse("recruitment:my_applications")).content.decode()
    assert "an hour every month for a year" in page
    assert "spring intake" in page
    assert "spring intake" in mail.outbox[-1].body


def test_hold_and_screen_are_recorded_and_a_decided_application_cannot_be_decided_again(world):
    application = _submitted_mentor(world)
    services.application_decide(actor=world.staff, application=application, decision="screen")
    services.application_decide(
        actor=world.staff, application=application, decision="hold", note="Back in May."
    )
    application.refresh_from_db()
    assert application.status == Application.Status.ON_HOLD
    ground = DeclineGroundFactory(programme=world.programme)
    services.application_decide(actor=world.staff, application=application, decision="decline", ground=ground)
    with pytest.raises(ApplicationError):
        services.application_decide(actor=world.staff, application=application, decision="hold")


def test_mentor_screening_status_and_enhanced_check_selectors(world):
    application = _submitted_mentor(world)
    status = selectors.mentor_screening_status(application.user)
    assert status.status == Application.Status.SUBMITTED
    assert status.complete is False
    assert selectors.has_valid_enhanced_check(application.user) is False
    _complete_screening(application)
    assert selectors.mentor_screening_status(application.user).complete is True
    assert selectors.has_valid_enhanced_check(application.user) is True
    # Without the update service the certificate runs out after three years.
    far_future = timezone.localdate() + datetime.timedelta(days=4 * 365)
    assert selectors.has_valid_enhanced_check(application.user, on=far_future) is False
    screening = application.screening
    screening.update_service = True
    screening.save()
    assert selectors.has_valid_enhanced_check(application.user, on=far_future) is True


def test_basic_check_is_not_an_enhanced_check(world):
    application = _submitted_mentor(world)
    screening = application.screening
    screening.background_check_status = ScreeningCheck.CheckStatus.CLEAR
    screening.background_check_level = ScreeningCheck.CheckLevel.BASIC
    screening.update_service = True
    screening.save()
    assert selectors.has_valid_enhanced_check(application.user) is False


def test_mentor_screening_status_is_none_for_someone_who_never_applied(world):
    assert selectors.mentor_screening_status(world.funder) is None


def test_declared_conflicts_of_interest_are_exposed_for_matching(world):
    application = ApplicationFactory(user=UserFactory(), programme=world.programme)
    application.conflict_partners.set([world.partner_a])
    assert selectors.mentor_conflict_partner_ids(application.user) == frozenset({world.partner_a.pk})
    assert selectors.mentor_conflict_partner_ids(world.funder) == frozenset()


def test_a_receipt_made_while_the_broker_is_down_is_kept_and_sent_by_the_outbox_flush(
    mentor_draft, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The receipt is recorded with the submission; its task cannot be queued (Redis restarting), the
    applicant still sees their application submitted, and the periodic flush sends the receipt once."""
    from kombu.exceptions import OperationalError

    from core.email import outgoing_email_flush
    from core.models import OutgoingEmail
    from core.tasks import send_outgoing_email

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_outgoing_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        _submit(mentor_draft)
    mentor_draft.refresh_from_db()
    assert mentor_draft.status == Application.Status.SUBMITTED
    assert not [message for message in mail.outbox if "received your application" in message.subject]
    pending = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING)
    assert any("received your application" in row.message["subject"] for row in pending)

    monkeypatch.undo()
    settings.WORK_REQUEUE_AFTER = 0
    outgoing_email_flush()
    outgoing_email_flush()
    receipts = [message for message in mail.outbox if "received your application" in message.subject]
    assert len(receipts) == 1 and receipts[0].to == ["new.mentor@example.org"]
    assert "background check" in receipts[0].body
