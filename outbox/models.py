"""The outbox: every side effect that leaves the database (an e-mail, a task for the workers) is a
row written in the same transaction as the state change that calls for it, so that a commit
always has its side effects recorded and a rollback has none.

- ``OutboxMessage``: "this task must run once the transaction commits". ``key`` names the event
  (given by the caller when the event is natural, e.g. one introduction per binôme, so that
  emitting it twice records it once; else random).
- ``Delivery``: one e-mail to one recipient for one message. Its unique (message, recipient) pair
  is what makes each e-mail leave at most once, however often the relay runs the message.
- ``Heartbeat``: the last time a periodic job ran on a worker (read by ``/sante/``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("abandonné")

    key = models.CharField(_("événement"), max_length=200, unique=True)
    task = models.CharField(_("tâche"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    # Null: due now. Set to a lease while a relay works on the row, then to the next retry.
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("envoi différé")
        verbose_name_plural = _("envois différés")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The relay's and /sante/'s only query on the hot path: what is still pending.
            models.Index(fields=["next_attempt_at", "id"], name="outbox_pending_idx", condition=Q(status="pending")),
            models.Index(fields=["status", "created_at"], name="outbox_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sent", "failed"]), name="outbox_status_valid"
            ),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outbox_sent_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.task}({', '.join(map(str, self.args))}) [{self.get_status_display()}]"


class Delivery(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.CharField(_("destinataire"), max_length=254)
    template = models.CharField(_("modèle"), max_length=100)
    claimed_at = models.DateTimeField(_("pris le"), auto_now_add=True)
    # Null while the e-mail is being handed to the mail server; a row left null by a crash is
    # never retried (at most once) and is listed as interrupted.
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail envoyé")
        verbose_name_plural = _("e-mails envoyés")
        constraints = [
            models.UniqueConstraint(fields=["message", "recipient", "template"], name="outbox_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient}"


class Heartbeat(models.Model):
    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
