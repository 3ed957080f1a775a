from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboards import periods
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
        if "start" in data and "end" in data:  # both read (an unreadable date has its own error)
            for name, message in periods.period_errors(data["start"], data["end"]).items():
                self.add_error(name, message)
        return data

    def scope(self, association_ids: tuple[int, ...] | None, programme_id: int | None = None) -> Scope:
        """The requested scope (of one programme when ``programme_id`` is given: the page's
        programme selector, ``programmes.picker``), or the last twelve months when the form is
        empty or invalid (the page then shows the form's errors above the default figures)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start, end = periods.period_resolve(data.get("start"), data.get("end"))
        return Scope(association_ids, start, end, data.get("cohort"), programme_id)

    @staticmethod
    def default_start() -> date:
        return timezone.localdate() - timedelta(days=periods.DEFAULT_DAYS)
