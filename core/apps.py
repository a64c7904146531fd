from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from django.apps import apps

        from . import home_cache
        from .models import AuditEvent

        home_cache.connect_receivers(
            model for model in apps.get_models() if model._meta.app_label in home_cache.PROJECT_APPS
        )
        home_cache.register_not_on_home(AuditEvent)
