from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import policy
from core.audit import audit_actions, audit_record
from core.forms import run_service
from core.models import AuditEvent
from core.pagination import paginate_capped
from programmes.models import YouthPartner

from . import services
from .forms import (
    ApiTokenForm,
    DiversityAnswersForm,
    MenteeAdminProfileForm,
    MenteeOwnProfileForm,
    MentorProfileForm,
    NameForm,
    RoleAssignmentForm,
)
from .models import ApiToken, DiversityAnswers, RoleAssignment, User
from .policies import MANAGE
from .security import mfa_required_for


@login_required
@require_safe
def profile(request):
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "person": user,
            "mentor_profile": getattr(user, "mentor_profile", None),
            "mentee_profile": getattr(user, "mentee_profile", None),
            "has_diversity_answers": DiversityAnswers.objects.filter(user=user).exists(),
            "assignments": user.role_assignments.select_related("youth_partner", "programme"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    user = request.user
    data = request.POST or None
    name_form = NameForm(data, instance=user, prefix="name")
    profile = getattr(user, "mentor_profile", None) or getattr(user, "mentee_profile", None)
    profile_form = None
    if hasattr(user, "mentor_profile"):
        profile_form = MentorProfileForm(data, instance=user.mentor_profile, prefix="profile")
    elif hasattr(user, "mentee_profile"):
        profile_form = MenteeOwnProfileForm(data, instance=user.mentee_profile, prefix="profile")
    forms_valid = name_form.is_valid() and (profile_form is None or profile_form.is_valid())
    if request.method == "POST" and forms_valid:
        try:
            services.user_profile_update(actor=user, user=name_form.instance, profile=profile)
        except ValidationError as error:
            (profile_form or name_form).add_error(None, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile")
    return render(
        request, "accounts/profile_edit.html", {"name_form": name_form, "profile_form": profile_form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def diversity(request):
    # Always the signed-in person's own answers: there is no URL that names anyone else's.
    answers = DiversityAnswers.objects.filter(user=request.user).first()
    form = DiversityAnswersForm(request.POST or None, instance=answers)
    if request.method == "POST" and "withdraw" in request.POST:
        services.diversity_answers_withdraw(user=request.user)
        messages.success(request, "Your answers are deleted.")
        return redirect("accounts:profile")
    if request.method == "POST" and form.is_valid():
        services.diversity_answers_give(
            user=request.user,
            ethnicity=form.cleaned_data["ethnicity"],
            disability=form.cleaned_data["disability"],
        )
        messages.success(request, "Thank you, your answers are saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/diversity.html", {"form": form, "answers": answers})


@login_required
@require_http_methods(["GET", "POST"])
def mentee_edit(request, pk):
    mentee = policy.get_object_or_404(
        request.user,
        MANAGE,
        User.objects.filter(mentee_profile__isnull=False).select_related("mentee_profile"),
        pk=pk,
    )
    partners = policy.scope(request.user, policy.CHANGE, YouthPartner)
    if request.method == "GET":
        # The form shows the child's phone number and address: reading it is recorded.
        audit_record(
            actor=request.user, action="accounts.mentee_contact_viewed", target=mentee, summary="Edit form"
        )
    data = request.POST or None
    name_form = NameForm(data, instance=mentee, prefix="name")
    profile_form = MenteeAdminProfileForm(
        data, instance=mentee.mentee_profile, prefix="profile", partners=partners
    )
    if request.method == "POST" and name_form.is_valid() and profile_form.is_valid():
        try:
            services.user_profile_update(actor=request.user, user=mentee, profile=profile_form.instance)
        except ValidationError as error:
            profile_form.add_error(None, error)
        else:
            messages.success(request, f"{mentee.first_name}'s record is saved.")
            return redirect("mentoring:mentee_detail", pk=mentee.pk)
    return render(
        request,
        "accounts/mentee_edit.html",
        {"person": mentee, "name_form": name_form, "profile_form": profile_form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_roles(request, pk):
    policy.require_create(request.user, RoleAssignment)
    person = policy.get_object_or_404(request.user, policy.VIEW, User, pk=pk)
    form = RoleAssignmentForm(request.POST or None, instance=RoleAssignment(user=person))
    if request.method == "POST" and form.is_valid():
        added = run_service(
            request,
            lambda: services.role_assign(actor=request.user, assignment=form.instance),
            f"Role added for {person}.",
            form=form,
        )
        if added:
            return redirect("accounts:person_roles", pk=person.pk)
    return render(
        request,
        "accounts/person_roles.html",
        {
            "person": person,
            "assignments": person.role_assignments.select_related("youth_partner", "programme"),
            "form": form,
        },
    )


@login_required
@require_POST
def role_revoke(request, pk):
    assignment = policy.get_object_or_404(request.user, policy.CHANGE, RoleAssignment, pk=pk)
    person = assignment.user
    with transaction.atomic():
        services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, f"Role removed from {person}.")
    return redirect(reverse("accounts:person_roles", args=[person.pk]))


@login_required
@require_safe
@policy.rule_required("accounts.read_audit_log")
def audit_log(request):
    events = policy.scope(request.user, policy.VIEW, AuditEvent)
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    target = request.GET.get("q", "").strip()
    if target:
        events = events.filter(summary__icontains=target)
    # The log grows without end: it is counted up to 10,000 events ("more than" past that).
    page = paginate_capped(request, events.select_related("actor"), per_page=50)
    # A person acted on is shown by name (the log is read by people who may see everyone's).
    person_ids = {
        int(event.target_id)
        for event in page
        if event.target_type == User._meta.label_lower and event.target_id.isdigit()
    }
    names = {
        person.pk: person.get_full_name() or person.email for person in User.objects.filter(pk__in=person_ids)
    }
    for event in page:
        if event.target_type == User._meta.label_lower and event.target_id.isdigit():
            event.target_name = names.get(int(event.target_id), "")
    return render(
        request,
        "accounts/audit_log.html",
        {"page": page, "action": action, "q": target, "actions": audit_actions()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The signed-in person's own API keys: create one (shown once) or see when each expires."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        issued = run_service(
            request,
            lambda: services.api_token_issue(user=request.user, name=form.cleaned_data["name"]),
            form=form,
        )
        if issued:
            _token, new_key = issued.result
            form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    response = render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": tokens,
            "mfa_needed": mfa_required_for(request.user) and not is_mfa_enabled(request.user),
            "lifetime_days": settings.API_TOKEN_LIFETIME_DAYS,
        },
    )
    return response


@login_required
@require_POST
def api_token_revoke(request, pk):
    # The account page lists the person's own keys only; staff revoke anyone's from the admin.
    token = policy.get_object_or_404(
        request.user, policy.DELETE, ApiToken.objects.filter(user=request.user), pk=pk
    )
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"The key “{token.name}” is revoked and no longer works.")
    return redirect("accounts:api_tokens")
