"""``/sante/``: liveness for the container orchestrator.

Answered by a middleware placed first, before host validation and the HTTPS redirect, because the
orchestrator calls it over plain HTTP on 127.0.0.1. It says only "ok" or "unavailable".
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)
HEALTH_PATH = "/sante/"


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        try:
            connection.ensure_connection()
        except DatabaseError:
            logger.exception("Health check: database unreachable")
            return HttpResponse("unavailable", status=503, content_type="text/plain")
        return HttpResponse("ok", content_type="text/plain")
