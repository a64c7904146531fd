import datetime

import factory
from django.utils import timezone

from mentoring.models import Topic

from ..models import Bulletin, FaqEntry, Ingredient, Resource, ResourceRating, SessionResource


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Practical resource {n + 1}")
    slug = factory.Sequence(lambda n: f"practical-resource-{n + 1}")
    summary = "A short activity for a session."
    body = "## How it works\n\n1. Ask a question.\n2. Listen.\n"
    kind = Resource.Kind.ACTIVITY
    topic = Topic.CONFIDENCE
    ingredient = Ingredient.TAILORED
    status = Resource.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class ResourceRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourceRating

    resource = factory.SubFactory(ResourceFactory)
    stars = 4


class SessionResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionResource

    resource = factory.SubFactory(ResourceFactory)


class FaqEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqEntry

    question = factory.Sequence(lambda n: f"How do I find a placement number {n + 1}?")
    answer = "Ask the careers lead at your school."
    topic = Topic.OPPORTUNITIES


class BulletinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bulletin

    title = factory.Sequence(lambda n: f"Bulletin {n + 1}")
    issue_date = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    news = "Welcome to this month's bulletin."
    skill_builder = "Ask open questions."
    upcoming_events = "- Community of practice, online."


def sent_bulletin(**kwargs) -> Bulletin:
    sent_at = timezone.now() - datetime.timedelta(days=1)
    return BulletinFactory(status=Bulletin.Status.SENT, send_started_at=sent_at, sent_at=sent_at, **kwargs)
