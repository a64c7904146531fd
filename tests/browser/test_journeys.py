"""Every role's journey in real use (issue 18), one test per journey at desktop and phone width,
driven by what people see: labels, roles and the words on the page. axe-core finds no serious or
critical problem on any page the journey stops at."""

import csv
import datetime
import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from core.models import AuditEvent
from mentoring.models import MentoringSession, Relationship
from mentoring.terms import usual_school_holidays
from safeguarding import services as safeguarding_services
from safeguarding.models import Message
from safeguarding.tests.factories import raise_concern
from training.models import Certificate, WorkshopBooking
from training.tests.factories import WorkshopBookingFactory, WorkshopFactory, build_course
from training.tests.test_training_status import complete_course

from .conftest import sign_in_with_session
from .test_accessibility import assert_no_serious_violations

VIEWPORTS = [
    pytest.param({"width": 1280, "height": 800}, id="desktop"),
    pytest.param({"width": 390, "height": 844}, id="phone"),
]
AXE = Axe()


@pytest.fixture
def person(browser, live_server, viewport):
    """A signed-in browser tab for a person, in a context of its own at the test's viewport."""
    contexts = []

    def open_as(user, *, sign_in=True):
        context = browser.new_context(viewport=viewport, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        if sign_in:
            sign_in_with_session(page, live_server.url, user)
        return page

    yield open_as
    for context in contexts:
        try:
            context.close()
        except Exception:  # noqa: BLE001, S110 (closed already by the test)
            pass


def checked(page):
    """axe finds nothing serious on the page, and the page is no wider than the screen."""
    assert_no_serious_violations(AXE, page)
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > inner_width:
        wide = page.evaluate(WIDEST)
        raise AssertionError(f"{page.url} is {scroll_width}px wide in a {inner_width}px viewport: {wide}")


# The elements reaching past the right edge of the screen outside any scrolling box (an absolutely
# positioned one escapes a box that is not its containing block).
WIDEST = """() => {
  const clipped = (e) => {
    for (let a = e.parentElement; a; a = a.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  const past = (e) => e && e.getBoundingClientRect().right > window.innerWidth + 1;
  return [...document.querySelectorAll("body *")]
    .filter((e) => past(e) && (getComputedStyle(e).position === "absolute" || !clipped(e)))
    .filter((e) => getComputedStyle(e).position === "absolute" || !past(e.parentElement))
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent.trim().slice(0, 30)}`);
}"""


def open_menu(page):
    """On a phone the navigation is behind its button."""
    page.wait_for_load_state()
    toggler = page.get_by_role("button", name="Show or hide the menu")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") == "false":
        toggler.click()
        expect(toggler).to_have_attribute("aria-expanded", "true")
    return page.get_by_role("navigation", name="Main")


def go(page, section: str, link: str):
    """Open a link in the main navigation: straight there for a one-link section, through its menu
    otherwise."""
    nav = open_menu(page)
    button = nav.get_by_role("button", name=re.compile(rf"^{section}"))
    if button.count():
        button.click()
    # Wait for the new page, so that the next look at the menu is at its menu, not the old one's.
    with page.expect_navigation():
        nav.get_by_role("link", name=link, exact=True).click()


def next_school_day(start: datetime.date) -> datetime.date:
    """The first weekday from `start` outside the usual school holidays."""
    holidays = usual_school_holidays(start.year) + usual_school_holidays(start.year + 1)
    day = start
    while day.weekday() >= 5 or any(h.starts_on <= day <= h.ends_on for h in holidays):
        day += datetime.timedelta(days=1)
    return day


# 1. Scheduling that a school would accept ----------------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_coordinator_schedules_a_run_at_a_school_and_the_mentor_records_an_unscheduled_session(
    live_world, live_server, person, viewport
):
    world = live_world
    relationship = world.relationship_under_16
    Relationship.objects.filter(pk=relationship.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=20)
    )
    url = f"{live_server.url}{relationship.get_absolute_url()}"
    first = next_school_day(timezone.localdate() + datetime.timedelta(days=7))

    page = person(world.coordinator_a)
    page.goto(url)
    page.get_by_role("link", name="Schedule sessions").click()
    page.get_by_label("First session (date and time)").fill(f"{first:%Y-%m-%d}T16:00")
    page.get_by_label("Number of sessions").fill("10")
    page.get_by_label("Online (no venue needed)").check()
    page.get_by_role("button", name="Schedule sessions").click()
    expect(page.get_by_text("10 sessions scheduled.")).to_be_visible()
    checked(page)

    starts = [
        timezone.localtime(s.starts_at)
        for s in MentoringSession.objects.filter(relationship=relationship).order_by("starts_at")
    ]
    assert len(starts) == 10 and len({s.date() for s in starts}) == 10, starts
    holidays = usual_school_holidays(first.year) + usual_school_holidays(first.year + 1)
    for start in starts:
        assert start.weekday() < 5, f"{start:%a %d %b} is a weekend at a school"
        assert not any(h.starts_on <= start.date() <= h.ends_on for h in holidays), f"{start} is in a holiday"

    # The mentor met Yasmin on the last school day before today without it being on the calendar.
    met_on = timezone.localdate() - datetime.timedelta(days=1)
    while met_on.weekday() >= 5:
        met_on -= datetime.timedelta(days=1)
    page = person(world.mentor)
    page.goto(url)
    page.get_by_role("link", name="Record a session that was not scheduled").click()
    page.get_by_label("When did it start (date and time)?").fill(f"{met_on:%Y-%m-%d}T16:30")
    page.get_by_label("Online (no venue)").check()
    page.get_by_role("button", name="Record it and write the log").click()
    expect(page.get_by_text("is recorded. Now say how it went.")).to_be_visible()
    expect(page.get_by_role("button", name="Save the log")).to_be_visible()
    checked(page)
    recorded = MentoringSession.objects.get(relationship=relationship, starts_at__date=met_on)
    assert recorded.number == 1  # numbers follow the dates: it came before the ten scheduled


