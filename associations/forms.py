from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from associations.models import (
    MENTEE_AGE_CEILING,
    MENTEE_AGE_FLOOR,
    MENTOR_AGE_CEILING,
    MENTOR_AGE_FLOOR,
    Association,
)
from associations.validators import parse_registration_number
from geo.forms import CommuneField
from geo.models import Departement


class AssociationRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Nom de l'association"), max_length=200)
    registration_number = forms.CharField(
        label=_("Numéro RNA ou SIREN"), max_length=20,
        help_text=_("RNA : la lettre W suivie de 9 chiffres (sur le récépissé de la préfecture). SIREN : 9 chiffres."),
    )
    address_commune = CommuneField(label=_("Commune du siège"))
    departements = forms.ModelMultipleChoiceField(
        label=_("Départements où vous intervenez"), queryset=Departement.objects.order_by("code"),
        # Checkboxes (no Ctrl-click among 101 options), with a filter box above them (register.html).
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cochez-en un ou plusieurs ; tapez un nom ou un numéro dans le champ de recherche pour les trouver."),
    )
    contact_name = forms.CharField(label=_("Nom du ou de la coordinateur·rice"), max_length=150)
    contact_email = forms.EmailField(
        label=_("E-mail du ou de la coordinateur·rice"),
        help_text=_("Après approbation, une invitation à créer son compte y sera envoyée."),
    )
    description = forms.CharField(
        label=_("Présentation de l'association et de son programme de mentorat"), max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_registration_number(self) -> str:
        parse_registration_number(self.cleaned_data["registration_number"])
        return self.cleaned_data["registration_number"]


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison du refus"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez la raison du refus : elle sera transmise à l'association.")},
    )


class InviteCoordinatorForm(forms.Form):
    email = forms.EmailField(label=_("E-mail de la personne à inviter"))


class ProgrammeSettingsForm(forms.Form):
    """Programme settings; the same bounds are check constraints in the database."""

    programme_duration_months = forms.IntegerField(label=_("Durée du programme (mois)"), min_value=1, max_value=36)
    mentee_min_age = forms.IntegerField(label=_("Âge minimum des mentoré·es"), min_value=MENTEE_AGE_FLOOR, max_value=MENTEE_AGE_CEILING)
    mentee_max_age = forms.IntegerField(label=_("Âge maximum des mentoré·es"), min_value=MENTEE_AGE_FLOOR, max_value=MENTEE_AGE_CEILING)
    mentor_min_age = forms.IntegerField(label=_("Âge minimum des mentors"), min_value=MENTOR_AGE_FLOOR, max_value=MENTOR_AGE_CEILING)
    mentor_max_age = forms.IntegerField(label=_("Âge maximum des mentors"), min_value=MENTOR_AGE_FLOOR, max_value=MENTOR_AGE_CEILING)
    hold_flagged_messages = forms.BooleanField(
        label=_("Retenir les textes qui contiennent des coordonnées jusqu'à ce qu'un·e coordinateur·rice les relise"),
        required=False,
        help_text=_("Messages, objectifs et parcours du profil, notes de rencontre. Sinon, ils sont transmis et seulement "
                    "signalés à l'équipe (qui peut encore les refuser)."),
    )

    @classmethod
    def for_association(cls, association: Association, data: Any = None) -> ProgrammeSettingsForm:
        initial = {name: getattr(association, name) for name in cls.base_fields}
        return cls(data, initial=initial)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for role, label in (("mentee", _("mentoré·es")), ("mentor", _("mentors"))):
            low, high = data.get(f"{role}_min_age"), data.get(f"{role}_max_age")
            if low is not None and high is not None and low > high:
                self.add_error(f"{role}_max_age", _("L'âge maximum des %(label)s doit être au moins égal à l'âge minimum.") % {"label": label})
        return data


class InvitationSignUpForm(forms.Form):
    """Create the login of an invited coordinator; the address is the invited one."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = forms.CharField(label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Confirmez le mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif p1:
            try:
                password_validation.validate_password(p1, User(email=self.email, first_name=data.get("first_name", "")))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data
