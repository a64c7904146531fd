import pytest

from core.errors import ApplicationError
from training import services
from training.models import ModuleCompletion, QuizAttempt
from training.tests.factories import correct_answers, wrong_answers


@pytest.fixture
def enrolment(world, level_one):
    return services.enrolment_start(user=world.mentor, course=level_one)


def modules_of(enrolment):
    return list(enrolment.version.ordered_modules())


def progress(enrolment):
    return (
        QuizAttempt.objects.filter(enrolment=enrolment).count(),
        ModuleCompletion.objects.filter(enrolment=enrolment).count(),
    )


@pytest.mark.django_db
def test_correct_answers_pass_and_complete_the_module(world, enrolment):
    first = modules_of(enrolment)[0]
    attempt = services.quiz_submit(
        actor=world.mentor,
        enrolment=enrolment,
        module=first,
        selected=correct_answers(first),
        attempt_number=1,
    )
    assert attempt.passed and attempt.score == 100
    assert progress(enrolment) == (1, 1)


@pytest.mark.django_db
def test_wrong_answers_fail_and_a_retry_is_allowed(world, enrolment):
    first = modules_of(enrolment)[0]
    failed = services.quiz_submit(
        actor=world.mentor, enrolment=enrolment, module=first, selected=wrong_answers(first), attempt_number=1
    )
    assert not failed.passed and failed.score == 0
    retry = services.quiz_submit(
        actor=world.mentor,
        enrolment=enrolment,
        module=first,
        selected=correct_answers(first),
        attempt_number=2,
    )
    assert retry.passed
    assert progress(enrolment) == (2, 1)


@pytest.mark.django_db
def test_answers_for_a_module_not_reached_are_refused_without_changing_progress(world, enrolment):
    third = modules_of(enrolment)[2]
    with pytest.raises(ApplicationError, match="not open to you yet"):
        services.quiz_submit(
            actor=world.mentor,
            enrolment=enrolment,
            module=third,
            selected=correct_answers(third),
            attempt_number=1,
        )
    assert progress(enrolment) == (0, 0)


@pytest.mark.django_db
def test_answers_for_another_users_training_are_refused(world, enrolment):
    first = modules_of(enrolment)[0]
    with pytest.raises(ApplicationError, match="your own training"):
        services.quiz_submit(
            actor=world.other_mentor,
            enrolment=enrolment,
            module=first,
            selected=correct_answers(first),
            attempt_number=1,
        )
    assert progress(enrolment) == (0, 0)


@pytest.mark.django_db
def test_the_same_submission_posted_twice_is_refused(world, enrolment):
    first = modules_of(enrolment)[0]
    services.quiz_submit(
        actor=world.mentor, enrolment=enrolment, module=first, selected=wrong_answers(first), attempt_number=1
    )
    with pytest.raises(ApplicationError, match="already submitted"):
        services.quiz_submit(
            actor=world.mentor,
            enrolment=enrolment,
            module=first,
            selected=correct_answers(first),
            attempt_number=1,
        )
    assert progress(enrolment) == (1, 0)


@pytest.mark.django_db
def test_a_passed_module_cannot_be_answered_again(world, enrolment):
    first = modules_of(enrolment)[0]
    services.quiz_submit(
        actor=world.mentor,
        enrolment=enrolment,
        module=first,
        selected=correct_answers(first),
        attempt_number=1,
    )
    with pytest.raises(ApplicationError, match="already completed"):
        services.quiz_submit(
            actor=world.mentor,
            enrolment=enrolment,
            module=first,
            selected=wrong_answers(first),
            attempt_number=2,
        )
    assert progress(enrolment) == (1, 1)


@pytest.mark.django_db
def test_choices_from_other_questions_do_not_count(world, enrolment):
    first, second = modules_of(enrolment)[:2]
    foreign = {question_id: choices for question_id, choices in correct_answers(second).items()}
    mixed = {qid: next(iter(foreign.values())) for qid in correct_answers(first)}
    attempt = services.quiz_submit(
        actor=world.mentor, enrolment=enrolment, module=first, selected=mixed, attempt_number=1
    )
    assert not attempt.passed


