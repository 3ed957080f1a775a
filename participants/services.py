"""Writes about participants: sign-up, profile edits, validation, vetting."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

import outbox
from accounts.models import User
from associations.models import Association, Membership
from associations.services import is_coordinator, membership_start
from binomes.models import Binome
from participants import tasks
from participants.models import Consent, Participant
from participants.rules import validate_birth_date
from programmes.models import Cohort, Programme
from programmes.selectors import cohort_current, programme_accepts_sign_ups, programme_default_for
from safeguarding import policy
from safeguarding import tasks as safeguarding_tasks
from safeguarding.effects import after_commit, after_commit_many
from safeguarding.policy import needs_parental_consent

# Profile fields a participant fills and may edit; everything else is set by services.
COMMON_PROFILE_FIELDS = (
    "birth_date", "gender", "commune", "education", "field", "qpv_resident", "boursier",
    "first_generation", "parents_pcs", "goals", "goals_text", "languages", "availability",
    "meeting_format", "prefers_same_gender", "parent_name", "parent_email",
)
MENTOR_PROFILE_FIELDS = ("capacity", "help_with", "path_text", "available_until", "available_until_reason")


def profile_fields(role: str) -> tuple[str, ...]:
    return COMMON_PROFILE_FIELDS + (MENTOR_PROFILE_FIELDS if role == Membership.Role.MENTOR else ())


@dataclass(frozen=True)
class NewAccount:
    email: str
    password: str
    first_name: str
    last_name: str


DUPLICATE_EMAIL = _("Un compte existe déjà avec cette adresse e-mail. Connecte-toi d'abord, puis reviens sur cette page pour t'inscrire.")


def email_normalise(email: str) -> str:
    """The one form of an address the platform stores and compares (sign-up, imports)."""
    return (email or "").strip().lower()


@dataclass
class SignUpRows:
    """What one sign-up writes, built unsaved by ``sign_up_rows`` and written by
    ``sign_up_rows_save``: the single sign-up writes one, an import (``imports``) hundreds at a
    time, so both write exactly the same rows."""

    user: User  # saved already (an existing login) or new
    email_address: EmailAddress | None  # a new login's address, unverified until they prove it
    membership: Membership  # saved already (``membership_start``) or new
    participant: Participant
    # Their own consent (not for an import: they give it when answering their invitation) and,
    # under 15, the request to the parent (e-mailed after commit).
    consents: list[Consent]


def _account_rows(account: NewAccount) -> tuple[User, EmailAddress]:
    """A new login and its address, unsaved. Without a password (an imported person) the password
    is unusable: they choose it from their invitation."""
    email = email_normalise(account.email)
    user = User(
        email=email, first_name=account.first_name.strip(), last_name=account.last_name.strip(), is_staff=False, is_superuser=False,
        language=get_language() or "fr",  # e-mails follow the language they signed up in
    )
    user.set_password(account.password or None)
    return user, EmailAddress(user=user, email=email, primary=True, verified=False)


def sign_up_check(*, association: Association, programme: Programme, role: str, profile: dict[str, Any], privacy_accepted: bool,
                  invited_by: User | None, today: date) -> None:
    """The sign-up's rules that read nothing but their arguments (``participant_sign_up``'s
    preconditions, checked for every person an import creates too). Raises ``ValidationError``."""
    if role not in (Membership.Role.MENTOR, Membership.Role.MENTEE):
        raise ValueError(f"Not a participant role: {role}")
    if not association.is_active:
        raise ValidationError(_("Cette association n'accepte pas d'inscriptions pour le moment."))
    if not privacy_accepted and invited_by is None:
        raise ValidationError({"privacy_accepted": _("Tu dois accepter la politique de confidentialité pour t'inscrire.")})
    if programme.association_id != association.pk:
        raise ValueError("The programme belongs to another association.")
    # A coordinator's import adds people the association already follows, intake open or not.
    if invited_by is None and not programme_accepts_sign_ups(programme=programme, today=today):
        raise ValidationError(_("Les inscriptions à ce programme sont fermées pour le moment."))
    _check_profile(programme=programme, role=role, profile=profile)


def sign_up_rows(
    *, association: Association, programme: Programme, cohort: Cohort | None, role: str, profile: dict[str, Any], now: datetime,
    user: User | None = None, account: NewAccount | None = None, membership: Membership | None = None,
    came_from_binome: Binome | None = None, invited_by: User | None = None,
) -> SignUpRows:
    """The rows of one sign-up, unsaved and without a query: a new login (``account``) or an
    existing ``user`` (with their current ``membership`` when they have one), the participant in
    ``cohort`` of ``programme``, their consent, and under 15 the parent's consent to ask.
    Preconditions: ``sign_up_check`` passed; the address of ``account`` is nobody's."""
    email_address = None
    if user is None:
        assert account is not None
        user, email_address = _account_rows(account)
    if membership is None:
        membership = Membership(user=user, association=association, role=role, started_at=now)
    fields = {name: profile.get(name) for name in profile_fields(role) if name in profile}
    invited = {}
    if invited_by is not None:
        invited = {"status": Participant.Status.VALIDATED, "validated_at": now, "reviewed_by": invited_by, "imported_at": now,
                   "invitation_pending": True, "parent_phone": (profile.get("parent_phone") or "")[:30]}
    participant = Participant(
        membership=membership, association=association, programme=programme, role=role, came_from_binome=came_from_binome,
        cohort=cohort, created_at=now, **_clean_values(fields, role), **invited,
    )
    consents = []
    if invited_by is None:
        consents.append(_own_consent_row(participant=participant, user=user, now=now))
    if needs_parental_consent(birth_date=participant.birth_date):
        consents.append(_parental_consent_row(participant=participant, now=now))
    return SignUpRows(user=user, email_address=email_address, membership=membership, participant=participant, consents=consents)


