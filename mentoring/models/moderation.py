from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .relationships import Relationship


class HeldTextQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=HeldText.Status.HELD)


class HeldText(models.Model):
    """Text one side of a pair wrote for the other that seems to contain contact details, held for a
    coordinator or safeguarding lead to check, as messages are. Until it is released the other side
    sees nothing of it: a new goal, progress note or meeting request is only made on release, and the
    held fields of an existing record (a session log's notes for the mentee) stay empty until then.
    Returned for editing, it waits for its writer to change it: sent again without contact details it
    takes effect at once; still with them, it is held for a check again."""

    class Status(models.TextChoices):
        HELD = "held", "Waiting for a check"
        RELEASED = "released", "Released"
        DECLINED = "declined", "Not shown"
        RETURNED = "returned", "Returned for editing"

    class Kind(models.TextChoices):
        GOAL = "goal", "A new goal"
        GOAL_PROGRESS = "goal_progress", "A goal progress note"
        FIELDS = "fields", "Notes on a record"
        MEETING_REQUEST = "meeting_request", "A request to meet elsewhere"

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="held_texts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The existing record whose fields are held (FIELDS), or the record a new one belongs to.
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    texts = models.JSONField(help_text="The held text, by field name.")
    data = models.JSONField(default=dict, blank=True, help_text="The rest of what is made on release.")
    hold_reason = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    decline_reason = models.CharField(
        max_length=500,
        blank=True,
        help_text="Shown to the writer: why it is not shown, or what to change when returned for editing.",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HeldTextQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "relationship"])]

    def __str__(self):
        return f"{self.get_kind_display()} held for a check"

    @property
    def text(self) -> str:
        """The held text as one passage, for reviewers."""
        return "\n".join(str(value) for value in self.texts.values() if value)
