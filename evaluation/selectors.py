"""Read queries for surveys and the impact dashboards. Every aggregate runs in the database."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Func,
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

from core import policy
from core.prepared import PreparedQuery, SlotIn
from core.rows import PreparedRows
from mentoring.models import Relationship
from mentoring.selectors import cadence_missed_q, cadence_threshold_slots, cadence_thresholds
from training.models import DEFAULT_DEADLINE_DAYS, Audience, Enrolment

from . import analysis, tallies
from .models import (
    AnswerTally,
    ImpactReport,
    Instrument,
    InstrumentVersion,
    OutcomeTheme,
    PairGroupTally,
    PairTally,
    Question,
    SurveyResponse,
)


def responses_for(*, user):
    """The signed-in person's own surveys, newest first."""
    return policy.scope(user, policy.VIEW, SurveyResponse).select_related("instance__version__instrument")


def outstanding_responses_for(*, user):
    return responses_for(user=user).exclude(status=SurveyResponse.Status.SUBMITTED)


# What the home panel shows of each survey waiting (evaluation/_surveys_panel.html): its instrument's
# name, whether it is required, its status. Compiled once per process (core.prepared), scoped through
# the policy to the person it is run for.
WAITING_SURVEYS_SHOWN = 5
_WAITING_SURVEYS = PreparedRows(
    SurveyResponse,
    ("status", "mandatory", "instance__version__instrument__name"),
    lambda slots: outstanding_responses_for(user=slots.person("user"))[:WAITING_SURVEYS_SHOWN],
)


def waiting_surveys(*, user) -> list[SurveyResponse]:
    """The person's first surveys still to answer (`outstanding_responses_for`, newest first), with
    what their home shows of each: one query, compiled once per process."""
    return _WAITING_SURVEYS.rows(user=user)


# The impact page's list of the latest reports the person may see: what the list shows of each.
LATEST_REPORT_COLUMNS = ("programme_id", "period_start", "period_end", "status", "programme__name")
_LATEST_REPORTS = PreparedRows(
    ImpactReport,
    LATEST_REPORT_COLUMNS,
    lambda slots: policy.scope(slots.person("user"), policy.VIEW, ImpactReport).order_by("-created_at")[:5],
)


def latest_reports(*, user) -> list:
    """The five newest impact reports `user` may see (newest first), with what the page's list shows of
    each: programme, period and status (a prepared query, core.prepared)."""
    return _LATEST_REPORTS.rows(user=user)


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
            condition &= Q(day__gte=self.start)
        if self.end:
            condition &= Q(day__lte=self.end)
        return condition

    def slot_values(self) -> dict:
        """The slice's set fields, as a prepared query's slots take them (their names are its shape)."""
        given = {}
        for name in ("partner_ids", "youth_partner_id", "programme_id", "cohort_id", "start", "end"):
            value = getattr(self, name)
            if name == "partner_ids":
                if value is not None:
                    given[name] = sorted(value)
            elif value:
                given[name] = value
        return given

    def rows(self, queries: dict, build, **values) -> list[dict]:
        """The rows of a prepared query (core.prepared) over this slice: `build(slots, condition)` makes
        the queryset, with `condition` the slice as `q()` writes it, from slots. Compiled once per
        shape of the slice (which of its fields are set) and kept in `queries`."""
        given = self.slot_values()
        shape = tuple(given)
        prepared = queries.get(shape)
        if prepared is None:
            prepared = queries.setdefault(
                shape, PreparedQuery(lambda slots: build(slots, AggregateFilter._slot_q(slots, shape)))
            )
        return prepared.rows(**given, **values)

    @staticmethod
    def _slot_q(slots, shape: tuple[str, ...]) -> Q:
        """`q()` for a slice of this shape, from slots."""
        condition = Q()
        if "partner_ids" in shape:
            condition &= Q(SlotIn(F("youth_partner_id"), slots.ids("partner_ids")))
        for name in ("youth_partner_id", "programme_id", "cohort_id"):
            if name in shape:
                condition &= Q(**{name: slots.value(name, IntegerField())})
        if "start" in shape:
            condition &= Q(day__gte=slots.value("start", DateField()))
        if "end" in shape:
            condition &= Q(day__lte=slots.value("end", DateField()))
        return condition

    def response_q(self, prefix: str = "response__") -> Q:
        """The same slice, over responses themselves: the same placement and the same days (UK time)."""
        condition = Q()
        for name in ("programme_id", "cohort_id", "youth_partner_id"):
            if getattr(self, name):
                condition &= Q(**{f"{prefix}{name}": getattr(self, name)})
        if self.partner_ids is not None:
            condition &= Q(**{f"{prefix}youth_partner_id__in": self.partner_ids})
        if self.start:
            condition &= Q(**{f"{prefix}submitted_at__date__gte": self.start})
        if self.end:
            condition &= Q(**{f"{prefix}submitted_at__date__lte": self.end})
        return condition

    def period_in_words(self) -> str:
        """The date rule, said the same way on the page, in exports and in the PDF."""
        if self.start and self.end:
            span = f"from {self.start:%-d %B %Y} to {self.end:%-d %B %Y} inclusive"
        elif self.start:
            span = f"from {self.start:%-d %B %Y} onwards"
        elif self.end:
            span = f"up to and including {self.end:%-d %B %Y}"
        else:
            return (
                "All answers so far. Each answer counts on the day (UK time) it was given; a pair of "
                "answers counts on the day its after answer was given."
            )
        return (
            f"Answers given {span} (UK time). A pair of answers counts on the day its after answer was "
            "given; response rates count surveys sent in the period."
        )


@dataclass
class ItemInfo:
    key: str
    text: str
    theme: str
    population: str
    position: int
    headline: bool
    other_wordings: list[str]
    codes: list[str]


_CATALOGUES: dict[str | None, PreparedQuery] = {}
_CATALOGUE_COLUMNS = (
    "code",
    "text",
    "theme",
    "position",
    "is_headline",
    "version__number",
    "version__instrument__purpose",
)


def _catalogue_query(slots, population: str | None):
    purposes = (
        Instrument.POPULATION_PURPOSES[population]
        if population
        else Instrument.PRE_PURPOSES + Instrument.POST_PURPOSES
    )
    described = Q(version__instrument__purpose__in=purposes, kind=Question.Kind.AGREE) & ~Q(
        version__status=InstrumentVersion.Status.DRAFT
    )
    return Question.objects.filter(described | ~Q(replaces="")).values(
        *_CATALOGUE_COLUMNS,
        "replaces",
        is_described=ExpressionWrapper(described, output_field=BooleanField()),
    )


