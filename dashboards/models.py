from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from associations.models import Association


class ExportLog(models.Model):
    """Every export: who downloaded what, when (exports leave the platform)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    association = models.ForeignKey(Association, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20)  # indicators | binomes
    parameters = models.JSONField(default=dict)
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id} at {self.created_at:%Y-%m-%d %H:%M}"
