"""A new version of the privacy notice is agreed to again at the next login.

The check runs once, when the person logs in (``notice_check_at_login``, connected to Django's
``user_logged_in`` in ``privacy.apps``): it leaves a mark in the session. This middleware only reads
that mark (no query on any request) and sends the person to the acceptance page until they agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths that never wait for the agreement: the notice itself, logging out, assets, the API (its own
# clients), the health check, the calendar feed (read by calendar apps), the parent's links, and the
# person's own data (export and erasure stay open to someone who does not agree).
EXEMPT = ("/confidentialite/", "/comptes/", "/static/", "/i18n/", "/api/", "/sante/", "/agenda/flux/", "/admin/",
          "/consentement-parental/", "/mes-donnees/parent/", "/mon-espace/mes-donnees/")
SESSION_PENDING = "privacy_notice_pending"


def notice_check_at_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    from privacy.services import notice_outdated

    if request is None or not hasattr(request, "session"):
        return
    if notice_outdated(user=user):
        request.session[SESSION_PENDING] = settings.PRIVACY_NOTICE_VERSION
    else:
        request.session.pop(SESSION_PENDING, None)


class NoticeAcceptanceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (request.method == "GET" and settings.SESSION_COOKIE_NAME in request.COOKIES
                and not request.path.startswith(EXEMPT)
                and request.session.get(SESSION_PENDING) == settings.PRIVACY_NOTICE_VERSION):
            return redirect(f"{reverse('privacy_notice_accept')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
