"""The programme pages of coordinators: list, create, edit with cohorts, compare cohorts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from associations.selectors import association_get_for_coordinator, coordinator_list
from mentorat.forms import apply_validation_error, posted_data
from programmes import selectors, services
from programmes.forms import CohortForm, ProgrammeForm, QuestionForm
from programmes.models import Programme
from programmes.questions import question_list


@login_required
def programme_list(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    programmes = selectors.programmes_for_coordinator(user=request.user, association=association).order_by("-is_default", "name")
    restricted = selectors.coordinator_is_restricted(user=request.user, association=association)
    team = [] if restricted else selectors.coordinator_restrictions(association=association)
    return render(request, "programmes/list.html", {
        "association": association, "programmes": programmes, "restricted": restricted, "team": team})


@login_required
@require_POST
def coordinator_programmes(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    """Restrict a coordinator to the programmes ticked (none ticked: every programme)."""
    association = association_get_for_coordinator(user=request.user, slug=slug)
    membership = get_object_or_404(coordinator_list(association=association), pk=membership_id)
    chosen = selectors.programmes_for_coordinator(user=request.user, association=association).filter(
        slug__in=request.POST.getlist("programmes"))
    try:
        services.coordinator_restrict(membership=membership, programmes=list(chosen), by=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Programmes de %(name)s enregistrés.") % {"name": membership.user.get_full_name() or membership.user.email})
    return redirect("programme_list", slug=association.slug)


@login_required
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    if selectors.coordinator_is_restricted(user=request.user, association=association):
        raise Http404
    form = ProgrammeForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(association=association, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Programme créé. Partagez son lien d'inscription."))
            return redirect("programme_edit", slug=association.slug, programme_slug=programme.slug)
    return render(request, "programmes/form.html", {"association": association, "form": form, "programme": None})


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, slug: str, programme_slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    programme = selectors.programme_get_for_coordinator(user=request.user, association=association, slug=programme_slug)
    form = ProgrammeForm(posted_data(request) if "programme" in request.POST else None, instance=programme)
    cohort_form = CohortForm(posted_data(request) if "cohort" in request.POST else None)
    try:
        if request.method == "POST" and "programme" in request.POST and form.is_valid():
            try:
                programme = services.programme_update(programme=programme, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Programme enregistré."))
                return redirect("programme_edit", slug=association.slug, programme_slug=programme.slug)
        if request.method == "POST" and "cohort" in request.POST and cohort_form.is_valid():
            try:
                services.cohort_create(programme=programme, by=request.user, **cohort_form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(cohort_form, exc)
            else:
                messages.success(request, _("Cohorte ajoutée."))
                return redirect("programme_edit", slug=association.slug, programme_slug=programme.slug)
    except PermissionDenied:
        raise Http404 from None
    return render(request, "programmes/form.html", programme_edit_context(request, programme, form=form, cohort_form=cohort_form))


def programme_edit_context(request: HttpRequest, programme: Programme, **forms: object) -> dict[str, object]:
    """The programme's page: its settings, cohorts and sign-up questions (``forms`` replace the
    blank ones, with their errors)."""
    return {
        "association": programme.association, "programme": programme,
        "form": ProgrammeForm(instance=programme), "cohort_form": CohortForm(), "question_form": QuestionForm(),
        "cohorts": selectors.cohort_list(programme=programme),
        "questions": question_list(programme=programme),
        **forms,
    }


@login_required
def cohort_comparison(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    rows = selectors.cohort_comparison(user=request.user, association=association)
    return render(request, "programmes/cohorts.html", {"association": association, "rows": rows})


@login_required
def participants_export(request: HttpRequest, slug: str, programme_slug: str) -> HttpResponse:
    """The programme's participants as CSV, with one column per active sign-up question (the
    dashboards' CSV writer: BOM, formula injection neutralised). Logged like every export."""
    from dashboards.exports import csv_response
    from dashboards.services import export_log_record

    association = association_get_for_coordinator(user=request.user, slug=slug)
    programme = selectors.programme_get_for_coordinator(user=request.user, association=association, slug=programme_slug)
    header, rows = selectors.participant_export_rows(programme=programme)
    export_log_record(user=request.user, association=association, kind="participants", rows=len(rows),
                      parameters={"programme": programme.slug, **dict(request.GET.items())})
    return csv_response(filename=f"participants-{programme.slug}-{timezone.localdate():%Y%m%d}.csv", header=header, rows=rows,
                        semicolon=request.GET.get("sep") == "semicolon")
