"""Pages for the platform operator (``is_staff``): approve or refuse associations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from associations import selectors, services
from associations.forms import RefuseForm
from associations.models import Association


@login_required
def operator_association_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Association.Status.values:
        status = ""
    associations = selectors.association_list_for_operator(user=request.user, status=status or None)
    return render(
        request,
        "associations/operator_list.html",
        {"associations": associations, "status": status, "statuses": Association.Status.choices},
    )


@login_required
def operator_association_detail(request: HttpRequest, association_id: int) -> HttpResponse:
    association = selectors.association_get_for_operator(user=request.user, association_id=association_id)
    return render(request, "associations/operator_detail.html", {"association": association, "refuse_form": RefuseForm()})


@login_required
@require_POST
def operator_association_approve(request: HttpRequest, association_id: int) -> HttpResponse:
    association = selectors.association_get_for_operator(user=request.user, association_id=association_id)
    try:
        services.association_approve(association=association, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s est approuvée ; une invitation a été envoyée à %(email)s.") % {"name": association.name, "email": association.contact_email})
    return redirect("operator_association_detail", association_id=association.pk)


@login_required
@require_POST
def operator_association_refuse(request: HttpRequest, association_id: int) -> HttpResponse:
    association = selectors.association_get_for_operator(user=request.user, association_id=association_id)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.association_refuse(association=association, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("La demande de %(name)s est refusée.") % {"name": association.name})
            return redirect("operator_association_detail", association_id=association.pk)
    return render(request, "associations/operator_detail.html", {"association": association, "refuse_form": form}, status=400)
