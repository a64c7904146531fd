"""Recruitment pages: programme pages, applying, screening and decisions, imports, invitations and consent."""

import functools

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Role, User
from core import policy
from core.audit import audit_record
from core.errors import ApplicationError
from core.exports import csv_download
from core.forms import run_service, service_action
from core.links import reverse_id, reversing_where
from core.pagination import ReadPage, paginate
from programmes.models import Programme, YouthPartner
from recruitment.models import (
    Application,
    ApplicationWindow,
    ConsentRecord,
    MenteeImport,
    Reference,
    ScreeningCheck,
)
from training import selectors as training_selectors
from training.pdf import render_pdf

from . import forms, imports, selectors, services
from .filters import ApplicationFilter, RenewalFilter, WaitingPoolFilter
from .list_rows import application_rows_html
from .policies import CONFIRM, DECIDE, WITHDRAW

# Public programme page -------------------------------------------------------------------------


@require_safe
def programme_index(request):
    """Programmes taking applications now or soon; open to anyone."""
    today = timezone.localdate()
    windows = (
        ApplicationWindow.objects.filter(programme__is_active=True, closes_on__gte=today)
        .select_related("programme")
        .order_by("programme__name", "opens_on")
    )
    programmes = {}
    for window in windows:
        programmes.setdefault(window.programme, []).append(window)
    return render(request, "recruitment/programme_index.html", {"programmes": programmes, "today": today})


@require_safe
def programme_page(request, slug):
    """What a programme asks of people and how to apply; open to anyone, signed in or not."""
    programme = get_object_or_404(Programme.objects.active(), slug=slug)
    today = timezone.localdate()
    windows = list(
        ApplicationWindow.objects.filter(programme=programme, closes_on__gte=today)
        .select_related("cohort__youth_partner")
        .order_by("opens_on")
    )
    return render(
        request,
        "recruitment/programme_page.html",
        {
            "programme": programme,
            "windows": windows,
            "open_roles": {window.role for window in windows if window.is_open(today)},
            "today": today,
        },
    )


# Applying ---------------------------------------------------------------------------------------


def _application_form(request, application, data=None):
    if application.role == Role.MENTOR:
        return forms.MentorApplicationForm(data, instance=application)
    return forms.MenteeApplicationForm(
        data, instance=application, has_profile=hasattr(request.user, "mentee_profile")
    )


