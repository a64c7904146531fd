from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = "Recruitment"

    def ready(self):
        from . import (
            panels,
            personal_data,
            policies,  # noqa: F401  (registers the access policies)
        )

        panels.register()
        personal_data.register_entries()
