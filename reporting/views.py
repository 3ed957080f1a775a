"""Pages of the funder report (coordinators, operator) and the optional funder questions
(the young person from their space; a parent of an under-15 from their consent link)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from associations.models import Association
from associations.selectors import association_get_for_coordinator
from dashboards.services import export_log_record
from participants.models import Consent
from participants.selectors import participant_get_for_coordinator
from programmes.models import Programme
from programmes.selectors import programmes_for_coordinator
from reporting import selectors, services
from reporting.figures import ReportScope, Table
from reporting.forms import MentorTrainingForm, ReportForm, TargetPublicForm
from reporting.models import TargetPublic
from reporting.workbook import XLSX_TYPE, csv_table, xlsx_bytes
from safeguarding.policy import needs_parental_consent

TABLE_SLUGS = ("jeunes", "binomes", "arrets", "duree", "rencontres", "mentors", "satisfaction_jeunes", "satisfaction_mentors")


def _scope(request: HttpRequest, association: Association | None) -> tuple[ReportForm, ReportScope, Programme | None]:
    if association is None:
        form = ReportForm(request.GET or None)
        start, end = form.period()
        return form, selectors.report_scope_for_operator(user=request.user, start=start, end=end), None
    visible = programmes_for_coordinator(user=request.user, association=association)
    form = ReportForm(request.GET or None, programmes=list(visible.values_list("slug", "name")))
    start, end = form.period()
    scope, programme = selectors.report_scope_for_coordinator(user=request.user, association=association, start=start, end=end,
                                                              programme_slug=form.programme_slug())
    return form, scope, programme


def _name(association: Association | None, scope: ReportScope) -> str:
    return f"rapport-financeurs-{association.slug if association else 'plateforme'}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}"


def _page(request: HttpRequest, association: Association | None) -> HttpResponse:
    form, scope, _programme = _scope(request, association)
    return render(request, "reporting/report.html", {
        "association": association, "operator": association is None, "form": form, "scope": scope,
        "tables": [(slug, title) for slug, title in zip(TABLE_SLUGS, _titles(), strict=True)], "query": request.GET.urlencode()})


def _titles() -> list[str]:
    return [_("Jeunes accompagné·es"), _("Binômes"), _("Arrêts avant six mois"), _("Durée des binômes"), _("Rencontres"),
            _("Mentors"), _("Satisfaction des jeunes"), _("Satisfaction des mentors")]


def _xlsx(request: HttpRequest, association: Association | None) -> HttpResponse:
    _form, scope, programme = _scope(request, association)
    cover, tables = selectors.report_build(scope=scope, association=association, programme=programme.name if programme else None)
    export_log_record(user=request.user, association=association, kind="funder_xlsx", rows=sum(len(t.rows) for t in tables),
                      parameters=dict(request.GET.items()))
    response = HttpResponse(xlsx_bytes(cover=cover, tables=tables), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_name(association, scope)}.xlsx"'
    return response


def _csv(request: HttpRequest, association: Association | None, table_slug: str) -> HttpResponse:
    if table_slug not in TABLE_SLUGS:
        raise Http404
    _form, scope, _programme = _scope(request, association)
    _cover, tables = selectors.report_build(scope=scope, association=association)
    table: Table = next(t for t in tables if t.slug == table_slug)
    export_log_record(user=request.user, association=association, kind="funder_csv", rows=len(table.rows),
                      parameters={**dict(request.GET.items()), "table": table_slug})
    response = StreamingHttpResponse(csv_table(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_name(association, scope)}-{table_slug}.csv"'
    return response


@login_required
def coordination_report(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, association_get_for_coordinator(user=request.user, slug=slug))


@login_required
def coordination_report_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    return _xlsx(request, association_get_for_coordinator(user=request.user, slug=slug))


@login_required
def coordination_report_csv(request: HttpRequest, slug: str, table: str) -> HttpResponse:
    return _csv(request, association_get_for_coordinator(user=request.user, slug=slug), table)


@login_required
def operator_report(request: HttpRequest) -> HttpResponse:
    return _page(request, None)


@login_required
def operator_report_xlsx(request: HttpRequest) -> HttpResponse:
    return _xlsx(request, None)


@login_required
def operator_report_csv(request: HttpRequest, table: str) -> HttpResponse:
    return _csv(request, None, table)


def _initial(profile: TargetPublic | None) -> dict:
    if profile is None or profile.consent_id is None:
        return {}
    word = {True: "yes", False: "no", None: ""}
    return {"ase": word[profile.ase], "disability": word[profile.disability], "consent": True}


def _answer(request: HttpRequest, *, participant, parent: Consent | None) -> HttpResponse | TargetPublicForm:  # noqa: ANN001
    """The form's POST: save, or withdraw; the page again otherwise."""
    profile = TargetPublic.objects.filter(participant=participant).first()
    if request.method != "POST":
        return TargetPublicForm(initial=_initial(profile), parent=parent is not None)
    if request.POST.get("withdraw"):
        services.target_public_withdraw(participant=participant)
        messages.success(request, _("Vos réponses sont effacées.") if parent else _("Tes réponses sont effacées."))
        return redirect(request.path)
    form = TargetPublicForm(request.POST, parent=parent is not None)
    if form.is_valid():
        try:
            services.target_public_save(participant=participant, by=request.user, ase=form.cleaned_data["ase"],
                                        disability=form.cleaned_data["disability"],
                                        parent_name=parent.given_by_name if parent else "", parent_email=parent.given_by_email if parent else "")
        except (PermissionDenied, ValidationError) as exc:
            form.add_error(None, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Merci, vos réponses sont enregistrées.") if parent else _("Merci, tes réponses sont enregistrées."))
            return redirect(request.path)
    return form


@login_required
@require_http_methods(["GET", "POST"])
def member_funder_questions(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = selectors.participant_for_funder_page(user=request.user, participant_id=participant_id)
    minor = needs_parental_consent(birth_date=participant.birth_date)
    if minor:  # under 15 only a parent answers, from their link: the child is told so
        return render(request, "reporting/funder_questions.html", {"participant": participant, "minor": True})
    result = _answer(request, participant=participant, parent=None)
    if isinstance(result, HttpResponse):
        return result
    return render(request, "reporting/funder_questions.html", {"participant": participant, "form": result, "parent": False})


@require_http_methods(["GET", "POST"])
def parent_funder_questions(request: HttpRequest, token: str) -> HttpResponse:
    """The parent of an under-15, from the link of their (confirmed, standing) consent."""
    consent = (Consent.objects.select_related("participant__association", "participant__membership__user")
               .filter(kind=Consent.Kind.PARENT, token=token, confirmed_at__isnull=False, withdrawn_at__isnull=True).first())
    if consent is None or not needs_parental_consent(birth_date=consent.participant.birth_date) \
            or consent.participant.role != consent.participant.Role.MENTEE:
        raise Http404
    result = _answer(request, participant=consent.participant, parent=consent)
    if isinstance(result, HttpResponse):
        return result
    return render(request, "reporting/funder_questions.html", {"participant": consent.participant, "form": result, "parent": True})


@login_required
@require_POST
def mentor_training_record(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    participant = participant_get_for_coordinator(user=request.user, association=association, participant_id=participant_id)
    form = MentorTrainingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez la date de la formation."))
    else:
        try:
            services.mentor_training_record(participant=participant, by=request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("La formation est enregistrée."))
    return redirect("coordination_participant_detail", slug=slug, participant_id=participant.pk)