# 2. Held messages with three outcomes ---------------------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_coordinator_releases_declines_and_returns_held_messages(live_world, live_server, person, viewport):
    world = live_world
    relationship = world.relationship_under_16
    for body in (
        "The careers fair is at www.example.org/fair on Saturday.",
        "Text me on 07700 900123 if you are stuck.",
        "Find me on insta @mo.mentors to see my work.",
    ):
        safeguarding_services.message_send(relationship=relationship, sender=world.mentor, body=body)
    assert Message.objects.filter(status=Message.Status.HELD).count() == 3

    page = person(world.coordinator_a)
    held = page.get_by_role("region", name="Messages held for your review")
    held.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Messages: Mo and Yasmin"))
    checked(page)

    page.get_by_role("button", name="Release message 1").click()
    expect(page.get_by_text("The message is released and delivered.")).to_be_visible()
    page.get_by_label("Why it will not be delivered (the sender reads this)").first.fill(
        "Mentors never share a personal phone number with a young person."
    )
    page.get_by_role("button", name="Do not deliver message 2").click()
    expect(
        page.get_by_text("The message will not be delivered. The sender has been told why.")
    ).to_be_visible()
    page.get_by_label("What to change (the sender reads this)").fill("Leave out the social media name.")
    page.get_by_role("button", name="Return message 3 for editing").click()
    expect(page.get_by_text("The message is returned to the sender to edit.")).to_be_visible()
    checked(page)

    statuses = list(Message.objects.order_by("sent_at", "pk").values_list("status", flat=True))
    assert statuses == ["delivered", "declined", "returned"]
    actions = set(AuditEvent.objects.filter(actor=world.coordinator_a).values_list("action", flat=True))
    outcomes = {f"messaging.message_{outcome}" for outcome in ("released", "declined", "returned")}
    assert outcomes <= actions, actions

    # The mentor is told why, with the programme's guidance; the declined text is kept, not delivered.
    page = person(world.mentor)
    page.goto(f"{live_server.url}/safeguarding/messages/{relationship.pk}/")
    expect(page.get_by_text("Why: Mentors never share a personal phone number")).to_be_visible()
    expect(page.get_by_text("What to change: Leave out the social media name.")).to_be_visible()
    expect(page.get_by_role("link", name="Edit and send again")).to_be_visible()
    checked(page)
    page = person(world.mentee_under_16)
    page.goto(f"{live_server.url}/safeguarding/messages/{relationship.pk}/")
    expect(page.get_by_text("The careers fair is at")).to_be_visible()
    expect(page.get_by_text("07700 900123")).to_have_count(0)
    expect(page.get_by_text("@mo.mentors")).to_have_count(0)


