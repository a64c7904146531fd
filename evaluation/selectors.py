"""Read queries for surveys and the impact dashboards. Every aggregate runs in the database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts.models import Application, Role, User, birthdate_cutoff
from core import policy
from mentoring.models import Goal, MentoringSession, Relationship
from mentoring.selectors import cadence_missed_q
from training.models import DEFAULT_DEADLINE_DAYS, Audience, Enrolment

from . import analysis
from .models import AnswerTally, Instrument, InstrumentVersion, PairTally, Question, SurveyResponse


def responses_for(*, user):
    """The signed-in person's own surveys, newest first."""
    return policy.scope(user, policy.VIEW, SurveyResponse).select_related("instance__version__instrument")


def outstanding_responses_for(*, user):
    return responses_for(user=user).exclude(status=SurveyResponse.Status.SUBMITTED)


# Who may read aggregates, over which youth partners ----------------------------------------------


def aggregate_partner_scope(user) -> frozenset[int] | None | bool:
    """None: every partner (staff, funders). A set: only those partners (coordinators). False: no access."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_programme_staff or Role.FUNDER in user.roles:
        return None
    if user.coordinated_partner_ids:
        return user.coordinated_partner_ids
    return False


def may_read_aggregates(user) -> bool:
    return aggregate_partner_scope(user) is not False


@dataclass
class AggregateFilter:
    """Which slice of the summaries to read. `partner_ids` None means every partner."""

    programme_id: int | None = None
    cohort_id: int | None = None
    youth_partner_id: int | None = None
    partner_ids: frozenset[int] | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None

    def q(self) -> Q:
        condition = Q()
        if self.partner_ids is not None:
            condition &= Q(youth_partner_id__in=self.partner_ids)
        if self.youth_partner_id:
            condition &= Q(youth_partner_id=self.youth_partner_id)
        if self.programme_id:
            condition &= Q(programme_id=self.programme_id)
        if self.cohort_id:
            condition &= Q(cohort_id=self.cohort_id)
        if self.start:
            condition &= Q(month__gte=self.start.replace(day=1))
        if self.end:
            condition &= Q(month__lte=self.end)
        return condition


def _question_texts(codes, purposes) -> tuple[dict[str, str], dict[str, str]]:
    """The wording and theme of each question code, from its newest version."""
    rows = (
        Question.objects.filter(code__in=list(codes), version__instrument__purpose__in=purposes)
        .exclude(version__status=InstrumentVersion.Status.DRAFT)
        .order_by("code", "-version__number")
        .values_list("code", "text", "theme")
    )
    texts: dict[str, str] = {}
    themes: dict[str, str] = {}
    for code, text, theme in rows:
        texts.setdefault(code, text)
        themes.setdefault(code, theme)
    return texts, themes


def paired_items(aggregate_filter: AggregateFilter) -> list[analysis.PairedItem]:
    """Share agreeing before and after, per scale item, among people who answered both (one query
    over the pair summary, plus one for the wording)."""
    cells = list(
        PairTally.objects.filter(aggregate_filter.q())
        .values_list("question_code", "before", "after")
        .annotate(total=Sum("pairs"))
        .order_by()
    )
    texts, themes = _question_texts({cell[0] for cell in cells}, Instrument.POST_PURPOSES)
    items = analysis.paired_items_from_cells(cells, texts, themes)
    headline = set(
        Question.objects.filter(code__in=[item.code for item in items], is_headline=True).values_list(
            "code", flat=True
        )
    )
    return sorted(items, key=lambda item: (item.code not in headline, item.text))


def paired_cells_live(aggregate_filter: AggregateFilter):
    """The same cells as `paired_items` reads from the summary, computed from the answers themselves
    (a join of each post answer to the same person's pre answer). Used to check the summaries and as
    the benchmark's floor."""
    pre = Answer_pre_value()
    condition = Q(
        response__status=SurveyResponse.Status.SUBMITTED,
        response__instance__version__instrument__purpose__in=Instrument.POST_PURPOSES,
        question__kind=Question.Kind.AGREE,
        value__isnull=False,
    )
    for name in ("programme_id", "cohort_id", "youth_partner_id"):
        if getattr(aggregate_filter, name):
            condition &= Q(**{f"response__{name}": getattr(aggregate_filter, name)})
    if aggregate_filter.partner_ids is not None:
        condition &= Q(response__youth_partner_id__in=aggregate_filter.partner_ids)
    from .models import Answer

    return list(
        Answer.objects.filter(condition)
        .annotate(before=pre)
        .filter(before__isnull=False)
        .values_list("question__code", "before", "value")
        .annotate(total=Count("pk"))
        .order_by()
    )


def Answer_pre_value():  # noqa: N802  (reads as an expression)
    from .models import Answer

    return Subquery(
        Answer.objects.filter(
            response__respondent_id=OuterRef("response__respondent_id"),
            response__programme_id=OuterRef("response__programme_id"),
            response__status=SurveyResponse.Status.SUBMITTED,
            response__instance__version__instrument__purpose__in=Instrument.PRE_PURPOSES,
            question__code=OuterRef("question__code"),
            value__isnull=False,
        ).values("value")[:1],
        output_field=IntegerField(),
    )


def theme_scores(aggregate_filter: AggregateFilter) -> list[dict]:
    """Mean agreement per outcome theme before and after (all respondents, 0-100)."""
    rows = (
        AnswerTally.objects.filter(aggregate_filter.q(), question_kind=Question.Kind.AGREE)
        .exclude(stage="")
        .values("theme", "stage")
        .annotate(total=Sum(F("respondents") * F("value")), answers=Sum("respondents"))
        .order_by()
    )
    from .models import OutcomeTheme

    by_theme: dict[str, dict] = {}
    for row in rows:
        entry = by_theme.setdefault(
            row["theme"], {"theme": row["theme"], "label": OutcomeTheme(row["theme"]).label}
        )
        entry[f"{row['stage']}_answers"] = row["answers"]
        entry[row["stage"]] = analysis.theme_score(row["total"], row["answers"])
    return sorted(by_theme.values(), key=lambda entry: entry["label"])


def nps(aggregate_filter: AggregateFilter, purpose: str = Instrument.Purpose.MENTOR_POST) -> dict | None:
    counts = dict(
        AnswerTally.objects.filter(
            aggregate_filter.q(), question_kind=Question.Kind.NPS, instrument_purpose=purpose
        )
        .values_list("value")
        .annotate(total=Sum("respondents"))
        .order_by()
    )
    return analysis.nps_from_counts(counts)


def what_young_people_want(aggregate_filter: AggregateFilter) -> list[dict]:
    """Needs and interests chosen in the mentee pre-evaluation, most chosen first; small counts hidden."""
    rows = list(
        AnswerTally.objects.filter(
            aggregate_filter.q(),
            instrument_purpose=Instrument.Purpose.MENTEE_PRE,
            question_kind__in=[Question.Kind.SINGLE, Question.Kind.MULTIPLE],
        )
        .values_list("question_code", "value")
        .annotate(total=Sum("respondents"))
        .order_by("-total", "question_code", "value")
    )
    options: dict[str, tuple[str, list[str]]] = {}
    for code, text, choices in (
        Question.objects.filter(
            code__in={row[0] for row in rows}, version__instrument__purpose=Instrument.Purpose.MENTEE_PRE
        )
        .exclude(version__status=InstrumentVersion.Status.DRAFT)
        .order_by("code", "-version__number")
        .values_list("code", "text", "choices")
    ):
        options.setdefault(code, (text, choices))
    ranked = []
    for code, value, total in rows:
        text, choices = options.get(code, (code, []))
        label = choices[value] if 0 <= value < len(choices) else str(value)
        ranked.append({"question": text, "option": label, "n": total})
    for row in ranked:
        row["suppressed"] = row["n"] < analysis.SMALL_CELL
    return ranked


def response_rates(aggregate_filter: AggregateFilter) -> list[dict]:
    """Surveys sent and completed per survey purpose (from the response summary)."""
    from .models import ResponseTally

    rows = (
        ResponseTally.objects.filter(aggregate_filter.q())
        .values("instrument_purpose")
        .annotate(issued=Sum("issued"), submitted=Sum("submitted"))
        .order_by("instrument_purpose")
    )
    return [
        {
            "survey": Instrument.Purpose(row["instrument_purpose"]).label,
            "issued": row["issued"],
            "submitted": row["submitted"],
            "rate": round(row["submitted"] * 100 / row["issued"]) if row["issued"] else None,
        }
        for row in rows
    ]


# Breakdowns --------------------------------------------------------------------------------------

BREAKDOWNS = {
    "programme": "Programme",
    "cohort": "Cohort",
    "youth_partner": "Youth partner",
    "region": "Region",
    "gender": "Gender",
    "age_band": "Age band",
    "disadvantaged": "Disadvantage flag",
    "ethnicity": "Ethnicity",
    "disability": "Disability",
}


def _dimension(name: str):
    """The expression a breakdown groups by, and how to label its values."""
    from accounts.models import DiversityAnswers, Gender, Region
    from mentoring.models import Cohort, Programme, YouthPartner

    profile = "response__respondent__mentee_profile__"
    if name == "programme":
        return F("response__programme_id"), lambda ids: dict(
            Programme.objects.filter(pk__in=ids).values_list("pk", "name")
        )
    if name == "cohort":
        return F("response__cohort_id"), lambda ids: {
            c.pk: str(c)
            for c in Cohort.objects.filter(pk__in=ids).select_related("programme", "youth_partner")
        }
    if name == "youth_partner":
        return F("response__youth_partner_id"), lambda ids: dict(
            YouthPartner.objects.filter(pk__in=ids).values_list("pk", "name")
        )
    if name == "region":
        return F(profile + "region"), lambda ids: dict(Region.choices)
    if name == "gender":
        return F(profile + "gender"), lambda ids: dict(Gender.choices)
    if name == "disadvantaged":
        return F(profile + "disadvantaged"), lambda ids: {
            True: "Disadvantaged",
            False: "Not recorded as disadvantaged",
        }
    if name == "age_band":
        today = timezone.localdate()
        expression = Case(
            When(**{profile + "date_of_birth__gt": birthdate_cutoff(16, today)}, then=Value("under 16")),
            When(**{profile + "date_of_birth__gt": birthdate_cutoff(18, today)}, then=Value("16-17")),
            When(**{profile + "date_of_birth__isnull": False}, then=Value("18 and over")),
            default=Value(""),
            output_field=CharField(),
        )
        return expression, lambda ids: {
            "under 16": "Under 16",
            "16-17": "16 to 17",
            "18 and over": "18 and over",
        }
    # Ethnicity and disability come only from the separately consented diversity answers.
    if name == "ethnicity":
        return F("response__respondent__diversity_answers__ethnicity"), lambda ids: dict(
            DiversityAnswers.Ethnicity.choices
        )
    if name == "disability":
        return F("response__respondent__diversity_answers__disability"), lambda ids: {
            "yes": "Disabled",
            "no": "Not disabled",
            "undisclosed": "Prefer not to say",
        }
    raise ValueError(f"Unknown breakdown {name!r}")


def breakdown(aggregate_filter: AggregateFilter, *, dimension: str, question_code: str) -> dict:
    """Paired agreement on one item, grouped by `dimension`, with small cells (and enough neighbours
    to protect them) suppressed. One aggregate query over the answers."""
    from .models import Answer

    if dimension in SUMMARY_DIMENSIONS:
        return _breakdown_from_summary(aggregate_filter, dimension=dimension, question_code=question_code)
    expression, labels_for = _dimension(dimension)
    condition = Q(
        response__status=SurveyResponse.Status.SUBMITTED,
        response__instance__version__instrument__purpose__in=Instrument.POST_PURPOSES,
        question__code=question_code,
        value__isnull=False,
    )
    for name in ("programme_id", "cohort_id", "youth_partner_id"):
        if getattr(aggregate_filter, name):
            condition &= Q(**{f"response__{name}": getattr(aggregate_filter, name)})
    if aggregate_filter.partner_ids is not None:
        condition &= Q(response__youth_partner_id__in=aggregate_filter.partner_ids)
    if aggregate_filter.start:
        condition &= Q(response__submitted_at__date__gte=aggregate_filter.start)
    if aggregate_filter.end:
        condition &= Q(response__submitted_at__date__lte=aggregate_filter.end)
    rows = list(
        Answer.objects.filter(condition)
        .annotate(before=Answer_pre_value(), group=expression)
        .filter(before__isnull=False)
        .values("group")
        .annotate(
            n=Count("pk"),
            agree_before=Count("pk", filter=Q(before__gte=analysis.AGREE_THRESHOLD)),
            agree_after=Count("pk", filter=Q(value__gte=analysis.AGREE_THRESHOLD)),
        )
        .order_by("group")
    )
    return _breakdown_result(rows, labels_for, dimension=dimension, question_code=question_code)


# Programme, cohort and partner are kept on the pair summary, so those breakdowns never touch answers.
SUMMARY_DIMENSIONS = {"programme": "programme_id", "cohort": "cohort_id", "youth_partner": "youth_partner_id"}


def _breakdown_from_summary(aggregate_filter: AggregateFilter, *, dimension: str, question_code: str) -> dict:
    _expression, labels_for = _dimension(dimension)
    rows = list(
        PairTally.objects.filter(aggregate_filter.q(), question_code=question_code)
        .values(group=F(SUMMARY_DIMENSIONS[dimension]))
        .annotate(
            n=Sum("pairs"),
            agree_before=Sum("pairs", filter=Q(before__gte=analysis.AGREE_THRESHOLD), default=0),
            agree_after=Sum("pairs", filter=Q(after__gte=analysis.AGREE_THRESHOLD), default=0),
        )
        .order_by("group")
    )
    return _breakdown_result(rows, labels_for, dimension=dimension, question_code=question_code)


def _breakdown_result(rows, labels_for, *, dimension: str, question_code: str) -> dict:
    labels = labels_for([row["group"] for row in rows])
    cells = [
        {
            "label": labels.get(row["group"], "Not given") if row["group"] not in (None, "") else "Not given",
            "n": row["n"],
            "agree_before": row["agree_before"],
            "agree_after": row["agree_after"],
        }
        for row in rows
    ]
    analysis.suppress_cells(cells)
    total = sum(cell["n"] for cell in cells)
    for cell in cells:
        if cell["suppressed"]:
            cell.update(n=None, agree_before=None, agree_after=None, share_before=None, share_after=None)
        else:
            cell["share_before"] = cell["agree_before"] / cell["n"]
            cell["share_after"] = cell["agree_after"] / cell["n"]
    return {
        "dimension": dimension,
        "label": BREAKDOWNS[dimension],
        "question_code": question_code,
        "rows": sorted(cells, key=lambda cell: cell["label"]),
        "total": total if total >= analysis.SMALL_CELL else None,
    }


MATCH_AIM = datetime.timedelta(weeks=12)


# Training's default deadline is the programme's aim that mentors finish mandatory training in 14 days.
TRAINING_AIM = datetime.timedelta(days=DEFAULT_DEADLINE_DAYS)

# How held sessions per started relationship are grouped for the distribution: (label, low, high).
SESSION_BANDS = (
    ("no sessions", 0, 0),
    ("1-2 sessions", 1, 2),
    ("3-5 sessions", 3, 5),
    ("6-9 sessions", 6, 9),
    ("10 or more sessions", 10, None),
)


# Fidelity ----------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> str | None:
    """A percentage, or None (suppressed) when fewer than five people are behind it."""
    return f"{round(part * 100 / whole)}%" if whole >= analysis.SMALL_CELL else None


def fidelity(aggregate_filter: AggregateFilter) -> dict:
    """Delivery measures from relationships, their sessions and goals, and their mentors' training."""
    condition = Q()
    if aggregate_filter.programme_id:
        condition &= Q(cohort__programme_id=aggregate_filter.programme_id)
    if aggregate_filter.cohort_id:
        condition &= Q(cohort_id=aggregate_filter.cohort_id)
    if aggregate_filter.youth_partner_id:
        condition &= Q(cohort__youth_partner_id=aggregate_filter.youth_partner_id)
    if aggregate_filter.partner_ids is not None:
        condition &= Q(cohort__youth_partner_id__in=aggregate_filter.partner_ids)
    relationships = Relationship.objects.filter(condition)
    if aggregate_filter.start:
        relationships = relationships.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=aggregate_filter.start)
        )
    if aggregate_filter.end:
        relationships = relationships.filter(created_at__date__lte=aggregate_filter.end)
    status = Relationship.Status
    active = Q(status=status.ACTIVE)
    counts = relationships.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=Relationship.OPEN_STATUSES)),
        completed=Count("pk", filter=Q(status=status.COMPLETED)),
        ended_early=Count("pk", filter=Q(status=status.ENDED_EARLY)),
        started=Count("pk", filter=Q(started_on__isnull=False)),
        active=Count("pk", filter=active),
        # The relationships feature's own "drifting" rule, so the dashboard and monitoring agree.
        on_cadence=Count("pk", filter=active & ~cadence_missed_q(timezone.now())),
    )
    # The programme's aim: mentor and mentee meet within 8-12 weeks of the young person signing up.
    timely = (
        relationships.filter(started_on__isnull=False)
        .annotate(signed_up=TruncDate("mentee__mentee_profile__created_at"))
        .aggregate(
            within=Count(
                "pk",
                filter=Q(
                    started_on__lte=ExpressionWrapper(F("signed_up") + MATCH_AIM, output_field=DateField())
                ),
            )
        )["within"]
    )
    closed = counts["completed"] + counts["ended_early"]
    measures = [
        {"measure": "Relationships", "value": counts["total"]},
        {"measure": "Open relationships", "value": counts["open"]},
        {"measure": "Completed as planned", "value": counts["completed"]},
        {"measure": "Ended early", "value": counts["ended_early"]},
        {
            "measure": "Early-ending rate (of closed relationships)",
            "value": _share(counts["ended_early"], closed),
        },
        {
            "measure": "Relationships started within 12 weeks of the young person signing up",
            "value": _share(timely, counts["started"]),
        },
        {
            "measure": "Active relationships meeting the programme's session cadence",
            "value": _share(counts["on_cadence"], counts["active"]),
        },
    ]
    measures.extend(sessions_held(relationships))
    measures.extend(weeks_to_first_session(relationships))
    measures.extend(training_within_aim(relationships))
    measures.extend(goals_achieved(relationships))
    for measure in measures:
        measure["suppressed"] = measure["value"] is None
    return {"counts": counts, "measures": measures}


