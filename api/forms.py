from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"), max_length=100,
        help_text=_("À quoi il sert, pour le reconnaître plus tard (par exemple « Tableur du financeur »)."),
        error_messages={"required": _("Donnez un nom au jeton (par exemple « Tableur du financeur »).")},
    )
