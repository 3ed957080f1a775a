"""Writes about participants: sign-up, profile edits, validation, vetting."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import User
from associations.models import Association, Membership
from associations.services import is_coordinator, membership_start
from binomes.models import Binome
from participants import tasks
from participants.models import Consent, Participant
from participants.rules import needs_parental_consent, validate_birth_date

# Profile fields a participant fills and may edit; everything else is set by services.
COMMON_PROFILE_FIELDS = (
    "birth_date", "gender", "commune", "education", "field", "qpv_resident", "boursier",
    "first_generation", "parents_pcs", "goals", "goals_text", "languages", "availability",
    "meeting_format", "prefers_same_gender", "parent_name", "parent_email",
)
MENTOR_PROFILE_FIELDS = ("capacity", "help_with", "path_text")


def profile_fields(role: str) -> tuple[str, ...]:
    return COMMON_PROFILE_FIELDS + (MENTOR_PROFILE_FIELDS if role == Membership.Role.MENTOR else ())


@dataclass(frozen=True)
class NewAccount:
    email: str
    password: str
    first_name: str
    last_name: str


DUPLICATE_EMAIL = _("Un compte existe déjà avec cette adresse e-mail. Connecte-toi d'abord, puis reviens sur cette page pour t'inscrire.")


def _create_account(account: NewAccount) -> User:
    email = account.email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": DUPLICATE_EMAIL})
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=account.password,
                first_name=account.first_name.strip(),
                last_name=account.last_name.strip(),
                language=get_language() or "fr",  # e-mails follow the language they signed up in
            )
    except IntegrityError:  # two sign-ups with the same address at the same moment
        raise ValidationError({"email": DUPLICATE_EMAIL}) from None
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    return user


@transaction.atomic
def participant_sign_up(
    *,
    association: Association,
    role: str,
    profile: dict[str, Any],
    privacy_accepted: bool,
    user: User | None = None,
    account: NewAccount | None = None,
    came_from_binome: Binome | None = None,
) -> Participant:
    """Create a participant (and the login, when ``account`` is given) in ``pending`` status.

    ``came_from_binome``: the cascade — a former mentee signing up as a mentor from the binôme
    they were mentored in (it must be theirs, as the mentee, and over).

    Preconditions: the association is active; ``profile`` holds the fields of ``profile_fields``;
    the privacy notice was accepted; under 15, a parent's name and e-mail are given (their consent
    is recorded alongside the participant's).
    """
    if role not in (Membership.Role.MENTOR, Membership.Role.MENTEE):
        raise ValueError(f"Not a participant role: {role}")
    if not association.is_active:
        raise ValidationError(_("Cette association n'accepte pas d'inscriptions pour le moment."))
    if not privacy_accepted:
        raise ValidationError({"privacy_accepted": _("Tu dois accepter la politique de confidentialité pour t'inscrire.")})
    _check_profile(association=association, role=role, profile=profile)
    if (user is None) == (account is None):
        raise ValueError("Give either an existing user or a new account, not both.")
    if user is None:
        assert account is not None
        user = _create_account(account)
    elif Participant.objects.filter(
        association=association, role=role, membership__user=user, membership__ended_at__isnull=True
    ).exists():
        raise ValidationError(_("Tu es déjà inscrit·e dans cette association avec ce rôle."))

    if came_from_binome is not None:
        _check_cascade_origin(binome=came_from_binome, user=user, role=role)
    membership = membership_start(user=user, association=association, role=role)
    fields = {name: profile.get(name) for name in profile_fields(role) if name in profile}
    participant = Participant.objects.create(
        membership=membership, association=association, role=role, came_from_binome=came_from_binome,
        **_clean_values(fields, role),
    )
    version = settings.PRIVACY_NOTICE_VERSION
    Consent.objects.create(participant=participant, user=user, kind=Consent.Kind.SELF, notice_version=version)
    if needs_parental_consent(birth_date=participant.birth_date):
        consent = Consent.objects.create(
            participant=participant, user=user, kind=Consent.Kind.PARENT, notice_version=version,
            given_by_name=participant.parent_name, given_by_email=participant.parent_email,
            token=secrets.token_urlsafe(32),
        )
        transaction.on_commit(lambda: tasks.send_parental_consent_request.delay(consent.pk))
    return participant


def _check_cascade_origin(*, binome: Binome, user: User, role: str) -> None:
    if role != Membership.Role.MENTOR or binome.mentee.membership.user_id != user.pk:
        raise PermissionDenied
    if binome.status not in (Binome.Status.COMPLETED, Binome.Status.ENDED_EARLY):
        raise ValidationError(_("Tu pourras devenir mentor quand ton binôme sera terminé."))


def cascade_origin_for(*, user: User, binome_id: int) -> Binome | None:
    """The closed binôme in which ``user`` was the mentee, to prefill a mentor sign-up."""
    return (
        Binome.objects.filter(pk=binome_id, mentee__membership__user=user, status__in=[Binome.Status.COMPLETED, Binome.Status.ENDED_EARLY])
        .select_related("mentee__commune", "association")
        .first()
    )


CASCADE_PREFILL = (
    "birth_date", "gender", "commune", "education", "field", "qpv_resident", "boursier", "first_generation",
    "parents_pcs", "languages", "availability", "meeting_format",
)


def _clean_values(fields: dict[str, Any], role: str) -> dict[str, Any]:
    cleaned = dict(fields)
    for name in ("goals_text", "path_text", "parent_name", "parent_email"):
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = ""
    if role == Membership.Role.MENTEE:
        cleaned.pop("capacity", None)
    return cleaned


def _check_profile(*, association: Association, role: str, profile: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    birth_date: date | None = profile.get("birth_date")
    if birth_date is None:
        errors["birth_date"] = [_("Indique ta date de naissance.")]
    else:
        try:
            validate_birth_date(association=association, role=role, birth_date=birth_date)
        except ValidationError as exc:
            errors["birth_date"] = exc.messages
        if needs_parental_consent(birth_date=birth_date) and not (profile.get("parent_name") and profile.get("parent_email")):
            errors["parent_name"] = [_("Avant 15 ans, indique le nom et l'e-mail d'un parent ou tuteur légal qui est d'accord.")]
    if role == Membership.Role.MENTOR:
        capacity = profile.get("capacity")
        if capacity not in (1, 2, 3):
            errors["capacity"] = [_("Choisis d'accompagner 1, 2 ou 3 personnes.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def participant_update_profile(*, participant: Participant, by: User, profile: dict[str, Any]) -> Participant:
    """The participant edits their own profile; birth date and age rules are checked again."""
    if participant.membership.user_id != by.pk:
        raise PermissionDenied
    locked = Participant.objects.select_for_update().select_related("association").get(pk=participant.pk)
    allowed = profile_fields(locked.role)
    merged = {name: getattr(locked, name) for name in allowed}
    merged.update({k: v for k, v in profile.items() if k in allowed})
    _check_profile(association=locked.association, role=locked.role, profile=merged)
    for name, value in _clean_values(merged, locked.role).items():
        setattr(locked, name, value)
    locked.save()
    return locked


def _lock_for_coordinator(*, participant: Participant, by: User) -> Participant:
    locked = Participant.objects.select_for_update().select_related("association").get(pk=participant.pk)
    if not is_coordinator(user=by, association=locked.association):
        raise PermissionDenied
    return locked


@transaction.atomic
def participant_validate(*, participant: Participant, by: User) -> Participant:
    """A coordinator accepts a sign-up; from now on the participant waits for a binôme."""
    locked = _lock_for_coordinator(participant=participant, by=by)
    if locked.status not in (Participant.Status.PENDING, Participant.Status.DECLINED):
        raise ValidationError(_("Cette inscription est déjà validée."))
    if needs_parental_consent(birth_date=locked.birth_date):
        parental = parental_consent_of(participant=locked)
        if parental is None or parental.confirmed_at is None:
            raise ValidationError(_(
                "Avant 15 ans, le parent ou tuteur légal doit d'abord confirmer son accord depuis le lien reçu "
                "par e-mail. Vous pouvez lui renvoyer ce lien."))
    locked.status = Participant.Status.VALIDATED
    locked.validated_at = timezone.now()
    locked.reviewed_by = by
    locked.decline_reason = ""
    locked.save(update_fields=["status", "validated_at", "reviewed_by", "decline_reason", "updated_at"])
    transaction.on_commit(lambda: tasks.send_sign_up_decision.delay(locked.pk))
    return locked


@transaction.atomic
def participant_decline(*, participant: Participant, by: User, reason: str) -> Participant:
    locked = _lock_for_coordinator(participant=participant, by=by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez la raison du refus.")})
    if locked.status != Participant.Status.PENDING:
        raise ValidationError(_("Seule une inscription en attente peut être refusée."))
    locked.status = Participant.Status.DECLINED
    locked.decline_reason = reason
    locked.reviewed_by = by
    locked.save(update_fields=["status", "decline_reason", "reviewed_by", "updated_at"])
    transaction.on_commit(lambda: tasks.send_sign_up_decision.delay(locked.pk))
    return locked


@transaction.atomic
def participant_record_vetting(
    *, participant: Participant, by: User, verified_on: date, expires_on: date
) -> Participant:
    """Record that a mentor's "attestation d'honorabilité" was checked: dates only, never the document."""
    locked = _lock_for_coordinator(participant=participant, by=by)
    if locked.role != Membership.Role.MENTOR:
        raise ValidationError(_("Seuls les mentors ont une attestation d'honorabilité."))
    errors = {}
    if verified_on > timezone.localdate():
        errors["verified_on"] = [_("La date de vérification ne peut pas être dans le futur.")]
    if expires_on <= verified_on:
        errors["expires_on"] = [_("La date d'expiration doit être postérieure à la date de vérification.")]
    if errors:
        raise ValidationError(errors)
    locked.vetting_verified_on = verified_on
    locked.vetting_expires_on = expires_on
    locked.vetting_recorded_by = by
    locked.save(update_fields=["vetting_verified_on", "vetting_expires_on", "vetting_recorded_by", "updated_at"])
    return locked


