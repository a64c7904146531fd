from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Programmes and relationships"

    def ready(self):
        from . import (  # noqa: F401  (policies registers the access policies, journal the releasers)
            journal,
            panels,
            policies,
        )

        panels.register()

        from . import receivers

        receivers.connect()

        from django.apps import apps

        from accounts.policies import register_pair_links

        from .selectors import RelationshipPairLinks

        register_pair_links(RelationshipPairLinks())

        if apps.is_installed("recruitment"):
            # Recruitment's waiting pool leaves out mentors already in an open relationship.
            from recruitment.selectors import register_busy_mentors_source

            from .selectors import mentor_is_busy_read_for, open_relationship_mentor_ids

            register_busy_mentors_source(open_relationship_mentor_ids, of_request=mentor_is_busy_read_for)

        if apps.is_installed("training"):
            # Training counts a mentor in a programme by role or by a relationship in its cohorts.
            from training.membership import register_membership_source

            from .selectors import programme_ids_read_for, programme_memberships

            register_membership_source(programme_memberships, of_request=programme_ids_read_for)

        from . import personal_data

        personal_data.register_entries()
