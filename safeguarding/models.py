"""The review of a text one member wrote for another in which contact details were detected.

One row per flagged text: a message, a profile text the partner reads (``goals_text``,
``path_text``) or a meeting note. While the review is *pending* and the text *held* (the
association's ``hold_flagged_messages``, same meaning for every text), the other member sees a
placeholder; a coordinator *releases* it (shown) or *refuses* it with a reason (never shown to the
partner). A pending review of a profile text is *superseded* when its author writes a new one.

The database holds the invariants: a review is of a flagged text, points at exactly the object its
kind names, is decided (who, when) exactly when released or refused, a refusal has a reason, and a
profile text has at most one pending review per field.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Association
from binomes.models import Meeting, Message
from participants.models import Participant


class TextReview(models.Model):
    class Kind(models.TextChoices):
        MESSAGE = "message", _("message")
        GOALS_TEXT = "goals_text", _("objectifs (profil)")
        PATH_TEXT = "path_text", _("parcours (profil)")
        MEETING_NOTE = "meeting_note", _("note de rencontre")

    class Status(models.TextChoices):
        PENDING = "pending", _("à relire")
        RELEASED = "released", _("transmis")
        REFUSED = "refused", _("refusé")
        SUPERSEDED = "superseded", _("remplacé par un nouveau texte")

    PROFILE_KINDS = (Kind.GOALS_TEXT, Kind.PATH_TEXT)
    DECIDED = (Status.RELEASED, Status.REFUSED)

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="text_reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    message = models.OneToOneField(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="review")
    meeting = models.OneToOneField(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="review")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="text_reviews")
    text = models.TextField()  # the text as screened (a profile text may change afterwards)
    flag_kinds = models.JSONField(default=list)
    reasons = models.JSONField(default=list)  # the detector's French reasons, for the author and the team
    held = models.BooleanField()  # the association held flagged texts when this one was written
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    refusal_reason = models.TextField(blank=True, max_length=1000)
    coordinators_told_at = models.DateTimeField(null=True, blank=True)  # claimed by the alert task
    author_told_at = models.DateTimeField(null=True, blank=True)  # claimed by the decision task

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["association", "status"])]
        constraints = [
            models.CheckConstraint(condition=~Q(flag_kinds=[]), name="text_review_is_of_a_flagged_text"),
            models.CheckConstraint(
                condition=Q(kind="message", message__isnull=False, meeting__isnull=True, participant__isnull=True)
                | Q(kind="meeting_note", message__isnull=True, meeting__isnull=False, participant__isnull=True)
                | Q(kind__in=["goals_text", "path_text"], message__isnull=True, meeting__isnull=True, participant__isnull=False),
                name="text_review_target_matches_kind",
            ),
            # Released and refused exclude each other by being one status; both are decisions.
            models.CheckConstraint(
                condition=Q(status__in=["released", "refused"], decided_at__isnull=False)
                | Q(status__in=["pending", "superseded"], decided_at__isnull=True),
                name="text_review_decided_when_released_or_refused",
            ),
            models.CheckConstraint(condition=~Q(status="refused") | ~Q(refusal_reason=""), name="text_review_refusal_has_reason"),
            models.UniqueConstraint(
                fields=["participant", "kind"], condition=Q(status="pending"), name="text_review_one_pending_per_profile_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def hides_text(self) -> bool:
        """Whether the other member is shown a placeholder instead of the text."""
        return self.status == self.Status.REFUSED or (self.status == self.Status.PENDING and self.held)
