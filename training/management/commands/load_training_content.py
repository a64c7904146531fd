from django.core.management.base import BaseCommand, CommandError

from core.content_files import ContentFileError
from training.loader import load_training_content


class Command(BaseCommand):
    help = (
        "Load the built-in courses and the mentee induction from training/content/ (adds what is "
        "missing, never overwrites what staff edited; safe to run again)."
    )

    def handle(self, *args, **options):
        try:
            report = load_training_content()
        except ContentFileError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        for outcome in report.outcomes:
            self.stdout.write(str(outcome))
        self.stdout.write(f"Courses: {report.summary()}")
