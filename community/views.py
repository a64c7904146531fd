"""Pages for community events, the buddy scheme and employer partners' figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from core import policy
from core.audit import audit_record
from core.exports import csv_download
from core.forms import form_save, run_service, service_action
from core.pagination import paginate

from . import selectors, services
from .calendar import event_calendar
from .forms import (
    AttendanceForm,
    BuddyMessageForm,
    BuddyPreferenceForm,
    BuddySuggestForm,
    EventForm,
    MyEmployerForm,
)
from .models import (
    BuddyMessage,
    BuddyPairing,
    BuddyPreference,
    EmployerMembership,
    EmployerPartner,
    Event,
    EventRegistration,
)
from .policies import is_mentor

# --- Events --------------------------------------------------------------------------------------


@login_required
@require_safe
@policy.rule_required("community.take_part")
def event_list(request):
    show_past = request.GET.get("past") == "1"
    events = selectors.events_visible_to(user=request.user)
    if show_past:
        events = events.filter(ends_at__lte=timezone.now()).order_by("-starts_at")[:50]
    else:
        events = events.filter(ends_at__gt=timezone.now())[:50]
    events = list(events)
    ids = [event.pk for event in events]
    counts = selectors.registration_counts(ids)
    own = selectors.own_registrations(user=request.user, event_ids=ids)
    rows = [
        (event, counts.get(event.pk, {"registered": 0, "waiting": 0}), own.get(event.pk)) for event in events
    ]
    return render(
        request,
        "community/event_list.html",
        {
            "rows": rows,
            "show_past": show_past,
            "may_create": policy.can_create(request.user, Event),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    policy.require_create(request.user, Event)
    form = EventForm(request.POST or None, submit_label="Create event")
    if request.method == "POST" and form.is_valid():
        event = form_save(request, form, services.event_create, "Event created.", **form.cleaned_data)
        if event is not None:
            return redirect(event)
    return render(request, "community/event_form.html", {"form": form, "title": "New community event"})


@login_required
@require_http_methods(["GET", "POST"])
def event_update(request, pk):
    event = policy.get_object_or_404(request.user, policy.CHANGE, Event, pk=pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        # The form has already written its values onto the instance: start from the saved row so the
        # service sees what changed (a cancellation is announced).
        event.refresh_from_db()
        if form_save(request, form, services.event_update, "Event updated.", event=event, **fields):
            return redirect(event)
    return render(request, "community/event_form.html", {"form": form, "title": f"Edit {event.title}"})


@login_required
@require_safe
def event_detail(request, pk):
    event = policy.get_object_or_404(
        request.user, policy.VIEW, selectors.events_visible_to(user=request.user), pk=pk
    )
    counts = selectors.registration_counts([event.pk]).get(event.pk, {"registered": 0, "waiting": 0})
    own = selectors.own_registrations(user=request.user, event_ids=[event.pk]).get(event.pk)
    may_manage = policy.can(request.user, policy.CHANGE, event)
    return render(
        request,
        "community/event_detail.html",
        {
            "event": event,
            "counts": counts,
            "own": own,
            "may_register": is_mentor(request.user) and event.starts_at > timezone.now(),
            "may_manage": may_manage,
            "places_left": None if event.capacity is None else max(event.capacity - counts["registered"], 0),
        },
    )


@login_required
@require_POST
def event_register(request, pk):
    event = policy.get_object_or_404(request.user, policy.VIEW, Event, pk=pk)
    registered = run_service(
        request,
        lambda: services.event_register(actor=request.user, event=event),
        lambda registration: (
            None
            if registration.status == EventRegistration.Status.WAITING
            else "You have a place. Add it to your calendar from this page."
        ),
    )
    if registered and registered.result.status == EventRegistration.Status.WAITING:
        messages.info(
            request,
            "The event is full: you are on the waiting list and we will email you if a place frees up.",
        )
    return redirect(event)


@login_required
@require_POST
def event_cancel(request, pk):
    event = policy.get_object_or_404(request.user, policy.VIEW, Event, pk=pk)
    registration = EventRegistration.objects.filter(event=event, mentor=request.user).first()
    if registration is None or registration.status == EventRegistration.Status.CANCELLED:
        raise Http404
    services.event_registration_cancel(actor=request.user, registration=registration)
    messages.success(request, "Your place has been cancelled.")
    return redirect(event)


@login_required
@require_safe
def event_ics(request, pk):
    event = policy.get_object_or_404(request.user, policy.VIEW, Event, pk=pk)
    policy.require(request.user, "community.download_event_calendar", event)
    response = HttpResponse(event_calendar(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="community-event-{event.pk}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def event_attendance(request, pk):
    """The register: staff or the organiser record who came, with a note each."""
    event = policy.get_object_or_404(request.user, policy.CHANGE, Event, pk=pk)
    registrations = list(
        event.registrations.exclude(status=EventRegistration.Status.CANCELLED)
        .select_related("mentor")
        .order_by("status", "mentor__first_name", "mentor__last_name")
    )
    data = request.POST if request.method == "POST" else None
    forms = [AttendanceForm(data, registration=registration) for registration in registrations]
    if request.method == "POST" and all(form.is_valid() for form in forms):
        changed = services.event_attendance_record(
            actor=request.user,
            event=event,
            attendance={
                form.registration.pk: (form.cleaned_data["attended"], form.cleaned_data["notes"])
                for form in forms
            },
        )
        messages.success(request, f"Attendance saved ({changed} changed).")
        return redirect("community:event_attendance", pk=event.pk)
    return render(request, "community/event_attendance.html", {"event": event, "forms": forms})


# --- Buddies -------------------------------------------------------------------------------------


@login_required
@require_safe
def buddy_home(request):
    user = request.user
    policy.require(user, "community.take_part")
    if user.is_programme_staff:
        return _buddy_staff(request)
    preference = BuddyPreference.objects.filter(mentor=user).first()
    # An experienced mentor may support more than one new mentor at a time.
    pairings = [
        (pairing, pairing.buddy_of(user), pairing.has_accepted(user))
        for pairing in selectors.open_pairings_for(user=user)
    ]
    return render(
        request,
        "community/buddy_home.html",
        {
            "preference": preference,
            "pairings": pairings,
            "form": BuddyPreferenceForm(initial={"wants": preference.wants if preference else None}),
            "experienced": selectors.is_experienced_mentor(user),
        },
    )


def _buddy_staff(request):
    pairings = paginate(
        request,
        policy.scope(request.user, policy.VIEW, BuddyPairing)
        .select_related("new_mentor", "experienced_mentor")
        .order_by("-created_at", "-pk"),
    )
    waiting = list(
        User.objects.filter(
            buddy_preference__wants=BuddyPreference.Wants.SEEKING, buddy_preference__is_active=True
        ).exclude(buddy_pairings_as_new__status__in=BuddyPairing.OPEN_STATUSES)[:20]
    )
    suggestions = selectors.buddy_suggestions_for(waiting)
    suggest_forms = [
        (mentor, BuddySuggestForm(initial={"new_mentor": mentor.pk}, suggestions=suggestions[mentor.pk]))
        for mentor in waiting
    ]
    return render(request, "community/buddy_staff.html", {"page": pairings, "suggest_forms": suggest_forms})


@login_required
@require_POST
@policy.rule_required("community.act_as_mentor")
def buddy_preference(request):
    if request.POST.get("leave") == "1":
        preference = BuddyPreference.objects.filter(mentor=request.user).first()
        if preference is not None:
            services.buddy_preference_set(actor=request.user, wants=preference.wants, is_active=False)
        messages.success(request, "You have left the buddy scheme.")
        return redirect("community:buddy_home")
    form = BuddyPreferenceForm(request.POST)
    if form.is_valid():

        def join():
            preference = services.buddy_preference_set(actor=request.user, wants=form.cleaned_data["wants"])
            if preference.wants == BuddyPreference.Wants.SEEKING:
                services.buddy_pairing_suggest(actor=request.user, new_mentor=request.user)
            return preference

        run_service(
            request,
            join,
            lambda preference: (
                "You have joined the buddy scheme and we have suggested a buddy."
                if preference.wants == BuddyPreference.Wants.SEEKING
                else "Thank you: we will suggest you to a new mentor nearby."
            ),
            refusal_level=messages.INFO,
        )
    else:
        messages.error(request, "Choose whether you would like a buddy or can be one.")
    return redirect("community:buddy_home")


@login_required
@require_POST
@policy.rule_required("community.manage")
def buddy_suggest(request):
    new_mentor_pk = request.POST.get("new_mentor", "")
    if not new_mentor_pk.isdigit():
        raise Http404
    new_mentor = policy.get_object_or_404(request.user, policy.VIEW, User, pk=new_mentor_pk)
    suggestions = selectors.buddy_suggestions(new_mentor=new_mentor, limit=50)
    form = BuddySuggestForm(request.POST, suggestions=suggestions)
    if form.is_valid():
        experienced = next(
            mentor for mentor, _reason in suggestions if mentor.pk == form.cleaned_data["experienced_mentor"]
        )
        service_action(
            request,
            services.buddy_pairing_suggest,
            f"Suggested {experienced.get_full_name()} as {new_mentor.get_full_name()}'s buddy.",
            new_mentor=new_mentor,
            experienced_mentor=experienced,
        )
    else:
        messages.error(request, "Choose one of the suggested buddies.")
    return redirect("community:buddy_home")


def _pairing(request, pk, action=policy.VIEW) -> BuddyPairing:
    queryset = BuddyPairing.objects.select_related("new_mentor", "experienced_mentor")
    return policy.get_object_or_404(request.user, action, queryset, pk=pk)


@login_required
@require_safe
def buddy_detail(request, pk):
    pairing = _pairing(request, pk)
    if not pairing.is_member(request.user):
        # Staff oversee the scheme; reading a thread they are not part of leaves a trace.
        audit_record(actor=request.user, action="community.buddy_thread_read", target=pairing)
    thread = BuddyMessage.objects.filter(pairing=pairing).select_related("author")
    return render(
        request,
        "community/buddy_detail.html",
        {
            "pairing": pairing,
            "thread": thread,
            "is_member": pairing.is_member(request.user),
            "accepted": pairing.has_accepted(request.user),
            "form": BuddyMessageForm(pairing=pairing) if pairing.is_member(request.user) else None,
        },
    )


@login_required
@require_POST
def buddy_respond(request, pk):
    pairing = _pairing(request, pk, policy.CHANGE)
    accept = request.POST.get("accept") == "1"
    responded = run_service(
        request, lambda: services.buddy_pairing_respond(actor=request.user, pairing=pairing, accept=accept)
    )
    if not responded:
        return redirect(pairing)
    pairing = responded.result
    if not accept:
        messages.info(request, "You declined the suggestion.")
        return redirect("community:buddy_home")
    if pairing.status == BuddyPairing.Status.ACTIVE:
        messages.success(request, "You are now buddies: say hello below.")
    else:
        messages.success(request, "Thank you. The pairing starts once your buddy accepts too.")
    return redirect(pairing)


@login_required
@require_POST
def buddy_message(request, pk):
    pairing = _pairing(request, pk)
    policy.require(request.user, "community.write_buddy_message", pairing)
    form = BuddyMessageForm(request.POST, pairing=pairing)
    if form.is_valid():
        posted = run_service(
            request,
            lambda: services.buddy_message_post(
                actor=request.user, pairing=pairing, body=form.cleaned_data["body"]
            ),
            form=form,
        )
        if posted:
            return redirect(pairing)
    thread = BuddyMessage.objects.filter(pairing=pairing).select_related("author")
    return render(
        request,
        "community/buddy_detail.html",
        {"pairing": pairing, "thread": thread, "is_member": True, "accepted": True, "form": form},
        status=400,
    )


@login_required
@require_POST
def buddy_end(request, pk):
    pairing = _pairing(request, pk, policy.CHANGE)
    if (
        service_action(request, services.buddy_pairing_end, "The buddy pairing has ended.", pairing=pairing)
        is None
    ):
        return redirect(pairing)
    return redirect("community:buddy_home")


# --- Employer partners ---------------------------------------------------------------------------


@login_required
@require_safe
@policy.rule_required("community.read_employer_figures")
def employer_list(request):
    employers = list(policy.scope(request.user, policy.VIEW, EmployerPartner))
    if len(employers) == 1 and not request.user.is_programme_staff:
        return redirect(employers[0])
    return render(request, "community/employer_list.html", {"employers": employers})


def _employer(request, pk) -> EmployerPartner:
    """The employer partner whose figures are asked for, if the person may see it (404 otherwise, as
    `policy.get_object_or_404`): one prepared query (selectors.employer_shown_to)."""
    employer = selectors.employer_shown_to(user=request.user, pk=pk)
    if employer is None:
        raise Http404
    return employer


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@policy.rule_required("community.act_as_mentor")
def my_employer(request):
    """A mentor says which employer partner they volunteer through (or none)."""
    membership = EmployerMembership.objects.filter(mentor=request.user).select_related("employer").first()
    current = membership.employer if membership else None
    form = MyEmployerForm(request.POST if request.method == "POST" else None, initial={"employer": current})
    if request.method == "POST" and form.is_valid():
        employer = form.cleaned_data["employer"]
        linked = run_service(
            request,
            lambda: services.employer_membership_set(
                actor=request.user, mentor=request.user, employer=employer
            ),
            f"You now mentor through {employer.name}." if employer else "You are not linked to an employer.",
            form=form,
        )
        if linked:
            return redirect("community:my_employer")
    return render(request, "community/my_employer.html", {"form": form, "current": current})


@login_required
@require_safe
def employer_dashboard(request, pk):
    employer = _employer(request, pk)
    read = selectors.employer_relationships(employer)  # once, for the figures and the breakdowns
    figures = selectors.employer_figures(employer, read)
    return render(
        request,
        "community/employer_dashboard.html",
        {
            "employer": employer,
            "figures": figures,
            "headline": selectors.impact_headline(figures),
            "breakdowns": selectors.employer_breakdowns(employer, read),
            "small_group": selectors.SMALL_GROUP,
        },
    )


@login_required
@require_safe
def employer_figures_csv(request, pk):
    employer = _employer(request, pk)
    read = selectors.employer_relationships(employer)
    figures = selectors.employer_figures(employer, read)
    rows = [[employer.name, figure.label, figure.value, figure.note] for figure in figures]
    headline = selectors.impact_headline(figures)
    if headline:
        rows.append([employer.name, "Headline", headline, ""])
    for breakdown in selectors.employer_breakdowns(employer, read):
        for row, (group, cells) in enumerate(breakdown.rows):
            for index, (column, value) in enumerate(zip(breakdown.columns, cells, strict=True)):
                note = breakdown.note(row, index)
                rows.append([employer.name, f"{breakdown.title}: {group}: {column}", value, note])
    return csv_download(f"employer-{employer.pk}-figures.csv", ["Employer", "Figure", "Value", "Note"], rows)
