"""Match mentors and mentees from two CSV files (the column format is in docs/matching.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Region
from matching.engine import RoundRules, Weights
from matching.spreadsheet import SpreadsheetError, match_files, proposal_rows, unmatched_rows, write_csv


class Command(BaseCommand):
    help = (
        "Propose mentor-mentee pairs from a mentors CSV and a mentees CSV. Writes the proposals "
        "(mentee, mentor, score, explanation) and the people left unmatched with the reason. "
        "Nothing is written if any row has a problem; every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mentors", required=True, type=Path, help="mentors CSV")
        parser.add_argument("--mentees", required=True, type=Path, help="mentees CSV")
        parser.add_argument("--out", required=True, type=Path, help="where to write the proposals CSV")
        parser.add_argument("--unmatched", required=True, type=Path, help="where to write the unmatched CSV")
        parser.add_argument(
            "--locked", type=Path, help="CSV of approved pairs to keep (mentee_id, mentor_id)"
        )
        parser.add_argument(
            "--rejected", type=Path, help="CSV of pairs a coordinator rejected (mentee_id, mentor_id)"
        )
        parser.add_argument(
            "--weights",
            default="",
            help="points per part of the score, e.g. support=30,industry=25 "
            f"(parts: {', '.join(Weights.NAMES)})",
        )
        parser.add_argument(
            "--min-age", type=int, default=RoundRules.mentee_min_age, help="youngest mentee age"
        )
        parser.add_argument(
            "--max-age", type=int, default=RoundRules.mentee_max_age, help="oldest mentee age"
        )
        parser.add_argument(
            "--induction-for-all",
            action="store_true",
            help="require induction of every mentee, not only under-18s",
        )
        parser.add_argument(
            "--protect-worst-off",
            action="store_true",
            help="raise the lowest score as far as possible, and report what it costs in total score",
        )
        parser.add_argument(
            "--candidates", type=int, default=50, help="mentors considered per mentee (default 50)"
        )

    def handle(self, *args, **options):
        try:
            weights = Weights.parse(options["weights"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["min_age"] > options["max_age"]:
            raise CommandError("--min-age is above --max-age")
        if options["candidates"] < 1:
            raise CommandError("--candidates must be at least 1")
        for name in ("mentors", "mentees", "locked", "rejected"):
            if options[name] is not None and not options[name].is_file():
                raise CommandError(f"--{name}: no file at {options[name]}")
        rules = RoundRules(
            mentee_min_age=options["min_age"],
            mentee_max_age=options["max_age"],
            induction_required_for_all=options["induction_for_all"],
        )
        try:
            round_ = match_files(
                mentors_path=options["mentors"],
                mentees_path=options["mentees"],
                regions=Region.choices,
                locked_path=options["locked"],
                rejected_path=options["rejected"],
                rules=rules,
                weights=weights,
                protect_worst_off=options["protect_worst_off"],
                top_k=options["candidates"],
            )
        except SpreadsheetError as error:
            for problem in error.errors:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(error.errors)} problem(s) found; no files were written.") from None

        write_csv(options["out"], proposal_rows(round_))
        write_csv(options["unmatched"], unmatched_rows(round_))
        metrics = round_.result.metrics
        self.stdout.write(
            f"Proposed {metrics.matched} of {metrics.mentees} mentees ({metrics.share_matched:.0%}); "
            f"mean score {metrics.mean_score:.1f}, lowest {metrics.lowest_score:.1f}; "
            f"first-priority need met for {metrics.share_first_need_met:.0%} of mentees; "
            f"a best-first pass would reach {metrics.greedy_share_of_optimum:.1%} of this total."
        )
        if metrics.worst_off_protected:
            before, after = metrics.lowest_score_before_protection, metrics.lowest_score
            if after > before:
                self.stdout.write(
                    f"Protecting the worst-off raised the lowest score from {before:.1f} to {after:.1f} "
                    f"at a cost of {metrics.protection_cost:.1f} points of total score."
                )
            else:
                self.stdout.write(
                    f"The lowest score ({before:.1f}) cannot be raised without leaving a mentee unmatched."
                )
        self.stdout.write(self.style.SUCCESS(f"Wrote {options['out']} and {options['unmatched']}."))
