import json

from django.urls import reverse

from core.models import AuditEvent
from safeguarding import services

from .factories import raise_concern


def test_a_person_downloads_their_data_as_json(world, client_for):
    services.message_send(relationship=world.relationship_under_16, sender=world.mentor, body="Hello Yasmin")
    raise_concern(reporter=world.mentee_under_16, young_person=world.mentee_under_16)
    response = client_for(world.mentee_under_16).get(reverse("safeguarding:my_data"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == world.mentee_under_16.email
    assert data["mentee_profile"]["phone"] == "07700 900001"
    assert [message["body"] for message in data["messages"]] == ["Hello Yasmin"]
    assert data["concerns_reported"][0]["status"] == "received"
    assert "facts" not in data["concerns_reported"][0]
    assert AuditEvent.objects.filter(action="data_protection.export", actor=world.mentee_under_16).exists()


def test_a_mentors_download_never_carries_their_mentees_contact_details(world, client_for):
    text = client_for(world.mentor).get(reverse("safeguarding:my_data")).content.decode()
    for mentee in (world.mentee_under_16, world.mentee_over_18):
        assert mentee.email not in text
        assert mentee.mentee_profile.phone not in text


def test_held_messages_from_others_are_not_in_the_download(world, client_for):
    services.message_send(
        relationship=world.relationship_under_16, sender=world.mentee_under_16, body="ring me 07700 900001"
    )
    text = client_for(world.mentor).get(reverse("safeguarding:my_data")).content.decode()
    assert "07700 900001" not in text


def test_privacy_notice_is_written_for_the_mentees_age_band(world, client_for):
    young = client_for(world.mentee_under_16).get(reverse("safeguarding:privacy_notice")).text
    assert "If you are under 16" in young and "If you are 18 or over" not in young
    adult = client_for(world.mentee_over_18).get(reverse("safeguarding:privacy_notice")).text
    assert "If you are 18 or over" in adult and "If you are under 16" not in adult
    everyone = client_for(None).get(reverse("safeguarding:privacy_notice")).text
    assert "If you are under 16" in everyone and "If you are 16 or 17" in everyone
