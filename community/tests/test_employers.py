import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import MentorProfile, Role
from accounts.tests.factories import MentorProfileFactory, UserFactory
from matching.employers import mentor_employer_keys, normalise_organisation
from mentoring.models import Relationship, SessionLog
from mentoring.tests.factories import CohortFactory, RelationshipFactory, SessionLogFactory
from training.models import Certificate

from .. import selectors, services
from .factories import EmployerContactFactory, EmployerMembershipFactory, EmployerPartnerFactory, mentor_user

pytestmark = pytest.mark.django_db


def _employer_with(mentors: int, *, sessions_by: int = 0, trained: int = 0, mentees_per_mentor: int = 1):
    """An employer with `mentors` linked mentors, the first `sessions_by` of whom held a 90-minute
    session with each of their mentees, and the first `trained` of whom hold a certificate."""
    employer = EmployerPartnerFactory(name="Acme Engineering")
    linked = [EmployerMembershipFactory(employer=employer).mentor for _ in range(mentors)]
    for mentor in linked[:sessions_by]:
        for _ in range(mentees_per_mentor):
            relationship = RelationshipFactory(mentor=mentor)
            SessionLogFactory(session__relationship=relationship, duration_minutes=90)
    for mentor in linked[:trained]:
        Certificate.objects.create(
            user=mentor,
            holder_name=mentor.get_full_name(),
            title="Level One",
            completed_on="2026-01-01",
            status=Certificate.Status.ISSUED,
        )
    return employer, linked


def _values(figures):
    return {figure.key: figure.value for figure in figures}


def test_figures_for_a_large_enough_group():
    employer, _mentors = _employer_with(12, sessions_by=6, trained=5)
    values = _values(selectors.employer_figures(employer))
    assert values == {
        "mentors_linked": 12,
        "mentors_active": 6,
        "sessions_held": 6,
        "hours_volunteered": 9.0,
        "training_completed": 5,
        "young_people_mentored": 6,
    }
    headline = selectors.impact_headline(selectors.employer_figures(employer))
    assert headline == "Your staff have mentored 6 young people, giving 9 hours in mentoring sessions."


@pytest.mark.parametrize("linked", [1, 2, 3, 4])
def test_an_employer_with_fewer_than_five_mentors_sees_nothing(linked):
    employer, _mentors = _employer_with(linked, sessions_by=linked, trained=linked, mentees_per_mentor=3)
    figures = selectors.employer_figures(employer)
    assert all(figure.value is None for figure in figures)
    assert selectors.impact_headline(figures) == ""


def test_each_figure_behind_fewer_than_five_mentors_is_suppressed():
    # Eight mentors, but only four held sessions (with many young people) and only two are trained.
    employer, _mentors = _employer_with(8, sessions_by=4, trained=2, mentees_per_mentor=3)
    values = _values(selectors.employer_figures(employer))
    assert values["mentors_linked"] == 8
    assert values["mentors_active"] is None  # four active mentors
    assert values["sessions_held"] is None  # twelve sessions, but from four mentors
    assert values["hours_volunteered"] is None
    assert values["training_completed"] is None
    assert values["young_people_mentored"] is None  # twelve young people, four mentors


@pytest.mark.parametrize(
    ("linked", "trained", "note"),
    [
        (8, 8, ""),
        (8, 0, ""),
        (12, 7, ""),
        (8, 4, "fewer than 5 people behind this figure"),
        (8, 1, "fewer than 5 people behind this figure"),
        # "8 linked, 6 trained" would say that 2 are not: hidden, and the note says so rather than
        # claiming that fewer than five were trained.
        (8, 6, "the rest of your mentors are fewer than 5"),
        (8, 7, "the rest of your mentors are fewer than 5"),
    ],
)
def test_a_share_of_mentors_is_hidden_when_it_or_the_rest_is_a_small_group_and_says_which(
    linked, trained, note
):
    employer, _mentors = _employer_with(linked, trained=trained)
    figure = next(f for f in selectors.employer_figures(employer) if f.key == "training_completed")
    assert figure.value == (None if note else trained)
    assert note in figure.note


