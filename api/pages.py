"""The coordinator page where an association's API tokens are created and revoked."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from api import selectors, services
from api.forms import ApiTokenForm
from associations.selectors import association_get_for_coordinator
from mentorat.forms import apply_validation_error, posted_data


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    form = ApiTokenForm(posted_data(request))
    raw_token = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw_token = services.api_token_create(association=association, by=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            # Rendered, not redirected: the raw value is shown in this one response and never
            # stored anywhere (not even in the session), so it cannot be shown again.
            form = ApiTokenForm()
    tokens = selectors.api_token_list_for_coordinator(user=request.user, association=association)
    return render(request, "api/tokens.html", {
        "association": association, "form": form, "raw_token": raw_token, "tokens": tokens,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, slug: str, token_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    token = selectors.api_token_get_for_coordinator(user=request.user, association=association, token_id=token_id)
    try:
        services.api_token_revoke(token=token, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Jeton « %(name)s » révoqué : il ne fonctionne plus.") % {"name": token.name})
    return redirect("api_tokens", slug=association.slug)
