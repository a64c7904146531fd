"""Pages for relationships in progress: lifecycle, agreement, scheduling, logs, goals, check-ins, closure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import policy
from core.audit import audit_record
from core.exports import csv_download
from core.forms import run_service, service_action
from core.pagination import ReadPage, paginate

from . import forms, journal, lifecycle, moderation, page_reads, scheduling, selectors
from .calendar import calendar_for
from .filters import RelationshipFilter
from .list_rows import relationship_rows_html
from .models import (
    BlackoutDate,
    CalendarFeed,
    Goal,
    HeldText,
    MentoringSession,
    NotificationPreference,
    Relationship,
    SessionLog,
    SupportCheckIn,
    Term,
    Venue,
    YouthPartner,
)
from .policies import LOG, PAIR, REWRITE, SCHEDULE

GET_POST = require_http_methods(["GET", "HEAD", "POST"])

HOW_TO_PREPARE = {
    "mentor": [
        "Read your mentee's introduction and think of two or three open questions.",
        "Have a short story ready about how you got to where you are, including what went wrong.",
        "Check the venue and how to sign in; arrive five minutes early.",
        "Know who the designated safeguarding lead is, and never share personal contact details.",
    ],
    "mentee": [
        "Read your mentor's introduction: what would you like to ask them?",
        "Think about one thing you would like help with this year.",
        "Bring anything useful: a CV, a personal statement draft, a list of courses or jobs.",
        "It is fine to be nervous. Your mentor is a volunteer who wants to help.",
    ],
}


def _relationship(request, pk, action=policy.VIEW):
    return policy.get_object_or_404(
        request.user, action, selectors.relationships_visible_to(user=request.user), pk=pk
    )


def _session(request, pk, action=policy.VIEW):
    queryset = MentoringSession.objects.select_related(
        "relationship__mentor__mentor_profile",
        "relationship__mentee__mentee_profile",
        "relationship__cohort__programme",
        "venue",
    )
    return policy.get_object_or_404(request.user, action, queryset, pk=pk)


def _link_each(rows, name: str) -> None:
    """Give each row its page's address (`url`) for the URL `name` taking the row's id: reversed once
    for the list, not once per row (about 95 Python calls each)."""
    if not rows:
        return
    marker = 987654321
    before, after = reverse(name, args=[marker]).split(str(marker))
    for row in rows:
        row.url = f"{before}{row.pk}{after}"


def _venues(relationship):
    return Venue.objects.filter(
        youth_partner_id=relationship.mentee.mentee_profile.youth_partner_id, is_active=True
    )


@login_required
@require_safe
def relationship_detail(request, pk):
    user = request.user
    # Read through the policy's scope for the person, with the columns the page shows (page_reads).
    relationship = page_reads.relationship_shown(user=user, pk=pk)
    if relationship is None:
        raise Http404
    is_mentor = user.pk == relationship.mentor_id
    is_mentee = user.pk == relationship.mentee_id
    allowed = page_reads.relationship_permissions(user=user, relationship=relationship)
    may_manage = allowed["may_manage"]
    sessions = page_reads.sessions_of(relationship)
    _link_each(sessions, "mentoring:session_detail")
    goals = page_reads.goals_of(relationship)
    _link_each(goals, "mentoring:goal_update")
    held = sum(1 for session in sessions if session.status == MentoringSession.Status.HELD)
    try:
        agreement = relationship.agreement
    except relationship._meta.model.agreement.RelatedObjectDoesNotExist:
        agreement = None
    try:
        closure = relationship.closure
    except relationship._meta.model.closure.RelatedObjectDoesNotExist:
        closure = None
    pre_meeting = relationship.status in (Relationship.Status.APPROVED, Relationship.Status.INTRODUCED)
    context = {
        "relationship": relationship,
        "is_mentor": is_mentor,
        "is_mentee": is_mentee,
        "may_manage": may_manage,
        "may_schedule": allowed["may_schedule"],
        "may_edit_goals": is_mentor or is_mentee or may_manage,
        "show_mentee_contact": allowed["show_mentee_contact"],
        "show_mentor_contact": allowed["show_mentor_contact"],
        "sessions": sessions,
        "goals": goals,
        "goals_missing": held >= 2 and not goals,
        "events": page_reads.events_of(relationship),
        "agreement": agreement,
        # Shown while the pair has not signed: the programme's own (read with the relationship) or its
        # default wording.
        "agreement_template": journal.agreement_template_for(relationship.cohort.programme)
        if agreement is None
        else None,
        "closure": closure,
        "show_recommendations": closure is not None and (is_mentor or may_manage or user.is_programme_staff),
        "pre_meeting": pre_meeting,
        "how_to_prepare": HOW_TO_PREPARE["mentor" if is_mentor else "mentee"] if pre_meeting else [],
        "pulse_form": forms.PulseForm() if journal.pulse_due(user, relationship, sessions) else None,
        "transition_form": forms.TransitionForm(
            choices=[
                (status, Relationship.Status(status).label)
                for status in lifecycle.allowed_next_statuses(relationship)
                if status not in lifecycle.CLOSED_STATUSES
            ]
        )
        if may_manage
        else None,
        "extend_form": forms.ExtendForm() if may_manage and relationship.status == "active" else None,
        "support_check_ins": list(relationship.support_check_ins.select_related("pulse"))
        if may_manage or user.is_programme_staff
        else [],
        "pulses": list(relationship.pulse_check_ins.select_related("respondent")) if may_manage else [],
        "next_time": page_reads.last_next_time_notes(relationship.pk) if (is_mentor or may_manage) else None,
        "held_texts": page_reads.held_texts_of(user=user, relationship=relationship),
    }
    if context["show_mentee_contact"]:
        page_reads.contact_details(relationship.mentee)
        # The page shows the mentee's phone number and email address: reading them is recorded.
        audit_record(
            actor=user,
            action="mentoring.mentee_contact_viewed",
            target=relationship.mentee,
            summary=f"Relationship {relationship.pk}",
        )
    return render(request, "mentoring/relationship_detail.html", context)


@login_required
@require_POST
def held_text_release(request, pk):
    held = policy.get_object_or_404(request.user, policy.CHANGE, HeldText, pk=pk)
    run_service(
        request,
        lambda: moderation.held_text_release(held=held, actor=request.user),
        "Released: the other person can now see it.",
    )
    return redirect(held.relationship)


@login_required
@require_POST
def held_text_decline(request, pk):
    held = policy.get_object_or_404(request.user, policy.CHANGE, HeldText, pk=pk)
    run_service(
        request,
        lambda: moderation.held_text_decline(
            held=held, actor=request.user, reason=request.POST.get("reason", "")
        ),
        "It will not be shown. The writer can read why on this page.",
    )
    return redirect(held.relationship)


@login_required
@require_POST
def held_text_return(request, pk):
    held = policy.get_object_or_404(request.user, policy.CHANGE, HeldText, pk=pk)
    run_service(
        request,
        lambda: moderation.held_text_return(held=held, actor=request.user, note=request.POST.get("note", "")),
        "Returned: the writer is told what to change and can send it again.",
    )
    return redirect(held.relationship)


_NOT_TO_REWRITE = {
    HeldText.Status.RELEASED: "This has already been sent: the other person can see it.",
    HeldText.Status.HELD: "This is waiting for the coordinator to check it.",
    HeldText.Status.DECLINED: "This will not be shown: the coordinator says why on this page.",
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def held_text_rewrite(request, pk):
    held = policy.get_object_or_404(
        request.user, policy.VIEW, HeldText.objects.select_related("relationship__mentee"), pk=pk
    )
    policy.require(request.user, REWRITE, held)
    if held.status != HeldText.Status.RETURNED:
        messages.info(request, _NOT_TO_REWRITE[held.status])
        return redirect(held.relationship)
    fields = moderation.held_text_fields(held)
    form = forms.HeldTextRewriteForm(request.POST or None, initial=held.texts, fields=fields)
    if request.method == "POST" and form.is_valid():
        sent = run_service(
            request,
            lambda: moderation.held_text_rewrite(held=held, actor=request.user, texts=form.cleaned_data),
            lambda result: (
                "Sent again: the other person can now see it."
                if result.status == HeldText.Status.RELEASED
                else None
            ),
            form=form,
        )
        if sent:
            if sent.result.status == HeldText.Status.HELD:
                messages.warning(request, moderation.held_message(sent.result))
            return redirect(held.relationship)
    return render(request, "mentoring/held_text_rewrite.html", {"held": held, "form": form})


@login_required
@require_POST
def relationship_transition(request, pk):
    relationship = _relationship(request, pk, policy.CHANGE)
    choices = [(status, status) for status in Relationship.Status.values]
    form = forms.TransitionForm(request.POST, choices=choices)
    if form.is_valid():
        service_action(
            request,
            lifecycle.relationship_transition,
            "The relationship's status has changed.",
            relationship=relationship,
            to_status=form.cleaned_data["to_status"],
            reason=form.cleaned_data["reason"],
        )
    else:
        messages.error(request, "Choose a status.")
    return redirect(relationship)


@login_required
@require_POST
def relationship_extend(request, pk):
    relationship = _relationship(request, pk, policy.CHANGE)
    form = forms.ExtendForm(request.POST)
    if form.is_valid():
        service_action(
            request,
            lifecycle.relationship_extend,
            "The relationship has been extended.",
            relationship=relationship,
            **form.cleaned_data,
        )
    else:
        messages.error(request, "Say by how many months to extend (1 to 12).")
    return redirect(relationship)


@login_required
@GET_POST
def relationship_close(request, pk):
    relationship = _relationship(request, pk, policy.CHANGE)
    if not relationship.is_open:
        messages.info(request, "This relationship is already closed.")
        return redirect(relationship)
    form = forms.CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        closed = run_service(
            request,
            lambda: lifecycle.relationship_close(
                actor=request.user, relationship=relationship, **form.cleaned_data
            ),
            "The relationship is closed. Thank-you messages have been sent to both.",
            form=form,
        )
        if closed:
            return redirect(relationship)
    return render(
        request,
        "mentoring/relationship_close.html",
        {
            "relationship": relationship,
            "form": form,
            "policy_text": relationship.cohort.programme.post_closure_contact_policy,
            "recommendations": lifecycle.recommendations_for(relationship),
        },
    )


@login_required
@require_POST
def agreement_sign(request, pk):
    relationship = _relationship(request, pk)
    policy.require(request.user, PAIR, relationship)
    service_action(
        request, journal.agreement_sign, "You have signed the mentoring agreement.", relationship=relationship
    )
    return redirect(relationship)


@login_required
@require_POST
def pulse_answer(request, pk):
    relationship = _relationship(request, pk)
    policy.require(request.user, PAIR, relationship)
    form = forms.PulseForm(request.POST)
    if form.is_valid():
        service_action(
            request,
            journal.pulse_answer,
            "Thank you. Only the coordinator and the programme team see your answer.",
            relationship=relationship,
            **form.cleaned_data,
        )
    else:
        messages.error(request, "Choose an answer.")
    return redirect(relationship)


# Sessions ---------------------------------------------------------------------------------------------
@login_required
@GET_POST
def sessions_schedule(request, pk):
    relationship = _relationship(request, pk)
    policy.require(request.user, "mentoring.schedule_sessions", relationship)
    venues = _venues(relationship)
    form = forms.ScheduleRunForm(request.POST or None, venues=venues)
    if request.method == "POST" and form.is_valid():
        scheduled = run_service(
            request,
            lambda: scheduling.sessions_schedule_run(
                actor=request.user, relationship=relationship, **form.cleaned_data
            ),
            lambda result: f"{len(result.sessions)} sessions scheduled. Everyone involved has been emailed.",
            form=form,
        )
        if scheduled:
            for note in scheduled.result.moved:
                messages.info(request, note)
            for warning in scheduled.result.warnings:
                messages.warning(request, warning)
            return redirect(relationship)
    blackouts = BlackoutDate.objects.filter(
        youth_partner_id=relationship.mentee.mentee_profile.youth_partner_id,
        ends_on__gte=timezone.localdate(),
    )[:20]
    return render(
        request,
        "mentoring/sessions_schedule.html",
        {"relationship": relationship, "form": form, "blackouts": blackouts},
    )


@login_required
@GET_POST
def session_record(request, pk):
    """The mentor or coordinator records a session that happened without being scheduled."""
    relationship = _relationship(request, pk)
    policy.require(request.user, "mentoring.record_session", relationship)
    is_mentor = request.user.pk == relationship.mentor_id
    form = forms.RecordSessionForm(request.POST or None, venues=_venues(relationship))
    if request.method == "POST" and form.is_valid():
        recorded = run_service(
            request,
            lambda: journal.session_record_past(
                actor=request.user, relationship=relationship, **form.cleaned_data
            ),
            lambda session: (
                f"{session} is recorded. Now say how it went."
                if is_mentor
                else f"{session} is recorded. The mentor can now log it."
            ),
            form=form,
        )
        if recorded and is_mentor:
            return redirect("mentoring:session_log", recorded.result.pk)
        if recorded:
            return redirect(relationship)
    return render(
        request,
        "mentoring/session_record.html",
        {"relationship": relationship, "form": form, "limit_days": journal.RECORD_LIMIT_DAYS},
    )


@login_required
@require_safe
def session_detail(request, pk):
    session = _session(request, pk)
    relationship = session.relationship
    user = request.user
    is_mentor = user.pk == relationship.mentor_id
    may_manage = lifecycle.may_manage(user, relationship)
    previous = None
    if is_mentor or may_manage:
        previous = (
            SessionLog.objects.filter(
                session__relationship=relationship, session__starts_at__lt=session.starts_at
            )
            .exclude(next_time_notes="")
            .order_by("-session__starts_at")
            .first()
        )
    log = None
    if policy.can(user, policy.VIEW, session) and (is_mentor or may_manage or user.is_programme_staff):
        log = SessionLog.objects.filter(session=session).first()
    return render(
        request,
        "mentoring/session_detail.html",
        {
            "session": session,
            "relationship": relationship,
            "previous": previous,
            "log": log,
            "is_mentor": is_mentor,
            "may_schedule": policy.can(user, "mentoring.schedule_sessions", relationship),
            "can_log": is_mentor
            and relationship.is_open
            and session.starts_at <= timezone.now()
            and session.status != MentoringSession.Status.CANCELLED,
        },
    )


@login_required
@GET_POST
def session_reschedule(request, pk):
    session = _session(request, pk, SCHEDULE)
    form = forms.RescheduleForm(request.POST or None, venues=_venues(session.relationship))
    if request.method == "POST" and form.is_valid():
        moved = run_service(
            request,
            lambda: scheduling.session_reschedule(actor=request.user, session=session, **form.cleaned_data),
            "The session has moved. Everyone involved has been told.",
            form=form,
        )
        if moved:
            for warning in moved.result.warnings:
                messages.warning(request, warning)
            return redirect(session)
    return render(
        request, "mentoring/session_form.html", {"session": session, "form": form, "title": "Move a session"}
    )


@login_required
@GET_POST
def session_cancel(request, pk):
    session = _session(request, pk, SCHEDULE)
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cancelled = run_service(
            request,
            lambda: scheduling.session_cancel(
                actor=request.user, session=session, reason=form.cleaned_data["reason"]
            ),
            "The session is cancelled. Everyone involved has been told.",
            form=form,
        )
        if cancelled:
            if cancelled.result.held_for_review is not None:
                messages.warning(request, moderation.held_message(cancelled.result.held_for_review))
            return redirect(session)
    return render(
        request,
        "mentoring/session_form.html",
        {"session": session, "form": form, "title": "Cancel a session"},
    )


@login_required
@GET_POST
def session_log(request, pk):
    if request.method == "POST":
        session = _session(request, pk, LOG)
        relationship = session.relationship
        existing = SessionLog.objects.filter(session=session).first()
        goals = list(relationship.goals.exclude(status__in=[Goal.Status.DROPPED]).order_by("pk"))
    else:
        # The form to fill in: the session, its log and the pair's goals read with the columns the form
        # and page show (page_reads), the session through the policy's scopes as `_session` reads it.
        session = page_reads.session_to_log(user=request.user, pk=pk)
        if session is None:
            raise Http404
        policy.require_scoped(session.may_log)
        relationship = session.relationship
        existing = page_reads.log_of_session(session)
        goals = page_reads.goals_to_update(relationship.pk)
    initial = {}
    if existing:
        initial = {
            "held": "yes" if existing.held else "no",
            "missed_by": existing.missed_by,
            "duration_minutes": existing.duration_minutes,
            "format": existing.format,
            "topics": existing.topics,
            "summary": existing.summary,
            "next_time_notes": existing.next_time_notes,
            "mentee_activity": existing.mentee_activity,
            "worrying": "yes" if existing.worrying else "no",
        }
    else:
        initial = {
            "duration_minutes": session.duration_minutes,
            "format": "online" if session.is_online else "in_person",
        }
    form = forms.SessionLogForm(request.POST or None, initial=initial, goals=goals)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            lambda: journal.session_log_save(
                actor=request.user,
                session=session,
                held=data["held"],
                missed_by=data["missed_by"],
                duration_minutes=data["duration_minutes"],
                format=data["format"],
                topics=data["topics"],
                summary=data["summary"],
                next_time_notes=data["next_time_notes"],
                mentee_activity=data["mentee_activity"],
                worrying=data["worrying"],
                goal_updates=[
                    journal.GoalUpdate(goal, status, note) for goal, status, note in form.goal_updates()
                ],
            ),
            lambda log: None if log.worrying else "Session log saved.",
            form=form,
        )
        if saved:
            for held in saved.result.held_for_review:
                messages.warning(request, moderation.held_message(held))
            if saved.result.worrying:
                return render(
                    request,
                    "mentoring/session_log_worry.html",
                    {
                        "session": session,
                        "relationship": relationship,
                        "contacts": journal.safeguarding_contacts(relationship),
                        "concern_url": _safeguarding_concern_url(relationship),
                    },
                )
            return redirect(relationship)
    previous = page_reads.last_next_time_notes(relationship.pk)
    return render(
        request,
        "mentoring/session_log.html",
        {
            "session": session,
            "relationship": relationship,
            "form": form,
            "previous": previous,
            "concern_url": _safeguarding_concern_url(relationship),
        },
    )


def _safeguarding_concern_url(relationship) -> str:
    """The safeguarding app's 'raise a concern' page for this mentee, when that app provides one."""
    try:
        url = reverse("safeguarding:concern_raise")
    except NoReverseMatch:
        return ""
    return f"{url}?young_person={relationship.mentee_id}"


