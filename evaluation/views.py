from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Role
from core import policy
from core.audit import audit_record
from core.errors import ApplicationError
from core.forms import run_service, service_action
from core.pagination import paginate

from . import dashboard, selectors, services
from .forms import DashboardFilterForm, InstrumentForm, QuestionForm, ReportRequestForm, SurveyForm
from .models import ImpactReport, Instrument, InstrumentVersion, Question, SurveyInstance, SurveyResponse
from .policies import aggregate_partner_scope

# Answering surveys -------------------------------------------------------------------------------


@login_required
@require_safe
def my_surveys(request):
    responses = selectors.responses_for(user=request.user).order_by("status", "-created_at")
    return render(request, "evaluation/my_surveys.html", {"page": paginate(request, responses)})


def _is_plain(user) -> bool:
    profile = getattr(user, "mentee_profile", None) if Role.MENTEE in user.roles else None
    return bool(profile and profile.is_under_16)


@login_required
@require_http_methods(["GET", "POST"])
def response_fill(request, pk):
    response = policy.get_object_or_404(
        request.user,
        policy.VIEW,
        SurveyResponse.objects.select_related("instance__version__instrument"),
        pk=pk,
    )
    version = response.instance.version
    questions = list(version.questions.all())
    plain = _is_plain(request.user)
    if response.is_submitted:
        if request.method == "POST":
            policy.require(request.user, policy.CHANGE, response)
        return render(request, "evaluation/response_done.html", {"response": response})
    initial = {}
    for answer in response.answers.select_related("question"):
        kind = answer.question.kind
        initial[answer.question.code] = (
            answer.choices
            if kind == Question.Kind.MULTIPLE
            else answer.text
            if kind == Question.Kind.TEXT
            else answer.value
        )
    form = SurveyForm(
        request.POST if request.method == "POST" else None, initial=initial, questions=questions, plain=plain
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.response_save(
                actor=request.user, response=response, answers=form.answers(), submit=submit
            )
        except ValidationError as error:
            form.apply_errors(error)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("evaluation:my_surveys")
        else:
            if submit:
                messages.success(request, "Thank you: your answers have been sent.")
                return redirect("home")
            messages.success(request, "Your answers are saved. You can come back and finish later.")
            return redirect(response.get_absolute_url())
    return render(
        request,
        "evaluation/response_fill.html",
        {
            "response": response,
            "version": version,
            "form": form,
            "introduction": (
                version.introduction_plain if plain and version.introduction_plain else version.introduction
            ),
            "answered": len(initial),
            "total": len(questions),
        },
    )


# Building instruments (programme staff) ----------------------------------------------------------


@login_required
@require_safe
def instrument_list(request):
    policy.require_create(request.user, Instrument)
    instruments = (
        policy.scope(request.user, policy.VIEW, Instrument)
        .annotate(version_count=Count("versions", distinct=True))
        .order_by("name")
    )
    return render(request, "evaluation/instrument_list.html", {"page": paginate(request, instruments)})


@login_required
@require_http_methods(["GET", "POST"])
def instrument_create(request):
    policy.require_create(request.user, Instrument)
    form = InstrumentForm(request.POST or None)
    if form.is_valid():
        try:
            instrument = services.instrument_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form._update_errors(error)
        else:
            messages.success(request, "Instrument created with an empty draft. Add its questions.")
            return redirect(instrument.versions.get().get_absolute_url())
    return render(request, "evaluation/form.html", {"form": form, "title": "New survey instrument"})


@login_required
@require_safe
def instrument_detail(request, pk):
    instrument = policy.get_object_or_404(request.user, policy.CHANGE, Instrument, pk=pk)
    versions = instrument.versions.annotate(question_count=Count("questions")).order_by("-number")
    instances = (
        SurveyInstance.objects.filter(version__instrument=instrument)
        .select_related("version", "programme")
        .annotate(
            sent=Count("responses"),
            completed=Count("responses", filter=Q(responses__status=SurveyResponse.Status.SUBMITTED)),
        )
        .order_by("-created_at")
    )
    return render(
        request,
        "evaluation/instrument_detail.html",
        {"instrument": instrument, "versions": versions, "instances": paginate(request, instances)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_detail(request, pk):
    version = policy.get_object_or_404(
        request.user, policy.CHANGE, InstrumentVersion.objects.select_related("instrument"), pk=pk
    )
    form = QuestionForm(request.POST or None) if not version.is_frozen else None
    if request.method == "POST":
        if form is None:
            messages.error(request, "This version is published and cannot change. Start a new draft.")
            return redirect(version.get_absolute_url())
        if form.is_valid():
            added = run_service(
                request,
                lambda: services.question_add(actor=request.user, version=version, question=form.instance),
                "Question added.",
                form=form,
            )
            if added:
                return redirect(version.get_absolute_url())
    return render(
        request,
        "evaluation/version_detail.html",
        {"version": version, "questions": version.questions.all(), "form": form},
    )


@login_required
@require_POST
def version_publish(request, pk):
    version = policy.get_object_or_404(request.user, policy.CHANGE, InstrumentVersion, pk=pk)
    service_action(
        request,
        services.version_publish,
        f"Version {version.number} is published and now frozen.",
        version=version,
    )
    return redirect(version.get_absolute_url())


@login_required
@require_POST
def version_new_draft(request, pk):
    instrument = policy.get_object_or_404(request.user, policy.CHANGE, Instrument, pk=pk)
    started = run_service(
        request,
        lambda: services.version_create_draft(actor=request.user, instrument=instrument),
        lambda draft: f"Draft version {draft.number} started from the latest questions.",
    )
    if not started:
        return redirect(instrument.get_absolute_url())
    return redirect(started.result.get_absolute_url())


@login_required
@require_POST
def instance_toggle(request, pk):
    instance = get_object_or_404(
        policy.scope(
            request.user, policy.CHANGE, SurveyInstance.objects.select_related("version__instrument")
        ),
        pk=pk,
    )
    services.survey_instance_set_open(actor=request.user, instance=instance, is_open=not instance.is_open)
    messages.success(
        request, "Survey reopened." if instance.is_open else "Survey closed: no more answers are accepted."
    )
    return redirect(instance.version.instrument.get_absolute_url())


@login_required
@require_POST
def question_delete(request, pk):
    question = get_object_or_404(
        policy.scope(request.user, policy.CHANGE, Question.objects.select_related("version")), pk=pk
    )
    service_action(request, services.question_remove, "Question removed.", question=question)
    return redirect(question.version.get_absolute_url())


# Dashboards --------------------------------------------------------------------------------------


def _aggregate_request(request, *, shown: bool = False):
    """The filter form and the AggregateFilter for a dashboard request (403 for people without access).

    `shown`: the form is shown on the page. Otherwise (the breakdown section, the exports) it is built
    only to read a filter that was asked for: with none, there is nothing to read (the form is None),
    and its choices are not worked out."""
    policy.require(request.user, "evaluation.read_impact")
    partner_ids = aggregate_partner_scope(request.user)
    catalogue = selectors.item_catalogue()
    form: DashboardFilterForm | None = None
    cleaned: dict = {}
    if shown or request.GET:
        form = DashboardFilterForm(
            request.GET or None,
            user=request.user,
            partner_ids=partner_ids,
            item_choices=selectors.item_choices(catalogue),
        )
        cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    aggregate_filter = selectors.AggregateFilter(
        programme_id=getattr(cleaned.get("programme"), "pk", None),
        cohort_id=getattr(cleaned.get("cohort"), "pk", None),
        youth_partner_id=getattr(cleaned.get("youth_partner"), "pk", None),
        partner_ids=partner_ids,
        start=cleaned.get("start"),
        end=cleaned.get("end"),
    )
    options = {
        "breakdown": cleaned.get("breakdown") or "youth_partner",
        "item": cleaned.get("item") or None,
        "catalogue": catalogue,
    }
    return form, aggregate_filter, options


@login_required
@require_safe
def dashboard_view(request):
    """The impact page. Its breakdown, the slowest table, is loaded by the page after the first paint
    (`dashboard_breakdown`), so the headline figures never wait for it."""
    form, aggregate_filter, options = _aggregate_request(request, shown=True)
    data = dashboard.build(aggregate_filter, **options, with_breakdown=False)
    user = request.user
    audience = (
        "staff" if user.is_programme_staff else "funder" if Role.FUNDER in user.roles else "coordinator"
    )
    reports = selectors.latest_reports(user=user)
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "form": form,
            "data": data,
            "tables": dashboard.tables(data),
            "charts": {
                "paired": dashboard.chart_rows(data["items"]),
                "mentor_paired": dashboard.chart_rows(data["mentor_items"]),
            },
            "audience": audience,
            "query": request.GET.urlencode(),
            "reports": reports,
            "report_form": (
                ReportRequestForm(
                    initial={
                        "breakdown": options["breakdown"],
                        "item": data["item"].key if data["item"] else "",
                    },
                    # The statements as the filter form offers them, worked out once for both forms.
                    item_choices=form.fields["item"].choices if form is not None else (),
                )
                if policy.can_create(user, ImpactReport)
                else None
            ),
        },
    )


@login_required
@require_safe
def dashboard_breakdown(request):
    """The impact page's breakdown section for the same filter: a fragment for the page's htmx request,
    or a page of its own when followed as a link (without JavaScript)."""
    form, aggregate_filter, options = _aggregate_request(request)
    table = dashboard.breakdown_table(
        aggregate_filter, breakdown=options["breakdown"], item=options["item"], catalogue=options["catalogue"]
    )
    context = {"table": table, "query": request.GET.urlencode(), "period": aggregate_filter.period_in_words()}
    if request.htmx:
        return render(request, "evaluation/_breakdown.html", context)
    return render(request, "evaluation/breakdown.html", context)


@login_required
@require_safe
def dashboard_export(request, table, file_format):
    _form, aggregate_filter, options = _aggregate_request(request)
    data = dashboard.build(aggregate_filter, **options)
    chosen = next((t for t in dashboard.tables(data) if t.key == table), None)
    if chosen is None:
        raise Http404
    return dashboard.csv_response(chosen) if file_format == "csv" else dashboard.xlsx_response(chosen)


@login_required
@require_safe
@policy.rule_required("evaluation.export_respondents")
def respondents_export(request):
    """The anonymised paired respondent-level file for an external evaluator: programme staff only,
    and every download is audited."""
    _form, aggregate_filter, _options = _aggregate_request(request)
    headers, rows = selectors.paired_respondents(aggregate_filter)
    audit_record(
        actor=request.user,
        action="evaluation.respondents_export",
        summary=f"{len(rows)} paired young people; {aggregate_filter.period_in_words()}",
        details={"query": request.GET.urlencode()},
    )
    table = dashboard.Table(
        "respondents",
        "Paired answers, one row per young person (anonymised)",
        [dashboard.Column(header, "text" if index < 7 else "count") for index, header in enumerate(headers)],
        rows,
    )
    return dashboard.csv_response(table)


# Impact reports ----------------------------------------------------------------------------------


@login_required
@require_POST
def report_create(request):
    policy.require_create(request.user, ImpactReport)
    form = ReportRequestForm(request.POST, item_choices=selectors.item_choices(selectors.item_catalogue()))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("evaluation:dashboard")
    report = services.impact_report_request(actor=request.user, **form.cleaned_data)
    return redirect(report.get_absolute_url())


@login_required
@require_safe
def report_detail(request, pk):
    report = policy.get_object_or_404(request.user, policy.VIEW, ImpactReport.objects.defer("pdf"), pk=pk)
    return render(request, "evaluation/report_detail.html", {"report": report})


@login_required
@require_safe
def report_status(request, pk):
    report = policy.get_object_or_404(request.user, policy.VIEW, ImpactReport.objects.defer("pdf"), pk=pk)
    # The fragment carries its own polling trigger only while the report is being built.
    return render(request, "evaluation/_report_status.html", {"report": report})


@login_required
@require_safe
def report_download(request, pk):
    report = policy.get_object_or_404(request.user, policy.VIEW, ImpactReport, pk=pk)
    if report.status != ImpactReport.Status.READY or not report.pdf:
        raise Http404
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    name = (
        report.programme.slug if report.programme else "all-programmes"
    ) + f"-{report.period_end:%Y-%m-%d}"
    response["Content-Disposition"] = f'attachment; filename="impact-report-{name}.pdf"'
    return response
