"""Matching pages: rounds and their proposals, manual matches, and opportunities mentors choose."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import policy
from core.forms import run_service, service_action
from core.pagination import paginate
from programmes.models import Programme

from . import forms, selectors, services
from .models import (
    InterestExpression,
    MatchingRound,
    MatchingSettings,
    Opportunity,
    Proposal,
    UnmatchedOutcome,
)

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


@login_required
@GET_POST
@policy.rule_required("matching.run_matching")
def round_list(request):
    """Rounds the user may see, and the form that starts one."""
    form = forms.RoundStartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cohort = data.get("cohort")
        started = run_service(
            request,
            lambda: services.round_start(
                actor=request.user,
                programme=cohort.programme if cohort and data["scope"] == "cohort" else data.get("programme"),
                scope=data["scope"],
                cohort=cohort,
                youth_partner=data.get("youth_partner"),
                protect_worst_off=data["protect_worst_off"],
            ),
            "The round has started.",
            form=form,
        )
        if started:
            return redirect(started.result)
    rounds = selectors.rounds_visible_to(user=request.user)
    programmes = Programme.objects.active() if request.user.is_programme_staff else Programme.objects.none()
    return render(
        request,
        "matching/round_list.html",
        {"form": form, "page": paginate(request, rounds), "programmes": programmes},
    )


@login_required
@require_safe
def round_detail(request, pk):
    # Read through the user's scope for seeing rounds: one the user may not see is not found (404),
    # as policy.get_object_or_404 answers for VIEW.
    matching_round = selectors.round_for_page(user=request.user, pk=pk)
    if matching_round is None:
        raise Http404
    # The ids of the proposals the user sees, in order, say how many there are and which are on the
    # page; only the page's are read, with what the page shows of them.
    ids = selectors.proposal_ids_for_round(user=request.user, matching_round=matching_round)
    page = paginate(request, ids)
    page.object_list = selectors.proposal_cards(list(page.object_list))
    goals = selectors.mentee_goals([proposal.mentee_id for proposal in page.object_list])
    outcomes = selectors.first_outcomes_for_round(user=request.user, matching_round=matching_round)
    return render(
        request,
        "matching/round_detail.html",
        {
            "round": matching_round,
            "page": page,
            "goals": goals,
            "mentee_outcomes": [o for o in outcomes if o.side == UnmatchedOutcome.Side.MENTEE],
            "mentor_outcomes": [o for o in outcomes if o.side == UnmatchedOutcome.Side.MENTOR],
            "quality": matching_round.quality,
            "summary": selectors.round_summary(matching_round),
            "may_decide": True,
        },
    )


@login_required
@require_safe
def round_progress(request, pk):
    """The round's status and progress, polled by the progress bar."""
    matching_round = policy.get_object_or_404(request.user, policy.VIEW, MatchingRound, pk=pk)
    return JsonResponse(
        {
            "status": matching_round.status,
            "status_label": matching_round.get_status_display(),
            "progress": matching_round.progress,
            "message": matching_round.progress_message,
            "finished": not matching_round.is_active,
        }
    )


@login_required
@require_safe
@policy.rule_required("matching.run_matching")
def proposal_list(request):
    """Every proposed match awaiting the user's decision, across rounds and matches made by hand."""
    proposals = selectors.proposals_awaiting_list(user=request.user)
    return render(request, "matching/proposal_list.html", {"page": paginate(request, proposals)})


@login_required
@require_POST
def proposal_decide(request, pk):
    proposal = policy.get_object_or_404(
        request.user, policy.CHANGE, Proposal.objects.select_related("mentor", "mentee", "cohort"), pk=pk
    )
    form = forms.ProposalDecisionForm(request.POST)
    target = proposal.round.get_absolute_url() if proposal.round_id else "matching:round_list"
    if request.POST.get("back") == "proposals":
        target = "matching:proposal_list"
    if not form.is_valid():
        messages.error(request, "Choose accept or reject.")
        return redirect(target)
    decision = form.cleaned_data["decision"]
    if decision == "accept":
        service_action(
            request,
            services.proposal_accept,
            f"Accepted: {proposal.mentor.get_full_name()} will mentor {proposal.mentee.first_name}.",
            proposal=proposal,
        )
    elif decision == "reject":
        service_action(
            request,
            services.proposal_reject,
            f"Rejected. {proposal.mentee.first_name} stays in the pool.",
            proposal=proposal,
            reason=form.cleaned_data["reason"],
        )
    else:
        service_action(
            request, services.proposal_lock, "Saved.", proposal=proposal, locked=decision == "lock"
        )
    return redirect(target)


