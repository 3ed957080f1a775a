from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from associations import selectors, services
from associations.forms import (
    AssociationRegistrationForm,
    InvitationSignUpForm,
    InviteCoordinatorForm,
    ProgrammeSettingsForm,
)
from mentorat.forms import apply_validation_error, posted_data
from mentorat.ratelimits import TOO_MANY, public_form_limited
from programmes.selectors import programme_list_public_extra


@require_http_methods(["GET", "POST"])
def association_register(request: HttpRequest) -> HttpResponse:
    form = AssociationRegistrationForm(posted_data(request))
    if public_form_limited(request):
        form.is_valid()
        form.add_error(None, TOO_MANY)
    elif request.method == "POST" and form.is_valid():
        try:
            association = services.association_register(**form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            # Post/redirect/get: refreshing the thank-you page must not submit the request again.
            request.session["registered_association_id"] = association.pk
            return redirect("association_register_done")
    return render(request, "associations/register.html", {"form": form})


def association_register_done(request: HttpRequest) -> HttpResponse:
    association = selectors.association_get_registered_in_session(
        association_id=request.session.get("registered_association_id")
    )
    return render(request, "associations/register_done.html", {"association": association})


def association_public(request: HttpRequest, slug: str) -> HttpResponse:
    association = selectors.association_get_public(slug=slug)
    others = programme_list_public_extra(association=association)
    return render(request, "associations/public.html", {"association": association, "other_programmes": others})


@login_required
def coordination_home(request: HttpRequest, slug: str) -> HttpResponse:
    """Where a coordinator lands: the first steps of the programme while one is left (with the
    progress), then the list of participants. ``?etapes`` shows the steps again."""
    association = selectors.association_get_for_coordinator(user=request.user, slug=slug)
    checklist = selectors.coordinator_checklist(user=request.user, association=association)
    if checklist.complete and "etapes" not in request.GET:
        return redirect("coordination_participants", slug=association.slug)
    signup_url = request.build_absolute_uri(reverse("association_public", args=[association.slug]))
    return render(request, "associations/home.html", {"association": association, "checklist": checklist, "signup_url": signup_url})


@login_required
@require_POST
def coordination_link_shared(request: HttpRequest, slug: str) -> HttpResponse:
    association = selectors.association_get_for_coordinator(user=request.user, slug=slug)
    services.association_signup_link_shared(association=association, by=request.user)
    if not request.htmx:
        messages.success(request, _("C'est noté : le lien d'inscription est partagé."))
    return redirect("coordination_home", slug=association.slug)


@login_required
@require_http_methods(["GET", "POST"])
def coordination_settings(request: HttpRequest, slug: str) -> HttpResponse:
    association = selectors.association_get_for_coordinator(user=request.user, slug=slug)
    form = ProgrammeSettingsForm.for_association(association, posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.association_update_settings(association=association, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Paramètres enregistrés."))
            return redirect("coordination_settings", slug=association.slug)
    return render(request, "associations/settings.html", {"association": association, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def coordination_team(request: HttpRequest, slug: str) -> HttpResponse:
    association = selectors.association_get_for_coordinator(user=request.user, slug=slug)
    form = InviteCoordinatorForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.coordinator_invite(association=association, email=form.cleaned_data["email"], by=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("coordination_team", slug=association.slug)
    return render(
        request,
        "associations/team.html",
        {
            "association": association,
            "form": form,
            "coordinators": selectors.coordinator_list(association=association),
            "invitations": selectors.invitation_list_pending(association=association),
        },
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Accept a coordinator invitation: log in with the invited address, or create the login."""
    invitation = selectors.invitation_get_by_token(token=token)
    context: dict = {"invitation": invitation}
    if not invitation.is_usable:
        return render(request, "associations/invitation_unusable.html", context, status=410)
    user: User = request.user  # type: ignore[assignment]
    existing = User.objects.filter(email__iexact=invitation.email).exists()
    if user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=user)
            except ValidationError as exc:
                context["error"] = " ".join(exc.messages)
            else:
                messages.success(request, _("Bienvenue dans l'équipe de %(name)s.") % {"name": invitation.association.name})
                return redirect("coordination_home", slug=invitation.association.slug)
        return render(request, "associations/invitation_accept.html", context)
    if existing:
        return render(request, "associations/invitation_login.html", context)
    form = InvitationSignUpForm(posted_data(request), email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.coordinator_sign_up(
                invitation=invitation, first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"], password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Votre compte est créé. Bienvenue dans l'équipe de %(name)s.") % {"name": invitation.association.name})
            return redirect("coordination_home", slug=invitation.association.slug)
    context["form"] = form
    return render(request, "associations/invitation_signup.html", context)