def sessions_held(relationships) -> list[dict]:
    """Held sessions per started relationship: the mean and how many relationships fall in each band."""
    held = (
        MentoringSession.objects.filter(relationship=OuterRef("pk"), status=MentoringSession.Status.HELD)
        .order_by()
        .values("relationship")
        .annotate(total=Count("pk"))
        .values("total")
    )
    bands = {
        f"band_{index}": Count(
            "pk", filter=Q(held__gte=low) & (Q(held__lte=high) if high is not None else Q())
        )
        for index, (_label, low, high) in enumerate(SESSION_BANDS)
    }
    # A subquery per relationship rather than a join, so the mean is over relationships, not sessions.
    result = (
        relationships.filter(started_on__isnull=False)
        .annotate(held=Coalesce(Subquery(held, output_field=IntegerField()), 0))
        .aggregate(started=Count("pk"), mean=Avg("held"), **bands)
    )
    enough = result["started"] >= analysis.SMALL_CELL
    measures = [
        {
            "measure": "Sessions held per started relationship (mean)",
            "value": round(result["mean"], 1) if enough else None,
        }
    ]
    for index, (label, _low, _high) in enumerate(SESSION_BANDS):
        measures.append(
            {
                "measure": f"Started relationships with {label} held",
                "value": _share(result[f"band_{index}"], result["started"]),
            }
        )
    return measures


