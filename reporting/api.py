"""The funder report through the API: the same tables (JSON), the workbook and each CSV, with the
same scoping as the pages (coordinators: their association; the operator: every association)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.permissions import coordinated_association
from api.serializers.dashboards import IndicatorQuerySerializer
from api.views.base import ApiView
from associations.models import Association
from dashboards.services import export_log_record
from reporting import selectors
from reporting.figures import ReportScope, Table
from reporting.workbook import XLSX_TYPE, csv_table, suppression_rule, xlsx_bytes

TAG = "Rapport aux financeurs"
PARAMETERS = [
    OpenApiParameter("start", str, description="Début de la période (AAAA-MM-JJ)."),
    OpenApiParameter("end", str, description="Fin de la période (AAAA-MM-JJ)."),
    OpenApiParameter("programme", str, description="Le programme (adresse courte) ; par défaut tous ceux que vous pouvez voir."),
]
TABLES = ("jeunes", "binomes", "arrets", "duree", "rencontres", "mentors", "satisfaction_jeunes", "satisfaction_mentors")


class FunderReportQuerySerializer(IndicatorQuerySerializer):
    cohort = None  # the report has no cohort: a period and a programme
    programme = serializers.SlugField(required=False, help_text="Le programme (son adresse courte) ; par défaut, tous ceux que "
                                                                "vous pouvez voir. Ignoré pour l'opérateur.")


class FunderReportColumnSerializer(serializers.Serializer):
    header = serializers.CharField()
    kind = serializers.ChoiceField(choices=["count", "ratio", "days", "score"])


class FunderReportRowSerializer(serializers.Serializer):
    public = serializers.CharField()
    group = serializers.CharField()
    values = serializers.ListField(child=serializers.JSONField(), source="cells_for_api",
                                   help_text="Un nombre (un ratio entre 0 et 1), « s » (secret statistique) ou vide (personne à compter).")


class FunderReportTableSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    columns = FunderReportColumnSerializer(many=True)
    rows = FunderReportRowSerializer(many=True)


class FunderReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    suppression_rule = serializers.CharField()
    tables = FunderReportTableSerializer(many=True)


def _report(scope: ReportScope, association: Association | None) -> dict[str, Any]:
    _cover, tables = selectors.report_build(scope=scope, association=association)
    for table in tables:
        for row in table.rows:
            row.cells_for_api = row.values()
    return {"start": scope.start, "end": scope.end, "suppression_rule": suppression_rule(), "tables": tables}


class _ReportView(ApiView):
    def scope(self, request: Request, slug: str | None) -> tuple[ReportScope, Association | None, str | None]:
        """The scope, the association (None: the operator's) and the programme's name (None: all)."""
        if slug is None:
            query = self.query(FunderReportQuerySerializer)
            return selectors.report_scope_for_operator(user=request.user, start=query["start"], end=query["end"]), None, None
        association = coordinated_association(request, slug)  # 404 before any 400: nothing leaks to others
        query = self.query(FunderReportQuerySerializer)
        scope, programme = selectors.report_scope_for_coordinator(user=request.user, association=association, start=query["start"],
                                                                  end=query["end"], programme_slug=query.get("programme"))
        return scope, association, programme.name if programme else None


class _Json(_ReportView):
    def answer(self, request: Request, slug: str | None) -> Response:
        scope, association, _programme = self.scope(request, slug)
        return self.serialize(FunderReportSerializer, _report(scope, association))


class _Workbook(_ReportView):
    def answer(self, request: Request, slug: str | None) -> HttpResponse:
        scope, association, programme = self.scope(request, slug)
        cover, tables = selectors.report_build(scope=scope, association=association, programme=programme)
        export_log_record(user=request.user, association=association, kind="funder_xlsx", rows=sum(len(t.rows) for t in tables),
                          parameters=dict(request.query_params.items()))
        response = HttpResponse(xlsx_bytes(cover=cover, tables=tables), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="rapport-financeurs-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.xlsx"'
        return response


class _Csv(_ReportView):
    def answer(self, request: Request, slug: str | None, table: str) -> StreamingHttpResponse:
        if table not in TABLES:
            raise Http404
        scope, association, _programme = self.scope(request, slug)
        _cover, tables = selectors.report_build(scope=scope, association=association)
        chosen: Table = next(t for t in tables if t.slug == table)
        export_log_record(user=request.user, association=association, kind="funder_csv", rows=len(chosen.rows),
                          parameters={**dict(request.query_params.items()), "table": table})
        response = StreamingHttpResponse(csv_table(chosen), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="rapport-financeurs-{table}.csv"'
        return response


XLSX = {(200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="Le classeur (une feuille par tableau).")}
CSV = {(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="UTF-8 avec BOM, point-virgule, virgule décimale.")}
TABLE_PARAMETER = OpenApiParameter("table", str, OpenApiParameter.PATH, enum=list(TABLES))


class AssociationReportView(_Json):
    @extend_schema(tags=[TAG], parameters=PARAMETERS, responses=FunderReportSerializer, operation_id="association_funder_report",
                   summary="Le rapport aux financeurs de l'association",
                   description="Chaque tableau avec sa ligne « Ensemble » puis une ligne par public cible ; secret statistique "
                               "sous 5 personnes.")
    def get(self, request: Request, slug: str) -> Response:
        return self.answer(request, slug)


class AssociationReportWorkbookView(_Workbook):
    @extend_schema(tags=[TAG], parameters=PARAMETERS, responses=XLSX, operation_id="association_funder_report_workbook",
                   summary="Le rapport aux financeurs en classeur XLSX")
    def get(self, request: Request, slug: str) -> HttpResponse:
        return self.answer(request, slug)


class AssociationReportCsvView(_Csv):
    @extend_schema(tags=[TAG], parameters=[*PARAMETERS, TABLE_PARAMETER], responses=CSV, operation_id="association_funder_report_csv",
                   summary="Un tableau du rapport aux financeurs en CSV")
    def get(self, request: Request, slug: str, table: str) -> StreamingHttpResponse:
        return self.answer(request, slug, table)


class OperatorReportView(_Json):
    @extend_schema(tags=[TAG], parameters=PARAMETERS, responses=FunderReportSerializer, operation_id="operator_funder_report",
                   summary="Le rapport aux financeurs de toutes les associations (opérateur)")
    def get(self, request: Request) -> Response:
        return self.answer(request, None)


class OperatorReportWorkbookView(_Workbook):
    @extend_schema(tags=[TAG], parameters=PARAMETERS, responses=XLSX, operation_id="operator_funder_report_workbook",
                   summary="Le rapport de toutes les associations en classeur XLSX (opérateur)")
    def get(self, request: Request) -> HttpResponse:
        return self.answer(request, None)


class OperatorReportCsvView(_Csv):
    @extend_schema(tags=[TAG], parameters=[*PARAMETERS, TABLE_PARAMETER], responses=CSV, operation_id="operator_funder_report_csv",
                   summary="Un tableau du rapport de toutes les associations en CSV (opérateur)")
    def get(self, request: Request, table: str) -> StreamingHttpResponse:
        return self.answer(request, None, table)
