from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from associations.models import Association, Membership
from geo.forms import CommuneField
from participants import choices
from participants.models import Participant
from participants.rules import age_bounds, needs_parental_consent, validate_birth_date
from participants.selectors import AGE_BANDS, WAITING_DAYS, ParticipantFilters
from participants.services import DUPLICATE_EMAIL, NewAccount, profile_fields
from programmes.forms import answers_from, answers_initial_for_form, question_fields
from programmes.models import Programme
from programmes.questions import answers_initial, field_name, questions_for
from programmes.selectors import programme_default_for

YES_NO = [("", _("Tous")), ("yes", _("Oui")), ("no", _("Non"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProfileForm(forms.ModelForm):
    """The profile of a mentor or mentee: everything matching needs (see DESIGN.md → Domain)."""

    commune = CommuneField(label=_("Commune où tu habites"))
    goals = forms.MultipleChoiceField(
        label=_("Tes objectifs"), choices=choices.Goal.choices, widget=forms.CheckboxSelectMultiple
    )
    help_with = forms.MultipleChoiceField(
        label=_("Tu peux aider sur"), choices=choices.Goal.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Langues que tu parles"), choices=choices.Language.choices, widget=forms.CheckboxSelectMultiple,
        initial=["fr"],
    )
    availability = forms.MultipleChoiceField(
        label=_("Tes disponibilités"), choices=choices.Slot.choices, widget=forms.CheckboxSelectMultiple
    )
    capacity = forms.TypedChoiceField(
        label=_("Combien de personnes peux-tu accompagner ?"), coerce=int,
        choices=[(1, "1"), (2, "2"), (3, "3")], initial=1,
    )

    class Meta:
        model = Participant
        fields = [
            "birth_date", "gender", "commune", "education", "field", "qpv_resident", "boursier",
            "first_generation", "parents_pcs", "goals", "goals_text", "help_with", "path_text",
            "capacity", "available_until", "available_until_reason", "languages", "availability", "meeting_format",
            "prefers_same_gender", "parent_name", "parent_email",
        ]
        widgets = {
            "birth_date": DateInput(),
            "available_until": DateInput(),
            "gender": forms.RadioSelect,
            "meeting_format": forms.RadioSelect,
            "goals_text": forms.Textarea(attrs={"rows": 3}),
            "path_text": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "goals_text": _("Ce que tu aimerais faire plus tard, tes questions (facultatif)"),
            "path_text": _("Ton parcours : études, stages, métier"),
            "gender": _("Genre (facultatif)"),
            "available_until": _("Disponible jusqu'au (facultatif)"),
            "available_until_reason": _("Pourquoi (facultatif)"),
        }
        help_texts = {
            "qpv_resident": _("Un quartier prioritaire de la politique de la ville. Si tu ne sais pas, laisse vide : l'association vérifiera."),
            "path_text": _("Quelques lignes : c'est ce qui permet de te proposer des mentoré·es qui visent le même chemin."),
            "available_until": _("Un stage à l'étranger, un concours, un déménagement ? Laisse vide si tu es disponible pour toute la durée du programme."),
            "parent_name": _("Obligatoire avant 15 ans : ton parent ou tuteur légal doit être d'accord pour cette inscription."),
        }

    def __init__(self, *args: Any, association: Association, role: str, programme: Programme | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.association = association
        self.role = role
        # whose age bounds apply: the programme signed up to (an edited profile's own)
        if programme is None:
            programme = self.instance.programme if self.instance.pk else programme_default_for(association)
        self.programme = programme
        self.fields["gender"].required = False
        self.fields["gender"].choices = [("", _("Je préfère ne pas le dire")), *choices.Gender.choices]
        allowed = set(profile_fields(role))
        for name in list(self.fields):
            if name in ProfileForm.Meta.fields and name not in allowed:
                del self.fields[name]
        if role == Membership.Role.MENTOR:
            self.fields["goals"].label = _("Les sujets qui t'ont posé question à leur âge (facultatif)")
            self.fields["goals"].required = False
            self.fields["path_text"].required = True
            self.fields["commune"].label = _("Commune où tu habites")
        else:
            self.fields["goals"].required = True
        self.fields["languages"].required = True
        self.fields["availability"].required = True
        low, high = age_bounds(programme=self.programme, role=role)
        self.fields["birth_date"].help_text = _("Entre %(low)s et %(high)s ans pour ce rôle.") % {"low": low, "high": high}
        # The programme's own questions for this role (issue 12), after the profile's fields.
        self.questions = questions_for(programme=self.programme, role=role)
        self.fields.update(question_fields(self.questions))
        self.question_names = [field_name(q) for q in self.questions]
        if self.instance.pk and not self.is_bound:
            self.initial.update(answers_initial_for_form(answers_initial(participant=self.instance), self.questions))
        for name in self.question_names:  # a sign-up draft keeps every value as a list
            value = self.initial.get(name)
            if isinstance(value, list) and not isinstance(self.fields[name], forms.MultipleChoiceField):
                self.initial[name] = value[0] if value else ""

    def clean_birth_date(self) -> Any:
        birth_date = self.cleaned_data["birth_date"]
        validate_birth_date(programme=self.programme, role=self.role, birth_date=birth_date)
        return birth_date

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        birth_date = data.get("birth_date")
        if birth_date and needs_parental_consent(birth_date=birth_date):
            if not data.get("parent_name"):
                self.add_error("parent_name", _("Avant 15 ans, indique le nom d'un parent ou tuteur légal."))
            if not data.get("parent_email"):
                self.add_error("parent_email", _("Avant 15 ans, indique l'e-mail d'un parent ou tuteur légal."))
        return data

    def profile_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in profile_fields(self.role) if name in self.cleaned_data}

    def answers_data(self) -> dict[int, Any]:
        """The answers to the programme's questions, as ``programmes.questions`` takes them."""
        return answers_from(self.cleaned_data, self.questions)

    @property
    def question_bound_fields(self) -> list[Any]:
        return [self[name] for name in self.question_names]


class SignUpForm(ProfileForm):
    """Profile plus, for someone not logged in, the login; plus the privacy notice."""

    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    email = forms.EmailField(label=_("Adresse e-mail"), max_length=254)
    password1 = forms.CharField(label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Confirme le mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    parent_consent = forms.BooleanField(
        label=_("Mon parent ou tuteur légal a lu la politique de confidentialité et est d'accord pour mon inscription."),
        required=False,
    )
    privacy_accepted = forms.BooleanField(
        label=_("J'ai lu la politique de confidentialité et j'accepte que mes informations servent à me proposer un binôme."),
        required=True,
        error_messages={"required": _("Tu dois accepter la politique de confidentialité pour t'inscrire.")},
    )

    ACCOUNT_FIELDS = ("first_name", "last_name", "email", "password1", "password2")

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            for name in self.ACCOUNT_FIELDS:
                del self.fields[name]
        else:
            self.fields["email"].help_text = _("Elle sert à te connecter. Elle n'est jamais montrée à ton binôme.")
            # The rules in one short line (the validators' own list is long); each one still
            # explains itself when it refuses a password.
            self.fields["password1"].help_text = _("Au moins 10 caractères, ni trop courant, ni seulement des chiffres, ni proche de ton nom.")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(DUPLICATE_EMAIL, code="duplicate")
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.user is None:
            p1, p2 = data.get("password1"), data.get("password2")
            if p1 and p2 and p1 != p2:
                self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
            elif p1:
                candidate = User(email=data.get("email", ""), first_name=data.get("first_name", ""), last_name=data.get("last_name", ""))
                try:
                    password_validation.validate_password(p1, candidate)
                except ValidationError as exc:
                    self.add_error("password1", exc)
        birth_date = data.get("birth_date")
        if birth_date and needs_parental_consent(birth_date=birth_date) and not data.get("parent_consent"):
            self.add_error("parent_consent", _("Avant 15 ans, ton parent ou tuteur légal doit être d'accord : coche cette case avec lui ou elle."))
        return data

    def new_account(self) -> NewAccount | None:
        if self.user is not None:
            return None
        return NewAccount(
            email=self.cleaned_data["email"], password=self.cleaned_data["password1"],
            first_name=self.cleaned_data["first_name"], last_name=self.cleaned_data["last_name"],
        )


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(label=_("Recherche"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Rôle"), required=False, choices=[("", _("Tous")), (Membership.Role.MENTOR, _("Mentors")), (Membership.Role.MENTEE, _("Mentoré·es"))])
    status = forms.ChoiceField(label=_("Statut"), required=False, choices=[("", _("Tous")), *Participant.Status.choices])
    waiting = forms.TypedChoiceField(
        label=_("En attente depuis"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Peu importe"))] + [(d, _("plus de %(d)s jours") % {"d": d}) for d in WAITING_DAYS],
    )
    qpv = forms.ChoiceField(label=_("QPV"), required=False, choices=YES_NO)
    boursier = forms.ChoiceField(label=_("Boursier·e"), required=False, choices=YES_NO)
    departement = forms.ChoiceField(label=_("Département"), required=False)
    age = forms.ChoiceField(
        label=_("Âge"), required=False,
        choices=[("", _("Tous")), ("under_15", _("moins de 15 ans")), ("15_17", _("15–17 ans")), ("18_25", _("18–25 ans")), ("26_plus", _("26 ans et plus"))],
    )

    def __init__(self, *args: Any, departements: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", _("Tous"))] + [(code, f"{code} – {name}") for code, name in departements]

    def to_filters(self) -> ParticipantFilters:
        if not self.is_valid():
            return ParticipantFilters()
        d = self.cleaned_data

        def yes_no(value: str) -> bool | None:
            return {"yes": True, "no": False}.get(value)

        return ParticipantFilters(
            role=d["role"], status=d["status"], waiting_days=d["waiting"], qpv=yes_no(d["qpv"]),
            boursier=yes_no(d["boursier"]), departement=d["departement"],
            age_band=d["age"] if d["age"] in AGE_BANDS else "", search=d["q"].strip(),
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison du refus"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez la raison du refus.")},
    )


class VettingForm(forms.Form):
    """What a coordinator records after checking an attestation d'honorabilité online: dates only.
    The plausible bounds are the policy's (``safeguarding.policy.vetting_date_errors``), checked by
    the service: the form only parses the dates."""

    issued_on = forms.DateField(label=_("Attestation délivrée le"), widget=DateInput(),
                                help_text=_("La date qui figure sur l'attestation : moins de six mois avant la vérification."))
    verified_on = forms.DateField(label=_("Vérifiée en ligne le"), widget=DateInput())
    expires_on = forms.DateField(label=_("Vérification à renouveler avant le"), widget=DateInput(),
                                 help_text=_("Au plus tard trois ans après la vérification."))
