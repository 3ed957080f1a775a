"""A logged-in person's language follows them: e-mails are written in it, and every device shows it.

- An explicit choice (the language switch sets the language cookie) is stored on the account when it
  differs from the stored one: one UPDATE, only then.
- Without a cookie on this device, the stored language is used for the request (rather than the
  browser's Accept-Language), so a choice made on the phone also holds on the school's computer.
Anonymous visitors keep LocaleMiddleware's choice (cookie, then Accept-Language, then French).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from accounts.models import User


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if chosen in self.languages and chosen != user.language:
                # update() rather than save(): touch only this column (no race with a profile
                # edit saving other fields of the same row).
                User.objects.filter(pk=user.pk).update(language=chosen)
                user.language = chosen
            elif chosen is None and user.language in self.languages and user.language != translation.get_language():
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        return self.get_response(request)
