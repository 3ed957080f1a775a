"""The sign-up questions of a programme, for its coordinators ("vous"): added from the
programme's page, edited (choices, matching criterion, mapping) on their own page, moved and
taken out with one button. Scoped like the programme's page: a programme the coordinator may not
see, or a question of another programme, is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from associations.selectors import association_get_for_coordinator
from mentorat.forms import apply_validation_error, posted_data
from programmes import questions, selectors
from programmes.forms import MappingForm, QuestionForm
from programmes.models import Programme, SignupQuestion


def _programme(request: HttpRequest, slug: str, programme_slug: str) -> Programme:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    return selectors.programme_get_for_coordinator(user=request.user, association=association, slug=programme_slug)


def _back(programme: Programme) -> HttpResponse:
    response = redirect("programme_edit", slug=programme.association.slug, programme_slug=programme.slug)
    response["Location"] += "#questions"
    return response


@login_required
@require_POST
def question_new(request: HttpRequest, slug: str, programme_slug: str) -> HttpResponse:
    """Add a question (the form is on the programme's page; its errors come back there)."""
    programme = _programme(request, slug, programme_slug)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            questions.signup_question_create(programme=programme, by=request.user, choices=form.new_choice_labels(),
                                             **form.service_fields())
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Question ajoutée : elle est posée dès maintenant à l'inscription."))
            return _back(programme)
    from programmes.views import programme_edit_context

    return render(request, "programmes/form.html", programme_edit_context(request, programme, question_form=form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, slug: str, programme_slug: str, question_id: int) -> HttpResponse:
    programme = _programme(request, slug, programme_slug)
    question = questions.question_get(programme=programme, question_id=question_id)
    initial = {name: getattr(question, name) for name in ("label", "help_text", "kind", "required", "audience", "criterion",
                                                          "criterion_weight")}
    posted = posted_data(request)
    form = QuestionForm(posted if "question" in request.POST else None, initial=initial, question=question)
    mapping_form = None
    if question.criterion == SignupQuestion.Criterion.MAPPING:
        mapping_form = MappingForm(posted if "mapping" in request.POST else None, question=question)
    try:
        if request.method == "POST" and "question" in request.POST and form.is_valid():
            try:
                questions.signup_question_update(question=question, by=request.user, choices=form.edited_choices(),
                                                 new_choices=form.new_choice_labels(), **form.service_fields())
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Question enregistrée."))
                return redirect("question_edit", slug=slug, programme_slug=programme.slug, question_id=question.pk)
        if request.method == "POST" and mapping_form is not None and "mapping" in request.POST and mapping_form.is_valid():
            try:
                questions.signup_question_mapping_set(question=question, by=request.user, pairs=mapping_form.pairs())
            except ValidationError as exc:
                apply_validation_error(mapping_form, exc)
            else:
                messages.success(request, _("Correspondances enregistrées."))
                return redirect("question_edit", slug=slug, programme_slug=programme.slug, question_id=question.pk)
    except PermissionDenied:
        raise Http404 from None
    return render(request, "programmes/question_form.html", {
        "association": programme.association, "programme": programme, "question": question, "form": form,
        "mapping_form": mapping_form,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def question_action(request: HttpRequest, slug: str, programme_slug: str, question_id: int, action: str) -> HttpResponse:
    """Move a question up or down, or take it out of the sign-up."""
    programme = _programme(request, slug, programme_slug)
    question = questions.question_get(programme=programme, question_id=question_id)
    try:
        if action in ("monter", "descendre"):
            if not question.active:
                raise Http404
            questions.signup_question_move(question=question, by=request.user, up=action == "monter")
        elif action == "retirer":
            deleted = questions.signup_question_deactivate(question=question, by=request.user)
            messages.success(request, _("Question supprimée.") if deleted else
                             _("Question retirée de l'inscription : les réponses déjà données restent visibles."))
        else:
            raise Http404
    except PermissionDenied:
        raise Http404 from None
    return _back(programme)