def _save_or_submit(request, form, application):
    """Save the draft, then submit it when the applicant asked to; returns a redirect or None."""
    if not form.is_valid():
        return None
    application = form.save(commit=False)
    submitting = "submit" in request.POST
    saved = run_service(
        request,
        lambda: services.application_save_draft(
            actor=request.user,
            application=application,
            industries=form.cleaned_data.get("industries"),
            interests=form.cleaned_data.get("interests"),
            conflict_partners=form.cleaned_data.get("conflict_partners"),
        ),
        None if submitting else "Your draft is saved. You can come back and finish it at any time.",
        form=form,
    )
    if not saved:
        return None
    if not submitting:
        return redirect("recruitment:application_edit", pk=application.pk)
    sent = run_service(
        request,
        lambda: services.application_submit(
            actor=request.user,
            application=application,
            accepted_code_of_conduct=form.cleaned_data.get("accept_code_of_conduct", False),
            accepted_safeguarding_policy=form.cleaned_data.get("accept_safeguarding_policy", False),
        ),
        "Thank you: your application has been sent.",
        form=form,
    )
    if not sent:
        messages.info(request, "Your draft is saved, but it is not sent yet: please see the notes below.")
        return None
    return redirect("recruitment:my_applications")


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, slug, role):
    programme = get_object_or_404(Programme.objects.active(), slug=slug)
    if role not in (Role.MENTOR, Role.MENTEE):
        raise Http404
    existing = Application.objects.filter(
        user=request.user, programme=programme, role=role, status__in=Application.ACTIVE_STATUSES
    ).first()
    if existing is not None:
        if existing.is_draft:
            return redirect("recruitment:application_edit", pk=existing.pk)
        messages.info(request, "You have already applied to this programme.")
        return redirect("recruitment:my_applications")
    application = Application(user=request.user, programme=programme, role=role)
    if not services.open_window(programme=programme, role=role) and not services.invited_by_partner(
        application
    ):
        messages.error(request, "Applications for this programme are closed at the moment.")
        return redirect("recruitment:programme_page", slug=programme.slug)
    form = _application_form(request, application, request.POST or None)
    response = _save_or_submit(request, form, application) if request.method == "POST" else None
    return response or render(
        request,
        "recruitment/application_form.html",
        {"form": form, "application": application, "programme": programme},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    application = policy.get_object_or_404(
        request.user, policy.CHANGE, Application.objects.select_related("programme"), pk=pk
    )
    form = _application_form(request, application, request.POST or None)
    response = _save_or_submit(request, form, application) if request.method == "POST" else None
    return response or render(
        request,
        "recruitment/application_form.html",
        {"form": form, "application": application, "programme": application.programme},
    )


@login_required
@require_safe
def my_applications(request):
    applications = (
        Application.objects.filter(user=request.user)
        .select_related("programme", "decline_ground", "screening")
        .prefetch_related("references")
        .order_by("-created_at")
    )
    waiting = selectors.waiting_mentor_applications(user=request.user).filter(user=request.user).exists()
    return render(
        request,
        "recruitment/my_applications.html",
        {"applications": applications, "waiting": waiting},
    )


@login_required
@require_POST
def application_withdraw(request, pk):
    application = policy.get_object_or_404(request.user, WITHDRAW, Application, pk=pk)
    service_action(
        request, services.application_withdraw, "Your application is withdrawn.", application=application
    )
    return redirect("recruitment:my_applications")


# Staff and coordinator lists --------------------------------------------------------------------


def _filtered_applications(request):
    partners = policy.scope(request.user, policy.VIEW, YouthPartner).order_by("name")
    return ApplicationFilter(
        request.GET, queryset=selectors.applications_with_consent(user=request.user), partners=partners
    )


@login_required
@require_http_methods(["GET", "POST"])
@policy.rule_required("recruitment.see_applications")
def application_list(request):
    if request.method == "POST":
        return _bulk_action(request)
    filterset = _filtered_applications(request)
    can_decide = policy.can(request.user, "recruitment.screen")
    counts = dict(
        selectors.applications_visible_to(user=request.user)
        .order_by()
        .values_list("status")
        .annotate(total=Count("pk"))
    )
    # Unfiltered, the list holds every visible application: the status counts add up to its length,
    # so it is not counted again through the joins its consent columns need.
    unfiltered = not any(request.GET.get(name) for name in filterset.filters)
    listed = ReadPage(filterset.qs, selectors.application_list_page)
    if unfiltered:  # the same rows, read by a statement compiled once
        listed.read_slice = functools.partial(selectors.unfiltered_application_list_page, user=request.user)
    page = paginate(request, listed, count=sum(counts.values()) if unfiltered else None)
    return render(
        request,
        "recruitment/application_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": application_rows_html(selectors.application_list_rows(page), can_decide=can_decide),
            # A number as the template writes one (no separators), made a string here once.
            "counts": [(label, str(counts.get(value, 0))) for value, label in Application.Status.choices],
            "can_decide": can_decide,
            "bulk_actions": forms.BULK_ACTIONS,
            "programmes": _programme_links() if can_decide else [],
        },
    )


def _programme_links() -> list[dict]:
    """The active programmes, each with the address of its recruitment page, in the programmes' order."""
    where = reversing_where()
    return [
        {"name": name, "url": reverse_id("recruitment:programme_recruitment", pk, where=where)}
        for pk, name in Programme.objects.active().values_list("pk", "name")
    ]


def _bulk_action(request):
    policy.require(request.user, "recruitment.screen")
    form = forms.BulkActionForm(request.POST, queryset=policy.scope(request.user, DECIDE, Application))
    if not form.is_valid():
        messages.error(request, "Choose an action and at least one application.")
        return redirect("recruitment:application_list")
    done, refused = 0, []
    for application in form.cleaned_data["applications"]:
        try:
            services.application_decide(
                actor=request.user, application=application, decision=form.cleaned_data["action"]
            )
        except ApplicationError as error:
            refused.append(f"{application.user}: {error.message}")
        else:
            done += 1
    messages.success(request, f"{done} application{'s' if done != 1 else ''} updated.")
    for message in refused[:10]:
        messages.warning(request, message)
    return redirect("recruitment:application_list")