# Goals ---------------------------------------------------------------------------------------------------
@login_required
@GET_POST
def goal_create(request, pk):
    relationship = _relationship(request, pk)
    user = request.user
    policy.require(user, "mentoring.edit_goals", relationship)
    form = forms.GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = run_service(
            request,
            lambda: journal.goal_create(actor=user, relationship=relationship, goal=form.save(commit=False)),
            lambda goal: (
                None
                if isinstance(goal, HeldText)
                else "Goal proposed. Your mentor will agree it with you."
                if goal.status == Goal.Status.PROPOSED
                else "Goal added."
            ),
            form=form,
        )
        if created:
            if isinstance(created.result, HeldText):
                messages.warning(request, moderation.held_message(created.result))
            return redirect(relationship)
    return render(request, "mentoring/goal_form.html", {"relationship": relationship, "form": form})


@login_required
@GET_POST
def goal_update(request, pk):
    goal = policy.get_object_or_404(
        request.user, policy.CHANGE, Goal.objects.select_related("relationship"), pk=pk
    )
    form = forms.GoalProgressForm(request.POST or None, initial={"status": goal.status})
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            request,
            lambda: journal.goal_progress_add(actor=request.user, goal=goal, **form.cleaned_data),
            lambda progress: None if isinstance(progress, HeldText) else "Goal updated.",
            form=form,
        )
        if updated:
            if isinstance(updated.result, HeldText):
                messages.warning(request, moderation.held_message(updated.result))
            return redirect(goal.relationship)
    return render(
        request,
        "mentoring/goal_update.html",
        {
            "goal": goal,
            "form": form,
            "progress": goal.progress_notes.select_related("author", "session")[:20],
        },
    )


