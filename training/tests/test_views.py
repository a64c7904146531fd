import csv
import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from training import selectors, services
from training.loader import load_training_content
from training.models import CourseVersion, Enrolment, Module, Question, WorkshopBooking
from training.tests.factories import (
    WorkshopBookingFactory,
    WorkshopFactory,
    build_course,
    correct_answers,
    wrong_answers,
)


@pytest.mark.django_db
def test_mentor_home_shows_what_is_missing(world, level_one, client):
    client.force_login(world.mentor)
    response = client.get("/home/")
    html = response.content.decode()
    assert "Your training" in html
    assert f"{level_one.title}: not started." in html
    assert "Core workshop: not booked yet." in html and "Book a workshop" in html


@pytest.mark.django_db
def test_mentor_home_keeps_a_bounded_number_of_queries(world, django_assert_max_num_queries, client):
    for index in range(4):
        course = build_course(slug=f"required-{index}", modules=3)
        services.enrolment_start(user=world.mentor, course=course)
    client.force_login(world.mentor)
    # Every app's home panels share this page (the mentor home's ceiling in mentoring's home tests);
    # the training panel's queries do not grow with courses.
    with django_assert_max_num_queries(33):
        assert client.get("/home/").status_code == 200


@pytest.mark.django_db
def test_mentee_home_shows_the_induction_as_required_under_18(world, client):
    load_training_content()
    client.force_login(world.mentee_under_16)
    html = client.get("/home/").content.decode()
    assert "Getting ready for mentoring" in html and "please complete it" in html


@pytest.mark.django_db
def test_course_list_is_bounded_in_queries(world, django_assert_max_num_queries, client):
    for index in range(6):
        course = build_course(slug=f"catalogue-{index}", modules=2)
        services.enrolment_start(user=world.mentor, course=course)
    client.force_login(world.mentor)
    # What is still to do for the certificate adds eight: the mentor's programmes (three), issued
    # certificates, core attendance, the booking, the requirement and the enrolments.
    with django_assert_max_num_queries(17):
        response = client.get("/training/")
    assert response.status_code == 200
    assert "0 of 2 modules done" in response.content.decode()


@pytest.mark.django_db
def test_workshop_list_and_reports_are_bounded_in_queries(
    world, level_one, django_assert_max_num_queries, client
):
    for index in range(5):
        workshop = WorkshopFactory(starts_at=timezone.now() + datetime.timedelta(days=index + 1))
        WorkshopBookingFactory(workshop=workshop, user=world.mentor)
        services.enrolment_start(user=world.mentor, course=build_course(slug=f"r-{index}"))
    client.force_login(world.mentor)
    # Each page also carries the shared navigation (messages and worries links): about three queries.
    with django_assert_max_num_queries(9):
        assert client.get("/training/workshops/").status_code == 200
    with django_assert_max_num_queries(16):  # eight of them for what is still to do, as above
        assert client.get("/training/certificates/").status_code == 200
    client.force_login(world.staff)
    # The programme table adds four queries however many programmes there are: mentor roles,
    # relationships, their enrolments and the programmes.
    with django_assert_max_num_queries(15):
        assert client.get("/training/reports/").status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get("/training/manage/").status_code == 200


@pytest.mark.django_db
def test_course_page_resumes_where_the_learner_left_off(world, level_one, client):
    enrolment = services.enrolment_start(user=world.mentor, course=level_one)
    first, second = list(enrolment.version.ordered_modules())[:2]
    services.quiz_submit(
        actor=world.mentor,
        enrolment=enrolment,
        module=first,
        selected=correct_answers(first),
        attempt_number=1,
    )
    client.force_login(world.mentor)
    html = client.get(level_one.get_absolute_url()).content.decode()
    assert "Resume where you left off" in html
    assert f"/training/enrolments/{enrolment.pk}/modules/{second.pk}/" in html
    assert "1 of 4 modules" in html


@pytest.mark.django_db
def test_opening_a_module_not_reached_goes_to_the_next_one_instead(world, level_one, client):
    enrolment = services.enrolment_start(user=world.mentor, course=level_one)
    modules = list(enrolment.version.ordered_modules())
    client.force_login(world.mentor)
    response = client.get(f"/training/enrolments/{enrolment.pk}/modules/{modules[3].pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/modules/{modules[0].pk}/")


