"""The binôme state machine: every status change of a binôme goes through here.

    active ──suspend──▶ suspended ──resume──▶ (active | continued)
    active | continued ──continue──▶ continued (new horizon)
    active | continued ──complete──▶ completed
    active | continued | suspended ──end_early──▶ ended_early

A transition from any other state is refused with a French message that says why.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import outbox
from accounts.models import User
from associations.services import is_coordinator
from binomes import tasks
from binomes.attention import binome_attention_refresh
from binomes.models import Binome, EndSurvey
from participants.models import Participant

S = Binome.Status

ALLOWED: dict[str, tuple[str, ...]] = {
    "suspend": (S.ACTIVE, S.CONTINUED),
    "resume": (S.SUSPENDED,),
    "continue": (S.ACTIVE, S.CONTINUED),
    "complete": (S.ACTIVE, S.CONTINUED),
    "end_early": (S.ACTIVE, S.CONTINUED, S.SUSPENDED),
}

REFUSALS = {
    ("continue", S.SUSPENDED): _("Impossible de prolonger un binôme suspendu : réactivez-le d'abord."),
    ("suspend", S.SUSPENDED): _("Ce binôme est déjà suspendu."),
    ("resume", S.ACTIVE): _("Ce binôme n'est pas suspendu."),
    ("resume", S.CONTINUED): _("Ce binôme n'est pas suspendu."),
    ("complete", S.SUSPENDED): _("Un binôme suspendu ne peut pas être terminé normalement : réactivez-le ou arrêtez-le."),
}


def _new_horizon(binome: Binome):  # noqa: ANN202
    """One programme duration after the current planned end (or today, if later)."""
    from matching.pool import pair_planned_end

    return pair_planned_end(binome.mentee.programme, max(binome.planned_end_on, timezone.localdate()))


def _lock(binome: Binome, action: str) -> Binome:
    locked = Binome.objects.select_for_update(of=("self",)).select_related("association", "mentee__programme").get(pk=binome.pk)
    if locked.status not in ALLOWED[action]:
        message = REFUSALS.get((action, locked.status)) or _("Ce binôme est déjà clos (%(status)s) : cette action n'est plus possible.") % {
            "status": locked.get_status_display()
        }
        raise ValidationError(message, code="invalid_transition")
    return locked


def _require_staff(user: User, binome: Binome) -> None:
    if not is_coordinator(user=user, association=binome.association):
        raise PermissionDenied


def _require_staff_or_both_answered(user: User, binome: Binome, *, both_wish_to_continue: bool) -> None:
    """A coordinator may continue (or complete) a binôme at any time; a member only once both
    members have answered the end survey of the current horizon, and in the way they answered."""
    if is_coordinator(user=user, association=binome.association):
        return
    if binome.member_role(user.pk) is None:
        raise PermissionDenied
    wishes = dict(EndSurvey.objects.filter(binome=binome, horizon=binome.planned_end_on).values_list("role", "wish_to_continue"))
    if len(wishes) < 2 or all(wishes.values()) != both_wish_to_continue:
        raise PermissionDenied


def _require_member_or_staff(user: User, binome: Binome) -> None:
    members = {binome.mentor.membership.user_id, binome.mentee.membership.user_id}
    if user.pk not in members and not is_coordinator(user=user, association=binome.association):
        raise PermissionDenied


@transaction.atomic
def binome_suspend(*, binome: Binome, by: User, reason: str) -> Binome:
    """A coordinator suspends a binôme (after a report, say): messaging closes, both are told."""
    _require_staff(by, binome)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Indiquez la raison de la suspension.")})
    locked = _lock(binome, "suspend")
    locked.suspended_from, locked.status, locked.suspension_reason = locked.status, S.SUSPENDED, reason.strip()
    locked.save(update_fields=["suspended_from", "status", "suspension_reason"])
    binome_attention_refresh(binome_id=locked.pk)  # health and list rank follow the status
    outbox.emit(tasks.send_status_change, locked.pk, "suspended")
    return locked


@transaction.atomic
def binome_suspend_for_safeguarding(*, binome: Binome, reason: str) -> Binome | None:
    """The platform suspends a binôme that may not go on (a parent withdrew consent, the mentor's
    attestation expired with a minor mentee): no actor, the reason is recorded for the coordinators.
    Returns None when the binôme was not running any more (already suspended or closed): calling it
    twice changes nothing. The caller tells the coordinators (after commit)."""
    locked = Binome.objects.select_for_update(of=("self",)).select_related("association").get(pk=binome.pk)
    if locked.status not in ALLOWED["suspend"]:
        return None
    locked.suspended_from, locked.status, locked.suspension_reason = locked.status, S.SUSPENDED, reason.strip()[:2000]
    locked.save(update_fields=["suspended_from", "status", "suspension_reason"])
    binome_attention_refresh(binome_id=locked.pk)  # health and list rank follow the status
    outbox.emit(tasks.send_status_change, locked.pk, "suspended")
    return locked


@transaction.atomic
def binome_resume(*, binome: Binome, by: User) -> Binome:
    """Resume a suspended binôme — refused while the safeguarding policy says it may not go on."""
    from safeguarding.policy import binome_refusal

    _require_staff(by, binome)
    locked = _lock(binome, "resume")
    refusal = binome_refusal(binome=Binome.objects.select_related(
        "mentor__membership__user", "mentee__membership__user").get(pk=locked.pk), on=timezone.localdate())
    if refusal:
        raise ValidationError(_("Ce binôme ne peut pas reprendre : %(reason)s") % {"reason": refusal})
    locked.status, locked.suspended_from = locked.suspended_from, ""
    locked.save(update_fields=["status", "suspended_from"])
    binome_attention_refresh(binome_id=locked.pk)  # health and list rank follow the status
    outbox.emit(tasks.send_status_change, locked.pk, "resumed")
    return locked


@transaction.atomic
def binome_continue(*, binome: Binome, by: User) -> Binome:
    """A new horizon of one programme duration. ``by`` is a coordinator of the association, or a
    member once both members have said in the end survey that they wish to continue."""
    _require_staff_or_both_answered(by, binome, both_wish_to_continue=True)
    locked = _lock(binome, "continue")
    locked.status = S.CONTINUED
    locked.continued_count += 1
    locked.planned_end_on = _new_horizon(locked)
    locked.end_survey_sent_at = None  # a new end survey comes at the new horizon
    locked.save(update_fields=["status", "continued_count", "planned_end_on", "end_survey_sent_at"])
    binome_attention_refresh(binome_id=locked.pk)  # health and list rank follow the status
    return locked


@transaction.atomic
def binome_complete(*, binome: Binome, by: User) -> Binome:
    """The binôme reaches its end. ``by`` is a coordinator of the association, or a member once
    both members have answered the end survey and at least one does not wish to continue."""
    _require_staff_or_both_answered(by, binome, both_wish_to_continue=False)
    locked = _lock(binome, "complete")
    locked.status, locked.ended_on = S.COMPLETED, timezone.localdate()
    locked.save(update_fields=["status", "ended_on"])
    binome_attention_refresh(binome_id=locked.pk)  # health and list rank follow the status
    outbox.emit(tasks.send_cascade_invitation, locked.pk, key=f"cascade-invitation:{locked.pk}")
    return locked


@transaction.atomic
def binome_end_early(*, binome: Binome, by: User, reason_code: str, reason: str = "") -> Binome:
    """Either member or a coordinator ends the binôme before its planned end, with a reason."""
    _require_member_or_staff(by, binome)
    if reason_code not in Binome.EndReason.values:
        raise ValidationError({"reason_code": _("Choisissez une raison dans la liste.")})
    if reason_code == Binome.EndReason.OTHER and not (reason or "").strip():
        raise ValidationError({"reason": _("Précisez la raison.")})
    locked = _lock(binome, "end_early")
    locked.status, locked.ended_on, locked.ended_by = S.ENDED_EARLY, timezone.localdate(), by
    locked.end_reason_code, locked.end_reason = reason_code, (reason or "").strip()
    locked.save(update_fields=["status", "ended_on", "ended_by", "end_reason_code", "end_reason"])
    # Issue 13: the mentor is not proposed again until a coordinator says so (the closing step's
    # button, matching.rematch.mentor_matching_resume; the pool reads it in matching.pool).
    Participant.objects.filter(pk=locked.mentor_id, matching_paused_on__isnull=True).update(matching_paused_on=locked.ended_on)
    binome_attention_refresh(binome_id=locked.pk)  # health and list rank follow the status
    outbox.emit(tasks.send_status_change, locked.pk, "ended_early", key=f"binome-ended-early:{locked.pk}")
    outbox.emit(tasks.send_cascade_invitation, locked.pk, key=f"cascade-invitation:{locked.pk}")
    return locked
