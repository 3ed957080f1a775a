"""Coordinator pages of the matching: runs, settings, proposals to review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from associations.selectors import association_get_for_coordinator
from matching import selectors, services
from matching.explanations import (
    criteria_rows,
    equity_rows,
    explanation_lines,
    unmatched_detail,
    unmatched_line,
)
from matching.forms import BulkDecisionForm, MatchingSettingsForm, ProposalFilterForm, RejectForm
from mentorat.forms import apply_validation_error, posted_data


@login_required
def matching_home(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    runs = selectors.match_run_list(user=request.user, association=association)
    return render(request, "matching/home.html", {"association": association, "runs": runs, "active": next((r for r in runs if r.is_active), None)})


@login_required
@require_POST
def match_run_launch(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    try:
        services.match_run_request(association=association, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Appariement lancé : les propositions arrivent dans quelques secondes."))
    return redirect("matching_home", slug=slug)


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
    association = association_get_for_coordinator(user=request.user, slug=slug)
    row = services.matching_settings_get(association=association)
    form = MatchingSettingsForm.for_settings(row, posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.matching_settings_update(association=association, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Réglages d'appariement enregistrés : ils serviront au prochain appariement."))
            return redirect("matching_settings", slug=slug)
    return render(request, "matching/settings.html", {"association": association, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_list(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    filter_form = ProposalFilterForm(request.GET or None)
    proposals = selectors.proposal_list(user=request.user, association=association, filters=filter_form.to_filters())
    page = Paginator(proposals, 20).get_page(request.GET.get("page"))
    bulk_form = BulkDecisionForm(posted_data(request), allowed_ids=[p.pk for p in page])
    if request.method == "POST" and bulk_form.is_valid():
        chosen = selectors.proposals_by_ids(user=request.user, association=association, ids=bulk_form.cleaned_data["proposals"])
        try:
            outcome = services.proposal_bulk_decide(
                proposals=chosen, by=request.user, approve=bulk_form.cleaned_data["action"] == "approve",
                reason=bulk_form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_validation_error(bulk_form, exc)
        else:
            if outcome.done:
                messages.success(request, ngettext("%(n)s proposition traitée.", "%(n)s propositions traitées.", len(outcome.done)) % {"n": len(outcome.done)})
            for proposal, error in outcome.errors:
                messages.error(request, _("%(mentee)s ↔ %(mentor)s : %(error)s") % {
                    "mentee": proposal.mentee.display_name, "mentor": proposal.mentor.display_name, "error": error})
            return redirect(request.get_full_path())
    rows = [(p, explanation_lines(p.breakdown), criteria_rows(p.breakdown)) for p in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "matching/proposals.html",
        {"association": association, "filter_form": filter_form, "page": page, "rows": rows, "bulk_form": bulk_form,
         "reject_form": RejectForm(), "query": query.urlencode()},
        status=400 if request.method == "POST" else 200,
    )


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
