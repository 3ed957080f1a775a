"""Matching for coordinators: launch a run, poll it, review and decide its proposals."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from api.permissions import coordinated_association
from api.serializers.binomes import BinomeStaffSerializer
from api.serializers.common import EmptySerializer
from api.serializers.matching import (
    BulkDecisionSerializer,
    BulkOutcomeSerializer,
    MatchRunCreateSerializer,
    MatchRunSerializer,
    ProposalFilterSerializer,
    ProposalSerializer,
    UnmatchedMenteeSerializer,
)
from api.serializers.participants import DeclineSerializer
from api.views.base import ApiView
from api.views.binomes import with_staff_figures
from binomes.selectors import binome_get_for_coordinator
from matching import selectors, services
from matching.models import Proposal
from matching.selectors import ProposalFilters
from programmes.picker import programme_for_action

RUNS, PROPOSALS = "Appariement", "Propositions"


class MatchRunListView(ApiView):
    @extend_schema(tags=[RUNS], responses=MatchRunSerializer(many=True), operation_id="match_runs_list",
                   summary="Les appariements de l'association", description="Du plus récent au plus ancien.")
    def get(self, request: Request, slug: str) -> Response:
        association = coordinated_association(request, slug)
        return self.page(selectors.match_run_queryset(user=request.user, association=association), MatchRunSerializer)

    @extend_schema(
        tags=[RUNS], request=MatchRunCreateSerializer, responses={201: MatchRunSerializer}, operation_id="match_runs_create",
        summary="Lancer un appariement",
        description=(
            "Met en file un calcul sur le vivier validé d'un programme (`programme`, par défaut le programme par "
            "défaut), avec les réglages actuels de ce programme. Refusé (400) si un "
            "appariement du programme est déjà en file ou en cours ; 404 pour un programme inconnu ou que je ne vois pas. Interrogez ensuite "
            "`GET …/match-runs/{run_id}/` jusqu'à `is_active: false` ; les propositions arrivent dans "
            "`GET …/proposals/`, et remplacent celles qui attendaient encore une décision."
        ),
    )
    def post(self, request: Request, slug: str) -> Response:
        association = coordinated_association(request, slug)
        chosen = self.body(MatchRunCreateSerializer)["programme"]
        # the pages' rule: the programme named if this coordinator may see it (404 otherwise), else their default one
        programme = programme_for_action(user=request.user, association=association, slug=chosen)
        run = services.match_run_request(association=association, by=request.user, programme=programme)
        return self.serialize(MatchRunSerializer, selectors.match_run_get(user=request.user, association=association, run_id=run.pk),
                              status=201)


class MatchRunDetailView(ApiView):
    @extend_schema(tags=[RUNS], responses=MatchRunSerializer, operation_id="match_runs_retrieve",
                   summary="État, avancement et résultats d'un appariement",
                   description="Statut, étape, pourcentage, nombre de personnes et de propositions, qualité du calcul, erreur éventuelle.")
    def get(self, request: Request, slug: str, run_id: int) -> Response:
        association = coordinated_association(request, slug)
        return self.serialize(MatchRunSerializer, selectors.match_run_get(user=request.user, association=association, run_id=run_id))


class MatchRunUnmatchedView(ApiView):
    @extend_schema(tags=[RUNS], responses=UnmatchedMenteeSerializer(many=True), operation_id="match_runs_unmatched",
                   summary="Les mentoré·es sans proposition d'un appariement, et pourquoi",
                   description="Aucun mentor admissible (et la règle qui en a écarté le plus), ou mentors possibles tous attribués.")
    def get(self, request: Request, slug: str, run_id: int) -> Response:
        association = coordinated_association(request, slug)
        run = selectors.match_run_get(user=request.user, association=association, run_id=run_id)
        return self.page(selectors.unmatched_queryset(user=request.user, association=association, run=run), UnmatchedMenteeSerializer)


class MatchRunRetryView(ApiView):
    @extend_schema(tags=[RUNS], request=EmptySerializer, responses={201: MatchRunSerializer}, operation_id="match_runs_retry",
                   summary="Relancer un appariement en échec", description="Un nouvel appariement, lié à celui qui a échoué.")
    def post(self, request: Request, slug: str, run_id: int) -> Response:
        association = coordinated_association(request, slug)
        run = selectors.match_run_get(user=request.user, association=association, run_id=run_id)
        return self.serialize(MatchRunSerializer, services.match_run_retry(run=run, by=request.user), status=201)


def _proposal(request: Request, slug: str, proposal_id: int) -> Proposal:
    association = coordinated_association(request, slug)
    return selectors.proposal_get(user=request.user, association=association, proposal_id=proposal_id)


class ProposalListView(ApiView):
    @extend_schema(
        tags=[PROPOSALS], parameters=[ProposalFilterSerializer], responses=ProposalSerializer(many=True),
        operation_id="proposals_list",
        summary="Les propositions de binômes, avec leur explication",
        description=(
            "Les meilleures d'abord. Par défaut celles qui attendent une décision (`status=proposed`). "
            "Chacune s'explique en phrases simples (`explanation`) et critère par critère (`criteria`)."
        ),
    )
    def get(self, request: Request, slug: str) -> Response:
        association = coordinated_association(request, slug)
        q = self.query(ProposalFilterSerializer)
        filters = ProposalFilters(status=q["status"], min_score=q["min_score"], minors_only=q["minors"], search=q["q"].strip(),
                                  programme=q["programme"])
        return self.page(selectors.proposal_list(user=request.user, association=association, filters=filters), ProposalSerializer)


class ProposalDetailView(ApiView):
    @extend_schema(tags=[PROPOSALS], responses=ProposalSerializer, operation_id="proposals_retrieve",
                   summary="Une proposition", description="Avec son explication et le détail de ses critères.")
    def get(self, request: Request, slug: str, proposal_id: int) -> Response:
        return self.serialize(ProposalSerializer, _proposal(request, slug, proposal_id))


class ProposalApproveView(ApiView):
    @extend_schema(
        tags=[PROPOSALS], request=EmptySerializer, responses={201: BinomeStaffSerializer}, operation_id="proposals_approve",
        summary="Approuver une proposition : le binôme est créé",
        description=(
            "Une personne approuve chaque binôme (RGPD art. 22). Refusé (400, avec la raison) si la proposition "
            "est déjà traitée, si le ou la mentoré·e a déjà un binôme ou si le mentor a atteint sa capacité. "
            "Les deux membres sont présentés l'un à l'autre par e-mail."
        ),
    )
    def post(self, request: Request, slug: str, proposal_id: int) -> Response:
        proposal = _proposal(request, slug, proposal_id)
        binome = services.proposal_approve(proposal=proposal, by=request.user)
        binome = binome_get_for_coordinator(user=request.user, association=proposal.association, binome_id=binome.pk)
        return self.serialize(BinomeStaffSerializer, with_staff_figures(binome), status=201)


class ProposalRejectView(ApiView):
    @extend_schema(tags=[PROPOSALS], request=DeclineSerializer, responses=ProposalSerializer, operation_id="proposals_reject",
                   summary="Refuser une proposition, avec une raison",
                   description="Ce binôme ne sera plus jamais proposé.")
    def post(self, request: Request, slug: str, proposal_id: int) -> Response:
        proposal = _proposal(request, slug, proposal_id)
        services.proposal_reject(proposal=proposal, by=request.user, reason=self.body(DeclineSerializer)["reason"])
        return self.serialize(ProposalSerializer, _proposal(request, slug, proposal_id))


class ProposalBulkView(ApiView):
    @extend_schema(
        tags=[PROPOSALS], request=BulkDecisionSerializer, responses=BulkOutcomeSerializer, operation_id="proposals_bulk",
        summary="Approuver ou refuser plusieurs propositions",
        description=(
            "Chacune est traitée à part, les meilleures d'abord : un conflit n'annule pas les autres et revient "
            "dans `errors` avec sa raison. Un refus demande une raison. Jusqu'à 200 propositions à la fois."
        ),
    )
    def post(self, request: Request, slug: str) -> Response:
        association = coordinated_association(request, slug)
        data = self.body(BulkDecisionSerializer)
        ids = list(dict.fromkeys(data["proposals"]))
        chosen = selectors.proposals_by_ids(user=request.user, association=association, ids=ids)
        outcome = services.proposal_bulk_decide(proposals=chosen, by=request.user, approve=data["action"] == "approve",
                                                reason=data["reason"])
        found = {p.pk for p in chosen}
        errors = [{"proposal": pk, "detail": _("Proposition introuvable.")} for pk in ids if pk not in found]
        errors += [{"proposal": p.pk, "detail": message} for p, message in outcome.errors]
        return Response(BulkOutcomeSerializer({"done": [p.pk for p in outcome.done], "errors": errors}).data)
