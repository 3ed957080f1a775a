from __future__ import annotations

from dataclasses import replace
from typing import Any

from allauth.account import app_settings
from allauth.account.utils import complete_signup
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from associations.models import Association, Membership
from associations.selectors import association_get_for_coordinator, association_get_public
from mentorat import french
from mentorat.forms import apply_validation_error, posted_data
from mentorat.paging import ListPaginator
from mentorat.query import query_id
from mentorat.ratelimits import TOO_MANY, public_form_limited
from participants import choices, selectors, services
from participants import sign_up_steps as steps
from participants.forms import (
    DeclineForm,
    ParticipantFilterForm,
    ProfileForm,
    SignUpForm,
    VettingForm,
)
from participants.models import Consent, Participant
from programmes.models import Programme
from programmes.picker import programme_pick_from_request
from programmes.questions import FIELD_PREFIX as QUESTION_PREFIX
from programmes.questions import answers_shown
from programmes.selectors import (
    programme_accepts_sign_ups,
    programme_default_for,
    programme_get_public,
)
from safeguarding.selectors import profile_text_notices

CHECK_EMAIL_SESSION_KEY = "sign_up_check_email"
ROLE_BY_SLUG = {"mentor": Membership.Role.MENTOR, "mentore": Membership.Role.MENTEE}


@require_http_methods(["GET", "POST"])
def participant_sign_up(request: HttpRequest, slug: str, role_slug: str, programme_slug: str | None = None) -> HttpResponse:
    """The sign-up, in five steps (``participants.sign_up_steps``): ``?etape=N`` shows a step, a
    POST with ``step`` validates it and keeps it in the session. A POST without ``step`` (every
    field at once: scripts, older clients) is the whole form in one go. Both end in the same
    ``_sign_up_complete``."""
    role = ROLE_BY_SLUG.get(role_slug)
    if role is None:
        raise Http404
    association = association_get_public(slug=slug)
    programme = (programme_get_public(association=association, slug=programme_slug) if programme_slug
                 else programme_default_for(association))
    if not programme_accepts_sign_ups(programme=programme, today=timezone.localdate()):
        return render(request, "programmes/sign_up_closed.html", {"association": association, "programme": programme})
    # The cascade: "?depuis=<binôme>" prefills a former mentee's mentor sign-up from their profile.
    origin = None
    binome_id = query_id(request.GET.get("depuis"))
    if role == Membership.Role.MENTOR and request.user.is_authenticated and binome_id:
        origin = services.cascade_origin_for(user=request.user, binome_id=binome_id)
    initial = {name: getattr(origin.mentee, name) for name in services.CASCADE_PREFILL} if origin else None
    draft = steps.Draft(request.session, association.pk, role)
    context = {"association": association, "programme": programme, "role": role, "origin": origin, "steps": steps.STEPS}
    if request.method == "POST" and "step" not in request.POST:
        form = SignUpForm(request.POST, initial=initial, association=association, programme=programme, role=role, user=request.user)
        if public_form_limited(request):
            form.is_valid()
            form.add_error(None, TOO_MANY)
        elif form.is_valid():
            done = _sign_up_complete(request, form, association=association, programme=programme, role=role, origin=origin)
            if done is not None:
                draft.clear()
                return done
        return render(request, "participants/sign_up.html", {**context, "form": form})

    if request.method == "POST":
        index = steps.step_index(request.POST.get("step"))
        index = min(index, draft.reached)  # no step is skipped by editing the page
        probe = SignUpForm(initial=initial, association=association, programme=programme, role=role, user=request.user)
        names = steps.step_fields(probe, index, draft.birth_date())
        data = draft.merged(request.POST, names)
        form = SignUpForm(data, initial=initial, association=association, programme=programme, role=role, user=request.user)
        # Only the last step creates a login: it alone counts against the address's sign-up rate
        # (a class signing up from one school connection would otherwise use it five times as fast).
        limited = index == len(steps.STEPS) - 1 and public_form_limited(request)
        form.is_valid()
        if limited:
            form.add_error(None, TOO_MANY)
        names = steps.step_fields(form, index, _birth_date(form, draft))
        step_errors = [name for name in names if name in form.errors]
        if not step_errors and not limited:
            draft.save(data, names, reached=index + 1)
            if index + 1 < len(steps.STEPS):
                return redirect(f"{request.path}?etape={index + 2}{_keep(request)}")
            earlier = steps.first_step_with_errors(form, draft.birth_date())
            if earlier is None:
                done = _sign_up_complete(request, form, association=association, programme=programme, role=role, origin=origin)
                if done is not None:
                    draft.clear()
                    return done
                earlier = steps.first_step_with_errors(form, draft.birth_date())
            if earlier is not None:
                index = earlier
                names = steps.step_fields(form, index, draft.birth_date())
        return _render_step(request, context, form, index, names, draft, status=400)

    etape = request.GET.get("etape", "1")
    index = min(steps.step_index(int(etape) - 1 if etape.isdigit() else 0), draft.reached)
    form = SignUpForm(initial={**(initial or {}), **_initial_from(draft)}, association=association, programme=programme, role=role,
                      user=request.user)
    names = steps.step_fields(form, index, draft.birth_date())
    return _render_step(request, context, form, index, names, draft)


