"""Dashboard indicators: the same figures as the pages (coordinators: their association;
the operator: aggregates of all associations, no one's name)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from api.permissions import coordinated_association
from api.serializers.dashboards import IndicatorQuerySerializer, IndicatorsSerializer
from api.views.base import ApiView
from dashboards.indicators import Scope, compute_cached
from dashboards.selectors import require_operator
from programmes.picker import ALL_UNRESTRICTED, programme_pick

TAG = "Tableaux de bord"
PARAMETERS = [
    OpenApiParameter("start", str, description="Début de la période (AAAA-MM-JJ)."),
    OpenApiParameter("end", str, description="Fin de la période (AAAA-MM-JJ)."),
    OpenApiParameter("cohort", int, description="Année de programme (binômes commencés de septembre à août)."),
]
PROGRAMME = OpenApiParameter("programme", str, description=(
    "L'adresse courte d'un programme : ses seuls chiffres. Sans programme : toute l'association, ou, pour un·e "
    "coordinateur·rice restreint·e à certains programmes, le premier des siens. Inconnu ou hors de mes programmes : 404."))


def _scope(query: dict, association_ids: tuple[int, ...] | None, programme_id: int | None = None) -> Scope:
    """The validated query (its period within bounds, defaults resolved) as a scope."""
    return Scope(association_ids, query["start"], query["end"], query.get("cohort"), programme_id)


class AssociationIndicatorsView(ApiView):
    @extend_schema(tags=[TAG], parameters=[*PARAMETERS, PROGRAMME], responses=IndicatorsSerializer, operation_id="association_indicators",
                   summary="Les indicateurs de l'association",
                   description="Parcours, attente, activité, résultats, public touché, cascade et évolution par mois. "
                               "Chaque chiffre dit sur combien de personnes il repose ; « value » est vide quand elles sont trop peu.")
    def get(self, request: Request, slug: str) -> Response:
        association = coordinated_association(request, slug)
        query = self.query(IndicatorQuerySerializer)
        # the pages' rule: no association-wide figure for a coordinator restricted to some programmes
        pick = programme_pick(user=request.user, association=association, slug=query["programme"], all_programmes=ALL_UNRESTRICTED)
        scope = _scope(query, (association.pk,), pick.selected.pk if pick.selected else None)
        return self.serialize(IndicatorsSerializer, (scope, compute_cached(scope)))


class OperatorIndicatorsView(ApiView):
    @extend_schema(tags=[TAG], parameters=PARAMETERS, responses=IndicatorsSerializer, operation_id="operator_indicators",
                   summary="Les indicateurs de toute la plateforme (opérateur)",
                   description="Les mêmes chiffres, toutes associations confondues ; agrégats seulement, aucun nom.")
    def get(self, request: Request) -> Response:
        require_operator(request.user)
        scope = _scope(self.query(IndicatorQuerySerializer), None)
        return self.serialize(IndicatorsSerializer, (scope, compute_cached(scope)))