def test_exactly_five_is_shown_and_zero_is_not_a_small_group():
    employer, _mentors = _employer_with(5, sessions_by=5)
    values = _values(selectors.employer_figures(employer))
    assert values["mentors_active"] == 5
    assert values["sessions_held"] == 5
    assert values["training_completed"] == 0


def test_a_small_group_of_young_people_is_suppressed_even_with_many_mentors():
    employer, mentors = _employer_with(6)
    # Six mentors share three young people between them (one-to-two groups, say).
    mentees = [UserFactory() for _ in range(3)]
    for index, mentor in enumerate(mentors):
        RelationshipFactory(mentor=mentor, mentee=mentees[index % 3], status=Relationship.Status.COMPLETED)
    assert _values(selectors.employer_figures(employer))["young_people_mentored"] is None


def test_the_contact_sees_their_figures_and_downloads_them_safely(client, django_assert_max_num_queries):
    employer, _mentors = _employer_with(6, sessions_by=6, trained=6)
    employer.name = "=HYPERLINK(evil)"
    employer.save()
    contact = EmployerContactFactory(employer=employer).user
    client.force_login(contact)
    with django_assert_max_num_queries(14):
        home = client.get(reverse("home"))
    assert "Mentors from your organisation" in home.content.decode()
    # The figures (five queries) and their breakdown by month, programme and partner (six).
    with django_assert_max_num_queries(17):
        page = client.get(reverse("community:employer_dashboard", kwargs={"pk": employer.pk}))
    html = page.content.decode()
    assert "Your staff have mentored 6 young people" in html
    for mentor in _mentors:
        assert mentor.get_full_name() not in html
    response = client.get(reverse("community:employer_figures_csv", kwargs={"pk": employer.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Employer", "Figure", "Value", "Note"]
    assert rows[1] == ["'=HYPERLINK(evil)", "Mentors from your organisation", "6", ""]
    assert rows[5] == ["'=HYPERLINK(evil)", "Mentors who completed their training", "6", ""]


def test_a_small_employers_download_holds_no_numbers(client):
    employer, _mentors = _employer_with(3, sessions_by=3)
    contact = EmployerContactFactory(employer=employer).user
    client.force_login(contact)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("community:employer_figures_csv", kwargs={"pk": employer.pk})
                ).content.decode()
            )
        )
    )
    assert all(row[2] == "" for row in rows[1:])
    assert all("fewer than 5" in row[3] for row in rows[1:])


def test_a_contact_cannot_see_another_employer(client):
    mine = EmployerPartnerFactory()
    theirs = EmployerPartnerFactory()
    contact = EmployerContactFactory(employer=mine).user
    client.force_login(contact)
    assert client.get(reverse("community:employer_dashboard", kwargs={"pk": theirs.pk})).status_code == 404


def test_employer_keys_for_conflict_checks():
    employer = EmployerPartnerFactory(name="Northway Consulting Ltd")
    linked = EmployerMembershipFactory(employer=employer).mentor
    # A linked mentor's employer partner wins over whatever they typed on their profile.
    MentorProfile.objects.filter(user=linked).update(employer_name="Self-employed")
    by_name = mentor_user(employer_name="  Northway   consulting ")
    other = mentor_user(employer_name="The Harbour Trust")
    nobody = MentorProfileFactory(employer_name="").user
    keys = mentor_employer_keys([linked.pk, by_name.pk, other.pk, nobody.pk])
    assert keys == {
        linked.pk: "northway consulting",
        by_name.pk: "northway consulting",
        other.pk: "harbour trust",
    }


def test_employer_keys_compare_with_matchings_organisations():
    mentor = EmployerMembershipFactory(
        employer=EmployerPartnerFactory(name="Brightwater Engineering plc")
    ).mentor
    youth_partner_name = "Brightwater Engineering"  # an employer programme taking mentees
    assert mentor_employer_keys([mentor.pk])[mentor.pk] == normalise_organisation(youth_partner_name)


