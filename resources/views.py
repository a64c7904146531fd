"""Pages of the resource library, the FAQ and the bulletins. Thin: parse, call a service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import policy
from core.forms import form_save, run_service, service_action
from core.pagination import paginate
from training.pdf import render_pdf

from . import selectors, services
from .bulletin_events import upcoming_events_markdown
from .forms import (
    ALL,
    MINE,
    AttachForm,
    BulletinForm,
    FaqForm,
    FaqSearchForm,
    RatingForm,
    ResourceFilter,
    ResourceForm,
)
from .markup import markdown_to_html
from .models import Bulletin, FaqEntry, Resource, ResourceRating, SessionResource
from .policies import is_mentor

GET_POST = require_http_methods(["GET", "POST"])


# Resource library ------------------------------------------------------------------------------------


@login_required
@require_safe
def resource_list(request):
    """Mentors start with resources for their mentees' ages; everyone can widen, filter and search."""
    user = request.user
    policy.require(user, "resources.read_library")
    audiences = selectors.mentee_audiences(mentor=user) if is_mentor(user) else []
    data = request.GET.copy()
    if not data.get("audience"):
        data["audience"] = MINE if audiences else ALL
    filterset = ResourceFilter(
        data, queryset=selectors.resources_visible_to(user=user), mentee_audiences=audiences
    )
    return render(
        request,
        "resources/resource_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "audiences": audiences,
            "may_author": policy.can_create(user, Resource),
        },
    )


def _preview(form):
    return markdown_to_html(form.cleaned_data.get("body", "")) if form.is_valid() else None


@login_required
@GET_POST
def resource_create(request):
    policy.require_create(request.user, Resource)
    form = ResourceForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _preview(form)
        else:
            resource = form_save(
                request, form, services.resource_create, "Draft saved. Publish it when it is ready.",
                **form.cleaned_data,
            )  # fmt: skip
            if resource is not None:
                return redirect(resource)
    return render(
        request, "resources/resource_form.html", {"form": form, "preview": preview, "title": "New resource"}
    )


@login_required
@GET_POST
def resource_edit(request, slug):
    resource = policy.get_object_or_404(request.user, policy.CHANGE, Resource, slug=slug)
    form = ResourceForm(request.POST or None, instance=resource)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _preview(form)
        else:
            saved = form_save(
                request, form, services.resource_update, "Changes saved.",
                resource=resource, **form.cleaned_data,
            )  # fmt: skip
            if saved is not None:
                return redirect(saved)
    return render(
        request,
        "resources/resource_form.html",
        {"form": form, "preview": preview, "title": f"Edit {resource.title}", "resource": resource},
    )


@login_required
@require_safe
def resource_detail(request, slug):
    user = request.user
    resource = policy.get_object_or_404(user, policy.VIEW, Resource, slug=slug)
    context = {
        "resource": resource,
        "body": markdown_to_html(resource.body),
        "may_edit": policy.can(user, policy.CHANGE, resource),
        "may_rate": resource.is_published and policy.can_create(user, ResourceRating, resource=resource),
    }
    if context["may_rate"]:
        mine = ResourceRating.objects.filter(resource=resource, mentor=user).first()
        context["my_rating"] = mine
        context["rating_form"] = RatingForm(initial={"stars": mine.stars if mine else None})
        sessions = selectors.upcoming_sessions_for_mentor(mentor=user)
        context["attach_form"] = AttachForm(sessions=sessions) if sessions else None
    return render(request, "resources/resource_detail.html", context)


