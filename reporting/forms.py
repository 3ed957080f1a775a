from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboards import periods
from participants.forms import DateInput

YES_NO_UNSAID = [("", _("Je préfère ne pas répondre")), ("yes", _("Oui")), ("no", _("Non"))]


class ReportForm(forms.Form):
    """The report's period (the dashboards' bounds and defaults: the last twelve months)."""

    start = forms.DateField(label=_("Du"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Au"), required=False, widget=DateInput())
    programme = forms.ChoiceField(label=_("Programme"), required=False, choices=())

    def __init__(self, *args: Any, programmes: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        """``programmes``: (slug, name) of those the coordinator may see; None: no choice (operator)."""
        super().__init__(*args, **kwargs)
        if programmes is None:
            del self.fields["programme"]
        else:
            self.fields["programme"].choices = [("", _("Tous les programmes")), *programmes]

    def programme_slug(self) -> str | None:
        return (self.cleaned_data.get("programme") or None) if self.is_bound and self.is_valid() else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "start" in data and "end" in data:
            for name, message in periods.period_errors(data["start"], data["end"]).items():
                self.add_error(name, message)
        return data

    def period(self) -> tuple:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return periods.period_resolve(data.get("start"), data.get("end"))


def _to_bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class TargetPublicForm(forms.Form):
    """The optional questions. Labels say "tu" (the young person) or "vous" (the parent)."""

    ase = forms.TypedChoiceField(choices=YES_NO_UNSAID, required=False, coerce=_to_bool, empty_value=None, widget=forms.RadioSelect)
    disability = forms.TypedChoiceField(choices=YES_NO_UNSAID, required=False, coerce=_to_bool, empty_value=None, widget=forms.RadioSelect)
    consent = forms.BooleanField(required=False)

    def __init__(self, *args: Any, parent: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parent:
            self.fields["ase"].label = _("Votre enfant est-il ou a-t-il été accompagné par l'aide sociale à l'enfance (ASE) ?")
            self.fields["disability"].label = _("Votre enfant est-il en situation de handicap (reconnue ou non) ?")
            self.fields["consent"].label = _("J'accepte que ces réponses soient utilisées, en chiffres globaux seulement, pour "
                                             "les rapports de l'association à ses financeurs.")
        else:
            self.fields["ase"].label = _("Es-tu ou as-tu été accompagné·e par l'aide sociale à l'enfance (ASE) ?")
            self.fields["disability"].label = _("Es-tu en situation de handicap (reconnue ou non) ?")
            self.fields["consent"].label = _("J'accepte que ces réponses soient utilisées, en chiffres globaux seulement, pour "
                                             "les rapports de l'association à ses financeurs.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        answered = data.get("ase") is not None or data.get("disability") is not None
        if answered and not data.get("consent"):
            self.add_error("consent", _("Sans cet accord, ces réponses ne peuvent pas être enregistrées."))
        return data


class MentorTrainingForm(forms.Form):
    completed_on = forms.DateField(label=_("Formation suivie le"))
    title = forms.CharField(label=_("Intitulé"), max_length=150, required=False)
