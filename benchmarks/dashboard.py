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
              (password, is_superuser, first_name, last_name, email, is_staff, is_active, date_joined)
            SELECT '!', false, 'Bench', '', 'bench' || g || '@example.org', false, true, now()
            FROM generate_series(1, %s) g
            """,
            [people],
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


if __name__ == "__main__":
    main()
