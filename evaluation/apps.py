from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = "Evaluation and impact"

    def ready(self):
        from . import (  # noqa: F401  (policies, signal receivers, panels)
            panels,
            personal_data,
            policies,
            receivers,
        )

        personal_data.register_entries()
