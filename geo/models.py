from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    region_name = models.CharField(_("région"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Commune(models.Model):
    """A commune or municipal arrondissement from INSEE's Code officiel géographique."""

    class Kind(models.TextChoices):
        COMMUNE = "COM", _("commune")
        ARRONDISSEMENT = "ARM", _("arrondissement municipal")

    code_insee = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)
    kind = models.CharField(max_length=3, choices=Kind.choices)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    postal_codes = models.CharField(_("codes postaux"), max_length=200, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # True where the source had no position and geo.coordinates estimated it from neighbours.
    coordinates_estimated = models.BooleanField(_("position estimée"), default=False)
    population = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")

    def __str__(self) -> str:
        return self.label

    @property
    def main_postal_code(self) -> str:
        return self.postal_codes.split(" ")[0] if self.postal_codes else self.departement_id

    @property
    def label(self) -> str:
        """What the user sees and types back: "Bobigny (93000)"."""
        return f"{self.name} ({self.main_postal_code})"
