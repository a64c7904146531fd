from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import policy
from core.errors import ApplicationError
from core.exports import csv_download
from core.forms import form_save, run_service, service_action
from core.pagination import paginate

from . import selectors, services
from .forms import (
    CourseForm,
    ModuleForm,
    QuestionForm,
    RevokeForm,
    SectionForm,
    TrainingRequirementForm,
    WorkshopFeedbackForm,
    WorkshopForm,
)
from .models import (
    Certificate,
    Course,
    CourseVersion,
    Enrolment,
    Module,
    Question,
    QuizAttempt,
    Section,
    TrainingRequirement,
    Workshop,
    WorkshopBooking,
)
from .pdf import render_pdf

# Learner pages ----------------------------------------------------------------------------------


@login_required
@require_safe
def course_list(request):
    courses = selectors.courses_for_catalogue(user=request.user)
    return render(
        request,
        "training/course_list.html",
        {
            "courses": courses,
            "is_staff": request.user.is_programme_staff,
            "certificate_progress": selectors.certificate_progress(user=request.user),
        },
    )


@login_required
@require_safe
def course_detail(request, slug):
    course = policy.get_object_or_404(request.user, policy.VIEW, Course, slug=slug)
    enrolment = Enrolment.objects.filter(user=request.user, course=course).select_related("version").first()
    version = enrolment.version if enrolment else selectors.published_version(course)
    if version is None:
        raise Http404
    sections = selectors.version_outline(version=version, enrolment=enrolment)
    modules = [module for section in sections for module in section.ordered]
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "version": version,
            "enrolment": enrolment,
            "sections": sections,
            "module_total": len(modules),
            "module_done": sum(module.is_done for module in modules),
            "minutes_total": sum(module.minutes for module in modules),
            "next_module": next((m for m in modules if not m.is_done), None) if enrolment else None,
        },
    )


@login_required
@require_POST
def course_start(request, slug):
    course = policy.get_object_or_404(request.user, policy.VIEW, Course, slug=slug)
    started = run_service(request, lambda: services.enrolment_start(user=request.user, course=course))
    if not started:
        return redirect(course)
    enrolment = started.result
    module = selectors.next_module(enrolment=enrolment)
    if module is None:
        return redirect(course)
    return redirect("training:module_detail", pk=enrolment.pk, module_pk=module.pk)


@login_required
@require_safe
def course_manual(request, slug):
    """The whole course as a printable, large-print PDF manual for reading offline."""
    course = policy.get_object_or_404(request.user, policy.VIEW, Course, slug=slug)
    version = selectors.published_version(course)
    if version is None:
        raise Http404
    sections = version.sections.prefetch_related("modules__questions__choices")
    html = render_to_string(
        "training/pdf/manual.html", {"course": course, "version": version, "sections": sections}
    )
    pdf = render_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{course.slug}-manual.pdf"'
    return response


@login_required
@require_safe
def worksheet_pdf(request, slug, module_pk):
    """One module's worksheet as a printable PDF."""
    course = policy.get_object_or_404(request.user, policy.VIEW, Course, slug=slug)
    enrolment = Enrolment.objects.filter(user=request.user, course=course).first()
    version = enrolment.version if enrolment else selectors.published_version(course)
    module = get_object_or_404(Module, pk=module_pk, section__version=version)
    if not module.worksheet:
        raise Http404
    html = render_to_string("training/pdf/worksheet.html", {"course": course, "module": module})
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{course.slug}-worksheet-{module.pk}.pdf"'
    return response


def _selected_answers(request, questions) -> dict[int, set[int]]:
    selected = {}
    for question in questions:
        values = request.POST.getlist(f"question_{question.pk}")
        selected[question.pk] = {int(value) for value in values if value.isdigit()}
    return selected


