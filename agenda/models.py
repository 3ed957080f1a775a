from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Association
from binomes.models import Binome, Meeting


class Place(models.Model):
    """A public place the association suggests for meetings (first meetings of minors above all):
    a médiathèque, an MJC, a CDI… Listed by the coordinators, never a private address."""

    class Kind(models.TextChoices):
        LIBRARY = "library", _("Médiathèque, bibliothèque")
        YOUTH_CENTRE = "youth_centre", _("MJC, centre social, maison de quartier")
        SCHOOL = "school", _("CDI, établissement scolaire")
        ASSOCIATION = "association", _("Locaux de l'association")
        OTHER = "other", _("Autre lieu public")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="meeting_places")
    name = models.CharField(_("nom du lieu"), max_length=120)
    kind = models.CharField(_("type de lieu"), max_length=14, choices=Kind.choices, default=Kind.LIBRARY)
    address = models.CharField(_("adresse"), max_length=250)
    active = models.BooleanField(_("proposé aux binômes"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="place_name_once_per_association"),
            models.CheckConstraint(condition=~Q(name="") & ~Q(address=""), name="place_has_name_and_address"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.address})"


class PlannedMeeting(models.Model):
    """A meeting planned ahead: proposed by a member (or a coordinator), accepted by the two members.

    ``uid`` is the calendar event's stable identity; every change that the calendars must see
    (a new time, an acceptance, a cancellation) raises ``sequence`` (RFC 5545 SEQUENCE), so the
    invitation e-mailed last replaces the earlier ones in the members' calendars.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposé")
        ACCEPTED = "accepted", _("confirmé")
        CANCELLED = "cancelled", _("annulé")
        HELD = "held", _("a eu lieu")
        NOT_HELD = "not_held", _("n'a pas eu lieu")

    Format = Meeting.Format
    MIN_MINUTES, MAX_MINUTES = 15, 300

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    binome = models.ForeignKey(Binome, on_delete=models.CASCADE, related_name="planned_meetings")
    # The binôme's association, repeated for the scoping of coordinators' queries and retention.
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    starts_at = models.DateTimeField(_("date et heure"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=60)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)  # noqa: A003
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("lieu proposé par l'association"))
    place_text = models.CharField(_("autre lieu public"), max_length=200, blank=True)
    topic = models.CharField(_("sujet"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    mentor_accepted = models.BooleanField(default=False)
    mentee_accepted = models.BooleanField(default=False)
    sequence = models.PositiveIntegerField(default=0)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    meeting = models.OneToOneField(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="planned")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"]), models.Index(fields=["binome", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=15, duration_minutes__lte=300),
                                   name="planned_meeting_duration_range"),
            # Accepted means both members said yes; a proposal misses at least one yes.
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(mentor_accepted=True, mentee_accepted=True),
                name="planned_meeting_accepted_by_both",
            ),
            models.CheckConstraint(
                condition=~Q(status="proposed") | Q(mentor_accepted=False) | Q(mentee_accepted=False),
                name="planned_meeting_proposal_awaits_someone",
            ),
            # In person: somewhere (a listed place or a public place named); remote: nowhere.
            models.CheckConstraint(
                condition=(Q(format="in_person") & (Q(place__isnull=False) | ~Q(place_text="")))
                | (Q(format="remote") & Q(place__isnull=True) & Q(place_text="")),
                name="planned_meeting_place_matches_format",
            ),
            models.CheckConstraint(condition=Q(meeting__isnull=True) | Q(status="held"), name="planned_meeting_log_only_if_held"),
        ]

    def __str__(self) -> str:
        return f"Rendez-vous du {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def where(self) -> str:
        if self.format == self.Format.REMOTE:
            return str(_("À distance"))
        if self.place_id:
            return str(self.place)
        return self.place_text

    def accepted_by(self, role: str) -> bool:
        return self.mentor_accepted if role == "mentor" else self.mentee_accepted


class CalendarFeed(models.Model):
    """A member's personal calendar subscription: a secret URL (only its SHA-256 is stored),
    revocable; a new one replaces the old."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True), name="calendar_feed_one_live_per_user"),
        ]

    def __str__(self) -> str:
        return f"Agenda de {self.user_id}"