@login_required
@require_safe
@policy.rule_required("recruitment.see_applications")
def application_export(request):
    filterset = _filtered_applications(request)
    header = [
        "id",
        "role",
        "status",
        "first name",
        "last name",
        "programme",
        "youth partner",
        "region",
        "submitted",
    ]
    rows = [
        [
            application.pk,
            application.get_role_display(),
            application.get_status_display(),
            application.user.first_name,
            application.user.last_name,
            application.programme.name,
            application.youth_partner.name if application.youth_partner else "",
            application.get_region_display(),
            timezone.localtime(application.submitted_at).strftime("%d/%m/%Y")
            if application.submitted_at
            else "",
        ]
        for application in filterset.qs.iterator(chunk_size=500)
    ]
    # An export of applicants' details, children's among them: who took it, with which filter.
    audit_record(
        actor=request.user,
        action="recruitment.applications_exported",
        summary=f"{len(rows)} applications",
        details={"filter": request.GET.urlencode()[:500]},
    )
    return csv_download("applications.csv", header, rows)


@login_required
@require_safe
def application_detail(request, pk):
    application = policy.get_object_or_404(
        request.user,
        policy.VIEW,
        Application.objects.select_related(
            "user", "programme", "youth_partner", "decline_ground", "screening"
        ).prefetch_related(
            "industries",
            "interests",
            "conflict_partners",
            Prefetch("references", queryset=Reference.objects.order_by("created_at")),
        ),
        pk=pk,
    )
    can_decide = policy.can(request.user, DECIDE, application)
    screening = getattr(application, "screening", None)
    context = {
        "application": application,
        "screening": screening,
        "can_decide": can_decide,
        "can_edit": policy.can(request.user, policy.CHANGE, application),
    }
    if can_decide:
        context.update(
            screening_form=forms.ScreeningForm(instance=screening) if screening else None,
            reference_form=forms.ReferenceRequestForm(),
            decision_form=forms.DecisionForm(programme=application.programme),
        )
    if application.role == Role.MENTEE and hasattr(application.user, "mentee_profile"):
        context["consent_status"] = selectors.ConsentStatus.LABELS[selectors.consent_status(application.user)]
        context["can_manage_consent"] = policy.can(request.user, "manage", application.user)
    return render(request, "recruitment/application_detail.html", context)


def _decidable(request, pk):
    return policy.get_object_or_404(
        request.user, DECIDE, Application.objects.select_related("programme", "user"), pk=pk
    )


@login_required
@require_POST
def screening_update(request, pk):
    application = _decidable(request, pk)
    screening = get_object_or_404(ScreeningCheck, application=application)
    form = forms.ScreeningForm(request.POST, instance=screening)
    if form.is_valid():
        run_service(
            request,
            lambda: services.screening_update(
                actor=request.user,
                screening=form.save(commit=False),
                certificate_reference=form.cleaned_data["certificate_reference"],
            ),
            "Screening saved.",
        )
    else:
        messages.error(request, "Screening not saved: " + " ".join(str(e) for e in form.errors.values()))
    return redirect(application)


@login_required
@require_POST
def reference_request(request, pk):
    application = _decidable(request, pk)
    form = forms.ReferenceRequestForm(request.POST)
    if form.is_valid():
        service_action(
            request,
            services.reference_request,
            f"Reference requested from {form.cleaned_data['referee_name']}.",
            application=application,
            **form.cleaned_data,
        )
    else:
        messages.error(request, "Give the referee's name and a valid email address.")
    return redirect(application)


@login_required
@require_POST
def application_decide(request, pk):
    application = _decidable(request, pk)
    form = forms.DecisionForm(request.POST, programme=application.programme)
    if form.is_valid():
        service_action(
            request,
            services.application_decide,
            "Decision saved and the applicant emailed.",
            application=application,
            decision=form.cleaned_data["decision"],
            ground=form.cleaned_data["ground"],
            note=form.cleaned_data["note"],
        )
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect(application)


@login_required
@require_safe
@policy.rule_required("recruitment.screen")
def waiting_pool(request):
    waiting = selectors.waiting_mentor_applications(user=request.user)
    by_region = waiting.order_by().values_list("region").annotate(total=Count("pk"))
    filterset = WaitingPoolFilter(request.GET, queryset=waiting)
    return render(
        request,
        "recruitment/waiting_pool.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs.select_related("user", "programme")),
            "by_region": sorted(
                (
                    (dict(Application._meta.get_field("region").choices)[region], total)
                    for region, total in by_region
                ),
                key=lambda item: item[0],
            ),
        },
    )


@login_required
@require_safe
@policy.rule_required("recruitment.screen")
def renewals_due(request):
    filterset = RenewalFilter(request.GET, queryset=selectors.screenings_due_for_renewal(user=request.user))
    return render(
        request,
        "recruitment/renewals_due.html",
        {"filter": filterset, "page": paginate(request, filterset.qs), "today": timezone.localdate()},
    )


