"""The closing interview form (coordinators only): one per member, two on the closing page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from associations.models import Association
from associations.selectors import coordinator_list
from binomes.models import ClosingInterview
from mentorat.forms import PrefixedIdsMixin


class ClosingInterviewForm(PrefixedIdsMixin, forms.Form):
    held_on = forms.DateField(label=_("Date de l'entretien"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    held_by = forms.TypedChoiceField(label=_("Mené par"), coerce=int)
    reason = forms.ChoiceField(label=_("Raison principale de la fin"), choices=ClosingInterview.Reason.choices,
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note (réservée à l'équipe)"), required=False, max_length=3000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Les membres du binôme ne voient jamais cette note."))

    def __init__(self, *args: Any, association: Association, role: str, **kwargs: Any) -> None:
        self.id_prefix = f"closing_{role}"
        kwargs.setdefault("prefix", role)
        super().__init__(*args, **kwargs)
        self.role = role
        self.coordinators = {m.user_id: m.user for m in coordinator_list(association=association)}
        self.fields["held_by"].choices = [(pk, user.get_full_name() or user.email) for pk, user in self.coordinators.items()]
        self.fields["held_on"].initial = timezone.localdate()

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"role": self.role, "held_on": d["held_on"], "held_by": self.coordinators[d["held_by"]], "reason": d["reason"],
                "note": d["note"]}
