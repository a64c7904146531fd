import pytest
from django.core import mail
from django.urls import reverse

from core.errors import ApplicationError
from core.models import AuditEvent
from mentoring.models import Relationship
from safeguarding import services
from safeguarding.models import Message


@pytest.mark.parametrize(
    "body,reason",
    [
        ("email me at mo.mentor@example.org", "email"),
        ("my number is 07700 900 555", "phone"),
        ("call +44 161 496 0000", "phone"),
        ("look at https://example.com/cv", "link"),
        ("try www.example.co.uk", "link"),
        ("add me @mo_mentor", "social"),
        ("find me on snapchat", "social"),
    ],
)
def test_contact_details_in_an_under_18_thread_are_held(world, body, reason):
    message = services.message_send(relationship=world.relationship_under_16, sender=world.mentor, body=body)
    assert message.status == Message.Status.HELD
    assert message.copied_to_coordinator


def test_ordinary_message_is_delivered_and_copied_to_the_coordinator(world):
    message = services.message_send(
        relationship=world.relationship_under_16, sender=world.mentor, body="See you on 12 March at 4pm."
    )
    assert message.status == Message.Status.DELIVERED
    assert message.copied_to_coordinator


def test_over_18_who_opted_in_may_share_contact_details(world):
    profile = world.mentee_over_18.mentee_profile
    profile.shares_contact_with_mentor = True
    profile.save()
    message = services.message_send(
        relationship=world.relationship_over_18, sender=world.mentee_over_18, body="Call me on 07700 900002"
    )
    assert message.status == Message.Status.DELIVERED
    assert not message.copied_to_coordinator


def test_over_18_who_did_not_opt_in_has_contact_details_held(world):
    message = services.message_send(
        relationship=world.relationship_over_18, sender=world.mentee_over_18, body="Call me on 07700 900002"
    )
    assert message.status == Message.Status.HELD


