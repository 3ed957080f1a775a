from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from associations.selectors import association_list_public


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"associations": association_list_public()})


def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The current version of the notice; its version string is what consents record."""
    return render(request, f"legal/privacy_{settings.PRIVACY_NOTICE_VERSION}.html")