# 3. Links built from the real address ---------------------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_an_invitation_sent_under_the_servers_own_port_opens_from_the_email(
    live_world, live_server, person, viewport, settings, django_capture_on_commit_callbacks
):
    from recruitment import services as recruitment_services

    settings.SITE_URL = live_server.url  # what `make demo HOST=... PORT=...` sets
    assert not live_server.url.endswith(":8000")
    newcomer = live_world.mentee_b
    newcomer.set_unusable_password()
    newcomer.save()
    with django_capture_on_commit_callbacks(execute=True):
        recruitment_services.invitation_send(actor=live_world.staff, user=newcomer)
    (message,) = [m for m in mail.outbox if newcomer.email in m.to]
    link = re.search(r"https?://\S+/invitations/\S+/", message.body).group(0)
    assert link.startswith(live_server.url + "/")

    page = person(newcomer, sign_in=False)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your account")
    checked(page)
    page.get_by_label("Choose a password").fill("a long and memorable passphrase 42")
    page.get_by_label("Type the password again").fill("a long and memorable passphrase 42")
    page.get_by_role("button", name="Set up my account").click()
    expect(page.get_by_text("Your account is ready. Next, finish your application.")).to_be_visible()
    checked(page)


# 4. Certificates say what is missing; attendance from the workshop's day --------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_mentor_reads_what_is_missing_and_staff_mark_attendance_on_the_workshops_day(
    live_world, live_server, person, viewport
):
    world = live_world
    course = build_course(title="Level One: Heart of the Matter", slug="level-one", modules=2)
    complete_course(world.mentor, course)
    now = timezone.localtime()
    later_today = now + datetime.timedelta(hours=1)
    starts = later_today if later_today.date() == now.date() else now - datetime.timedelta(minutes=30)
    workshop = WorkshopFactory(title="Core mentor workshop: online", starts_at=starts)
    WorkshopBookingFactory(workshop=workshop, user=world.mentor)

    page = person(world.mentor)
    go(page, "Training", "Training")
    progress = page.get_by_role("region", name=re.compile("^Still to do for your certificate"))
    expect(progress).to_contain_text("Core workshop:")
    expect(progress).to_contain_text("Core mentor workshop: online")
    expect(progress).not_to_contain_text(course.title)  # finished, so not listed
    checked(page)

    staff = person(world.staff)
    staff.goto(f"{live_server.url}{workshop.get_absolute_url()}")
    staff.get_by_role("link", name="Mark attendance").click()
    staff.get_by_label(world.mentor.get_full_name()).check()
    staff.get_by_role("button", name="Save attendance").click()
    expect(staff.get_by_text("Attendance saved.")).to_be_visible()
    checked(staff)
    assert WorkshopBooking.objects.get(workshop=workshop, user=world.mentor).attended

    page.reload()
    expect(page.get_by_role("region", name=re.compile("^Still to do for your certificate"))).to_have_count(0)
    assert Certificate.objects.filter(user=world.mentor).exists()


# 5. Navigation for people ---------------------------------------------------------------------------

# Where each role goes to see its current section marked: (section, link).
DESTINATIONS = {
    "mentor": ("Relationships", "Messages"),
    "mentee_under_16": ("Relationships", "Messages"),
    "coordinator_a": ("People", "Mentees"),
    "dsl_a": ("Safeguarding", "Concerns"),
    "staff": ("Training", "Training reports"),
    "funder": ("Impact", "Impact"),
}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_role_has_at_most_seven_menu_items_in_words_and_sees_where_it_is(
    live_world, live_server, person, viewport
):
    for persona, (section, link) in DESTINATIONS.items():
        page = person(live_world.persona(persona))
        nav = open_menu(page)
        top = nav.get_by_role("list").first.get_by_role("listitem")
        labels = [text.strip() for text in top.all_inner_texts()]
        assert 1 <= len(labels) <= 7, f"{persona} has {len(labels)} top-level items: {labels}"
        for label in labels + nav.get_by_role("link").all_inner_texts():
            assert not re.search(r"\w_\w|\b[a-z]+\.[a-z_]+\b", label), f"{persona}: {label!r} is a code"
        if persona == "funder":
            assert "Training" not in labels
        go(page, section, link)
        nav = open_menu(page)
        # A section of one link is that link; a larger one is a menu button.
        current = nav.get_by_role("button", name=re.compile(rf"^{section}")).or_(
            nav.get_by_role("link", name=link, exact=True)
        )
        expect(current.first).to_have_attribute("aria-current", re.compile("page|true"))
        checked(page)
        page.context.close()


