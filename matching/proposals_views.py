"""The proposals page at scale: a compact sortable list (one short row a proposal, details in
place), the other mentors possible for a mentee, and the mentor swap.

Query budget of the list: the association, the coordinator check, the count and the page (both
people, their users and communes joined) — whatever the page size. Alternatives are computed only
when asked (one proposal at a time), never for the whole page.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

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
from matching import alternatives, proposals_selectors, selectors, services
from matching.explanations import criteria_rows, explanation_lines, unmatched_line
from matching.forms import BulkDecisionForm
from matching.models import Proposal
from matching.proposals_forms import ProposalListForm, SwapMentorForm
from mentorat.forms import apply_validation_error, posted_data
from participants import choices
from participants.models import Participant
from programmes.picker import programme_pick_from_request

PAGE_SIZE = 25


def _labels(values: list[str], choice_class: Any) -> str:
    names = dict(choice_class.choices)
    return ", ".join(str(names.get(v, v)) for v in values or []) or "—"


def person_facts(p: Participant) -> list[tuple[str, str]]:
    """What a coordinator compares between the two people (social background included: this page
    is for coordinators only, members never see it)."""
    background = [label for flag, label in (
        (p.qpv_resident, _("QPV")), (p.boursier, _("boursier·e")), (p.first_generation, _("1re génération")),
    ) if flag]
    if p.parents_pcs and p.parents_pcs != choices.PCS.UNKNOWN:
        background.append(str(p.get_parents_pcs_display()))
    rows = [
        (_("Âge"), ngettext("%(n)s an", "%(n)s ans", p.age) % {"n": p.age}),
        (_("Genre"), str(p.get_gender_display()) if p.gender else _("non précisé")),
        (_("Commune"), f"{p.commune.name} ({p.commune.departement_id})"),
        (_("Études"), f"{p.get_education_display()} · {p.get_field_display()}"),
        (_("Langues"), _labels(p.languages, choices.Language)),
        (_("Disponibilités"), _labels(p.availability, choices.Slot)),
        (_("Format"), str(p.get_meeting_format_display())),
        (_("Milieu"), ", ".join(background) or "—"),
    ]
    if p.role == Participant.Role.MENTOR:
        rows.append((_("Attestation"), _("valide") if p.vetting_valid else _("non valide")))
        rows.append((_("Parcours"), p.path_text or "—"))
    else:
        rows.append((_("Objectifs"), _labels(p.goals, choices.Goal)))
        rows.append((_("Projet"), p.goals_text or "—"))
    return rows


def compare_rows(mentee: Participant, mentor: Participant) -> list[tuple[str, str, str]]:
    """(label, mentee's value, mentor's value): the two profiles side by side, line by line."""
    a, b = dict(person_facts(mentee)), dict(person_facts(mentor))
    labels = list(a) + [label for label in b if label not in a]
    return [(label, a.get(label, "—"), b.get(label, "—")) for label in labels]


def _row(p: Proposal) -> dict[str, Any]:
    facts = (p.breakdown or {}).get("facts") or {}
    return {
        "proposal": p, "lines": explanation_lines(p.breakdown), "criteria": criteria_rows(p.breakdown),
        "score_pct": round(100 * p.score), "distance_km": facts.get("distance_km"), "meeting": facts.get("meeting"),
        # they will meet remotely: one of them only meets so, or they live too far apart to meet in person
        "remote": facts.get("meeting") == "remote" or bool(facts.get("beyond_in_person_km")),
        "waiting_days": (p.created_at - p.mentee.validated_at).days if p.mentee.validated_at else None,
        "compare": compare_rows(p.mentee, p.mentor),
        "swapped": "swap" in (p.breakdown or {}),
    }


@login_required
@require_http_methods(["GET", "POST"])
def proposal_list(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    pick = programme_pick_from_request(request, association=association)  # 404 for a programme not theirs
    list_form = ProposalListForm(request.GET or None)
    query = replace(list_form.to_query(), programme=pick.slug)
    proposals = proposals_selectors.proposal_page_list(user=request.user, association=association, query=query)
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
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
    params = request.GET.copy()
    params.pop("page", None)
    unmatched = selectors.unmatched_latest(user=request.user, association=association, programme=pick.selected)
    return render(
        request, "matching/proposals_list.html",
        {"association": association, "list_form": list_form, "page": page, "rows": [_row(p) for p in page],
         "bulk_form": bulk_form, "query": params.urlencode(), "filtered": bool(request.GET.get("q") or request.GET.get("minors")
                                                                                or request.GET.get("remote") or request.GET.get("min_score")),
         "status": query.status, "pick": pick,
         "unmatched": [(u, unmatched_line(kind=u.kind, constraint=u.constraint, n_possible=u.n_possible, details=u.details)) for u in unmatched]},
        status=400 if request.method == "POST" else 200,
    )


def _alternatives_context(request: HttpRequest, association: Any, proposal: Proposal, swap_form: SwapMentorForm | None = None) -> dict[str, Any]:
    found = alternatives.proposal_alternatives(proposal=proposal) if proposal.status == Proposal.Status.PROPOSED else None
    options = []
    if found:
        current = found.current.score if found.current else proposal.score
        options = [
            {"candidate": c, "score_pct": round(100 * c.score), "delta": round(100 * (c.score - current)),
             "changes": alternatives.criteria_changes(found.current, c), "lines": explanation_lines(c.breakdown),
             "facts": person_facts(c.mentor)}
            for c in found.others
        ]
    return {"association": association, "proposal": proposal, "row": _row(proposal), "options": options,
            "current": found.current if found else None, "swap_form": swap_form or SwapMentorForm()}


@login_required
def proposal_detail(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    """One proposal, both profiles side by side, and the next best mentors for this mentee (the
    list loads the ``alternatives`` part in place with HTMX; this page works without script)."""
    association = association_get_for_coordinator(user=request.user, slug=slug)
    proposal = proposals_selectors.proposal_get_with_people(user=request.user, association=association, proposal_id=proposal_id)
    context = _alternatives_context(request, association, proposal)
    template = "matching/proposal_detail.html#alternatives" if request.htmx else "matching/proposal_detail.html"
    return render(request, template, context)


@login_required
@require_POST
def proposal_swap(request: HttpRequest, slug: str, proposal_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    proposal = proposals_selectors.proposal_get_with_people(user=request.user, association=association, proposal_id=proposal_id)
    form = SwapMentorForm(request.POST)
    if form.is_valid():
        mentor = Participant.objects.filter(
            association=association, role=Participant.Role.MENTOR, pk=form.cleaned_data["mentor"]
        ).select_related("membership__user").first()
        if mentor is None:
            raise Http404  # another association's mentor (or none): not even named
        try:
            swapped = services.proposal_swap_mentor(proposal=proposal, mentor=mentor, by=request.user)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("Mentor changé : %(mentee)s ↔ %(mentor)s, à approuver.") % {
                "mentee": swapped.mentee.display_name, "mentor": mentor.display_name})
            return redirect(f"{_list_url(slug)}#proposal-{swapped.pk}")
    context = _alternatives_context(request, association, proposal, swap_form=form)
    return render(request, "matching/proposal_detail.html", context, status=400)


def _list_url(slug: str) -> str:
    return reverse("matching_proposals", args=[slug])
