"""The programme team's overview reads its totals, programmes and youth partners with queries compiled
once per process (core.prepared), the young people counted from their counts per cohort
(CohortMentees) and the profiles in no cohort: each figure is what counting the rows themselves gives,
as profiles join, move between and leave cohorts."""

import pytest
from django.db.models import Count
from django.test import RequestFactory

from accounts.models import MenteeProfile, MentorProfile, User
from accounts.tests.factories import MenteeProfileFactory
from mentoring import selectors
from mentoring.models import Relationship
from mentoring.panels import staff_overview_panel
from mentoring.tests.factories import CohortFactory, ProgrammeFactory, YouthPartnerFactory
from programmes.models import YouthPartner

pytestmark = pytest.mark.django_db


def _counted(user) -> dict:
    """The overview as the rows themselves give it."""
    return {
        "totals": {
            "mentors": MentorProfile.objects.count(),
            "mentees": MenteeProfile.objects.count(),
            "partners": YouthPartner.objects.filter(is_active=True).count(),
            "open_relationships": Relationship.objects.open().count(),
        },
        "programmes": [
            (programme.pk, programme.name, programme.cohort_count)
            for programme in selectors.programmes_visible_to(user=user).filter(is_active=True)[:10]
        ],
        "partners_by_kind": [
            (YouthPartner.Kind(row["kind"]).label, row["kind"], row["total"])
            for row in YouthPartner.objects.values("kind").annotate(total=Count("pk")).order_by("kind")
        ],
    }


def _shown(user) -> dict:
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)
    panel = staff_overview_panel(request).context
    return {
        "totals": panel["totals"],
        "programmes": [
            (programme.pk, programme.name, programme.cohort_count) for programme in panel["programmes"]
        ],
        "partners_by_kind": [(row["kind"], row["value"], row["total"]) for row in panel["partners_by_kind"]],
    }


def test_the_overview_counts_what_the_rows_hold_as_profiles_move(world):
    assert _shown(world.staff) == _counted(world.staff)
    other_partner = YouthPartnerFactory(kind=YouthPartner.Kind.CHARITY, is_active=False)
    other_cohort = CohortFactory(youth_partner=other_partner)
    ProgrammeFactory(is_active=False)
    in_cohort = MenteeProfileFactory(youth_partner=world.partner_a, cohort=world.cohort_a)
    MenteeProfileFactory(youth_partner=other_partner, cohort=None)
    MenteeProfileFactory(youth_partner=other_partner, cohort=other_cohort)
    assert _shown(world.staff) == _counted(world.staff)
    assert MenteeProfile.objects.filter(cohort__isnull=True).exists()
    in_cohort.cohort = other_cohort
    in_cohort.save()
    assert _shown(world.staff) == _counted(world.staff)
    in_cohort.cohort = None
    in_cohort.save()
    assert _shown(world.staff) == _counted(world.staff)
    in_cohort.user.delete()
    other_cohort.delete()  # its profiles leave it
    assert _shown(world.staff) == _counted(world.staff)
    assert _shown(world.staff)["totals"]["mentees"] == MenteeProfile.objects.count() > 0


def test_each_person_sees_the_programmes_their_scope_gives(world):
    ProgrammeFactory(name="A second programme")
    for person in (world.staff, world.coordinator_a, world.funder):
        assert _shown(person)["programmes"] == _counted(person)["programmes"]