@login_required
@require_http_methods(["GET", "POST"])
def module_detail(request, pk, module_pk):
    enrolment = policy.get_object_or_404(
        request.user, policy.CHANGE, Enrolment.objects.select_related("course", "version"), pk=pk
    )
    module = get_object_or_404(
        Module.objects.select_related("section"), pk=module_pk, section__version=enrolment.version
    )
    questions = list(module.questions.prefetch_related("choices"))
    attempt = None
    unanswered = None
    if request.method == "POST":
        try:
            attempt_number = int(request.POST.get("attempt", "0"))
        except ValueError:
            attempt_number = 0
        try:
            if questions:
                attempt = services.quiz_submit(
                    actor=request.user,
                    enrolment=enrolment,
                    module=module,
                    selected=_selected_answers(request, questions),
                    attempt_number=attempt_number,
                )
            else:
                services.module_mark_read(actor=request.user, enrolment=enrolment, module=module)
        except ApplicationError as error:
            if not (error.field or "").startswith("question_"):
                messages.error(request, error.message)
                return redirect("training:module_detail", pk=enrolment.pk, module_pk=module.pk)
            # A question left blank: show the form again with the learner's choices kept.
            unanswered = error
            selected = _selected_answers(request, questions)
            for question in questions:
                question.chosen = selected.get(question.pk, set())
                if error.field == f"question_{question.pk}":
                    question.error = error.message
        if attempt is None and unanswered is None:
            # A module without a quiz: straight on to the next one. Quiz results show on this page.
            messages.success(request, "Module completed.")
            following = selectors.next_module(enrolment=enrolment)
            if following is not None:
                return redirect("training:module_detail", pk=enrolment.pk, module_pk=following.pk)
            return redirect(enrolment.course)
    elif not selectors.module_is_reached(enrolment=enrolment, module=module):
        messages.info(request, "Finish the earlier modules first. Here is where you left off.")
        following = selectors.next_module(enrolment=enrolment)
        if following is None:
            return redirect(enrolment.course)
        return redirect("training:module_detail", pk=enrolment.pk, module_pk=following.pk)
    completion = enrolment.module_completions.filter(module=module).first()
    attempts_made = QuizAttempt.objects.filter(enrolment=enrolment, module=module).count()
    results = {}
    if attempt is not None:
        results = {int(question_id): result for question_id, result in attempt.answers.items()}
        for question in questions:
            question.result = results.get(question.pk, {})
            question.chosen = set(question.result.get("chosen", []))
    following = (
        selectors.next_module(enrolment=enrolment) if completion or (attempt and attempt.passed) else None
    )
    return render(
        request,
        "training/module_detail.html",
        {
            "enrolment": enrolment,
            "course": enrolment.course,
            "module": module,
            "questions": questions,
            "attempt": attempt,
            "attempt_number": attempts_made + 1,
            "completion": completion,
            "next_module": following,
            "preview": False,
            "unanswered": unanswered,
        },
        status=400 if unanswered else 200,
    )


# Certificates ----------------------------------------------------------------------------------


@login_required
@require_safe
def certificate_list(request):
    certificates = selectors.certificates_visible_to(user=request.user)
    status = request.GET.get("status", "")
    if status in Certificate.Status.values:
        certificates = certificates.filter(status=status)
    return render(
        request,
        "training/certificate_list.html",
        {
            "page": paginate(request, certificates),
            "statuses": Certificate.Status.choices,
            "status": status,
            "is_staff": request.user.is_programme_staff,
            "certificate_progress": selectors.certificate_progress(user=request.user),
        },
    )


@login_required
@require_safe
def certificate_detail(request, pk):
    certificate = policy.get_object_or_404(
        request.user, policy.VIEW, Certificate.objects.select_related("programme", "user"), pk=pk
    )
    return render(
        request,
        "training/certificate_detail.html",
        {
            "certificate": certificate,
            "can_change": policy.can(request.user, policy.CHANGE, certificate),
            "revoke_form": RevokeForm(),
        },
    )


@login_required
@require_safe
def certificate_download(request, pk):
    certificate = policy.get_object_or_404(request.user, policy.VIEW, Certificate, pk=pk)
    if certificate.status != Certificate.Status.ISSUED or not certificate.pdf_path:
        messages.info(request, "This certificate is not available to download.")
        return redirect(certificate)
    handle = default_storage.open(certificate.pdf_path, "rb")
    return FileResponse(
        handle, as_attachment=True, filename="certificate-of-achievement.pdf", content_type="application/pdf"
    )


