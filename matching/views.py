"""Coordinator pages of the matching: runs, settings, proposals to review."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from associations.selectors import association_get_for_coordinator
from matching import selectors, services
from matching.explanations import equity_rows, unmatched_detail, unmatched_line
from matching.forms import MatchingSettingsForm, RejectForm
from matching.models import MatchRun
from matching.proposals_selectors import proposal_pending_count
from mentorat.forms import apply_validation_error, posted_data
from programmes.picker import ALL_NEVER, programme_for_action, programme_pick_from_request


@login_required
def matching_home(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    pick = programme_pick_from_request(request, association=association)  # 404 for a programme not theirs
    runs = selectors.match_run_list(user=request.user, association=association, programme=pick.selected)
    pending = proposal_pending_count(user=request.user, association=association, programme=pick.selected)
    return render(request, "matching/home.html", {
        "association": association, "runs": runs, "active": next((r for r in runs if r.is_active), None), "pending": pending,
        "programmes": pick.options, "pick": pick,
    })


@login_required
@require_POST
def match_run_launch(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    # the programme whose pool is paired: the one chosen, else the coordinator's default one
    programme = programme_for_action(user=request.user, association=association, slug=request.POST.get("programme", "").strip())
    try:
        run = services.match_run_request(
            association=association, by=request.user, keep_pending=request.POST.get("pending") == "keep", programme=programme,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, launch_message(selectors.match_run_get(user=request.user, association=association, run_id=run.pk)))
    return redirect("matching_home", slug=slug)


def launch_message(run: MatchRun) -> str:
    """What the coordinator is told once the launch returns: the run's real state (without a
    broker it may already be done; with one, or in the demo's thread, it is queued or running)."""
    if run.status == MatchRun.Status.DONE:
        return ngettext("Appariement terminé : %(n)s binôme proposé.", "Appariement terminé : %(n)s binômes proposés.", run.n_proposals) % {"n": run.n_proposals}
    if run.status == MatchRun.Status.FAILED:
        return _("L'appariement a échoué : la raison est indiquée ci-dessous.")
    return _("Appariement lancé : suivez son avancement ci-dessous, la page se met à jour seule.")


@login_required
@require_POST
def match_run_retry(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    run = selectors.match_run_get(user=request.user, association=association, run_id=run_id)
    try:
        services.match_run_retry(run=run, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Appariement relancé."))
    return redirect("matching_home", slug=slug)


@login_required
def match_run_status(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    """The run's progress fragment; HTMX polls it while the run is active (the fragment stops
    asking once the run is done or failed)."""
    association = association_get_for_coordinator(user=request.user, slug=slug)
    run = selectors.match_run_get(user=request.user, association=association, run_id=run_id)
    return render(request, "matching/home.html#run-status", {"association": association, "run": run})


@login_required
def match_run_detail(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    """A run's report: remote pairs and their distances, match rates by group, and every mentee
    left without a proposal with the reason (50 a page; one query a page for the list)."""
    association = association_get_for_coordinator(user=request.user, slug=slug)
    run = selectors.match_run_get(user=request.user, association=association, run_id=run_id)
    page = Paginator(selectors.unmatched_queryset(user=request.user, association=association, run=run), 50).get_page(request.GET.get("page"))
    rows = [
        (u, unmatched_line(kind=u.kind, constraint=u.constraint, n_possible=u.n_possible, details=u.details), unmatched_detail(u.details))
        for u in page
    ]
    return render(request, "matching/run_detail.html", {
        "association": association, "run": run, "page": page, "rows": rows,
        "equity_rows": equity_rows(run.report.get("equity") or {}), "remote": run.report.get("remote"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def matching_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The matching settings of one programme (``?programme=``; the coordinator's default one when
    not given): each programme has its own, and its runs copy them."""
    association = association_get_for_coordinator(user=request.user, slug=slug)
    pick = programme_pick_from_request(request, association=association, all_programmes=ALL_NEVER)
    programme = pick.selected
    if programme is None:  # ALL_NEVER always picks one, or has raised Http404 already
        raise Http404
    row = selectors.settings_for(programme)
    form = MatchingSettingsForm.for_settings(row, posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.matching_settings_update(association=association, by=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Réglages d'appariement enregistrés : ils serviront au prochain appariement de ce programme."))
            return redirect(f"{reverse('matching_settings', args=[slug])}?{urlencode({'programme': programme.slug})}")
    return render(request, "matching/settings.html", {"association": association, "form": form, "pick": pick, "programme": programme})


@login_required
@require_POST
def proposal_approve(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    proposal = selectors.proposal_get(user=request.user, association=association, proposal_id=proposal_id)
    try:
        binome = services.proposal_approve(proposal=proposal, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Binôme créé : %(binome)s.") % {"binome": binome})
    return redirect("matching_proposals", slug=slug)


@login_required
@require_POST
def proposal_reject(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    proposal = selectors.proposal_get(user=request.user, association=association, proposal_id=proposal_id)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
    else:
        try:
            services.proposal_reject(proposal=proposal, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Proposition refusée : ce binôme ne sera plus proposé."))
    return redirect("matching_proposals", slug=slug)
