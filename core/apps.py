from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from .models import AuditEvent
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
