from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from associations.selectors import association_list_public

# The date of the last check of the statement below (axe-core on the key pages, keyboard and
# 390 px review): update it with the statement when the pages change.
ACCESSIBILITY_AUDIT_DATE = datetime.date(2026, 12, 1)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"associations": association_list_public()})


def privacy_notice(request: HttpRequest) -> HttpResponse:
    """The current version of the notice; its version string is what consents record."""
    return render(request, f"legal/privacy_{settings.PRIVACY_NOTICE_VERSION}.html")


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the static file (its
    hashed name is known only at request time, after collectstatic)."""
    return redirect(static("img/favicon.ico"), permanent=True)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (RGAA 4.1 model), linked from every footer."""
    return render(request, "legal/accessibility.html", {"audit_date": ACCESSIBILITY_AUDIT_DATE, "contact": settings.ACCESSIBILITY_CONTACT_EMAIL})


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Send each person to the space they most likely came for."""
    from associations.selectors import association_list_coordinated_by
    from imports.selectors import invitation_waiting_for

    if invitation_waiting_for(user=request.user):
        # Imported, with a password chosen through "mot de passe oublié": the invitation's answer
        # (the privacy notice) is still to give, before anything else.
        return redirect("import_invitation_answer")
    coordinated = association_list_coordinated_by(user=request.user)
    if coordinated:
        return redirect("coordination_home", slug=coordinated[0].slug)  # the checklist while steps remain
    if request.user.is_operator:
        return redirect("operator_association_list")
    return redirect("my_space")