def item_catalogue(population: str | None = None) -> dict[str, ItemInfo]:
    """The scale items of the before-and-after surveys, by stable key (one query).

    An item's wording is the one its newest published after-survey asks; any other wording it has been
    asked in (an earlier version, or the before survey) is kept, so a page can say so.
    """
    prepared = _CATALOGUES.get(population)
    if prepared is None:
        prepared = _CATALOGUES.setdefault(
            population, PreparedQuery(lambda slots: _catalogue_query(slots, population))
        )
    # One read: the scale items described, and every question that replaces another (any survey, any
    # version), which gives each item's stable key (as tallies.item_keys).
    links: dict[str, str] = {}
    rows = []
    for row in prepared.rows():
        if row["replaces"]:
            links[row["code"]] = row["replaces"]
        if row["is_described"]:
            rows.append(tuple(row[name] for name in _CATALOGUE_COLUMNS))
    keys = tallies.keys_from_links(links)
    # The after survey's newest version first: its wording, theme and position describe the item.
    ordered = sorted(rows, key=lambda row: (row[6] not in Instrument.POST_PURPOSES, -row[5], row[3]))
    catalogue: dict[str, ItemInfo] = {}
    for code, text, theme, position, headline, _number, purpose in ordered:
        key = keys.get(code, code)
        info = catalogue.get(key)
        if info is None:
            catalogue[key] = ItemInfo(
                key=key,
                text=text,
                theme=theme,
                population=Instrument.POPULATION[purpose],
                position=position,
                headline=headline,
                other_wordings=[],
                codes=tallies.aliases(key, keys),
            )
        elif text != info.text and text not in info.other_wordings:
            info.other_wordings.append(text)
    return catalogue


