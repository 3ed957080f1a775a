from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from associations.selectors import association_list_public


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"associations": association_list_public()})


def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The current version of the notice; its version string is what consents record."""
    return render(request, f"legal/privacy_{settings.PRIVACY_NOTICE_VERSION}.html")


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Send each person to the space they most likely came for."""
    from associations.selectors import association_list_coordinated_by

    coordinated = association_list_coordinated_by(user=request.user)
    if coordinated:
        return redirect("coordination_home", slug=coordinated[0].slug)  # the checklist while steps remain
    if request.user.is_operator:
        return redirect("operator_association_list")
    return redirect("my_space")
