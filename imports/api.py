"""The imports in the API, for coordinators: upload (multipart), dry-run result and status,
column mapping, confirmation. The same services and permissions as the pages
(``api.permissions.coordinated_association``: another association's import is a 404)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from api.pagination import PagePagination
from api.permissions import coordinated_association
from api.serializers.common import MAX_ID
from api.views.base import ApiView
from imports import columns, selectors, services
from imports.models import ImportJob
from programmes.selectors import programme_get_for_coordinator

TAG = "Imports"
COLUMN_NAMES = ["", *[c.name for c in columns.COLUMNS]]


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Le numéro de la ligne dans le tableur (l'en-tête est la ligne 1).")
    email = serializers.CharField()
    name = serializers.CharField()
    errors = serializers.ListField(child=serializers.CharField())


class ImportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    file_name = serializers.CharField(read_only=True)
    file_format = serializers.CharField(read_only=True)
    programme = serializers.SlugField(source="programme.slug", read_only=True)
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    progress = serializers.SerializerMethodField(help_text="Pourcentage des lignes parcourues (analyse ou import).")
    rows_total = serializers.IntegerField(read_only=True)
    headers = serializers.ListField(child=serializers.CharField(), read_only=True)
    mapping = serializers.ListField(child=serializers.CharField(allow_blank=True), read_only=True,
                                    help_text="Pour chaque colonne du fichier, l'information qu'elle contient (vide : ignorée).")
    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True,
                                   help_text="L'analyse : create, unchanged, errors, skipped, binomes_create, binomes_unchanged.")
    errors = RowErrorSerializer(source="error_rows", many=True, read_only=True)
    skipped_lines = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    created_count = serializers.IntegerField(read_only=True)
    unchanged_count = serializers.IntegerField(read_only=True)
    skipped_count = serializers.IntegerField(read_only=True)
    binomes_created_count = serializers.IntegerField(read_only=True)
    failure = serializers.CharField(read_only=True)
    uploaded_by = serializers.EmailField(source="uploaded_by.email", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    confirmed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_progress(self, job: ImportJob) -> int:
        return selectors.import_progress(job)


class ImportSummarySerializer(ImportSerializer):
    class Meta:
        exclude_fields = ("errors", "headers", "mapping")

    def get_fields(self):  # noqa: ANN201
        fields = super().get_fields()
        for name in self.Meta.exclude_fields:
            fields.pop(name)
        return fields


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8 ou Windows-1252, séparateur ; ou ,) ou XLSX, 10 Mo au plus.")
    programme = serializers.SlugField(required=False, help_text="Le programme que rejoignent les personnes (par défaut : celui de l'association).")
    mapping = serializers.ListField(child=serializers.ChoiceField(choices=COLUMN_NAMES, allow_blank=True), required=False,
                                    help_text="Facultatif : l'information de chaque colonne ; sans elle, celle que la plateforme suggère.")


class MappingSerializer(serializers.Serializer):
    mapping = serializers.ListField(child=serializers.ChoiceField(choices=COLUMN_NAMES, allow_blank=True))


class ConfirmSerializer(serializers.Serializer):
    skip_lines = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, default=list,
                                       help_text="Les lignes à laisser de côté ; toutes celles qui ont une erreur doivent y être.")


class _ImportView(ApiView):
    def job(self, request: Request, slug: str, job_id: int) -> ImportJob:
        association = coordinated_association(request, slug)
        return selectors.import_get_for_coordinator(user=request.user, association=association, job_id=job_id)


class ImportListView(ApiView):
    pagination_class = PagePagination
    parser_classes = [MultiPartParser]

    @extend_schema(tags=[TAG], responses=ImportSummarySerializer(many=True), operation_id="imports_list",
                   summary="Les imports de l'association (le journal)",
                   description="Qui a importé quel fichier, quand, avec quels résultats ; les plus récents d'abord.")
    def get(self, request: Request, slug: str) -> Response:
        association = coordinated_association(request, slug)
        return self.page(selectors.import_list_for_coordinator(user=request.user, association=association), ImportSummarySerializer)

    @extend_schema(tags=[TAG], request={"multipart/form-data": UploadSerializer}, responses={201: ImportSerializer},
                   operation_id="imports_upload", summary="Envoyer un tableur",
                   description=("Le fichier est gardé sur le serveur. Avec `mapping`, l'analyse (sans rien enregistrer) commence "
                                "aussitôt ; sans, l'import attend `mapping/` avec la correspondance suggérée dans `mapping`."))
    def post(self, request: Request, slug: str) -> Response:
        association = coordinated_association(request, slug)
        data = self.body(UploadSerializer)
        programme = None
        if data.get("programme"):
            programme = programme_get_for_coordinator(user=request.user, association=association, slug=data["programme"])
        job = services.import_upload(association=association, by=request.user, file_name=data["file"].name,
                                     content=data["file"].read(), programme=programme, mapping=data.get("mapping"))
        return self.serialize(ImportSerializer, job, status=201)


class ImportDetailView(_ImportView):
    @extend_schema(tags=[TAG], responses=ImportSerializer, operation_id="imports_retrieve", summary="Un import : état, avancement, analyse",
                   description="Après l'analyse (`analysed`), `counts` et `errors` disent ce que l'import ferait, ligne par ligne.")
    def get(self, request: Request, slug: str, job_id: int) -> Response:
        return self.serialize(ImportSerializer, self.job(request, slug, job_id))


class ImportMappingView(_ImportView):
    @extend_schema(tags=[TAG], request=MappingSerializer, responses={202: ImportSerializer}, operation_id="imports_mapping",
                   summary="Choisir les colonnes et lancer l'analyse",
                   description="La correspondance est retenue pour les prochains fichiers de l'association. Rien n'est enregistré.")
    def post(self, request: Request, slug: str, job_id: int) -> Response:
        job = self.job(request, slug, job_id)
        job = services.import_map(job=job, by=request.user, mapping=self.body(MappingSerializer)["mapping"])
        return self.serialize(ImportSerializer, job, status=202)


class ImportConfirmView(_ImportView):
    @extend_schema(tags=[TAG], request=ConfirmSerializer, responses={202: ImportSerializer}, operation_id="imports_confirm",
                   summary="Confirmer l'import",
                   description="Tout le fichier est importé en une fois, sauf les lignes de `skip_lines`, ou rien.")
    def post(self, request: Request, slug: str, job_id: int) -> Response:
        job = self.job(request, slug, job_id)
        job = services.import_confirm(job=job, by=request.user, skip_lines=self.body(ConfirmSerializer)["skip_lines"])
        return self.serialize(ImportSerializer, job, status=202)