# Monitoring and support ----------------------------------------------------------------------------------
@login_required
@require_safe
def monitoring(request):
    user = request.user
    policy.require(user, "mentoring.monitor")
    partner_ids = None if user.is_programme_staff else user.coordinated_partner_ids
    shown = request.GET.get("list", "month_sessions")
    if shown not in MONITORING_TITLES:
        shown = "month_sessions"
    if partner_ids is not None:
        # A coordinator sees everything at their partners: the relationships there are read once
        # (with the session and check-in lists' totals), every list counted from them, and only the
        # page shown read with its columns.
        read = selectors.relationship_rows_at(partner_ids)
        counts = selectors.monitoring_counts_from_rows(read)
        page = paginate(request, selectors.MonitoringPage(shown, read), per_page=25, count=counts[shown])
    else:
        lists = selectors.monitoring_querysets(user=user, partner_ids=partner_ids)
        page = paginate(request, lists[shown], per_page=25)
        counts = {
            key: page.paginator.count if key == shown else lists[key].count() for key in MONITORING_TITLES
        }
    tabs = [(key, title, counts[key]) for key, title in MONITORING_TITLES.items()]
    return render(
        request,
        "mentoring/monitoring.html",
        {"tabs": tabs, "shown": shown, "shown_title": MONITORING_TITLES[shown], "page": page},
    )


