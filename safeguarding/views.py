"""The coordinators' page of held texts: every flagged text of the association still to review."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from associations.selectors import association_get_for_coordinator
from mentorat.forms import apply_validation_error
from programmes.picker import programme_pick_from_request
from safeguarding import selectors, services
from safeguarding.forms import RefuseTextForm


def _page(request: HttpRequest, association, refuse_form: RefuseTextForm | None = None, failed_id: int | None = None,  # noqa: ANN001
          status: int = 200) -> HttpResponse:
    pick = programme_pick_from_request(request, association=association)  # 404 for a programme not theirs
    reviews = list(selectors.held_text_list_for_coordinator(user=request.user, association=association, programme=pick.selected))
    return render(request, "safeguarding/held_texts.html", {
        "association": association, "reviews": reviews, "refuse_form": refuse_form or RefuseTextForm(), "failed_id": failed_id,
        "pick": pick, "programme_query": f"?programme={pick.selected.slug}" if pick.selected else "",
    }, status=status)


def _back(slug: str, request: HttpRequest) -> HttpResponse:
    """Back to the list, on the programme it showed (the decision forms carry ``?programme=``)."""
    response = redirect("coordination_held_texts", slug=slug)
    programme = request.GET.get("programme", "").strip()
    if programme:
        response["Location"] += f"?{urlencode({'programme': programme})}"
    return response


@login_required
def held_texts(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, association_get_for_coordinator(user=request.user, slug=slug))


@login_required
@require_POST
def held_text_decide(request: HttpRequest, slug: str, review_id: int, action: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    review = selectors.text_review_get_for_coordinator(user=request.user, association=association, review_id=review_id)
    if action not in ("transmettre", "refuser"):
        raise Http404
    form = RefuseTextForm(request.POST) if action == "refuser" else None
    try:
        if form is None:
            services.text_review_release(review=review, by=request.user)
        elif form.is_valid():
            services.text_review_refuse(review=review, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        if form is None or not hasattr(exc, "error_dict"):
            flash.error(request, " ".join(exc.messages))
            return _back(slug, request)
        apply_validation_error(form, exc)
    if form is not None and form.errors:
        # What was typed stays in the form, next to the text it was about.
        return _page(request, association, refuse_form=form, failed_id=review.pk, status=400)
    flash.success(request, _("Le texte est transmis.") if form is None else _("Le texte est refusé ; son auteur·rice est prévenu·e."))
    return _back(slug, request)
