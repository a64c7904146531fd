from django.core.management.base import BaseCommand, CommandError

from core.content_files import ContentFileError
from resources.loader import load_starter_content


class Command(BaseCommand):
    help = "Load the starter resource library and FAQ (adds what is missing; never overwrites edits)."

    def handle(self, *args, **options):
        try:
            result = load_starter_content()
        except ContentFileError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        self.stdout.write(f"Added {result.resources_created} resources and {result.faq_created} questions.")
