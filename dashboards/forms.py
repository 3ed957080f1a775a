from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboards.indicators import Scope
from participants.forms import DateInput


def _cohorts() -> list[tuple[str, str]]:
    today = timezone.localdate()
    first = today.year - (0 if today.month >= 9 else 1)
    return [("", _("Tous les binômes"))] + [(str(y), f"{y}–{y + 1}") for y in range(first, first - 5, -1)]


class DashboardFilterForm(forms.Form):
    start = forms.DateField(label=_("Du"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Au"), required=False, widget=DateInput())
    cohort = forms.TypedChoiceField(label=_("Année de programme (binômes commencés)"), required=False, coerce=int, empty_value=None, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = _cohorts()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("La fin de la période doit venir après son début."))
        return data

    def scope(self, association_ids: tuple[int, ...] | None) -> Scope:
        """The requested scope, or the last twelve months when the form is empty or invalid."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or (end - timedelta(days=365))
        return Scope(association_ids, start, end, data.get("cohort"))

    @staticmethod
    def default_start() -> date:
        return timezone.localdate() - timedelta(days=365)
