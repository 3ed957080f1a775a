"""Pages of a binôme: the members' space and the coordinators' follow-up."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from associations.selectors import association_get_for_coordinator
from binomes import activity, lifecycle, messaging, poll_cache, selectors
from binomes.forms import (
    BinomeFilterForm,
    CheckInForm,
    EndEarlyForm,
    EndSurveyForm,
    HandleReportForm,
    MeetingForm,
    MessageForm,
    ReportForm,
    SuspendForm,
)
from binomes.health import LABELS as HEALTH_LABELS
from binomes.health import health_of
from binomes.models import Binome, Message
from mentorat.forms import apply_validation_error, posted_data
from mentorat.paging import ListPaginator
from programmes.picker import programme_pick_from_request
from safeguarding.screening import author_notice
from safeguarding.selectors import profile_texts_for_viewer

# The page shows the last PAGE_SIZE messages; older ones come on demand ("Messages précédents").
PAGE_SIZE = 50


def _cursor(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    # ASCII digits only ("²".isdigit() is true) and within a bigint: anything else is no cursor.
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _conversation_window(viewer: selectors.Viewer, *, before_id: int | None = None) -> dict[str, Any]:
    """The newest PAGE_SIZE messages (before ``before_id`` if given), newest first, with the
    cursors the page polls from: ``after`` the newest id shown, ``decisions`` the team's decisions
    so far (a release or refusal re-renders the window, see selectors.conversation_decisions)."""
    rows = list(selectors.visible_messages(viewer=viewer, before_id=before_id, newest_first=True)[: PAGE_SIZE + 1])
    return {"conversation": rows[:PAGE_SIZE], "earlier": rows[PAGE_SIZE - 1].pk if len(rows) > PAGE_SIZE else None,
            "after": rows[0].pk if rows and before_id is None else 0, "decisions": selectors.conversation_decisions(viewer=viewer),
            "polling": before_id is None}


def _member_context(request: HttpRequest, viewer: selectors.Viewer, **forms: Any) -> dict[str, Any]:
    binome = viewer.binome
    me, other = (binome.mentor, binome.mentee) if viewer.role == "mentor" else (binome.mentee, binome.mentor)
    return {
        "binome": binome, "viewer": viewer, "me": me, "other": other, "why": selectors.binome_explanation_for_viewer(viewer=viewer),
        # The other member's profile texts, a held or refused one replaced by a placeholder.
        "other_texts": profile_texts_for_viewer(participant=other, viewer=request.user),
        **_conversation_window(viewer, before_id=_cursor(request, "before")),
        "message_form": forms.get("message_form") or MessageForm(),
        "meeting_form": forms.get("meeting_form") or MeetingForm(),
        "check_in_form": forms.get("check_in_form") or CheckInForm(),
        "end_early_form": forms.get("end_early_form") or EndEarlyForm(),
        "report_form": forms.get("report_form") or ReportForm(),
        "check_in_due": activity.check_in_due(binome=binome, user=request.user),
        "end_survey_open": activity.end_survey_open(binome),
        "meetings": binome.meetings.all()[:10],
        "running": binome.status in Binome.RUNNING_STATUSES,
    }


@login_required
def my_binomes(request: HttpRequest) -> HttpResponse:
    return render(request, "binomes/my_binomes.html", {"binomes": selectors.binome_list_for_member(user=request.user)})


@login_required
def binome_detail(request: HttpRequest, binome_id: int) -> HttpResponse:
    viewer = selectors.binome_get_for_member(user=request.user, binome_id=binome_id)
    messaging.conversation_mark_read(binome=viewer.binome, user=request.user)
    return render(request, "binomes/detail.html", _member_context(request, viewer))


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, binome_id: int) -> HttpResponse:
    """GET: what the HTMX poll asks for (``?after=<id>&decisions=<n>``: only what is new, 204 when
    nothing is, with no write) or older messages (``?before=<id>``). POST: send a message."""
    after, decisions = _cursor(request, "after"), _cursor(request, "decisions")
    polling = request.method == "GET" and after is not None and decisions is not None and "before" not in request.GET
    generation = None
    if polling:
        # Most polls end here: the cursor already found nothing new in the conversation's current
        # generation (see binomes.poll_cache), checked before any query but the membership's.
        unchanged, generation = poll_cache.poll_state(binome_id=binome_id, user_id=request.user.pk, after=after, decisions=decisions)
        if unchanged and selectors.is_member(user=request.user, binome_id=binome_id):
            return HttpResponse(status=204)
    viewer = selectors.binome_get_for_member(user=request.user, binome_id=binome_id)
    running = viewer.binome.status in Binome.RUNNING_STATUSES
    if request.method == "GET" and (before := _cursor(request, "before")) is not None:
        window = _conversation_window(viewer, before_id=before)
        return render(request, "binomes/detail.html#message-items", {"viewer": viewer, "binome": viewer.binome, **window})
    if polling and decisions == selectors.conversation_decisions(viewer=viewer):
        # A poll with the team's decisions unchanged: only the newer messages, nothing if none
        # (no rendering, no write), which the next polls with this cursor answer from the cache.
        new = list(selectors.visible_messages(viewer=viewer, after_id=after, newest_first=True)[:PAGE_SIZE])
        if not new:
            poll_cache.remember_nothing_new(binome_id=binome_id, user_id=request.user.pk, generation=generation,
                                            after=after, decisions=decisions)
            return HttpResponse(status=204)
        if after:  # else the first message: the whole list, without its "no message yet"
            messaging.conversation_mark_read(binome=viewer.binome, user=request.user)
            return render(request, "binomes/detail.html#message-news", {
                "viewer": viewer, "binome": viewer.binome, "conversation": new, "after": new[0].pk, "decisions": decisions,
                "polling": True, "running": running})
    form = MessageForm(posted_data(request))
    sent: Message | None = None
    if request.method == "POST" and form.is_valid():
        try:
            sent = messaging.message_send(binome=viewer.binome, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if sent.flagged:
                flash.warning(request, messaging.flag_explanation(sent))
            form = MessageForm()
            if not request.htmx:
                return redirect("binome_detail", binome_id=binome_id)
    messaging.conversation_mark_read(binome=viewer.binome, user=request.user)
    if not request.htmx and request.method == "POST":
        # Without JavaScript, an error re-renders the page with what was typed.
        return render(request, "binomes/detail.html", _member_context(request, viewer, message_form=form), status=400)
    context = {"viewer": viewer, "binome": viewer.binome, **_conversation_window(viewer),
               "message_form": form, "flag_notice": messaging.flag_explanation(sent) if sent and sent.flagged else "",
               "running": running}
    # A GET (a poll after a decision, or without a cursor) replaces the list only, never the form
    # someone is typing in.
    fragment = "conversation" if request.method == "POST" else "message-list"
    # htmx does not swap 4xx responses: an HTMX error answers 200 so the message shows in place.
    status = 400 if form.errors and not request.htmx else 200
    response = render(request, f"binomes/detail.html#{fragment}", context, status=status)
    # The poller targets the list's top to prepend: a whole window replaces the list instead.
    return response if request.method == "POST" else reswap(retarget(response, "#messages"), "outerHTML")


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, binome_id: int) -> HttpResponse:
    """"Signaler": GET ``?message=<id>`` shows the one report form for that message (the
    conversation links here from every message); POST reports it, or the binôme as a whole."""
    viewer = selectors.binome_get_for_member(user=request.user, binome_id=binome_id)
    form = ReportForm(posted_data(request))
    message = None
    if message_id := (request.POST if request.method == "POST" else request.GET).get("message"):
        message = get_object_or_404(selectors.visible_messages(viewer=viewer), pk=message_id if str(message_id).isdigit() else 0)
    if request.method == "POST" and form.is_valid():
        try:
            messaging.report_create(binome=viewer.binome, by=request.user, reason=form.cleaned_data["reason"], message=message)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            flash.success(request, _("Merci : l'équipe de l'association est prévenue et va regarder."))
            return redirect("binome_detail", binome_id=binome_id)
    status = 400 if request.method == "POST" else 200
    if message is not None:
        return render(request, "binomes/report.html", {"binome": viewer.binome, "message": message, "form": form}, status=status)
    if request.method == "GET":
        return redirect("binome_detail", binome_id=binome_id)
    return render(request, "binomes/detail.html", _member_context(request, viewer, report_form=form), status=status)


def _member_action(request: HttpRequest, binome_id: int, form_class: type, form_name: str, action, success: str) -> HttpResponse:  # noqa: ANN001
    viewer = selectors.binome_get_for_member(user=request.user, binome_id=binome_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            done = action(viewer.binome, form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            flash.success(request, success)
            # A meeting note with contact details: its author is told why it is held.
            if notice := author_notice(getattr(done, "review", None)):
                flash.warning(request, notice)
            return redirect("binome_detail", binome_id=binome_id)
    return render(request, "binomes/detail.html", _member_context(request, viewer, **{form_name: form}), status=400)


@login_required
@require_POST
def log_meeting(request: HttpRequest, binome_id: int) -> HttpResponse:
    return _member_action(request, binome_id, MeetingForm, "meeting_form",
                          lambda b, d: activity.meeting_log(binome=b, by=request.user, **d), _("Rencontre enregistrée."))


@login_required
@require_POST
def check_in(request: HttpRequest, binome_id: int) -> HttpResponse:
    return _member_action(request, binome_id, CheckInForm, "check_in_form",
                          lambda b, d: activity.check_in_answer(binome=b, by=request.user, **d), _("Merci pour ta réponse !"))


@login_required
@require_POST
def end_early(request: HttpRequest, binome_id: int) -> HttpResponse:
    return _member_action(request, binome_id, EndEarlyForm, "end_early_form",
                          lambda b, d: lifecycle.binome_end_early(binome=b, by=request.user, **d), _("Le binôme est arrêté. Merci pour le temps partagé."))


@login_required
@require_http_methods(["GET", "POST"])
def end_survey(request: HttpRequest, binome_id: int) -> HttpResponse:
    viewer = selectors.binome_get_for_member(user=request.user, binome_id=binome_id)
    if not activity.end_survey_open(viewer.binome):
        raise Http404
    form = EndSurveyForm(posted_data(request), role=viewer.role)
    if request.method == "POST" and form.is_valid():
        try:
            activity.end_survey_answer(binome=viewer.binome, by=request.user, answers=form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            flash.success(request, _("Merci pour tes réponses !"))
            return redirect("binome_detail", binome_id=binome_id)
    return render(request, "binomes/end_survey.html", {"binome": viewer.binome, "form": form, "viewer": viewer})


# --- coordinators ---------------------------------------------------------------------------


@login_required
def coordination_binomes(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    pick = programme_pick_from_request(request, association=association)  # 404 for a programme not theirs
    filter_form = BinomeFilterForm(request.GET or None)
    d = filter_form.cleaned_data if filter_form.is_valid() else {}
    filters = selectors.BinomeFilters(status=d.get("status", ""), health=d.get("health", ""), reported=d.get("reported", False), search=(d.get("q") or "").strip(),
                                      programme=pick.slug)
    rows = selectors.binome_list_page_for_coordinator(user=request.user, association=association, filters=filters)
    page = ListPaginator(rows, 25).get_page(request.GET.get("page"))
    for binome in page:
        binome.health_label = HEALTH_LABELS.get(binome.health, "")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "binomes/coordination_list.html", {"association": association, "page": page, "filter_form": filter_form,
                                                               "query": query.urlencode(), "pick": pick})


def _coordination_context(request: HttpRequest, association, binome: Binome, **forms: Any) -> dict[str, Any]:  # noqa: ANN001
    viewer = selectors.Viewer(binome, "coordinator")
    return {
        "association": association, "binome": binome, "health": health_of(binome), "health_labels": HEALTH_LABELS,
        # The members' window: the last PAGE_SIZE messages, newest first, older ones on demand.
        **_conversation_window(viewer, before_id=_cursor(request, "before")),
        "reports": list(selectors.open_reports(binome=binome)), "why": selectors.binome_explanation_for_viewer(viewer=viewer),
        "meetings": list(binome.meetings.all()[:20]), "check_ins": list(binome.check_ins.select_related("user")[:12]),
        "staff_reads": list(binome.staff_reads.select_related("user")[:10]),
        "suspend_form": forms.get("suspend_form") or SuspendForm(), "end_early_form": forms.get("end_early_form") or EndEarlyForm(),
        "handle_form": forms.get("handle_form") or HandleReportForm(),
    }


@login_required
def coordination_binome_detail(request: HttpRequest, slug: str, binome_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    binome = selectors.binome_get_for_coordinator(user=request.user, association=association, binome_id=binome_id)
    messaging.staff_read_record(binome=binome, by=request.user)  # every coordinator read is logged (older messages too)
    if request.htmx and _cursor(request, "before") is not None:  # "Messages précédents": the older window only
        viewer = selectors.Viewer(binome, "coordinator")
        return render(request, "binomes/coordination_detail.html#message-items", {
            "association": association, "binome": binome, **_conversation_window(viewer, before_id=_cursor(request, "before"))})
    return render(request, "binomes/coordination_detail.html", _coordination_context(request, association, binome))


@login_required
@require_POST
def coordination_binome_action(request: HttpRequest, slug: str, binome_id: int, action: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    binome = selectors.binome_get_for_coordinator(user=request.user, association=association, binome_id=binome_id)
    forms: dict[str, Any] = {}
    try:
        if action == "suspendre":
            form = forms["suspend_form"] = SuspendForm(request.POST)
            if form.is_valid():
                lifecycle.binome_suspend(binome=binome, by=request.user, reason=form.cleaned_data["reason"])
        elif action == "reprendre":
            lifecycle.binome_resume(binome=binome, by=request.user)
        elif action == "arreter":
            form = forms["end_early_form"] = EndEarlyForm(request.POST)
            if form.is_valid():
                lifecycle.binome_end_early(binome=binome, by=request.user, **form.cleaned_data)
        elif action == "liberer":
            message = get_object_or_404(Message, binome=binome, pk=request.POST.get("message"))
            messaging.message_release(message=message, by=request.user)
        elif action == "traiter":
            form = forms["handle_form"] = HandleReportForm(request.POST)
            report_obj = get_object_or_404(binome.reports, pk=request.POST.get("report"))
            if form.is_valid():
                messaging.report_handle(report=report_obj, by=request.user, outcome=form.cleaned_data["outcome"])
        else:
            raise Http404
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
        return redirect("coordination_binome_detail", slug=slug, binome_id=binome_id)
    if any(f.errors for f in forms.values()):
        return render(request, "binomes/coordination_detail.html", _coordination_context(request, association, binome, **forms), status=400)
    flash.success(request, _("C'est fait."))
    return redirect("coordination_binome_detail", slug=slug, binome_id=binome_id)
