"""Every count on a home page that links to a list opens that list, and the list has as many rows as
the count says: one test per count, and a test that no count is left without one."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import MenteeProfileFactory, MentorProfileFactory
from matching.models import InterestExpression, Opportunity, Proposal
from mentoring.models import Relationship, SupportCheckIn
from mentoring.tests.factories import (
    CohortFactory,
    MentoringSessionFactory,
    RelationshipFactory,
    SessionLogFactory,
)
from safeguarding.models import Concern
from safeguarding.tests.factories import raise_concern
from training.models import Certificate, CourseVersion, Enrolment
from training.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

COUNT_LINK = re.compile(r"<a\b([^>]*)\bdata-count=\"(\d+)\"([^>]*)>(.*?)</a>", re.DOTALL)
ROW = re.compile(r'<th scope="row">')
NEXT = re.compile(r'<a class="page-link" href="([^"]+)">Next</a>')


@pytest.fixture(scope="module")
def more(shared_world, module_transaction, django_db_blocker):
    """Beyond the persona world, people and relationships at partner A that make every count on
    the coordinator's, the DSL's and staff's home pages more than zero, and different from each other:
    under-16s, 16- and 17-year-olds and adults, some waiting for a match; relationships that ended
    early; sessions this month and not logged; a relationship that missed its cadence, one with two
    sessions and no goal, and a check-in due; a second cohort, proposed matches awaiting a decision
    at both partners, concerns open and closed, and certificates being prepared and issued."""
    assert module_transaction, "the module's data is shared: its tests must not commit"
    world = shared_world
    now = timezone.now()
    with django_db_blocker.unblock():
        for age in (13, 15, 16, 17, 17, 20, 22):
            MenteeProfileFactory(age=age, youth_partner=world.partner_a, cohort=world.cohort_a)
        for age in (16, 17):
            mentee = MenteeProfileFactory(age=age, youth_partner=world.partner_a, cohort=world.cohort_a).user
            RelationshipFactory(
                mentor=MentorProfileFactory().user, mentee=mentee, cohort=world.cohort_a, status="ended_early"
            )
        paused = MenteeProfileFactory(age=15, youth_partner=world.partner_a, cohort=world.cohort_a).user
        RelationshipFactory(
            mentor=MentorProfileFactory().user, mentee=paused, cohort=world.cohort_a, status="paused"
        )
        Relationship.objects.filter(pk=world.relationship_under_16.pk).update(
            started_on=timezone.localdate() - datetime.timedelta(days=90)
        )
        for days in (50, 40):
            SessionLogFactory(
                session__relationship=world.relationship_under_16,
                session__starts_at=now - datetime.timedelta(days=days),
            )
        MentoringSessionFactory(
            relationship=world.relationship_over_18, starts_at=now - datetime.timedelta(hours=1)
        )
        MentoringSessionFactory(
            relationship=world.relationship_over_18, starts_at=now + datetime.timedelta(minutes=5)
        )
        SupportCheckIn.objects.create(relationship=world.relationship_over_18, due_on=timezone.localdate())
        # Two mentors asked to mentor at partner A, one at partner B.
        for cohort, mentors in ((world.cohort_a, 2), (world.cohort_b, 1)):
            opportunity = Opportunity.objects.create(cohort=cohort, title="Year 12 careers mentors")
            for _ in range(mentors):
                InterestExpression.objects.create(
                    opportunity=opportunity,
                    mentor=MentorProfileFactory().user,
                    expires_at=now + datetime.timedelta(days=5),
                )
        # Three mentors are overdue with their training.
        course = CourseFactory()
        version = CourseVersion.objects.create(course=course, status="published", published_at=now)
        long_ago = timezone.localdate() - datetime.timedelta(days=60)
        for _ in range(3):
            Enrolment.objects.create(
                user=MentorProfileFactory().user,
                course=course,
                version=version,
                started_on=long_ago,
                due_on=long_ago + datetime.timedelta(days=30),
            )
        # A second cohort at partner A.
        spring = CohortFactory(
            youth_partner=world.partner_a, programme=world.cohort_a.programme, name="Spring intake"
        )
        for age in (15, 19):
            MenteeProfileFactory(age=age, youth_partner=world.partner_a, cohort=spring)
        type(world.cohort_a).objects.filter(pk=world.cohort_a.pk).update(name="Autumn intake")
        # Proposals: two awaiting a decision at partner A, one at partner B, one already decided.
        waiting = [
            MenteeProfileFactory(age=16, youth_partner=partner, cohort=cohort).user
            for partner, cohort in (
                (world.partner_a, world.cohort_a),
                (world.partner_a, world.cohort_a),
                (world.partner_b, world.cohort_b),
                (world.partner_a, world.cohort_a),
            )
        ]
        for mentee, status in zip(waiting, ["proposed", "proposed", "proposed", "rejected"], strict=True):
            Proposal.objects.create(
                mentor=MentorProfileFactory().user,
                mentee=mentee,
                cohort=mentee.mentee_profile.cohort,
                score=60,
                status=status,
                reason="Not now" if status == "rejected" else "",
                manual=True,
            )
        # Concerns: two open about young people at partner A, one closed.
        about = world.mentee_under_16
        concerns = [raise_concern(reporter=world.mentor, young_person=about) for _ in range(3)]
        Concern.objects.filter(pk=concerns[0].pk).update(status=Concern.Status.CLOSED)
        # Certificates: two being prepared, one issued.
        for status in ("pending", "pending", "issued"):
            holder = MentorProfileFactory().user
            Certificate.objects.create(
                user=holder,
                holder_name=holder.get_full_name(),
                title="Mentor training",
                completed_on=timezone.localdate(),
                status=status,
            )
    return world


def _label(attributes: str, count: str, text: str) -> str:
    """The link's words without its count: "5 under 16 at Alder Park School" is "under 16 at ..."."""
    found = re.search(r'aria-label="([^"]*)"', attributes)
    words = html.unescape(found.group(1) if found else re.sub(r"<[^>]+>", " ", text))
    return " ".join(re.sub(rf"\b{count}\b", " ", words, count=1).replace(":", " ").split())


