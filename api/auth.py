"""Token authentication for integrations (``Authorization: Bearer mtr_…``).

The browser uses the session (DRF's SessionAuthentication, which enforces CSRF on writes); an
integration sends a token created on the coordinator page. A token authenticates as the
coordinator who created it, and ``api.permissions`` narrows what it reaches to its association.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from api.models import ApiToken
from api.selectors import api_token_get_usable
from api.services import api_token_touch


class TokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[object, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("En-tête Authorization invalide : « Bearer <jeton> » attendu."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Jeton invalide.")) from None
        token = api_token_get_usable(raw=raw)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("Jeton invalide ou révoqué (ou son auteur·rice ne coordonne plus l'association).")
            )
        api_token_touch(token=token)
        return token.created_by, token

    def authenticate_header(self, request: Request) -> str:
        # Its presence makes DRF answer 401 (not 403) to a request without credentials.
        return f'{self.keyword} realm="api"'