def _checks_confirmation(request, pk):
    """The mentor's latest screening the user may confirm, or 404 (the same for missing and forbidden)."""
    screening = (
        policy.scope(request.user, CONFIRM, ScreeningCheck)
        .filter(application__user_id=pk, application__role=Role.MENTOR)
        .select_related("application__user", "application__programme", "checked_by")
        .order_by("-created_at", "-pk")
        .first()
    )
    if screening is None:
        raise Http404
    mentor = screening.application.user
    return {
        "mentor": mentor,
        "screening": screening,
        "training": training_selectors.training_status(
            user=mentor, programme=screening.application.programme
        ),
        "printed_on": timezone.localdate(),
    }


@login_required
@require_safe
def checks_confirmation(request, pk):
    return render(request, "recruitment/checks_confirmation.html", _checks_confirmation(request, pk))


@login_required
@require_safe
def checks_confirmation_pdf(request, pk):
    context = _checks_confirmation(request, pk)
    html = render_to_string("recruitment/checks_confirmation_pdf.html", context)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mentor-checks-{context["mentor"].pk}.pdf"'
    return response


# References (public, by one-time link) ----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def reference_respond(request, token):
    reference = services.reference_for_token(token)
    if reference is None:
        return render(request, "recruitment/link_unusable.html", status=404)
    form = forms.ReferenceResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request, lambda: services.reference_submit(token=token, **form.cleaned_data), form=form
        ):
            return render(request, "recruitment/thank_you.html", {"title": "Thank you for your reference"})
    return render(request, "recruitment/reference_form.html", {"form": form, "reference": reference})


# Imports ----------------------------------------------------------------------------------------


def _import_partners(user):
    """The youth partners whose young people the user may import: those they may change."""
    return policy.scope(user, policy.CHANGE, YouthPartner).order_by("name")


@login_required
@require_safe
def import_template(request):
    """A spreadsheet to fill in: the columns the import reads, and one example row."""
    policy.require_create(request.user, MenteeImport)
    return csv_download(
        "mentee-import-template.csv",
        [imports.column_words(name) for name in imports.KNOWN_COLUMNS],
        [["Sam", "Example", "sam.example@example.org", "31/01/2010", ""]],
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    policy.require_create(request.user, MenteeImport)
    partners = _import_partners(request.user)
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None, partners=partners)
    if request.method == "POST" and form.is_valid():
        partner = form.cleaned_data["youth_partner"]
        policy.require_create(request.user, MenteeImport, youth_partner=partner)
        upload = form.cleaned_data["file"]
        preview = run_service(
            request,
            lambda: services.mentee_import_preview(
                actor=request.user,
                youth_partner=partner,
                cohort=form.cleaned_data["cohort"],
                filename=upload.name,
                content=upload.read(),
            ),
            form=form,
        )
        if preview:
            return redirect(preview.result)
    imports = selectors.imports_visible_to(user=request.user)
    return render(request, "recruitment/import_list.html", {"form": form, "page": paginate(request, imports)})


@login_required
@require_safe
def import_detail(request, pk):
    mentee_import = policy.get_object_or_404(
        request.user,
        policy.VIEW,
        MenteeImport.objects.select_related("youth_partner", "cohort__programme"),
        pk=pk,
    )
    rows = mentee_import.rows
    problems = [
        {**problem, "column_words": imports.column_words(problem.get("column") or "")}
        for problem in mentee_import.problems
    ]
    return render(
        request,
        "recruitment/import_detail.html",
        {
            "import": mentee_import,
            "problems": problems,
            "rows": rows[:200],
            "new_count": sum(1 for row in rows if not row.get("skip")),
            "skip_count": sum(1 for row in rows if row.get("skip")),
        },
    )


@login_required
@require_POST
def import_commit(request, pk):
    mentee_import = policy.get_object_or_404(request.user, policy.CHANGE, MenteeImport, pk=pk)
    committed = run_service(
        request,
        lambda: services.mentee_import_commit(actor=request.user, mentee_import=mentee_import),
        lambda done: (
            f"Imported {done.created_count} new mentee(s) "
            f"and sent each an invitation; {done.skipped_count} already had an account."
        ),
    )
    return redirect(committed.result or mentee_import)


