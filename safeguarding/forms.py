from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RefuseTextForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison du refus (transmise à l'auteur·rice)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Indiquez la raison du refus : elle est transmise à l'auteur·rice du texte.")},
    )
