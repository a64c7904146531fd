"""Impact dashboard latency against the bare SQL paired aggregation, on PostgreSQL.

    .venv/bin/python benchmarks/dashboard.py                      # 1,000,000 answers
    .venv/bin/python benchmarks/dashboard.py --answers 10000000   # 10,000,000 answers

Creates its own database on 127.0.0.1:5432 (user postgres, trust authentication; override with
--server postgres://user@host:port), loads mentees' pre- and post-evaluations (ten mirrored scale items
each, so twenty answers per person) with INSERT ... SELECT generate_series inside PostgreSQL, fills
the pair, answer and response summaries with one aggregate INSERT each (exactly what the submission
service accumulates one response at a time), checks that the summaries agree with the answers, then
times:

- the floor: the bare SQL paired aggregation over the answers (each post answer joined to the same
  person's pre answer to the same item, grouped by item and the two values);
- the dashboard's paired read (selectors.paired_items), for all partners and for one partner's slice;
- the whole impact dashboard (dashboard.build: paired items, themes, NPS, needs, fidelity, response
  rates and the partner breakdown);

and prints each with its ratio to the floor. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ITEMS = 10
PARTNERS = 40

FLOOR_SQL = """
SELECT q_post.code, a_pre.value AS before, a_post.value AS after, COUNT(*) AS pairs
FROM evaluation_answer a_post
JOIN evaluation_surveyresponse r_post ON r_post.id = a_post.response_id
JOIN evaluation_question q_post ON q_post.id = a_post.question_id
JOIN evaluation_surveyresponse r_pre
  ON r_pre.respondent_id = r_post.respondent_id AND r_pre.programme_id = r_post.programme_id
 AND r_pre.instance_id = %(pre_instance)s AND r_pre.status = 'submitted'
