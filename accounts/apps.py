from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and roles"

    def ready(self):
        from . import policies  # noqa: F401  (registers the access policies)
        from .recruitment import panels  # noqa: F401
        from .recruitment import policies as recruitment_policies  # noqa: F401

        panels.register()

        from . import home

        home.register_home_dependencies()

        from . import personal_data

        personal_data.register_entries()
