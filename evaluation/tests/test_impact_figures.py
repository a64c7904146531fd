"""What a funder reads: the statement broken down is chosen, populations are never mixed, one date
rule holds everywhere, and every figure means what its label says."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from .. import dashboard, selectors
from ..content import MENTEE_PRE
from .factories import at, mentee_in, mentor_pair, pair, pair_on, submit

LONDON = ZoneInfo("Europe/London")


def moment(day: str, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=LONDON)


@pytest.mark.slow_ok(reason="submits paired surveys for a cohort through the services, then reads them")
def test_theme_scores_count_only_paired_answers_of_that_population(world):
    for _ in range(5):
        pair(
            mentee_in(world.cohort_a),
            {"positive_future": 1, "cope_pressure": 1},
            {"positive_future": 5, "cope_pressure": 5},
        )
    # Before answers with no after answer, all "strongly agree": they must not lift the before score.
    for _ in range(20):
        submit(mentee_in(world.cohort_a), MENTEE_PRE, positive_future=5, cope_pressure=5)
    for _ in range(5):
        mentor_pair({"mentor_safeguarding": 5}, {"mentor_safeguarding": 5})
    themes = {theme["theme"]: theme for theme in selectors.theme_scores(selectors.AggregateFilter())}
    assert themes["wellbeing"]["pre"] == 0.0 and themes["wellbeing"]["post"] == 100.0
    assert themes["wellbeing"]["pairs"] == 10
    assert "programme_quality" not in themes  # a mentor theme
    mentor = {
        theme["theme"]: theme for theme in selectors.theme_scores(selectors.AggregateFilter(), "mentor")
    }
    assert mentor["programme_quality"]["pre"] == 100.0


def test_unpaired_after_answers_are_counted_beside_the_pairs(world):
    for _ in range(5):
        pair(mentee_in(world.cohort_a), {"positive_future": 2}, {"positive_future": 4})
    from ..content import MENTEE_POST

    for _ in range(6):
        submit(mentee_in(world.cohort_a), MENTEE_POST, positive_future=5)
    item = next(i for i in selectors.paired_items(selectors.AggregateFilter()) if i.code == "positive_future")
    assert (item.n, item.unpaired_after) == (5, 6)
    assert item.share_after == 1.0  # the six unpaired "strongly agree" answers are not in it


@pytest.mark.slow_ok(reason="submits paired surveys for a cohort through the services, then reads them")
def test_one_date_rule_for_the_headline_and_every_breakdown(world):
    """Pairs whose after answer falls on either side of the end date (UK time, just before and after
    midnight): the headline, the partner table and the region, gender and age tables agree."""
    inside, outside = [], []
    for index in range(6):
        person = mentee_in(world.cohort_a if index % 2 else world.cohort_b)
        pair_on(
            person,
            {"positive_future": 2},
            {"positive_future": 4},
            pre_at=moment("2026-01-10"),
            post_at=moment("2026-06-20", hour=23).replace(minute=30),
        )
        inside.append(person)
    for index in range(7):
        person = mentee_in(world.cohort_a if index % 2 else world.cohort_b)
        pair_on(
            person,
            {"positive_future": 2},
            {"positive_future": 4},
            pre_at=moment("2026-01-10"),
            post_at=moment("2026-06-21", hour=0).replace(minute=30),
        )
        outside.append(person)
    # One pair in early June: a whole-month rule would wrongly drop it when starting on 2 June.
    pair_on(
        mentee_in(world.cohort_a),
        {"positive_future": 2},
        {"positive_future": 4},
        pre_at=moment("2026-01-10"),
        post_at=moment("2026-06-01"),
    )
    june = selectors.AggregateFilter(start=datetime.date(2026, 6, 2), end=datetime.date(2026, 6, 20))
    headline = next(i for i in selectors.paired_items(june) if i.code == "positive_future")
    assert headline.n == 6
    for dimension in (
        "youth_partner",
        "cohort",
        "programme",
        "region",
        "gender",
        "age_band",
        "disadvantaged",
    ):
        result = selectors.breakdown(june, dimension=dimension, question_code="positive_future")
        assert result["total"] == 6, dimension
    whole = selectors.AggregateFilter(start=datetime.date(2026, 6, 1), end=datetime.date(2026, 6, 21))
    assert next(i for i in selectors.paired_items(whole) if i.code == "positive_future").n == 14
    assert selectors.breakdown(whole, dimension="region", question_code="positive_future")["total"] == 14
    assert june.period_in_words().startswith(
        "Answers given from 2 June 2026 to 20 June 2026 inclusive (UK time)"
    )


def test_the_page_says_the_period_in_words(world, client_for):
    page = client_for(world.staff).get(
        reverse("evaluation:dashboard"), {"start": "2026-03-01", "end": "2026-06-20"}
    )
    assert "Answers given from 1 March 2026 to 20 June 2026 inclusive (UK time)" in page.content.decode()


def test_rebuilding_the_summaries_gives_what_submissions_kept(world):
    from django.apps import apps

    from ..models import AnswerTally, PairGroupTally, PairTally, ResponseTally
    from ..tallies import rebuild

    pair(world.mentee_b, {"positive_future": 2}, {"positive_future": 5})
    from ..content import MENTEE_POST

    submit(world.mentee_over_18, MENTEE_POST, positive_future=4)  # after first, before second
    with at(moment("2026-02-03")):
        submit(world.mentee_over_18, MENTEE_PRE, positive_future=1, help_wanted=[0, 2])
    mentor_pair({"mentor_support_goals": 3}, {"mentor_support_goals": 5})

    def snapshot():
        fields = {
            AnswerTally: [
                "stage",
                "instrument_purpose",
                "question_code",
                "question_kind",
                "theme",
                "programme_id",
                "youth_partner_id",
                "cohort_id",
                "day",
                "value",
                "respondents",
            ],
            PairTally: [
                "population",
                "question_code",
                "theme",
                "programme_id",
                "youth_partner_id",
                "cohort_id",
                "day",
                "before",
                "after",
                "pairs",
            ],
            PairGroupTally: [
                "population",
                "question_code",
                "dimension",
                "group",
                "programme_id",
                "youth_partner_id",
                "cohort_id",
                "day",
                "before",
                "after",
                "pairs",
            ],
            ResponseTally: [
                "instrument_purpose",
                "programme_id",
                "youth_partner_id",
                "cohort_id",
                "day",
                "issued",
                "submitted",
            ],
        }
        return {model: sorted(model.objects.values_list(*names)) for model, names in fields.items()}

    kept = snapshot()
    assert kept[PairTally] and kept[PairGroupTally]
    rebuild(apps)
    assert snapshot() == kept


@pytest.mark.slow_ok(reason="submits paired surveys for a cohort through the services, then reads them")
def test_age_bands_are_the_age_on_the_day_of_the_before_answer(world):
    """Born in 2010, answering before on 10 January 2026: 15 unless their 16th birthday had come.
    Today (December 2026 or later) all of them are 16 or older."""
    births = {
        "2010-01-10": 5,  # sixteen that very day
        "2010-01-11": 5,  # fifteen until the next day
        "2010-08-01": 5,  # fifteen
    }
    for born, count in births.items():
        for _ in range(count):
            person = mentee_in(world.cohort_a, date_of_birth=datetime.date.fromisoformat(born))
            pair_on(
                person,
                {"positive_future": 2},
                {"positive_future": 4},
                pre_at=moment("2026-01-10", hour=0).replace(minute=20),
                post_at=moment("2026-11-20"),
            )
    result = selectors.breakdown(
        selectors.AggregateFilter(), dimension="age_band", question_code="positive_future"
    )
    assert {row["label"]: row["n"] for row in result["rows"]} == {"Under 16": 10, "16 to 17": 5}


def _new_version(world, slug, change):
    """Publish version 2 of an instrument after `change(draft)` edits its copied questions."""
    from .. import services
    from ..models import Instrument

    draft = services.version_create_draft(actor=world.staff, instrument=Instrument.objects.get(slug=slug))
    change(draft)
    services.version_publish(actor=world.staff, version=draft)
    return draft


def test_a_reworded_item_shows_both_wordings_and_a_renamed_item_still_pairs(world):
    from ..content import MENTEE_POST
    from ..models import Question

    people = [mentee_in(world.cohort_a) for _ in range(5)]
    for person in people:
        submit(person, MENTEE_PRE, positive_future=2, advice_contact=2, cope_pressure=2)

    def reword_and_rename(draft):
        questions = Question.objects.filter(version=draft)
        questions.filter(code="positive_future").update(text="I feel hopeful about what comes next.")
        questions.filter(code="advice_contact").update(code="work_advice_contact", replaces="advice_contact")
        # A change of meaning: a new code, deliberately not linked to the old item.
        questions.filter(code="cope_pressure").update(
            code="cope_exams", text="I feel able to cope with exams.", replaces=""
        )

    _new_version(world, MENTEE_POST, reword_and_rename)
    for person in people:
        submit(person, MENTEE_POST, positive_future=5, work_advice_contact=5, cope_exams=5)

    items = {item.code: item for item in selectors.paired_items(selectors.AggregateFilter())}
    reworded = items["positive_future"]
    assert reworded.n == 5 and reworded.text == "I feel hopeful about what comes next."
    assert reworded.other_wordings == ["I feel positive about my future."]
    # The renamed item is paired under its first code, with its answers under both codes.
    assert items["advice_contact"].n == 5 and items["advice_contact"].share_after == 1.0
    assert "work_advice_contact" not in items
    # The item whose meaning changed is never paired with the old one.
    assert "cope_pressure" not in items and "cope_exams" not in items
    table = next(
        t for t in dashboard.tables(dashboard.build(selectors.AggregateFilter())) if t.key == "paired"
    )
    statement = next(row[0] for row in table.rows if row[0].startswith("I feel hopeful"))
    assert "also asked as “I feel positive about my future.”" in statement
    # The profile breakdowns read the answers under both codes too.
    result = selectors.breakdown(
        selectors.AggregateFilter(),
        dimension="region",
        question_code="advice_contact",
        codes=["advice_contact", "work_advice_contact"],
    )
    assert result["total"] == 5
    data = dashboard.build(selectors.AggregateFilter(), item="advice_contact", breakdown="gender")
    assert data["breakdown"]["total"] == 5


def test_no_hidden_cell_can_be_worked_out_from_the_partner_programme_and_cohort_tables(world):
    """Cardiff has 3 pairs. With partners hidden one table at a time, Cardiff's neighbour X could be
    rebuilt from its two cohorts and Cardiff then taken from the total. Every combination of the
    figures shown (any table, the totals) is tried by linear algebra: no hidden cell is determined."""
    import numpy

    from mentoring.tests.factories import CohortFactory, ProgrammeFactory, YouthPartnerFactory

    from ..models import PairTally

    other_programme = ProgrammeFactory(name="Second Steps")
    partners = {name: YouthPartnerFactory(name=name) for name in ("Cardiff", "X", "Y", "Z")}
    layout = [  # cohort, programme, partner, pairs
        ("c1", world.programme, "Cardiff", 3),
        ("x1", world.programme, "X", 10),
        ("x2", world.programme, "X", 10),
        ("y1", world.programme, "Y", 30),
        ("y2", other_programme, "Y", 8),
        ("z1", other_programme, "Z", 25),
    ]
    cohorts = {}
    for name, programme, partner, pairs in layout:
        cohorts[name] = CohortFactory(programme=programme, youth_partner=partners[partner])
        PairTally.objects.create(
            population="mentee",
            question_code="positive_future",
            theme="wellbeing",
            programme=programme,
            youth_partner=partners[partner],
            cohort=cohorts[name],
            day=datetime.date(2026, 6, 1),
            before=2,
            after=4,
            pairs=pairs,
        )
    everyone = selectors.AggregateFilter()
    tables = {
        dimension: selectors.breakdown(everyone, dimension=dimension, question_code="positive_future")
        for dimension in ("youth_partner", "programme", "cohort")
    }
    headline = next(item for item in selectors.paired_items(everyone) if item.code == "positive_future")
    assert headline.n == 86 and all(table["total"] == 86 for table in tables.values())

    # The subtraction that used to work: Cardiff = total - shown partners - X, with X from its cohorts.
    partner_rows = {row["label"]: row for row in tables["youth_partner"]["rows"]}
    assert partner_rows["Cardiff"]["suppressed"] and partner_rows["Cardiff"]["n"] is None
    assert partner_rows["X"]["suppressed"]  # the next smallest, hidden to protect Cardiff
    cohort_rows = {row["label"]: row for row in tables["cohort"]["rows"]}
    assert cohort_rows[str(cohorts["x1"])]["suppressed"] and cohort_rows[str(cohorts["x2"])]["suppressed"]

    # Every shown figure is a sum of cohort cells; a hidden cell is safe if it is no such combination.
    names = [name for name, *_ in layout]
    members = {
        "youth_partner": {partner: [n for n, _prog, p, _ in layout if p == partner] for partner in partners},
        "programme": {
            programme.name: [n for n, prog, _p, _ in layout if prog == programme]
            for programme in (world.programme, other_programme)
        },
        "cohort": {str(cohorts[name]): [name] for name in names},
    }

    def vector(cohort_names):
        return numpy.array([1.0 if name in cohort_names else 0.0 for name in names])

    published, hidden = [vector(names)], []
    for dimension, table in tables.items():
        for row in table["rows"]:
            (hidden if row["suppressed"] else published).append(vector(members[dimension][row["label"]]))
            if not row["suppressed"]:
                assert row["n"] == sum(
                    pairs for name, *_, pairs in layout if name in members[dimension][row["label"]]
                )
    known = numpy.array(published)
    rank = numpy.linalg.matrix_rank(known)
    assert hidden
    for cell in hidden:
        assert numpy.linalg.matrix_rank(numpy.vstack([known, cell])) > rank, "a hidden cell can be derived"


@pytest.mark.slow_ok(reason="submits paired surveys for a cohort through the services, then reads them")
def test_every_grouping_of_people_read_from_summaries_matches_the_answers(world):
    """Region, gender, age band, disadvantage, ethnicity and disability: the grouped summary kept as
    answers arrive gives the same rows as joining the answers to the people, for both populations."""
    from accounts.models import DiversityAnswers, MenteeProfile

    from ..models import PairGroupTally

    regions, genders = ("london", "west_midlands"), ("female", "male")
    for index in range(14):
        mentee = mentee_in(world.cohort_a if index % 3 else world.cohort_b, age=14 + index % 7)
        MenteeProfile.objects.filter(user=mentee).update(
            region=regions[index % 2], gender=genders[index % 4 // 2], disadvantaged=index % 3 == 0
        )
        if index % 2:
            DiversityAnswers.objects.create(
                user=mentee,
                ethnicity="mixed",
                disability="yes" if index % 4 == 1 else "no",
                consented_at=mentee.date_joined,
            )
        pair(mentee, {"experience_training": 1 + index % 5}, {"experience_training": 1 + (index * 3) % 5})
    for _ in range(6):
        mentor_pair({"mentor_support_goals": 3}, {"mentor_support_goals": 5})
    everyone = selectors.AggregateFilter()
    for population, code in (("mentee", "experience_training"), ("mentor", "mentor_support_goals")):
        for dimension in selectors.BREAKDOWNS:
            if dimension in selectors.SUMMARY_DIMENSIONS or not selectors.dimension_available(
                dimension, population
            ):
                continue
            kept = selectors.breakdown(
                everyone, dimension=dimension, question_code=code, population=population
            )
            live = selectors.breakdown_from_answers(
                everyone, dimension=dimension, question_code=code, population=population
            )
            assert [(r["label"], r["n"], r["agree_after"]) for r in kept["rows"]] == [
                (r["label"], r["n"], r["agree_after"]) for r in live["rows"]
            ], (population, dimension)
            assert kept["total"] == live["total"]
    assert PairGroupTally.objects.filter(dimension="ethnicity", group="mixed").exists()


@pytest.mark.slow_ok(reason="submits paired surveys of both populations through the services")
def test_the_page_reads_each_summary_once_and_gets_each_selectors_own_figures(world):
    from ..content import MENTEE_POST
    from ..models import Instrument

    for index in range(6):
        pair(
            mentee_in(world.cohort_a if index % 2 else world.cohort_b),
            {"positive_future": 1 + index % 3, "cope_pressure": 2},
            {"positive_future": 5 - index % 2, "cope_pressure": 4, "mentee_recommend": 4 + index},
        )
    submit(mentee_in(world.cohort_a), MENTEE_POST, positive_future=5, mentee_recommend=10)
    for index in range(5):
        mentor_pair(
            {"mentor_support_goals": 2 + index % 2}, {"mentor_support_goals": 5, "mentor_recommend": 9}
        )
    for aggregate_filter in (
        selectors.AggregateFilter(),
        selectors.AggregateFilter(partner_ids=frozenset({world.partner_a.pk})),
    ):
        data = dashboard.build(aggregate_filter, with_breakdown=False)
        for key, population in (("items", Instrument.MENTEES), ("mentor_items", Instrument.MENTORS)):
            own = selectors.paired_items(aggregate_filter, population)
            assert [vars(item) for item in data[key]] == [vars(item) for item in own]
        assert data["themes"] == selectors.theme_scores(aggregate_filter, Instrument.MENTEES)
        assert data["mentor_themes"] == selectors.theme_scores(aggregate_filter, Instrument.MENTORS)
        for key, purpose in (
            ("mentee_nps", Instrument.Purpose.MENTEE_POST),
            ("mentor_nps", Instrument.Purpose.MENTOR_POST),
        ):
            assert data[key] == selectors.nps(aggregate_filter, purpose)
    everyone = dashboard.build(selectors.AggregateFilter(), with_breakdown=False)
    assert everyone["items"] and everyone["mentor_items"] and everyone["mentor_themes"]
    assert everyone["mentee_nps"]["n"] == 7 and everyone["mentor_nps"]["n"] == 5
    positive = next(item for item in everyone["items"] if item.code == "positive_future")
    assert (positive.n, positive.unpaired_after) == (6, 1)
