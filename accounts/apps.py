from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and roles"

    def ready(self):
        from core.panels import register_nav_item

        from . import policies, security  # noqa: F401  (registers the access policies and the security receivers)

        # The audit log closes the navigation (the profile is beside "Sign out").
        register_nav_item(
            "Audit log",
            "accounts:audit_log",
            lambda user: user.is_programme_staff,
            order=900,
            section="Admin",
        )

        from . import panels

        panels.register()

        from . import personal_data

        personal_data.register_entries()
