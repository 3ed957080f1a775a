"""Coordinator pages of the closing step (issue 13): "Clôture à faire", and one binôme's closing
— the two interviews, the end surveys, and after an early end the re-matching of the mentee
(a one-person run, a proposal in one click) and the mentor's pause. Members never reach these."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from associations.selectors import association_get_for_coordinator
from binomes import closing
from binomes.closing_forms import ClosingInterviewForm
from binomes.models import Binome
from matching import rematch
from matching.explanations import explanation_lines
from mentorat.forms import apply_validation_error
from participants.models import Participant


@login_required
def closing_todo_list(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    binomes = list(closing.closing_todo(user=request.user, association=association)[:200])
    return render(request, "binomes/closing_todo.html", {"association": association, "binomes": binomes})


def _context(request: HttpRequest, association, binome: Binome, **forms: Any) -> dict[str, Any]:  # noqa: ANN001
    step = closing.closing_step_for(binome=binome)
    context: dict[str, Any] = {"association": association, "binome": binome, "step": step,
                               "forms": {role: forms.get(role) or ClosingInterviewForm(association=association, role=role)
                                         for role in step.missing}}
    if binome.status == Binome.Status.ENDED_EARLY:
        mentee = rematch.rematch_mentee_get(user=request.user, association_id=association.pk, mentee_id=binome.mentee_id)
        candidates, refusal = rematch.rematch_candidates(user=request.user, mentee=mentee)
        context.update(
            mentee=mentee, candidates=[(c, explanation_lines(c.breakdown)) for c in candidates], rematch_refusal=refusal,
            pending_proposal=mentee.proposals_as_mentee.filter(status="proposed").select_related("mentor__membership__user").first(),
            mentor=Participant.objects.only("pk", "matching_paused_on").get(pk=binome.mentor_id),
        )
    return context


@login_required
def closing_detail(request: HttpRequest, slug: str, binome_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    binome = closing.closing_binome_get(user=request.user, association=association, binome_id=binome_id)
    return render(request, "binomes/closing.html", _context(request, association, binome))


@login_required
@require_POST
def closing_action(request: HttpRequest, slug: str, binome_id: int, action: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    binome = closing.closing_binome_get(user=request.user, association=association, binome_id=binome_id)
    back = redirect("binome_closing", slug=slug, binome_id=binome_id)
    try:
        if action == "entretien":
            role = request.POST.get("role", "")
            if role not in ("mentor", "mentee"):
                raise Http404
            form = ClosingInterviewForm(request.POST, association=association, role=role)
            if not form.is_valid():
                return render(request, "binomes/closing.html", _context(request, association, binome, **{role: form}), status=400)
            try:
                closing.closing_interview_record(binome=binome, by=request.user, **form.service_kwargs())
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    raise
                apply_validation_error(form, exc)
                return render(request, "binomes/closing.html", _context(request, association, binome, **{role: form}), status=400)
            flash.success(request, _("Entretien de clôture enregistré."))
        elif action == "proposer" and binome.status == Binome.Status.ENDED_EARLY:
            mentee = rematch.rematch_mentee_get(user=request.user, association_id=association.pk, mentee_id=binome.mentee_id)
            mentor = Participant.objects.filter(pk=request.POST.get("mentor") or 0, association=association,
                                                role=Participant.Role.MENTOR).first()
            if mentor is None:
                raise Http404
            proposal = rematch.rematch_propose(mentee=mentee, mentor=mentor, by=request.user)
            flash.success(request, _("Proposition créée : elle attend votre décision."))
            return redirect("proposal_detail", slug=slug, proposal_id=proposal.pk)
        elif action == "reprendre-mentor" and binome.status == Binome.Status.ENDED_EARLY:
            mentor = Participant.objects.select_related("association").get(pk=binome.mentor_id)
            rematch.mentor_matching_resume(mentor=mentor, by=request.user)
            flash.success(request, _("%(name)s peut de nouveau être proposé·e.") % {"name": binome.mentor.display_name})
        else:
            raise Http404
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    return back
