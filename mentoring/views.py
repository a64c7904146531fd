from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import User
from core import policy
from core.audit import audit_record
from core.forms import form_save
from core.pagination import ReadPage, paginate

from . import selectors, services
from .filters import MenteeFilter, MentorFilter, PartnerFilter, ProgrammeFilter
from .forms import AgreementTemplateForm, CohortForm, ProgrammeForm, YouthPartnerForm
from .journal import agreement_template_for
from .list_rows import mentee_rows_html
from .models import AgreementTemplate, Cohort, Programme, Relationship, YouthPartner

# Programmes -------------------------------------------------------------------------------------


@login_required
@require_safe
def programme_list(request):
    programmes = selectors.programmes_visible_to(user=request.user)
    filterset = ProgrammeFilter(request.GET, queryset=programmes)
    return render(
        request,
        "mentoring/programme_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "can_create": policy.can_create(request.user, Programme),
        },
    )


@login_required
@require_safe
def programme_detail(request, pk):
    programme = policy.get_object_or_404(request.user, policy.VIEW, Programme, pk=pk)
    cohorts = selectors.cohorts_visible_to(user=request.user).filter(programme=programme)
    return render(
        request,
        "mentoring/programme_detail.html",
        {
            "programme": programme,
            "cohorts": paginate(request, cohorts),
            "can_change": policy.can(request.user, policy.CHANGE, programme),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request):
    policy.require_create(request.user, Programme)
    form = ProgrammeForm(request.POST or None)
    if form.is_valid():
        programme = form_save(
            request, form, services.programme_save, "Programme created.", programme=form.instance
        )
        if programme:
            return redirect(programme)
    return render(request, "form_page.html", {"form": form, "title": "New programme"})


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, pk):
    programme = policy.get_object_or_404(request.user, policy.CHANGE, Programme, pk=pk)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if form.is_valid():
        if form_save(request, form, services.programme_save, "Programme saved.", programme=form.instance):
            return redirect(programme)
    return render(request, "form_page.html", {"form": form, "title": f"Edit {programme}", "back": programme})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_template_edit(request, pk):
    """The mentoring agreement pairs of this programme sign; until edited, the standard text."""
    programme = policy.get_object_or_404(request.user, policy.CHANGE, Programme, pk=pk)
    template = agreement_template_for(programme)
    if template.pk:
        policy.require(request.user, policy.CHANGE, template)
    else:
        policy.require_create(request.user, AgreementTemplate)
    form = AgreementTemplateForm(request.POST or None, instance=template)
    if form.is_valid():
        if form_save(
            request,
            form,
            services.agreement_template_save,
            "Mentoring agreement saved. New agreements use it; signed ones keep their text.",
            template=form.instance,
        ):
            return redirect(programme)
    return render(
        request,
        "form_page.html",
        {"form": form, "title": f"Mentoring agreement for {programme}", "back": programme},
    )


# Youth partners ---------------------------------------------------------------------------------


@login_required
@require_safe
def partner_list(request):
    partners = selectors.partners_visible_to(user=request.user)
    filterset = PartnerFilter(request.GET, queryset=partners)
    return render(
        request,
        "mentoring/partner_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs),
            "can_create": policy.can_create(request.user, YouthPartner),
            "show_people": request.user.is_programme_staff
            or bool(request.user.coordinated_partner_ids | request.user.safeguarding_partner_ids),
        },
    )


