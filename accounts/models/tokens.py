"""API keys: several per person, each with an expiry, revocable by its owner and by staff.

Only a digest of the key is stored; the key itself is shown once, when it is created."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def api_token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, *, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the key is for, so you can recognise it later.")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the key, shown in lists so a person can tell their keys apart.
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="api_token_expires_after_creation"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def state_label(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        if self.is_expired:
            return "Expired"
        return "Active"
