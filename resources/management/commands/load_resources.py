from django.core.management.base import BaseCommand

from resources.loader import load_starter_content


class Command(BaseCommand):
    help = "Load the starter resource library and FAQ (adds what is missing; never overwrites edits)."

    def handle(self, *args, **options):
        result = load_starter_content()
        self.stdout.write(f"Added {result.resources_created} resources and {result.faq_created} questions.")