def _relationship_list_filter(request):
    """The relationships list's filter: staff see every partner's, with a partner filter; a
    coordinator sees their own partners' (with the partner filter when they have several)."""
    user = request.user
    policy.require(user, "mentoring.monitor")
    partner_ids = None if user.is_programme_staff else user.coordinated_partner_ids
    partners = policy.scope(user, policy.VIEW, YouthPartner).order_by("name")
    if partner_ids is not None:
        partners = partners.filter(pk__in=partner_ids)
    show_partner = partner_ids is None or len(partner_ids) > 1
    return RelationshipFilter(
        request.GET,
        queryset=selectors.relationship_list(user=user, partner_ids=partner_ids),
        partners=partners if show_partner else None,
        request=request,
    ), show_partner


@login_required
@require_safe
def relationship_list(request):
    filterset, show_partner = _relationship_list_filter(request)
    query = request.GET.copy()
    query.pop("page", None)
    page = paginate(request, ReadPage(filterset.qs, selectors.relationship_list_rows))
    return render(
        request,
        "mentoring/relationship_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": relationship_rows_html(page, show_partner=show_partner),
            "show_partner": show_partner,
            "query": query.urlencode(),
        },
    )


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


@login_required
@require_safe
def relationship_export(request):
    """The relationships list as CSV, with the filters of the page it was downloaded from."""
    filterset, _show_partner = _relationship_list_filter(request)
    rows = [
        [
            relationship.mentee.get_full_name(),
            relationship.mentor.get_full_name(),
            relationship.mentee.mentee_profile.youth_partner.name,
            relationship.cohort.programme.name,
            relationship.get_status_display(),
            _local(relationship.next_session_at),
            _local(relationship.last_log_at),
            selectors.CADENCE_LABELS[relationship.cadence],
        ]
        for relationship in filterset.qs.iterator(chunk_size=500)
    ]
    response = csv_download(
        "relationships.csv",
        ["Mentee", "Mentor", "Youth partner", "Programme", "Status", "Next session", "Last log", "Cadence"],
        rows,
    )
    audit_record(
        actor=request.user,
        action="mentoring.relationships_exported",
        summary=f"{len(rows)} relationship{'s' if len(rows) != 1 else ''}",
    )
    return response