@login_required
@require_POST
def certificate_revoke(request, pk):
    certificate = policy.get_object_or_404(request.user, policy.CHANGE, Certificate, pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason for revoking.")
        return redirect(certificate)
    service_action(
        request,
        services.certificate_revoke,
        "Certificate revoked. Its code now verifies as revoked.",
        certificate=certificate,
        reason=form.cleaned_data["reason"],
    )
    return redirect(certificate)


@login_required
@require_POST
def certificate_regenerate(request, pk):
    certificate = policy.get_object_or_404(request.user, policy.CHANGE, Certificate, pk=pk)
    service_action(
        request,
        services.certificate_regenerate,
        "The certificate is being drawn again with the same code.",
        certificate=certificate,
    )
    return redirect(certificate)


@require_safe
def verify(request):
    code = request.GET.get("code", "").strip()
    if code and "/" not in code:
        return redirect("training:verify_code", code=code)
    if code:
        # No certificate code holds a slash, and the code's own page cannot be addressed with one.
        return render(
            request, "training/verify.html", {"searched": True, "code": code, "certificate": None}, status=404
        )
    return render(request, "training/verify.html", {"searched": False})


@require_safe
def verify_code(request, code):
    """Public: says whether a code belongs to a valid or revoked certificate, and nothing personal."""
    certificate = (
        Certificate.objects.filter(code=code)
        .exclude(status=Certificate.Status.PENDING)
        .only("status", "title", "completed_on", "revoked_at")
        .first()
    )
    return render(
        request,
        "training/verify.html",
        {"searched": True, "code": code, "certificate": certificate},
        status=200 if certificate else 404,
    )


# Workshops -------------------------------------------------------------------------------------


@login_required
@require_safe
def workshop_list(request):
    now = timezone.now()
    workshops = (
        policy.scope(request.user, policy.VIEW, Workshop)
        .filter(
            starts_at__gte=now - timezone.timedelta(days=1 if not request.user.is_programme_staff else 90)
        )
        .annotate(booked=Count("bookings", filter=Q(bookings__status=WorkshopBooking.Status.BOOKED)))
        .order_by("starts_at", "pk")
    )
    my_bookings = dict(WorkshopBooking.objects.filter(user=request.user).values_list("workshop_id", "status"))
    page = paginate(request, workshops)
    for workshop in page:
        workshop.my_status = my_bookings.get(workshop.pk)
    return render(
        request,
        "training/workshop_list.html",
        {"page": page, "can_create": policy.can_create(request.user, Workshop)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def workshop_create(request):
    policy.require_create(request.user, Workshop)
    form = WorkshopForm(request.POST or None)
    if form.is_valid():
        workshop = form_save(
            request, form, services.workshop_save, "Workshop scheduled.", workshop=form.instance
        )
        if workshop:
            return redirect(workshop)
    return render(request, "form_page.html", {"form": form, "title": "Schedule a workshop"})


@login_required
@require_http_methods(["GET", "POST"])
def workshop_edit(request, pk):
    workshop = policy.get_object_or_404(request.user, policy.CHANGE, Workshop, pk=pk)
    form = WorkshopForm(request.POST or None, instance=workshop)
    if form.is_valid():
        if form_save(request, form, services.workshop_save, "Workshop saved.", workshop=form.instance):
            return redirect(workshop)
    return render(
        request, "form_page.html", {"form": form, "title": f"Edit {workshop.title}", "back": workshop}
    )


@login_required
@require_safe
def workshop_detail(request, pk):
    workshop = policy.get_object_or_404(request.user, policy.VIEW, Workshop, pk=pk)
    booking = WorkshopBooking.objects.filter(workshop=workshop, user=request.user).first()
    booked = workshop.bookings.filter(status=WorkshopBooking.Status.BOOKED).count()
    return render(
        request,
        "training/workshop_detail.html",
        {
            "workshop": workshop,
            "booking": booking,
            "places_left": max(workshop.capacity - booked, 0),
            "has_started": workshop.starts_at <= timezone.now(),
            "can_change": policy.can(request.user, policy.CHANGE, workshop),
            "may_mark_attendance": policy.can(request.user, "training.mark_attendance", workshop),
        },
    )


@login_required
@require_POST
def workshop_book(request, pk):
    workshop = policy.get_object_or_404(request.user, policy.VIEW, Workshop, pk=pk)
    run_service(
        request,
        lambda: services.workshop_book(user=request.user, workshop=workshop),
        "Your place is booked. The joining details are below.",
    )
    return redirect(workshop)


@login_required
@require_POST
def workshop_cancel(request, pk):
    workshop = policy.get_object_or_404(request.user, policy.VIEW, Workshop, pk=pk)
    run_service(
        request,
        lambda: services.workshop_cancel(user=request.user, workshop=workshop),
        "Your place is cancelled.",
    )
    return redirect(workshop)


@login_required
@require_http_methods(["GET", "POST"])
def workshop_attendance(request, pk):
    workshop = policy.get_object_or_404(request.user, policy.VIEW, Workshop, pk=pk)
    policy.require(request.user, "training.mark_attendance", workshop)
    bookings = workshop.bookings.filter(status=WorkshopBooking.Status.BOOKED).select_related("user")
    if request.method == "POST":
        ids = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
        saved = run_service(
            request,
            lambda: services.workshop_mark_attendance(
                actor=request.user, workshop=workshop, attended_user_ids=ids
            ),
            "Attendance saved.",
        )
        if saved:
            return redirect(workshop)
    return render(request, "training/workshop_attendance.html", {"workshop": workshop, "bookings": bookings})


@login_required
@require_http_methods(["GET", "POST"])
def workshop_feedback(request, pk):
    workshop = policy.get_object_or_404(request.user, policy.VIEW, Workshop, pk=pk)
    policy.require(request.user, "training.give_workshop_feedback", workshop)
    form = WorkshopFeedbackForm(request.POST or None)
    if form.is_valid():
        sent = run_service(
            request,
            lambda: services.workshop_feedback(user=request.user, workshop=workshop, **form.cleaned_data),
            "Thank you for your feedback.",
            form=form,
        )
        if sent:
            return redirect(workshop)
    return render(request, "form_page.html", {"form": form, "title": f"Feedback on {workshop.title}"})


# Authoring (programme staff) --------------------------------------------------------------------


@login_required
@require_safe
@policy.rule_required("training.manage")
def manage_courses(request):
    from programmes.models import Programme

    courses = Course.objects.prefetch_related("versions")
    programmes = Programme.objects.active().select_related("training_requirement")
    return render(request, "training/manage_courses.html", {"courses": courses, "programmes": programmes})


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request):
    policy.require_create(request.user, Course)
    form = CourseForm(request.POST or None)
    if form.is_valid():
        version = form_save(request, form, services.course_create, "Course created.", course=form.instance)
        if version:
            return redirect(version)
    return render(request, "form_page.html", {"form": form, "title": "New course"})


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, slug):
    course = policy.get_object_or_404(request.user, policy.CHANGE, Course, slug=slug)
    form = CourseForm(request.POST or None, instance=course)
    if form.is_valid():
        if form_save(request, form, services.course_update, "Course saved.", course=form.instance):
            return redirect("training:manage_courses")
    return render(request, "form_page.html", {"form": form, "title": f"Edit {course.title}"})


@login_required
@require_POST
def course_new_draft(request, slug):
    course = policy.get_object_or_404(request.user, policy.CHANGE, Course, slug=slug)
    draft = services.version_draft_for_edit(actor=request.user, course=course)
    messages.success(
        request,
        f"Editing draft version {draft.number}. Learners see the published version until you publish.",
    )
    return redirect(draft)


@login_required
@require_http_methods(["GET", "POST"])
def version_detail(request, pk):
    version = policy.get_object_or_404(
        request.user, policy.VIEW, CourseVersion.objects.select_related("course"), pk=pk
    )
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.version = version
        if form_save(request, form, services.section_save, "Section added.", section=form.instance):
            return redirect(version)
    sections = version.sections.prefetch_related("modules", "modules__questions")
    return render(
        request,
        "training/version_detail.html",
        {
            "version": version,
            "sections": sections,
            "form": form,
            "is_draft": version.status == CourseVersion.Status.DRAFT,
            "completions": version.enrolments.filter(completed_at__isnull=False).count(),
        },
    )


@login_required
@require_POST
def version_publish(request, pk):
    version = policy.get_object_or_404(request.user, policy.CHANGE, CourseVersion, pk=pk)
    service_action(
        request, services.version_publish, f"Version {version.number} is published.", version=version
    )
    return redirect(version)


@login_required
@require_http_methods(["GET", "POST"])
def module_create(request, pk):
    section = policy.get_object_or_404(
        request.user, policy.CHANGE, Section.objects.select_related("version__course"), pk=pk
    )
    form = ModuleForm(request.POST or None, initial={"order": section.modules.count() + 1})
    if form.is_valid():
        form.instance.section = section
        module = form_save(request, form, services.module_save, "Module added.", module=form.instance)
        if module:
            return redirect(section.version)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"New module in {section.title}", "back": section.version},
    )