@pytest.mark.django_db
def test_module_markdown_is_rendered_and_sanitised(world, level_one, client):
    enrolment = services.enrolment_start(user=world.mentor, course=level_one)
    module = enrolment.version.ordered_modules().first()
    Module.objects.filter(pk=module.pk).update(
        body="**Bold** <script>alert(1)</script> [x](javascript:alert(2))"
    )
    client.force_login(world.mentor)
    html = client.get(f"/training/enrolments/{enrolment.pk}/modules/{module.pk}/").content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>alert(1)" not in html
    assert "javascript:alert" not in html


@pytest.mark.slow_ok(reason="renders the whole mentor manual as a PDF")
@pytest.mark.django_db
def test_manual_pdf_contains_every_module_and_worksheet(world, client):
    load_training_content()
    client.force_login(world.mentor)
    response = client.get("/training/courses/level-one-heart-of-the-matter/manual.pdf")
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Building rapport without shared interests" in text
    assert "What to do on a disclosure" in text
    assert "Goal tracker" in text


@pytest.mark.django_db
def test_progress_csv_neutralises_formulas_in_names(world, level_one, client):
    world.mentor.first_name = "=cmd|' /C calc'!A0"
    world.mentor.save()
    services.enrolment_start(user=world.mentor, course=level_one)
    client.force_login(world.staff)
    response = client.get("/training/reports/progress.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Name"
    assert rows[1][0].startswith("'=")


@pytest.mark.django_db
def test_staff_see_who_is_overdue(world, level_one, client):
    enrolment = services.enrolment_start(user=world.mentor, course=level_one)
    Enrolment.objects.filter(pk=enrolment.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    client.force_login(world.staff)
    html = client.get("/training/reports/").content.decode()
    assert "1 overdue" in html and world.mentor.get_full_name() in html


@pytest.mark.django_db
def test_staff_author_a_course_through_the_pages_and_publish_it(world, client):
    client.force_login(world.staff)
    response = client.post(
        "/training/manage/courses/new/",
        {
            "title": "Museum mentoring",
            "summary": "For the museum pilot",
            "audience": "mentor",
            "deadline_days": 14,
            "order": 5,
        },
    )
    version = CourseVersion.objects.get(course__title="Museum mentoring")
    assert response["Location"] == version.get_absolute_url()
    client.post(version.get_absolute_url(), {"title": "Getting started", "order": 1})
    section = version.sections.get()
    client.post(
        f"/training/manage/sections/{section.pk}/modules/new/",
        {"title": "Your first session", "order": 1, "minutes": 5, "body": "Say hello.", "pass_mark": 80},
    )
    module = Module.objects.get(section=section)
    bad = client.post(
        f"/training/manage/modules/{module.pk}/questions/new/",
        {
            "kind": "single",
            "prompt": "Where do you meet?",
            "choice_1_text": "Library",
            "choice_2_text": "Home",
        },
    )
    assert "Mark at least one answer as correct" in bad.content.decode()
    client.post(
        f"/training/manage/modules/{module.pk}/questions/new/",
        {
            "kind": "single",
            "prompt": "Where do you meet?",
            "choice_1_text": "Library",
            "choice_1_correct": "on",
            "choice_2_text": "Home",
            "choice_2_feedback": "Never at homes.",
        },
    )
    assert Question.objects.get(module=module).choices.count() == 2
    preview = client.get(f"/training/manage/modules/{module.pk}/preview/")
    assert "Say hello." in preview.content.decode()
    client.post(f"/training/manage/versions/{version.pk}/publish/")
    version.refresh_from_db()
    assert version.status == CourseVersion.Status.PUBLISHED
    client.post("/training/manage/courses/museum-mentoring/draft/")
    assert version.course.versions.filter(number=2, status="draft").exists()


@pytest.mark.django_db
def test_mentor_books_attends_and_gives_feedback(world, client):
    workshop = WorkshopFactory()
    client.force_login(world.mentor)
    client.post(f"/training/workshops/{workshop.pk}/book/")
    booking = WorkshopBooking.objects.get(workshop=workshop, user=world.mentor)
    assert booking.status == "booked"
    WorkshopBooking.objects.filter(pk=booking.pk).update(attended=True)
    client.post(f"/training/workshops/{workshop.pk}/feedback/", {"rating": 5, "would_recommend": "yes"})
    booking.refresh_from_db()
    assert booking.rating == 5 and booking.would_recommend is True
    rows = selectors.workshop_ratings()
    assert rows[0]["responses"] == 1 and rows[0]["recommend"] == 1


@pytest.mark.django_db
def test_attendance_cannot_be_marked_before_a_workshop_starts(world, client):
    from core.errors import ApplicationError

    workshop = WorkshopFactory()
    WorkshopBookingFactory(workshop=workshop, user=world.mentor)
    with pytest.raises(ApplicationError):
        services.workshop_mark_attendance(
            actor=world.staff, workshop=workshop, attended_user_ids={world.mentor.pk}
        )
    assert not WorkshopBooking.objects.get(workshop=workshop).attended


@pytest.mark.django_db
def test_most_failed_questions_rank_by_wrong_answers(world, level_one):
    from training.tests.factories import wrong_answers

    enrolment = services.enrolment_start(user=world.mentor, course=level_one)
    first = enrolment.version.ordered_modules().first()
    for number in (1, 2):
        services.quiz_submit(
            actor=world.mentor,
            enrolment=enrolment,
            module=first,
            selected=wrong_answers(first),
            attempt_number=number,
        )
    rows = selectors.most_failed_questions()
    assert rows[0]["question"].module == first and rows[0]["failed"] == 2


@pytest.mark.django_db
def test_staff_set_a_programme_requirement_and_it_drives_training_status(
    world, level_one, client, django_capture_on_commit_callbacks
):
    from training.models import Certificate, TrainingRequirement

    client.force_login(world.staff)
    page = client.get(f"/training/manage/programmes/{world.programme.pk}/requirement/").content.decode()
    assert "Core workshop required" in page
    response = client.post(
        f"/training/manage/programmes/{world.programme.pk}/requirement/",
        {"courses": [level_one.pk]},
    )
    assert response.status_code == 302
    requirement = TrainingRequirement.objects.get(programme=world.programme)
    assert list(requirement.courses.all()) == [level_one]
    assert requirement.core_workshop_required is False
    assert selectors.training_status(user=world.mentor, programme=world.programme).missing == [
        f"{level_one.title} (0 of 4 modules)"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/training/manage/programmes/{world.programme.pk}/requirement/", {"submit": "Save"})
    # With nothing required, the programme's mentors are fully trained and get their certificate.
    assert set(Certificate.objects.values_list("user", flat=True)) == {world.mentor.pk, world.other_mentor.pk}


@pytest.mark.django_db
def test_worksheet_downloads_as_a_pdf(world, client):
    load_training_content()
    module = Module.objects.get(title="Setting and tracking goals")
    client.force_login(world.mentor)
    response = client.get(
        f"/training/courses/level-one-heart-of-the-matter/modules/{module.pk}/worksheet.pdf"
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Goal tracker" in text


@pytest.mark.django_db
def test_mentors_and_mentees_each_see_their_own_courses(world, client):
    load_training_content()
    client.force_login(world.mentee_under_16)
    mentee_page = client.get("/training/").content.decode()
    assert "Getting ready for mentoring" in mentee_page and "Level One" not in mentee_page
    client.force_login(world.mentor)
    mentor_page = client.get("/training/").content.decode()
    assert (
        "Level One: Heart of the Matter" in mentor_page and "Getting ready for mentoring" not in mentor_page
    )
    client.force_login(world.staff)
    staff_page = client.get("/training/").content.decode()
    assert "Level One" in staff_page and "Getting ready for mentoring" in staff_page


@pytest.mark.django_db
def test_questions_can_be_removed_from_a_draft_but_not_from_published_content(world, level_one, client):
    published = selectors.published_version(level_one)
    question = published.ordered_modules().first().questions.first()
    client.force_login(world.staff)
    client.post(f"/training/manage/questions/{question.pk}/delete/")
    assert Question.objects.filter(pk=question.pk).exists()
    draft = services.version_draft_for_edit(actor=world.staff, course=level_one)
    draft_question = draft.ordered_modules().first().questions.first()
    client.post(f"/training/manage/questions/{draft_question.pk}/delete/")
    assert not Question.objects.filter(pk=draft_question.pk).exists()
    assert Question.objects.filter(pk=question.pk).exists()


@pytest.mark.django_db
def test_staff_edit_a_workshop(world, client):
    workshop = WorkshopFactory(capacity=10)
    client.force_login(world.staff)
    response = client.post(
        f"/training/workshops/{workshop.pk}/edit/",
        {
            "title": "Core mentor workshop (Cardiff)",
            "kind": "core",
            "delivery": "in_person",
            "starts_at": "2030-01-15T18:00",
            "minutes": 120,
            "capacity": 25,
            "location": "Cardiff Central Library",
        },
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.capacity == 25 and workshop.location == "Cardiff Central Library"
    assert timezone.localtime(workshop.starts_at).hour == 18


@pytest.mark.django_db
def test_staff_home_shows_overdue_learners(world, level_one, client):
    enrolment = services.enrolment_start(user=world.mentor, course=level_one)
    Enrolment.objects.filter(pk=enrolment.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(world.staff)
    assert "1 learner overdue" in client.get("/home/").content.decode()


def test_pdfs_never_fetch_external_resources(monkeypatch):
    import urllib.request

    from training import pdf

    requested = []
    monkeypatch.setattr(
        urllib.request.OpenerDirector, "open", lambda self, url, *a, **k: requested.append(url)
    )
    output = pdf.render_pdf(
        '<p>Hello</p><img src="http://169.254.169.254/latest/meta-data/"><img src="file:///etc/passwd">'
    )
    assert output.startswith(b"%PDF")
    assert requested == []


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.django_db
def test_every_report_table_downloads_as_csv_with_formulas_neutralised(world, level_one, client):
    world.mentor.first_name = "=cmd|' /C calc'!A0"
    world.mentor.save()
    level_one.title = "+Level One"
    level_one.save()
    world.programme.name = "@Future Paths"
    world.programme.save()
    enrolment = services.enrolment_start(user=world.mentor, course=level_one)
    Enrolment.objects.filter(pk=enrolment.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    module = enrolment.version.ordered_modules().first()
    question = module.questions.get()
    Question.objects.filter(pk=question.pk).update(prompt="-1+1 is?")
    services.quiz_submit(
        actor=world.mentor,
        enrolment=enrolment,
        module=module,
        selected=wrong_answers(module),
        attempt_number=1,
    )
    WorkshopBookingFactory(workshop=WorkshopFactory(), user=world.mentor, rating=4, would_recommend=True)
    client.force_login(world.staff)

    courses = _csv_rows(client.get("/training/reports/courses.csv"))
    assert courses[0][:4] == ["Course", "Learners", "Completed", "Completion rate (%)"]
    assert ["'+Level One", "1", "0", "0", "", "1"] in courses

    programmes = _csv_rows(client.get("/training/reports/programmes.csv"))
    assert programmes[0][0] == "Programme"
    assert ["'@Future Paths", "2", "1", "0", "0", ""] in programmes

    failed = _csv_rows(client.get("/training/reports/failed-questions.csv"))
    assert failed[1] == ["'-1+1 is?", module.title, "1", "1"]

    ratings = client.get("/training/reports/workshop-ratings.csv")
    assert ratings["Content-Disposition"] == 'attachment; filename="training-workshop-ratings.csv"'
    assert _csv_rows(ratings)[1] == ["Core mentor workshop", "1", "4.0", "1"]

    overdue = _csv_rows(client.get("/training/reports/overdue.csv"))
    assert overdue[0] == ["Name", "Email", "Course", "Started", "Due"]
    assert overdue[1][0].startswith("'=") and overdue[1][2] == "'+Level One"


@pytest.mark.django_db
def test_report_csv_for_an_unknown_table_is_not_found_and_mentors_are_refused(world, client):
    client.force_login(world.staff)
    assert client.get("/training/reports/secrets.csv").status_code == 404
    client.force_login(world.mentor)
    assert client.get("/training/reports/overdue.csv").status_code == 403


@pytest.mark.django_db
def test_programme_report_counts_mentors_by_role_and_relationship(world, level_one):
    services.enrolment_start(user=world.mentor, course=level_one)
    row = next(row for row in selectors.programme_report_rows() if row["programme"] == world.programme)
    assert row["learners"] >= 1 and row["mentors"] >= 1
