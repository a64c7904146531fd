from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from core import policy
from core.audit import audit_record
from core.forms import run_service, service_action
from core.pagination import paginate
from mentoring.models import Relationship

from . import data_protection, selectors, services
from .forms import CaseEntryForm, ConcernForm, DataExportForPersonForm, HoldForm, MessageForm
from .models import CaseExport, Concern, Message, SubjectAccessExport
from .policies import thread_role

# Concerns ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def concern_raise(request):
    subjects = services.concern_subjects_for(user=request.user)
    initial = {}
    if request.GET.get("young_person", "").isdigit():
        initial["young_person"] = subjects.filter(pk=request.GET["young_person"]).first()
    # Only those who look after young people (staff, coordinators, DSLs) see their full names.
    sees_full_names = bool(
        request.user.is_programme_staff
        or request.user.coordinated_partner_ids
        or request.user.safeguarding_partner_ids
    )
    form = ConcernForm(
        request.POST or None, subjects=subjects, initial=initial, short_names=not sees_full_names
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        raised = run_service(
            request,
            lambda: services.concern_raise(reporter=request.user, **data),
            lambda concern: (
                f"Thank you. Your concern ({concern.reference}) has been sent to the safeguarding lead. "
                "You can follow its status here."
            ),
            form=form,
        )
        if raised:
            return redirect("safeguarding:my_concerns")
    return render(request, "safeguarding/concern_form.html", {"form": form})


@login_required
@require_safe
def my_concerns(request):
    return render(
        request,
        "safeguarding/my_concerns.html",
        {"page": paginate(request, selectors.concerns_reported_by(user=request.user))},
    )


@login_required
@require_safe
@policy.rule_required("safeguarding.read_cases")
def concern_list(request):
    status = request.GET.get("status", "")
    concerns = selectors.concerns_with_status(user=request.user, status=status).order_by(
        "acknowledged_at", "-created_at"
    )
    return render(
        request,
        "safeguarding/concern_list.html",
        {"page": paginate(request, concerns), "statuses": Concern.Status.choices, "status": status},
    )


@login_required
@require_safe
def concern_detail(request, pk):
    concern = policy.get_object_or_404(
        request.user, policy.VIEW, selectors.concerns_visible_to(user=request.user), pk=pk
    )
    services.concern_read_record(concern=concern, actor=request.user)
    threads = (
        Relationship.objects.filter(mentee_id=concern.young_person_id).select_related("mentor")
        if concern.young_person_id
        else Relationship.objects.none()
    )
    return render(
        request,
        "safeguarding/concern_detail.html",
        {
            "concern": concern,
            "entries": concern.entries.select_related("author"),
            "entry_form": CaseEntryForm(),
            "threads": threads,
            "overdue": selectors.concern_is_overdue(concern),
            "exports": concern.exports.select_related("requested_by", "approved_by"),
        },
    )


@login_required
@require_POST
def concern_acknowledge(request, pk):
    concern = policy.get_object_or_404(request.user, policy.CHANGE, Concern, pk=pk)
    service_action(
        request, services.concern_acknowledge, f"You have acknowledged {concern.reference}.", concern=concern
    )
    return redirect(concern)


@login_required
@require_POST
def concern_entry_add(request, pk):
    concern = policy.get_object_or_404(request.user, policy.CHANGE, Concern, pk=pk)
    form = CaseEntryForm(request.POST)
    if form.is_valid():
        added = run_service(
            request,
            lambda: services.case_entry_add(concern=concern, actor=request.user, **form.cleaned_data),
            "Added to the case record.",
            form=form,
        )
        if added:
            return redirect(concern)
    services.concern_read_record(concern=concern, actor=request.user)
    return render(
        request,
        "safeguarding/concern_detail.html",
        {
            "concern": concern,
            "entries": concern.entries.select_related("author"),
            "entry_form": form,
            "threads": Relationship.objects.filter(mentee_id=concern.young_person_id).select_related(
                "mentor"
            ),
            "overdue": selectors.concern_is_overdue(concern),
            "exports": concern.exports.select_related("requested_by", "approved_by"),
        },
        status=400,
    )


@login_required
@require_POST
def concern_keep_messages(request, pk):
    concern = policy.get_object_or_404(request.user, policy.CHANGE, Concern, pk=pk)
    relationship = Relationship.objects.filter(pk=request.POST.get("relationship") or 0).first()
    if relationship is None:
        messages.error(request, "Choose a conversation to keep.")
        return redirect(concern)
    service_action(
        request,
        services.concern_keep_messages,
        "A copy of the messages is kept on the case record.",
        concern=concern,
        relationship=relationship,
    )
    return redirect(concern)


# Data protection --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    """A person's own data: ask for a copy (a ZIP built in the background) and find earlier copies."""
    if request.method == "POST":
        export = data_protection.data_export_request(person=request.user, actor=request.user)
        return redirect(export)
    exports = (
        policy.scope(request.user, policy.VIEW, SubjectAccessExport)
        .filter(person=request.user)
        .defer("archive")[:10]
    )
    return render(
        request, "safeguarding/my_data.html", {"exports": exports, "days": settings.DATA_EXPORT_DAYS}
    )


def _export_or_404(request, pk):
    return policy.get_object_or_404(
        request.user,
        policy.VIEW,
        SubjectAccessExport.objects.defer("archive").select_related("person", "requested_by"),
        pk=pk,
    )


@login_required
@require_safe
def data_export_detail(request, pk):
    """The export's progress while it is prepared, then its download link."""
    return render(request, "safeguarding/data_export_detail.html", {"export": _export_or_404(request, pk)})


@login_required
@require_safe
def data_export_status(request, pk):
    """The export's status and progress, polled by the progress bar."""
    export = _export_or_404(request, pk)
    return JsonResponse(
        {
            "status": export.status,
            "status_label": export.get_status_display(),
            "progress": export.progress,
            "message": export.progress_message,
            "finished": not export.is_active,
        }
    )


@login_required
@require_safe
def data_export_download(request, pk):
    export = policy.get_object_or_404(request.user, policy.VIEW, SubjectAccessExport, pk=pk)
    if export.status != SubjectAccessExport.Status.READY or not export.archive:
        raise Http404
    if export.expires_at and export.expires_at <= timezone.now():
        raise Http404
    audit_record(
        actor=request.user,
        action="data_protection.export_downloaded",
        target=export.person,
        summary=f"Data export #{export.pk} downloaded",
    )
    response = HttpResponse(bytes(export.archive), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{settings.SITE_NAME.lower()}-data-{timezone.localdate():%Y-%m-%d}.zip"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def data_export_for_person(request):
    """Programme staff prepare the data of someone who asked for it by letter, email or phone."""
    policy.require_create(request.user, SubjectAccessExport, on_behalf=True)
    form = DataExportForPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if person is None:
            form.add_error("email", "No one has this email address.")
        else:
            requested = run_service(
                request,
                lambda: data_protection.data_export_request(person=person, actor=request.user),
                form=form,
            )
            if requested:
                return redirect(requested.result)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": "Prepare a person's data on their request"},
        status=400 if form.errors else 200,
    )


BANDS = {
    "under 16": ("under_16", "under 16"),
    "16-17": ("16_17", "16 or 17"),
    "18 and over": ("adult", "18 or over"),
}


@require_safe
def privacy_notice(request):
    """The privacy notice, in the version for the reader's age band when they are a mentee."""
    band = label = None
    profile = getattr(request.user, "mentee_profile", None) if request.user.is_authenticated else None
    if profile is not None:
        band, label = BANDS[profile.age_band]
    return render(request, "safeguarding/privacy_notice.html", {"band": band, "band_label": label})


@login_required
@require_POST
def concern_export_request(request, pk):
    concern = policy.get_object_or_404(request.user, policy.CHANGE, Concern, pk=pk)
    service_action(
        request,
        services.case_export_request,
        "Requested. A second safeguarding lead must approve the copy.",
        concern=concern,
        reason=request.POST.get("reason", ""),
    )
    return redirect(concern)


@login_required
@require_POST
def concern_export_approve(request, pk):
    export = policy.get_object_or_404(request.user, policy.CHANGE, CaseExport, pk=pk)
    service_action(request, services.case_export_approve, "Copy approved.", export=export)
    return redirect(export.concern)


@login_required
@require_safe
def concern_export_download(request, pk):
    export = policy.get_object_or_404(request.user, policy.VIEW, CaseExport, pk=pk)
    prepared = run_service(request, lambda: services.case_export_data(export=export, actor=request.user))
    if not prepared:
        return redirect(export.concern)
    response = JsonResponse(prepared.result, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{export.concern.reference}.json"'
    return response


# Messages ---------------------------------------------------------------------------------------


@login_required
@require_safe
def thread_list(request):
    return render(
        request,
        "safeguarding/thread_list.html",
        {
            "page": paginate(request, selectors.threads_visible_to(user=request.user)),
            "held": selectors.held_messages_for(user=request.user)[:20],
            "held_texts": selectors.held_texts_for(user=request.user)[:20],
        },
    )


def _thread_or_404(user, pk):
    relationship = get_object_or_404(
        Relationship.objects.select_related("mentor", "mentee__mentee_profile", "cohort"), pk=pk
    )
    policy.require(user, "safeguarding.read_thread", relationship)
    return relationship, thread_role(user, relationship)


@login_required
@require_http_methods(["GET", "POST"])
def thread(request, pk):
    relationship, role = _thread_or_404(request.user, pk)
    initial = {}
    rewrite = request.GET.get("rewrite", "")
    if rewrite.isdigit() and role == "participant":
        declined = Message.objects.filter(
            pk=int(rewrite),
            relationship=relationship,
            sender=request.user,
            status__in=[Message.Status.DECLINED, Message.Status.RETURNED],
        ).first()
        if declined is not None:
            initial["body"] = declined.body
    profile = getattr(relationship.mentee, "mentee_profile", None)
    under_18 = profile is None or profile.is_under_18
    form = MessageForm(request.POST or None, request.FILES or None, initial=initial, under_18=under_18)
    if request.method == "POST":
        policy.require(request.user, "safeguarding.write_in_thread", relationship)
        if form.is_valid():
            sent = run_service(
                request,
                lambda: services.message_send(
                    relationship=relationship,
                    sender=request.user,
                    body=form.cleaned_data["body"],
                    attachment=form.cleaned_data.get("attachment"),
                ),
                lambda message: None if message.status == Message.Status.HELD else "Message sent.",
                form=form,
            )
            if sent:
                message = sent.result
                if message.status == Message.Status.HELD:
                    messages.warning(
                        request,
                        f"Your message is waiting for the coordinator to check it: it seems to contain "
                        f"{message.hold_reason.removeprefix('Contains ')}. Contact details are kept private.",
                    )
                return redirect("safeguarding:thread", pk=relationship.pk)
    if role == "overseer" and request.method == "GET":
        services.thread_reads_audit(actor=request.user, relationships=[relationship])
    return render(
        request,
        "safeguarding/thread.html",
        {
            "relationship": relationship,
            "role": role,
            "thread_messages": selectors.thread_messages(user=request.user, relationship=relationship),
            "form": form if role == "participant" and relationship.is_open else None,
            "under_18": under_18,
            "direct": services.messaging_is_direct(relationship),
            "hold_form": HoldForm(),
            "decline_guidance": services.DECLINE_GUIDANCE,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def message_attachment(request, pk):
    """A message's file, for those who may read the message (held ones: sender and reviewers only)."""
    message = policy.get_object_or_404(request.user, policy.VIEW, Message, pk=pk)
    attachment = getattr(message, "attachment", None)
    if attachment is None:
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    return response


@login_required
@require_POST
def message_hold(request, pk):
    message = policy.get_object_or_404(request.user, policy.CHANGE, Message, pk=pk)
    form = HoldForm(request.POST)
    form.is_valid()
    service_action(
        request,
        services.message_hold,
        "The message is held and hidden from the other person.",
        message=message,
        reason=form.cleaned_data.get("reason", ""),
    )
    return redirect("safeguarding:thread", pk=message.relationship_id)


@login_required
@require_POST
def message_release(request, pk):
    message = policy.get_object_or_404(request.user, policy.CHANGE, Message, pk=pk)
    service_action(
        request, services.message_release, "The message is released and delivered.", message=message
    )
    return redirect("safeguarding:thread", pk=message.relationship_id)


@login_required
@require_POST
def message_decline(request, pk):
    message = policy.get_object_or_404(request.user, policy.CHANGE, Message, pk=pk)
    service_action(
        request,
        services.message_decline,
        "The message will not be delivered. The sender has been told why.",
        message=message,
        reason=request.POST.get("reason", ""),
    )
    return redirect("safeguarding:thread", pk=message.relationship_id)


@login_required
@require_POST
def message_return(request, pk):
    message = policy.get_object_or_404(request.user, policy.CHANGE, Message, pk=pk)
    service_action(
        request,
        services.message_return,
        "The message is returned to the sender to edit. They have been told what to change.",
        message=message,
        note=request.POST.get("note", ""),
    )
    return redirect("safeguarding:thread", pk=message.relationship_id)
