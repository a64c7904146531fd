"""Everything that changes the library, the FAQ and bulletins."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from core import policy
from core.audit import audit_record
from core.email import absolute_reverse, absolute_url, email_send
from core.errors import ApplicationError
from mentoring.models import MentoringSession

from . import selectors
from .markup import markdown_to_html, markdown_to_text
from .models import Bulletin, BulletinDelivery, FaqEntry, Resource, ResourceRating, SessionResource

logger = logging.getLogger(__name__)

RESOURCE_FIELDS = (
    "title",
    "summary",
    "body",
    "kind",
    "topic",
    "ingredient",
    "keywords",
    "minutes",
    "for_under_16",
    "for_16_to_18",
    "for_adults",
)
BULLETIN_FIELDS = ("title", "issue_date", "news", "skill_builder", "upcoming_events")


def _unique_slug(title: str, *, exclude_pk=None) -> str:
    base = slugify(title)[:70] or "resource"
    slug, number = base, 2
    while Resource.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


# Resources -----------------------------------------------------------------------------------------


@transaction.atomic
def resource_create(*, actor, **fields) -> Resource:
    """A new draft resource; nobody but staff sees it until it is published."""
    policy.require(actor, "resources.manage", refuse_with=ApplicationError)
    resource = Resource(
        created_by=actor, **{name: fields[name] for name in RESOURCE_FIELDS if name in fields}
    )
    resource.slug = _unique_slug(resource.title)
    resource.full_clean()
    resource.save()
    audit_record(actor=actor, action="resources.resource_created", target=resource, summary=resource.title)
    return resource


@transaction.atomic
def resource_update(*, actor, resource: Resource, **fields) -> Resource:
    policy.require(actor, "resources.manage", refuse_with=ApplicationError)
    for name in RESOURCE_FIELDS:
        if name in fields:
            setattr(resource, name, fields[name])
    resource.full_clean()
    resource.save()
    audit_record(actor=actor, action="resources.resource_updated", target=resource, summary=resource.title)
    return resource


@transaction.atomic
def resource_publish(*, actor, resource: Resource, published: bool = True) -> Resource:
    """Publish a draft (mentors see it from now on), or take a published resource back to draft."""
    policy.require(actor, "resources.manage", refuse_with=ApplicationError)
    resource.status = Resource.Status.PUBLISHED if published else Resource.Status.DRAFT
    if published and resource.published_at is None:
        resource.published_at = timezone.now()
    resource.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="resources.resource_published" if published else "resources.resource_unpublished",
        target=resource,
        summary=resource.title,
    )
    return resource


def _refresh_use_count(resource: Resource) -> None:
    uses = SessionResource.objects.filter(resource=resource).count()
    Resource.objects.filter(pk=resource.pk).update(use_count=uses)
    resource.use_count = uses


@transaction.atomic
def resource_ratings_remove(*, mentor_id: int) -> int:
    """Remove a mentor's ratings (when they are erased) and put the rated resources' totals right."""
    resource_ids = list(
        ResourceRating.objects.filter(mentor_id=mentor_id).values_list("resource_id", flat=True)
    )
    removed = ResourceRating.objects.filter(mentor_id=mentor_id).delete()[0]
    for resource in Resource.objects.select_for_update().filter(pk__in=resource_ids).order_by("pk"):
        totals = ResourceRating.objects.filter(resource=resource).aggregate(
            count=Count("pk"), total=Sum("stars")
        )
        Resource.objects.filter(pk=resource.pk).update(
            rating_count=totals["count"], rating_total=totals["total"] or 0
        )
    return removed


@transaction.atomic
def resource_rate(*, actor, resource: Resource, stars: int) -> ResourceRating:
    """Set the mentor's rating (1-5). A second rating replaces the first; the totals follow."""
    if not policy.can_create(actor, ResourceRating, resource=resource):
        raise ApplicationError("Only mentors can rate resources.")
    if not 1 <= int(stars) <= 5:
        raise ApplicationError("Choose from 1 to 5 stars.", field="stars")
    # Lock the resource so two ratings at once cannot leave the totals wrong.
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    rating, _created = ResourceRating.objects.update_or_create(
        resource=locked, mentor=actor, defaults={"stars": int(stars)}
    )
    totals = ResourceRating.objects.filter(resource=locked).aggregate(count=Count("pk"), total=Sum("stars"))
    Resource.objects.filter(pk=locked.pk).update(
        rating_count=totals["count"], rating_total=totals["total"] or 0
    )
    resource.rating_count, resource.rating_total = totals["count"], totals["total"] or 0
    return rating


@transaction.atomic
def resource_attach(*, actor, resource: Resource, session: MentoringSession) -> SessionResource:
    """Plan to use a resource in one of the mentor's upcoming sessions."""
    if not policy.can_create(actor, SessionResource, session=session):
        raise ApplicationError("You can only plan resources for your own sessions.", field="session")
    if not policy.can(actor, policy.VIEW, resource) or not resource.is_published:
        raise ApplicationError("This resource is not available.")
    if session.status != MentoringSession.Status.SCHEDULED or session.starts_at < timezone.now():
        raise ApplicationError("Choose a session that is still to come.", field="session")
    planned, created = SessionResource.objects.get_or_create(
        session=session, resource=resource, defaults={"attached_by": actor}
    )
    if not created:
        raise ApplicationError("This resource is already planned for that session.", field="session")
    _refresh_use_count(resource)
    return planned


