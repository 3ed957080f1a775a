from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Association
from participants.models import Participant


class RetentionSetting(models.Model):
    """An association's shorter period for a category that allows one (``privacy.retention``):
    never longer than the platform's schedule (checked by the service and bounded here)."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="retention_settings")
    category = models.CharField(max_length=20)
    months = models.PositiveSmallIntegerField(_("durée de conservation (mois)"))
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association", "category"], name="retention_setting_once"),
            models.CheckConstraint(condition=Q(months__gte=1, months__lte=120), name="retention_setting_months_range"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.months} mois"


class Anonymisation(models.Model):
    """A participant whose identity was removed (retention or erasure): the marker that makes the
    nightly job idempotent, and what the partner's view relies on."""

    class Reason(models.TextChoices):
        RETENTION = "retention", _("durée de conservation écoulée")
        ERASURE = "erasure", _("demande d'effacement")

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="anonymisation")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.participant_id} ({self.reason})"


class ErasureRequest(models.Model):
    """A person (or the parent of an under-15) asks for erasure; a coordinator confirms it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        CONFIRMED = "confirmed", _("effectuée")
        REFUSED = "refused", _("refusée")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="erasure_requests")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    requested_by_parent = models.BooleanField(default=False)
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    refusal_reason = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["participant"], condition=Q(status="pending"), name="erasure_one_pending_per_participant"),
            models.CheckConstraint(condition=Q(status="pending") | Q(decided_at__isnull=False), name="erasure_decided_has_date"),
            models.CheckConstraint(condition=~Q(status="refused") | ~Q(refusal_reason=""), name="erasure_refusal_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Effacement {self.participant_id} ({self.status})"


class PrivacyLog(models.Model):
    """Every export, erasure request and decision, and every retention run: who, when, what.

    The subject is kept as a participant id (not a name): the log outlives an erasure."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("export des données")
        ERASURE_REQUESTED = "erasure_requested", _("effacement demandé")
        ERASURE_CONFIRMED = "erasure_confirmed", _("effacement effectué")
        ERASURE_REFUSED = "erasure_refused", _("effacement refusé")
        RETENTION = "retention", _("purge de conservation")
        NOTICE_ACCEPTED = "notice_accepted", _("notice acceptée")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    association = models.ForeignKey(Association, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    participant_id_ref = models.BigIntegerField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at:%Y-%m-%d %H:%M}"
