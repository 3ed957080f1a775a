"""A new version of the privacy notice is agreed to again at the next page a person opens."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths that never wait for the agreement: the notice itself, logging out, assets, the API (its own
# clients), the health check, the calendar feed (read by calendar apps), the parent's links.
EXEMPT = ("/confidentialite/", "/comptes/", "/static/", "/i18n/", "/api/", "/sante/", "/agenda/flux/", "/admin/",
          "/consentement-parental/", "/mes-donnees/parent/", "/mon-espace/mes-donnees/")
SESSION_KEY = "privacy_notice_ok"


class NoticeAcceptanceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and request.method == "GET"
                and not request.path.startswith(EXEMPT)
                and request.session.get(SESSION_KEY) != settings.PRIVACY_NOTICE_VERSION):
            from privacy.services import notice_outdated

            if notice_outdated(user=user):
                return redirect(f"{reverse('privacy_notice_accept')}?{urlencode({'next': request.get_full_path()})}")
            # Checked once per session and version: later pages cost no query.
            request.session[SESSION_KEY] = settings.PRIVACY_NOTICE_VERSION
        return self.get_response(request)
