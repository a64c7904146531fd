"""`rows_with_columns`: the rows and related rows `select_related(...).only(...)` gives, in one query."""

import pytest

from accounts.models import User
from core.rows import rows_with_columns
from mentoring.models import MentoringSession, Relationship
from mentoring.tests.factories import MentoringSessionFactory, VenueFactory

pytestmark = pytest.mark.django_db

COLUMNS = (
    "status",
    "mentee__first_name",
    "mentee__mentee_profile__date_of_birth",
    "cohort__programme__name",
    "cohort__youth_partner__name",
)


def _shown(relationship):
    return (
        relationship.pk,
        relationship.status,
        relationship.mentee_id,
        relationship.mentee.pk,
        relationship.mentee.first_name,
        relationship.mentee.mentee_profile.date_of_birth,
        relationship.mentee.mentee_profile.user_id,
        relationship.cohort_id,
        relationship.cohort.programme.name,
        relationship.cohort.youth_partner.name,
        relationship.get_absolute_url(),
        relationship.get_status_display(),
    )


def test_rows_hold_what_select_related_and_only_give_in_their_order(world, django_assert_num_queries):
    queryset = Relationship.objects.filter(mentor=world.mentor).order_by("-created_at", "-pk")
    expected = [
        _shown(relationship)
        for relationship in queryset.select_related(
            "mentee__mentee_profile", "cohort__programme", "cohort__youth_partner"
        ).only(*COLUMNS)
    ]
    with django_assert_num_queries(1):
        rows = rows_with_columns(queryset, COLUMNS)
        shown = [_shown(relationship) for relationship in rows]
    assert len(shown) == 2
    assert shown == expected
    # A slice of the query, as a home page reads its first few.
    assert [_shown(row) for row in rows_with_columns(queryset[:1], COLUMNS)] == expected[:1]


def test_a_related_row_knows_its_owner_through_a_reverse_one_to_one(world, django_assert_num_queries):
    (row,) = rows_with_columns(
        Relationship.objects.filter(pk=world.relationship_under_16.pk), ["mentee__mentee_profile__phone"]
    )
    with django_assert_num_queries(0):
        assert row.mentee.mentee_profile.user is row.mentee
        assert row.mentee.mentee_profile.phone == "07700 900001"


def test_a_missing_related_row_is_none_as_with_select_related(world, django_assert_num_queries):
    venue = VenueFactory(youth_partner=world.partner_a)
    online = MentoringSessionFactory(relationship=world.relationship_under_16, is_online=True, venue=None)
    in_person = MentoringSessionFactory(relationship=world.relationship_over_18, is_online=False, venue=venue)
    rows = rows_with_columns(
        MentoringSession.objects.filter(pk__in=[online.pk, in_person.pk]).order_by("pk"),
        ("relationship_id", "starts_at", "is_online", "venue__name"),
    )
    with django_assert_num_queries(0):
        assert [(row.pk, row.venue_id, row.where) for row in rows] == [
            (online.pk, None, "Online"),
            (in_person.pk, venue.pk, "Careers room"),
        ]
        assert rows[0].venue is None
    # A person with no mentee profile: reading it fails as it does after select_related.
    (mentor,) = rows_with_columns(User.objects.filter(pk=world.mentor.pk), ["mentee_profile__date_of_birth"])
    with django_assert_num_queries(0), pytest.raises(User.mentee_profile.RelatedObjectDoesNotExist):
        mentor.mentee_profile  # noqa: B018


def test_a_column_not_read_is_read_on_its_own_when_asked_for(world, django_assert_num_queries):
    (row,) = rows_with_columns(Relationship.objects.filter(pk=world.relationship_under_16.pk), ["status"])
    with django_assert_num_queries(1):
        assert row.created_at == world.relationship_under_16.created_at


def test_only_single_rows_can_be_related(world):
    with pytest.raises(ValueError, match="not a one-to-one or forward relation"):
        rows_with_columns(User.objects.all(), ["mentor_relationships__status"])
