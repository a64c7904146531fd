from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Programmes and relationships"

    def ready(self):
        from . import policies  # noqa: F401  (registers the access policies)