JOIN evaluation_answer a_pre ON a_pre.response_id = r_pre.id
JOIN evaluation_question q_pre ON q_pre.id = a_pre.question_id AND q_pre.code = q_post.code
WHERE r_post.instance_id = %(post_instance)s AND r_post.status = 'submitted' AND q_post.kind = 'agree'
GROUP BY 1, 2, 3
"""


# The summaries the submission service keeps as answers arrive, built in one statement each from the
# answers of the pre (%(pre)s) and post (%(post)s) survey instances. home_pages.py uses them too.
TALLY_SQL = [
    """INSERT INTO evaluation_pairtally
      (population, question_code, theme, programme_id, youth_partner_id, cohort_id, day, before,
       after, pairs)
    SELECT 'mentee', q_post.code, q_post.theme, r_post.programme_id, r_post.youth_partner_id,
           r_post.cohort_id, (r_post.submitted_at AT TIME ZONE 'Europe/London')::date, a_pre.value,
           a_post.value, COUNT(*)
    FROM evaluation_answer a_post
    JOIN evaluation_surveyresponse r_post ON r_post.id = a_post.response_id
    JOIN evaluation_question q_post ON q_post.id = a_post.question_id
    JOIN evaluation_surveyresponse r_pre ON r_pre.respondent_id = r_post.respondent_id
     AND r_pre.programme_id = r_post.programme_id AND r_pre.instance_id = %(pre)s
    JOIN evaluation_answer a_pre ON a_pre.response_id = r_pre.id
    JOIN evaluation_question q_pre ON q_pre.id = a_pre.question_id AND q_pre.code = q_post.code
    WHERE r_post.instance_id = %(post)s
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    """,
    """INSERT INTO evaluation_pairgrouptally
      (population, question_code, dimension, "group", programme_id, youth_partner_id, cohort_id, day,
       before, after, pairs)
    SELECT 'mentee', q_post.code, g.dimension, g.grp, r_post.programme_id, r_post.youth_partner_id,
           r_post.cohort_id, (r_post.submitted_at AT TIME ZONE 'Europe/London')::date, a_pre.value,
           a_post.value, COUNT(*)
    FROM evaluation_answer a_post
    JOIN evaluation_surveyresponse r_post ON r_post.id = a_post.response_id
    JOIN evaluation_question q_post ON q_post.id = a_post.question_id
    JOIN evaluation_surveyresponse r_pre ON r_pre.respondent_id = r_post.respondent_id
     AND r_pre.programme_id = r_post.programme_id AND r_pre.instance_id = %(pre)s
    JOIN evaluation_answer a_pre ON a_pre.response_id = r_pre.id
    JOIN evaluation_question q_pre ON q_pre.id = a_pre.question_id AND q_pre.code = q_post.code
    JOIN accounts_menteeprofile p ON p.user_id = r_post.respondent_id
    LEFT JOIN accounts_diversityanswers d ON d.user_id = r_post.respondent_id
    CROSS JOIN LATERAL (VALUES
      ('region', p.region), ('gender', p.gender),
      ('age_band', {age_band}),
      ('disadvantaged', CASE WHEN p.disadvantaged THEN 'yes' ELSE 'no' END),
      ('ethnicity', COALESCE(d.ethnicity, '')), ('disability', COALESCE(d.disability, ''))
    ) AS g(dimension, grp)
    WHERE r_post.instance_id = %(post)s
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    """,
    """INSERT INTO evaluation_answertally
      (stage, instrument_purpose, question_code, question_kind, theme, programme_id, youth_partner_id,
       cohort_id, day, value, respondents)
    SELECT CASE WHEN r.instance_id = %(pre)s THEN 'pre' ELSE 'post' END,
           CASE WHEN r.instance_id = %(pre)s THEN 'mentee_pre' ELSE 'mentee_post' END,
           q.code, q.kind, q.theme, r.programme_id, r.youth_partner_id, r.cohort_id,
           (r.submitted_at AT TIME ZONE 'Europe/London')::date, a.value, COUNT(*)
    FROM evaluation_answer a
    JOIN evaluation_surveyresponse r ON r.id = a.response_id
    JOIN evaluation_question q ON q.id = a.question_id
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    """,
    """INSERT INTO evaluation_responsetally
      (instrument_purpose, programme_id, youth_partner_id, cohort_id, day, issued, submitted)
    SELECT CASE WHEN r.instance_id = %(pre)s THEN 'mentee_pre' ELSE 'mentee_post' END,
           r.programme_id, r.youth_partner_id, r.cohort_id,
           (r.created_at AT TIME ZONE 'Europe/London')::date,
           COUNT(*), COUNT(*) FILTER (WHERE r.status = 'submitted')
    FROM evaluation_surveyresponse r
    GROUP BY 1, 2, 3, 4, 5
    """,
]


# The age on the day of the before answer, in whole years, as an age band.
AGE_BAND_SQL = """CASE
        WHEN date_part('year', age((r_pre.submitted_at AT TIME ZONE 'Europe/London')::date, p.date_of_birth))
             < 16 THEN 'under 16'
        WHEN date_part('year', age((r_pre.submitted_at AT TIME ZONE 'Europe/London')::date, p.date_of_birth))
             < 18 THEN '16-17'
        ELSE '18 and over' END"""
TALLY_SQL = [statement.replace("{age_band}", AGE_BAND_SQL) for statement in TALLY_SQL]

# The floor for one grouping of people: the paired aggregation over the answers, joined to the
# person's profile (and diversity answers), for one item, grouped by the group and the two values.
GROUP_EXPRESSIONS = {
    "region": "p.region",
    "gender": "p.gender",
    "age_band": AGE_BAND_SQL,
    "disadvantaged": "CASE WHEN p.disadvantaged THEN 'yes' ELSE 'no' END",
    "ethnicity": "COALESCE(d.ethnicity, '')",
    "disability": "COALESCE(d.disability, '')",
}
GROUP_FLOOR_SQL = """
SELECT {group} AS grp, a_pre.value, a_post.value, COUNT(*)
FROM evaluation_answer a_post
JOIN evaluation_surveyresponse r_post ON r_post.id = a_post.response_id
JOIN evaluation_question q_post ON q_post.id = a_post.question_id
JOIN evaluation_surveyresponse r_pre
  ON r_pre.respondent_id = r_post.respondent_id AND r_pre.programme_id = r_post.programme_id
 AND r_pre.instance_id = %(pre_instance)s AND r_pre.status = 'submitted'
