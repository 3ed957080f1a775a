"""Forms of the programme pages (coordinators: "vous")."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorat.forms import PrefixedIdsMixin
from programmes.models import Cohort, Programme, SignupQuestion
from programmes.questions import TEXT_LIMITS, field_name
from programmes.services import PROGRAMME_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = PROGRAMME_FIELDS
        widgets = {
            "opens_on": DateInput(), "closes_on": DateInput(), "starts_on": DateInput(), "ends_on": DateInput(),
            "intake": forms.RadioSelect, "charter": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "slug": _("Elle apparaît dans le lien d'inscription (lettres, chiffres et tirets). Laissez vide pour la créer à partir du nom."),
            "opens_on": _("Seulement pour des inscriptions entre deux dates."),
            "closes_on": _("Seulement pour des inscriptions entre deux dates."),
            "charter": _("Les engagements des binômes, montrés à l'inscription."),
        }

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean(self) -> dict:
        data = super().clean()
        if data.get("intake") == Programme.Intake.DATES:
            for name in ("opens_on", "closes_on"):
                if not data.get(name):
                    self.add_error(name, _("Indiquez les dates d'inscription, ou choisissez « au fil de l'eau »."))
        return data

    def _post_clean(self) -> None:
        """The model's checks run in the service (with the same French messages)."""


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ("name", "starts_on")
        widgets = {"starts_on": DateInput()}
        help_texts = {"name": _("Par exemple « Septembre 2026 ».")}

    def _post_clean(self) -> None:
        """Uniqueness is checked by the service."""


# --- A programme's sign-up questions ----------------------------------------------------------

REQUIRED_ANSWER = _("Réponds à cette question : elle est obligatoire pour ce programme.")


def question_fields(questions: list[SignupQuestion]) -> dict[str, forms.Field]:
    """Form fields (``question_<id>``) for the questions asked to a participant ("tu")."""
    out: dict[str, forms.Field] = {}
    for q in questions:
        common = {"label": q.label, "help_text": q.help_text, "required": q.required,
                  "error_messages": {"required": REQUIRED_ANSWER, "invalid_choice": _("Choisis parmi les réponses proposées.")}}
        choices = [(str(c.pk), c.label) for c in q.active_choices] if q.is_choice else []
        if q.kind == SignupQuestion.Kind.MULTIPLE_CHOICE:
            field: forms.Field = forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
        elif q.is_choice:
            field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        elif q.kind == SignupQuestion.Kind.LONG_TEXT:
            field = forms.CharField(max_length=TEXT_LIMITS[q.kind], widget=forms.Textarea(attrs={"rows": 3}), **common)
        else:
            field = forms.CharField(max_length=TEXT_LIMITS[q.kind], **common)
        out[field_name(q)] = field
    return out


def answers_from(cleaned_data: dict, questions: list[SignupQuestion]) -> dict[int, object]:
    """The cleaned values of ``question_fields`` as ``programmes.questions`` takes them."""
    answers: dict[int, object] = {}
    for q in questions:
        value = cleaned_data.get(field_name(q))
        if q.is_choice:
            values = value if isinstance(value, list) else ([value] if value else [])
            answers[q.pk] = [int(v) for v in values]
        else:
            answers[q.pk] = value or ""
    return answers


def answers_initial_for_form(answers: dict[int, object], questions: list[SignupQuestion]) -> dict[str, object]:
    """Stored answers (``questions.answers_initial``) as the fields' initial values."""
    initial: dict[str, object] = {}
    for q in questions:
        if q.pk not in answers:
            continue
        value = answers[q.pk]
        if q.kind == SignupQuestion.Kind.MULTIPLE_CHOICE:
            initial[field_name(q)] = [str(v) for v in value]  # type: ignore[union-attr]
        elif q.is_choice:
            initial[field_name(q)] = str(value[0]) if value else ""  # type: ignore[index]
        else:
            initial[field_name(q)] = value
    return initial