@pytest.mark.django_db
def test_quiz_page_does_not_reveal_correct_answers_before_submission(world, enrolment, client):
    first = modules_of(enrolment)[0]
    client.force_login(world.mentor)
    response = client.get(f"/training/enrolments/{enrolment.pk}/modules/{first.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Right" in html and "Wrong" in html
    for secret in ("Well done.", "Think again.", "Because.", "is_correct", "correct"):
        assert secret not in html.split('id="quiz-heading"')[1], secret


@pytest.mark.django_db
def test_posting_to_another_users_enrolment_is_not_found_and_changes_nothing(world, enrolment, client):
    first = modules_of(enrolment)[0]
    client.force_login(world.other_mentor)
    data = {"attempt": 1, **{f"question_{q}": list(c) for q, c in correct_answers(first).items()}}
    response = client.post(f"/training/enrolments/{enrolment.pk}/modules/{first.pk}/", data)
    assert response.status_code == 404
    assert progress(enrolment) == (0, 0)


@pytest.mark.django_db
def test_double_post_through_the_page_is_refused_with_a_message(world, enrolment, client):
    first = modules_of(enrolment)[0]
    client.force_login(world.mentor)
    url = f"/training/enrolments/{enrolment.pk}/modules/{first.pk}/"
    data = {"attempt": 1, **{f"question_{q}": list(c) for q, c in wrong_answers(first).items()}}
    assert client.post(url, data).status_code == 200
    response = client.post(url, data, follow=True)
    assert "already submitted" in response.content.decode()
    assert progress(enrolment) == (1, 0)


@pytest.mark.django_db
def test_api_refuses_modules_not_reached(world, enrolment, client):
    third = modules_of(enrolment)[2]
    client.force_login(world.mentor)
    response = client.post(
        f"/api/training/progress/{enrolment.pk}/answers/",
        {
            "module": third.pk,
            "attempt": 1,
            "answers": {str(q): list(c) for q, c in correct_answers(third).items()},
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert progress(enrolment) == (0, 0)


@pytest.mark.django_db
def test_api_grades_on_the_server(world, enrolment, client):
    first = modules_of(enrolment)[0]
    client.force_login(world.mentor)
    response = client.post(
        f"/api/training/progress/{enrolment.pk}/answers/",
        {
            "module": first.pk,
            "attempt": 1,
            "answers": {str(q): list(c) for q, c in correct_answers(first).items()},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["passed"] is True


@pytest.mark.django_db
def test_a_blank_question_is_refused_with_a_message_and_nothing_recorded(world, enrolment, client):
    first = modules_of(enrolment)[0]
    with pytest.raises(ApplicationError, match="question 1"):
        services.quiz_submit(
            actor=world.mentor, enrolment=enrolment, module=first, selected={}, attempt_number=1
        )
    client.force_login(world.mentor)
    response = client.post(f"/training/enrolments/{enrolment.pk}/modules/{first.pk}/", {"attempt": 1})
    assert response.status_code == 400
    assert "Choose an answer to question 1" in response.content.decode()
    assert progress(enrolment) == (0, 0)


@pytest.mark.django_db
def test_api_starts_a_course_once(world, level_one, client):
    client.force_login(world.other_mentor)
    first = client.post(f"/api/training/courses/{level_one.pk}/start/")
    again = client.post(f"/api/training/courses/{level_one.pk}/start/")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["modules_total"] == 4 and first.json()["modules_done"] == 0


@pytest.mark.django_db
def test_after_submitting_the_learner_sees_feedback_on_their_answer(world, enrolment, client):
    first = modules_of(enrolment)[0]
    client.force_login(world.mentor)
    data = {"attempt": 1, **{f"question_{q}": list(c) for q, c in wrong_answers(first).items()}}
    html = client.post(f"/training/enrolments/{enrolment.pk}/modules/{first.pk}/", data).content.decode()
    assert "Think again." in html and "Not quite." in html and "Try again" in html


@pytest.mark.django_db
def test_module_video_is_embedded_with_its_transcript(world, enrolment, client):
    from training.models import Module

    first = modules_of(enrolment)[0]
    Module.objects.filter(pk=first.pk).update(
        video_url="https://www.youtube-nocookie.com/embed/abc123", transcript="Hello and welcome."
    )
    client.force_login(world.mentor)
    url = f"/training/enrolments/{enrolment.pk}/modules/{first.pk}/"
    html = client.get(url).content.decode()
    assert '<iframe src="https://www.youtube-nocookie.com/embed/abc123"' in html
    assert "Read the transcript" in html and "Hello and welcome." in html
    Module.objects.filter(pk=first.pk).update(video_url="https://videos.example.org/welcome.mp4")
    html = client.get(url).content.decode()
    assert "<iframe" not in html and 'href="https://videos.example.org/welcome.mp4"' in html
