"""Pages of planned meetings (members and coordinators), the calendar feed, the association's places."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agenda import ics, selectors, services
from agenda.forms import OutcomeForm, PlaceForm, PlannedMeetingForm
from agenda.models import Place, PlannedMeeting
from associations.selectors import association_get_for_coordinator
from binomes.models import Binome
from binomes.selectors import Viewer, binome_get_for_coordinator, binome_get_for_viewer
from mentorat.forms import apply_validation_error, posted_data

ACTIONS = {"accepter", "annuler", "bilan"}


def _back(viewer: Viewer) -> str:
    if viewer.is_member:
        return reverse("agenda_binome_meetings", args=[viewer.binome.pk])
    return reverse("agenda_coordination_meetings", args=[viewer.binome.association.slug, viewer.binome.pk])


def _page(request: HttpRequest, viewer: Viewer, form: PlannedMeetingForm | None = None, status: int = 200) -> HttpResponse:
    binome = viewer.binome
    places = selectors.places_for_association(association=binome.association)
    rows = list(selectors.planned_meetings_for_viewer(viewer=viewer)[:30])
    role = viewer.role
    now = timezone.now()
    items = [{"planned": p, "may_accept": viewer.is_member and p.status == PlannedMeeting.Status.PROPOSED and not p.accepted_by(role),
              "may_change": viewer.is_member and p.status in (PlannedMeeting.Status.PROPOSED, PlannedMeeting.Status.ACCEPTED),
              "may_cancel": p.status in (PlannedMeeting.Status.PROPOSED, PlannedMeeting.Status.ACCEPTED) and p.starts_at > now,
              "ask_outcome": viewer.is_member and p.status == PlannedMeeting.Status.ACCEPTED and p.starts_at <= now}
             for p in rows]
    other = None
    if viewer.is_member:
        other = binome.mentee if role == "mentor" else binome.mentor
    return render(request, "agenda/binome_meetings.html", {
        "viewer": viewer, "binome": binome, "other": other, "items": items, "places": places,
        "form": form or PlannedMeetingForm(places=places), "running": binome.status in Binome.RUNNING_STATUSES,
        "action_url": _back(viewer),
    }, status=status)


def _propose(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    places = selectors.places_for_association(association=viewer.binome.association)
    form = PlannedMeetingForm(posted_data(request), places=places)
    if request.method == "POST" and form.is_valid():
        try:
            services.planned_meeting_propose(binome=viewer.binome, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            flash.success(request, _("Rendez-vous proposé : l'autre personne reçoit une invitation par e-mail."))
            return redirect(_back(viewer))
    return _page(request, viewer, form=form if request.method == "POST" else None, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def binome_meetings(request: HttpRequest, binome_id: int) -> HttpResponse:
    viewer = binome_get_for_viewer(user=request.user, binome_id=binome_id)
    if not viewer.is_member:
        raise Http404
    return _propose(request, viewer)


@login_required
@require_http_methods(["GET", "POST"])
def coordination_meetings(request: HttpRequest, slug: str, binome_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    binome = binome_get_for_coordinator(user=request.user, association=association, binome_id=binome_id)
    return _propose(request, Viewer(binome, "coordinator"))


@login_required
@require_POST
def planned_action(request: HttpRequest, binome_id: int, planned_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    viewer, planned = selectors.planned_meeting_get_for_viewer(user=request.user, binome_id=binome_id, planned_id=planned_id)
    try:
        if action == "accepter":
            services.planned_meeting_accept(planned=planned, by=request.user)
            flash.success(request, _("Rendez-vous accepté."))
        elif action == "annuler":
            services.planned_meeting_cancel(planned=planned, by=request.user)
            flash.success(request, _("Rendez-vous annulé : l'autre personne est prévenue."))
        else:
            form = OutcomeForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Réponds par oui ou par non."))
            result = services.planned_meeting_outcome(planned=planned, by=request.user, took_place=form.cleaned_data["took_place"])
            flash.success(request, _("Merci ! La rencontre est notée.") if result.meeting_id else _("Merci pour ta réponse."))
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    return redirect(_back(viewer))


@login_required
@require_http_methods(["GET", "POST"])
def planned_reschedule(request: HttpRequest, binome_id: int, planned_id: int) -> HttpResponse:
    viewer, planned = selectors.planned_meeting_get_for_viewer(user=request.user, binome_id=binome_id, planned_id=planned_id)
    if not viewer.is_member:
        raise Http404
    places = selectors.places_for_association(association=viewer.binome.association)
    initial: dict[str, Any] = {"duration_minutes": planned.duration_minutes, "format": planned.format, "place": planned.place_id,
                               "place_text": planned.place_text, "topic": planned.topic}
    form = PlannedMeetingForm(posted_data(request), places=places, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.planned_meeting_reschedule(planned=planned, by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            flash.success(request, _("Nouveau moment proposé."))
            return redirect(_back(viewer))
    return render(request, "agenda/reschedule.html", {"viewer": viewer, "binome": viewer.binome, "planned": planned, "form": form},
                  status=400 if form.errors else 200)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def planned_ics(request: HttpRequest, binome_id: int, planned_id: int) -> HttpResponse:
    viewer, planned = selectors.planned_meeting_get_for_viewer(user=request.user, binome_id=binome_id, planned_id=planned_id)
    if not viewer.is_member:
        raise Http404
    other = viewer.binome.mentee if viewer.role == "mentor" else viewer.binome.mentor
    cancel = planned.status == PlannedMeeting.Status.CANCELLED
    return _ics_response(ics.invitation(planned, other_name=other.membership.user.first_name, attendee_email=request.user.email,
                                        cancel=cancel), "rendez-vous.ics")


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(user=request.user)
            flash.success(request, _("L'ancien lien d'agenda ne fonctionne plus."))
            return redirect("agenda_feed_settings")
        token = services.calendar_feed_create(user=request.user)
    url = request.build_absolute_uri(reverse("agenda_feed", args=[token])) if token else None
    return render(request, "agenda/feed_settings.html", {"feed": selectors.calendar_feed_live(user=request.user), "url": url})


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription itself: no login (calendar apps cannot log in), the secret URL is the key."""
    user = selectors.calendar_feed_user(token=token)
    response = HttpResponse(ics.feed(selectors.feed_items_for_user(user=user), name=_("Mes rendez-vous de mentorat")),
                            content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def coordination_places(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    form = PlaceForm(posted_data(request))
    if request.method == "POST" and request.POST.get("toggle"):
        place = get_object_or_404(Place, pk=request.POST["toggle"] if request.POST["toggle"].isdigit() else 0, association=association)
        services.place_set_active(place=place, by=request.user, active=not place.active)
        return redirect("agenda_coordination_places", slug=slug)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_create(association=association, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            flash.success(request, _("Lieu ajouté."))
            return redirect("agenda_coordination_places", slug=slug)
    return render(request, "agenda/places.html", {
        "association": association, "form": form,
        "places": selectors.places_for_association(association=association, active_only=False)}, status=400 if form.errors else 200)
