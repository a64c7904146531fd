"""Pages for erasure, mentor suspension and removal, off-platform meetings and gifts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Role, User
from core import policy
from core.forms import run_service, service_action
from core.pagination import paginate
from mentoring.models import HeldText
from mentoring.moderation import held_message
from programmes.models import Programme

from . import data_protection, oversight
from .forms import (
    ErasureForm,
    GiftForm,
    MeetingDecisionForm,
    MeetingRequestForm,
    ProgrammeSafeguardingForm,
    SuspensionForm,
)
from .models import ErasureRequest, GiftDeclaration, MeetingRequest, MentorSuspension, ProgrammeSafeguarding
from .views import _thread_or_404


def _form_page(request, form, title, status=200):
    return render(request, "form_page.html", {"form": form, "title": title}, status=status)


# Erasure ----------------------------------------------------------------------------------------


@login_required
@require_safe
@policy.rule_required("safeguarding.manage")
def erasure_list(request):
    erasures = policy.scope(request.user, policy.VIEW, ErasureRequest).select_related(
        "person", "requested_by", "approved_by"
    )
    return render(request, "safeguarding/erasure_list.html", {"page": paginate(request, erasures)})


@login_required
@require_http_methods(["GET", "POST"])
@policy.rule_required("safeguarding.manage")
def erasure_create(request):
    """Erase a person: the first post shows what the register says will be deleted, anonymised and
    kept; the confirmed post erases."""
    form = ErasureForm(request.POST or None)
    if form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        includes_safeguarding = form.cleaned_data["includes_safeguarding"]
        if person is None:
            form.add_error("email", "No one has this email address.")
        elif request.POST.get("confirm") != "yes":
            plan = data_protection.erasure_plan(person=person, includes_safeguarding=includes_safeguarding)
            return render(
                request,
                "safeguarding/erasure_confirm.html",
                {
                    "form": form,
                    "person": person,
                    "plan": plan,
                    "includes_safeguarding": includes_safeguarding,
                },
            )
        else:
            requested = run_service(
                request,
                lambda: data_protection.erasure_request(
                    person=person,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    includes_safeguarding=includes_safeguarding,
                ),
                lambda erasure: (
                    "The person has been erased."
                    if erasure.status == ErasureRequest.Status.COMPLETED
                    else "A second member of staff must now approve this erasure."
                ),
                form=form,
            )
            if requested:
                return redirect("safeguarding:erasure_list")
    return _form_page(request, form, "Erase a person")


@login_required
@require_safe
def erasure_detail(request, pk):
    """An erasure request; while it waits for approval, what approving it will do."""
    erasure = policy.get_object_or_404(
        request.user,
        policy.VIEW,
        ErasureRequest.objects.select_related("person", "requested_by", "approved_by"),
        pk=pk,
    )
    plan = []
    if erasure.status == ErasureRequest.Status.PENDING:
        plan = data_protection.erasure_plan(
            person=erasure.person, includes_safeguarding=erasure.includes_safeguarding
        )
    return render(request, "safeguarding/erasure_detail.html", {"erasure": erasure, "plan": plan})


@login_required
@require_POST
def erasure_approve(request, pk):
    erasure = policy.get_object_or_404(request.user, policy.CHANGE, ErasureRequest, pk=pk)
    service_action(
        request, data_protection.erasure_approve, "Approved: the person has been erased.", erasure=erasure
    )
    return redirect("safeguarding:erasure_list")


# Mentor suspension and removal ------------------------------------------------------------------


@login_required
@require_safe
@policy.rule_required("safeguarding.manage")
def suspension_list(request):
    suspensions = policy.scope(request.user, policy.VIEW, MentorSuspension).select_related(
        "mentor", "requested_by", "approved_by"
    )
    return render(request, "safeguarding/suspension_list.html", {"page": paginate(request, suspensions)})


@login_required
@require_http_methods(["GET", "POST"])
@policy.rule_required("safeguarding.manage")
def suspension_create(request):
    mentors = User.objects.filter(role_assignments__role=Role.MENTOR).distinct().order_by("first_name")
    initial = {"mentor": request.GET.get("mentor")} if request.GET.get("mentor", "").isdigit() else {}
    form = SuspensionForm(request.POST or None, mentors=mentors, initial=initial)
    if form.is_valid():
        requested = run_service(
            request,
            lambda: oversight.mentor_suspension_request(
                mentor=form.cleaned_data["mentor"],
                actor=request.user,
                action=form.cleaned_data["action"],
                ground=form.cleaned_data["ground"],
                reason=form.cleaned_data["reason"],
            ),
            lambda suspension: (
                "The mentor is suspended; coordinators and the mentor have been told."
                if suspension.status == MentorSuspension.Status.IN_EFFECT
                else "A second member of staff must now approve the removal."
            ),
            form=form,
        )
        if requested:
            return redirect("safeguarding:suspension_list")
    return _form_page(request, form, "Suspend or remove a mentor")


@login_required
@require_POST
def suspension_approve(request, pk):
    suspension = policy.get_object_or_404(request.user, policy.CHANGE, MentorSuspension, pk=pk)
    service_action(
        request, oversight.mentor_removal_approve, "Removal approved and in effect.", suspension=suspension
    )
    return redirect("safeguarding:suspension_list")


@login_required
@require_POST
def suspension_lift(request, pk):
    suspension = policy.get_object_or_404(request.user, policy.CHANGE, MentorSuspension, pk=pk)
    service_action(request, oversight.mentor_suspension_lift, "Suspension lifted.", suspension=suspension)
    return redirect("safeguarding:suspension_list")


# Off-platform meetings --------------------------------------------------------------------------


@login_required
@require_safe
def meeting_list(request):
    meetings = policy.scope(request.user, policy.VIEW, MeetingRequest).select_related(
        "relationship__mentor", "relationship__mentee", "requested_by"
    )
    return render(
        request,
        "safeguarding/meeting_list.html",
        {
            "page": paginate(request, meetings),
            "can_decide": bool(request.user.coordinated_partner_ids),
            "decision_form": MeetingDecisionForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_request(request, pk):
    relationship, role = _thread_or_404(request.user, pk)
    policy.require(request.user, "safeguarding.write_in_thread", relationship)
    form = MeetingRequestForm(request.POST or None)
    if form.is_valid():
        requested = run_service(
            request,
            lambda: oversight.meeting_request_create(
                relationship=relationship, actor=request.user, **form.cleaned_data
            ),
            lambda meeting: (
                None if isinstance(meeting, HeldText) else "Your request has gone to the coordinator."
            ),
            form=form,
        )
        if requested:
            if isinstance(requested.result, HeldText):
                messages.warning(request, held_message(requested.result))
                return redirect(relationship)
            return redirect("safeguarding:meeting_list")
    return _form_page(
        request, form, "Ask to meet somewhere else", status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def meeting_decide(request, pk):
    meeting = policy.get_object_or_404(request.user, policy.CHANGE, MeetingRequest, pk=pk)
    form = MeetingDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to approve.")
        return redirect("safeguarding:meeting_list")
    service_action(
        request,
        oversight.meeting_request_decide,
        "Decision recorded.",
        meeting=meeting,
        approve=form.cleaned_data["decision"] == "approve",
        guardian_agreed=form.cleaned_data["guardian_agreed"],
        note=form.cleaned_data["note"],
    )
    return redirect("safeguarding:meeting_list")


# Gifts and hospitality --------------------------------------------------------------------------


@login_required
@require_safe
def gift_list(request):
    user = request.user
    policy.require(user, "safeguarding.read_gifts")
    gifts = policy.scope(user, policy.VIEW, GiftDeclaration).select_related("mentor", "decided_by")
    return render(
        request,
        "safeguarding/gift_list.html",
        {
            "page": paginate(request, gifts),
            "can_declare": policy.can_create(user, GiftDeclaration),
            "threshold": oversight.gift_threshold(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def gift_declare(request):
    policy.require_create(request.user, GiftDeclaration)
    form = GiftForm(request.POST or None)
    if form.is_valid():
        declared = run_service(
            request,
            lambda: oversight.gift_declare(mentor=request.user, **form.cleaned_data),
            lambda gift: (
                "Declared. It is over the programme's limit, so programme staff will review it."
                if gift.status == GiftDeclaration.Status.PENDING
                else "Declared."
            ),
            form=form,
        )
        if declared:
            return redirect("safeguarding:gift_list")
    return _form_page(request, form, "Declare a gift or hospitality")


@login_required
@require_POST
def gift_decide(request, pk):
    gift = policy.get_object_or_404(request.user, policy.CHANGE, GiftDeclaration, pk=pk)
    service_action(
        request,
        oversight.gift_decide,
        "Decision recorded.",
        gift=gift,
        approve=request.POST.get("decision") == "approve",
    )
    return redirect("safeguarding:gift_list")


# Programme settings -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def programme_settings(request, pk):
    programme = policy.get_object_or_404(request.user, policy.CHANGE, Programme, pk=pk)
    current = ProgrammeSafeguarding.objects.filter(programme=programme).first() or ProgrammeSafeguarding(
        programme=programme
    )
    form = ProgrammeSafeguardingForm(request.POST or None, instance=current)
    if form.is_valid():
        oversight.programme_safeguarding_save(settings=form.instance, actor=request.user)
        messages.success(request, "Safeguarding settings saved.")
        return redirect(programme)
    return _form_page(request, form, f"Safeguarding settings: {programme}")
