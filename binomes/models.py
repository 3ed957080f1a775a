from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Association
from participants.models import Participant


class Binome(models.Model):
    """A mentor–mentee pair approved by a coordinator.

    A mentee has at most one *open* (active or suspended) binôme: a partial unique index. A mentor
    has at most ``capacity`` open binômes: checked under a row lock on the mentor's participant row
    in ``matching.services.proposal_approve`` (a count cannot be a CHECK constraint).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("actif")
        SUSPENDED = "suspended", _("suspendu")
        COMPLETED = "completed", _("terminé")
        ENDED_EARLY = "ended_early", _("arrêté avant la fin")

    OPEN_STATUSES = (Status.ACTIVE, Status.SUSPENDED)

    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="binomes")
    mentor = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="binomes_as_mentor")
    mentee = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="binomes_as_mentee")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField(_("début"), default=timezone.localdate)
    planned_end_on = models.DateField(_("fin prévue"))
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    end_reason = models.TextField(_("raison de la fin"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"], condition=Q(status__in=["active", "suspended"]), name="binome_one_open_per_mentee"
            ),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="binome_two_people"),
            models.CheckConstraint(condition=Q(planned_end_on__gt=models.F("started_on")), name="binome_end_after_start"),
            models.CheckConstraint(
                condition=Q(status__in=["active", "suspended"], ended_on__isnull=True)
                | Q(status__in=["completed", "ended_early"], ended_on__isnull=False),
                name="binome_closed_has_end_date",
            ),
        ]
        indexes = [models.Index(fields=["association", "status"]), models.Index(fields=["mentor", "status"])]

    def __str__(self) -> str:
        return f"{self.mentor} ↔ {self.mentee}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
