from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Communities of practice and employer partners"

    def ready(self):
        from django.apps import apps

        from . import panels, policies  # noqa: F401  (policies and home panels register themselves)

        if apps.is_installed("resources"):
            from resources.bulletin_events import register_events_source

            from .selectors import upcoming_events_for_bulletin

            register_events_source(upcoming_events_for_bulletin)

        if apps.is_installed("matching"):
            from matching.employers import register_employer_source

            from .selectors import mentor_employer_names

            register_employer_source(mentor_employer_names)

        from . import receivers

        receivers.connect()

        from . import personal_data

        personal_data.register_entries()
