"""Writes of the funder report's own data: the sensitive target-public answers (under their
consent) and mentors' trainings."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from associations.services import is_coordinator
from participants.models import Consent, Participant
from reporting.models import MentorTraining, TargetPublic
from safeguarding.policy import needs_parental_consent

# The text the person (or parent) agrees to, versioned like the privacy notice: a new wording is a
# new version, and answers given under the old one stay under the consent that covered them.
FUNDER_NOTICE_VERSION = "financeurs-2026-12"


def _funder_consent(participant: Participant) -> Consent | None:
    """The standing (not withdrawn) funder consent of the current text, if any. A withdrawn one
    stays as it is, with its date: giving the consent again is a new row (the history of what was
    agreed when, as the parent's consents keep theirs)."""
    return Consent.objects.filter(participant=participant, kind=Consent.Kind.FUNDER_DATA, notice_version=FUNDER_NOTICE_VERSION,
                                  withdrawn_at__isnull=True).select_for_update().first()


@transaction.atomic
def target_public_save(*, participant: Participant, by: User, ase: bool | None, disability: bool | None,
                       parent_name: str = "", parent_email: str = "") -> TargetPublic:
    """Record the optional answers with the consent given for that purpose, now.

    Preconditions: ``by`` is the participant (15 or older) or ``parent_email`` is the confirmed
    parent's (under 15: the parent answers from their consent link, never the child). Only
    mentees are asked (the report counts the young people mentored). Answering neither question
    records nothing and withdraws any earlier answers: nothing is held "just in case".
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.role != Participant.Role.MENTEE:
        raise ValidationError(_("Ces questions ne concernent que les jeunes accompagné·es."))
    minor = needs_parental_consent(birth_date=participant.birth_date)
    if minor and not parent_email:
        raise PermissionDenied(_("Avant 15 ans, c'est ton parent ou tuteur légal qui peut répondre, depuis son lien."))
    if not minor and participant.membership.user_id != by.pk:
        raise PermissionDenied
    if ase is None and disability is None:
        return target_public_withdraw(participant=participant)
    now = timezone.now()
    giver = {"given_by_name": parent_name if minor else "", "given_by_email": parent_email if minor else ""}
    consent = _funder_consent(participant)
    if consent is not None and consent.given_by_email != giver["given_by_email"]:
        # Someone else answers now (the other parent, or the young person at 15): their consent
        # replaces the standing one, which ends here.
        consent.withdrawn_at = max(now, consent.confirmed_at or now)
        consent.save(update_fields=["withdrawn_at"])
        consent = None
    if consent is None:  # first answers, or answers again after a withdrawal: a consent given now
        consent = Consent.objects.create(participant=participant, kind=Consent.Kind.FUNDER_DATA, notice_version=FUNDER_NOTICE_VERSION,
                                         user=participant.membership.user, accepted_at=now, confirmed_at=now, **giver)
    # else: answers changed under the consent still standing, which covers them: it stays as given.
    profile, _created = TargetPublic.objects.select_for_update().get_or_create(participant=participant)
    profile.ase, profile.disability, profile.consent, profile.updated_at = ase, disability, consent, now
    profile.save()
    return profile


@transaction.atomic
def target_public_withdraw(*, participant: Participant) -> TargetPublic:
    """Withdraw the funder consent: the answers are erased in the same transaction (the report
    stops counting the person at once). Harmless when there is nothing to withdraw."""
    now = timezone.now()
    profile = TargetPublic.objects.select_for_update().filter(participant=participant).first()
    if profile is None:
        return TargetPublic(participant=participant)  # nothing held, nothing written
    profile.ase = profile.disability = None
    profile.updated_at = now
    profile.save()
    consent = _funder_consent(participant)
    if consent is not None and consent.withdrawn_at is None:
        consent.withdrawn_at = max(now, consent.confirmed_at or now)
        consent.save(update_fields=["withdrawn_at"])
    return profile


def mentor_training_record(*, participant: Participant, by: User, completed_on: date, title: str = "") -> MentorTraining:
    """A coordinator of the mentor's association records a training the mentor followed."""
    if not is_coordinator(user=by, association=participant.association):
        raise PermissionDenied
    if participant.role != Participant.Role.MENTOR:
        raise ValidationError(_("Seuls les mentors suivent la formation des mentors."))
    if completed_on > timezone.localdate():
        raise ValidationError(_("La date de la formation ne peut pas être dans le futur."))
    return MentorTraining.objects.create(participant=participant, completed_on=completed_on, title=title, recorded_by=by)
