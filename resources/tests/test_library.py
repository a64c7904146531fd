"""The resource library: who sees what, ratings and ranking, planning resources for a session,
suggestions on the session log page, printing, authoring, the FAQ, and the starter content."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import MenteeProfileFactory
from core import policy
from core.errors import ApplicationError
from mentoring.models import MentoringSession
from mentoring.tests.factories import (
    GoalFactory,
    MentoringSessionFactory,
    RelationshipFactory,
    SessionLogFactory,
)

from .. import selectors, services
from ..loader import load_starter_content
from ..models import FaqEntry, Resource, ResourceRating, SessionResource
from .factories import FaqEntryFactory, ResourceFactory, ResourceRatingFactory

pytestmark = pytest.mark.django_db


def _titles(response):
    return [resource.title for resource in response.context["page"]]


# Who sees what --------------------------------------------------------------------------------------


def test_mentors_see_resources_for_their_mentees_ages_by_default_and_can_widen(world, client):
    # The world's mentor has a 14-year-old and a 19-year-old: under 16 and adult.
    ResourceFactory(title="Under sixteens", for_under_16=True, for_16_to_18=False, for_adults=False)
    ResourceFactory(title="Sixth formers", for_under_16=False, for_16_to_18=True, for_adults=False)
    ResourceFactory(title="Adults", for_under_16=False, for_16_to_18=False, for_adults=True)
    client.force_login(world.mentor)
    assert sorted(_titles(client.get(reverse("resources:resource_list")))) == ["Adults", "Under sixteens"]
    everything = client.get(reverse("resources:resource_list"), {"audience": "all"})
    assert sorted(_titles(everything)) == ["Adults", "Sixth formers", "Under sixteens"]
    only_16 = client.get(reverse("resources:resource_list"), {"audience": "16_18"})
    assert _titles(only_16) == ["Sixth formers"]


def test_a_mentor_without_mentees_and_partner_staff_see_every_age(world, client):
    ResourceFactory(title="Sixth formers", for_under_16=False, for_16_to_18=True, for_adults=False)
    for user in (world.coordinator_a, world.dsl_a):
        client.force_login(user)
        assert _titles(client.get(reverse("resources:resource_list"))) == ["Sixth formers"]


def test_drafts_are_seen_only_by_staff(world, client):
    ResourceFactory(title="Published one")
    ResourceFactory(title="Work in progress", status=Resource.Status.DRAFT)
    client.force_login(world.mentor)
    assert _titles(client.get(reverse("resources:resource_list"), {"audience": "all"})) == ["Published one"]
    client.force_login(world.staff)
    assert sorted(_titles(client.get(reverse("resources:resource_list")))) == [
        "Published one",
        "Work in progress",
    ]


def test_mentees_and_funders_do_not_use_the_library(world):
    resource = ResourceFactory()
    for user in (world.mentee_under_16, world.mentee_over_18, world.funder):
        assert not policy.can(user, policy.VIEW, resource)
        assert not policy.scope(user, policy.VIEW, Resource).exists()


def test_search_matches_every_word_in_title_summary_keywords_or_body(world, client):
    ResourceFactory(title="Writing a first CV", keywords="cv, job")
    ResourceFactory(title="Revision", body="Use past papers and flashcards.")
    client.force_login(world.staff)
    url = reverse("resources:resource_list")
    assert _titles(client.get(url, {"q": "first cv"})) == ["Writing a first CV"]
    assert _titles(client.get(url, {"q": "flashcards"})) == ["Revision"]
    assert _titles(client.get(url, {"q": "flashcards cv"})) == []


def test_list_filters_by_topic_and_ingredient(world, client):
    ResourceFactory(title="Goals", ingredient="goals", topic="confidence")
    ResourceFactory(title="Wellbeing", ingredient="safe_space", topic="wellbeing")
    client.force_login(world.staff)
    url = reverse("resources:resource_list")
    assert _titles(client.get(url, {"topic": "wellbeing"})) == ["Wellbeing"]
    assert _titles(client.get(url, {"ingredient": "goals"})) == ["Goals"]


@pytest.mark.parametrize("count", [3, 30])
def test_resource_list_uses_a_bounded_number_of_queries(world, client, django_assert_max_num_queries, count):
    for _ in range(count):
        resource = ResourceFactory()
        ResourceRatingFactory(resource=resource, mentor=world.mentor)
    client.force_login(world.mentor)
    # Sign-in and roles, navigation, the mentee audiences, the count and the page of resources.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("resources:resource_list"))
    assert response.status_code == 200


# Ratings and ranking --------------------------------------------------------------------------------


def test_a_mentor_rates_once_and_can_change_their_rating(world):
    resource = ResourceFactory()
    services.resource_rate(actor=world.mentor, resource=resource, stars=2)
    services.resource_rate(actor=world.mentor, resource=resource, stars=5)
    services.resource_rate(actor=world.other_mentor, resource=resource, stars=4)
    assert ResourceRating.objects.filter(resource=resource).count() == 2
    resource.refresh_from_db()
    assert (resource.rating_count, resource.rating_total, resource.average_rating) == (2, 9, 4.5)


def test_the_database_refuses_a_second_rating_by_the_same_mentor(world):
    resource = ResourceFactory()
    ResourceRatingFactory(resource=resource, mentor=world.mentor)
    with pytest.raises(IntegrityError):
        ResourceRatingFactory(resource=resource, mentor=world.mentor)


@pytest.mark.parametrize("stars", [0, 6])
def test_ratings_are_one_to_five(world, stars):
    with pytest.raises(ApplicationError):
        services.resource_rate(actor=world.mentor, resource=ResourceFactory(), stars=stars)


@pytest.mark.parametrize("persona", ["staff", "coordinator_a", "mentee_over_18"])
def test_only_mentors_rate(world, persona):
    with pytest.raises(ApplicationError):
        services.resource_rate(actor=getattr(world, persona), resource=ResourceFactory(), stars=5)


def test_a_draft_cannot_be_rated(world):
    with pytest.raises(ApplicationError):
        services.resource_rate(actor=world.mentor, resource=ResourceFactory(status="draft"), stars=5)


def test_rating_through_the_page(world, client):
    resource = ResourceFactory()
    client.force_login(world.mentor)
    response = client.post(reverse("resources:resource_rate", args=[resource.slug]), {"stars": "4"})
    assert response.status_code == 302
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "4.0 out of 5 from 1 mentor" in page and "You gave it 4 out of 5" in page


def test_the_best_rated_and_most_used_rise(world):
    plain = ResourceFactory(title="A plain one")
    loved = ResourceFactory(title="B loved one")
    used = ResourceFactory(title="C used one")
    mentors = [world.mentor, world.other_mentor]
    for mentor in mentors:
        services.resource_rate(actor=mentor, resource=loved, stars=5)
    for _ in range(6):
        session = MentoringSessionFactory(relationship=world.relationship_under_16)
        services.resource_attach(actor=world.mentor, resource=used, session=session)
    order = [resource.title for resource in Resource.objects.ranked()]
    assert order.index("B loved one") < order.index("A plain one")
    assert order.index("C used one") < order.index("A plain one")
    # One low rating sinks a resource below an unrated one.
    services.resource_rate(actor=world.mentor, resource=plain, stars=1)
    assert [r.title for r in Resource.objects.ranked()][-1] == "A plain one"


# Planning a resource for a session ------------------------------------------------------------------


def test_a_mentor_plans_a_resource_for_their_upcoming_session(world, client):
    resource = ResourceFactory(title="Values cards")
    session = MentoringSessionFactory(relationship=world.relationship_under_16)
    client.force_login(world.mentor)
    response = client.post(
        reverse("resources:resource_attach", args=[resource.slug]), {"session": session.pk}
    )
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert SessionResource.objects.filter(session=session, resource=resource).exists()
    resource.refresh_from_db()
    assert resource.use_count == 1
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Resources planned for this session" in page and "Values cards" in page
    # The coordinator of the school sees the plan; the mentee's page does not show library items.
    client.force_login(world.coordinator_a)
    assert "Values cards" in client.get(session.get_absolute_url()).content.decode()


def test_a_mentor_cannot_plan_for_someone_elses_or_a_past_session(world):
    resource = ResourceFactory()
    others = MentoringSessionFactory(relationship=world.relationship_b)
    with pytest.raises(ApplicationError):
        services.resource_attach(actor=world.mentor, resource=resource, session=others)
    past = MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    with pytest.raises(ApplicationError):
        services.resource_attach(actor=world.mentor, resource=resource, session=past)
    cancelled = MentoringSessionFactory(
        relationship=world.relationship_under_16, status=MentoringSession.Status.CANCELLED
    )
    with pytest.raises(ApplicationError):
        services.resource_attach(actor=world.mentor, resource=resource, session=cancelled)
    assert not SessionResource.objects.exists()


def test_removing_a_plan_lowers_the_use_count(world, client):
    resource = ResourceFactory()
    session = MentoringSessionFactory(relationship=world.relationship_under_16)
    planned = services.resource_attach(actor=world.mentor, resource=resource, session=session)
    client.force_login(world.coordinator_a)
    assert client.post(reverse("resources:planned_remove", args=[planned.pk])).status_code == 403
    client.force_login(world.mentor)
    assert client.post(reverse("resources:planned_remove", args=[planned.pk])).status_code == 302
    resource.refresh_from_db()
    assert resource.use_count == 0


# Suggestions ----------------------------------------------------------------------------------------


def _log_page(client, world, session):
    client.force_login(world.mentor)
    return client.get(reverse("mentoring:session_log", args=[session.pk])).content.decode()


def test_without_goals_the_log_page_suggests_goal_setting(world, client):
    ResourceFactory(title="Goal-setting worksheet", ingredient="goals")
    ResourceFactory(title="Goal review worksheet", ingredient="goals", keywords="goal, review")
    ResourceFactory(title="Revision strategies", topic="study", ingredient="tailored")
    session = MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    page = _log_page(client, world, session)
    assert "Goal-setting worksheet" in page and "No goals set yet" in page
    assert "Revision strategies" not in page and "Goal review worksheet" not in page


def test_a_goal_past_its_date_brings_the_review_worksheet_forward(world):
    ResourceFactory(title="Goal-setting worksheet", ingredient="goals")
    ResourceFactory(title="Goal review worksheet", ingredient="goals", keywords="goal, review")
    GoalFactory(
        relationship=world.relationship_under_16,
        title="Finish a CV",
        target_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    session = MentoringSessionFactory(relationship=world.relationship_under_16)
    suggested = selectors.resources_suggested_for_session(user=world.mentor, session=session)
    assert [s.resource.title for s in suggested] == ["Goal review worksheet"]


def test_suggestions_follow_the_topics_and_goals_in_play(world, client):
    ResourceFactory(title="Goal-setting worksheet", ingredient="goals")
    ResourceFactory(title="Revision strategies", topic="study", keywords="revision, exams")
    ResourceFactory(title="Writing a first CV", topic="employability", keywords="cv, job")
    GoalFactory(relationship=world.relationship_under_16, title="Revise for my maths exams")
    SessionLogFactory(
        session=MentoringSessionFactory(
            relationship=world.relationship_under_16,
            starts_at=timezone.now() - datetime.timedelta(days=30),
            status="held",
        ),
        topics=["study"],
    )
    session = MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    page = _log_page(client, world, session)
    assert "Revision strategies" in page and "Topic: Study and exams" in page and "Fits a goal: exams" in page
    assert "Writing a first CV" not in page


def test_suggestions_respect_the_mentees_age(world):
    ResourceFactory(title="Adults only", ingredient="goals", for_under_16=False, for_16_to_18=False)
    session = MentoringSessionFactory(relationship=world.relationship_under_16)
    assert selectors.resources_suggested_for_session(user=world.mentor, session=session) == []
    adult_session = MentoringSessionFactory(relationship=world.relationship_over_18)
    suggested = selectors.resources_suggested_for_session(user=world.mentor, session=adult_session)
    assert [s.resource.title for s in suggested] == ["Adults only"]


def test_the_mentor_home_shows_resources_for_the_next_session(world, client):
    planned = ResourceFactory(title="Values cards")
    ResourceFactory(title="Goal-setting worksheet", ingredient="goals")
    session = MentoringSessionFactory(relationship=world.relationship_under_16)
    services.resource_attach(actor=world.mentor, resource=planned, session=session)
    client.force_login(world.mentor)
    page = client.get(reverse("home")).content.decode()
    assert "Resources for your next session" in page
    assert "Values cards" in page and "Goal-setting worksheet" in page


def test_the_mentor_home_suggests_from_the_goals_of_the_next_sessions_pair_only(world, client):
    ResourceFactory(title="Goal-setting worksheet", ingredient="goals")
    ResourceFactory(title="Goal review worksheet", ingredient="goals", keywords="goal, review")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # The mentor's other pair has a goal past its date; the next session's pair has none yet.
    GoalFactory(relationship=world.relationship_over_18, title="Finish a CV", target_date=yesterday)
    MentoringSessionFactory(relationship=world.relationship_under_16)
    client.force_login(world.mentor)
    page = client.get(reverse("home")).content.decode()
    assert "Goal-setting worksheet" in page and "Goal review worksheet" not in page
    GoalFactory(relationship=world.relationship_under_16, title="Choose my A-levels", target_date=yesterday)
    page = client.get(reverse("home")).content.decode()
    assert "Goal review worksheet" in page and "Goal-setting worksheet" not in page


# Printing and authoring -----------------------------------------------------------------------------


def test_the_printable_version_is_a_pdf_with_the_text(world, client):
    from io import BytesIO

    from pypdf import PdfReader

    resource = ResourceFactory(title="Next time sheet", body="## Today we talked about\n\n1. Careers\n")
    client.force_login(world.mentor)
    response = client.get(reverse("resources:resource_pdf", args=[resource.slug]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    assert "Next time sheet" in text and "Today we talked about" in text


def test_staff_write_preview_and_publish_a_resource(world, client):
    client.force_login(world.staff)
    data = {
        "title": "Budgeting your first pay",
        "summary": "What comes out of a payslip.",
        "kind": "guide",
        "topic": "employability",
        "ingredient": "tailored",
        "for_16_to_18": "on",
        "minutes": 15,
        "keywords": "money, pay",
        "body": "## Your payslip\n\nTax, National Insurance.",
    }
    preview = client.post(reverse("resources:resource_create"), {**data, "preview": "Preview"})
    assert "<h2>Your payslip</h2>" in preview.content.decode()
    assert not Resource.objects.exists()
    response = client.post(reverse("resources:resource_create"), {**data, "save": "Save draft"})
    resource = Resource.objects.get()
    assert response["Location"] == resource.get_absolute_url()
    assert resource.status == Resource.Status.DRAFT and resource.slug == "budgeting-your-first-pay"
    assert not policy.can(world.mentor, policy.VIEW, resource)
    client.post(reverse("resources:resource_publish", args=[resource.slug]), {"action": "publish"})
    resource.refresh_from_db()
    assert resource.is_published and resource.published_at is not None
    assert policy.can(world.mentor, policy.VIEW, resource)


def test_a_resource_needs_an_audience(world):
    with pytest.raises(ValidationError):
        services.resource_create(
            actor=world.staff,
            title="Nobody",
            summary="s",
            body="b",
            topic="confidence",
            ingredient="goals",
            for_under_16=False,
            for_16_to_18=False,
            for_adults=False,
        )


def test_only_staff_author(world):
    with pytest.raises(ApplicationError):
        services.resource_create(actor=world.mentor, title="x", summary="s", body="b", topic="confidence")


# FAQ ------------------------------------------------------------------------------------------------


def test_faq_search_finds_questions_and_answers(world, client):
    FaqEntryFactory(question="How do I get work experience?", answer="Ask your careers lead.")
    FaqEntryFactory(question="Is university the only route?", answer="No: apprenticeships too.")
    FaqEntryFactory(question="Hidden one", answer="apprenticeships", is_published=False)
    client.force_login(world.mentor)
    url = reverse("resources:faq_list")
    found = [entry.question for entry in client.get(url, {"q": "apprenticeships"}).context["page"]]
    assert found == ["Is university the only route?"]
    found = [entry.question for entry in client.get(url, {"q": "careers lead"}).context["page"]]
    assert found == ["How do I get work experience?"]


def test_staff_edit_the_faq(world, client):
    entry = FaqEntryFactory()
    client.force_login(world.staff)
    response = client.post(
        reverse("resources:faq_edit", args=[entry.pk]),
        {"question": "New wording?", "answer": "An answer.", "topic": "options", "position": 5},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.question == "New wording?" and entry.is_published is False


# Starter content and demo ---------------------------------------------------------------------------


def test_starter_content_loads_once_and_keeps_staff_edits():
    first = load_starter_content()
    assert first.resources_created >= 14 and first.faq_created >= 12
    goal_sheet = Resource.objects.get(slug="goal-setting-worksheet")
    assert goal_sheet.is_published and goal_sheet.ingredient == "goals"
    Resource.objects.filter(slug="values-cards").update(title="Our values cards")
    second = load_starter_content()
    assert (second.resources_created, second.faq_created) == (0, 0)
    assert Resource.objects.get(slug="values-cards").title == "Our values cards"
    # Every topic and every key ingredient has something.
    assert set(Resource.objects.values_list("topic", flat=True)) >= {
        "confidence", "options", "employability", "study", "wellbeing", "world_of_work", "opportunities",
    }  # fmt: skip
    assert set(Resource.objects.values_list("ingredient", flat=True)) == {
        "goals", "tailored", "opportunities", "continuity", "safe_space",
    }  # fmt: skip
    assert FaqEntry.objects.filter(question="Is university the only route to a good job?").exists()


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("title: [unclosed", "the front matter is not valid YAML at line 2"),
        ("audiences: [16_18]", "each of 'audiences' (in quotes when it starts with a digit) must be text"),
        ("audiences: [teachers]", "unknown audiences ['teachers']"),
    ],
)
def test_a_malformed_starter_file_is_named_and_nothing_is_loaded(tmp_path, header, message):
    import shutil

    from core.content_files import ContentFileError

    from ..loader import STARTER_DIR

    shutil.copytree(STARTER_DIR, tmp_path / "starter")
    broken = tmp_path / "starter" / "library" / "values-cards.md"
    key = header.partition(":")[0]
    lines = broken.read_text(encoding="utf-8").splitlines(keepends=True)
    broken.write_text("".join(header + "\n" if line.startswith(f"{key}:") else line for line in lines))

    with pytest.raises(ContentFileError) as raised:
        load_starter_content(tmp_path / "starter")

    assert str(raised.value).startswith(f"{broken}: ") and message in str(raised.value)
    assert (Resource.objects.count(), FaqEntry.objects.count()) == (0, 0)


def test_demo_extension_is_idempotent(world):
    import random

    from demo.context import DemoContext
    from demo.resources import extend_demo

    from ..models import Bulletin

    session = MentoringSessionFactory(relationship=world.relationship_under_16)
    lines = []
    context = DemoContext(
        rng=random.Random(1),
        seed=1,
        programmes=[world.programme],
        partners=[world.partner_a],
        cohorts=[world.cohort_a],
        mentor_ids=[world.mentor.pk, world.other_mentor.pk],
        mentee_ids=[],
        logins={"mentor": world.mentor},
        password="x",
        log=lines.append,
    )
    extend_demo(context)
    extend_demo(context)
    assert Bulletin.objects.filter(status="sent").count() == 1
    assert (
        SessionResource.objects.filter(session=session, resource__slug="goal-setting-worksheet").count() == 1
    )
    assert ResourceRating.objects.filter(mentor=world.mentor).count() == 3
    assert lines


def test_a_new_relationship_brings_its_mentees_audience_into_the_default(world):
    mentee = MenteeProfileFactory(age=17, youth_partner=world.partner_a, cohort=world.cohort_a).user
    RelationshipFactory(mentor=world.mentor, mentee=mentee, cohort=world.cohort_a)
    assert selectors.mentee_audiences(mentor=world.mentor) == ["under_16", "16_18", "adult"]


@pytest.mark.parametrize("count", [3, 30])
def test_faq_list_uses_a_bounded_number_of_queries(world, client, django_assert_max_num_queries, count):
    for _ in range(count):
        FaqEntryFactory()
    client.force_login(world.mentor)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("resources:faq_list"), {"q": "placement"})
    assert len(response.context["page"]) == count


def test_the_session_log_page_with_suggestions_stays_bounded(world, client, django_assert_max_num_queries):
    for index in range(20):
        ResourceFactory(ingredient="goals" if index % 2 else "tailored", keywords="cv, exams")
        GoalFactory(relationship=world.relationship_under_16, title=f"Goal {index} about exams")
    session = MentoringSessionFactory(
        relationship=world.relationship_under_16, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    client.force_login(world.mentor)
    with django_assert_max_num_queries(25) as captured:
        client.get(reverse("mentoring:session_log", args=[session.pk]))
    resource_queries = [q for q in captured.captured_queries if "resources_resource" in q["sql"]]
    assert len(resource_queries) == 1


def test_the_load_resources_command_reports_what_it_added():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_resources", stdout=out)
    assert (
        f"Added {Resource.objects.count()} resources and {FaqEntry.objects.count()} questions."
        in out.getvalue()
    )
    call_command("load_resources", stdout=out)
    assert "Added 0 resources and 0 questions." in out.getvalue()


def test_taking_a_resource_back_to_draft_hides_it_from_mentors(world, client):
    resource = ResourceFactory()
    client.force_login(world.staff)
    client.post(reverse("resources:resource_publish", args=[resource.slug]), {"action": "unpublish"})
    client.force_login(world.mentor)
    assert client.get(resource.get_absolute_url()).status_code == 404
