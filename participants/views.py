from __future__ import annotations

from typing import Any

from allauth.account import app_settings
from allauth.account.utils import complete_signup
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from associations.models import Association, Membership
from associations.selectors import association_get_for_coordinator, association_get_public
from mentorat import french
from mentorat.forms import apply_validation_error, posted_data
from mentorat.query import query_id
from mentorat.ratelimits import TOO_MANY, public_form_limited
from participants import choices, selectors, services
from participants.forms import (
    DeclineForm,
    ParticipantFilterForm,
    ProfileForm,
    SignUpForm,
    VettingForm,
)
from participants.models import Consent, Participant
from safeguarding.selectors import profile_text_notices

CHECK_EMAIL_SESSION_KEY = "sign_up_check_email"
ROLE_BY_SLUG = {"mentor": Membership.Role.MENTOR, "mentore": Membership.Role.MENTEE}


@require_http_methods(["GET", "POST"])
def participant_sign_up(request: HttpRequest, slug: str, role_slug: str) -> HttpResponse:
    role = ROLE_BY_SLUG.get(role_slug)
    if role is None:
        raise Http404
    association = association_get_public(slug=slug)
    # The cascade: "?depuis=<binôme>" prefills a former mentee's mentor sign-up from their profile.
    origin = None
    binome_id = query_id(request.GET.get("depuis"))
    if role == Membership.Role.MENTOR and request.user.is_authenticated and binome_id:
        origin = services.cascade_origin_for(user=request.user, binome_id=binome_id)
    initial = {name: getattr(origin.mentee, name) for name in services.CASCADE_PREFILL} if origin else None
    form = SignUpForm(posted_data(request), initial=initial, association=association, role=role, user=request.user)
    if public_form_limited(request):
        form.is_valid()
        form.add_error(None, TOO_MANY)
    elif request.method == "POST" and form.is_valid():
        account = form.new_account()
        try:
            participant = services.participant_sign_up(
                association=association, role=role, profile=form.profile_data(),
                privacy_accepted=form.cleaned_data["privacy_accepted"],
                user=None if account else request.user, account=account, came_from_binome=origin,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if account is not None:
                # A new login is not signed in before its address is confirmed: allauth keeps the
                # pending login in this session, e-mails the link, and signs the person in (onto
                # their status page) when they confirm from this browser; from another one they
                # sign in with their password once the address is confirmed.
                complete_signup(request, participant.membership.user, app_settings.EmailVerificationMethod.MANDATORY,
                                reverse("my_space"))
                request.session[CHECK_EMAIL_SESSION_KEY] = participant.membership.user.email
                return redirect("sign_up_check_email")
            messages.success(request, _("Ton inscription est enregistrée. L'association va la regarder très vite."))
            return redirect("my_space")
    return render(request, "participants/sign_up.html", {"form": form, "association": association, "role": role, "origin": origin})


def sign_up_check_email(request: HttpRequest) -> HttpResponse:
    """After a sign-up with a new login: "confirm your address" (nobody is signed in yet)."""
    email = request.session.get(CHECK_EMAIL_SESSION_KEY)
    if not email:
        return redirect("account_login")
    return render(request, "participants/sign_up_check_email.html", {"email": email})


@login_required
def my_space(request: HttpRequest) -> HttpResponse:
    participations = list(selectors.participant_list_for_user(user=request.user).prefetch_related("consents"))
    for participant in participations:
        # Under 15 without a parent's standing consent: the person is told why they are paused.
        participant.consent_paused = selectors.participant_safeguarding_refusal(participant=participant) is not None
    return render(request, "participants/my_space.html", {
        "participations": participations, "cascade": selectors.cascade_invitations(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, participant_id: int) -> HttpResponse:
    participant = selectors.participant_get_for_owner(user=request.user, participant_id=participant_id)
    form = ProfileForm(posted_data(request), instance=participant, association=participant.association, role=participant.role)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.participant_update_profile(participant=participant, by=request.user, profile=form.profile_data())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Ton profil est à jour."))
            for notice in profile_text_notices(participant=updated):
                messages.warning(request, notice)
            return redirect("my_space")
    return render(request, "participants/profile_edit.html", {"form": form, "participant": participant,
                                                                "text_notices": profile_text_notices(participant=participant)})


@login_required
def coordination_participants(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    departements = selectors.participant_departements(association=association)
    filter_form = ParticipantFilterForm(request.GET or None, departements=departements)
    participants = selectors.participant_list_for_coordinator(
        user=request.user, association=association, filters=filter_form.to_filters()
    )
    page = Paginator(participants, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "participants/coordination_list.html"
    if request.htmx and request.htmx.target == "participant-results":
        template += "#results"
    return render(
        request, template,
        {"association": association, "filter_form": filter_form, "page": page, "query": query.urlencode()},
    )


@login_required
def coordination_participant_detail(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    participant = selectors.participant_get_for_coordinator(user=request.user, association=association, participant_id=participant_id)
    return render(request, "participants/coordination_detail.html", _detail_context(association, participant))


def _detail_context(association: Association, participant: Participant, **forms: Form) -> dict[str, Any]:
    initial = {"issued_on": participant.vetting_issued_on, "verified_on": participant.vetting_verified_on,
               "expires_on": participant.vetting_expires_on}
    return {
        "parental_consent": services.parental_consent_of(participant=participant),
        # Why this person cannot be paired or message today, in the policy's words (None: they can).
        "safeguarding_refusal": selectors.participant_safeguarding_refusal(participant=participant),
        "association": association,
        "participant": participant,
        "decline_form": DeclineForm(),
        "vetting_form": VettingForm(initial=initial),
        "goal_choices": choices.Goal,
        "language_choices": choices.Language,
        "slot_choices": choices.Slot,
        **forms,
    }


def _detail_with_errors(request: HttpRequest, association: Association, participant: Participant, **forms: Form) -> HttpResponse:
    return render(request, "participants/coordination_detail.html", _detail_context(association, participant, **forms), status=400)


@login_required
@require_POST
def coordination_participant_validate(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    participant = selectors.participant_get_for_coordinator(user=request.user, association=association, participant_id=participant_id)
    try:
        services.participant_validate(participant=participant, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("L'inscription %(de_name)s est validée.") % {"de_name": french.de(participant.display_name)})
    return redirect("coordination_participant_detail", slug=slug, participant_id=participant.pk)


@login_required
@require_POST
def coordination_participant_decline(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    participant = selectors.participant_get_for_coordinator(user=request.user, association=association, participant_id=participant_id)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.participant_decline(participant=participant, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("L'inscription %(de_name)s est refusée.") % {"de_name": french.de(participant.display_name)})
            return redirect("coordination_participant_detail", slug=slug, participant_id=participant.pk)
    return _detail_with_errors(request, association, participant, decline_form=form)


@login_required
@require_POST
def coordination_participant_vetting(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    participant = selectors.participant_get_for_coordinator(user=request.user, association=association, participant_id=participant_id)
    form = VettingForm(request.POST)
    if form.is_valid():
        try:
            services.participant_record_vetting(participant=participant, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Attestation d'honorabilité enregistrée."))
            return redirect("coordination_participant_detail", slug=slug, participant_id=participant.pk)
    return _detail_with_errors(request, association, participant, vetting_form=form)


@require_http_methods(["GET", "POST"])
def parental_consent(request: HttpRequest, token: str) -> HttpResponse:
    """The page a parent reaches from the e-mail: what the programme is, then agree or not."""
    consent = Consent.objects.select_related("participant__association", "participant__membership__user").filter(
        kind=Consent.Kind.PARENT, token=token).first()
    if consent is None:
        raise Http404
    if request.method == "POST":
        consent = services.parental_consent_answer(token=token, agree=request.POST.get("answer") == "yes")
    return render(request, "participants/parental_consent.html", {"consent": consent, "participant": consent.participant})


@login_required
@require_POST
def coordination_parental_consent_resend(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    participant = selectors.participant_get_for_coordinator(user=request.user, association=association, participant_id=participant_id)
    try:
        services.parental_consent_resend(participant=participant, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Le lien a été renvoyé au parent."))
    return redirect("coordination_participant_detail", slug=slug, participant_id=participant.pk)