@login_required
@require_http_methods(["GET", "POST"])
def module_edit(request, pk):
    module = policy.get_object_or_404(
        request.user, policy.CHANGE, Module.objects.select_related("section__version__course"), pk=pk
    )
    form = ModuleForm(request.POST or None, instance=module)
    if form.is_valid():
        if form_save(request, form, services.module_save, "Module saved.", module=form.instance):
            return redirect(module.section.version)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"Edit {module.title}", "back": module.section.version},
    )


@login_required
@require_safe
def module_preview(request, pk):
    module = policy.get_object_or_404(
        request.user, policy.VIEW, Module.objects.select_related("section__version__course"), pk=pk
    )
    return render(
        request,
        "training/module_detail.html",
        {
            "module": module,
            "course": module.section.version.course,
            "questions": module.questions.prefetch_related("choices"),
            "preview": True,
            "version": module.section.version,
        },
    )


def _question_form_saved(request, form, save, success_message, **kwargs) -> bool:
    """Run the question service with the form's data; refusals become field messages on the form."""
    form_save(
        request,
        form,
        save,
        success_message,
        kind=form.cleaned_data["kind"],
        prompt=form.cleaned_data["prompt"],
        explanation=form.cleaned_data["explanation"],
        choices=form.choices(),
        **kwargs,
    )
    # Question services return nothing on success; None from form_save means refused.
    return not form.errors