MONITORING_TITLES = {
    "month_sessions": "Sessions this month",
    "unlogged": "Sessions not yet logged",
    "drifting": "Relationships that missed their cadence",
    "without_goals": "No goals after two sessions",
    "check_ins": "Check-ins needing action",
}


@login_required
@GET_POST
def support_check_in(request, pk):
    check_in = policy.get_object_or_404(
        request.user,
        policy.CHANGE,
        SupportCheckIn.objects.select_related("relationship__mentor", "relationship__mentee", "pulse"),
        pk=pk,
    )
    form = forms.SupportCheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        recorded = run_service(
            request,
            lambda: journal.support_check_in_complete(
                actor=request.user, check_in=check_in, notes=form.cleaned_data["notes"]
            ),
            "Check-in recorded.",
            form=form,
        )
        if recorded:
            return redirect(check_in.relationship)
    return render(request, "mentoring/support_check_in.html", {"check_in": check_in, "form": form})


# Venues and blackout dates ----------------------------------------------------------------------------------
def _partner_things(request, pk, model, form_class, template):
    partner = policy.get_object_or_404(request.user, policy.VIEW, YouthPartner, pk=pk)
    if request.method == "POST":
        policy.require_create(request.user, model, youth_partner=partner)
    may_add = policy.can_create(request.user, model, youth_partner=partner)
    form = form_class(request.POST or None) if may_add else None
    if request.method == "POST" and form.is_valid():
        thing = form.save(commit=False)
        thing.youth_partner = partner
        save, keyword = {
            Venue: (scheduling.venue_save, "venue"),
            Term: (scheduling.term_save, "term"),
            BlackoutDate: (scheduling.blackout_date_save, "blackout"),
        }[model]
        if run_service(request, lambda: save(actor=request.user, **{keyword: thing}), "Saved.", form=form):
            return redirect(request.path)
    items = policy.scope(request.user, policy.VIEW, model).filter(youth_partner=partner)
    return render(
        request, template, {"partner": partner, "form": form, "page": paginate(request, items, per_page=25)}
    )