def weeks_to_first_session(relationships) -> list[dict]:
    """Weeks from each young person signing up to their first held session, against the 8-12 week aim.

    Sign-up is their first submitted mentee application, or when they joined if they never applied.
    """
    applied = (
        Application.objects.filter(user=OuterRef("pk"), role=Role.MENTEE, submitted_at__isnull=False)
        .order_by("submitted_at")
        .values("submitted_at")[:1]
    )
    # Their first held session in any relationship: a rematch does not restart the clock.
    first_held = (
        MentoringSession.objects.filter(
            relationship__mentee=OuterRef("pk"), status=MentoringSession.Status.HELD
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    # Grouped by whole days, so the database returns at most one row per distinct wait, not per person.
    waits = (
        User.objects.filter(pk__in=relationships.values("mentee_id"))
        .annotate(
            signed_up=Coalesce(Subquery(applied), F("date_joined")),
            first_held=Subquery(first_held),
        )
        .filter(first_held__isnull=False)
        .annotate(
            wait=ExpressionWrapper(
                TruncDate("first_held") - TruncDate("signed_up"), output_field=DurationField()
            )
        )
        .values("wait")
        .annotate(people=Count("pk"))
        .order_by("wait")
    )
    histogram = [(row["wait"].days, row["people"]) for row in waits]
    people = sum(count for _days, count in histogram)
    if people < analysis.SMALL_CELL:
        median = None
    else:
        median = round(_median_days(histogram, people) / 7, 1)
    within = sum(count for days, count in histogram if days <= MATCH_AIM.days)
    return [
        {"measure": "Weeks from signing up to the first held session (median; aim 8-12)", "value": median},
        {
            "measure": "Young people whose first session was held within 12 weeks of signing up",
            "value": _share(within, people),
        },
    ]


def _median_days(histogram: list[tuple[int, int]], people: int) -> float:
    """The median of a sorted (days, count) histogram: the mean of the two middle values when even."""
    middle = ((people - 1) // 2, people // 2)
    values = []
    seen = 0
    for days, count in histogram:
        for position in middle:
            if seen <= position < seen + count:
                values.append(days)
        seen += count
    return sum(values) / len(values)


def training_within_aim(relationships) -> list[dict]:
    """Share of these relationships' mentors who finished each mandatory course within 14 days of starting.

    Mentors whose 14 days are not yet up and who have not finished are left out rather than counted late.
    """
    mandatory = Enrolment.objects.filter(
        user=OuterRef("pk"), course__is_mandatory=True, course__audience=Audience.MENTOR
    ).annotate(
        completed_on=TruncDate("completed_at"),
        aim=ExpressionWrapper(F("started_on") + TRAINING_AIM, output_field=DateField()),
    )
    today = timezone.localdate()
    late = Q(completed_on__gt=F("aim")) | Q(completed_at__isnull=True, started_on__lt=today - TRAINING_AIM)
    decided = Q(completed_at__isnull=False) | Q(started_on__lt=today - TRAINING_AIM)
    result = (
        User.objects.filter(pk__in=relationships.values("mentor_id"))
        .annotate(decided=Exists(mandatory.filter(decided)), late=Exists(mandatory.filter(late)))
        .aggregate(
            mentors=Count("pk", filter=Q(decided=True)),
            on_time=Count("pk", filter=Q(decided=True, late=False)),
        )
    )
    return [
        {
            "measure": "Mentors who completed mandatory training within 14 days of starting",
            "value": _share(result["on_time"], result["mentors"]),
        }
    ]


def goals_achieved(relationships) -> list[dict]:
    """Agreed goals (not those still only proposed) that were achieved or partly achieved."""
    goal_status = Goal.Status
    result = (
        Goal.objects.filter(relationship__in=relationships)
        .exclude(status=goal_status.PROPOSED)
        .aggregate(
            total=Count("pk"),
            achieved=Count("pk", filter=Q(status__in=(goal_status.ACHIEVED, goal_status.PARTLY_ACHIEVED))),
        )
    )
    if result["total"] < analysis.SMALL_CELL:
        return [{"measure": "Goals achieved or partly achieved", "value": None}]
    return [
        {"measure": "Goals set", "value": result["total"]},
        {
            "measure": "Goals achieved or partly achieved",
            "value": _share(result["achieved"], result["total"]),
        },
    ]
