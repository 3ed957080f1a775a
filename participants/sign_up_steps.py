"""The sign-up in five steps, over the one ``SignUpForm``.

Every step validates the whole form on the data gathered so far and keeps only the errors of its
own fields, so each rule (age bounds, consent under 15, duplicate e-mail, password strength,
screening of the texts at the end) is the form's and the service's, never restated here. What a
step accepted is kept server side in the session (the draft), so a reload, the back button or a
closed tab loses nothing; passwords are asked on the last step and never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.forms import Textarea
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from participants.forms import SignUpForm
from participants.rules import needs_parental_consent

NEVER_STORED = ("password1", "password2")


@dataclass(frozen=True)
class Step:
    key: str
    title: Any
    fields: tuple[str, ...]


STEPS = (
    Step("qui", _("Qui tu es"), ("first_name", "last_name", "email", "birth_date", "gender")),
    Step("ou", _("Où tu es"), ("commune", "languages", "meeting_format")),
    Step("etudes", _("Études et milieu"), ("education", "field", "qpv_resident", "boursier", "first_generation", "parents_pcs")),
    Step("objectifs", _("Objectifs et disponibilités"),
         ("help_with", "path_text", "capacity", "goals", "goals_text", "availability", "prefers_same_gender")),
    Step("accord", _("Ton accord"), ("parent_name", "parent_email", "parent_consent", "password1", "password2", "privacy_accepted")),
)
PARENT_FIELDS = ("parent_name", "parent_email", "parent_consent")
# the step that also asks the programme's own questions for the role (``ProfileForm.question_names``)
QUESTIONS_STEP = "objectifs"


def step_index(value: Any) -> int:
    try:
        index = int(value)
    except (TypeError, ValueError):
        return 0
    return min(max(index, 0), len(STEPS) - 1)


class Draft:
    """What the person typed, step by step, in their session (one draft per association and role)."""

    def __init__(self, session: SessionBase, association_id: int, role: str) -> None:
        self.session = session
        self.key = f"sign_up_draft:{association_id}:{role}"
        stored = session.get(self.key) or {}
        self.values: dict[str, list[str]] = stored.get("values", {})
        self.reached: int = stored.get("reached", 0)  # the furthest step the person may open

    def data(self) -> MultiValueDict:
        return MultiValueDict({k: list(v) for k, v in self.values.items()})

    def merged(self, post: Any, fields: list[str]) -> MultiValueDict:
        """The draft with this step's posted fields over it (an unticked box or an empty
        multiple choice is absent from a POST: it then means "nothing chosen")."""
        data = self.data()
        for name in fields:
            data.setlist(name, post.getlist(name))
        return data

    def save(self, data: MultiValueDict, fields: list[str], reached: int) -> None:
        for name in fields:
            if name not in NEVER_STORED:
                self.values[name] = data.getlist(name)
        self.reached = max(self.reached, reached)
        self.session[self.key] = {"values": self.values, "reached": self.reached}

    def clear(self) -> None:
        self.session.pop(self.key, None)

    def birth_date(self) -> date | None:
        raw = (self.values.get("birth_date") or [""])[0]
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return None


def step_fields(form: SignUpForm, index: int, birth_date: date | None) -> list[str]:
    """The fields of step ``index`` this person sees: the form's own (a signed-in person has no
    account fields), the parent's only before 15 (never for a mentor, who is 15 or more)."""
    minor_under_15 = birth_date is not None and needs_parental_consent(birth_date=birth_date)
    names = [
        name for name in STEPS[index].fields
        if name in form.fields and (name not in PARENT_FIELDS or minor_under_15)
    ]
    if STEPS[index].key == QUESTIONS_STEP:  # the programme's own questions (issue 12), if any
        names += form.question_names
    return names


def first_step_with_errors(form: SignUpForm, birth_date: date | None) -> int | None:
    for index in range(len(STEPS)):
        if any(name in form.errors for name in step_fields(form, index, birth_date)):
            return index
    return None


def prepare_widgets(form: SignUpForm, fields: list[str]) -> None:
    """Focus on the first field in error; textareas show their limit with a counter instead of a
    ``maxlength`` that would cut a pasted text without a word (the form refuses a longer text)."""
    for name in fields:
        if name in form.errors:
            form.fields[name].widget.attrs["autofocus"] = True
            break
    for name in fields:
        field = form.fields[name]
        if isinstance(field.widget, Textarea) and getattr(field, "max_length", None):
            field.widget.attrs.pop("maxlength", None)
            field.widget.attrs["data-max"] = field.max_length
            described = [f"id_{name}_helptext"] if field.help_text else []
            field.widget.attrs["aria-describedby"] = " ".join([*described, f"id_{name}-count"])