class QuestionForm(PrefixedIdsMixin, forms.Form):
    """A coordinator adds or edits a sign-up question ("vous")."""

    id_prefix = "question"

    label = forms.CharField(label=_("Question"), max_length=200,
                            help_text=_("Posée telle quelle aux jeunes : tutoyez-les (« Dans quel domaine veux-tu avancer ? »)."))
    help_text = forms.CharField(label=_("Aide (facultatif)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Type de réponse"), choices=SignupQuestion.Kind.choices)
    required = forms.BooleanField(label=_("Réponse obligatoire"), required=False)
    audience = forms.ChoiceField(label=_("Posée à"), choices=SignupQuestion.Audience.choices, initial=SignupQuestion.Audience.BOTH)
    new_choices = forms.CharField(
        label=_("Choix proposés"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pour une question à choix : un choix par ligne. Inutile pour « oui ou non »."),
    )
    criterion = forms.ChoiceField(
        label=_("Utiliser pour l'appariement"), choices=SignupQuestion.Criterion.choices, initial=SignupQuestion.Criterion.NONE,
        help_text=_("Seulement une question à choix unique ou oui / non posée aux deux. « Même réponse » rapproche ceux qui ont "
                    "répondu pareil ; « correspondance » suit le tableau que vous remplissez ensuite."),
    )
    criterion_weight = forms.FloatField(
        label=_("Poids du critère (0 à 1)"), min_value=0.0, max_value=1.0, initial=0.15, required=False,
        help_text=_("Comparé aux poids des autres critères de l'appariement (par exemple 0,25 pour l'écart d'âge). 0 : sans effet."),
        localize=True,
    )

    def __init__(self, *args: object, question: SignupQuestion | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.question = question
        self.choice_names: list[str] = []
        if question is not None and question.is_choice and question.kind != SignupQuestion.Kind.YES_NO:
            self.fields["new_choices"].label = _("Choix à ajouter")
            for choice in question.active_choices:
                name = f"choice_{choice.pk}"
                self.fields[name] = forms.CharField(
                    label=_("Choix « %(label)s »") % {"label": choice.label}, max_length=150, required=False, initial=choice.label,
                    help_text=_("Videz la case pour retirer ce choix."))
                self.choice_names.append(name)
            # the editor shows existing choices before the ones to add
            self.order_fields([*[n for n in self.fields if n not in self.choice_names and n != "new_choices"][:5],
                               *self.choice_names, "new_choices"])

    def clean_criterion_weight(self) -> float:
        return self.cleaned_data.get("criterion_weight") or 0.0

    def service_fields(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in
                ("label", "help_text", "kind", "required", "audience", "criterion", "criterion_weight")}

    def new_choice_labels(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("new_choices") or "").splitlines() if line.strip()]

    def edited_choices(self) -> dict[int, str]:
        return {int(name.split("_", 1)[1]): self.cleaned_data.get(name) or "" for name in self.choice_names}


class MappingForm(forms.Form):
    """A "mapping" criterion: for each mentee answer, the mentor answers that suit it."""

    def __init__(self, *args: object, question: SignupQuestion, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(str(c.pk), c.label) for c in question.active_choices]
        chosen: dict[int, list[str]] = {}
        for row in question.mappings.all():
            chosen.setdefault(row.mentee_choice_id, []).append(str(row.mentor_choice_id))
        for choice in question.active_choices:
            self.fields[f"mapping_{choice.pk}"] = forms.MultipleChoiceField(
                label=_("Mentoré·e qui a répondu « %(label)s » : mentors qui conviennent") % {"label": choice.label},
                choices=choices, required=False, widget=forms.CheckboxSelectMultiple, initial=chosen.get(choice.pk, []))

    def pairs(self) -> list[tuple[int, int]]:
        return [(int(name.split("_", 1)[1]), int(mentor)) for name, values in self.cleaned_data.items() for mentor in values]