@login_required
@require_http_methods(["GET", "POST"])
def question_create(request, pk):
    module = policy.get_object_or_404(
        request.user, policy.CHANGE, Module.objects.select_related("section__version"), pk=pk
    )
    form = QuestionForm(request.POST or None)
    if form.is_valid() and _question_form_saved(
        request, form, services.question_create, "Question added.", module=module
    ):
        return redirect(module.section.version)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"New question for {module.title}", "back": module.section.version},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk):
    question = policy.get_object_or_404(
        request.user,
        policy.CHANGE,
        Question.objects.select_related("module__section__version__course").prefetch_related("choices"),
        pk=pk,
    )
    version = question.module.section.version
    form = QuestionForm(request.POST or None, question=question)
    if form.is_valid() and _question_form_saved(
        request, form, services.question_update, "Question saved.", question=question
    ):
        return redirect(version)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"Edit a question in {question.module.title}", "back": version},
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk):
    section = policy.get_object_or_404(
        request.user, policy.CHANGE, Section.objects.select_related("version__course"), pk=pk
    )
    form = SectionForm(request.POST or None, instance=section)
    if form.is_valid():
        if form_save(request, form, services.section_save, "Section saved.", section=form.instance):
            return redirect(section.version)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"Rename {section.title}", "back": section.version},
    )


@login_required
@require_POST
def section_delete(request, pk):
    section = policy.get_object_or_404(
        request.user, policy.CHANGE, Section.objects.select_related("version__course"), pk=pk
    )
    service_action(
        request,
        services.section_delete,
        f"Removed the section “{section.title}” and its modules from the draft.",
        section=section,
    )
    return redirect(section.version)


@login_required
@require_POST
def module_delete(request, pk):
    module = policy.get_object_or_404(
        request.user, policy.CHANGE, Module.objects.select_related("section__version__course"), pk=pk
    )
    service_action(
        request, services.module_delete, f"Removed the module “{module.title}” from the draft.", module=module
    )
    return redirect(module.section.version)


@login_required
@require_http_methods(["GET", "POST"])
def programme_requirement(request, pk):
    from programmes.models import Programme

    programme = policy.get_object_or_404(request.user, policy.CHANGE, Programme, pk=pk)
    requirement = TrainingRequirement.objects.filter(programme=programme).first()
    if requirement is None:
        requirement = TrainingRequirement(programme=programme)
        initial = {"courses": list(Course.objects.filter(audience="mentor", is_mandatory=True))}
    else:
        initial = {}
    form = TrainingRequirementForm(request.POST or None, instance=requirement, initial=initial)
    if form.is_valid():
        saved = form_save(
            request,
            form,
            services.training_requirement_save,
            "Training requirement saved.",
            requirement=form.instance,
            courses=list(form.cleaned_data["courses"]),
        )
        if saved:
            return redirect(programme)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"Training required by {programme.name}", "back": programme},
    )


