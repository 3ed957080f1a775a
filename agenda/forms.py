from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda.models import Place, PlannedMeeting


class PlannedMeetingForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Heure"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=PlannedMeeting.MIN_MINUTES,
                                          max_value=PlannedMeeting.MAX_MINUTES, initial=60)
    format = forms.ChoiceField(label=_("Format"), choices=PlannedMeeting.Format.choices, widget=forms.RadioSelect,
                               initial=PlannedMeeting.Format.IN_PERSON)
    place = forms.ModelChoiceField(label=_("Lieu public proposé par l'association"), queryset=Place.objects.none(), required=False,
                                   empty_label=_("— choisir un lieu —"))
    place_text = forms.CharField(label=_("Ou un autre lieu public (médiathèque, café…)"), max_length=200, required=False,
                                 help_text=_("Jamais une adresse personnelle ni un numéro de téléphone."))
    topic = forms.CharField(label=_("Sujet (facultatif)"), max_length=200, required=False)

    def __init__(self, *args: Any, places: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places if places is not None else Place.objects.none()

    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"]))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"starts_at": self.starts_at(), "duration_minutes": data["duration_minutes"], "format": data["format"],
                "place": data["place"], "place_text": data["place_text"], "topic": data["topic"]}


class OutcomeForm(forms.Form):
    took_place = forms.TypedChoiceField(coerce=lambda v: v == "yes", choices=[("yes", _("Oui")), ("no", _("Non"))])


class PlaceForm(forms.ModelForm):
    class Meta:
        model = Place
        fields = ["name", "kind", "address"]