def parental_consent_of(*, participant: Participant) -> Consent | None:
    return participant.consents.filter(kind=Consent.Kind.PARENT).order_by("-accepted_at").first()


@transaction.atomic
def parental_consent_answer(*, token: str, agree: bool) -> Consent:
    """The parent confirms (or refuses) from the e-mailed link. Answering twice changes nothing."""
    consent = Consent.objects.select_for_update(of=("self",)).filter(kind=Consent.Kind.PARENT, token=token).first()
    if consent is None or not token:
        raise ValidationError(_("Ce lien n'est pas valable."))
    if consent.confirmed_at or consent.refused_at:
        return consent
    if agree:
        consent.confirmed_at = timezone.now()
    else:
        consent.refused_at = timezone.now()
    consent.save(update_fields=["confirmed_at", "refused_at"])
    return consent


def parental_consent_resend(*, participant: Participant, by: User) -> Consent:
    """A coordinator sends the parent's link again (after commit)."""
    if not is_coordinator(user=by, association=participant.association):
        raise PermissionDenied
    consent = parental_consent_of(participant=participant)
    if consent is None or consent.confirmed_at:
        raise ValidationError(_("Il n'y a pas d'accord parental en attente pour cette inscription."))
    transaction.on_commit(lambda: tasks.send_parental_consent_request.delay(consent.pk))
    return consent
