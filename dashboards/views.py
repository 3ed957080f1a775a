"""Dashboards: the association's (coordinators) and the federation's (operator, aggregates only)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language

from associations.models import Association
from associations.selectors import association_get_for_coordinator
from dashboards import exports, refresh, selectors, services
from dashboards.figures import ratio
from dashboards.forms import DashboardFilterForm
from dashboards.indicators import compute, compute_cached
from dashboards.models import ExportFile
from programmes.picker import ALL_UNRESTRICTED, ProgrammePick, programme_pick_from_request


def _filter_form(request: HttpRequest) -> DashboardFilterForm:
    return DashboardFilterForm(request.GET or None)


def _dashboard_pick(request: HttpRequest, slug: str) -> tuple[Association, ProgrammePick]:
    """The association and the programme the dashboard (or its export) is about: « Tous les
    programmes » (the whole association) for an unrestricted coordinator only; a coordinator
    restricted to some programmes sees one of theirs (their first by default), never the
    association's figures; a programme they may not see is a 404. Two queries."""
    association = association_get_for_coordinator(user=request.user, slug=slug)
    return association, programme_pick_from_request(request, association=association, all_programmes=ALL_UNRESTRICTED)


def _programme_id(pick: ProgrammePick) -> int | None:
    return pick.selected.pk if pick.selected else None


@login_required
def association_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    association, pick = _dashboard_pick(request, slug)
    form = _filter_form(request)
    scope = form.scope((association.pk,), _programme_id(pick))
    if not form.is_bound:  # the default figures: kept fresh by beat while coordinators look
        refresh.dashboard_viewed(association_id=association.pk, language=get_language())
    return render(request, "dashboards/dashboard.html", {
        "association": association, "form": form, "scope": scope, "ind": compute_cached(scope), "query": request.GET.urlencode(),
        "pick": pick})


@login_required
def operator_dashboard(request: HttpRequest) -> HttpResponse:
    selectors.require_operator(request.user)
    form = _filter_form(request)
    scope = form.scope(None)
    table = selectors.association_table(user=request.user, scope=scope)
    for row in table:
        row.satisfaction = ratio("", row.n_mentors_satisfied, row.n_mentor_surveys)
    return render(request, "dashboards/dashboard.html", {
        "operator": True, "form": form, "scope": scope, "ind": compute_cached(scope), "table": table, "query": request.GET.urlencode()})


def _log(request: HttpRequest, *, kind: str, association, rows: int) -> None:  # noqa: ANN001
    services.export_log_record(user=request.user, association=association, kind=kind, rows=rows, parameters=dict(request.GET.items()))


@login_required
def export_indicators(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    if slug is None:
        selectors.require_operator(request.user)
        association, ids, name, programme_id = None, None, "federation", None
    else:
        association, pick = _dashboard_pick(request, slug)
        ids, name = (association.pk,), association.slug + (f"-{pick.selected.slug}" if pick.selected else "")
        programme_id = _programme_id(pick)
    scope = _filter_form(request).scope(ids, programme_id)
    rows = exports.indicator_rows(compute(scope, longest=0))
    _log(request, kind="indicators", association=association, rows=len(rows))
    return exports.csv_response(
        filename=f"indicateurs-{name}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.csv",
        header=["rubrique", "indicateur", "valeur", "effectif"], rows=rows, semicolon=request.GET.get("sep") == "semicolon",
    )


@login_required
def export_binomes(request: HttpRequest, slug: str) -> HttpResponse:
    association, pick = _dashboard_pick(request, slug)
    values = selectors.binome_export_values(association=association, programme=pick.selected)
    name = association.slug + (f"-{pick.selected.slug}" if pick.selected else "")
    filename, semicolon = f"binomes-{name}-{timezone.localdate():%Y%m%d}.csv", request.GET.get("sep") == "semicolon"
    rows = values.count()
    if rows > settings.EXPORT_STREAM_MAX_ROWS:
        # Too long for a request (a worker would be held for seconds): a worker builds the file.
        export = services.export_file_request(association=association, by=request.user, kind="binomes", semicolon=semicolon,
                                              filename=filename, programme=pick.selected)
        return redirect("export_file", slug=slug, export_id=export.pk)
    # Logged before the first byte leaves, with the rows about to be sent (an index count): a
    # download cut halfway has still left the platform. The rows are then streamed from a
    # server-side cursor, 1,000 at a time, as the client reads them.
    _log(request, kind="binomes", association=association, rows=rows)
    return exports.csv_response(filename=filename, header=exports.BINOME_HEADER,
                                rows=exports.binome_rows(values.iterator(chunk_size=1000)), semicolon=semicolon)


@login_required
def export_file(request: HttpRequest, slug: str, export_id: int) -> HttpResponse:
    """"Export en préparation": refreshes itself until the file is ready, then offers it."""
    association = association_get_for_coordinator(user=request.user, slug=slug)  # the file's own rule: its selector
    export = selectors.export_file_get_for_coordinator(user=request.user, association=association, export_id=export_id)
    return render(request, "dashboards/export_file.html", {
        "association": association, "export": export, "refresh_seconds": REFRESH_SECONDS})


REFRESH_SECONDS = 3


@login_required
def export_file_download(request: HttpRequest, slug: str, export_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)  # the file's own rule: its selector
    export = selectors.export_file_get_for_coordinator(user=request.user, association=association, export_id=export_id)
    if export.status != ExportFile.Status.READY:
        raise Http404
    try:
        handle = open(Path(settings.EXPORTS_ROOT) / export.path, "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        raise Http404 from None
    services.export_file_downloaded(export=export, by=request.user, parameters=dict(request.GET.items()))
    return FileResponse(handle, as_attachment=True, filename=export.filename, content_type="text/csv; charset=utf-8")
