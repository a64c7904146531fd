import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import (
    ApplicationFactory,
    ApplicationWindowFactory,
    MenteeApplicationFactory,
    UserFactory,
)
from mentoring.tests.factories import ProgrammeFactory
from recruitment import selectors
from recruitment.models import Application, Industry, MenteeImport, ScreeningCheck


def test_programme_page_is_public_and_states_what_applicants_need(world, client):
    ApplicationWindowFactory(programme=world.programme, role=Role.MENTOR)
    page = client.get(reverse("recruitment:programme_page", kwargs={"slug": world.programme.slug}))
    text = page.content.decode()
    assert page.status_code == 200
    for expected in ("Who can apply", "What we ask of you", "What happens next", "volunteer@example.org"):
        assert expected in text
    assert reverse("recruitment:apply", kwargs={"slug": world.programme.slug, "role": "mentor"}) in text


def test_programme_page_without_a_window_says_it_is_closed(world, client):
    page = client.get(reverse("recruitment:programme_page", kwargs={"slug": world.programme.slug}))
    assert "not taking applications" in page.content.decode()


MENTOR_ANSWERS = {
    "background": "retired",
    "sector": "Healthcare",
    "job_title": "Ward manager",
    "support_areas": ["careers_guidance", "confidence"],
    "languages": "English, Urdu",
    "region": "greater_manchester",
    "available_days": ["wed"],
    "available_times": ["after_school"],
    "capacity": "1",
    "preferred_settings": ["school"],
    "bio": "Thirty years in nursing; I can help young people find their way into health careers.",
}


def test_mentor_applies_saves_a_draft_then_submits(world, client, django_capture_on_commit_callbacks):
    ApplicationWindowFactory(programme=world.programme, role=Role.MENTOR)
    applicant = UserFactory(email="ruth@example.org", first_name="Ruth")
    client.force_login(applicant)
    url = reverse("recruitment:apply", kwargs={"slug": world.programme.slug, "role": "mentor"})
    industry = Industry.objects.get(slug="healthcare-and-medicine")
    response = client.post(url, {**MENTOR_ANSWERS, "industries": [industry.pk], "save": "1"})
    application = Application.objects.get(user=applicant)
    assert response.status_code == 302
    assert application.status == Application.Status.DRAFT
    assert list(application.industries.all()) == [industry]
    edit = reverse("recruitment:application_edit", kwargs={"pk": application.pk})
    refused = client.post(edit, {**MENTOR_ANSWERS, "submit": "1"})
    assert "accept_code_of_conduct" in refused.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            edit,
            {
                **MENTOR_ANSWERS,
                "accept_code_of_conduct": "on",
                "accept_safeguarding_policy": "on",
                "submit": "1",
            },
        )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert mail.outbox[-1].to == ["ruth@example.org"]
    assert client.get(edit).status_code == 403