# Invitations (public, by one-time link) ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_claim(request, token):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "recruitment/link_unusable.html", status=404)
    form = forms.ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_claim(token=token, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error("password1", error)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your account is ready. Next, finish your application.")
            return redirect("recruitment:my_applications")
    return render(request, "recruitment/invitation_claim.html", {"form": form, "invitation": invitation})


# Consent ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def consent_manage(request, pk):
    """A mentee's consent records; staff and their coordinators ask a parent or guardian for consent."""
    mentee = policy.get_object_or_404(
        request.user,
        policy.VIEW,
        User.objects.filter(mentee_profile__isnull=False).select_related("mentee_profile"),
        pk=pk,
    )
    policy.require(request.user, "manage", mentee)
    form = forms.ConsentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        requested = run_service(
            request,
            lambda: services.consent_request(actor=request.user, mentee=mentee, **form.cleaned_data),
            f"Consent requested from {form.cleaned_data['parent_name']} by email.",
            form=form,
        )
        if requested:
            return redirect("recruitment:consent_manage", pk=mentee.pk)
    if request.method == "GET":
        # The page shows who gave consent for the child and how to reach them: reading it is recorded.
        audit_record(
            actor=request.user, action="recruitment.consent_viewed", target=mentee, summary="Consent page"
        )
    return render(
        request,
        "recruitment/consent_manage.html",
        {
            "mentee": mentee,
            "form": form,
            "status": selectors.ConsentStatus.LABELS[selectors.consent_status(mentee)],
            "records": ConsentRecord.objects.filter(mentee=mentee).select_related("withdrawn_by"),
            "requests": mentee.consent_requests.all()[:10],
            "withdraw_form": forms.WithdrawConsentForm(),
        },
    )


@login_required
@require_POST
def consent_withdraw(request, pk):
    record = policy.get_object_or_404(request.user, policy.CHANGE, ConsentRecord, pk=pk)
    form = forms.WithdrawConsentForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    service_action(
        request,
        services.consent_withdraw,
        "Consent withdrawn. This young person cannot be matched until consent is given again.",
        record=record,
        reason=reason,
    )
    return redirect("recruitment:consent_manage", pk=record.mentee_id)


@require_http_methods(["GET", "POST"])
def consent_give(request, token):
    consent = services.consent_request_for_token(token)
    if consent is None:
        return render(request, "recruitment/link_unusable.html", status=404)
    form = forms.ConsentGiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        given = run_service(
            request,
            lambda: services.consent_give(
                token=token,
                given_by_name=form.cleaned_data["given_by_name"],
                relationship=form.cleaned_data["relationship"],
            ),
            form=form,
        )
        if given:
            return render(
                request,
                "recruitment/thank_you.html",
                {"title": "Thank you: your consent is recorded", "consent_given": True},
            )
    return render(
        request,
        "recruitment/consent_give.html",
        {
            "form": form,
            "consent": consent,
            "text": services.consent_text(consent.mentee, services.programme_name_for(consent.mentee)),
        },
    )


# Programme recruitment settings (staff) ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def programme_recruitment(request, pk):
    """A programme's application windows and reasons for declining; staff add them here."""
    programme = policy.get_object_or_404(request.user, policy.CHANGE, Programme, pk=pk)
    which = request.POST.get("form")
    window_form = forms.ApplicationWindowForm(
        request.POST if which == "window" else None, programme=programme, prefix="window"
    )
    ground_form = forms.DeclineGroundForm(
        request.POST if which == "ground" else None, programme=programme, prefix="ground"
    )
    bound = {"window": window_form, "ground": ground_form}.get(which)
    if bound is not None and bound.is_valid():
        save, keyword = {
            "window": (services.application_window_save, "window"),
            "ground": (services.decline_ground_save, "ground"),
        }[which]
        saved = run_service(
            request, lambda: save(actor=request.user, **{keyword: bound.instance}), "Saved.", form=bound
        )
        if saved:
            return redirect("recruitment:programme_recruitment", pk=programme.pk)
    return render(
        request,
        "recruitment/programme_recruitment.html",
        {
            "programme": programme,
            "windows": programme.application_windows.select_related("cohort__youth_partner"),
            "grounds": programme.decline_grounds.all(),
            "window_form": window_form,
            "ground_form": ground_form,
        },
    )


@login_required
@require_POST
def invitation_resend(request, pk):
    person = policy.get_object_or_404(
        request.user, "manage", User.objects.filter(mentee_profile__isnull=False), pk=pk
    )
    service_action(
        request,
        services.invitation_resend,
        f"A new invitation has been emailed to {person.first_name}.",
        user=person,
    )
    return redirect("recruitment:consent_manage", pk=person.pk)
