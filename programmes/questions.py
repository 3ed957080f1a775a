"""A programme's own sign-up questions (issue 12): writes by coordinators, the answers of
participants, and the reads both need.

Coordinators edit questions through the ``signup_question_*`` services (rights: those of the
programme's other settings, ``programmes.services._check_rights``). Participants' answers are
checked by ``answers_errors`` and written by ``answers_save``, which the sign-up and the profile
edit (pages and API) call inside their own transaction: one rule, one place.

Answers travel as ``{question id: value}``: a string for the text kinds, a list of choice ids for
the choice kinds (one at most for a single choice and yes/no). Form fields are named
``question_<id>`` (``field_name``), so a service's errors land next to their question.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from programmes.models import (
    CRITERION_WEIGHT_MAX,
    ParticipantAnswer,
    Programme,
    SignupQuestion,
    SignupQuestionChoice,
    SignupQuestionMapping,
)

FIELD_PREFIX = "question_"
TEXT_LIMITS = {SignupQuestion.Kind.SHORT_TEXT: 200, SignupQuestion.Kind.LONG_TEXT: 2000}
MAX_CHOICES = 30
QUESTION_FIELDS = ("label", "help_text", "kind", "required", "audience", "criterion", "criterion_weight")


def field_name(question: SignupQuestion | int) -> str:
    return f"{FIELD_PREFIX}{question if isinstance(question, int) else question.pk}"


# --- Reads --------------------------------------------------------------------------------------


def _active_choices() -> Prefetch:
    return Prefetch("choices", queryset=SignupQuestionChoice.objects.filter(active=True).order_by("position", "pk"),
                    to_attr="active_choices")


def questions_for(*, programme: Programme | int, role: str) -> list[SignupQuestion]:
    """The active questions of ``programme`` (or its id) asked to a participant of ``role``, in
    order, each with its ``active_choices``. Two queries (one without questions)."""
    audiences = [SignupQuestion.Audience.BOTH, SignupQuestion.Audience.MENTORS if role == "mentor" else SignupQuestion.Audience.MENTEES]
    return list(
        SignupQuestion.objects.filter(programme_id=getattr(programme, "pk", programme), active=True, audience__in=audiences)
        .order_by("position", "pk").prefetch_related(_active_choices())
    )


def question_list(*, programme: Programme) -> list[SignupQuestion]:
    """Every question of ``programme`` for its editor (active ones first, in order), with their
    active choices and mapping rows. The caller has checked the coordinator may see the programme.
    Three queries."""
    return list(
        SignupQuestion.objects.filter(programme=programme).order_by("-active", "position", "pk")
        .prefetch_related(_active_choices(), Prefetch("mappings", queryset=SignupQuestionMapping.objects.order_by("pk")))
    )


def question_get(*, programme: Programme, question_id: int) -> SignupQuestion:
    """A question of ``programme`` (Http404 otherwise: another programme's question is missing)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(SignupQuestion.objects.filter(programme=programme).prefetch_related(_active_choices()), pk=question_id)


@dataclass(frozen=True)
class ShownAnswer:
    question_id: int
    label: str
    text: str  # the answer as people read it ("" when not answered)
    active: bool


def _answer_text(answer: ParticipantAnswer | None) -> str:
    if answer is None:
        return ""
    if answer.question.is_choice:
        return ", ".join(c.label for c in sorted(answer.choices.all(), key=lambda c: (c.position, c.pk)))
    return answer.text


def answers_shown(*, participant: Any) -> list[ShownAnswer]:
    """The participant's answers with their questions' labels, for the coordinators' participant
    page and the API: the questions asked to them, then any answer to a question since switched
    off. Never for the other member of a binôme. Three queries."""
    asked = questions_for(programme=participant.programme_id, role=participant.role)
    answers = {a.question_id: a for a in ParticipantAnswer.objects.filter(participant=participant)
               .select_related("question").prefetch_related("choices")}
    shown = [ShownAnswer(q.pk, q.label, _answer_text(answers.get(q.pk)), True) for q in asked]
    asked_ids = {q.pk for q in asked}
    shown += [ShownAnswer(a.question_id, a.question.label, _answer_text(a), False)
              for a in sorted(answers.values(), key=lambda a: (a.question.position, a.pk)) if a.question_id not in asked_ids]
    return shown


def answers_initial(*, participant: Any) -> dict[int, Any]:
    """The participant's answers as the form and the API take them (see the module docstring)."""
    out: dict[int, Any] = {}
    for answer in ParticipantAnswer.objects.filter(participant=participant).select_related("question").prefetch_related("choices"):
        out[answer.question_id] = sorted(c.pk for c in answer.choices.all()) if answer.question.is_choice else answer.text
    return out


def answers_by_participant(*, questions: list[SignupQuestion], participant_ids: Iterable[int]) -> dict[tuple[int, int], str]:
    """(participant id, question id) -> the answer as text, for exports. Two queries."""
    rows = (ParticipantAnswer.objects.filter(question__in=questions, participant_id__in=list(participant_ids))
            .select_related("question").prefetch_related("choices"))
    return {(a.participant_id, a.question_id): _answer_text(a) for a in rows}


# --- Answers: the one check and the one write ---------------------------------------------------


def _as_ids(value: Any) -> list[int]:
    if value in (None, ""):
        return []
    values = value if isinstance(value, list | tuple | set) else [value]
    ids = []
    for v in values:
        try:
            ids.append(int(getattr(v, "pk", v)))
        except (TypeError, ValueError):
            ids.append(-1)
    return ids


def answers_errors(*, questions: list[SignupQuestion], answers: dict[int, Any]) -> dict[str, list[str]]:
    """French errors by form field for ``answers`` to ``questions`` (those asked to the person,
    from ``questions_for``): a required question left empty, a text too long, a choice that is
    not one of the question's, two choices where one is asked. Answers to other questions are
    ignored by ``answers_save``."""
    errors: dict[str, list[str]] = {}
    for question in questions:
        value = answers.get(question.pk)
        name = field_name(question)
        if question.is_choice:
            ids = _as_ids(value)
            allowed = {c.pk for c in question.active_choices}
            if any(i not in allowed for i in ids):
                errors[name] = [_("Choisis parmi les réponses proposées.")]
            elif len(ids) > 1 and question.kind != SignupQuestion.Kind.MULTIPLE_CHOICE:
                errors[name] = [_("Choisis une seule réponse.")]
            elif question.required and not ids:
                errors[name] = [_("Réponds à cette question : elle est obligatoire pour ce programme.")]
        elif isinstance(value, list | tuple | set | dict):
            errors[name] = [_("Réponds par un texte.")]
        else:
            text = "" if value is None else str(value).strip()
            limit = TEXT_LIMITS[question.kind]
            if len(text) > limit:
                errors[name] = [_("Ta réponse dépasse %(n)s caractères.") % {"n": limit}]
            elif question.required and not text:
                errors[name] = [_("Réponds à cette question : elle est obligatoire pour ce programme.")]
    return errors


def answers_save(*, participant: Any, questions: list[SignupQuestion], answers: dict[int, Any]) -> None:
    """Write the answers to ``questions`` (checked by ``answers_errors`` first); an emptied answer
    is removed. Called by the participants' services inside their transaction, after the checks."""
    questions = [q for q in questions if q.pk in answers]  # the others stay as they are
    errors = answers_errors(questions=questions, answers=answers)
    if errors:
        raise ValidationError(errors)
    existing = {a.question_id: a for a in ParticipantAnswer.objects.filter(participant=participant, question__in=questions)}
    now = timezone.now()
    for question in questions:
        value = answers[question.pk]
        ids = _as_ids(value) if question.is_choice else []
        text = "" if question.is_choice or value is None else str(value).strip()
        answer = existing.get(question.pk)
        if not ids and not text:
            if answer is not None:
                answer.delete()
            continue
        if answer is None:
            answer = ParticipantAnswer.objects.create(participant=participant, question=question, text=text, updated_at=now)
        elif answer.text != text or question.is_choice:
            answer.text, answer.updated_at = text, now
            answer.save(update_fields=["text", "updated_at"])
        if question.is_choice:
            answer.choices.set(ids)


# --- Coordinators' writes -----------------------------------------------------------------------


def _rights(*, question_programme: Programme, by: User) -> None:
    from programmes.services import _check_rights

    _check_rights(by=by, association=question_programme.association, programme=question_programme)


def _clean_fields(fields: dict[str, Any], *, kind: str) -> dict[str, Any]:
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown question fields: {sorted(unknown)}")
    errors: dict[str, list[str]] = {}
    if "label" in fields:
        fields["label"] = (fields["label"] or "").strip()
        if not fields["label"]:
            errors["label"] = [_("Écrivez la question.")]
    if "help_text" in fields:
        fields["help_text"] = (fields["help_text"] or "").strip()
    weight = fields.get("criterion_weight")
    if weight is not None and not 0.0 <= float(weight) <= CRITERION_WEIGHT_MAX:
        errors["criterion_weight"] = [_("Le poids est compris entre 0 et 1.")]
    criterion = fields.get("criterion") or SignupQuestion.Criterion.NONE
    if criterion != SignupQuestion.Criterion.NONE:
        if kind not in SignupQuestion.CRITERION_KINDS:
            errors["criterion"] = [_("Seule une question à choix unique ou oui / non peut servir à l'appariement.")]
        elif fields.get("audience") != SignupQuestion.Audience.BOTH:
            errors["criterion"] = [_("Pour servir à l'appariement, la question doit être posée aux mentors et aux mentoré·es.")]
    if errors:
        raise ValidationError(errors)
    return fields


def _save(question: SignupQuestion, update_fields: list[str] | None = None) -> SignupQuestion:
    question.full_clean(validate_constraints=False)  # the unique labels: the index's message below
    try:
        with transaction.atomic():
            question.save(update_fields=update_fields)
    except IntegrityError:
        raise ValidationError({"label": _("Ce programme pose déjà une question avec ce libellé.")}) from None
    return question


def _choices_add(question: SignupQuestion, labels: Iterable[str]) -> None:
    labels = [label.strip()[:150] for label in labels if label and label.strip()]
    taken = {c.label.casefold() for c in SignupQuestionChoice.objects.filter(question=question, active=True)}
    start = (SignupQuestionChoice.objects.filter(question=question).aggregate(m=Max("position"))["m"] or 0) + 1
    new = []
    for label in labels:
        if label.casefold() in taken:
            raise ValidationError({"new_choices": _("Le choix « %(label)s » est déjà proposé.") % {"label": label}})
        taken.add(label.casefold())
        new.append(SignupQuestionChoice(question=question, label=label, position=start + len(new)))
    if SignupQuestionChoice.objects.filter(question=question, active=True).count() + len(new) > MAX_CHOICES:
        raise ValidationError({"new_choices": _("Une question propose au plus %(n)s choix.") % {"n": MAX_CHOICES}})
    SignupQuestionChoice.objects.bulk_create(new)


def _check_choices(question: SignupQuestion) -> None:
    if question.is_choice and SignupQuestionChoice.objects.filter(question=question, active=True).count() < 2:
        raise ValidationError({"new_choices": _("Proposez au moins deux choix, un par ligne.")})


@transaction.atomic
def signup_question_create(*, programme: Programme, by: User, choices: Iterable[str] = (), **fields: Any) -> SignupQuestion:
    """A new question of ``programme``, last in order. ``choices``: the labels of a choice
    question (yes/no gets « Oui » and « Non »). Preconditions: ``by`` may edit the programme."""
    _rights(question_programme=programme, by=by)
    kind = fields.get("kind")
    fields.setdefault("audience", SignupQuestion.Audience.BOTH)
    fields = _clean_fields(fields, kind=kind)
    Programme.objects.select_for_update().get(pk=programme.pk)  # two additions at once: one after the other
    last = SignupQuestion.objects.filter(programme=programme, active=True).aggregate(m=Max("position"))["m"] or 0
    question = _save(SignupQuestion(programme=programme, position=last + 1, **fields))
    if question.kind == SignupQuestion.Kind.YES_NO:
        _choices_add(question, [_("Oui"), _("Non")])
    elif question.is_choice:
        _choices_add(question, choices)
    _check_choices(question)
    return question


@transaction.atomic
def signup_question_update(
    *, question: SignupQuestion, by: User, choices: dict[int, str] | None = None, new_choices: Iterable[str] = (),
    **fields: Any,
) -> SignupQuestion:
    """Change a question's settings; ``choices``: existing choice id -> new label ("" removes the
    choice: switched off when someone chose it, so their answer keeps its label); ``new_choices``:
    labels added at the end. The kind of a question that has answers does not change."""
    _rights(question_programme=question.programme, by=by)
    locked = SignupQuestion.objects.select_for_update().get(pk=question.pk)
    kind = fields.get("kind", locked.kind)
    if kind != locked.kind and ParticipantAnswer.objects.filter(question=locked).exists():
        raise ValidationError({"kind": _("Des participant·es ont déjà répondu : le type de réponse ne peut plus changer.")})
    merged = {name: getattr(locked, name) for name in QUESTION_FIELDS} | fields
    _clean_fields(merged, kind=kind)
    for name in fields:
        setattr(locked, name, merged[name])
    if locked.kind != SignupQuestion.Kind.YES_NO and locked.is_choice:
        for choice in SignupQuestionChoice.objects.filter(question=locked, active=True, pk__in=list(choices or {})):
            label = (choices or {})[choice.pk].strip()[:150]
            if not label:
                if choice.answers.exists():
                    choice.active = False
                    choice.save(update_fields=["active"])
                else:
                    choice.delete()
            elif label != choice.label:
                choice.label = label
                try:
                    with transaction.atomic():
                        choice.save(update_fields=["label"])
                except IntegrityError:
                    raise ValidationError({"new_choices": _("Le choix « %(label)s » est déjà proposé.") % {"label": label}}) from None
        _choices_add(locked, new_choices)
    elif locked.kind == SignupQuestion.Kind.YES_NO and not SignupQuestionChoice.objects.filter(question=locked, active=True).exists():
        _choices_add(locked, [_("Oui"), _("Non")])
    _check_choices(locked)
    if locked.criterion != SignupQuestion.Criterion.MAPPING:
        SignupQuestionMapping.objects.filter(question=locked).delete()
    return _save(locked, update_fields=list(fields) or None)


@transaction.atomic
def signup_question_mapping_set(*, question: SignupQuestion, by: User, pairs: Iterable[tuple[int, int]]) -> SignupQuestion:
    """The mentee answer -> acceptable mentor answers table of a "mapping" criterion (replaces
    the previous one). Both choices of each pair must be the question's active choices."""
    _rights(question_programme=question.programme, by=by)
    locked = SignupQuestion.objects.select_for_update().get(pk=question.pk)
    if locked.criterion != SignupQuestion.Criterion.MAPPING:
        raise ValidationError(_("Choisissez d'abord le critère « correspondance mentoré·e ↔ mentor »."))
    own = set(SignupQuestionChoice.objects.filter(question=locked, active=True).values_list("pk", flat=True))
    chosen = {(int(a), int(b)) for a, b in pairs}
    if any(a not in own or b not in own for a, b in chosen):
        raise ValidationError(_("Une correspondance porte sur un choix qui n'est pas celui de cette question."))
    SignupQuestionMapping.objects.filter(question=locked).delete()
    SignupQuestionMapping.objects.bulk_create(
        [SignupQuestionMapping(question=locked, mentee_choice_id=a, mentor_choice_id=b) for a, b in sorted(chosen)])
    return locked


@transaction.atomic
def signup_question_move(*, question: SignupQuestion, by: User, up: bool) -> SignupQuestion:
    """Swap an active question with the one before (``up``) or after it."""
    _rights(question_programme=question.programme, by=by)
    Programme.objects.select_for_update().get(pk=question.programme_id)
    locked = SignupQuestion.objects.get(pk=question.pk, active=True)
    others = SignupQuestion.objects.filter(programme_id=locked.programme_id, active=True)
    other = (others.filter(position__lt=locked.position).order_by("-position") if up
             else others.filter(position__gt=locked.position).order_by("position")).first()
    if other is None:
        return locked
    # Positions are unique among active questions: through a free position, three writes.
    mine, theirs = locked.position, other.position
    free = (others.aggregate(m=Max("position"))["m"] or 0) + 1
    SignupQuestion.objects.filter(pk=locked.pk).update(position=free)
    SignupQuestion.objects.filter(pk=other.pk).update(position=mine)
    SignupQuestion.objects.filter(pk=locked.pk).update(position=theirs)
    locked.position = theirs
    return locked


@transaction.atomic
def signup_question_deactivate(*, question: SignupQuestion, by: User) -> bool:
    """Take a question out of the sign-up (and of the matching). A question someone answered is
    switched off (the answers stay, shown with its label); one nobody answered is deleted.
    Returns True when it was deleted."""
    _rights(question_programme=question.programme, by=by)
    locked = SignupQuestion.objects.select_for_update().get(pk=question.pk)
    if not ParticipantAnswer.objects.filter(question=locked).exists():
        locked.delete()
        return True
    locked.active = False
    locked.save(update_fields=["active"])
    return False


def criterion_questions(*, programme: Programme) -> QuerySet[SignupQuestion]:
    """The questions of ``programme`` the matching uses: active, a criterion, a weight above 0."""
    return (SignupQuestion.objects.filter(programme=programme, active=True, criterion_weight__gt=0)
            .exclude(criterion=SignupQuestion.Criterion.NONE).order_by("position", "pk"))


def answers_for_api(*, participant: Any) -> list[dict[str, Any]]:
    """The participant's own view of their answers (the API's profile): each question asked to
    them, with its kind, its choices and their answer. Four queries."""
    asked = questions_for(programme=participant.programme_id, role=participant.role)
    stored = answers_initial(participant=participant)
    out = []
    for q in asked:
        value = stored.get(q.pk)
        out.append({
            "question_id": q.pk, "question": q.label, "kind": q.kind, "required": q.required,
            "options": [{"id": c.pk, "label": c.label} for c in q.active_choices],
            "text": "" if q.is_choice or value is None else value,
            "choice_ids": list(value) if q.is_choice and value else [],
        })
    return out


def answers_from_api(items: Iterable[dict[str, Any]]) -> dict[int, Any]:
    """The API's answers (``question_id`` with ``text`` or ``choice_ids``) as the services take them."""
    return {int(item["question_id"]): item["choice_ids"] if "choice_ids" in item else item.get("text", "") for item in items}