JOIN evaluation_answer a_pre ON a_pre.response_id = r_pre.id
JOIN evaluation_question q_pre ON q_pre.id = a_pre.question_id AND q_pre.code = q_post.code
JOIN accounts_menteeprofile p ON p.user_id = r_post.respondent_id
LEFT JOIN accounts_diversityanswers d ON d.user_id = r_post.respondent_id
WHERE r_post.instance_id = %(post_instance)s AND r_post.status = 'submitted' AND q_post.code = %(code)s
GROUP BY 1, 2, 3
"""


def timed(function, repeat: int) -> float:
    """Median wall time of `repeat` runs, after one warm-up run."""
    function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    options = parser.parse_args()

    import psycopg

    name = f"mentorbridge_bench_{uuid.uuid4().hex[:8]}"
    admin_url = options.server.rstrip("/") + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = options.server.rstrip("/") + "/" + name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    try:
        run(options)
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(options) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from evaluation import dashboard, selectors
    from evaluation.models import InstrumentVersion, SurveyInstance
    from programmes.models import Cohort, Programme, YouthPartner

    call_command("migrate", verbosity=0)
    people = options.answers // (2 * ITEMS)
    print(
        f"Loading {people * 2 * ITEMS:,} answers ({people:,} people, pre and post) "
        f"into {connection.settings_dict['NAME']}"
    )
    programme = Programme.objects.create(name="Benchmark Programme", slug="benchmark-programme")
    partners = YouthPartner.objects.bulk_create(
        YouthPartner(name=f"Benchmark School {index}", kind="school", region="london")
        for index in range(PARTNERS)
    )
    cohorts = Cohort.objects.bulk_create(
        Cohort(programme=programme, youth_partner=partner, start_date="2025-09-01") for partner in partners
    )
    pre_instance = SurveyInstance.objects.create(
        version=InstrumentVersion.objects.get(instrument__slug="mentee-pre", status="published"),
        programme=programme,
    )
    post_instance = SurveyInstance.objects.create(
        version=InstrumentVersion.objects.get(instrument__slug="mentee-post", status="published"),
        programme=programme,
    )
    first_partner, first_cohort = partners[0].pk, cohorts[0].pk
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accounts_user
              (password, is_superuser, first_name, last_name, email, is_staff, is_active, date_joined,
               is_suspended)
            SELECT '!', false, 'Bench', '', 'bench' || g || '@example.org', false, true, now(), false
            FROM generate_series(1, %s) g
            """,
            [people],
        )
        # A profile for everyone (region, gender, disadvantage and a date of birth spread over 14-21 at
        # the before answer) and diversity answers for half, so every breakdown has several groups.
        cursor.execute(
            """
            INSERT INTO accounts_menteeprofile
              (created_at, updated_at, user_id, date_of_birth, youth_partner_id, cohort_id, stage, region,
               gender, disadvantaged, phone, address, shares_contact_with_mentor)
            SELECT now(), now(), u.id, DATE '2011-09-01' - ((u.id * 37) %% 2900)::int,
                   %(partner)s + (u.id %% %(partners)s), %(cohort)s + (u.id %% %(partners)s), 'secondary',
                   (ARRAY['london', 'west_midlands', 'greater_manchester', 'cardiff', 'north_east'])
                     [1 + u.id %% 5],
                   (ARRAY['female', 'male', 'non_binary', 'undisclosed'])[1 + (u.id / 5) %% 4],
                   u.id %% 3 = 0, '', '', false
            FROM accounts_user u WHERE u.email LIKE 'bench%%'
            """,
            {"partner": first_partner, "cohort": first_cohort, "partners": PARTNERS},
        )
        cursor.execute(
            """
            INSERT INTO accounts_diversityanswers
              (created_at, updated_at, user_id, ethnicity, disability, consented_at)
            SELECT now(), now(), u.id, (ARRAY['asian', 'black', 'mixed', 'white_british'])[1 + u.id % 4],
                   (ARRAY['yes', 'no', 'undisclosed'])[1 + (u.id / 7) % 3], now()
            FROM accounts_user u WHERE u.email LIKE 'bench%' AND u.id % 2 = 0
            """
        )
        for instance, month in ((pre_instance, "2025-09-15"), (post_instance, "2026-07-15")):
            cursor.execute(
                """
                INSERT INTO evaluation_surveyresponse
                  (created_at, updated_at, instance_id, respondent_id, status, programme_id, youth_partner_id,
                   cohort_id, context_type, context_id, mandatory, submitted_at, reminders_sent)
                SELECT now(), now(), %(instance)s, u.id, 'submitted', %(programme)s,
                       %(partner)s + (u.id %% %(partners)s), %(cohort)s + (u.id %% %(partners)s),
                       '', '', true, %(month)s::timestamptz, 0
                FROM accounts_user u WHERE u.email LIKE 'bench%%'
                """,
                {
                    "instance": instance.pk,
                    "programme": programme.pk,
                    "partner": first_partner,
                    "cohort": first_cohort,
                    "partners": PARTNERS,
                    "month": month,
                },
            )
        # Pre values spread over the scale; post values mostly higher. Deterministic, so runs compare.
        cursor.execute(
            """
            INSERT INTO evaluation_answer (response_id, question_id, value, choices, text)
            SELECT r.id, q.id,
                   CASE WHEN r.instance_id = %(pre)s THEN 1 + ((r.respondent_id * 31 + q.position * 17) %% 5)
                        ELSE LEAST(5, 1 + ((r.respondent_id * 31 + q.position * 17) %% 5)
                                      + ((r.respondent_id + q.position) %% 3)) END,
                   '[]'::jsonb, ''
            FROM evaluation_surveyresponse r
            JOIN evaluation_question q
              ON q.version_id = CASE WHEN r.instance_id = %(pre)s
                                     THEN %(pre_version)s ELSE %(post_version)s END
            WHERE q.kind = 'agree' AND r.instance_id IN (%(pre)s, %(post)s)
            """,
            {
                "pre": pre_instance.pk,
                "post": post_instance.pk,
                "pre_version": pre_instance.version_id,
                "post_version": post_instance.version_id,
            },
        )
        print(f"  answers loaded in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        for statement in TALLY_SQL:
            cursor.execute(statement, {"pre": pre_instance.pk, "post": post_instance.pk})
        cursor.execute("ANALYZE")
        print(f"  summaries built in {time.perf_counter() - started:.1f} s")

    def floor():
        with connection.cursor() as floor_cursor:
            floor_cursor.execute(
                FLOOR_SQL, {"pre_instance": pre_instance.pk, "post_instance": post_instance.pk}
            )
            return floor_cursor.fetchall()

    from django.db.models import Sum

    from evaluation.models import PairTally

    floor_cells = {(code, before, after): pairs for code, before, after, pairs in floor()}
    summary_cells = dict(
        ((code, before, after), pairs)
        for code, before, after, pairs in PairTally.objects.values_list("question_code", "before", "after")
        .annotate(total=Sum("pairs"))
        .order_by()
    )
    assert summary_cells == floor_cells, "the summary disagrees with the answers"

    everyone = selectors.AggregateFilter()
    one_partner = selectors.AggregateFilter(partner_ids=frozenset({partners[3].pk}))
    items = selectors.paired_items(everyone)
    assert sum(item.n for item in items) == people * ITEMS
    print(
        f"  checked: {len(items)} items, {people:,} pairs each; the summary equals the SQL over the answers"
    )

    results = [
        ("Floor: bare SQL paired aggregation over the answers", timed(floor, options.repeat)),
        (
            "Dashboard paired read, all partners (summary)",
            timed(lambda: selectors.paired_items(everyone), options.repeat),
        ),
        (
            "Dashboard paired read, one partner's slice",
            timed(lambda: selectors.paired_items(one_partner), options.repeat),
        ),
        (
            "Whole impact dashboard (all tables, all partners)",
            timed(lambda: dashboard.build(everyone), options.repeat),
        ),
    ]
    floor_time = results[0][1]
    print(f"\n{'what':55} {'seconds':>10} {'ratio to floor':>15}")
    for label, seconds in results:
        print(f"{label:55} {seconds:10.4f} {seconds / floor_time:15.4f}")

    # Each breakdown: the bare SQL for that grouping of one item beside the breakdown read and the whole
    # dashboard with that breakdown. The rows are checked against the SQL first.
    code = selectors.default_item(selectors.item_catalogue())
    print(f"\nBreakdowns of {code!r} ({people:,} pairs):")
    print(f"{'dimension':15} {'bare SQL':>10} {'breakdown':>10} {'ratio':>7} {'whole dashboard':>16} ratio")
    for dimension in selectors.BREAKDOWNS:
        parameters = {"pre_instance": pre_instance.pk, "post_instance": post_instance.pk, "code": code}
        if dimension in GROUP_EXPRESSIONS:
            sql = GROUP_FLOOR_SQL.format(group=GROUP_EXPRESSIONS[dimension])
        else:
            column = {"programme": "programme_id", "cohort": "cohort_id", "youth_partner": "youth_partner_id"}
            sql = GROUP_FLOOR_SQL.replace("{group}", "r_post." + column[dimension])

        def bare(sql=sql, parameters=parameters):
            with connection.cursor() as floor_cursor:
                floor_cursor.execute(sql, parameters)
                return floor_cursor.fetchall()

        groups: dict = {}
        for group, _before, _after, pairs in bare():
            groups[group] = groups.get(group, 0) + pairs
        read = selectors.breakdown(everyone, dimension=dimension, question_code=code)
        assert sorted(row["n"] for row in read["rows"]) == sorted(groups.values()), dimension
        floor_seconds = timed(bare, options.repeat)

        def read(dimension=dimension):
            return selectors.breakdown(everyone, dimension=dimension, question_code=code)

        read_seconds = timed(read, options.repeat)
        whole_seconds = timed(lambda dimension=dimension: dashboard.build(everyone, breakdown=dimension), 3)
        print(
            f"{dimension:15} {floor_seconds:10.4f} {read_seconds:10.4f} {read_seconds / floor_seconds:7.3f} "
            f"{whole_seconds:16.4f} {whole_seconds / floor_seconds:7.3f}"
        )
    print(f"\nload average: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