def _counts(client) -> dict[str, tuple[int, str]]:
    """The home page's linked counts: label (without its number) -> (count, link)."""
    page = client.get(reverse("home")).content.decode()
    return {
        _label(before + after, count, text): (
            int(count),
            html.unescape(re.search(r'href="([^"]+)"', before + after)[1]),
        )
        for before, count, after, text in COUNT_LINK.findall(page)
    }


def _rows_behind(client, url: str) -> int:
    """The rows of the list at `url` (a table's row headers, or else its cards), over all its pages;
    a link to a part of a page (`#id`) counts the rows of that section."""
    url, _hash, section = url.partition("#")
    rows, path = 0, url.split("?", 1)[0]
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        if section:
            page = page.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
        if "<tbody>" in page:
            rows += len(ROW.findall(page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]))
        else:
            rows += page.split("<main", 1)[1].count("<article")
        found = NEXT.search(page)
        url = path + html.unescape(found[1]) if found else None
    return rows


COORDINATOR = [
    "open relationships",
    "active",
    "mentees waiting for a match",
    "ended early",
    "sessions this month",
    "not logged",
    "missed their cadence",
    "no goals yet",
    "check-ins needing action",
    "mentor requests to answer",
    "mentees at Alder Park School",
    "under 16 at Alder Park School",
    "under 18 at Alder Park School",
    "cohorts at Alder Park School",
    "proposed matches awaiting your decision",
    "mentees in Autumn intake",
    "mentees in Spring intake",
]
DSL = [
    "See all mentees under 18",
    "mentees at Alder Park School",
    "under 16 at Alder Park School",
    "under 18 at Alder Park School",
    "cohorts at Alder Park School",
    "open concerns",
]
STAFF = [
    "mentors",
    "mentees",
    "active youth partners",
    "open relationships",
    "School",
    "College",
    "mentor requests to answer",
    "learners overdue",
    "certificates being prepared",
    "proposed matches awaiting your decision",
    "cohorts in Future Paths Mentoring",
]
MENTOR = ["open opportunities"]
CASES = (
    [("coordinator_a", label) for label in COORDINATOR]
    + [("dsl_a", label) for label in DSL]
    + [("staff", label) for label in STAFF]
    + [("mentor", label) for label in MENTOR]
)


@pytest.mark.parametrize(("persona", "label"), CASES)
def test_a_home_page_count_equals_the_rows_of_the_list_it_links_to(more, client_for, persona, label):
    client = client_for(getattr(more, persona))
    count, url = _counts(client)[label]
    assert count > 0, f"{label}: the data should make this count more than zero"
    assert _rows_behind(client, url) == count, f"{persona}'s {label!r} ({count}) links to {url}"


@pytest.mark.parametrize("persona", ["coordinator_a", "dsl_a", "staff", "mentor"])
def test_every_linked_count_on_the_home_page_has_its_test(more, client_for, persona):
    labels = set(_counts(client_for(getattr(more, persona))))
    assert labels == {label for who, label in CASES if who == persona}


def test_the_dsl_sees_all_under_18s_not_only_the_16_and_17_year_olds(more, client_for):
    client = client_for(more.dsl_a)
    count, url = _counts(client)["See all mentees under 18"]
    page = client.get(url).content.decode()
    assert more.mentee_under_16.get_full_name() in page
    assert more.mentee_over_18.get_full_name() not in page
    assert _rows_behind(client, url) == count
