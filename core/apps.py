from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from django.apps import apps

        from . import home_cache
        from .models import AuditEvent, OutgoingEmail

        # Every app of this repository, present and future; installed packages' models stay unwatched.
        root = Path(settings.BASE_DIR).resolve()
        project_apps = [
            config
            for config in apps.get_app_configs()
            if Path(config.path).resolve().is_relative_to(root) and ".venv" not in Path(config.path).parts
        ]
        home_cache.connect_receivers(model for config in project_apps for model in config.get_models())
        home_cache.guard_bulk_writes()
        home_cache.register_not_on_home(AuditEvent, OutgoingEmail)

        from .personal_data import KEEP, register

        register(
            AuditEvent,
            section="activity",
            title="What you did on the platform",
            description="The actions recorded against your account (signing in, changes you made) and when. "
            "The details of each are kept in the audit log and are not included, as they often name others.",
            subject=("actor",),
            fields=("action", "occurred_at"),
            erasure=KEEP,
            reason="Accountability (UK GDPR Article 5(2)): who did what, including this erasure, must stay "
            "on record; the rows point at the anonymised account.",
            retention="Not deleted automatically.",
        )
