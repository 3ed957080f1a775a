from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from imports import columns, reader


class UploadForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None, empty_label=None, required=False,
                                       help_text=_("Les personnes du fichier rejoignent ce programme."))
    file = forms.FileField(
        label=_("Fichier à importer"),
        help_text=_("CSV (séparateur ; ou ,) ou XLSX, 10 Mo au plus. La première ligne donne le nom des colonnes ; "
                    "une ligne par personne. Pour un binôme en cours, indiquez sur la ligne du ou de la mentoré·e le courriel de son mentor."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def __init__(self, *args: Any, programmes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        default = next((p for p in programmes if p.is_default), None)
        if default is not None:
            self.fields["programme"].initial = default.pk

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > reader.MAX_BYTES:
            raise ValidationError(_("Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers."))
        return upload


COLUMN_CHOICES = [("", _("— Ne pas importer —")), *[(c.name, c.label) for c in columns.COLUMNS]]


class MappingForm(forms.Form):
    """One choice per column of the file: which information it holds."""

    def __init__(self, *args: Any, headers: list[str], mapping: list[str], samples: list[list[str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        for index, header in enumerate(headers):
            seen = [row[index] for row in (samples or []) if index < len(row) and row[index]][:3]
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or _("(colonne %(n)s sans titre)") % {"n": index + 1}, choices=COLUMN_CHOICES, required=False,
                initial=mapping[index] if index < len(mapping) else "",
                help_text=_("Exemples : %(values)s") % {"values": " · ".join(seen)} if seen else "",
            )

    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"col_{i}", "") for i in range(len(self.headers))]


class ConfirmForm(forms.Form):
    skip = forms.TypedMultipleChoiceField(label=_("Lignes à ignorer"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, error_rows: list[dict], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skip"].choices = [(row["line"], _("Ignorer la ligne %(line)s") % {"line": row["line"]}) for row in error_rows]


class InvitationForm(forms.Form):
    password1 = forms.CharField(label=_("Choisis ton mot de passe"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("Au moins 10 caractères, ni trop courant, ni seulement des chiffres, ni proche de ton nom."))
    password2 = forms.CharField(label=_("Confirme le mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    privacy_accepted = forms.BooleanField(
        label=_("J'ai lu la politique de confidentialité et j'accepte que mes informations servent au mentorat."),
        error_messages={"required": _("Tu dois accepter la politique de confidentialité pour continuer.")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class InvitationAnswerForm(forms.Form):
    """The invitation's answer once logged in (the password was chosen with "mot de passe oublié")."""

    privacy_accepted = InvitationForm.base_fields["privacy_accepted"]