def sign_up_rows_save(rows: list[SignUpRows]) -> None:
    """Write the rows of sign-ups, a few inserts for all of them (logins not saved yet first, then
    addresses, memberships, participants, consents), then screen their profile texts and record
    the e-mails to parents in the outbox. Call inside the transaction of the sign-ups."""
    User.objects.bulk_create([r.user for r in rows if r.user.pk is None])
    EmailAddress.objects.bulk_create([r.email_address for r in rows if r.email_address is not None])
    Membership.objects.bulk_create([r.membership for r in rows if r.membership.pk is None])
    Participant.objects.bulk_create([r.participant for r in rows])
    consents = [consent for r in rows for consent in r.consents]
    Consent.objects.bulk_create(consents)
    for r in rows:
        # Only a text needs screening; a new participant has no earlier review to supersede.
        texts = [name for name in PROFILE_TEXT_FIELDS if getattr(r.participant, name)]
        if texts:
            _screen_profile_texts(participant=r.participant, author=r.user, changed=texts)
    after_commit_many(tasks.send_parental_consent_request, [[c.pk] for c in consents if c.kind == Consent.Kind.PARENT])


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
    programme: Programme | None = None,
    invited_by: User | None = None,
) -> Participant:
    """Create a participant (and the login, when ``account`` is given) in ``pending`` status.

    ``invited_by``: a coordinator imports a person the association already follows (``imports``):
    the participant is validated by them, the login has no password and the person's own consent is
    not recorded yet (``invitation_pending``: the policy keeps them out of pairing and messaging
    until ``participant_invitation_accept``). ``privacy_accepted`` is then not asked.

    ``came_from_binome``: the cascade — a former mentee signing up as a mentor from the binôme
    they were mentored in (it must be theirs, as the mentee, and over).
    ``programme``: the association's programme they sign up to (its default one when not given).

    Preconditions: the association is active; ``profile`` holds the fields of ``profile_fields``;
    the privacy notice was accepted; under 15, a parent's name and e-mail are given (their consent
    is recorded alongside the participant's).
    """
    if programme is None:
        programme = programme_default_for(association)
    today = timezone.localdate()
    sign_up_check(association=association, programme=programme, role=role, profile=profile, privacy_accepted=privacy_accepted,
                  invited_by=invited_by, today=today)
    if (user is None) == (account is None):
        raise ValueError("Give either an existing user or a new account, not both.")
    membership = None
    if user is None:
        assert account is not None
        if User.objects.filter(email__iexact=email_normalise(account.email)).exists():
            raise ValidationError({"email": DUPLICATE_EMAIL})
    elif Participant.objects.filter(
        association=association, role=role, membership__user=user, membership__ended_at__isnull=True
    ).exists():
        raise ValidationError(_("Tu es déjà inscrit·e dans cette association avec ce rôle."))
    if came_from_binome is not None:
        if user is None:
            raise PermissionDenied  # a new login was the mentee of no binôme
        _check_cascade_origin(binome=came_from_binome, user=user, role=role)
    if user is not None:
        membership = membership_start(user=user, association=association, role=role)
    rows = sign_up_rows(association=association, programme=programme, cohort=cohort_current(programme=programme, today=today), role=role,
                        profile=profile, now=timezone.now(), user=user, account=account, membership=membership,
                        came_from_binome=came_from_binome, invited_by=invited_by)
    if rows.user.pk is None:
        try:
            with transaction.atomic():
                rows.user.save()
        except IntegrityError:  # two sign-ups with the same address at the same moment
            raise ValidationError({"email": DUPLICATE_EMAIL}) from None
    sign_up_rows_save([rows])
    return rows.participant


