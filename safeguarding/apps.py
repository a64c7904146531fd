from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding and messages"

    def ready(self):
        from accounts.models import Role
        from accounts.security import register_mfa_requirement

        from . import (  # noqa: F401  (registers policies, panels and receivers)
            panels,
            personal_data,
            policies,
            signals,
        )
        from .oversight import mentor_mfa_required_by_programme

        personal_data.register_entries()
        register_mfa_requirement(Role.MENTOR, mentor_mfa_required_by_programme)

        from core.moderation import register_contact_screen

        from .screening import contact_details_found

        register_contact_screen(contact_details_found)

        from mentoring.moderation import register_held_listener, register_returned_listener

        from .services import held_text_notify, held_text_returned_notify

        register_held_listener(held_text_notify)
        register_returned_listener(held_text_returned_notify)
