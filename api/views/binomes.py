"""Binômes: the members' own and their association's (coordinators), their lifecycle, and their
life — messages, reports, meetings, monthly check-ins, end survey."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from api.pagination import KeysetPagination
from api.permissions import binome_viewer, coordinated_association, token_association_id
from api.serializers.binomes import (
    BinomeFilterSerializer,
    BinomeMemberSerializer,
    BinomeStaffSerializer,
    CheckInSerializer,
    EndEarlySerializer,
    EndSurveyAnswerSerializer,
    EndSurveyStateSerializer,
    MeetingSerializer,
    MessageCreateSerializer,
    MessagePageSerializer,
    MessageQuerySerializer,
    MessageSerializer,
    ReportCreateSerializer,
    ReportSerializer,
)
from api.serializers.common import EmptySerializer, ReasonSerializer
from api.throttling import MessageRateThrottle, WriteRateThrottle
from api.views.base import ApiView
from binomes import activity, lifecycle, messaging, selectors
from binomes.health import health_of
from binomes.models import Binome
from binomes.selectors import BINOME_LIST_ORDER, BinomeFilters, Viewer

BINOMES, LIFE = "Binômes", "Vie du binôme"

BinomeForViewer = PolymorphicProxySerializer(
    component_name="BinomeForViewer",
    serializers={"coordinator": BinomeStaffSerializer, "mentor": BinomeMemberSerializer, "mentee": BinomeMemberSerializer},
    resource_type_field_name="viewer_role",
)


def with_staff_figures(binome: Binome) -> Binome:
    """One binôme shows its health as of now (the list's stored copy may be up to an hour behind)
    and its open reports as of now (the instance may predate the service that just ran)."""
    binome.refresh_from_db(fields=["open_report_count", "held_message_count"])
    binome.health = health_of(binome)
    return binome


def _binome_response(view: ApiView, request: Request, binome_id: int, status: int = 200) -> Response:
    """The binôme as the acting user may see it: coordinators get both people in full, a member
    gets the other member's first name only."""
    viewer = binome_viewer(request, binome_id)
    if viewer.role == "coordinator":
        return view.serialize(BinomeStaffSerializer, with_staff_figures(viewer.binome), status=status)
    return view.serialize(BinomeMemberSerializer, viewer.binome, status=status)


class BinomeListPagination(KeysetPagination):
    ordering = BINOME_LIST_ORDER


class AssociationBinomeListView(ApiView):
    pagination_class = BinomeListPagination

    @extend_schema(
        tags=[BINOMES], parameters=[BinomeFilterSerializer], responses=BinomeStaffSerializer(many=True),
        operation_id="association_binomes_list",
        summary="Les binômes de l'association (coordination)",
        description=(
            "Le même ordre que la page de suivi : signalements ouverts, messages retenus, puis santé (en "
            "difficulté d'abord) et plus long silence ; binômes clos à la fin. Le lien `next` donne la page suivante "
            "par curseur (son coût ne dépend pas du rang de la page, et un binôme créé entre deux pages n'en fait ni "
            "répéter ni disparaître) ; `?page=N` reste accepté. La santé de la liste est mise à jour à chaque "
            "événement et toutes les heures (le silence qui s'allonge)."
        ),
    )
    def get(self, request: Request, slug: str) -> Response:
        association = coordinated_association(request, slug)
        q = self.query(BinomeFilterSerializer)
        filters = BinomeFilters(status=q.get("status", ""), health=q.get("health", ""), reported=q["reported"], search=q["q"].strip(),
                               programme=q["programme"])
        return self.page(selectors.binome_list_for_coordinator(user=request.user, association=association, filters=filters),
                         BinomeStaffSerializer)


class MyBinomeListView(ApiView):
    @extend_schema(tags=[BINOMES], responses=BinomeMemberSerializer(many=True), operation_id="binomes_list",
                   summary="Mes binômes (mentor ou mentoré·e)",
                   description="Les binômes dont je suis membre, du plus récent au plus ancien. De l'autre membre : le prénom seulement.")
    def get(self, request: Request) -> Response:
        binomes = selectors.binome_list_for_member(user=request.user)
        scope = token_association_id(request)
        if scope is not None:
            binomes = binomes.filter(association_id=scope)
        return self.page(binomes, BinomeMemberSerializer)


class BinomeDetailView(ApiView):
    @extend_schema(tags=[BINOMES], responses=BinomeForViewer, operation_id="binomes_retrieve",
                   summary="Un binôme",
                   description="Pour ses deux membres et les coordinateur·rices de son association (404 pour les autres). "
                               "`viewer_role` dit sous quel angle il est montré.")
    def get(self, request: Request, binome_id: int) -> Response:
        return _binome_response(self, request, binome_id)


class BinomeEndView(ApiView):
    @extend_schema(tags=[BINOMES], request=EndEarlySerializer, responses=BinomeForViewer, operation_id="binomes_end",
                   summary="Arrêter un binôme avant la fin prévue",
                   description="Par l'un des deux membres ou la coordination, avec une raison de la liste (et des précisions pour « other »).")
    def post(self, request: Request, binome_id: int) -> Response:
        viewer = binome_viewer(request, binome_id)
        lifecycle.binome_end_early(binome=viewer.binome, by=request.user, **self.body(EndEarlySerializer))
        return _binome_response(self, request, binome_id)


class BinomeContinueView(ApiView):
    @extend_schema(
        tags=[BINOMES], request=EmptySerializer, responses=BinomeForViewer, operation_id="binomes_continue",
        summary="Prolonger un binôme (coordination)",
        description=(
            "Une nouvelle échéance d'une durée de programme. Seulement là où la machine à états le permet "
            "(binôme actif ou déjà prolongé ; sinon 400 avec la raison). Les membres, eux, demandent à continuer "
            "dans le questionnaire de fin : le binôme est prolongé quand les deux le souhaitent."
        ),
    )
    def post(self, request: Request, binome_id: int) -> Response:
        viewer = binome_viewer(request, binome_id)
        # The service checks the actor (a coordinator; a member only through the end survey).
        lifecycle.binome_continue(binome=viewer.binome, by=request.user)
        return _binome_response(self, request, binome_id)


class BinomeSuspendView(ApiView):
    @extend_schema(tags=[BINOMES], request=ReasonSerializer, responses=BinomeForViewer, operation_id="binomes_suspend",
                   summary="Suspendre un binôme (coordination)",
                   description="Après un signalement par exemple : la messagerie se ferme, les deux membres sont prévenus.")
    def post(self, request: Request, binome_id: int) -> Response:
        viewer = binome_viewer(request, binome_id)
        lifecycle.binome_suspend(binome=viewer.binome, by=request.user, reason=self.body(ReasonSerializer)["reason"])
        return _binome_response(self, request, binome_id)


class BinomeResumeView(ApiView):
    @extend_schema(tags=[BINOMES], request=EmptySerializer, responses=BinomeForViewer, operation_id="binomes_resume",
                   summary="Réactiver un binôme suspendu (coordination)", description="Il reprend le statut qu'il avait avant la suspension.")
    def post(self, request: Request, binome_id: int) -> Response:
        viewer = binome_viewer(request, binome_id)
        lifecycle.binome_resume(binome=viewer.binome, by=request.user)
        return _binome_response(self, request, binome_id)


class MessageListView(ApiView):
    throttle_classes = [WriteRateThrottle, MessageRateThrottle]

    @extend_schema(
        tags=[LIFE], parameters=[MessageQuerySerializer], responses=MessagePageSerializer, operation_id="binome_messages_list",
        summary="Les messages d'un binôme, depuis un curseur",
        description=(
            "Les plus anciens d'abord, ceux dont l'identifiant dépasse `after`. Pour suivre la conversation, "
            "repassez `next_after` en `after`. Un message retenu (coordonnées) n'est montré qu'à son "
            "expéditeur·rice et à l'équipe jusqu'à sa relecture ; relâché ensuite, il apparaît en relisant "
            "depuis `after=0`. Pour un membre, une lecture qui rapporte des messages marque la conversation comme lue ; pour la "
            "coordination, elle est enregistrée (les membres savent que l'équipe peut lire)."
        ),
    )
    def get(self, request: Request, binome_id: int) -> Response:
        viewer = binome_viewer(request, binome_id)
        q = self.query(MessageQuerySerializer)
        rows = list(selectors.visible_messages(viewer=viewer, after_id=q["after"])[: q["limit"] + 1])
        has_more, rows = len(rows) > q["limit"], rows[: q["limit"]]
        if viewer.is_member:
            if rows:  # as the page's poll: a read with nothing new writes nothing
                messaging.conversation_mark_read(binome=viewer.binome, user=request.user)
        else:
            messaging.staff_read_record(binome=viewer.binome, by=request.user)
        return Response({
            "results": MessageSerializer(rows, many=True, context={"request": request, "viewer": viewer}).data,
            "next_after": rows[-1].pk if rows else q["after"], "has_more": has_more,
        })

    @extend_schema(
        tags=[LIFE], request=MessageCreateSerializer, responses={201: MessageSerializer}, operation_id="binome_messages_create",
        summary="Envoyer un message",
        description=(
            "Par l'un des deux membres, tant que le binôme est actif ou prolongé. Texte brut, 2 000 caractères au "
            "plus. Un message qui contient des coordonnées est signalé à l'équipe (et retenu si l'association le "
            "demande) : `notice` explique pourquoi. Limité en débit (429) en plus de la limite de la messagerie."
        ),
    )
    def post(self, request: Request, binome_id: int) -> Response:
        viewer = binome_viewer(request, binome_id)
        body = self.body(MessageCreateSerializer)["body"]
        message = messaging.message_send(binome=viewer.binome, by=request.user, body=body)
        return self.serialize(MessageSerializer, message, status=201, viewer=viewer)


class ReportCreateView(ApiView):
    @extend_schema(tags=[LIFE], request=ReportCreateSerializer, responses={201: ReportSerializer}, operation_id="binome_reports_create",
                   summary="Signaler un message ou le binôme",
                   description="Par l'un des deux membres ; l'équipe de coordination est prévenue.")
    def post(self, request: Request, binome_id: int) -> Response:
        viewer = binome_viewer(request, binome_id)
        data = self.body(ReportCreateSerializer)
        message = None
        if data["message"] is not None:
            message = selectors.visible_messages(viewer=viewer).filter(pk=data["message"]).first()
            if message is None:
                raise exceptions.ValidationError({"message": [_("Ce message n'existe pas dans ce binôme.")]})
        report = messaging.report_create(binome=viewer.binome, by=request.user, reason=data["reason"], message=message)
        return self.serialize(ReportSerializer, report, status=201)


class MeetingListView(ApiView):
    @extend_schema(tags=[LIFE], responses=MeetingSerializer(many=True), operation_id="binome_meetings_list",
                   summary="Les rencontres d'un binôme", description="Les plus récentes d'abord.")
    def get(self, request: Request, binome_id: int) -> Response:
        viewer = binome_viewer(request, binome_id)
        return self.page(selectors.meeting_list_for_viewer(viewer=viewer), MeetingSerializer, viewer=viewer)

    @extend_schema(tags=[LIFE], request=MeetingSerializer, responses={201: MeetingSerializer}, operation_id="binome_meetings_create",
                   summary="Noter une rencontre",
                   description="Par l'un des deux membres d'un binôme en cours : date (pas dans le futur, pas avant le début), durée de 5 à 600 minutes, format, sujets.")
    def post(self, request: Request, binome_id: int) -> Response:
        viewer = binome_viewer(request, binome_id)
        data = self.body(MeetingSerializer)
        meeting = activity.meeting_log(binome=viewer.binome, by=request.user, **data)
        return self.serialize(MeetingSerializer, meeting, status=201, viewer=viewer)


class CheckInListView(ApiView):
    @extend_schema(tags=[LIFE], responses=CheckInSerializer(many=True), operation_id="binome_check_ins_list",
                   summary="Les nouvelles du mois (« Comment ça se passe ? »)",
                   description="La coordination voit les réponses des deux membres ; un membre ne voit que les siennes.")
    def get(self, request: Request, binome_id: int) -> Response:
        viewer = binome_viewer(request, binome_id)
        return self.page(selectors.check_in_list_for_viewer(viewer=viewer), CheckInSerializer, viewer=viewer)

    @extend_schema(tags=[LIFE], request=CheckInSerializer, responses={201: CheckInSerializer}, operation_id="binome_check_ins_create",
                   summary="Répondre aux nouvelles du mois", description="Une réponse par membre et par mois (400 la deuxième fois).")
    def post(self, request: Request, binome_id: int) -> Response:
        viewer = binome_viewer(request, binome_id)
        data = self.body(CheckInSerializer, viewer=viewer)
        check_in = activity.check_in_answer(binome=viewer.binome, by=request.user, **data)
        return self.serialize(CheckInSerializer, check_in, status=201, viewer=viewer)


def _survey_state(view: ApiView, viewer: Viewer, status: int = 200) -> Response:
    state = {"open": activity.end_survey_open(viewer.binome), "planned_end_on": viewer.binome.planned_end_on,
             "answer": selectors.end_survey_get_for_member(viewer=viewer)}
    return view.serialize(EndSurveyStateSerializer, state, status=status, viewer=viewer)


class EndSurveyView(ApiView):
    @extend_schema(tags=[LIFE], responses=EndSurveyStateSerializer, operation_id="binome_end_survey_retrieve",
                   summary="Le questionnaire de fin : ouvert ? déjà répondu ?",
                   description="Il ouvre trois semaines avant la fin prévue. `answer` : ma réponse pour cette échéance.")
    def get(self, request: Request, binome_id: int) -> Response:
        return _survey_state(self, binome_viewer(request, binome_id))

    @extend_schema(
        tags=[LIFE], request=EndSurveyAnswerSerializer, responses={201: EndSurveyStateSerializer}, operation_id="binome_end_survey_answer",
        summary="Répondre au questionnaire de fin",
        description=(
            "Par chacun des deux membres, une fois par échéance. Les questions sur la confiance, les apports et "
            "l'envie de devenir mentor sont pour les mentoré·es. Quand les deux ont répondu, le binôme est "
            "prolongé si les deux le souhaitent, terminé sinon."
        ),
    )
    def post(self, request: Request, binome_id: int) -> Response:
        viewer = binome_viewer(request, binome_id)
        answers = self.body(EndSurveyAnswerSerializer, viewer=viewer)
        activity.end_survey_answer(binome=viewer.binome, by=request.user, answers=answers)
        return _survey_state(self, binome_viewer(request, binome_id), status=201)
