from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = "Evaluation and impact"

    def ready(self):
        from . import panels, policies, receivers  # noqa: F401  (policies, signal receivers, panels)
