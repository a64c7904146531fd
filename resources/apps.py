from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Resources, FAQ and bulletins"

    def ready(self):
        from accounts.models import Role
        from core import policy
        from core.panels import register_home_panel, register_nav_item

        from . import panels, policies  # noqa: F401  (registers the access policies)

        register_home_panel(Role.MENTOR, panels.mentor_resources_panel, order=25)
        register_home_panel(Role.PROGRAMME_STAFF, panels.staff_bulletin_panel, order=45)
        register_nav_item(
            "Resources",
            "resources:resource_list",
            policy.predicate("resources.read_library"),
            order=42,
            section="Training",
        )

        from . import personal_data

        personal_data.register_entries()