def _own_consent_row(*, participant: Participant, user: User, now: datetime) -> Consent:
    """The person accepts the current privacy notice: under 15 it is their assent (the legal
    consent is the parent's), otherwise their consent."""
    kind = Consent.Kind.ASSENT if needs_parental_consent(birth_date=participant.birth_date) else Consent.Kind.SELF
    return Consent(participant=participant, user=user, kind=kind, notice_version=settings.PRIVACY_NOTICE_VERSION, accepted_at=now)


def _own_consent_record(*, participant: Participant, user: User) -> Consent:
    """``_own_consent_row``, recorded once per notice version."""
    row = _own_consent_row(participant=participant, user=user, now=timezone.now())
    consent, _created = Consent.objects.get_or_create(
        participant=participant, kind=row.kind, notice_version=row.notice_version, defaults={"user": user, "accepted_at": row.accepted_at})
    return consent


@transaction.atomic
def participant_invitation_accept(*, user: User, password: str | None, privacy_accepted: bool) -> list[Participant]:
    """An imported person answers their invitation: they choose their password and accept the
    privacy notice. Their address is verified (the invitation link reached it); each of their
    participants waiting for this answer records the consent (under 15: the assent, the parent's
    consent being asked by ``parental_consent_request`` at import) and leaves ``invitation_pending``.

    ``password`` None: they chose it already, with "mot de passe oublié" (whose link reached the
    same address) instead of the invitation's link, and answer once logged in; it is kept.
    Preconditions: the caller checked the invitation's token for ``user`` (or ``user`` is logged
    in, with ``password`` None); the password is valid."""
    if not privacy_accepted:
        raise ValidationError({"privacy_accepted": _("Tu dois accepter la politique de confidentialité pour continuer.")})
    if password is None and not user.has_usable_password():
        raise ValueError("Without a password of their own, they answer from the invitation's link.")
    waiting = list(Participant.objects.select_for_update(of=("self",)).filter(
        membership__user=user, invitation_pending=True).order_by("pk"))
    if password is not None:
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
    for participant in waiting:
        _own_consent_record(participant=participant, user=user)
        participant.invitation_pending = False
        participant.save(update_fields=["invitation_pending", "updated_at"])
    return waiting


