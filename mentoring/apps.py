from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Programmes and relationships"

    def ready(self):
        from . import home_cache, panels, policies  # noqa: F401  (policies registers the access policies)

        panels.register()
        home_cache.register()

        from . import personal_data

        personal_data.register_entries()