@login_required
@GET_POST
def programme_settings(request, pk):
    """Programme staff set the scoring weights and options of one programme."""
    programme = policy.get_object_or_404(request.user, policy.VIEW, Programme, pk=pk)
    policy.require(request.user, "matching.change_settings")
    settings_row = MatchingSettings.objects.filter(programme=programme).first() or MatchingSettings(
        programme=programme
    )
    form = forms.MatchingSettingsForm(request.POST or None, instance=settings_row)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.matching_settings_save(actor=request.user, settings_row=form.save(commit=False)),
            f"Matching settings for {programme} saved.",
            form=form,
        )
        if saved:
            return redirect("matching:programme_settings", pk=programme.pk)
    return render(request, "matching/programme_settings.html", {"programme": programme, "form": form})


@login_required
@GET_POST
@policy.rule_required("matching.run_matching")
def manual_match(request):
    """Pick a mentor by hand: the hard rules still apply and a low score must be confirmed."""
    # A mentor the coordinator accepted from an opportunity arrives here chosen already.
    initial = {"mentor": request.GET.get("mentor")} if request.GET.get("mentor", "").isdigit() else {}
    form = forms.ManualMatchForm(request.POST or None, user=request.user, initial=initial)
    check = None
    if request.method == "POST" and form.is_valid():
        mentee, mentor = form.cleaned_data["mentee"], form.cleaned_data["mentor"]
        check = services.manual_match_check(mentee=mentee, mentor=mentor)
        matched = run_service(
            request,
            lambda: services.manual_match_create(
                actor=request.user,
                mentee=mentee,
                mentor=mentor,
                confirm_low_score=form.cleaned_data["confirm_low_score"],
            ),
            lambda proposal: (
                f"Matched: {proposal.mentor.get_full_name()} will mentor {proposal.mentee.first_name}."
            ),
            form=form,
        )
        if matched:
            return redirect("matching:round_list")
    return render(request, "matching/manual_match.html", {"form": form, "check": check})


@login_required
@GET_POST
def opportunity_list(request):
    """Mentors browse open opportunities and their requests; coordinators publish and manage theirs."""
    user = request.user
    policy.require(user, "matching.use_opportunities")
    is_mentor = policy.can(user, "matching.express_interest")
    runs = policy.can(user, "matching.run_matching")
    form = forms.OpportunityForm(request.POST or None, user=user) if runs else None
    if request.method == "POST":
        policy.require(user, "matching.run_matching")
        if form.is_valid():
            opened = run_service(
                request,
                lambda: services.opportunity_create(actor=user, **form.cleaned_data),
                "The opportunity is open for mentors to choose.",
                form=form,
            )
            if opened:
                return redirect("matching:opportunity_list")
    context = {"form": form, "is_mentor": is_mentor}
    if is_mentor:
        # Every open opportunity, a page at a time: the mentor's home counts them all.
        context["open_opportunities"] = paginate(request, selectors.open_opportunities(user=user))
        context["my_requests"] = list(selectors.interests_of_mentor(user=user)[:20])
        context["has_pending"] = any(
            r.status == InterestExpression.Status.PENDING for r in context["my_requests"]
        )
        context["interest_form"] = forms.InterestForm()
    if runs:
        context["managed"] = list(selectors.opportunities_managed_by(user=user)[:50])
    return render(request, "matching/opportunity_list.html", context)


@login_required
@require_POST
@policy.rule_required("matching.express_interest")
def opportunity_interest(request, pk):
    opportunity = policy.get_object_or_404(request.user, policy.VIEW, Opportunity, pk=pk)
    form = forms.InterestForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    service_action(
        request,
        services.interest_express,
        "Your request and bio have gone to the coordinator.",
        opportunity=opportunity,
        message=message,
    )
    return redirect("matching:opportunity_list")


@login_required
@require_safe
@policy.rule_required("matching.run_matching")
def interest_inbox(request):
    interests = selectors.interests_awaiting(user=request.user)
    accepted = selectors.interests_accepted(user=request.user)[:20]
    return render(
        request,
        "matching/interest_inbox.html",
        {"page": paginate(request, interests), "accepted": accepted},
    )


@login_required
@require_POST
def interest_decide(request, pk):
    interest = policy.get_object_or_404(request.user, policy.CHANGE, InterestExpression, pk=pk)
    form = forms.InterestDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose accept or decline.")
        return redirect("matching:interest_inbox")
    service_action(
        request,
        services.interest_decide,
        "Your answer has been sent to the mentor.",
        interest=interest,
        accept=form.cleaned_data["decision"] == "accept",
        reason=form.cleaned_data["reason"],
    )
    return redirect("matching:interest_inbox")
