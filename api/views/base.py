from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response


class ApiView(GenericAPIView):
    """Base of every endpoint: authentication, permissions, throttles and pagination come from
    ``REST_FRAMEWORK`` in the settings; these helpers keep the views to a few lines."""

    def query(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        """The query string, validated (400 with French field errors otherwise)."""
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def body(self, serializer_class: type[serializers.Serializer], *, partial: bool = False, **context: Any) -> dict[str, Any]:
        """The JSON body, validated. Fields the serializer does not declare (association, role,
        status, user…) are dropped here: a client can never set them."""
        serializer = serializer_class(data=self.request.data, partial=partial,
                                      context={"request": self.request, **context})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def serialize(self, serializer_class: type[serializers.Serializer], instance: Any, *, status: int = 200,
                  **context: Any) -> Response:
        data = serializer_class(instance, context={"request": self.request, **context}).data
        return Response(data, status=status)

    def page(self, items: Iterable[Any], serializer_class: type[serializers.Serializer], **context: Any) -> Response:
        chunk = self.paginate_queryset(items)
        data = serializer_class(chunk, many=True, context={"request": self.request, **context}).data
        return self.get_paginated_response(data)
