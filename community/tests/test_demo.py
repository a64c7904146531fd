import pytest

from demo import builder as demo
from demo.community import LARGE_EMPLOYER, SMALL_EMPLOYER

from .. import selectors
from ..models import BuddyMessage, EmployerMonth, EmployerPartner, Event


@pytest.mark.slow_ok(reason="builds the demo programme twice, to show a rerun adds nothing")
@pytest.mark.django_db
def test_demo_has_a_visible_and_a_suppressed_employer_events_and_a_buddy_thread():
    context = demo.demo_build(mentees=60, mentors=40)
    large = EmployerPartner.objects.get(name=LARGE_EMPLOYER[0])
    small = EmployerPartner.objects.get(name=SMALL_EMPLOYER[0])
    assert large.memberships.count() >= selectors.SMALL_GROUP
    large_figures = {figure.key: figure for figure in selectors.employer_figures(large)}
    assert large_figures["mentors_linked"].shown and large_figures["sessions_held"].shown
    assert all(not figure.shown for figure in selectors.employer_figures(small))
    assert context.logins["employer_contact"].employer_contacts.get().employer == large
    assert BuddyMessage.objects.exists()
    # The employers' months (written in bulk with the memberships) are those their mentors' logs give.
    months = ("employer_id", "month", "held_logs", "held_minutes", "mentors", "mentees")
    kept = sorted(EmployerMonth.objects.values_list(*months))
    assert kept == sorted(EmployerMonth.counted(employer_ids=[large.pk, small.pk]))
    assert any(row[0] == large.pk for row in kept)
    events = Event.objects.count()

    demo.demo_build(mentees=60, mentors=40)
    assert Event.objects.count() == events
    assert EmployerPartner.objects.count() == 2