def parental_consent_request(*, participant: Participant) -> Consent:
    """Ask the parent of an under-15 (again): the request waiting for an answer is reused (with
    the parent's current name and address), else a new one is created — it becomes the consent the
    policy reads, so an older confirmation no longer counts. The link is e-mailed after commit.
    The caller holds the participant's row lock."""
    pending = Consent.objects.filter(
        participant=participant, kind=Consent.Kind.PARENT, confirmed_at__isnull=True, refused_at__isnull=True,
        withdrawn_at__isnull=True,
    ).first()
    if pending is not None:
        pending.given_by_name, pending.given_by_email = participant.parent_name, participant.parent_email
        pending.save(update_fields=["given_by_name", "given_by_email"])
        consent = pending
    else:
        consent = _parental_consent_row(participant=participant, now=timezone.now())
        consent.save()
    after_commit(tasks.send_parental_consent_request, consent.pk)
    return consent


def _parental_consent_row(*, participant: Participant, now: datetime) -> Consent:
    """A new request to the parent of an under-15 (its token is the e-mailed link's only secret)."""
    return Consent(
        participant=participant, user=participant.membership.user, kind=Consent.Kind.PARENT,
        notice_version=settings.PRIVACY_NOTICE_VERSION, given_by_name=participant.parent_name,
        given_by_email=participant.parent_email, token=secrets.token_urlsafe(32), accepted_at=now,
    )


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
    if "available_until" in cleaned and not cleaned["available_until"]:
        cleaned["available_until"], cleaned["available_until_reason"] = None, ""  # no date, no reason
    elif cleaned.get("available_until_reason") is None and "available_until_reason" in cleaned:
        cleaned["available_until_reason"] = ""
    return cleaned


def _check_profile(*, programme: Programme, role: str, profile: dict[str, Any]) -> None:
    errors = profile_errors(programme=programme, role=role, profile=profile)
    if errors:
        raise ValidationError(errors)


def profile_errors(*, programme: Programme, role: str, profile: dict[str, Any]) -> dict[str, list[str]]:
    """The sign-up's rules on a profile (the programme's age bounds, a parent under 15, a mentor's
    capacity), as French errors by field: the sign-up, profile edits and imports read the same answer."""
    errors: dict[str, list[str]] = {}
    birth_date: date | None = profile.get("birth_date")
    if birth_date is None:
        errors["birth_date"] = [_("Indique ta date de naissance.")]
    else:
        try:
            validate_birth_date(programme=programme, role=role, birth_date=birth_date)
        except ValidationError as exc:
            errors["birth_date"] = exc.messages
        if needs_parental_consent(birth_date=birth_date) and not (profile.get("parent_name") and profile.get("parent_email")):
            errors["parent_name"] = [_("Avant 15 ans, indique le nom et l'e-mail d'un parent ou tuteur légal qui est d'accord.")]
    if role == Membership.Role.MENTOR:
        capacity = profile.get("capacity")
        if capacity not in (1, 2, 3):
            errors["capacity"] = [_("Choisis d'accompagner 1, 2 ou 3 personnes.")]
    return errors


@transaction.atomic
def participant_update_profile(*, participant: Participant, by: User, profile: dict[str, Any]) -> Participant:
    """The participant edits their own profile; birth date and age rules are checked again."""
    if participant.membership.user_id != by.pk:
        raise PermissionDenied
    locked = Participant.objects.select_for_update(of=("self",)).select_related("association", "programme", "membership__user").get(pk=participant.pk)
    allowed = profile_fields(locked.role)
    merged = {name: getattr(locked, name) for name in allowed}
    merged.update({k: v for k, v in profile.items() if k in allowed})
    _check_profile(programme=locked.programme, role=locked.role, profile=merged)
    was_under_15 = needs_parental_consent(birth_date=locked.birth_date)
    changed = [name for name in PROFILE_TEXT_FIELDS if name in allowed and merged.get(name) != getattr(locked, name)]
    for name, value in _clean_values(merged, locked.role).items():
        setattr(locked, name, value)
    locked.save()
    _screen_profile_texts(participant=locked, author=by, changed=changed)
    if needs_parental_consent(birth_date=locked.birth_date) and not was_under_15:
        # Consent follows the person: a change that brings them under 15 needs a parent's
        # confirmation again. Until it comes the policy refuses pairing and messaging, and the
        # coordinators see why on the participant's page.
        Consent.objects.get_or_create(participant=locked, kind=Consent.Kind.ASSENT, notice_version=settings.PRIVACY_NOTICE_VERSION,
                                      defaults={"user": by})
        parental_consent_request(participant=locked)
        after_commit(safeguarding_tasks.notify_coordinators, locked.pk, "consent_needed")
    return locked


