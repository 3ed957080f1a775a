"""The acting user: who they are, where their sign-ups stand, their own profile."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from api.permissions import token_association_id
from api.serializers.participants import MeSerializer, ProfileSerializer
from api.views.base import ApiView
from associations.selectors import association_list_coordinated_by
from participants import selectors as participant_selectors
from participants import services as participant_services
from participants.models import Participant
from programmes.questions import answers_from_api


def _own_participant(request: Request, participant_id: int) -> Participant:
    participant = participant_selectors.participant_get_for_owner(user=request.user, participant_id=participant_id)
    scope = token_association_id(request)
    if scope is not None and participant.association_id != scope:
        raise Http404
    return participant


class MeView(ApiView):
    @extend_schema(
        tags=["Moi"], responses=MeSerializer, operation_id="me_retrieve",
        summary="Mon compte et où en sont mes inscriptions",
        description=(
            "Le compte qui agit (avec un jeton : son auteur·rice), les associations qu'il coordonne et ses "
            "inscriptions comme mentor ou mentoré·e, avec leur statut et le nombre de jours d'attente "
            "depuis la validation. Avec un jeton, seule l'association du jeton apparaît."
        ),
    )
    def get(self, request: Request) -> Response:
        scope = token_association_id(request)
        coordinates = [a for a in association_list_coordinated_by(user=request.user) if scope in (None, a.pk)]
        participations = participant_selectors.participant_list_for_user(user=request.user)
        if scope is not None:
            participations = participations.filter(association_id=scope)
        user = request.user
        return self.serialize(MeSerializer, {
            "id": user.pk, "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
            "coordinates": coordinates, "participations": list(participations),
        })


class ProfileView(ApiView):
    @extend_schema(
        tags=["Moi"], responses=ProfileSerializer, operation_id="me_profile_retrieve",
        summary="Mon profil de mentor ou de mentoré·e",
        description="Le profil d'une de mes inscriptions (404 pour celle de quelqu'un d'autre).",
    )
    def get(self, request: Request, participant_id: int) -> Response:
        return self.serialize(ProfileSerializer, _own_participant(request, participant_id))

    @extend_schema(
        tags=["Moi"], request=ProfileSerializer, responses=ProfileSerializer, operation_id="me_profile_update",
        summary="Modifier mon profil",
        description=(
            "Mise à jour partielle : seuls les champs envoyés changent, et les mêmes règles que sur la page "
            "s'appliquent (âge permis par l'association, parent avant 15 ans, capacité 1 à 3 pour un mentor). "
            "L'association, le rôle, le statut et le compte ne se changent pas : envoyés, ils sont ignorés."
        ),
    )
    def patch(self, request: Request, participant_id: int) -> Response:
        participant = _own_participant(request, participant_id)
        profile = dict(self.body(ProfileSerializer, partial=True))
        answers = answers_from_api(profile.pop("api_answers", []))
        updated = participant_services.participant_update_profile(participant=participant, by=request.user, profile=profile,
                                                                  answers=answers)
        return self.serialize(ProfileSerializer, _own_participant(request, updated.pk))