def test_risk_words_alert_the_dsl(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(
            relationship=world.relationship_under_16,
            sender=world.mentee_under_16,
            body="I feel scared at home, please don't tell anyone",
        )
    assert any(world.dsl_a.email in message.to for message in mail.outbox)
    alert = next(message for message in mail.outbox if world.dsl_a.email in message.to)
    assert "scared at home" not in alert.body


def test_only_the_pair_can_write_and_only_while_open(world):
    with pytest.raises(ApplicationError):
        services.message_send(relationship=world.relationship_under_16, sender=world.coordinator_a, body="Hi")
    Relationship.objects.filter(pk=world.relationship_under_16.pk).update(status="completed")
    world.relationship_under_16.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.message_send(relationship=world.relationship_under_16, sender=world.mentor, body="Hi")


def test_messages_cannot_be_deleted(world):
    message = services.message_send(relationship=world.relationship_under_16, sender=world.mentor, body="Hi")
    with pytest.raises(PermissionError):
        message.delete()
    with pytest.raises(PermissionError):
        Message.objects.all().delete()


def test_held_message_is_hidden_from_the_mentee_until_the_coordinator_releases_it(world, client_for):
    message = services.message_send(
        relationship=world.relationship_under_16, sender=world.mentor, body="Text me on 07700 900999"
    )
    url = reverse("safeguarding:thread", args=[world.relationship_under_16.pk])
    assert "07700 900999" not in client_for(world.mentee_under_16).get(url).text
    coordinator_page = client_for(world.coordinator_a).get(url)
    assert "07700 900999" in coordinator_page.text
    client_for(world.coordinator_a).post(reverse("safeguarding:message_release", args=[message.pk]))
    assert "07700 900999" in client_for(world.mentee_under_16).get(url).text
    assert AuditEvent.objects.filter(action="messaging.message_released").exists()


def test_coordinator_can_hold_a_delivered_message(world, client_for):
    message = services.message_send(
        relationship=world.relationship_under_16, sender=world.mentor, body="Hello"
    )
    client_for(world.coordinator_a).post(
        reverse("safeguarding:message_hold", args=[message.pk]), {"reason": "Checking with the school"}
    )
    message.refresh_from_db()
    assert message.status == Message.Status.HELD
    url = reverse("safeguarding:thread", args=[world.relationship_under_16.pk])
    assert "Hello" not in client_for(world.mentee_under_16).get(url).text


def test_mentee_never_sees_an_under_18s_held_contact_details_from_the_other_side(world, client_for):
    services.message_send(
        relationship=world.relationship_under_16,
        sender=world.mentee_under_16,
        body="my number is 07700 900001",
    )
    url = reverse("safeguarding:thread", args=[world.relationship_under_16.pk])
    assert "07700 900001" not in client_for(world.mentor).get(url).text


def test_sending_through_the_page(world, client_for):
    client = client_for(world.mentor)
    url = reverse("safeguarding:thread", args=[world.relationship_under_16.pk])
    response = client.post(url, {"body": "How did the mock interview go?"}, follow=True)
    assert "Message sent" in response.text
    assert client.post(url, {"body": "  "}).status_code == 400


def test_thread_and_list_pages_have_bounded_queries(world, client_for, django_assert_max_num_queries):
    for number in range(15):
        services.message_send(
            relationship=world.relationship_under_16, sender=world.mentor, body=f"Message {number}"
        )
    client = client_for(world.coordinator_a)
    with django_assert_max_num_queries(20):
        client.get(reverse("safeguarding:thread", args=[world.relationship_under_16.pk]))
    with django_assert_max_num_queries(20):
        client.get(reverse("safeguarding:thread_list"))


def test_a_failing_alert_is_retried_later_and_logs_no_message_text(world, caplog, monkeypatch):
    def broken(payload):
        raise RuntimeError("mail server unavailable")

    monkeypatch.setitem(services.HANDLERS, "message.held", broken)
    services.message_send(
        relationship=world.relationship_under_16, sender=world.mentor, body="Private words 07700 900777"
    )
    with caplog.at_level("INFO"):
        services.outbox_dispatch()
    assert "message.held" in caplog.text
    assert "Private words" not in caplog.text and "07700 900777" not in caplog.text
    from safeguarding.models import OutboxMessage

    assert OutboxMessage.objects.get(topic="message.held").status == "claimed"


def _plain_pdf() -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


PLAIN_PDF = _plain_pdf()


def _file(name="plan.pdf", content=PLAIN_PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_file_to_an_under_18_waits_for_the_coordinator(world, client_for):
    message = services.message_send(
        relationship=world.relationship_under_16,
        sender=world.mentor,
        body="Here is the plan",
        attachment=_file(),
    )
    assert message.status == Message.Status.HELD
    url = reverse("safeguarding:message_attachment", args=[message.pk])
    assert client_for(world.mentee_under_16).get(url).status_code == 404
    assert client_for(world.coordinator_a).get(url).status_code == 200
    services.message_release(message=message, actor=world.coordinator_a)
    response = client_for(world.mentee_under_16).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PLAIN_PDF
    assert "attachment" in response["Content-Disposition"]


def test_an_adult_receives_a_file_straight_away(world):
    message = services.message_send(
        relationship=world.relationship_over_18, sender=world.mentor, body="CV template", attachment=_file()
    )
    assert message.status == Message.Status.DELIVERED


@pytest.mark.parametrize(
    "name,content",
    [
        ("script.exe", b"MZ\x90\x00"),
        ("fake.pdf", b"<html><script>alert(1)</script>"),
        ("photo.png", b"\xff\xd8\xff\xe0 jpeg bytes"),
        ("huge.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)),
    ],
)
def test_unsafe_or_mislabelled_files_are_refused_and_nothing_is_saved(world, name, content):
    with pytest.raises(ApplicationError) as error:
        services.message_send(
            relationship=world.relationship_over_18,
            sender=world.mentor,
            body="file",
            attachment=_file(name, content),
        )
    assert error.value.field == "attachment"
    assert not Message.objects.exists()


def test_sending_a_file_through_the_page(world, client_for):
    client = client_for(world.mentor)
    url = reverse("safeguarding:thread", args=[world.relationship_over_18.pk])
    response = client.post(url, {"body": "Attached", "attachment": _file()}, follow=True)
    assert "Download plan.pdf" in response.text


def test_coordinator_sees_an_adults_thread_only_where_a_message_is_held(world):
    from core import policy

    delivered = services.message_send(relationship=world.relationship_over_18, sender=world.mentor, body="Hi")
    held = services.message_send(
        relationship=world.relationship_over_18, sender=world.mentor, body="Mail me at mo@example.org"
    )
    visible = set(policy.scope(world.coordinator_a, policy.VIEW, Message).values_list("pk", flat=True))
    assert visible == {held.pk}
    assert {delivered.pk, held.pk} <= set(
        policy.scope(world.dsl_a, policy.VIEW, Message).values_list("pk", flat=True)
    )


def test_coordinator_home_with_held_messages_has_bounded_queries(
    world, client_for, django_assert_max_num_queries
):
    for number in range(6):
        services.message_send(
            relationship=world.relationship_under_16, sender=world.mentor, body=f"Call 07700 90000{number}"
        )
    client = client_for(world.coordinator_a)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("home"))
    assert "Messages held for your review" in response.text


def test_coordinator_declines_a_held_message_which_is_never_delivered_and_the_sender_is_told_why(
    world, client_for, django_capture_on_commit_callbacks
):
    message = services.message_send(
        relationship=world.relationship_under_16,
        sender=world.mentor,
        body="My personal number is 07700 900999",
    )
    url = reverse("safeguarding:thread", args=[world.relationship_under_16.pk])
    coordinator = client_for(world.coordinator_a)
    page = coordinator.get(url).text
    assert "Do not deliver message 1" in page and "Release message 1" in page
    refused = coordinator.post(reverse("safeguarding:message_decline", args=[message.pk]), {"reason": " "})
    assert refused.status_code == 302
    message.refresh_from_db()
    assert message.status == Message.Status.HELD
    mail.outbox.clear()
    coordinator.post(
        reverse("safeguarding:message_decline", args=[message.pk]),
        {"reason": "Personal phone numbers are not shared with under-16s."},
    )
    message.refresh_from_db()
    assert message.status == Message.Status.DECLINED and message.reviewed_by == world.coordinator_a
    event = AuditEvent.objects.get(action="messaging.message_declined")
    assert event.actor == world.coordinator_a
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_dispatch()
    (email,) = [m for m in mail.outbox if m.to == [world.mentor.email]]
    assert email.subject == "Your message was not delivered"
    assert "Personal phone numbers are not shared with under-16s." in email.body
    assert services.DECLINE_GUIDANCE in email.body
    # Never delivered: the mentee does not see it, now or after any later release attempt.
    assert "07700 900999" not in client_for(world.mentee_under_16).get(url).text
    with pytest.raises(ApplicationError):
        services.message_release(message=message, actor=world.coordinator_a)
    assert "07700 900999" not in client_for(world.mentee_under_16).get(url).text
    # The sender reads why, with the guidance, and may write it again from the text kept.
    mentor_page = client_for(world.mentor).get(url).text
    assert "This message was not delivered" in mentor_page
    assert "Personal phone numbers are not shared with under-16s." in mentor_page
    assert f"?rewrite={message.pk}" in mentor_page
    rewrite = client_for(world.mentor).get(url, {"rewrite": message.pk}).text
    assert "My personal number is 07700 900999</textarea>" in rewrite
    # Kept as evidence: the coordinator still sees it.
    assert "07700 900999" in client_for(world.coordinator_a).get(url).text


def test_the_under_18_thread_says_files_are_checked_not_that_they_cannot_be_sent(world, client_for):
    url = reverse("safeguarding:thread", args=[world.relationship_under_16.pk])
    page = client_for(world.mentor).get(url).text
    assert "cannot be sent" not in page
    assert "Attach a file" in page
    assert "The coordinator checks files before they are delivered." in page


def test_coordinator_returns_a_held_message_for_editing_and_the_sender_edits_it(
    world, client_for, django_capture_on_commit_callbacks
):
    message = services.message_send(
        relationship=world.relationship_under_16, sender=world.mentor, body="Text me on 07700 900999 ok"
    )
    url = reverse("safeguarding:thread", args=[world.relationship_under_16.pk])
    coordinator = client_for(world.coordinator_a)
    assert "Return message 1 for editing" in coordinator.get(url).text
    coordinator.post(reverse("safeguarding:message_return", args=[message.pk]), {"note": ""})
    message.refresh_from_db()
    assert message.status == Message.Status.HELD  # a note is required: nothing changed
    mail.outbox.clear()
    coordinator.post(
        reverse("safeguarding:message_return", args=[message.pk]),
        {"note": "Leave out the phone number; arrange the next meeting here."},
    )
    message.refresh_from_db()
    assert message.status == Message.Status.RETURNED and message.reviewed_by == world.coordinator_a
    event = AuditEvent.objects.get(action="messaging.message_returned")
    assert event.actor == world.coordinator_a and event.summary.startswith("Leave out the phone number")
    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_dispatch()
    (email,) = [m for m in mail.outbox if m.to == [world.mentor.email]]
    assert email.subject == "Your message was returned for you to edit"
    assert f"?rewrite={message.pk}" in email.body
    assert "07700 900999" not in client_for(world.mentee_under_16).get(url).text
    with pytest.raises(ApplicationError):
        services.message_release(message=message, actor=world.coordinator_a)
    mentor_page = client_for(world.mentor).get(url).text
    assert "Returned for editing" in mentor_page and "Edit and send again" in mentor_page
    rewrite = client_for(world.mentor).get(url + f"?rewrite={message.pk}").text
    assert "Text me on 07700 900999 ok</textarea>" in rewrite


def test_only_a_held_message_can_be_returned(world):
    message = services.message_send(
        relationship=world.relationship_under_16, sender=world.mentor, body="Hello"
    )
    with pytest.raises(ApplicationError):
        services.message_return(message=message, actor=world.coordinator_a, note="Change it")


def test_a_mentor_sees_their_mentees_first_name_and_initial_only_in_the_concern_form(world, client_for):
    mentee = world.mentee_under_16
    page = client_for(world.mentor).get(reverse("safeguarding:concern_raise")).text
    assert f">{mentee.first_name} {mentee.last_name[:1]}</option>" in page
    assert mentee.last_name not in page and mentee.email not in page
    assert world.mentee_b.first_name + " " + world.mentee_b.last_name not in page  # nobody else's
    staff_page = client_for(world.staff).get(reverse("safeguarding:concern_raise")).text
    assert f">{mentee.get_full_name()}</option>" in staff_page
    detail = client_for(world.mentor).get(world.relationship_under_16.get_absolute_url()).text
    assert mentee.last_name not in detail
