"""The associations a coordinator runs: programme settings and matching settings."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from api.permissions import coordinated_association, token_association_id
from api.serializers.common import AssociationRefSerializer
from api.serializers.matching import (
    MatchingSettingsSerializer,
    ProgrammeChoiceSerializer,
    ProgrammeSerializer,
)
from api.views.base import ApiView
from associations import services as association_services
from associations.forms import ProgrammeSettingsForm
from associations.models import Association
from associations.selectors import association_list_coordinated_by
from matching import selectors as matching_selectors
from matching import services as matching_services
from programmes.models import Programme
from programmes.picker import programme_for_action

TAG = "Associations"


class AssociationListView(ApiView):
    @extend_schema(
        tags=[TAG], responses=AssociationRefSerializer(many=True), operation_id="associations_list",
        summary="Les associations que je coordonne",
        description="Avec un jeton : la seule association du jeton. Le « slug » sert dans toutes les autres adresses.",
    )
    def get(self, request: Request) -> Response:
        scope = token_association_id(request)
        return self.page([a for a in association_list_coordinated_by(user=request.user) if scope in (None, a.pk)],
                         AssociationRefSerializer)


class ProgrammeView(ApiView):
    @extend_schema(
        tags=[TAG], responses=ProgrammeSerializer, operation_id="association_programme_retrieve",
        summary="Le programme de l'association",
        description="Durée du programme, âges admis, retenue des messages contenant des coordonnées.",
    )
    def get(self, request: Request, slug: str) -> Response:
        return self.serialize(ProgrammeSerializer, coordinated_association(request, slug))

    @extend_schema(
        tags=[TAG], request=ProgrammeSerializer, responses=ProgrammeSerializer, operation_id="association_programme_update",
        summary="Modifier le programme",
        description="Mise à jour partielle, avec les règles de la page Paramètres (âge maximum ≥ âge minimum…).",
    )
    def patch(self, request: Request, slug: str) -> Response:
        association = coordinated_association(request, slug)
        sent = self.body(ProgrammeSerializer, partial=True)
        # The page's form holds the cross-field rules and their French messages: validate with it.
        form = ProgrammeSettingsForm({**ProgrammeSettingsForm.for_association(association).initial, **sent})
        if not form.is_valid():
            raise exceptions.ValidationError(
                {("non_field_errors" if field == "__all__" else field): [e["message"] for e in errors]
                 for field, errors in form.errors.get_json_data().items()}
            )
        updated = association_services.association_update_settings(association=association, by=request.user, **form.cleaned_data)
        return self.serialize(ProgrammeSerializer, updated)


class MatchingSettingsView(ApiView):
    """One programme's matching settings (``?programme=``, the pages' rule: programmes.picker)."""

    def _programme(self, request: Request, slug: str) -> tuple[Association, Programme]:
        association = coordinated_association(request, slug)
        chosen = self.query(ProgrammeChoiceSerializer)["programme"]
        return association, programme_for_action(user=request.user, association=association, slug=chosen)

    @extend_schema(
        tags=[TAG], parameters=[ProgrammeChoiceSerializer], responses=MatchingSettingsSerializer,
        operation_id="association_matching_settings_retrieve",
        summary="Les réglages d'appariement d'un programme",
        description="Poids des critères (relatifs, de 0 à 10), écarts d'âge, distance maximale, appariement nocturne.",
    )
    def get(self, request: Request, slug: str) -> Response:
        _association, programme = self._programme(request, slug)
        return self.serialize(MatchingSettingsSerializer, matching_selectors.settings_for(programme))

    @extend_schema(
        tags=[TAG], parameters=[ProgrammeChoiceSerializer], request=MatchingSettingsSerializer, responses=MatchingSettingsSerializer,
        operation_id="association_matching_settings_update",
        summary="Modifier les réglages d'appariement d'un programme",
        description="Mise à jour partielle ; ils servent au prochain appariement du programme (chaque appariement en garde une copie).",
    )
    def patch(self, request: Request, slug: str) -> Response:
        association, programme = self._programme(request, slug)
        values = self.body(MatchingSettingsSerializer, partial=True)
        row = matching_services.matching_settings_update(association=association, by=request.user, programme=programme, **values)
        return self.serialize(MatchingSettingsSerializer, row)
