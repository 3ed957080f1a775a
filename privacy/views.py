"""Pages of data rights: my data (export, erasure), a parent's, the coordinators', the notice."""

from __future__ import annotations

import json

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from associations.selectors import association_get_for_coordinator
from privacy import selectors, services
from privacy.export import person_data
from privacy.middleware import SESSION_PENDING
from privacy.models import ErasureRequest
from privacy.retention import SCHEDULE


def _json_response(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    participants = selectors.participants_of(user=request.user)
    pending = {r.participant_id: r for r in ErasureRequest.objects.filter(participant__in=participants)}
    return render(request, "privacy/my_data.html", {"participants": participants, "requests": pending, "schedule": SCHEDULE})


@login_required
def my_data_export(request: HttpRequest, fmt: str) -> HttpResponse:
    participants = selectors.participants_of(user=request.user)
    services.export_log(by=request.user, participants=participants, fmt=fmt)
    data = person_data(user=request.user, participants=participants)
    if fmt == "json":
        return _json_response(data, "mes-donnees-mentorat.json")
    return render(request, "privacy/export.html", {"data": data})


@login_required
@require_POST
def my_erasure_request(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = selectors.participant_of(user=request.user, participant_id=participant_id)
    try:
        services.erasure_request(participant=participant, by=request.user)
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        flash.success(request, _("Ta demande est envoyée à l'équipe de l'association, qui va la traiter et te répondre."))
    return redirect("privacy_my_data")


@require_http_methods(["GET", "POST"])
def parent_data(request: HttpRequest, token: str) -> HttpResponse:
    """The parent of an under-15, from the consent link e-mailed to them: the child's data, and erasure."""
    child = selectors.child_for_parent(token=token)
    if request.method == "POST":
        try:
            services.erasure_request(participant=child, by_parent=True)
        except ValidationError as exc:
            flash.error(request, " ".join(exc.messages))
        else:
            flash.success(request, _("Votre demande d'effacement est transmise à l'association, qui va vous répondre."))
        return redirect("privacy_parent_data", token=token)
    if request.GET.get("format") in ("json", "html"):
        services.export_log(by=None, participants=[child], fmt=request.GET["format"], parent=True)
        data = person_data(user=child.membership.user, participants=[child])
        if request.GET["format"] == "json":
            return _json_response(data, "donnees-mentorat.json")
        return render(request, "privacy/export.html", {"data": data, "parent": True})
    pending = ErasureRequest.objects.filter(participant=child, status=ErasureRequest.Status.PENDING).exists()
    return render(request, "privacy/parent_data.html", {"child": child, "token": token, "pending": pending})


@login_required
def coordination_requests(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    return render(request, "privacy/coordination.html", {
        "association": association, "requests": selectors.erasure_requests_for_coordinator(association=association)[:100],
        "schedule": SCHEDULE, "settings": {s.category: s.months for s in association.retention_settings.all()}})


@login_required
@require_POST
def coordination_decide(request: HttpRequest, slug: str, request_id: int, action: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    erasure = selectors.erasure_request_get(association=association, request_id=request_id)
    try:
        if action == "confirmer":
            services.erasure_confirm(request=erasure, by=request.user)
            flash.success(request, _("Les données de cette personne sont effacées (sauf ce qui doit être conservé)."))
        elif action == "refuser":
            services.erasure_refuse(request=erasure, by=request.user, reason=request.POST.get("reason", ""))
            flash.success(request, _("Demande refusée."))
        else:
            raise Http404
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    return redirect("privacy_coordination", slug=slug)


@login_required
@require_POST
def coordination_retention(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    raw = request.POST.get("months", "").strip()
    try:
        services.retention_setting_set(association=association, by=request.user, category=request.POST.get("category", ""),
                                       months=int(raw) if raw.isdigit() else None)
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    return redirect("privacy_coordination", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def notice_accept(request: HttpRequest) -> HttpResponse:
    target = request.GET.get("next") or request.POST.get("next") or "/espace/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/espace/"
    if request.method == "POST":
        if request.POST.get("agree") != "on":
            flash.error(request, _("Coche la case pour continuer."))
        else:
            services.notice_accept(user=request.user)
            request.session.pop(SESSION_PENDING, None)
            return redirect(target)
    return render(request, "privacy/notice_accept.html", {"next": target}, status=400 if request.method == "POST" else 200)


def notice_young(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/notice_young.html")
