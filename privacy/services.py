"""Writes of data rights: exports logged, erasure requested then confirmed by a coordinator,
the privacy notice accepted again when its version changes, an association's shorter periods."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from associations.models import Association
from associations.services import is_coordinator
from binomes.models import Binome
from participants.models import Consent, Participant
from privacy.anonymise import participant_anonymise
from privacy.models import Anonymisation, ErasureRequest, PrivacyLog, RetentionSetting
from privacy.retention import BY_CODE
from safeguarding.policy import needs_parental_consent


def export_log(*, by: User | None, participants: list[Participant], fmt: str, parent: bool = False) -> None:
    """Recorded before the data leave (one row per profile)."""
    PrivacyLog.objects.bulk_create([
        PrivacyLog(kind=PrivacyLog.Kind.EXPORT, by=by, association_id=p.association_id, participant_id_ref=p.pk,
                   details={"format": fmt, "parent": parent}) for p in participants])


@transaction.atomic
def erasure_request(*, participant: Participant, by_parent: bool = False, by: User | None = None) -> ErasureRequest:
    if Anonymisation.objects.filter(participant=participant).exists():
        raise ValidationError(_("Ces données ont déjà été effacées."))
    existing = ErasureRequest.objects.filter(participant=participant, status=ErasureRequest.Status.PENDING).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(participant=participant, association=participant.association,
                                                    requested_by_parent=by_parent)
    except IntegrityError:  # a concurrent double click
        return ErasureRequest.objects.get(participant=participant, status=ErasureRequest.Status.PENDING)
    PrivacyLog.objects.create(kind=PrivacyLog.Kind.ERASURE_REQUESTED, by=by, association=participant.association,
                              participant_id_ref=participant.pk, details={"parent": by_parent})
    return request


def _lock_pending(*, request: ErasureRequest, by: User) -> ErasureRequest:
    if not is_coordinator(user=by, association=request.association):
        raise PermissionDenied
    locked = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ErasureRequest.Status.PENDING:
        raise ValidationError(_("Cette demande a déjà été traitée."))
    return locked


@transaction.atomic
def erasure_confirm(*, request: ErasureRequest, by: User) -> ErasureRequest:
    """Precondition: the person has no open binôme (the coordinator ends it first, so that the
    partner is told by the usual e-mail, written while the address still exists)."""
    locked = _lock_pending(request=request, by=by)
    participant = locked.participant
    if Binome.objects.filter(status__in=Binome.OPEN_STATUSES).filter(mentor=participant).exists() or \
            Binome.objects.filter(status__in=Binome.OPEN_STATUSES, mentee=participant).exists():
        raise ValidationError(_("Terminez d'abord le binôme en cours de cette personne : son binôme sera prévenu."))
    participant_anonymise(participant=participant, reason=Anonymisation.Reason.ERASURE)
    Participant.objects.filter(pk=participant.pk, status__in=[Participant.Status.PENDING, Participant.Status.VALIDATED])\
        .update(status=Participant.Status.WITHDRAWN, updated_at=timezone.now())
    locked.status, locked.decided_at, locked.decided_by = ErasureRequest.Status.CONFIRMED, timezone.now(), by
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    PrivacyLog.objects.create(kind=PrivacyLog.Kind.ERASURE_CONFIRMED, by=by, association=locked.association,
                              participant_id_ref=participant.pk)
    return locked


@transaction.atomic
def erasure_refuse(*, request: ErasureRequest, by: User, reason: str) -> ErasureRequest:
    locked = _lock_pending(request=request, by=by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indiquez la raison du refus (elle sera donnée à la personne).")})
    locked.status, locked.decided_at, locked.decided_by, locked.refusal_reason = ErasureRequest.Status.REFUSED, timezone.now(), by, reason
    locked.save(update_fields=["status", "decided_at", "decided_by", "refusal_reason"])
    PrivacyLog.objects.create(kind=PrivacyLog.Kind.ERASURE_REFUSED, by=by, association=locked.association,
                              participant_id_ref=locked.participant_id)
    return locked


# --- The privacy notice -----------------------------------------------------------------------

OWN_KINDS = (Consent.Kind.SELF, Consent.Kind.ASSENT)


def notice_outdated(*, user: User) -> bool:
    """True when the person accepted an earlier version of the notice and not the current one.
    (Someone who never accepted any — a coordinator, an account without a profile — is not asked.)"""
    versions = set(Consent.objects.filter(user=user, kind__in=OWN_KINDS, participant__anonymisation__isnull=True)
                   .values_list("notice_version", flat=True))
    return bool(versions) and settings.PRIVACY_NOTICE_VERSION not in versions


@transaction.atomic
def notice_accept(*, user: User) -> int:
    """Record the current version for each of the user's profiles (the child's own agreement under 15)."""
    version, created = settings.PRIVACY_NOTICE_VERSION, 0
    for participant in Participant.objects.filter(membership__user=user, anonymisation__isnull=True):
        kind = Consent.Kind.ASSENT if needs_parental_consent(birth_date=participant.birth_date) else Consent.Kind.SELF
        _, new = Consent.objects.get_or_create(participant=participant, kind=kind, notice_version=version, defaults={"user": user})
        created += int(new)
    if created:
        PrivacyLog.objects.create(kind=PrivacyLog.Kind.NOTICE_ACCEPTED, by=user, details={"version": version})
    return created


@transaction.atomic
def retention_setting_set(*, association: Association, by: User, category: str, months: int | None) -> RetentionSetting | None:
    """A shorter period for messages or reports; ``None`` goes back to the platform's default."""
    if not is_coordinator(user=by, association=association):
        raise PermissionDenied
    entry = BY_CODE.get(category)
    if entry is None or not entry.shortenable:
        raise ValidationError(_("Cette durée n'est pas réglable par l'association."))
    if months is None:
        RetentionSetting.objects.filter(association=association, category=category).delete()
        return None
    if not 1 <= months <= entry.months:
        raise ValidationError({"months": _("Choisissez entre 1 et %(max)s mois.") % {"max": entry.months}})
    setting, _created = RetentionSetting.objects.update_or_create(
        association=association, category=category, defaults={"months": months, "updated_by": by, "updated_at": timezone.now()})
    return setting
