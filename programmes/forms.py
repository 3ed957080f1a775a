"""Forms of the programme pages (coordinators: "vous")."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.models import Cohort, Programme
from programmes.services import PROGRAMME_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = PROGRAMME_FIELDS
        widgets = {
            "opens_on": DateInput(), "closes_on": DateInput(), "starts_on": DateInput(), "ends_on": DateInput(),
            "intake": forms.RadioSelect, "charter": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "slug": _("Elle apparaît dans le lien d'inscription (lettres, chiffres et tirets). Laissez vide pour la créer à partir du nom."),
            "opens_on": _("Seulement pour des inscriptions entre deux dates."),
            "closes_on": _("Seulement pour des inscriptions entre deux dates."),
            "charter": _("Les engagements des binômes, montrés à l'inscription."),
        }

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean(self) -> dict:
        data = super().clean()
        if data.get("intake") == Programme.Intake.DATES:
            for name in ("opens_on", "closes_on"):
                if not data.get(name):
                    self.add_error(name, _("Indiquez les dates d'inscription, ou choisissez « au fil de l'eau »."))
        return data

    def _post_clean(self) -> None:
        """The model's checks run in the service (with the same French messages)."""


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ("name", "starts_on")
        widgets = {"starts_on": DateInput()}
        help_texts = {"name": _("Par exemple « Septembre 2026 ».")}

    def _post_clean(self) -> None:
        """Uniqueness is checked by the service."""
