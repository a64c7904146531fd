from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from django.apps import apps

        from . import home_cache
        from .models import AuditEvent

        # Every app of this repository, present and future; installed packages' models stay unwatched.
        root = Path(settings.BASE_DIR).resolve()
        project_apps = [
            config
            for config in apps.get_app_configs()
            if Path(config.path).resolve().is_relative_to(root) and ".venv" not in Path(config.path).parts
        ]
        home_cache.connect_receivers(model for config in project_apps for model in config.get_models())
        home_cache.register_not_on_home(AuditEvent)