@login_required
@require_safe
def partner_detail(request, pk):
    partner = policy.get_object_or_404(request.user, policy.VIEW, YouthPartner, pk=pk)
    cohorts = selectors.cohorts_visible_to(user=request.user).filter(youth_partner=partner)
    staff_roles = partner.role_assignments.select_related("user").order_by("role", "user__first_name")
    return render(
        request,
        "mentoring/partner_detail.html",
        {
            "partner": partner,
            "cohorts": cohorts,
            "staff_roles": staff_roles,
            "mentee_count": selectors.mentees_visible_to(user=request.user)
            .filter(youth_partner=partner)
            .count(),
            "can_change": policy.can(request.user, policy.CHANGE, partner),
            "can_add_cohort": policy.can_create(request.user, Cohort, youth_partner=partner),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_create(request):
    policy.require_create(request.user, YouthPartner)
    form = YouthPartnerForm(request.POST or None)
    if form.is_valid():
        partner = form_save(
            request, form, services.youth_partner_save, "Youth partner added.", youth_partner=form.instance
        )
        if partner:
            return redirect(partner)
    return render(request, "form_page.html", {"form": form, "title": "New youth partner"})


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request, pk):
    partner = policy.get_object_or_404(request.user, policy.CHANGE, YouthPartner, pk=pk)
    form = YouthPartnerForm(request.POST or None, instance=partner)
    if form.is_valid():
        if form_save(
            request, form, services.youth_partner_save, "Youth partner saved.", youth_partner=form.instance
        ):
            return redirect(partner)
    return render(request, "form_page.html", {"form": form, "title": f"Edit {partner}", "back": partner})


# Cohorts ----------------------------------------------------------------------------------------


@login_required
@require_safe
def cohort_detail(request, pk):
    cohort = policy.get_object_or_404(
        request.user, policy.VIEW, Cohort.objects.select_related("programme", "youth_partner"), pk=pk
    )
    mentees = selectors.mentees_visible_to(user=request.user).filter(cohort=cohort)
    relationships = selectors.relationships_visible_to(user=request.user).filter(cohort=cohort)
    return render(
        request,
        "mentoring/cohort_detail.html",
        {
            "cohort": cohort,
            "mentees": paginate(request, mentees),
            "relationship_counts": relationships.aggregate(
                open=Count("pk", filter=Q(status__in=Relationship.OPEN_STATUSES)), total=Count("pk")
            ),
            "can_change": policy.can(request.user, policy.CHANGE, cohort),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_create(request):
    policy.require_create(request.user, Cohort)
    partners = policy.scope(request.user, policy.CHANGE, YouthPartner)
    form = CohortForm(
        request.POST or None, partners=partners, initial={"youth_partner": request.GET.get("partner")}
    )
    if form.is_valid():
        policy.require_create(request.user, Cohort, youth_partner=form.cleaned_data["youth_partner"])
        cohort = form_save(request, form, services.cohort_save, "Cohort created.", cohort=form.instance)
        if cohort:
            return redirect(cohort)
    return render(request, "form_page.html", {"form": form, "title": "New cohort"})


# People -----------------------------------------------------------------------------------------


@login_required
@require_safe
@policy.rule_required("mentoring.see_people")
def mentee_list(request):
    partners = policy.scope(request.user, policy.VIEW, YouthPartner).order_by("name")
    filterset = MenteeFilter(
        request.GET, queryset=selectors.mentees_visible_to(user=request.user), partners=partners
    )
    rows = ReadPage(filterset.qs, selectors.mentee_list_rows)
    page = paginate(request, rows)
    context = {"filter": filterset, "page": page, "rows": mentee_rows_html(page)}
    return render(request, "mentoring/mentee_list.html", context)


@login_required
@require_safe
def mentee_detail(request, pk):
    mentee = policy.get_object_or_404(
        request.user, policy.VIEW, User.objects.filter(mentee_profile__isnull=False), pk=pk
    )
    profile = mentee.mentee_profile
    audit_record(
        actor=request.user, action="mentoring.mentee_viewed", target=mentee, summary="Viewed profile"
    )
    relationships = selectors.relationships_visible_to(user=request.user).filter(mentee=mentee)
    return render(
        request,
        "mentoring/mentee_detail.html",
        {
            "person": mentee,
            "profile": profile,
            "relationships": relationships,
            "show_contact": policy.can(request.user, "view_contact", mentee),
            "can_change": policy.can(request.user, "manage", mentee),
        },
    )


@login_required
@require_safe
@policy.rule_required("mentoring.see_people")
def mentor_list(request):
    filterset = MentorFilter(request.GET, queryset=selectors.mentors_visible_to(user=request.user))
    return render(
        request, "mentoring/mentor_list.html", {"filter": filterset, "page": paginate(request, filterset.qs)}
    )


@login_required
@require_safe
def mentor_detail(request, pk):
    mentor = policy.get_object_or_404(
        request.user,
        policy.VIEW,
        User.objects.filter(mentor_profile__isnull=False).select_related("mentor_profile"),
        pk=pk,
    )
    relationships = selectors.relationships_visible_to(user=request.user).filter(mentor=mentor)
    return render(
        request,
        "mentoring/mentor_detail.html",
        {
            "person": mentor,
            "profile": mentor.mentor_profile,
            "relationships": relationships,
            "show_contact": policy.can(request.user, "view_contact", mentor),
        },
    )
