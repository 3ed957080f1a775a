from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from binomes.health import LABELS as HEALTH_LABELS
from binomes.models import Binome, CheckIn, EndSurvey, Meeting, Message
from mentorat.forms import PrefixedIdsMixin
from participants.forms import DateInput


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Ton message"), max_length=Message.MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Le message est vide.")},
    )


class ReportForm(PrefixedIdsMixin, forms.Form):
    id_prefix = "report"

    reason = forms.CharField(
        label=_("Ce qui ne va pas"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Dis-nous en quelques mots ce qui ne va pas.")},
    )


class MeetingForm(forms.Form):
    happened_on = forms.DateField(label=_("Date de la rencontre"), widget=DateInput())
    duration_minutes = forms.IntegerField(label=_("Durée (minutes)"), min_value=5, max_value=600, initial=60)
    format = forms.ChoiceField(label=_("Format"), choices=Meeting.Format.choices, widget=forms.RadioSelect)
    topics = forms.MultipleChoiceField(label=_("Sujets abordés"), choices=Meeting.Topic.choices, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Note (facultatif)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CheckInForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Comment ça se passe ?"), coerce=int, choices=CheckIn.Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Un mot à ajouter ? (facultatif)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


SCALE_5 = [(i, str(i)) for i in range(1, 6)]
SCALE_10 = [(i, str(i)) for i in range(0, 11)]


class EndSurveyForm(forms.Form):
    satisfaction = forms.TypedChoiceField(label=_("Es-tu satisfait·e de ce mentorat ? (1 = pas du tout, 5 = tout à fait)"), coerce=int, choices=SCALE_5, widget=forms.RadioSelect)
    would_recommend = forms.TypedChoiceField(label=_("Recommanderais-tu le mentorat à un·e ami·e ? (0 = non, 10 = sans hésiter)"), coerce=int, choices=SCALE_10, widget=forms.RadioSelect)
    confidence_before = forms.TypedChoiceField(label=_("Ta confiance en toi au début (1 à 5)"), coerce=int, choices=SCALE_5, widget=forms.RadioSelect)
    confidence_now = forms.TypedChoiceField(label=_("Ta confiance en toi aujourd'hui (1 à 5)"), coerce=int, choices=SCALE_5, widget=forms.RadioSelect)
    brought = forms.MultipleChoiceField(label=_("Ce que le mentorat t'a apporté"), required=False, choices=EndSurvey.Brought.choices, widget=forms.CheckboxSelectMultiple)
    wish_to_continue = forms.TypedChoiceField(label=_("Veux-tu continuer avec ton binôme ?"), coerce=lambda v: v == "yes",
                                              choices=[("yes", _("Oui")), ("no", _("Non"))], widget=forms.RadioSelect)
    wish_to_become_mentor = forms.TypedChoiceField(label=_("Aimerais-tu devenir mentor à ton tour, plus tard ?"), coerce=lambda v: v == "yes",
                                                   choices=[("yes", _("Oui")), ("no", _("Non"))], widget=forms.RadioSelect)

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if role == "mentor":
            for name in ("confidence_before", "confidence_now", "brought", "wish_to_become_mentor"):
                del self.fields[name]


class EndEarlyForm(PrefixedIdsMixin, forms.Form):
    id_prefix = "end"

    reason_code = forms.ChoiceField(label=_("Pourquoi arrêter ?"), choices=[("", "—"), *Binome.EndReason.choices],
                                    error_messages={"required": _("Choisissez une raison dans la liste.")})
    reason = forms.CharField(label=_("Précisions"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class SuspendForm(PrefixedIdsMixin, forms.Form):
    id_prefix = "suspend"

    reason = forms.CharField(label=_("Raison de la suspension"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Indiquez la raison de la suspension.")})


class HandleReportForm(PrefixedIdsMixin, forms.Form):
    id_prefix = "handle"

    outcome = forms.CharField(label=_("Ce qui a été fait"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": _("Notez ce qui a été fait.")})


class BinomeFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), required=False, choices=[("", _("Tous")), *Binome.Status.choices])
    health = forms.ChoiceField(label=_("Santé"), required=False, choices=[("", _("Toutes")), *HEALTH_LABELS.items()])
    reported = forms.BooleanField(label=_("Avec un signalement ouvert"), required=False)
    q = forms.CharField(label=_("Recherche"), required=False, max_length=100)