@login_required
@require_safe
def resource_pdf(request, slug):
    """The printable version: a PDF of the sanitised text, for whoever may read the resource."""
    resource = policy.get_object_or_404(request.user, policy.VIEW, Resource, slug=slug)
    html = render_to_string(
        "resources/pdf/resource.html", {"resource": resource, "body": markdown_to_html(resource.body)}
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{resource.slug}.pdf"'
    return response


@login_required
@require_POST
def resource_publish(request, slug):
    resource = policy.get_object_or_404(request.user, policy.CHANGE, Resource, slug=slug)
    publish = request.POST.get("action") != "unpublish"
    services.resource_publish(actor=request.user, resource=resource, published=publish)
    messages.success(request, "Published: mentors can find it now." if publish else "Back to draft.")
    return redirect(resource)


@login_required
@require_POST
def resource_rate(request, slug):
    resource = policy.get_object_or_404(request.user, policy.VIEW, Resource, slug=slug)
    policy.require_create(request.user, ResourceRating, resource=resource)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose from 1 to 5 stars.")
        return redirect(resource)
    form_save(
        request, form, services.resource_rate, "Thank you: your rating is saved.",
        resource=resource, stars=form.cleaned_data["stars"],
    )  # fmt: skip
    for error in form.non_field_errors() + form.errors.get("stars", []):
        messages.error(request, error)
    return redirect(resource)


@login_required
@require_POST
def resource_attach(request, slug):
    user = request.user
    resource = policy.get_object_or_404(user, policy.VIEW, Resource, slug=slug)
    policy.require_create(user, SessionResource)
    form = AttachForm(request.POST, sessions=selectors.upcoming_sessions_for_mentor(mentor=user))
    if not form.is_valid():
        messages.error(request, "Choose one of your upcoming sessions.")
        return redirect(resource)
    session = form.cleaned_data["session"]
    attached = run_service(
        request,
        lambda: services.resource_attach(actor=user, resource=resource, session=session),
        f"Added to {session}.",
    )
    return redirect(session if attached else resource)


@login_required
@require_POST
def planned_remove(request, pk):
    planned = policy.get_object_or_404(
        request.user, policy.DELETE, SessionResource.objects.select_related("resource", "session"), pk=pk
    )
    session = planned.session
    services.resource_detach(actor=request.user, planned=planned)
    messages.success(request, f"{planned.resource.title} is no longer planned for this session.")
    return redirect(session)


# FAQ -------------------------------------------------------------------------------------------------


@login_required
@require_safe
@policy.rule_required("resources.read_library")
def faq_list(request):
    form = FaqSearchForm(request.GET or None)
    text = topic = ""
    if form.is_valid():
        text, topic = form.cleaned_data["q"], form.cleaned_data["topic"]
    entries = selectors.faq_entries_visible_to(user=request.user, text=text, topic=topic)
    return render(
        request,
        "resources/faq_list.html",
        {
            "form": form,
            "page": paginate(request, entries, per_page=50),
            "searching": bool(text or topic),
            "may_edit": policy.can_create(request.user, FaqEntry),
        },
    )


@login_required
@GET_POST
def faq_create(request):
    policy.require_create(request.user, FaqEntry)
    return _faq_form(request, None, "New question")


@login_required
@GET_POST
def faq_edit(request, pk):
    entry = policy.get_object_or_404(request.user, policy.CHANGE, FaqEntry, pk=pk)
    return _faq_form(request, entry, "Edit question")


def _faq_form(request, entry, title):
    form = FaqForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        saved = form_save(request, form, services.faq_save, "Question saved.", entry=entry, **fields)
        if saved is not None:
            return redirect("resources:faq_list")
    return render(
        request, "resources/form.html", {"form": form, "title": title, "back_url": "resources:faq_list"}
    )


@login_required
@require_POST
def faq_delete(request, pk):
    entry = policy.get_object_or_404(request.user, policy.DELETE, FaqEntry, pk=pk)
    services.faq_delete(actor=request.user, entry=entry)
    messages.success(request, "Question removed.")
    return redirect("resources:faq_list")


# Bulletins -------------------------------------------------------------------------------------------


@login_required
@require_safe
@policy.rule_required("resources.read_bulletins")
def bulletin_list(request):
    """Mentors: the archive of sent bulletins. Staff: drafts, those sending and those sent."""
    bulletins = selectors.bulletins_visible_to(user=request.user)
    return render(
        request,
        "resources/bulletin_list.html",
        {"page": paginate(request, bulletins), "may_write": policy.can_create(request.user, Bulletin)},
    )


@login_required
@GET_POST
def bulletin_create(request):
    policy.require_create(request.user, Bulletin)
    return _bulletin_form(request, None, "New bulletin")


def _new_bulletin_initial() -> dict:
    issue_date = timezone.localdate()
    return {"issue_date": issue_date, "upcoming_events": upcoming_events_markdown(issue_date)}


@login_required
@GET_POST
def bulletin_edit(request, pk):
    bulletin = policy.get_object_or_404(request.user, policy.CHANGE, Bulletin, pk=pk)
    return _bulletin_form(request, bulletin, f"Edit {bulletin.title}")


def _bulletin_form(request, bulletin, title):
    initial = _new_bulletin_initial() if bulletin is None and request.method == "GET" else None
    form = BulletinForm(request.POST or None, instance=bulletin, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        saved = form_save(
            request, form, services.bulletin_save, "Draft saved. Check the preview, then send it.",
            bulletin=bulletin, featured=form.cleaned_data["featured"], **fields,
        )  # fmt: skip
        if saved is not None:
            return redirect(saved)
    return render(
        request, "resources/form.html", {"form": form, "title": title, "back_url": "resources:bulletin_list"}
    )


def _bulletin_context(bulletin):
    return {
        "bulletin": bulletin,
        "news": markdown_to_html(bulletin.news),
        "skill_builder": markdown_to_html(bulletin.skill_builder),
        "upcoming_events": markdown_to_html(bulletin.upcoming_events),
        "featured": list(bulletin.featured_resources.all()),
    }


@login_required
@require_safe
def bulletin_detail(request, pk):
    """The bulletin as mentors read it; for staff also the preview of a draft and sending progress."""
    bulletin = policy.get_object_or_404(request.user, policy.VIEW, Bulletin, pk=pk)
    context = _bulletin_context(bulletin)
    if request.user.is_programme_staff:
        context["progress"] = selectors.bulletin_progress(bulletin=bulletin)
    return render(request, "resources/bulletin_detail.html", context)


@login_required
@require_safe
def bulletin_progress(request, pk):
    """The sending progress block alone, refreshed in place while a bulletin goes out."""
    bulletin = policy.get_object_or_404(request.user, policy.VIEW, Bulletin, pk=pk)
    policy.require(request.user, "resources.manage")
    return render(
        request,
        "resources/includes/bulletin_progress.html",
        {"bulletin": bulletin, "progress": selectors.bulletin_progress(bulletin=bulletin)},
    )


@login_required
@require_POST
def bulletin_send(request, pk):
    bulletin = policy.get_object_or_404(request.user, policy.VIEW, Bulletin, pk=pk)
    policy.require(request.user, "resources.manage")
    service_action(
        request, services.bulletin_send, "Sending has started. Progress is shown below.", bulletin=bulletin
    )
    return redirect(bulletin)