def test_adding_a_contact_gives_the_role(world):
    employer = EmployerPartnerFactory()
    person = UserFactory()
    services.employer_contact_add(actor=world.staff, employer=employer, user=person)
    person = type(person).objects.get(pk=person.pk)
    assert Role.EMPLOYER_CONTACT in person.roles
    assert person.primary_role == Role.EMPLOYER_CONTACT


def test_adding_a_contact_in_the_admin_gives_the_role(admin_client):
    employer = EmployerPartnerFactory()
    person = UserFactory()
    response = admin_client.post(
        reverse("admin:community_employercontact_add"), {"user": person.pk, "employer": employer.pk}
    )
    assert response.status_code == 302
    assert Role.EMPLOYER_CONTACT in type(person).objects.get(pk=person.pk).roles
    assert (
        admin_client.get(reverse("admin:community_employerpartner_change", args=[employer.pk])).status_code
        == 200
    )


def test_a_contact_not_yet_linked_is_told_so(client):
    from accounts.tests.factories import RoleAssignmentFactory

    person = UserFactory()
    RoleAssignmentFactory(user=person, role=Role.EMPLOYER_CONTACT)
    client.force_login(person)
    assert "not yet linked to your organisation" in client.get(reverse("home")).content.decode()


def test_a_mentor_links_themselves_to_their_employer_and_can_undo_it(client):
    from community.models import EmployerMembership, EmployerPartner

    mentor = MentorProfileFactory().user
    employer = EmployerPartner.objects.create(name="Brightwater Engineering")
    EmployerPartner.objects.create(name="Closed Ltd", is_active=False)
    client.force_login(mentor)
    url = reverse("community:my_employer")
    page = client.get(url)
    assert "Brightwater Engineering" in page.content.decode()
    assert "Closed Ltd" not in page.content.decode()  # only active partners are offered

    response = client.post(url, {"employer": employer.pk})
    assert response.status_code == 302
    assert EmployerMembership.objects.get(mentor=mentor).employer == employer
    assert "You mentor through" in client.get(url).content.decode()

    # A made-up choice is refused and changes nothing.
    bad = client.post(url, {"employer": 999999})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()
    assert EmployerMembership.objects.get(mentor=mentor).employer == employer

    client.post(url, {"employer": ""})
    assert not EmployerMembership.objects.filter(mentor=mentor).exists()


def _breakdowns_with(*sizes: int):
    """Groups of mentors of these sizes, each group in its own programme at its own youth partner, each
    mentor with one young person and one 90-minute session held an hour ago."""
    from django.utils import timezone

    from mentoring.tests.factories import CohortFactory

    employer = EmployerPartnerFactory(name="Acme Engineering")
    when = timezone.now() - timedelta(hours=1)
    for size, cohort in ((size, CohortFactory()) for size in sizes):
        for _ in range(size):
            mentor = EmployerMembershipFactory(employer=employer).mentor
            relationship = RelationshipFactory(mentor=mentor, cohort=cohort)
            SessionLogFactory(
                session__relationship=relationship, session__starts_at=when, duration_minutes=90
            )
    return employer, when


def test_the_full_figures_break_down_by_month_programme_and_partner_hiding_groups_under_five():
    from django.utils import timezone

    employer, when = _breakdowns_with(7, 6, 2)
    by_title = {b.title: b for b in selectors.employer_breakdowns(employer)}
    assert list(by_title) == ["By month", "By programme", "By youth partner"]
    month = timezone.localtime(when).strftime("%B %Y")
    assert by_title["By month"].rows == [(month, [15, 15, 15, 22.5])]
    hidden = [None, None, None, None]
    for title in ("By programme", "By youth partner"):
        cells = [cells for _group, cells in by_title[title].rows]
        # The group of 2 is hidden; so is the group of 6, or 15 - 7 - 6 would give the 2 away.
        assert sorted(cells, key=str) == sorted([[7, 7, 7, 10.5], hidden, hidden], key=str)


