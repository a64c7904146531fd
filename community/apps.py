from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Communities of practice and employer partners"

    def ready(self):
        from . import panels, policies  # noqa: F401  (policies and home panels register themselves)