def test_imported_mentee_finishes_their_application_without_a_public_window(world, client):
    application = MenteeApplicationFactory(
        user=world.mentee_under_16, programme=world.programme, youth_partner=world.partner_a, goals=""
    )
    client.force_login(world.mentee_under_16)
    edit = reverse("recruitment:application_edit", kwargs={"pk": application.pk})
    form = client.get(edit).context["form"]
    assert "date_of_birth" not in form.fields  # the school already holds it
    client.post(
        edit,
        {
            "stage": "secondary",
            "region": "greater_manchester",
            "support_areas": ["confidence"],
            "goals": "Feel more confident talking to people",
            "pairing_preference": "either",
            "submit": "1",
        },
    )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def _applications(world, count):
    for number in range(count):
        ApplicationFactory(
            user=UserFactory(email=f"applicant{number}@example.org"),
            programme=world.programme,
            status=Application.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        MenteeApplicationFactory(
            user=UserFactory(email=f"young{number}@example.org"),
            programme=world.programme,
            youth_partner=world.partner_a if number % 2 else world.partner_b,
        )


@pytest.mark.parametrize("persona", ["staff", "coordinator_a"])
def test_application_list_has_a_bounded_number_of_queries(
    world, client, persona, django_assert_max_num_queries
):
    _applications(world, 3)
    client.force_login(getattr(world, persona))
    with django_assert_max_num_queries(14):
        small = client.get(reverse("recruitment:application_list"))
    # More rows must not mean more queries.
    for number in range(3, 12):
        ApplicationFactory(user=UserFactory(email=f"more{number}@example.org"), programme=world.programme)
    with django_assert_max_num_queries(14):
        large = client.get(reverse("recruitment:application_list"))
    assert small.status_code == large.status_code == 200


def test_coordinator_list_shows_only_their_partners_mentee_applications(world, client):
    _applications(world, 4)
    client.force_login(world.coordinator_a)
    page = client.get(reverse("recruitment:application_list"))
    shown = list(page.context["page"])
    assert shown and all(a.role == Role.MENTEE and a.youth_partner == world.partner_a for a in shown)


def test_application_list_filters_and_searches(world, client):
    _applications(world, 2)
    client.force_login(world.staff)
    page = client.get(reverse("recruitment:application_list"), {"role": "mentor", "q": "applicant1"})
    assert [a.user.email for a in page.context["page"]] == ["applicant1@example.org"]


def test_csv_export_neutralises_formulas(world, client):
    ApplicationFactory(
        user=UserFactory(email="evil@example.org", first_name="=HYPERLINK(1)", last_name="@cmd"),
        programme=world.programme,
    )
    client.force_login(world.staff)
    text = client.get(reverse("recruitment:application_export")).content.decode()
    assert "'=HYPERLINK(1)" in text
    assert "'@cmd" in text
    assert ",=HYPERLINK" not in text


def test_staff_bulk_action_moves_selected_applications_to_screening(world, client):
    _applications(world, 2)
    selected = list(Application.objects.filter(status=Application.Status.SUBMITTED))
    client.force_login(world.staff)
    client.post(
        reverse("recruitment:application_list"),
        {"action": "screen", "applications": [a.pk for a in selected]},
    )
    assert Application.objects.filter(status=Application.Status.SCREENING).count() == len(selected)


def test_staff_screening_form_masks_the_certificate_number(world, client):
    application = ApplicationFactory(programme=world.programme, status=Application.Status.SUBMITTED)
    screening = ScreeningCheck.objects.create(application=application)
    client.force_login(world.staff)
    client.post(
        reverse("recruitment:screening_update", kwargs={"pk": application.pk}),
        {
            "identity_status": "clear",
            "background_check_status": "clear",
            "background_check_level": "enhanced",
            "certificate_reference": "001234567890",
            "certificate_issued_on": "2026-01-10",
            "interview_status": "not_started",
        },
    )
    screening.refresh_from_db()
    assert screening.certificate_last4 == "7890"
    assert str(screening.renewal_due_on) == "2029-01-09"
    application.refresh_from_db()
    assert application.status == Application.Status.SCREENING


def test_approved_mentor_without_a_match_is_told_honestly_they_are_waiting(world, client):
    application = ApplicationFactory(
        user=UserFactory(email="waiting@example.org"),
        programme=world.programme,
        status=Application.Status.APPROVED,
        decided_at=timezone.now(),
    )
    client.force_login(application.user)
    page = client.get(reverse("recruitment:my_applications")).content.decode()
    assert "approved and waiting for a match" in page
    client.force_login(world.staff)
    pool = client.get(reverse("recruitment:waiting_pool"))
    assert application in list(pool.context["page"])


def test_matched_mentor_is_not_in_the_waiting_pool(world, client):
    ApplicationFactory(user=world.mentor, programme=world.programme, status=Application.Status.APPROVED)
    client.force_login(world.staff)
    pool = client.get(reverse("recruitment:waiting_pool"))
    assert list(pool.context["page"]) == []


def test_import_preview_page_lists_row_problems(world, client):
    client.force_login(world.coordinator_a)
    upload = io.BytesIO(b"first_name,last_name,email,date_of_birth\nAmir,Khan,bad-email,\n")
    upload.name = "mentees.csv"
    response = client.post(
        reverse("recruitment:import_list"),
        {"youth_partner": world.partner_a.pk, "cohort": world.cohort_a.pk, "file": upload},
        follow=True,
    )
    text = response.content.decode()
    assert "Nothing has been imported" in text
    assert "not a valid email address" in text
    assert "The date of birth is missing." in text
    assert MenteeImport.objects.get().status == MenteeImport.Status.INVALID


# API --------------------------------------------------------------------------------------------


def test_api_applicants_see_only_their_own_applications(world, client):
    own = ApplicationFactory(user=world.mentor, programme=world.programme)
    ApplicationFactory(programme=world.programme)
    client.force_login(world.mentor)
    data = client.get("/api/applications/").json()
    results = data["results"] if isinstance(data, dict) else data
    assert [item["id"] for item in results] == [own.pk]


def test_api_submit_refuses_an_incomplete_draft_with_field_messages(world, client):
    window = ApplicationWindowFactory(programme=world.programme, role=Role.MENTOR)
    draft = ApplicationFactory(user=world.mentor, programme=world.programme, window=window, bio="")
    client.force_login(world.mentor)
    response = client.post(f"/api/applications/{draft.pk}/submit/", {}, content_type="application/json")
    assert response.status_code == 400
    assert "bio" in response.json()


def test_api_submits_a_complete_draft(world, client):
    window = ApplicationWindowFactory(programme=world.programme, role=Role.MENTOR)
    draft = ApplicationFactory(user=world.mentor, programme=world.programme, window=window)
    client.force_login(world.mentor)
    response = client.post(
        f"/api/applications/{draft.pk}/submit/",
        {"accept_code_of_conduct": True, "accept_safeguarding_policy": True},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_staff_open_an_application_window_and_add_a_reason_for_declining(world, client):
    client.force_login(world.staff)
    url = reverse("recruitment:programme_recruitment", kwargs={"pk": world.programme.pk})
    refused = client.post(
        url,
        {
            "form": "window",
            "window-role": "mentor",
            "window-opens_on": "2026-12-20",
            "window-closes_on": "2026-12-01",
            "window-eligibility": "Adults in work.",
            "window-commitment": "An hour a month.",
            "window-what_happens_next": "We call you.",
            "window-contact_email": "team@example.org",
        },
    )
    assert "closes_on" in refused.context["window_form"].errors
    assert not world.programme.application_windows.exists()
    client.post(
        url,
        {
            "form": "window",
            "window-role": "mentor",
            "window-opens_on": "2026-12-01",
            "window-closes_on": "2027-01-12",
            "window-eligibility": "Adults in work.",
            "window-commitment": "An hour a month.",
            "window-what_happens_next": "We call you.",
            "window-contact_email": "team@example.org",
        },
    )
    assert world.programme.application_windows.get().role == "mentor"
    client.post(
        url, {"form": "ground", "ground-label": "Area full", "ground-feedback": "We will keep in touch."}
    )
    assert world.programme.decline_grounds.get().label == "Area full"


def test_api_coordinator_uploads_checks_and_commits_a_file(world, client):
    born = (timezone.localdate().replace(year=timezone.localdate().year - 15)).strftime("%d/%m/%Y")
    upload = io.BytesIO(
        f"first_name,last_name,email,date_of_birth\nAmir,Khan,amir@example.org,{born}\n".encode()
    )
    upload.name = "mentees.csv"
    client.force_login(world.coordinator_a)
    created = client.post(
        "/api/mentee-imports/",
        {"youth_partner": world.partner_a.pk, "cohort": world.cohort_a.pk, "file": upload},
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "previewed"
    committed = client.post(f"/api/mentee-imports/{created.json()['id']}/commit/")
    assert committed.json()["created_count"] == 1


def test_api_coordinator_cannot_import_for_another_partner(world, client):
    upload = io.BytesIO(b"first_name,last_name,email,date_of_birth\n")
    upload.name = "mentees.csv"
    client.force_login(world.coordinator_b)
    response = client.post("/api/mentee-imports/", {"youth_partner": world.partner_a.pk, "file": upload})
    assert response.status_code == 400
    assert "youth_partner" in response.json()
    assert not MenteeImport.objects.exists()


def test_application_detail_for_staff_has_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries
):
    application = ApplicationFactory(programme=world.programme, status=Application.Status.SUBMITTED)
    ScreeningCheck.objects.create(application=application)
    for number in range(2):
        application.references.create(
            referee_name=f"Referee {number}",
            referee_email=f"referee{number}@example.org",
            token_hash=f"hash{number}",
            expires_at=timezone.now(),
        )
    client.force_login(world.staff)
    with django_assert_max_num_queries(16):
        page = client.get(application.get_absolute_url())
    assert "Screening checklist" in page.content.decode()
    assert "Referee 1" in page.content.decode()


def test_waiting_pool_filters_by_region_and_what_mentors_offer(world, client):
    def approved(email, region, areas):
        return ApplicationFactory(
            user=UserFactory(email=email),
            programme=world.programme,
            status=Application.Status.APPROVED,
            region=region,
            support_areas=areas,
        )

    london_cv = approved("a@example.org", "london", ["cv_and_interviews"])
    approved("b@example.org", "london", ["confidence"])
    approved("c@example.org", "cardiff", ["cv_and_interviews"])
    client.force_login(world.staff)
    page = client.get(
        reverse("recruitment:waiting_pool"), {"region": "london", "offers": "cv_and_interviews"}
    )
    assert list(page.context["page"]) == [london_cv]


def test_bulk_approval_of_unscreened_mentors_is_refused_with_a_reason(world, client):
    application = ApplicationFactory(
        user=UserFactory(email="unscreened@example.org", first_name="Una"),
        programme=world.programme,
        status=Application.Status.SUBMITTED,
    )
    client.force_login(world.staff)
    response = client.post(
        reverse("recruitment:application_list"),
        {"action": "approve", "applications": [application.pk]},
        follow=True,
    )
    assert "Screening" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_coordinator_cannot_bulk_decide(world, client):
    application = MenteeApplicationFactory(
        programme=world.programme, youth_partner=world.partner_a, status=Application.Status.SUBMITTED
    )
    client.force_login(world.coordinator_a)
    response = client.post(
        reverse("recruitment:application_list"), {"action": "approve", "applications": [application.pk]}
    )
    assert response.status_code == 403


def test_import_form_refuses_a_cohort_of_another_partner(world, client):
    client.force_login(world.staff)
    upload = io.BytesIO(b"first_name,last_name,email,date_of_birth\n")
    upload.name = "mentees.csv"
    response = client.post(
        reverse("recruitment:import_list"),
        {"youth_partner": world.partner_a.pk, "cohort": world.cohort_b.pk, "file": upload},
    )
    assert "cohort" in response.context["form"].errors
    assert not MenteeImport.objects.exists()


def test_programme_index_lists_programmes_with_current_windows_only(
    world, client, django_assert_max_num_queries
):
    ApplicationWindowFactory(programme=world.programme, role=Role.MENTOR)
    closed = ProgrammeFactory(name="Closed Programme")
    ApplicationWindowFactory(
        programme=closed,
        role=Role.MENTOR,
        opens_on=timezone.localdate() - datetime.timedelta(days=60),
        closes_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    with django_assert_max_num_queries(3):
        page = client.get(reverse("recruitment:programme_index"))
    text = page.content.decode()
    assert world.programme.name in text
    assert "Closed Programme" not in text


def test_coordinator_finds_under_16s_still_needing_consent(world, client):
    young = MenteeApplicationFactory(
        user=world.mentee_under_16, programme=world.programme, youth_partner=world.partner_a
    )
    MenteeApplicationFactory(
        user=world.mentee_over_18, programme=world.programme, youth_partner=world.partner_a
    )
    client.force_login(world.coordinator_a)
    page = client.get(reverse("recruitment:application_list"), {"consent": "missing"})
    assert list(page.context["page"]) == [young]
    assert (
        reverse("recruitment:consent_manage", kwargs={"pk": world.mentee_under_16.pk})
        in page.content.decode()
    )


def test_mentor_declares_a_school_they_have_a_link_with(world, client):
    ApplicationWindowFactory(programme=world.programme, role=Role.MENTOR)
    applicant = UserFactory(email="governor@example.org")
    client.force_login(applicant)
    url = reverse("recruitment:apply", kwargs={"slug": world.programme.slug, "role": "mentor"})
    client.post(url, {**MENTOR_ANSWERS, "conflict_partners": [world.partner_b.pk], "save": "1"})
    assert list(Application.objects.get(user=applicant).conflict_partners.all()) == [world.partner_b]


@pytest.mark.parametrize("url", ["/api/applications/", "/api/screenings/", "/api/mentee-imports/"])
def test_api_lists_have_a_bounded_number_of_queries(world, client, url, django_assert_max_num_queries):
    for number in range(6):
        application = ApplicationFactory(
            user=UserFactory(email=f"api{number}@example.org"), programme=world.programme, status="submitted"
        )
        ScreeningCheck.objects.create(application=application)
        MenteeImport.objects.create(
            youth_partner=world.partner_a, filename=f"f{number}.csv", file_sha256="0" * 64, status="invalid"
        )
    client.force_login(world.staff)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["staff", "coordinator_a"])
def test_the_unfiltered_list_is_as_long_as_its_status_counts_say_and_a_filtered_one_is_counted(
    world, client, persona
):
    _applications(world, 3)
    client.force_login(getattr(world, persona))
    user = getattr(world, persona)
    page = client.get(reverse("recruitment:application_list")).context["page"]
    assert page.paginator.count == selectors.applications_with_consent(user=user).count()
    filtered = client.get(reverse("recruitment:application_list"), {"role": "mentee"}).context["page"]
    assert (
        filtered.paginator.count
        == selectors.applications_with_consent(user=user).filter(role="mentee").count()
    )
    assert filtered.paginator.count < page.paginator.count or persona == "coordinator_a"