@transaction.atomic
def resource_detach(*, actor, planned: SessionResource) -> None:
    policy.require(actor, policy.DELETE, planned)
    resource = planned.resource
    planned.delete()
    _refresh_use_count(resource)


# FAQ -----------------------------------------------------------------------------------------------


@transaction.atomic
def faq_save(*, actor, entry: FaqEntry | None = None, **fields) -> FaqEntry:
    policy.require(actor, "resources.manage", refuse_with=ApplicationError)
    entry = entry or FaqEntry()
    for name in ("question", "answer", "topic", "position", "is_published"):
        if name in fields:
            setattr(entry, name, fields[name])
    entry.full_clean()
    entry.save()
    audit_record(actor=actor, action="resources.faq_saved", target=entry, summary=entry.question[:200])
    return entry


@transaction.atomic
def faq_delete(*, actor, entry: FaqEntry) -> None:
    policy.require(actor, "resources.manage", refuse_with=ApplicationError)
    audit_record(actor=actor, action="resources.faq_deleted", target=entry, summary=entry.question[:200])
    entry.delete()


# Bulletins -----------------------------------------------------------------------------------------


@transaction.atomic
def bulletin_save(*, actor, bulletin: Bulletin | None = None, featured=None, **fields) -> Bulletin:
    """Create or edit a draft bulletin. Once sending has begun it is frozen."""
    policy.require(actor, "resources.manage", refuse_with=ApplicationError)
    if bulletin is not None and not bulletin.is_draft:
        raise ApplicationError("This bulletin has been sent and can no longer change.")
    bulletin = bulletin or Bulletin(created_by=actor)
    for name in BULLETIN_FIELDS:
        if name in fields:
            setattr(bulletin, name, fields[name])
    bulletin.full_clean()
    bulletin.save()
    if featured is not None:
        published = [resource for resource in featured if resource.is_published]
        bulletin.featured_resources.set(published)
    audit_record(actor=actor, action="resources.bulletin_saved", target=bulletin, summary=bulletin.title)
    return bulletin


@transaction.atomic
def bulletin_send(*, actor, bulletin: Bulletin) -> Bulletin:
    """Start sending a draft to every mentor who has not opted out; the task does the rest."""
    policy.require(actor, "resources.manage", refuse_with=ApplicationError)
    claimed = Bulletin.objects.filter(pk=bulletin.pk, status=Bulletin.Status.DRAFT).update(
        status=Bulletin.Status.SENDING, send_started_at=timezone.now()
    )
    if not claimed:
        raise ApplicationError("This bulletin is already being sent.")
    bulletin.refresh_from_db()
    if not (bulletin.news or bulletin.skill_builder or bulletin.upcoming_events):
        raise ApplicationError("Write the news, a skill builder or the events before sending.")
    audit_record(
        actor=actor, action="resources.bulletin_send_started", target=bulletin, summary=bulletin.title
    )

    from .tasks import deliver_bulletin

    deliver_bulletin.delay_on_commit(bulletin.pk)
    return bulletin


def bulletin_email(*, bulletin: Bulletin) -> tuple[str, str, str]:
    """Subject, plain-text body and HTML body of a bulletin (the same for every recipient)."""
    featured = list(bulletin.featured_resources.all())
    context = {
        "bulletin": bulletin,
        "featured": [(resource, absolute_url(resource.get_absolute_url())) for resource in featured],
        "archive_url": absolute_reverse("resources:bulletin_list"),
        "settings_url": absolute_reverse("mentoring:calendar_settings"),
        "news": markdown_to_text(bulletin.news),
        "skill_builder": markdown_to_text(bulletin.skill_builder),
        "upcoming_events": markdown_to_text(bulletin.upcoming_events),
        "news_html": markdown_to_html(bulletin.news),
        "skill_builder_html": markdown_to_html(bulletin.skill_builder),
        "upcoming_events_html": markdown_to_html(bulletin.upcoming_events),
        "site_name": settings.SITE_NAME,
    }
    body = render_to_string("resources/email/bulletin.txt", context)
    html = render_to_string("resources/email/bulletin.html", context)
    return bulletin.title, body, html


def bulletin_deliver(*, bulletin_id: int) -> int:
    """Send the bulletin to everyone who should have it and has not had it yet; returns how many.

    Each recipient is claimed by a delivery row (unique per bulletin and person) in the same
    transaction that queues their email, so running this twice, or again after a crash part-way,
    sends to each person once.
    """
    bulletin = Bulletin.objects.filter(pk=bulletin_id).first()
    if bulletin is None or bulletin.status == Bulletin.Status.DRAFT:
        return 0
    subject, body, html = bulletin_email(bulletin=bulletin)
    sent = 0
    pending = list(selectors.bulletin_pending_recipients(bulletin=bulletin).values_list("pk", "email"))
    for recipient_id, email in pending:
        try:
            with transaction.atomic():
                BulletinDelivery.objects.create(bulletin=bulletin, recipient_id=recipient_id)
                email_send(to=[email], subject=subject, body=body, html_body=html)
        except IntegrityError:
            continue  # another worker claimed this person first
        sent += 1
    if not selectors.bulletin_pending_recipients(bulletin=bulletin).exists():
        Bulletin.objects.filter(pk=bulletin.pk, status=Bulletin.Status.SENDING).update(
            status=Bulletin.Status.SENT, sent_at=timezone.now()
        )
    logger.info("Bulletin %s sent to %s people in this run", bulletin.pk, sent)
    return sent
