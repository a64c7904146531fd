from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding and messages"

    def ready(self):
        from . import (  # noqa: F401  (registers policies, panels and receivers)
            panels,
            personal_data,
            policies,
            signals,
        )

        personal_data.register_entries()