# The texts of a profile the other member of a binôme reads (the binôme page).
PROFILE_TEXT_FIELDS = ("goals_text", "path_text")


def _screen_profile_texts(*, participant: Participant, author: User, changed: Iterable[str]) -> None:
    """Screen each changed profile text the partner reads; a flagged one is reviewed (held per
    the association's setting), a new text supersedes the review of the old one."""
    from safeguarding.screening import screen_text
    from safeguarding.services import text_review_open

    for name in changed:
        text = getattr(participant, name) or ""
        text_review_open(kind=name, author=author, association=participant.association, text=text,
                         screening=screen_text(text=text, association=participant.association), participant=participant)


def _lock_for_coordinator(*, participant: Participant, by: User) -> Participant:
    # Only the participant's row (the lock approval, consent answers and profile edits take too),
    # never the association it joins.
    locked = Participant.objects.select_for_update(of=("self",)).select_related("association", "membership__user").get(pk=participant.pk)
    if not is_coordinator(user=by, association=locked.association):
        raise PermissionDenied
    return locked


@transaction.atomic
def participant_validate(*, participant: Participant, by: User) -> Participant:
    """A coordinator accepts a sign-up; from now on the participant waits for a binôme."""
    locked = _lock_for_coordinator(participant=participant, by=by)
    if locked.status not in (Participant.Status.PENDING, Participant.Status.DECLINED):
        raise ValidationError(_("Cette inscription est déjà validée."))
    if policy.consent_refusal(participant=locked, on=timezone.localdate()):
        raise ValidationError(_(
            "Avant 15 ans, le parent ou tuteur légal doit d'abord confirmer son accord depuis le lien reçu "
            "par e-mail. Vous pouvez lui renvoyer ce lien."))
    locked.status = Participant.Status.VALIDATED
    locked.validated_at = timezone.now()
    locked.reviewed_by = by
    locked.decline_reason = ""
    locked.save(update_fields=["status", "validated_at", "reviewed_by", "decline_reason", "updated_at"])
    outbox.emit(tasks.send_sign_up_decision, locked.pk)
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
    outbox.emit(tasks.send_sign_up_decision, locked.pk)
    return locked


@transaction.atomic
def participant_record_vetting(
    *, participant: Participant, by: User, issued_on: date, verified_on: date, expires_on: date
) -> Participant:
    """Record that a coordinator checked a mentor's "attestation d'honorabilité" online: the date it
    was issued, the date it was checked (by ``by``) and the date the check must be renewed. Dates
    only, never the document nor its content. Plausible bounds: ``safeguarding.policy``.

    The mentor's open proposals with minors are superseded (they were computed with the former
    vetting state: a new run proposes again), and the reminder markers start again."""
    locked = _lock_for_coordinator(participant=participant, by=by)
    if locked.role != Membership.Role.MENTOR:
        raise ValidationError(_("Seuls les mentors ont une attestation d'honorabilité."))
    today = timezone.localdate()
    errors = policy.vetting_date_errors(issued_on=issued_on, verified_on=verified_on, expires_on=expires_on, on=today)
    if errors:
        raise ValidationError(errors)
    locked.vetting_issued_on = issued_on
    locked.vetting_verified_on = verified_on
    locked.vetting_expires_on = expires_on
    locked.vetting_recorded_by = by
    locked.vetting_reminded_days = None
    locked.vetting_expiry_handled_for = None
    locked.save(update_fields=["vetting_issued_on", "vetting_verified_on", "vetting_expires_on", "vetting_recorded_by",
                               "vetting_reminded_days", "vetting_expiry_handled_for", "updated_at"])
    from matching.services import proposals_supersede_with_minors

    proposals_supersede_with_minors(mentor=locked, on=today)
    return locked


