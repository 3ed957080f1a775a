"""Held texts (coordination): flagged messages, profile texts and meeting notes to release or refuse."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from api.permissions import coordinated_association
from api.serializers.common import EmptySerializer
from api.serializers.safeguarding import HeldTextSerializer, RefuseTextSerializer
from api.views.base import ApiView
from safeguarding import selectors, services

HELD = "Textes à relire"


def _review(request: Request, slug: str, review_id: int):  # noqa: ANN202
    association = coordinated_association(request, slug)
    return selectors.text_review_get_for_coordinator(user=request.user, association=association, review_id=review_id)


class HeldTextListView(ApiView):
    @extend_schema(
        tags=[HELD], responses=HeldTextSerializer(many=True), operation_id="held_texts_list",
        summary="Les textes à relire de l'association (coordination)",
        description=(
            "Messages, textes de profil (objectifs, parcours) et notes de rencontre où des coordonnées ont été "
            "détectées, encore à relire : les retenus d'abord, puis du plus ancien au plus récent."
        ),
    )
    def get(self, request: Request, slug: str) -> Response:
        association = coordinated_association(request, slug)
        return self.page(selectors.held_text_list_for_coordinator(user=request.user, association=association), HeldTextSerializer)


class HeldTextReleaseView(ApiView):
    @extend_schema(tags=[HELD], request=EmptySerializer, responses=HeldTextSerializer, operation_id="held_texts_release",
                   summary="Transmettre un texte retenu",
                   description="L'autre membre le voit ; l'auteur·rice est prévenu·e. 400 si le texte a déjà été traité.")
    def post(self, request: Request, slug: str, review_id: int) -> Response:
        review = services.text_review_release(review=_review(request, slug, review_id), by=request.user)
        return self.serialize(HeldTextSerializer, review)


class HeldTextRefuseView(ApiView):
    @extend_schema(tags=[HELD], request=RefuseTextSerializer, responses=HeldTextSerializer, operation_id="held_texts_refuse",
                   summary="Refuser un texte",
                   description="Il n'est jamais montré à l'autre membre ; l'auteur·rice est prévenu·e avec la raison (obligatoire).")
    def post(self, request: Request, slug: str, review_id: int) -> Response:
        review = _review(request, slug, review_id)
        reason = self.body(RefuseTextSerializer)["reason"]
        return self.serialize(HeldTextSerializer, services.text_review_refuse(review=review, by=request.user, reason=reason))
