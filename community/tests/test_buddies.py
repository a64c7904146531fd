import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Region
from core.errors import ApplicationError
from core.models import AuditEvent
from mentoring.tests.factories import RelationshipFactory

from .. import selectors, services
from ..models import BuddyMessage, BuddyPairing, BuddyPreference
from .factories import BuddyPairingFactory, BuddyPreferenceFactory, experienced_mentor, mentor_user

pytestmark = pytest.mark.django_db


def _offering(**kwargs):
    mentor = experienced_mentor(**kwargs)
    BuddyPreferenceFactory(mentor=mentor, wants=BuddyPreference.Wants.OFFERING)
    return mentor


def _seeking(**kwargs):
    mentor = mentor_user(**kwargs)
    BuddyPreferenceFactory(mentor=mentor, wants=BuddyPreference.Wants.SEEKING)
    return mentor


def test_suggestions_prefer_the_same_region_then_the_same_sector():
    new = _seeking(region=Region.WEST_MIDLANDS, sector="Law")
    far_same_sector = _offering(region=Region.LONDON, sector="Law")
    near_other_sector = _offering(region=Region.WEST_MIDLANDS, sector="Retail")
    near_same_sector = _offering(region=Region.WEST_MIDLANDS, sector="law ")
    ranked = [mentor for mentor, _reason in selectors.buddy_suggestions(new_mentor=new)]
    assert ranked == [near_same_sector, near_other_sector, far_same_sector]
    assert (
        dict(selectors.buddy_suggestions(new_mentor=new))[near_same_sector]
        == "both in West Midlands; both in law"
    )


def test_only_experienced_mentors_who_opted_in_and_have_room_are_suggested():
    new = _seeking()
    not_opted_in = experienced_mentor()
    BuddyPreferenceFactory(mentor=mentor_user(), wants=BuddyPreference.Wants.OFFERING)  # no experience yet
    busy = _offering()
    for _ in range(selectors.BUDDY_LOAD):
        BuddyPairingFactory(experienced_mentor=busy)
    available = _offering()
    assert [mentor for mentor, _ in selectors.buddy_suggestions(new_mentor=new)] == [available]
    assert not_opted_in not in dict(selectors.buddy_suggestions(new_mentor=new))


def test_a_new_mentor_cannot_offer_to_be_a_buddy():
    with pytest.raises(ApplicationError, match="mentored for"):
        services.buddy_preference_set(actor=mentor_user(), wants=BuddyPreference.Wants.OFFERING)


def test_a_pairing_starts_only_when_both_accept():
    new, experienced = _seeking(), _offering()
    pairing = services.buddy_pairing_suggest(actor=new, new_mentor=new)
    assert (pairing.experienced_mentor, pairing.status) == (experienced, BuddyPairing.Status.PROPOSED)
    with pytest.raises(ApplicationError, match="once you have both accepted"):
        services.buddy_message_post(actor=new, pairing=pairing, body="Hello!")
    pairing = services.buddy_pairing_respond(actor=new, pairing=pairing, accept=True)
    assert pairing.status == BuddyPairing.Status.PROPOSED
    pairing = services.buddy_pairing_respond(actor=experienced, pairing=pairing, accept=True)
    assert pairing.status == BuddyPairing.Status.ACTIVE
    services.buddy_message_post(actor=new, pairing=pairing, body="Hello!")


def test_either_mentor_can_decline_and_outsiders_cannot_answer():
    new, experienced = _seeking(), _offering()
    pairing = services.buddy_pairing_suggest(actor=new, new_mentor=new)
    with pytest.raises(ApplicationError, match="Only the two mentors"):
        services.buddy_pairing_respond(actor=mentor_user(), pairing=pairing, accept=True)
    pairing = services.buddy_pairing_respond(actor=experienced, pairing=pairing, accept=False)
    assert pairing.status == BuddyPairing.Status.DECLINED
    # Declined: the new mentor can be offered someone else, but not the one who said no.
    assert experienced not in dict(selectors.buddy_suggestions(new_mentor=new))


