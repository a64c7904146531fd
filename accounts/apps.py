from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and roles"

    def ready(self):
        from core.panels import register_nav_item

        from . import policies, security  # noqa: F401  (registers the access policies and the security receivers)

        # "Home" opens the navigation; the audit log and the profile close it.
        register_nav_item("Home", "home", lambda user: True, order=0)
        register_nav_item("Audit log", "accounts:audit_log", lambda user: user.is_programme_staff, order=900)
        register_nav_item("My profile", "accounts:profile", lambda user: True, order=910)

        from . import home_cache

        home_cache.register()

        from . import personal_data

        personal_data.register_entries()