# 6. Styled error pages; a failed form's error summary ---------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_refusals_and_missing_pages_are_styled_and_a_failed_case_entry_focuses_its_error_summary(
    live_world, live_server, person, viewport
):
    world = live_world
    page = person(world.mentor)
    answer = page.goto(f"{live_server.url}/matching/rounds/")
    assert answer.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this")
    expect(page.get_by_role("link", name="go to your home page")).to_be_visible()
    checked(page)
    answer = page.goto(f"{live_server.url}/no-such-page/")
    assert answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_attached()  # the site's own layout
    checked(page)
    page.get_by_role("link", name="go to your home page").click()
    expect(page).to_have_url(f"{live_server.url}/home/")

    concern = raise_concern(reporter=world.mentor, young_person=world.mentee_under_16)
    safeguarding_services.concern_acknowledge(concern=concern, actor=world.dsl_a)
    page = person(world.dsl_a)
    page.goto(f"{live_server.url}{concern.get_absolute_url()}")
    page.get_by_label("Kind").select_option(label="Decision not to refer")
    page.get_by_label("What happened, what was decided, and why").fill(
        "Spoke to Yasmin and her form tutor; the worry is met by school support."
    )
    page.get_by_role("button", name="Add entry").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    checked(page)
    summary.get_by_role("link", name=re.compile("^Agency")).click()
    expect(page.get_by_label("Agency")).to_be_focused()


# 7. Coordinator views: relationships, import template and date errors ----------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_coordinator_lists_relationships_and_imports_with_the_template_and_a_clear_date_error(
    live_world, live_server, person, viewport, tmp_path
):
    world = live_world
    page = person(world.coordinator_a)
    # The home page's count of cohorts opens the partner's page, whose table has that many.
    page.get_by_role("link", name="1 cohort at Alder Park School").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alder Park School")
    cohorts = page.get_by_role("table", name="Cohorts at Alder Park School")
    expect(cohorts.get_by_role("rowheader")).to_have_count(1)
    checked(page)

    go(page, "Relationships", "Relationships")
    table = page.get_by_role("table", name="2 relationships")
    expect(table.get_by_role("rowheader", name=world.mentee_under_16.get_full_name())).to_be_visible()
    checked(page)
    if viewport["width"] < 576:
        # The table is wider than a phone: its box scrolls, and the keyboard can reach it to scroll.
        box = page.get_by_role("region", name="2 relationships")
        expect(box).to_have_attribute("tabindex", "0")
        box.focus()
        page.keyboard.press("ArrowRight")
        expect(box).to_be_focused()
        assert box.evaluate("element => element.scrollWidth > element.clientWidth"), "the table fits"
        # Scrolling by keyboard may be smooth: wait for it to move rather than read it at once.
        page.wait_for_function("element => element.scrollLeft > 0", arg=box.element_handle())

    go(page, "People", "Mentees")
    row = page.get_by_role("row", name=re.compile(world.mentee_over_18.get_full_name()))
    expect(row).to_contain_text(world.mentor.get_full_name())  # who each is matched with

    go(page, "People", "Import mentees")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template (CSV)").click()
    header = next(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert header[:4] == ["First name", "Last name", "Email", "Date of birth"]
    checked(page)

    upload = tmp_path / "year-10.csv"
    upload.write_text(
        ",".join(header[:4]) + "\nJamie,Lee,jamie.lee@example.org,31/02/2010\n", encoding="utf-8"
    )
    page.get_by_label("Cohort").select_option(index=1)
    page.get_by_label("File of mentees (.csv or .xlsx)").set_input_files(str(upload))
    page.get_by_role("button", name="Check file").click()
    expect(page.get_by_text("31/02/2010 is not a date: check the day and the month.")).to_be_visible()
    checked(page)


# 8. Mentors see only what they need of young people --------------------------------------------------


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_mentor_sees_their_mentees_by_first_name_and_initial_and_nothing_of_others(
    live_world, live_server, person, viewport
):
    world = live_world
    yasmin, aaron, bea = world.mentee_under_16, world.mentee_over_18, world.mentee_b
    page = person(world.mentor)
    pages = [page.url]
    with page.expect_navigation():
        page.get_by_role("link", name="Report a worry").first.click()
    options = page.get_by_label("Young person", exact=True).get_by_role("option").all_inner_texts()
    assert f"{yasmin.first_name} {yasmin.last_name[0]}" in options
    assert f"{aaron.first_name} {aaron.last_name[0]}" in options
    assert not any(bea.first_name in option for option in options)
    checked(page)
    pages.append(page.url)
    for relationship in (world.relationship_under_16, world.relationship_over_18):
        page.goto(f"{live_server.url}{relationship.get_absolute_url()}")
        pages.append(page.url)
        checked(page)
    page.goto(f"{live_server.url}/safeguarding/messages/{world.relationship_under_16.pk}/")
    pages.append(page.url)
    for url in pages:
        page.goto(url)
        text = page.get_by_role("main").inner_text()
        for surname in (yasmin.last_name, aaron.last_name, bea.last_name):
            assert surname not in text, f"{url} shows the surname {surname}"
        assert bea.first_name not in text and yasmin.email not in text
