from django.core.management.base import BaseCommand

from training.loader import load_training_content


class Command(BaseCommand):
    help = "Load the starter training courses (safe to run again: existing courses are left alone)."

    def handle(self, *args, **options):
        created = load_training_content()
        if created:
            self.stdout.write(f"Loaded {len(created)} courses: " + ", ".join(c.title for c in created))
        else:
            self.stdout.write("Training courses already loaded; nothing changed.")
