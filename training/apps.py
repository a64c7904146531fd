from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self):
        from accounts.models import Role
        from core import policy
        from core.panels import register_home_panel, register_nav_item

        from . import panels, policies  # noqa: F401  (registers the access policies)

        panels.register_home_dependencies()
        register_home_panel(Role.MENTOR, panels.mentor_training_panel, order=10)
        register_home_panel(Role.MENTEE, panels.mentee_induction_panel, order=10)
        register_home_panel(Role.PROGRAMME_STAFF, panels.staff_training_panel, order=40)
        register_nav_item("Training", "training:course_list", lambda user: user.is_authenticated, order=40)
        register_nav_item(
            "Training reports", "training:reports", policy.predicate("training.manage"), order=45
        )

        from . import personal_data

        personal_data.register_entries()
