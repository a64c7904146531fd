from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only.")

    def delete(self):
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """An append-only record of a sensitive action: who did what to which object, and when."""

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    summary = models.CharField(max_length=255, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")

    @property
    def action_label(self) -> str:
        """The action in words: "account.login" is "Signed in"."""
        from .audit import action_label

        return action_label(self.action)

    @property
    def target_label(self) -> str:
        """What was acted on, in words: "Relationship 12" rather than "mentoring.relationship 12"."""
        if not self.target_type:
            return ""
        from django.apps import apps

        try:
            name = apps.get_model(self.target_type)._meta.verbose_name
        except (LookupError, ValueError):
            name = self.target_type.rpartition(".")[2].replace("_", " ")
        return f"{str(name).capitalize()} {self.target_id}".strip()


class OutgoingEmail(models.Model):
    """One email waiting to leave, recorded in the same transaction as the change that caused it.

    A task sends it once the transaction commits; if that task is lost (a worker killed, a broker
    restarted with nothing on disk), the periodic flush sends it instead. Sending claims the row by a
    conditional UPDATE, so two workers never send the same message.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Could not be sent"

    message = models.JSONField(help_text="The rendered message: subject, body, recipients, attachments.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "created_at"], name="outgoing_email_due")]

    def __str__(self):
        return f"{self.get_status_display()}: {self.message.get('subject', '')}"