@login_required
@GET_POST
def partner_venues(request, pk):
    return _partner_things(request, pk, Venue, forms.VenueForm, "mentoring/partner_venues.html")


@login_required
@GET_POST
def partner_blackouts(request, pk):
    return _partner_things(
        request, pk, BlackoutDate, forms.BlackoutDateForm, "mentoring/partner_blackouts.html"
    )


@login_required
@GET_POST
def partner_terms(request, pk):
    return _partner_things(request, pk, Term, forms.TermForm, "mentoring/partner_terms.html")


# Calendar feed and reminders -------------------------------------------------------------------------------
@login_required
@GET_POST
def calendar_settings(request):
    feed = journal.calendar_feed_for(request.user)
    preference = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference(
        user=request.user
    )
    form = forms.NotificationPreferenceForm(
        request.POST if request.POST.get("form") == "preferences" else None, instance=preference
    )
    if request.method == "POST":
        if request.POST.get("form") == "revoke":
            journal.calendar_feed_revoke(actor=request.user)
            messages.success(request, "Your calendar address has changed. The old one no longer works.")
            return redirect("mentoring:calendar_settings")
        if form.is_valid():
            journal.notification_preference_save(actor=request.user, preference=form.save(commit=False))
            messages.success(request, "Your reminder settings are saved.")
            return redirect("mentoring:calendar_settings")
    feed_url = request.build_absolute_uri(reverse("mentoring:calendar_feed", args=[feed.token]))
    return render(request, "mentoring/calendar_settings.html", {"feed_url": feed_url, "form": form})


@require_safe
def calendar_feed(request, token):
    """The private iCalendar feed. The token is the only key; a revoked token is simply unknown."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("user"), token=token)
    policy.require(feed.user, "mentoring.use_calendar_feed", feed)
    sessions = selectors.sessions_for_feed(user=feed.user)
    body = calendar_for(sessions, feed.user, name=f"Mentoring sessions: {feed.user.first_name}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
