"""What the funder report needs beyond the profile.

``TargetPublic`` holds the two *sensitive* target-public answers funders ask about (child welfare
"ASE", disability). They live apart from ``Participant`` on purpose: nothing that shows a person
(the coordinator's list and page, the CSV exports, the API, the admin) reads this table; only
``reporting.figures`` counts it, in aggregates with small numbers suppressed. They are optional,
asked on their own page (never in the sign-up), and held only under a standing ``Consent`` of kind
``funder`` given for that purpose (by a parent under 15): withdrawing it erases the answers.

``MentorTraining`` records that a mentor followed the association's training: the platform had no
such record and funders count "mentors recruited and trained".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import Consent, Participant


class TargetPublic(models.Model):
    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="target_public")
    # None: not answered (or "I'd rather not say"); the report counts only True.
    ase = models.BooleanField(_("accompagné·e par l'aide sociale à l'enfance (ASE)"), null=True, blank=True)
    disability = models.BooleanField(_("en situation de handicap"), null=True, blank=True)
    consent = models.OneToOneField(Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="target_public")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # A sensitive answer exists only with the consent it was given under.
            models.CheckConstraint(
                condition=(Q(ase__isnull=True) & Q(disability__isnull=True)) | Q(consent__isnull=False),
                name="target_public_answers_need_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"TargetPublic({self.participant_id})"  # never the answers


class MentorTraining(models.Model):
    """One training a mentor completed (the association's own session: date and title only)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="trainings")
    completed_on = models.DateField(_("formation suivie le"))
    title = models.CharField(_("formation"), max_length=150, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on"]
        indexes = [models.Index(fields=["participant", "completed_on"])]

    def __str__(self) -> str:
        return f"Formation {self.participant_id} {self.completed_on:%d/%m/%Y}"
