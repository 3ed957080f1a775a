"""Rate limits of the API, counted in the cache (Redis in production, LocMemCache in tests).

Rates are read when a request comes (not when the class is defined, as DRF does), so the settings
can change them, in tests too. A token counts against its creator's budget.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle

from mentorat.client_ip import client_ip

if TYPE_CHECKING:  # rest_framework.views imports this module (DEFAULT_THROTTLE_CLASSES)
    from rest_framework.request import Request
    from rest_framework.views import APIView


class _SettingsRate(UserRateThrottle):
    def get_ident(self, request: Request) -> str:
        # The platform's one client address (TRUSTED_PROXY_COUNT), not DRF's reading of
        # X-Forwarded-For, which a client can forge.
        return client_ip(request)

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class WriteRateThrottle(_SettingsRate):
    """Every write (POST, PATCH, PUT, DELETE) of a user, all endpoints together."""

    scope = "writes"


class MessageRateThrottle(_SettingsRate):
    """Messages sent by a user, on top of the writes budget and of the service's own flood
    limit (``binomes.messaging.RATE_LIMIT_COUNT`` per ten minutes and binôme)."""

    scope = "messages"
