"""Planned meetings of a binôme over the API (issue 13): the agenda's services, the pages' rules.

Who may do what is ``agenda.services``' answer, the same as the pages': either member or a
coordinator proposes and cancels; a member accepts, suggests another time, and says whether it
took place. Another association's binôme, or a planned meeting of another binôme, is a 404.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from agenda import selectors, services
from agenda.models import PlannedMeeting
from api.permissions import binome_viewer
from api.serializers.agenda import (
    PlannedMeetingOutcomeSerializer,
    PlannedMeetingSerializer,
    PlannedMeetingWriteSerializer,
)
from api.serializers.common import EmptySerializer
from api.views.base import ApiView
from binomes.selectors import Viewer

AGENDA = "Rendez-vous"
_EMAILS = "Chaque membre reçoit un e-mail avec l'invitation .ics (même UID à chaque mise à jour, METHOD:CANCEL à l'annulation)."


def _planned(request: Request, binome_id: int, planned_id: int) -> tuple[Viewer, PlannedMeeting]:
    viewer = binome_viewer(request, binome_id)  # the token's association scope applies here
    viewer, planned = selectors.planned_meeting_get_for_viewer(user=request.user, binome_id=viewer.binome.pk, planned_id=planned_id)
    return viewer, planned


def _details(view: ApiView, viewer: Viewer) -> dict[str, Any]:
    data = view.body(PlannedMeetingWriteSerializer)
    place_id = data.pop("place")
    data["place"] = None
    if place_id is not None:
        data["place"] = selectors.places_for_association(association=viewer.binome.association).filter(pk=place_id).first()
        if data["place"] is None:
            raise exceptions.ValidationError({"place": [_("Ce lieu n'est pas proposé par l'association.")]})
    return data


def _respond(view: ApiView, request: Request, viewer: Viewer, planned: PlannedMeeting, status: int = 200) -> Response:
    # Re-read with the relations the serializer follows (the service returns the locked row).
    _, fresh = selectors.planned_meeting_get_for_viewer(user=request.user, binome_id=viewer.binome.pk, planned_id=planned.pk)
    return view.serialize(PlannedMeetingSerializer, fresh, status=status, viewer=viewer)


class PlannedMeetingListView(ApiView):
    @extend_schema(tags=[AGENDA], responses=PlannedMeetingSerializer(many=True), operation_id="binome_planned_meetings_list",
                   summary="Les rendez-vous prévus d'un binôme",
                   description="Pour ses deux membres et la coordination de son association, les plus lointains d'abord. "
                               "`may` dit ce que la personne qui appelle peut en faire.")
    def get(self, request: Request, binome_id: int) -> Response:
        viewer = binome_viewer(request, binome_id)
        return self.page(selectors.planned_meetings_for_viewer(viewer=viewer), PlannedMeetingSerializer, viewer=viewer)

    @extend_schema(tags=[AGENDA], request=PlannedMeetingWriteSerializer, responses={201: PlannedMeetingSerializer},
                   operation_id="binome_planned_meetings_create", summary="Proposer un rendez-vous",
                   description="Par l'un des deux membres (qui l'accepte ainsi) ou la coordination (les deux membres répondent), "
                               "pour un binôme en cours : au moins une heure à l'avance, dans les six mois ; en personne, un lieu "
                               "public de l'association ou indiqué (sans coordonnées). " + _EMAILS)
    def post(self, request: Request, binome_id: int) -> Response:
        viewer = binome_viewer(request, binome_id)
        planned = services.planned_meeting_propose(binome=viewer.binome, by=request.user, **_details(self, viewer))
        return _respond(self, request, viewer, planned, status=201)


class PlannedMeetingDetailView(ApiView):
    @extend_schema(tags=[AGENDA], responses=PlannedMeetingSerializer, operation_id="binome_planned_meetings_retrieve",
                   summary="Un rendez-vous prévu", description="Pour les deux membres et la coordination (404 pour les autres).")
    def get(self, request: Request, binome_id: int, planned_id: int) -> Response:
        viewer, planned = _planned(request, binome_id, planned_id)
        return self.serialize(PlannedMeetingSerializer, planned, viewer=viewer)


class PlannedMeetingAcceptView(ApiView):
    @extend_schema(tags=[AGENDA], request=EmptySerializer, responses=PlannedMeetingSerializer, operation_id="binome_planned_meetings_accept",
                   summary="Accepter un rendez-vous (membre)",
                   description="Confirmé quand les deux membres ont accepté. Accepter deux fois ne change rien. " + _EMAILS)
    def post(self, request: Request, binome_id: int, planned_id: int) -> Response:
        viewer, planned = _planned(request, binome_id, planned_id)
        planned = services.planned_meeting_accept(planned=planned, by=request.user)
        return _respond(self, request, viewer, planned)


class PlannedMeetingRescheduleView(ApiView):
    @extend_schema(tags=[AGENDA], request=PlannedMeetingWriteSerializer, responses=PlannedMeetingSerializer,
                   operation_id="binome_planned_meetings_reschedule", summary="Proposer un autre moment (membre)",
                   description="Pour un rendez-vous proposé ou confirmé : l'autre membre répond de nouveau. " + _EMAILS)
    def post(self, request: Request, binome_id: int, planned_id: int) -> Response:
        viewer, planned = _planned(request, binome_id, planned_id)
        planned = services.planned_meeting_reschedule(planned=planned, by=request.user, **_details(self, viewer))
        return _respond(self, request, viewer, planned)


class PlannedMeetingCancelView(ApiView):
    @extend_schema(tags=[AGENDA], request=EmptySerializer, responses=PlannedMeetingSerializer, operation_id="binome_planned_meetings_cancel",
                   summary="Annuler un rendez-vous", description="Par l'un des deux membres ou la coordination. " + _EMAILS)
    def post(self, request: Request, binome_id: int, planned_id: int) -> Response:
        viewer, planned = _planned(request, binome_id, planned_id)
        planned = services.planned_meeting_cancel(planned=planned, by=request.user)
        return _respond(self, request, viewer, planned)


class PlannedMeetingOutcomeView(ApiView):
    @extend_schema(tags=[AGENDA], request=PlannedMeetingOutcomeSerializer, responses=PlannedMeetingSerializer,
                   operation_id="binome_planned_meetings_outcome", summary="A-t-il eu lieu ? (membre)",
                   description="Après le début d'un rendez-vous confirmé, une réponse de l'un des deux membres suffit ; "
                               "« oui » le note dans le journal des rencontres (une fois).")
    def post(self, request: Request, binome_id: int, planned_id: int) -> Response:
        viewer, planned = _planned(request, binome_id, planned_id)
        took_place = self.body(PlannedMeetingOutcomeSerializer)["took_place"]
        planned = services.planned_meeting_outcome(planned=planned, by=request.user, took_place=took_place)
        return _respond(self, request, viewer, planned)
