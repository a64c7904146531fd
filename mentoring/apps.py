from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Programmes and relationships"

    def ready(self):
        from . import panels, policies  # noqa: F401  (policies registers the access policies)

        panels.register()
