"""Participants of an association, for its coordinators: the list with the page's filters, the
detail, and the decisions (validate, decline, record vetting)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from api.pagination import KeysetPagination
from api.permissions import coordinated_association
from api.serializers.common import EmptySerializer
from api.serializers.participants import (
    DeclineSerializer,
    ParticipantDetailSerializer,
    ParticipantFilterSerializer,
    ParticipantSummarySerializer,
    VettingSerializer,
)
from api.views.base import ApiView
from participants import selectors, services
from participants.models import Participant
from participants.selectors import PARTICIPANT_LIST_ORDER, ParticipantFilters

TAG = "Participant·es"


class _ParticipantView(ApiView):
    def participant(self, request: Request, slug: str, participant_id: int) -> Participant:
        association = coordinated_association(request, slug)
        return selectors.participant_get_for_coordinator(user=request.user, association=association, participant_id=participant_id)

    def detail(self, request: Request, slug: str, participant_id: int) -> Response:
        return self.serialize(ParticipantDetailSerializer, self.participant(request, slug, participant_id))


class ParticipantListPagination(KeysetPagination):
    ordering = PARTICIPANT_LIST_ORDER


class ParticipantListView(ApiView):
    pagination_class = ParticipantListPagination

    @extend_schema(
        tags=[TAG], parameters=[ParticipantFilterSerializer], responses=ParticipantSummarySerializer(many=True),
        operation_id="participants_list",
        summary="Les participant·es de l'association",
        description=(
            "Les mêmes filtres et le même ordre que la page : d'abord les inscriptions à valider (les plus "
            "anciennes d'abord), puis les personnes validées qui attendent un binôme (la plus longue attente "
            "d'abord), puis les refusées et retirées. Le lien `next` donne la page suivante par curseur (son coût ne dépend "
            "pas du rang de la page) ; `?page=N` reste accepté. Exemple : les mentoré·es validé·es qui attendent depuis "
            "plus de 30 jours : `?role=mentee&status=validated&waiting=30`."
        ),
    )
    def get(self, request: Request, slug: str) -> Response:
        association = coordinated_association(request, slug)
        q = self.query(ParticipantFilterSerializer)
        filters = ParticipantFilters(
            role=q.get("role", ""), status=q.get("status", ""), waiting_days=q.get("waiting"),
            qpv=q.get("qpv"), boursier=q.get("boursier"), departement=q.get("departement", ""),
            age_band=q.get("age", ""), search=q.get("q", "").strip(), programme=q.get("programme", ""),
        )
        participants = selectors.participant_list_for_coordinator(user=request.user, association=association, filters=filters)
        return self.page(participants, ParticipantSummarySerializer)


class ParticipantDetailView(_ParticipantView):
    @extend_schema(tags=[TAG], responses=ParticipantDetailSerializer, operation_id="participants_retrieve",
                   summary="Une inscription en détail",
                   description="Le profil complet, le contact du parent avant 15 ans, l'attestation d'honorabilité (dates seulement).")
    def get(self, request: Request, slug: str, participant_id: int) -> Response:
        return self.detail(request, slug, participant_id)


class ParticipantValidateView(_ParticipantView):
    @extend_schema(tags=[TAG], request=EmptySerializer, responses=ParticipantDetailSerializer, operation_id="participants_validate",
                   summary="Valider une inscription",
                   description="La personne rejoint le vivier et attend un binôme ; elle est prévenue par e-mail.")
    def post(self, request: Request, slug: str, participant_id: int) -> Response:
        services.participant_validate(participant=self.participant(request, slug, participant_id), by=request.user)
        return self.detail(request, slug, participant_id)


class ParticipantDeclineView(_ParticipantView):
    @extend_schema(tags=[TAG], request=DeclineSerializer, responses=ParticipantDetailSerializer, operation_id="participants_decline",
                   summary="Refuser une inscription",
                   description="Une inscription en attente seulement, avec une raison (transmise à la personne).")
    def post(self, request: Request, slug: str, participant_id: int) -> Response:
        participant = self.participant(request, slug, participant_id)
        data = self.body(DeclineSerializer)
        services.participant_decline(participant=participant, by=request.user, reason=data["reason"])
        return self.detail(request, slug, participant_id)


class ParticipantVettingView(_ParticipantView):
    @extend_schema(tags=[TAG], request=VettingSerializer, responses=ParticipantDetailSerializer, operation_id="participants_vetting",
                   summary="Enregistrer l'attestation d'honorabilité d'un mentor",
                   description="Les dates de vérification et d'expiration seulement, jamais le document.")
    def post(self, request: Request, slug: str, participant_id: int) -> Response:
        participant = self.participant(request, slug, participant_id)
        services.participant_record_vetting(participant=participant, by=request.user, **self.body(VettingSerializer))
        return self.detail(request, slug, participant_id)
