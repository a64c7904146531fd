from django.apps import AppConfig


def _takes_training(user) -> bool:
    """Mentors and mentees take courses, coordinators watch them, staff write them; funders do neither."""
    from accounts.models import Role

    return user.is_programme_staff or bool(user.roles & {Role.MENTOR, Role.MENTEE, Role.COORDINATOR})


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Training"

    def ready(self):
        from accounts.models import Role
        from core import policy
        from core.panels import register_home_panel, register_nav_item

        from . import panels, policies  # noqa: F401  (registers the access policies)

        register_home_panel(Role.MENTOR, panels.mentor_training_panel, order=10)
        register_home_panel(Role.MENTEE, panels.mentee_induction_panel, order=10)
        register_home_panel(Role.PROGRAMME_STAFF, panels.staff_training_panel, order=40)
        register_nav_item("Training", "training:course_list", _takes_training, order=40, section="Training")
        register_nav_item(
            "Training reports",
            "training:reports",
            policy.predicate("training.manage"),
            order=45,
            section="Training",
        )

        from . import personal_data

        personal_data.register_entries()