def test_staff_suggest_only_opted_in_mentors(world):
    new, experienced = mentor_user(), _offering()
    with pytest.raises(ApplicationError, match="not asked for a buddy"):
        services.buddy_pairing_suggest(actor=world.staff, new_mentor=new, experienced_mentor=experienced)
    BuddyPreferenceFactory(mentor=new)
    pairing = services.buddy_pairing_suggest(
        actor=world.staff, new_mentor=new, experienced_mentor=experienced
    )
    assert pairing.suggested_by == world.staff
    with pytest.raises(ApplicationError, match="Only programme staff"):
        services.buddy_pairing_suggest(actor=world.mentor, new_mentor=new)


def test_staff_suggest_a_buddy_from_the_page_only_among_the_suggestions(world, client):
    new, experienced, not_offering = _seeking(), _offering(), experienced_mentor()
    client.force_login(world.staff)
    url = reverse("community:buddy_suggest")

    client.post(url, {"new_mentor": new.pk, "experienced_mentor": not_offering.pk})
    assert not BuddyPairing.objects.filter(new_mentor=new).exists()

    client.post(url, {"new_mentor": new.pk, "experienced_mentor": experienced.pk})
    pairing = BuddyPairing.objects.get(new_mentor=new)
    assert (pairing.experienced_mentor, pairing.suggested_by) == (experienced, world.staff)


def test_a_third_mentor_cannot_read_or_write_in_a_buddy_thread(client):
    pairing = BuddyPairingFactory()
    services.buddy_message_post(
        actor=pairing.new_mentor, pairing=pairing, body="How do you plan session three?"
    )
    outsider = mentor_user()
    client.force_login(outsider)
    detail = reverse("community:buddy_detail", kwargs={"pk": pairing.pk})
    assert client.get(detail).status_code == 404
    post = client.post(reverse("community:buddy_message", kwargs={"pk": pairing.pk}), {"body": "Hi"})
    assert post.status_code == 404
    assert BuddyMessage.objects.filter(pairing=pairing).count() == 1
    client.force_login(pairing.experienced_mentor)
    assert "How do you plan session three?" in client.get(detail).content.decode()


def test_staff_reading_a_thread_leaves_an_audit_trace(world, client):
    pairing = BuddyPairingFactory()
    client.force_login(world.staff)
    assert client.get(reverse("community:buddy_detail", kwargs={"pk": pairing.pk})).status_code == 200
    assert AuditEvent.objects.filter(action="community.buddy_thread_read", target_id=str(pairing.pk)).exists()


@pytest.mark.parametrize(
    "body",
    [
        "Yasmin did really well today",
        "My mentee Yasmin Khan is struggling",
        "her email is young.mentee@example.org",
        "call her on 07700 900001",
        "call her on 07700900001",
    ],
)
def test_a_buddy_message_naming_a_mentee_is_refused(world, body):
    world.mentee_under_16.last_name = "Khan"
    world.mentee_under_16.save()
    pairing = BuddyPairingFactory(new_mentor=world.mentor)
    with pytest.raises(ApplicationError, match="mentors only"):
        services.buddy_message_post(actor=pairing.experienced_mentor, pairing=pairing, body=body)
    assert not BuddyMessage.objects.exists()


def test_a_message_about_my_mentee_without_details_is_fine(world):
    pairing = BuddyPairingFactory(new_mentor=world.mentor)
    message = services.buddy_message_post(
        actor=world.mentor, pairing=pairing, body="My mentee wants to try an apprenticeship: any tips?"
    )
    assert message.pk


def test_the_refusal_is_shown_on_the_page_and_the_message_is_not_kept(world, client):
    pairing = BuddyPairingFactory(new_mentor=world.mentor)
    client.force_login(world.mentor)
    response = client.post(
        reverse("community:buddy_message", kwargs={"pk": pairing.pk}), {"body": "Aaron missed our session"}
    )
    assert response.status_code == 400
    assert "mentors only" in response.content.decode()
    assert not BuddyMessage.objects.exists()


