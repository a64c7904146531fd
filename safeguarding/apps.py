from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding and messages"

    def ready(self):
        from . import panels, policies, signals  # noqa: F401  (registers policies, panels and receivers)