@login_required
@require_POST
def question_delete(request, pk):
    question = policy.get_object_or_404(
        request.user, policy.CHANGE, Question.objects.select_related("module__section__version"), pk=pk
    )
    version = question.module.section.version
    service_action(request, services.question_delete, "Question removed from the draft.", question=question)
    return redirect(version)


# Reports ---------------------------------------------------------------------------------------


@login_required
@require_safe
@policy.rule_required("training.manage")
def reports(request):
    overdue = Enrolment.objects.overdue().select_related("user", "course").order_by("due_on", "pk")
    return render(
        request,
        "training/reports.html",
        {
            "course_rows": selectors.course_report_rows(),
            "programme_rows": selectors.programme_report_rows(),
            "failed_questions": selectors.most_failed_questions(),
            "workshop_rows": selectors.workshop_ratings(),
            "overdue": paginate(request, overdue),
            "kinds": dict(Workshop.Kind.choices),
        },
    )


def _blank_if_none(value):
    return "" if value is None else value


def _course_table():
    for row in selectors.course_report_rows():
        yield [
            row["course"].title,
            row["learners"],
            row["completed"],
            _blank_if_none(row["rate"]),
            _blank_if_none(row["median_days"]),
            row["overdue"],
        ]


def _programme_table():
    for row in selectors.programme_report_rows():
        yield [
            row["programme"].name,
            row["mentors"],
            row["learners"],
            row["completed"],
            _blank_if_none(row["rate"]),
            _blank_if_none(row["median_days"]),
        ]


def _failed_questions_table():
    for row in selectors.most_failed_questions():
        yield [row["question"].prompt, row["question"].module.title, row["failed"], row["answered"]]


def _workshop_ratings_table():
    kinds = dict(Workshop.Kind.choices)
    for row in selectors.workshop_ratings():
        yield [
            kinds.get(row["workshop__kind"], row["workshop__kind"]),
            row["responses"],
            round(row["average"], 1),
            row["recommend"],
        ]


def _overdue_table():
    overdue = Enrolment.objects.overdue().select_related("user", "course").order_by("due_on", "pk")
    for enrolment in overdue.iterator(chunk_size=1000):
        yield [
            enrolment.user.get_full_name(),
            enrolment.user.email,
            enrolment.course.title,
            enrolment.started_on.isoformat(),
            enrolment.due_on.isoformat(),
        ]


# Each table on the reports page, as (file name, header, rows).
REPORT_TABLES = {
    "courses": (
        "training-courses.csv",
        ["Course", "Learners", "Completed", "Completion rate (%)", "Median days to complete", "Overdue"],
        _course_table,
    ),
    "programmes": (
        "training-programmes.csv",
        ["Programme", "Mentors", "Enrolments", "Completed", "Completion rate (%)", "Median days to complete"],
        _programme_table,
    ),
    "failed-questions": (
        "training-failed-questions.csv",
        ["Question", "Module", "Wrong answers", "Answers"],
        _failed_questions_table,
    ),
    "workshop-ratings": (
        "training-workshop-ratings.csv",
        ["Workshop type", "Responses", "Average rating (1 poor to 5 excellent)", "Would recommend"],
        _workshop_ratings_table,
    ),
    "overdue": ("training-overdue.csv", ["Name", "Email", "Course", "Started", "Due"], _overdue_table),
}


@login_required
@require_safe
@policy.rule_required("training.manage")
def reports_table_csv(request, table):
    if table not in REPORT_TABLES:
        raise Http404
    filename, header, rows = REPORT_TABLES[table]
    return csv_download(filename, header, rows())


@login_required
@require_safe
@policy.rule_required("training.manage")
def reports_csv(request):
    enrolments = (
        Enrolment.objects.select_related("user", "course", "version")
        .annotate(module_done=Count("module_completions"))
        .order_by("course__title", "user__first_name", "pk")
    )
    rows = (
        [
            enrolment.user.get_full_name(),
            enrolment.user.email,
            enrolment.course.title,
            enrolment.version.number,
            enrolment.started_on.isoformat(),
            enrolment.due_on.isoformat(),
            timezone.localdate(enrolment.completed_at).isoformat() if enrolment.completed_at else "",
            enrolment.module_done,
            "yes" if enrolment.is_overdue else "no",
        ]
        for enrolment in enrolments.iterator(chunk_size=1000)
    )
    return csv_download(
        "training-progress.csv",
        ["Name", "Email", "Course", "Version", "Started", "Due", "Completed", "Modules done", "Overdue"],
        rows,
    )