def _keep(request: HttpRequest) -> str:
    origin = request.GET.get("depuis")
    return f"&depuis={origin}" if origin and origin.isdigit() else ""


def _birth_date(form: Form, draft: steps.Draft) -> Any:
    return (form.cleaned_data.get("birth_date") if hasattr(form, "cleaned_data") else None) or draft.birth_date()


def _initial_from(draft: steps.Draft) -> dict[str, Any]:
    """The draft as initial values: one value for simple fields, the list for multiple ones."""
    multiple = {"goals", "help_with", "languages", "availability"}
    # a programme question's value stays a list: the form knows which are single (ProfileForm)
    return {name: (values if name in multiple or name.startswith(QUESTION_PREFIX) else (values[0] if values else ""))
            for name, values in draft.values.items()}


def _render_step(request: HttpRequest, context: dict[str, Any], form: Form, index: int, names: list[str],
                 draft: steps.Draft, status: int = 200) -> HttpResponse:
    steps.prepare_widgets(form, names)
    step_errors = [form[name] for name in names if name in form.errors]
    return render(request, "participants/sign_up_steps.html", {
        **context, "form": form, "index": index, "step": steps.STEPS[index], "fields": [form[name] for name in names],
        "step_errors": step_errors, "reached": draft.reached, "last": index == len(steps.STEPS) - 1,
        "previous_url": f"{request.path}?etape={index}{_keep(request)}" if index else None,
    }, status=status)


def _sign_up_complete(request: HttpRequest, form: SignUpForm, *, association: Association, programme: Programme, role: str,
                      origin: Any) -> HttpResponse | None:
    """The sign-up itself (the service checks and screens everything); None when the service
    refused, its errors then on the form."""
    account = form.new_account()
    try:
        participant = services.participant_sign_up(
            association=association, role=role, profile=form.profile_data(), answers=form.answers_data(),
            privacy_accepted=form.cleaned_data["privacy_accepted"],
            user=None if account else request.user, account=account, came_from_binome=origin, programme=programme,
        )
    except ValidationError as exc:
        apply_validation_error(form, exc)
        return None
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
            updated = services.participant_update_profile(participant=participant, by=request.user, profile=form.profile_data(),
                                                          answers=form.answers_data())
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
    pick = programme_pick_from_request(request, association=association)  # 404 for a programme not theirs
    departements = selectors.participant_departements(association=association)
    filter_form = ParticipantFilterForm(request.GET or None, departements=departements)
    participants = selectors.participant_list_for_coordinator(
        user=request.user, association=association, filters=replace(filter_form.to_filters(), programme=pick.slug)
    )
    page = ListPaginator(participants, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "participants/coordination_list.html"
    if request.htmx and request.htmx.target == "participant-results":
        template += "#results"
    return render(
        request, template,
        {"association": association, "filter_form": filter_form, "page": page, "query": query.urlencode(), "pick": pick},
    )


@login_required
def coordination_participant_detail(request: HttpRequest, slug: str, participant_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    participant = selectors.participant_get_for_coordinator(user=request.user, association=association, participant_id=participant_id)
    return render(request, "participants/coordination_detail.html", _detail_context(association, participant, user=request.user))


def _matching_reason(association: Association, participant: Participant, user: Any) -> str | None:
    """Why this mentee got no proposal in the latest run, for the coordinator (None: not asked,
    or no such reason). The matching app computes and words it."""
    from matching.explanations import unmatched_line
    from matching.selectors import unmatched_reason_for_participant

    if user is None or participant.role != Participant.Role.MENTEE:
        return None
    reason = unmatched_reason_for_participant(user=user, association=association, participant_id=participant.pk)
    if reason is None:
        return None
    return unmatched_line(kind=reason.kind, constraint=reason.constraint, n_possible=reason.n_possible, details=reason.details)


def _detail_context(association: Association, participant: Participant, user: Any = None, **forms: Form) -> dict[str, Any]:
    initial = {"issued_on": participant.vetting_issued_on, "verified_on": participant.vetting_verified_on,
               "expires_on": participant.vetting_expires_on}
    return {
        "parental_consent": services.parental_consent_of(participant=participant),
        # Why this person cannot be paired or message today, in the policy's words (None: they can).
        "safeguarding_refusal": selectors.participant_safeguarding_refusal(participant=participant),
        "association": association,
        "participant": participant,
        "matching_reason": _matching_reason(association, participant, user),
        "decline_form": DeclineForm(),
        "vetting_form": VettingForm(initial=initial),
        "goal_choices": choices.Goal,
        "language_choices": choices.Language,
        "slot_choices": choices.Slot,
        "answers": answers_shown(participant=participant),
        **forms,
    }


def _detail_with_errors(request: HttpRequest, association: Association, participant: Participant, **forms: Form) -> HttpResponse:
    return render(request, "participants/coordination_detail.html", _detail_context(association, participant, request.user, **forms), status=400)


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