def test_no_hidden_breakdown_cell_can_be_worked_out_from_the_total_and_the_rest():
    employer, _when = _breakdowns_with(9, 3, 8, 6)
    for breakdown in selectors.employer_breakdowns(employer)[1:]:
        for column in range(len(breakdown.columns)):
            cells = [cells[column] for _group, cells in breakdown.rows]
            assert cells.count(None) != 1, (breakdown.title, breakdown.columns[column], cells)


def test_a_group_of_exactly_five_is_shown_in_the_breakdown():
    employer, _when = _breakdowns_with(5, 5)
    programmes = selectors.employer_breakdowns(employer)[1]
    assert [cells for _group, cells in programmes.rows] == [[5, 5, 5, 7.5], [5, 5, 5, 7.5]]


def test_the_breakdown_is_on_the_full_figures_page_and_in_the_download(client):
    employer, _when = _breakdowns_with(7, 6, 2)
    client.force_login(EmployerContactFactory(employer=employer).user)
    page = client.get(reverse("community:employer_dashboard", kwargs={"pk": employer.pk})).content.decode()
    for heading in ("By month", "By programme", "By youth partner"):
        assert f">{heading}</h2>" in page
    assert "Not shown" in page
    response = client.get(reverse("community:employer_figures_csv", kwargs={"pk": employer.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_month = [row for row in rows if row[1].startswith("By month: ")]
    assert [row[2] for row in by_month] == ["15", "15", "15", "22.5"]
    hidden = [row for row in rows if row[1].startswith("By programme: ") and row[2] == ""]
    # The group of two for being small; the group of six so that the two cannot be worked out.
    assert (
        sorted(row[3] for row in hidden) == [selectors.SECONDARY_NOTE] * 4 + [selectors.SUPPRESSED_NOTE] * 4
    )


def test_a_small_employer_has_no_breakdown():
    employer, _mentors = _employer_with(4, sessions_by=4)
    assert selectors.employer_breakdowns(employer) == []


def test_the_figures_follow_session_logs_added_edited_and_deleted():
    employer = EmployerPartnerFactory()
    cohort = CohortFactory()
    relationships = [
        RelationshipFactory(mentor=EmployerMembershipFactory(employer=employer).mentor, cohort=cohort)
        for _ in range(6)
    ]
    for relationship in relationships:
        SessionLogFactory(session__relationship=relationship, duration_minutes=90)

    def figures():
        values = _values(selectors.employer_figures(employer))
        programme = selectors.employer_breakdowns(employer)[1].rows
        return values["sessions_held"], values["hours_volunteered"], programme[0][1][2:]

    assert figures() == (6, 9.0, [6, 9.0])
    added = SessionLogFactory(session__relationship=relationships[0], duration_minutes=30)
    SessionLogFactory(session__relationship=relationships[1], held=False, duration_minutes=None)
    assert figures() == (7, 9.5, [7, 9.5])
    added.duration_minutes = 120
    added.save()
    assert figures() == (7, 11.0, [7, 11.0])
    added.held, added.duration_minutes = False, None
    added.save()
    assert figures() == (6, 9.0, [6, 9.0])
    for log in SessionLog.objects.filter(session__relationship__in=relationships[:2], held=True):
        log.session.delete()
    # Four mentors held sessions now: too few to show.
    assert figures() == (None, None, [None, None])
    SessionLogFactory(session__relationship=relationships[0], duration_minutes=60)
    assert figures() == (5, 7.0, [5, 7.0])


def test_the_figures_page_runs_as_many_queries_with_more_mentors_and_sessions(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    employer, mentors = _employer_with(5, sessions_by=5)
    client.force_login(EmployerContactFactory(employer=employer).user)
    url = reverse("community:employer_dashboard", kwargs={"pk": employer.pk})

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()  # the first request of a session reads more (the session, the user's settings)
    few = queries()
    for mentor in mentors + [EmployerMembershipFactory(employer=employer).mentor for _ in range(5)]:
        for _ in range(2):
            SessionLogFactory(session__relationship=RelationshipFactory(mentor=mentor), duration_minutes=45)
    # The session, the person, their roles; the employer (scoped to them), its linked and trained
    # mentors, their relationships, their months.
    assert queries() == few == 7
