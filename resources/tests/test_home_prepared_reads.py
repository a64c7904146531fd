"""The resources panel's reads, compiled once per process (core.prepared), give what the policy-scoped
querysets give for each person."""

import pytest

from core import policy
from mentoring.tests.factories import MentoringSessionFactory, SessionLogFactory
from resources import selectors
from resources.models import Resource, SessionResource
from resources.tests.factories import ResourceFactory, SessionResourceFactory

pytestmark = pytest.mark.django_db

PEOPLE = (
    "staff",
    "coordinator_a",
    "coordinator_b",
    "dsl_a",
    "mentor",
    "other_mentor",
    "mentee_under_16",
    "funder",
)


def test_planned_resources_are_the_policy_scoped_querysets(world):
    session = MentoringSessionFactory(relationship=world.relationship_under_16)
    other = MentoringSessionFactory(relationship=world.relationship_b)
    for resource in (ResourceFactory(), ResourceFactory(), ResourceFactory(status=Resource.Status.DRAFT)):
        SessionResourceFactory(session=session, resource=resource)
    SessionResourceFactory(session=other)
    for name in PEOPLE:
        person = getattr(world, name)
        for each in (session, other):
            expected = list(
                policy.scope(person, policy.VIEW, SessionResource)
                .filter(session=each, resource__in=policy.scope(person, policy.VIEW, Resource))
                .select_related("resource")
            )
            rows = selectors.planned_resources(user=person, session=each)
            assert [(r.pk, r.resource_id, r.resource.title, r.resource.slug) for r in rows] == [
                (r.pk, r.resource_id, r.resource.title, r.resource.slug) for r in expected
            ], name


@pytest.mark.parametrize("audience", [None, "under_16", "16_18", "adult"])
def test_candidates_are_the_policy_scoped_ranked_resources(world, audience):
    ResourceFactory(title="For everyone", use_count=3)
    ResourceFactory(title="Adults only", for_under_16=False, for_16_to_18=False)
    ResourceFactory(title="A draft", status=Resource.Status.DRAFT)
    for name in PEOPLE:
        person = getattr(world, name)
        published = policy.scope(person, policy.VIEW, Resource.objects.published())
        if audience is not None:
            published = published.for_audiences([audience])
        expected = list(published.with_rank())
        rows = selectors._candidates_for(audience).rows(user=person)
        assert [(r.pk, r.title, r.topic, r.keywords, r.ingredient, r.rank) for r in rows] == [
            (r.pk, r.title, r.topic, r.keywords, r.ingredient, r.rank) for r in expected
        ], name


def test_the_topics_log_is_the_sessions_own_else_the_pairs_latest(world):
    earlier = SessionLogFactory(
        session=MentoringSessionFactory(relationship=world.relationship_under_16, status="held")
    )
    session = MentoringSessionFactory(relationship=world.relationship_under_16)
    rows = selectors._TOPICS_LOG.rows(relationship=world.relationship_under_16.pk, session=session.pk)
    assert [row.pk for row in rows] == [earlier.pk]
    own = SessionLogFactory(session=session)
    rows = selectors._TOPICS_LOG.rows(relationship=world.relationship_under_16.pk, session=session.pk)
    assert [row.pk for row in rows] == [own.pk]


def test_the_latest_bulletin_is_the_first_by_issue_date_then_newest(world):
    import datetime

    from django.test import RequestFactory

    from resources.models import Bulletin
    from resources.panels import staff_bulletin_panel
    from resources.tests.factories import BulletinFactory

    def shown():
        request = RequestFactory().get("/")
        request.user = world.staff
        return staff_bulletin_panel(request).context

    assert selectors.latest_bulletin() is None and shown()["bulletin"] is None
    day = datetime.date(2026, 3, 1)
    for issued in (day, day + datetime.timedelta(days=30), day + datetime.timedelta(days=30), day):
        BulletinFactory(issue_date=issued)
    expected = Bulletin.objects.order_by("-issue_date", "-id").first()
    latest = selectors.latest_bulletin()
    fields = [field.attname for field in Bulletin._meta.concrete_fields]
    assert [getattr(latest, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert shown()["bulletin"].pk == expected.pk
    assert shown()["progress"] == selectors.bulletin_progress(bulletin=expected)
