"""A programme's sign-up questions, for its coordinators: the same services and rights as the
programme's page (a programme the coordinator may not see is a 404)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from api.permissions import coordinated_association
from api.serializers.programmes import QuestionSerializer
from api.views.base import ApiView
from programmes import questions
from programmes.models import Programme
from programmes.selectors import programme_get_for_coordinator

TAG = "Programmes"


def _programme(request: Request, slug: str, programme_slug: str) -> Programme:
    association = coordinated_association(request, slug)
    return programme_get_for_coordinator(user=request.user, association=association, slug=programme_slug)


class QuestionListView(ApiView):
    @extend_schema(tags=[TAG], responses=QuestionSerializer(many=True), operation_id="programme_questions_list",
                   summary="Les questions d'inscription d'un programme",
                   description="Toutes ses questions, les actives d'abord dans l'ordre où elles sont posées, avec leurs choix.")
    def get(self, request: Request, slug: str, programme_slug: str) -> Response:
        programme = _programme(request, slug, programme_slug)
        return self.page(questions.question_list(programme=programme), QuestionSerializer)

    @extend_schema(tags=[TAG], request=QuestionSerializer, responses={201: QuestionSerializer}, operation_id="programme_questions_create",
                   summary="Ajouter une question d'inscription",
                   description="Posée dès maintenant à l'inscription, en dernier. Mêmes règles que sur la page du programme.")
    def post(self, request: Request, slug: str, programme_slug: str) -> Response:
        programme = _programme(request, slug, programme_slug)
        data = dict(self.body(QuestionSerializer))
        choices = data.pop("new_choices", [])
        try:
            question = questions.signup_question_create(programme=programme, by=request.user, choices=choices, **data)
        except PermissionDenied:
            raise Http404 from None
        return Response(QuestionSerializer(questions.question_get(programme=programme, question_id=question.pk)).data, status=201)


class QuestionDetailView(ApiView):
    @extend_schema(tags=[TAG], request=QuestionSerializer, responses=QuestionSerializer, operation_id="programme_questions_update",
                   summary="Modifier une question d'inscription",
                   description="Mise à jour partielle ; ``new_choices`` ajoute des choix. Le type d'une question déjà répondue ne change plus.")
    def patch(self, request: Request, slug: str, programme_slug: str, question_id: int) -> Response:
        programme = _programme(request, slug, programme_slug)
        question = questions.question_get(programme=programme, question_id=question_id)
        data = dict(self.body(QuestionSerializer, partial=True))
        new_choices = data.pop("new_choices", [])
        try:
            questions.signup_question_update(question=question, by=request.user, new_choices=new_choices, **data)
        except PermissionDenied:
            raise Http404 from None
        return Response(QuestionSerializer(questions.question_get(programme=programme, question_id=question.pk)).data)