def item_choices(catalogue: dict[str, ItemInfo]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Statements grouped by who answers them, in reading order, for a select."""
    groups = []
    for population, label in ((Instrument.MENTEES, "Young people"), (Instrument.MENTORS, "Mentors")):
        items = sorted(
            (info for info in catalogue.values() if info.population == population),
            key=lambda info: (not info.headline, info.position, info.text),
        )
        if items:
            groups.append(
                (label, [(info.key, f"{OutcomeTheme(info.theme).label}: {info.text}") for info in items])
            )
    return groups


def default_item(catalogue: dict[str, ItemInfo]) -> str | None:
    """The programme's headline statement for young people (the first headline mentee item)."""
    choices = item_choices(catalogue)
    mentee = next((options for label, options in choices if label == "Young people"), None)
    return mentee[0][0] if mentee else None


def pair_cells(aggregate_filter: AggregateFilter) -> list[tuple]:
    """The slice's pair summary for both populations in one read: (population, question_code, theme,
    before, after, pairs) cells, from which `paired_items` and `theme_scores` compute each
    population's figures (the impact page reads it once for all four tables)."""
    return [
        (row["population"], row["question_code"], row["theme"], row["before"], row["after"], row["total"])
        for row in aggregate_filter.rows(_PAIR_CELLS, _pair_cells_query)
    ]


_PAIR_CELLS: dict[tuple, PreparedQuery] = {}


def _pair_cells_query(slots, condition, population: bool = False):
    if population:
        condition &= Q(population=slots.value("population", CharField()))
    return (
        PairTally.objects.filter(condition)
        .values("population", "question_code", "theme", "before", "after")
        .annotate(total=Sum("pairs"))
        .order_by()
    )


_POPULATION_CELLS: dict[tuple, PreparedQuery] = {}


_POST_ANSWERS: dict[tuple, PreparedQuery] = {}


def _post_answers_query(slots, condition):
    return (
        AnswerTally.objects.filter(
            condition,
            instrument_purpose__in=Instrument.POST_PURPOSES,
            question_kind__in=[Question.Kind.AGREE, Question.Kind.NPS],
        )
        .values("instrument_purpose", "question_kind", "question_code", "value")
        .annotate(total=Sum("respondents"))
        .order_by()
    )


def post_answer_counts(aggregate_filter: AggregateFilter) -> dict[tuple[str, str, str], dict[int, int]]:
    """After-survey answers in the slice, in one read: {(purpose, kind, question_code): {value: people}}
    for the scale statements (people who answered each, paired or not) and the recommendation score
    (NPS) of both populations."""
    counts: dict[tuple[str, str, str], dict[int, int]] = {}
    for row in aggregate_filter.rows(_POST_ANSWERS, _post_answers_query):
        purpose, kind, code = row["instrument_purpose"], row["question_kind"], row["question_code"]
        value, total = row["value"], row["total"]
        by_value = counts.setdefault((purpose, kind, code), {})
        by_value[value] = by_value.get(value, 0) + total
    return counts


_ANSWERED: dict[tuple, PreparedQuery] = {}


def _answered_query(slots, condition):
    return (
        AnswerTally.objects.filter(
            condition,
            SlotIn(F("question_code"), slots.strings("codes")),
            instrument_purpose=slots.value("purpose", CharField()),
            question_kind=Question.Kind.AGREE,
        )
        .values("question_code")
        .annotate(total=Sum("respondents"))
        .order_by()
    )


def paired_items(
    aggregate_filter: AggregateFilter,
    population: str = Instrument.MENTEES,
    catalogue=None,
    *,
    cells: list[tuple] | None = None,
    answers: dict[tuple[str, str, str], dict[int, int]] | None = None,
) -> list[analysis.PairedItem]:
    """Share agreeing before and after, per scale item, among one population's people who answered
    both (one query over the pair summary, one for the after answers given, and the wording).

    `cells` (from `pair_cells`) and `answers` (from `post_answer_counts`), when given, are the same
    slice already read, and no query is made for them."""
    if cells is None:
        cells = [
            (row["population"], row["question_code"], row["theme"], row["before"], row["after"], row["total"])
            for row in aggregate_filter.rows(
                _POPULATION_CELLS,
                lambda slots, condition: _pair_cells_query(slots, condition, population=True),
                population=population,
            )
        ]
    catalogue = item_catalogue() if catalogue is None else catalogue
    texts = {key: info.text for key, info in catalogue.items()}
    themes = {key: info.theme for key, info in catalogue.items()}
    items = analysis.paired_items_from_cells(
        [(code, before, after, pairs) for who, code, _th, before, after, pairs in cells if who == population],
        texts,
        themes,
    )
    post_purpose = Instrument.POPULATION_PURPOSES[population][1]
    if answers is None:
        answered = {}
        if items:
            answered = {
                row["question_code"]: row["total"]
                for row in aggregate_filter.rows(
                    _ANSWERED, _answered_query, purpose=post_purpose, codes=[item.code for item in items]
                )
            }
    else:
        answered = {
            item.code: sum(answers.get((post_purpose, Question.Kind.AGREE, item.code), {}).values())
            for item in items
        }
    for item in items:
        info = catalogue.get(item.code)
        item.population = population
        item.answered_after = answered.get(item.code, 0)
        if info is not None:
            item.position, item.headline, item.other_wordings = (
                info.position,
                info.headline,
                info.other_wordings,
            )
    return sorted(items, key=lambda item: (not item.headline, item.position, item.text))


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


def theme_scores(
    aggregate_filter: AggregateFilter,
    population: str = Instrument.MENTEES,
    *,
    cells: list[tuple] | None = None,
) -> list[dict]:
    """Mean agreement per outcome theme before and after (0-100), over one population's paired answers
    only: the same answers, from the same people, on both sides. `cells`: see `paired_items`."""
    if cells is None:
        rows = list(
            PairTally.objects.filter(aggregate_filter.q(), population=population)
            .values("theme")
            .annotate(
                paired=Sum("pairs"),
                before_total=Sum(F("pairs") * F("before")),
                after_total=Sum(F("pairs") * F("after")),
            )
            .order_by()
        )
    else:
        sums: dict[str, dict] = {}
        for who, _code, theme, before, after, pairs in cells:
            if who != population:
                continue
            row = sums.setdefault(theme, {"theme": theme, "paired": 0, "before_total": 0, "after_total": 0})
            row["paired"] += pairs
            row["before_total"] += pairs * before
            row["after_total"] += pairs * after
        rows = list(sums.values())
    themes = [
        {
            "theme": row["theme"],
            "label": OutcomeTheme(row["theme"]).label,
            "pairs": row["paired"],
            "suppressed": row["paired"] < analysis.SMALL_CELL,
            "pre": analysis.theme_score(row["before_total"], row["paired"]),
            "post": analysis.theme_score(row["after_total"], row["paired"]),
        }
        for row in rows
    ]
    return sorted(themes, key=lambda entry: entry["label"])


def nps(
    aggregate_filter: AggregateFilter,
    purpose: str = Instrument.Purpose.MENTOR_POST,
    *,
    answers: dict[tuple[str, str, str], dict[int, int]] | None = None,
) -> dict | None:
    """Net Promoter Score of one after survey's recommendation question. `answers`: see `paired_items`."""
    if answers is not None:
        counts: dict[int, int] = {}
        for (answered_purpose, kind, _code), by_value in answers.items():
            if answered_purpose == purpose and kind == Question.Kind.NPS:
                for value, total in by_value.items():
                    counts[value] = counts.get(value, 0) + total
        return analysis.nps_from_counts(counts)
    counts = dict(
        AnswerTally.objects.filter(
            aggregate_filter.q(), question_kind=Question.Kind.NPS, instrument_purpose=purpose
        )
        .values_list("value")
        .annotate(total=Sum("respondents"))
        .order_by()
    )
    return analysis.nps_from_counts(counts)


_NEEDS: dict[tuple, PreparedQuery] = {}


def _needs_query(slots, condition):
    return (
        AnswerTally.objects.filter(
            condition,
            instrument_purpose=Instrument.Purpose.MENTEE_PRE,
            question_kind__in=[Question.Kind.SINGLE, Question.Kind.MULTIPLE],
        )
        .values("question_code", "value")
        .annotate(total=Sum("respondents"))
        .order_by("-total", "question_code", "value")
    )


# The wording and options of the needs questions found, from every published version, latest first.
_NEED_OPTIONS = PreparedQuery(
    lambda slots: (
        Question.objects.filter(
            SlotIn(F("code"), slots.strings("codes")),
            version__instrument__purpose=Instrument.Purpose.MENTEE_PRE,
        )
        .exclude(version__status=InstrumentVersion.Status.DRAFT)
        .order_by("code", "-version__number")
        .values("code", "text", "choices")
    )
)


def what_young_people_want(aggregate_filter: AggregateFilter) -> list[dict]:
    """Needs and interests chosen in the mentee pre-evaluation, most chosen first; small counts hidden.
    Both reads are prepared queries (core.prepared), built once per process."""
    rows = aggregate_filter.rows(_NEEDS, _needs_query)
    options: dict[str, tuple[str, list[str]]] = {}
    codes = sorted({row["question_code"] for row in rows})
    for question in _NEED_OPTIONS.rows(codes=codes) if codes else ():
        options.setdefault(question["code"], (question["text"], question["choices"]))
    ranked = []
    for row in rows:
        code, value, total = row["question_code"], row["value"], row["total"]
        text, choices = options.get(code, (code, []))
        label = choices[value] if 0 <= value < len(choices) else str(value)
        ranked.append({"question": text, "option": label, "n": total})
    for row in ranked:
        row["suppressed"] = row["n"] < analysis.SMALL_CELL
    return ranked


_RATES: dict[tuple, PreparedQuery] = {}


def _rates_query(slots, condition):
    from .models import ResponseTally

    return (
        ResponseTally.objects.filter(condition)
        .values("instrument_purpose")
        .annotate(issued=Sum("issued"), submitted=Sum("submitted"))
        .order_by("instrument_purpose")
    )


def response_rates(aggregate_filter: AggregateFilter) -> list[dict]:
    """Surveys sent and completed per survey purpose (from the response summary)."""
    return [
        {
            "survey": Instrument.Purpose(row["instrument_purpose"]).label,
            "issued": row["issued"],
            "submitted": row["submitted"],
            "rate": round(row["submitted"] * 100 / row["issued"]) if row["issued"] else None,
        }
        for row in aggregate_filter.rows(_RATES, _rates_query)
    ]


# Breakdowns --------------------------------------------------------------------------------------

BREAKDOWNS = {
    "programme": "Programme",
    "cohort": "Cohort",
    "youth_partner": "Youth partner",
    "region": "Region",
    "gender": "Gender",
    "age_band": "Age band (on the day of the before answer)",
    "disadvantaged": "Disadvantage flag",
    "ethnicity": "Ethnicity",
    "disability": "Disability",
}


# Breakdowns that read a person's profile: which profile, for each population.
PROFILE_DIMENSIONS = {
    Instrument.MENTEES: {"region", "gender", "age_band", "disadvantaged"},
    Instrument.MENTORS: {"region", "gender"},
}
PROFILE = {Instrument.MENTEES: "mentee_profile", Instrument.MENTORS: "mentor_profile"}
AGE_BANDS = {"under 16": "Under 16", "16-17": "16 to 17", "18 and over": "18 and over"}


def _age_when_answered(born: str, answered: str):
    """Whole years between a date of birth and the day an answer was given, in the database."""
    from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

    birthday_to_come = Q(**{f"{answered}_month__lt": F(f"{born}_month")}) | Q(
        **{f"{answered}_month": F(f"{born}_month"), f"{answered}_dom__lt": F(f"{born}_dom")}
    )
    parts = (
        {f"{name}_year": ExtractYear(name) for name in (born, answered)}
        | {f"{name}_month": ExtractMonth(name) for name in (born, answered)}
        | {f"{name}_dom": ExtractDay(name) for name in (born, answered)}
    )
    age = ExpressionWrapper(
        F(f"{answered}_year")
        - F(f"{born}_year")
        - Case(When(birthday_to_come, then=Value(1)), default=Value(0)),
        output_field=IntegerField(),
    )
    return parts, age


def _dimension(name: str, population: str = Instrument.MENTEES):
    """The expression a breakdown groups by, and how to label its values."""
    from accounts.models import DiversityAnswers, Gender, Region
    from programmes.models import Cohort, Programme, YouthPartner

    profile = f"response__respondent__{PROFILE[population]}__"
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
        # Age on the day the before answer was given (see breakdown), not today.
        expression = Case(
            When(age__lt=16, then=Value("under 16")),
            When(age__lt=18, then=Value("16-17")),
            When(age__isnull=False, then=Value("18 and over")),
            default=Value(""),
            output_field=CharField(),
        )
        return expression, lambda ids: AGE_BANDS
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


def dimension_available(dimension: str, population: str) -> bool:
    profile_based = {"region", "gender", "age_band", "disadvantaged"}
    return dimension not in profile_based or dimension in PROFILE_DIMENSIONS[population]


def _pre_answers(codes: list[str], population: str):
    from .models import Answer

    # A platform-wide response (no programme) pairs with the other platform-wide one, as in the
    # summaries: NULL is matched as a programme of its own.
    return Answer.objects.annotate(programme=Coalesce("response__programme_id", Value(0))).filter(
        response__respondent_id=OuterRef("response__respondent_id"),
        programme=Coalesce(OuterRef("response__programme_id"), Value(0)),
        response__status=SurveyResponse.Status.SUBMITTED,
        response__instance__version__instrument__purpose=Instrument.POPULATION_PURPOSES[population][0],
        question__code__in=codes,
        value__isnull=False,
    )


def breakdown(
    aggregate_filter: AggregateFilter,
    *,
    dimension: str,
    question_code: str,
    population: str = Instrument.MENTEES,
    codes: list[str] | None = None,
) -> dict:
    """Paired agreement on one item of one population, grouped by `dimension`, with small cells (and
    enough neighbours to protect them) suppressed. One aggregate query, over the pair summary for
    programme, cohort and partner, over the grouped pair summary (same days, same placement) otherwise.

    `codes` are every code the item has been asked under (its stable key first)."""
    codes = codes or [question_code]
    if not dimension_available(dimension, population):
        return {
            "dimension": dimension,
            "label": BREAKDOWNS[dimension],
            "question_code": question_code,
            "population": population,
            "rows": [],
            "total": None,
            "unavailable": f"{BREAKDOWNS[dimension]} is not recorded for "
            f"{'mentors' if population == Instrument.MENTORS else 'young people'}.",
        }
    if dimension in SUMMARY_DIMENSIONS:
        return _breakdown_from_summary(
            aggregate_filter, dimension=dimension, question_code=question_code, population=population
        )
    return _breakdown_from_groups(
        aggregate_filter, dimension=dimension, question_code=question_code, population=population
    )


GROUP_LABELS = {"disadvantaged": {"yes": "Disadvantaged", "no": "Not recorded as disadvantaged"}}


def _breakdown_from_groups(
    aggregate_filter: AggregateFilter, *, dimension: str, question_code: str, population: str
) -> dict:
    """A grouping of people (region, gender, age band, ...) from one query over the grouped pair summary."""
    _expression, labels_for = _dimension(dimension, population)
    labels = GROUP_LABELS.get(dimension)
    agree = analysis.AGREE_THRESHOLD
    rows = list(
        PairGroupTally.objects.filter(
            aggregate_filter.q(), dimension=dimension, question_code=question_code, population=population
        )
        .values("group")
        .annotate(
            n=Sum("pairs"),
            agree_before=Sum("pairs", filter=Q(before__gte=agree), default=0),
            agree_after=Sum("pairs", filter=Q(after__gte=agree), default=0),
            before_only=Sum("pairs", filter=Q(before__gte=agree, after__lt=agree), default=0),
            after_only=Sum("pairs", filter=Q(before__lt=agree, after__gte=agree), default=0),
        )
        .order_by("group")
    )
    return _breakdown_result(
        rows,
        (lambda groups: labels) if labels else labels_for,
        dimension=dimension,
        question_code=question_code,
        population=population,
    )


def breakdown_from_answers(
    aggregate_filter: AggregateFilter,
    *,
    dimension: str,
    question_code: str,
    population: str = Instrument.MENTEES,
    codes: list[str] | None = None,
) -> dict:
    """The same breakdown of a grouping of people computed from the answers themselves (each after
    answer joined to the same person's before answer and their profile). Checks the grouped summary;
    the benchmark's floor."""
    from .models import Answer

    codes = codes or [question_code]
    expression, labels_for = _dimension(dimension, population)
    condition = aggregate_filter.response_q() & Q(
        response__status=SurveyResponse.Status.SUBMITTED,
        response__instance__version__instrument__purpose=Instrument.POPULATION_PURPOSES[population][1],
        question__code__in=codes,
        question__kind=Question.Kind.AGREE,
        value__isnull=False,
    )
    pre = _pre_answers(codes, population)
    queryset = Answer.objects.filter(condition).annotate(
        before=Subquery(pre.values("value")[:1], output_field=IntegerField())
    )
    if dimension == "age_band":
        queryset = queryset.annotate(
            answered=Subquery(
                pre.annotate(on=TruncDate("response__submitted_at")).values("on")[:1],
                output_field=DateField(),
            ),
            born=F(f"response__respondent__{PROFILE[population]}__date_of_birth"),
        )
        parts, age = _age_when_answered("born", "answered")
        queryset = queryset.annotate(**parts).annotate(age=age)
    rows = list(
        queryset.annotate(group=expression)
        .filter(before__isnull=False)
        .values("group")
        .annotate(
            n=Count("pk"),
            agree_before=Count("pk", filter=Q(before__gte=analysis.AGREE_THRESHOLD)),
            agree_after=Count("pk", filter=Q(value__gte=analysis.AGREE_THRESHOLD)),
            before_only=Count(
                "pk", filter=Q(before__gte=analysis.AGREE_THRESHOLD, value__lt=analysis.AGREE_THRESHOLD)
            ),
            after_only=Count(
                "pk", filter=Q(before__lt=analysis.AGREE_THRESHOLD, value__gte=analysis.AGREE_THRESHOLD)
            ),
        )
        .order_by("group")
    )
    return _breakdown_result(
        rows, labels_for, dimension=dimension, question_code=question_code, population=population
    )


# Programme, cohort and partner are kept on the pair summary, so those breakdowns never touch answers.
SUMMARY_DIMENSIONS = {"programme": "programme_id", "cohort": "cohort_id", "youth_partner": "youth_partner_id"}


def _breakdown_from_summary(
    aggregate_filter: AggregateFilter, *, dimension: str, question_code: str, population: str
) -> dict:
    """Programme, partner and cohort from one query over the pair summary, grouped by all three, so
    the three tables are suppressed together (a cohort is part of a partner and of a programme)."""
    counts = ("n", "agree_before", "agree_after", "before_only", "after_only")
    finest = aggregate_filter.rows(
        _SUMMARY_BREAKDOWNS, _summary_breakdown_query, question_code=question_code, population=population
    )
    tables: dict[str, dict] = {name: {} for name in SUMMARY_DIMENSIONS}
    for row in finest:
        for name, column in SUMMARY_DIMENSIONS.items():
            cell = tables[name].setdefault(
                row[column], {"group": row[column], **dict.fromkeys(counts, 0), "parents_of": {}}
            )
            for count in counts:
                cell[count] += row[count]
            if name == "cohort" and row["cohort_id"] is not None:
                for parent in ("programme", "youth_partner"):
                    cell["parents_of"].setdefault(parent, set()).add(row[SUMMARY_DIMENSIONS[parent]])
    analysis.suppress_linked(
        {
            "programme": list(tables["programme"].values()),
            "youth_partner": list(tables["youth_partner"].values()),
        },
        list(tables["cohort"].values()),
    )
    rows = sorted(tables[dimension].values(), key=lambda cell: (cell["group"] is None, cell["group"] or 0))
    return _breakdown_result(
        rows,
        _summary_labels()[dimension],
        dimension=dimension,
        question_code=question_code,
        population=population,
    )


_SUMMARY_BREAKDOWNS: dict[tuple, PreparedQuery] = {}


def _summary_breakdown_query(slots, condition):
    """One item's pairs in the slice, summed per programme, partner and cohort (the finest grouping the
    summary breakdowns add up)."""
    agree = analysis.AGREE_THRESHOLD
    return (
        PairTally.objects.filter(
            condition,
            question_code=slots.value("question_code", CharField()),
            population=slots.value("population", CharField()),
        )
        .values("programme_id", "youth_partner_id", "cohort_id")
        .annotate(
            n=Sum("pairs"),
            agree_before=Sum("pairs", filter=Q(before__gte=agree), default=0),
            agree_after=Sum("pairs", filter=Q(after__gte=agree), default=0),
            before_only=Sum("pairs", filter=Q(before__gte=agree, after__lt=agree), default=0),
            after_only=Sum("pairs", filter=Q(before__lt=agree, after__gte=agree), default=0),
        )
        .order_by()
    )


def _names_query(model):
    return PreparedQuery(
        lambda slots: model.objects.filter(SlotIn(F("pk"), slots.ids("ids"))).values_list("pk", "name")
    )


def _labels_by_id(prepared: PreparedQuery, label):
    """A summary breakdown's labels: `label(row)` of each row read for the groups' ids (a group without
    one, None, is labelled by `_breakdown_result`)."""

    def labels_for(ids) -> dict:
        known = sorted({each for each in ids if each is not None})
        return {row[0]: label(row) for row in prepared.tuples(ids=known)} if known else {}

    return labels_for


def _cohort_labels_query(slots):
    from programmes.models import Cohort

    return Cohort.objects.filter(SlotIn(F("pk"), slots.ids("ids"))).values_list(
        "pk", "name", "programme__name", "youth_partner__name", "start_date"
    )


def cohort_label(row) -> str:
    """Cohort.__str__ of a row (id, name, programme's name, partner's name, start date): its name, or
    its programme, partner and start."""
    _pk, name, programme, partner, start = row
    return name or f"{programme} at {partner} ({start:%b %Y})"


@functools.cache
def _summary_labels() -> dict:
    """The labels of the programme, partner and cohort breakdowns, each read with a prepared query."""
    from programmes.models import Programme, YouthPartner

    return {
        "programme": _labels_by_id(_names_query(Programme), lambda row: row[1]),
        "youth_partner": _labels_by_id(_names_query(YouthPartner), lambda row: row[1]),
        "cohort": _labels_by_id(PreparedQuery(_cohort_labels_query), cohort_label),
    }


def _breakdown_result(rows, labels_for, *, dimension: str, question_code: str, population: str) -> dict:
    labels = labels_for([row["group"] for row in rows])
    cells = [
        {
            "group": row["group"],
            "label": labels.get(row["group"], "Not given") if row["group"] not in (None, "") else "Not given",
            "n": row["n"],
            "agree_before": row["agree_before"],
            "agree_after": row["agree_after"],
            "before_only": row["before_only"],
            "after_only": row["after_only"],
            "suppressed": row.get("suppressed"),
        }
        for row in rows
    ]
    if any(cell["suppressed"] is None for cell in cells):
        analysis.suppress_cells(cells)
    total = sum(cell["n"] for cell in cells)
    for cell in cells:
        if cell["suppressed"]:
            cell.update(
                n=None,
                agree_before=None,
                agree_after=None,
                before_only=None,
                after_only=None,
                share_before=None,
                share_after=None,
                change=None,
                ci_change=None,
                mcnemar_p=None,
            )
            continue
        both = cell["agree_before"] - cell["before_only"]
        neither = cell["n"] - both - cell["before_only"] - cell["after_only"]
        cell.update(
            share_before=cell["agree_before"] / cell["n"],
            share_after=cell["agree_after"] / cell["n"],
            change=(cell["agree_after"] - cell["agree_before"]) / cell["n"],
            ci_change=analysis.paired_difference_ci(both, cell["after_only"], cell["before_only"], neither),
            mcnemar_p=analysis.mcnemar_p(cell["before_only"], cell["after_only"]),
        )
    return {
        "dimension": dimension,
        "label": BREAKDOWNS[dimension],
        "question_code": question_code,
        "population": population,
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
    """A percentage, or None (suppressed) when fewer than five are behind it. A share that rounds to
    0% or 100% but is not is shown as "<1%" or ">99%", so one goal in 302 never reads as none."""
    if whole < analysis.SMALL_CELL:
        return None
    percent = round(part * 100 / whole)
    if percent == 0 and part:
        return "<1%"
    if percent == 100 and part < whole:
        return ">99%"
    return f"{percent}%"


SIGN_UP = (
    "A young person signs up on the day their first mentee application was submitted, or the day "
    "they joined the platform if they never applied."
)


def fidelity(aggregate_filter: AggregateFilter) -> dict:
    """Delivery measures from relationships, their sessions and goals, and their mentors' training.

    Each measure carries its definition; the relationships counted are those open at some point in
    the period (started or created by its end, not ended before its start)."""
    relationships = _DeliverySlice.of(aggregate_filter)
    counts = _relationship_counts(relationships)
    closed = counts["completed"] + counts["ended_early"]
    in_period = "Relationships in the period: created by its end and not ended before its start."
    measures = [
        {"measure": "Relationships", "value": counts["total"], "definition": in_period},
        {
            "measure": "Open relationships",
            "value": counts["open"],
            "definition": "Of those, relationships not yet completed or ended (proposed, agreed or active).",
        },
        {
            "measure": "Completed as planned",
            "value": counts["completed"],
            "definition": "Of those, relationships closed as completed at the planned end.",
        },
        {
            "measure": "Ended early",
            "value": counts["ended_early"],
            "definition": "Of those, relationships closed before the planned end.",
        },
        {
            "measure": "Early-ending rate (of closed relationships)",
            "value": _share(counts["ended_early"], closed),
            "definition": "Ended early divided by all closed relationships (completed plus ended early).",
        },
        {
            "measure": "Active relationships meeting the programme's session cadence",
            "value": _share(counts["on_cadence"], counts["active"]),
            "definition": "Active relationships with a held session within the programme's cadence "
            "(31 days for monthly, 42 for six-weekly, 14 for fortnightly) up to today, or started within "
            "it, divided by all active relationships. The same rule marks a pair as drifting in monitoring.",
        },
    ]
    measures.extend(sessions_held(counts))
    measures.extend(waits_from_sign_up(relationships))
    measures.extend(training_within_aim(relationships))
    measures.extend(goals_achieved(counts))
    for measure in measures:
        measure["suppressed"] = measure["value"] is None
    return {"counts": counts, "measures": measures}


class _DeliverySlice:
    """The relationships a slice's delivery measures count (`fidelity`), as the values of the filter
    given and the shape of its conditions. Each measure's query is built from slots and compiled once
    per shape (core.prepared): building the three queries cost Django about 14,000 calls on every visit
    of the funder's home and the impact page."""

    def __init__(self, shape: tuple[str, ...], values: dict):
        self.shape, self.values = shape, values

    @classmethod
    def of(cls, aggregate_filter: AggregateFilter) -> _DeliverySlice:
        values = aggregate_filter.slot_values()
        return cls(tuple(values), values)

    @staticmethod
    def relationships(slots, shape: tuple[str, ...]):
        """The slice's relationships, from slots: those open at some point in the period (started or
        created by its end, not ended before its start)."""
        condition = Q()
        if "programme_id" in shape:
            condition &= Q(cohort__programme_id=slots.value("programme_id", IntegerField()))
        if "cohort_id" in shape:
            condition &= Q(cohort_id=slots.value("cohort_id", IntegerField()))
        if "youth_partner_id" in shape:
            condition &= Q(cohort__youth_partner_id=slots.value("youth_partner_id", IntegerField()))
        if "partner_ids" in shape:
            condition &= Q(SlotIn(F("cohort__youth_partner_id"), slots.ids("partner_ids")))
        relationships = Relationship.objects.filter(condition)
        if "start" in shape:
            relationships = relationships.filter(
                Q(ended_on__isnull=True) | Q(ended_on__gte=slots.value("start", DateField()))
            )
        if "end" in shape:
            relationships = relationships.filter(created_at__date__lte=slots.value("end", DateField()))
        return relationships

    def rows(self, queries: dict, build, **values) -> list[dict]:
        prepared = queries.get(self.shape)
        if prepared is None:
            shape = self.shape
            prepared = queries.setdefault(
                shape, PreparedQuery(lambda slots: build(slots, self.relationships(slots, shape)))
            )
        return prepared.rows(**self.values, **values)


_COUNTS_QUERIES: dict[tuple, PreparedQuery] = {}


def _relationship_counts_query(slots, relationships):
    status = Relationship.Status
    return (
        relationships.order_by()
        .values(
            "status",
            "held_sessions",
            started=ExpressionWrapper(Q(started_on__isnull=False), output_field=BooleanField()),
        )
        .annotate(
            relationships=Count("pk"),
            # Active and not drifting by the relationships feature's own rule, so the dashboard and
            # monitoring agree: counted in each group (the rule written once in the query, not again
            # in its grouping).
            on_cadence=Count(
                "pk",
                filter=Q(status=status.ACTIVE)
                & ~cadence_missed_q(None, thresholds=cadence_threshold_slots(slots)),
            ),
            # Their goals, from each one's counts (Relationship.goals_agreed, goals_reached).
            goals_agreed=Sum("goals_agreed", default=0),
            goals_reached=Sum("goals_reached", default=0),
        )
    )


def _relationship_counts(relationships: _DeliverySlice) -> dict:
    """The relationship counts the delivery measures need, from one grouped read: one row per status,
    started or not and held-session count (a few dozen rows), whose counts, cadence and goal sums are
    added up here (fewer expressions for the database to evaluate per relationship, and for Django to
    build, than a filtered count per figure)."""
    status = Relationship.Status
    rows = relationships.rows(
        _COUNTS_QUERIES, _relationship_counts_query, **cadence_thresholds(timezone.now())
    )
    counts = dict.fromkeys(
        ["total", "open", "completed", "ended_early", "started", "active", "on_cadence", "held_total"]
        + [f"band_{index}" for index in range(len(SESSION_BANDS))]
        + ["goals_agreed", "goals_reached"],
        0,
    )
    for row in rows:
        number = row["relationships"]
        counts["total"] += number
        counts["open"] += number if row["status"] in Relationship.OPEN_STATUSES else 0
        counts["completed"] += number if row["status"] == status.COMPLETED else 0
        counts["ended_early"] += number if row["status"] == status.ENDED_EARLY else 0
        if row["status"] == status.ACTIVE:
            counts["active"] += number
        counts["on_cadence"] += row["on_cadence"]
        if row["started"]:
            # Held sessions of the started relationships, from each one's count
            # (Relationship.held_sessions): their total and how many fall in each band.
            counts["started"] += number
            counts["held_total"] += row["held_sessions"] * number
            for index, (_label, low, high) in enumerate(SESSION_BANDS):
                if row["held_sessions"] >= low and (high is None or row["held_sessions"] <= high):
                    counts[f"band_{index}"] += number
        counts["goals_agreed"] += row["goals_agreed"]
        counts["goals_reached"] += row["goals_reached"]
    return counts


def sessions_held(counts: dict) -> list[dict]:
    """Held sessions per started relationship: the mean and how many relationships fall in each band,
    from `fidelity`'s counts (`started`, `held_total` and one `band_<n>` per SESSION_BANDS entry)."""
    result = {
        "started": counts["started"],
        "mean": counts["held_total"] / counts["started"] if counts["started"] else None,
        **{f"band_{index}": counts[f"band_{index}"] for index in range(len(SESSION_BANDS))},
    }
    enough = result["started"] >= analysis.SMALL_CELL
    measures = [
        {
            "measure": "Sessions held per started relationship (mean)",
            "value": round(result["mean"], 1) if enough else None,
            "definition": "Sessions logged as held (not missed or cancelled), so far, divided by the "
            "relationships in the period that have started.",
        }
    ]
    for index, (label, _low, _high) in enumerate(SESSION_BANDS):
        measures.append(
            {
                "measure": f"Started relationships with {label} held",
                "value": _share(result[f"band_{index}"], result["started"]),
                "definition": f"Started relationships with {label} held so far, divided by all started "
                "relationships in the period; the five bands add up to 100%.",
            }
        )
    return measures


_WAITS_QUERIES: dict[tuple, PreparedQuery] = {}


class _DaysBetween(Func):
    """Whole days from the second date to the first, as an integer: Django's duration of a date
    subtraction is, on PostgreSQL, an interval multiplied out for every row (and grouped and sorted
    as intervals), where the days themselves are the plain difference of the two dates."""

    arity = 2
    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


def _waits_query(slots, relationships):
    def waited(field):
        return _DaysBetween(F(field), F("mentee_signed_up_on"))

    return (
        relationships.filter(mentee_signed_up_on__isnull=False)
        .order_by()
        .values(started=waited("mentee_first_started_on"), held=waited("mentee_first_held_on"))
        .annotate(people=Count("mentee_id", distinct=True))
    )


def waits_from_sign_up(relationships: _DeliverySlice) -> list[dict]:
    """Weeks from each young person signing up to their first relationship starting and to their first
    held session, against the programme's aim of meeting within 8-12 weeks. Both from one sign-up date
    (SIGN_UP) and counted per young person, so the two can be read side by side."""

    # Each relationship carries its young person's sign-up day, first relationship start and first held
    # session in any relationship (Relationship.mentee_signed_up_on, mentee_first_started_on,
    # mentee_first_held_on), so a rematch does not restart the clock and the relationships in the slice
    # alone answer, in one grouped read: the two waits, with each young person counted once (their dates
    # are the same on each of their relationships, so they fall in one group).
    by_event: dict[str, dict[int, int]] = {"started": {}, "held": {}}
    for row in relationships.rows(_WAITS_QUERIES, _waits_query):
        for event in ("started", "held"):
            days = row[event]
            if days is not None:
                by_event[event][days] = by_event[event].get(days, 0) + row["people"]
    started_waits, held_waits = by_event["started"], by_event["held"]
    measures: list[dict] = []
    for event, waits, label, definition in (
        (
            "started",
            started_waits,
            "first relationship started",
            "the start date of their first relationship",
        ),
        (
            "held",
            held_waits,
            "first session was held",
            "the day of their first session logged as held, in any relationship",
        ),
    ):
        histogram = sorted(waits.items())
        total = sum(count for _days_waited, count in histogram)
        median = round(_median_days(histogram, total) / 7, 1) if total >= analysis.SMALL_CELL else None
        within = sum(count for days, count in histogram if days <= MATCH_AIM.days)
        noun = "relationship start" if event == "started" else "held session"
        measures.extend(
            [
                {
                    "measure": f"Weeks from signing up to the first {noun} (median; aim 8-12)",
                    "value": median,
                    "definition": f"For each young person in these relationships, the days from signing up "
                    f"to {definition}, divided by 7; the middle value. {SIGN_UP} Young people with no "
                    f"{noun} yet are left out.",
                },
                {
                    "measure": f"Young people whose {label} within 12 weeks of signing up",
                    "value": _share(within, total),
                    "definition": f"Young people whose {label} 84 days or fewer after signing up, divided "
                    f"by all young people in these relationships with a {noun}. {SIGN_UP}",
                },
            ]
        )
    return measures


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


_TRAINING_QUERIES: dict[tuple, PreparedQuery] = {}


def _training_query(slots, relationships):
    # Enrolments begun before this day whose course is not finished are past their 14 days.
    overdue_before = slots.value("overdue_before", DateField())
    late = Q(completed_on__gt=F("aim")) | Q(completed_at__isnull=True, started_on__lt=overdue_before)
    decided = Q(completed_at__isnull=False) | Q(started_on__lt=overdue_before)
    # Each mentor once, read from their mandatory enrolments (a mentor with none is neither decided nor
    # late, so is not counted), for the mentors of these relationships: a semi-join on the mentors,
    # rather than two searches of the enrolments for each of the relationships' mentors. A late
    # enrolment is always a decided one, so the mentors on time are those with a decided enrolment
    # less those with a late one: two distinct counts in one pass, not a per-mentor grouping first.
    return (
        Enrolment.objects.filter(
            course__is_mandatory=True,
            course__audience=Audience.MENTOR,
            user_id__in=relationships.order_by().values("mentor_id"),
        )
        .annotate(
            completed_on=TruncDate("completed_at"),
            aim=ExpressionWrapper(F("started_on") + TRAINING_AIM, output_field=DateField()),
        )
        .order_by()
        # One row for all of them: a constant is not grouped by.
        .values(every=Value(1))
        .annotate(
            mentors=Count("user_id", distinct=True, filter=decided),
            late=Count("user_id", distinct=True, filter=late),
        )
    )


def training_within_aim(relationships: _DeliverySlice) -> list[dict]:
    """Share of these relationships' mentors who finished each mandatory course within 14 days of starting.

    Mentors whose 14 days are not yet up and who have not finished are left out rather than counted late.
    """
    (result,) = relationships.rows(
        _TRAINING_QUERIES, _training_query, overdue_before=timezone.localdate() - TRAINING_AIM
    )
    result["on_time"] = result["mentors"] - result["late"]
    return [
        {
            "measure": "Mentors who completed mandatory training within 14 days of starting",
            "value": _share(result["on_time"], result["mentors"]),
            "definition": "Mentors in these relationships who finished every mandatory mentor course "
            "within 14 days of starting it, divided by the mentors whose 14 days are up or who have "
            "finished (a mentor still within their 14 days is not yet counted either way).",
        }
    ]


def goals_achieved(counts: dict) -> list[dict]:
    """Agreed goals (not those still only proposed) that were achieved or partly achieved, from
    `fidelity`'s counts of the relationships' goals (`goals_agreed`, `goals_reached`)."""
    result = {"total": counts["goals_agreed"], "achieved": counts["goals_reached"]}
    set_definition = "Goals agreed in these relationships (goals only proposed are left out)."
    achieved_definition = (
        "Agreed goals marked achieved or partly achieved, divided by all agreed goals (in progress, "
        "achieved, partly achieved or dropped)."
    )
    if result["total"] < analysis.SMALL_CELL:
        return [
            {
                "measure": "Goals achieved or partly achieved",
                "value": None,
                "definition": achieved_definition,
            }
        ]
    return [
        {"measure": "Goals set", "value": result["total"], "definition": set_definition},
        {
            "measure": "Goals achieved or partly achieved",
            "value": _share(result["achieved"], result["total"]),
            "definition": achieved_definition,
        },
    ]


# Respondent-level file for an external evaluator ---------------------------------------------------

HIDDEN = "hidden (fewer than 5)"


def paired_respondents(aggregate_filter: AggregateFilter) -> tuple[list[str], list[list]]:
    """One row per young person who answered both before and after surveys in the slice: no name, no
    id, no date; their groups (age on the day of the before answer) and each item's two answers.

    A group value held by fewer than five people in the file is replaced by HIDDEN, column by column,
    and rows come in an order that says nothing about who joined when. Three queries."""
    import hashlib

    from django.conf import settings

    from .models import Answer

    pre_purpose, post_purpose = Instrument.POPULATION_PURPOSES[Instrument.MENTEES]
    posts = list(
        SurveyResponse.objects.filter(
            aggregate_filter.response_q(prefix=""),
            status=SurveyResponse.Status.SUBMITTED,
            instance__version__instrument__purpose=post_purpose,
        ).values_list(
            "pk",
            "respondent_id",
            "programme_id",
            "programme__name",
            "youth_partner__name",
            "respondent__mentee_profile__date_of_birth",
            "respondent__mentee_profile__gender",
            "respondent__mentee_profile__region",
            "respondent__mentee_profile__disadvantaged",
        )
    )
    pres = {
        (person, programme): (pk, submitted)
        for pk, person, programme, submitted in SurveyResponse.objects.filter(
            status=SurveyResponse.Status.SUBMITTED,
            instance__version__instrument__purpose=pre_purpose,
            respondent_id__in={row[1] for row in posts},
        ).values_list("pk", "respondent_id", "programme_id", "submitted_at")
    }
    posts = [row for row in posts if (row[1], row[2]) in pres]
    keys = tallies.item_keys(Question)
    values: dict[int, dict[str, int | None]] = {}
    for response_id, code, value in Answer.objects.filter(
        response_id__in=[row[0] for row in posts] + [pres[(row[1], row[2])][0] for row in posts],
        question__kind=Question.Kind.AGREE,
        value__isnull=False,
    ).values_list("response_id", "question__code", "value"):
        values.setdefault(response_id, {})[keys.get(code, code)] = value
    catalogue = item_catalogue(Instrument.MENTEES)
    items = sorted(catalogue.values(), key=lambda info: (not info.headline, info.position, info.text))
    from accounts.models import Gender
    from programmes.models import Region

    genders, regions = dict(Gender.choices), dict(Region.choices)
    ordered: list[tuple[str, list]] = []
    for post_id, person, programme_id, programme, partner, born, gender, region, disadvantaged in posts:
        pre_id, pre_submitted = pres[(person, programme_id)]
        band = tallies.age_band(born, timezone.localdate(pre_submitted) if pre_submitted else None)
        order = hashlib.sha256(f"{settings.SECRET_KEY}:{post_id}".encode()).hexdigest()
        row: list = [
            programme or "",
            partner or "",
            AGE_BANDS.get(band, ""),
            genders.get(gender, ""),
            regions.get(region, ""),
            {True: "yes", False: "no"}.get(disadvantaged, ""),
        ]
        before, after = values.get(pre_id, {}), values.get(post_id, {})
        for info in items:
            row += [before.get(info.key), after.get(info.key)]
        ordered.append((order, row))
    rows = [row for _order, row in sorted(ordered)]
    for column in range(6):
        counts: dict = {}
        for row in rows:
            counts[row[column]] = counts.get(row[column], 0) + 1
        for row in rows:
            if row[column] and counts[row[column]] < analysis.SMALL_CELL:
                row[column] = HIDDEN
    headers = ["Respondent", "Programme", "Youth partner", "Age band (at the before answer)", "Gender"]
    headers += ["Region", "Disadvantaged"]
    for info in items:
        headers += [f"{info.key} before (1-5)", f"{info.key} after (1-5)"]
    return headers, [[number, *row] for number, row in enumerate(rows, start=1)]
