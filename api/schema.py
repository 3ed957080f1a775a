"""OpenAPI details drf-spectacular cannot guess: the token scheme, and the error responses every
operation may give (documented, so clients and the schemathesis run know them)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from api.serializers.common import ErrorSerializer

READ_ERRORS = ("400", "401", "403", "404")
WRITE_ERRORS = (*READ_ERRORS, "413", "429")  # 413: a body over DATA_UPLOAD_MAX_MEMORY_SIZE


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        codes = READ_ERRORS if self.method in ("GET", "HEAD", "OPTIONS") else WRITE_ERRORS
        for code in codes:
            responses.setdefault(code, self._get_response_for_code(ErrorSerializer, code, direction=direction))
        return responses


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "jeton"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "http", "scheme": "bearer",
            "description": "Un jeton créé sur la page « API » de la coordination : `Authorization: Bearer mtr_…`.",
        }
