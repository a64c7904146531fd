from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Matching"

    def ready(self):
        from . import panels, policies  # noqa: F401  (policies registers the access policies)

        panels.register()

        from . import personal_data

        personal_data.register_entries()
