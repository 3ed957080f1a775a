from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from matching.models import MatchingSettings

SETTINGS_FIELDS = [
    "weight_generational", "weight_social", "weight_goals", "weight_geography", "weight_availability",
    "ideal_age_gap", "min_age_gap", "max_age_gap", "max_distance_km", "allow_minor_mentors_for_minors", "periodic_runs",
    "proximity_first", "priority_strength", "allow_shorter_pairs",
]
WEIGHT_FIELDS = SETTINGS_FIELDS[:5]


class MatchingSettingsForm(forms.Form):
    """The association's matching settings; the service saves them (the database re-checks)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(MatchingSettings, fields=SETTINGS_FIELDS, help_texts={
            "weight_generational": _("Les poids sont relatifs : seuls leurs rapports comptent (de 0 à 10)."),
            "max_age_gap": _("Au plus 30 ans."),
            "allow_minor_mentors_for_minors": _("Par défaut, un·e mineur·e n'est accompagné·e que par un mentor majeur dont l'attestation d'honorabilité est valide."),
            "priority_strength": _("Quand les mentors manquent, qui passe en premier : « normale » sert d'abord celles et ceux qui attendent depuis longtemps ou viennent d'un QPV ou sont boursier·es ; « forte » double cette priorité ; « aucune » l'ignore. Le compte rendu de chaque appariement montre les taux obtenus par groupe."),
        }))
        for name in ("ideal_age_gap", "min_age_gap", "max_age_gap"):
            self.fields[name].validators.append(MaxValueValidator(30))
            self.fields[name].widget.attrs["max"] = 30
        self.fields["max_distance_km"].validators += [MinValueValidator(1), MaxValueValidator(500)]
        self.fields["max_distance_km"].widget.attrs.update({"min": 1, "max": 500})
        for name in WEIGHT_FIELDS:
            self.fields[name].widget.attrs.update({"step": "0.05", "min": 0, "max": 10})
        # a form posted without it (an older page still open) keeps the association's setting
        self.fields["priority_strength"].required = False

    @classmethod
    def for_settings(cls, row: MatchingSettings, data: Any = None) -> MatchingSettingsForm:
        return cls(data, initial={name: getattr(row, name) for name in SETTINGS_FIELDS})

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        weights = [data.get(name) for name in WEIGHT_FIELDS]
        if all(w is not None for w in weights) and not any(w > 0 for w in weights):
            self.add_error("weight_generational", _("Au moins un critère doit avoir un poids supérieur à zéro."))
        data["priority_strength"] = data.get("priority_strength") or self.initial.get("priority_strength") or "normal"
        low, ideal, high = data.get("min_age_gap"), data.get("ideal_age_gap"), data.get("max_age_gap")
        if None not in (low, ideal, high) and not low <= ideal <= high:
            self.add_error("ideal_age_gap", _("L'écart idéal doit être compris entre l'écart minimum et l'écart maximum."))
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison du refus"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Indiquez la raison du refus : elle évite de reproposer ce binôme.")},
    )


class BulkDecisionForm(forms.Form):
    proposals = forms.TypedMultipleChoiceField(label=_("Propositions"), coerce=int, choices=[], error_messages={"required": _("Cochez au moins une proposition.")})
    action = forms.ChoiceField(label=_("Décision"), choices=[("approve", _("Approuver")), ("reject", _("Refuser"))])
    reason = forms.CharField(label=_("Raison (pour un refus)"), required=False, max_length=1000)

    def __init__(self, *args: Any, allowed_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposals"].choices = [(pk, pk) for pk in allowed_ids]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Indiquez la raison du refus : elle évite de reproposer ces binômes."))
        return data
