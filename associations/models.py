from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo.models import Commune, Departement

# Bounds an association may widen its sign-up ages to; outside them the platform refuses.
MENTEE_AGE_FLOOR, MENTEE_AGE_CEILING = 8, 35
MENTOR_AGE_FLOOR, MENTOR_AGE_CEILING = 14, 80


class Association(models.Model):
    """The tenant: everything a coordinator sees belongs to one association."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente d'approbation")
        ACTIVE = "active", _("active")
        REFUSED = "refused", _("refusée")
        SUSPENDED = "suspended", _("suspendue")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("adresse courte"), max_length=80, unique=True)
    rna_number = models.CharField(_("numéro RNA"), max_length=10, blank=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    address_commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune du siège")
    )
    departements = models.ManyToManyField(
        Departement, related_name="associations", verbose_name=_("départements couverts")
    )
    contact_name = models.CharField(_("nom du ou de la coordinateur·rice"), max_length=150)
    contact_email = models.EmailField(_("e-mail du ou de la coordinateur·rice"))
    description = models.TextField(_("présentation"), max_length=3000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    refusal_reason = models.TextField(blank=True)

    # Programme settings.
    programme_duration_months = models.PositiveSmallIntegerField(_("durée du programme (mois)"), default=6)
    mentee_min_age = models.PositiveSmallIntegerField(_("âge minimum des mentoré·es"), default=11)
    mentee_max_age = models.PositiveSmallIntegerField(_("âge maximum des mentoré·es"), default=30)
    mentor_min_age = models.PositiveSmallIntegerField(_("âge minimum des mentors"), default=15)
    mentor_max_age = models.PositiveSmallIntegerField(_("âge maximum des mentors"), default=40)
    # The new coordinator's checklist (associations.selectors.coordinator_checklist): when the
    # programme settings were first saved, when the sign-up link was first copied or shared.
    settings_reviewed_at = models.DateTimeField(null=True, blank=True)
    signup_link_shared_at = models.DateTimeField(null=True, blank=True)
    hold_flagged_messages = models.BooleanField(
        _("retenir les messages contenant des coordonnées jusqu'à leur relecture"), default=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("association")
        constraints = [
            models.CheckConstraint(
                condition=~Q(rna_number="") | ~Q(siren=""), name="association_has_rna_or_siren"
            ),
            models.UniqueConstraint(
                fields=["rna_number"], condition=~Q(rna_number=""), name="association_rna_unique"
            ),
            models.UniqueConstraint(fields=["siren"], condition=~Q(siren=""), name="association_siren_unique"),
            models.CheckConstraint(
                condition=Q(programme_duration_months__gte=1, programme_duration_months__lte=36),
                name="association_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    mentee_min_age__gte=MENTEE_AGE_FLOOR,
                    mentee_max_age__lte=MENTEE_AGE_CEILING,
                    mentee_min_age__lte=models.F("mentee_max_age"),
                ),
                name="association_mentee_age_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    mentor_min_age__gte=MENTOR_AGE_FLOOR,
                    mentor_max_age__lte=MENTOR_AGE_CEILING,
                    mentor_min_age__lte=models.F("mentor_max_age"),
                ),
                name="association_mentor_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def registration_number(self) -> str:
        return self.rna_number or self.siren


class Membership(models.Model):
    """Ties a user to an association with a role and dates.

    One person may hold several memberships over time: mentee in 2025 and mentor in 2027 (the
    cascade). At most one *current* membership per (user, association, role).
    """

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinateur·rice")
        MENTOR = "mentor", _("mentor")
        MENTEE = "mentee", _("mentoré·e")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "association", "role"],
                condition=Q(ended_at__isnull=True),
                name="membership_one_current_per_role",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="membership_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["association", "role"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.association}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _default_expiry():
    return timezone.now() + timedelta(days=14)


class CoordinatorInvitation(models.Model):
    """An e-mailed invitation to coordinate an association; the token is the only secret."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse e-mail"))
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.association}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()