def parental_consent_of(*, participant: Participant) -> Consent | None:
    """The parental consent the policy reads (the latest request)."""
    return policy.current_parental_consent(participant)


@transaction.atomic
def parental_consent_answer(*, token: str, agree: bool) -> Consent:
    """The parent confirms (or refuses) from the e-mailed link. Answering the same twice changes
    nothing; "no" after a confirmation is a withdrawal (``parental_consent_withdraw``)."""
    consent = Consent.objects.filter(kind=Consent.Kind.PARENT, token=token).first()
    if consent is None or not token:
        raise ValidationError(_("Ce lien n'est pas valable."))
    # The participant's row first: the lock approval and profile edits take (same order everywhere).
    Participant.objects.select_for_update(of=("self",)).get(pk=consent.participant_id)
    consent = Consent.objects.select_for_update(of=("self",)).get(pk=consent.pk)
    if consent.confirmed_at and not agree and not consent.withdrawn_at:
        return parental_consent_withdraw(token=token)
    if consent.confirmed_at or consent.refused_at:
        return consent
    if agree:
        consent.confirmed_at = timezone.now()
    else:
        consent.refused_at = timezone.now()
    consent.save(update_fields=["confirmed_at", "refused_at"])
    return consent


@transaction.atomic
def parental_consent_withdraw(*, token: str) -> Consent:
    """A parent who agreed withdraws their consent (from the e-mailed link and its page). Under the
    child's row lock: from now on the policy refuses pairing and messaging; each running binôme the
    policy says may not go on is suspended, and the coordinators are told. Twice changes nothing."""
    consent = Consent.objects.filter(kind=Consent.Kind.PARENT, token=token).first()
    if consent is None or not token:
        raise ValidationError(_("Ce lien n'est pas valable."))
    child = Participant.objects.select_for_update(of=("self",)).select_related("membership__user").get(pk=consent.participant_id)
    consent = Consent.objects.select_for_update(of=("self",)).get(pk=consent.pk)
    if consent.confirmed_at is None:
        raise ValidationError(_("Vous n'avez pas donné votre accord : il n'y a rien à retirer."))
    if consent.withdrawn_at:
        return consent
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    from binomes.lifecycle import binome_suspend_for_safeguarding

    today = timezone.localdate()
    suspended = []
    running = Binome.objects.filter(Q(mentee=child) | Q(mentor=child), status__in=Binome.RUNNING_STATUSES).select_related(
        "mentor__membership__user", "mentee__membership__user")
    for binome in running:
        reason = policy.binome_refusal(binome=binome, on=today)
        if reason:
            done = binome_suspend_for_safeguarding(binome=binome, reason=_("Suspendu automatiquement : %(reason)s") % {"reason": reason})
            if done is not None:
                suspended.append(done.pk)
    for binome_id in suspended or [None]:
        after_commit(safeguarding_tasks.notify_coordinators, child.pk, "consent_withdrawn", binome_id)
    return consent


def parental_consent_resend(*, participant: Participant, by: User) -> Consent:
    """A coordinator sends the parent's link again (after commit)."""
    if not is_coordinator(user=by, association=participant.association):
        raise PermissionDenied
    consent = parental_consent_of(participant=participant)
    if consent is not None and (consent.refused_at or consent.withdrawn_at):
        raise ValidationError(_(
            "Le parent a refusé ou retiré son accord : le lien ne lui est pas renvoyé. Prenez contact avec la famille."))
    if consent is None or consent.confirmed_at:
        raise ValidationError(_("Il n'y a pas d'accord parental en attente pour cette inscription."))
    outbox.emit(tasks.send_parental_consent_request, consent.pk)
    return consent
