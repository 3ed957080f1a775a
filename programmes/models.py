from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import (
    MENTEE_AGE_CEILING,
    MENTEE_AGE_FLOOR,
    MENTOR_AGE_CEILING,
    MENTOR_AGE_FLOOR,
    Association,
)

# The slug of the programme every association gets when it is created (and that the migration
# gave the associations that existed before programmes): the association's own sign-up link
# leads to it.
DEFAULT_SLUG = "principal"


class Programme(models.Model):
    """One of an association's programmes: its own sign-up page, intake, duration and age bounds.

    Every participant belongs to exactly one programme of their association. Each association has
    exactly one default programme (``is_default``), created with it.
    """

    class Intake(models.TextChoices):
        ROLLING = "rolling", _("au fil de l'eau")
        DATES = "dates", _("entre deux dates")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="programmes")
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("adresse courte"), max_length=80)
    is_default = models.BooleanField(_("programme par défaut"), default=False, editable=False)
    signup_open = models.BooleanField(_("inscriptions ouvertes"), default=True)
    intake = models.CharField(_("inscriptions"), max_length=8, choices=Intake.choices, default=Intake.ROLLING)
    opens_on = models.DateField(_("inscriptions ouvertes à partir du"), null=True, blank=True)
    closes_on = models.DateField(_("inscriptions closes après le"), null=True, blank=True)
    starts_on = models.DateField(_("début du programme"), null=True, blank=True)
    ends_on = models.DateField(_("fin du programme"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(_("durée d'un binôme (mois)"), default=6)
    mentee_min_age = models.PositiveSmallIntegerField(_("âge minimum des mentoré·es"), default=11)
    mentee_max_age = models.PositiveSmallIntegerField(_("âge maximum des mentoré·es"), default=30)
    mentor_min_age = models.PositiveSmallIntegerField(_("âge minimum des mentors"), default=15)
    mentor_max_age = models.PositiveSmallIntegerField(_("âge maximum des mentors"), default=40)
    charter = models.TextField(_("charte"), max_length=10000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_default", "name", "pk"]
        verbose_name = _("programme")
        constraints = [
            models.UniqueConstraint(fields=["association", "slug"], name="programme_slug_unique_per_association"),
            models.UniqueConstraint(fields=["association", "name"], name="programme_name_unique_per_association"),
            # Exactly one default per association: "at most one" here, "at least one" by
            # programmes.services.programme_create_default, called when the association is created.
            models.UniqueConstraint(fields=["association"], condition=Q(is_default=True), name="programme_one_default_per_association"),
            models.CheckConstraint(
                # NULL compares as unknown, which a CHECK accepts: say "not null" explicitly.
                condition=(Q(intake="rolling") & Q(opens_on__isnull=True) & Q(closes_on__isnull=True))
                | (Q(intake="dates") & Q(opens_on__isnull=False) & Q(closes_on__isnull=False) & Q(opens_on__lte=models.F("closes_on"))),
                name="programme_intake_dates",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(starts_on__lt=models.F("ends_on")),
                name="programme_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(duration_months__gte=1, duration_months__lte=36), name="programme_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    mentee_min_age__gte=MENTEE_AGE_FLOOR,
                    mentee_max_age__lte=MENTEE_AGE_CEILING,
                    mentee_min_age__lte=models.F("mentee_max_age"),
                ),
                name="programme_mentee_age_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    mentor_min_age__gte=MENTOR_AGE_FLOOR,
                    mentor_max_age__lte=MENTOR_AGE_CEILING,
                    mentor_min_age__lte=models.F("mentor_max_age"),
                ),
                name="programme_mentor_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """A programme's intake (e.g. "Septembre 2026"): the participants who start together."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("nom"), max_length=100)
    starts_on = models.DateField(_("début"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "-starts_on", "pk"]
        verbose_name = _("cohorte")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique_per_programme"),
            models.UniqueConstraint(fields=["programme", "starts_on"], name="cohort_start_unique_per_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.programme}"