def test_buddy_pages_never_show_mentee_details(world, client, django_assert_max_num_queries):
    """The buddy pages, event pages and the mentor's community panel show mentors only."""
    RelationshipFactory(mentor=world.mentor, mentee=world.mentee_b)
    pairing = BuddyPairingFactory(new_mentor=world.mentor)
    for index in range(10):
        services.buddy_message_post(
            actor=pairing.experienced_mentor, pairing=pairing, body=f"Tip number {index}"
        )
    client.force_login(world.mentor)
    pages = [
        reverse("community:buddy_home"),
        reverse("community:buddy_detail", kwargs={"pk": pairing.pk}),
        reverse("community:event_list"),
    ]
    for url in pages:
        with django_assert_max_num_queries(12):
            html = client.get(url).content.decode()
        for mentee in (world.mentee_under_16, world.mentee_over_18, world.mentee_b):
            assert mentee.first_name not in html
            assert mentee.email not in html
            assert mentee.mentee_profile.phone not in html
    assert "Tip number 9" in client.get(pages[1]).content.decode()


def test_joining_as_a_new_mentor_suggests_a_buddy_at_once(client):
    experienced = _offering()
    new = mentor_user()
    client.force_login(new)
    response = client.post(reverse("community:buddy_preference"), {"wants": "seeking"}, follow=True)
    assert "we have suggested a buddy" in response.content.decode()
    assert selectors.open_pairing_for(user=new).experienced_mentor == experienced


def _suspend(mentor, staff):
    from safeguarding.models import MentorSuspension

    MentorSuspension.objects.create(
        mentor=mentor,
        action=MentorSuspension.Action.SUSPEND,
        ground=MentorSuspension.Ground.CONDUCT,
        reason="Under review.",
        requested_by=staff,
        status=MentorSuspension.Status.IN_EFFECT,
    )


def test_a_suspended_mentor_is_not_suggested_and_their_thread_pauses(world):
    new = _seeking()
    suspended = _offering()
    _suspend(suspended, world.staff)
    assert selectors.buddy_suggestions(new_mentor=new) == []
    pairing = BuddyPairingFactory()
    _suspend(pairing.experienced_mentor, world.staff)
    with pytest.raises(ApplicationError, match="paused"):
        services.buddy_message_post(actor=pairing.new_mentor, pairing=pairing, body="Hello")


def test_an_experienced_buddy_sees_each_new_mentor_they_support(client):
    experienced = _offering()
    first = BuddyPairingFactory(experienced_mentor=experienced)
    second = BuddyPairingFactory(experienced_mentor=experienced, status=BuddyPairing.Status.PROPOSED)
    client.force_login(experienced)
    html = client.get(reverse("community:buddy_home")).content.decode()
    # As the page writes them: a name such as O'Neill is escaped.
    assert f"Your buddy: {escape(first.new_mentor.get_full_name())}" in html
    assert f"Suggested buddy: {escape(second.new_mentor.get_full_name())}" in html


def test_the_staff_buddy_page_suggests_for_every_waiting_mentor_in_a_fixed_number_of_queries(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for region in (Region.LONDON, Region.WEST_MIDLANDS):
        BuddyPreferenceFactory(mentor=experienced_mentor(region=region), wants=BuddyPreference.Wants.OFFERING)

    def waiting(count):
        for _ in range(count):
            BuddyPreferenceFactory(
                mentor=mentor_user(region=Region.LONDON), wants=BuddyPreference.Wants.SEEKING
            )

    client.force_login(world.staff)
    url = reverse("community:buddy_home")
    waiting(1)
    client.get(url)  # the first visit settles the session
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    waiting(4)
    with CaptureQueriesContext(connection) as five:
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count("both in London") == 5
    assert len(five.captured_queries) == len(one.captured_queries)
