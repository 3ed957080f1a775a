"""Re-matching after an early end (issue 13): a one-person run and its one-click proposal.

A mentee whose binôme ended early is back in the pool (``binomes.selectors.settled_mentee_ids``
does not count an early end), with the time waited before the binôme kept (``matching.pool``'s
waiting days). The coordinator need not wait for the next run: ``rematch_candidates`` scores the
mentee against every mentor of the association with ``matching.alternatives.score_mentors`` — the
same policy, pool rule (paused mentors, short horizons), capacity and engine constraints as a run —
and ``rematch_propose`` writes the chosen pair as a proposal of a one-person run (``trigger``
"single"), which the coordinator then approves or rejects like any other.

A mentor whose binôme ended early is paused (``Participant.matching_paused_on``, set by
``binomes.lifecycle.binome_end_early``); ``mentor_matching_resume`` is the coordinator's word.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from associations.services import is_coordinator
from matching.alternatives import Candidate, mentor_queryset, score_mentors
from matching.models import MatchRun, Proposal
from participants.models import Participant

SINGLE = "single"  # MatchRun.trigger of a one-person run


def _require_coordinator(user: User, participant: Participant) -> None:
    """A coordinator of the participant's association who may see their programme."""
    from programmes.selectors import programme_visible

    if not is_coordinator(user=user, association=participant.association) or not programme_visible(
            user=user, association=participant.association, programme_id=participant.programme_id):
        raise PermissionDenied


def rematch_mentee_get(*, user: User, association_id: int, mentee_id: int) -> Participant:
    """A validated mentee of an association ``user`` coordinates, in a programme they may see
    (Http404 otherwise)."""
    from programmes.selectors import programme_visible

    mentee = (Participant.objects.select_related("association", "membership__user", "commune__departement")
              .prefetch_related("consents")
              .filter(pk=mentee_id, association_id=association_id, role=Participant.Role.MENTEE).first())
    if mentee is None or not is_coordinator(user=user, association=mentee.association):
        raise Http404
    if not programme_visible(user=user, association=mentee.association, programme_id=mentee.programme_id):
        raise Http404
    return mentee


def _waiting_refusal(mentee: Participant) -> str | None:
    from binomes.models import Binome

    if mentee.status != Participant.Status.VALIDATED:
        return _("%(name)s n'est pas validé·e : pas de proposition possible.") % {"name": mentee.display_name}
    if Binome.objects.filter(mentee=mentee, status__in=Binome.SETTLED_STATUSES).exists():
        return _("%(name)s a déjà un binôme en cours ou a terminé le programme.") % {"name": mentee.display_name}
    return None


def rematch_candidates(*, user: User, mentee: Participant, limit: int = 5) -> tuple[list[Candidate], str | None]:
    """The best ``limit`` mentors who may be proposed to ``mentee`` today, best first, and why
    none may be when the mentee is not waiting (an open binôme, a completed programme)."""
    _require_coordinator(user, mentee)
    refusal = _waiting_refusal(mentee)
    if refusal:
        return [], refusal
    candidates = score_mentors(mentee=mentee, mentors=list(mentor_queryset(mentee)))
    return [c for c in candidates if c.refusal is None][:limit], None


@transaction.atomic
def rematch_propose(*, mentee: Participant, mentor: Participant, by: User) -> Proposal:
    """Propose ``mentor`` to ``mentee`` as a one-person run. Preconditions: ``by`` coordinates the
    mentee's association and ``mentor`` is one of its mentors. Locks, in the order of an approval:
    the two participants' rows (primary-key order); under them the pair is checked as an approval
    would (``matching.services._check_pair_under_locks``) and scored as in a run, with every
    refusal ``score_mentors`` gives (pool rule, a pair refused or ended before, engine constraints).
    A proposal still waiting for the mentee is refused (the database allows one)."""
    from matching.selectors import settings_for
    from matching.services import SETTINGS_FIELDS, _check_pair_under_locks

    _require_coordinator(by, mentee)
    if mentor.association_id != mentee.association_id or mentor.role != Participant.Role.MENTOR:
        raise ValidationError(_("Choisissez un mentor de l'association."))
    if mentor.programme_id != mentee.programme_id:
        raise ValidationError(_("Choisissez un mentor du même programme."))
    people = {
        p.pk: p
        for p in Participant.objects.select_for_update(of=("self",))
        .select_related("membership__user", "commune__departement", "association")
        .prefetch_related("consents")
        .filter(pk__in=[mentee.pk, mentor.pk]).order_by("pk")
    }
    mentee, mentor = people[mentee.pk], people[mentor.pk]
    refusal = _waiting_refusal(mentee)
    if refusal:
        raise ValidationError(refusal)
    if Proposal.objects.filter(mentee=mentee, status=Proposal.Status.PROPOSED).exists():
        raise ValidationError(_("%(name)s a déjà une proposition en attente de décision.") % {"name": mentee.display_name})
    _check_pair_under_locks(mentee=mentee, mentor=mentor, on=timezone.localdate())
    (candidate,) = score_mentors(mentee=mentee, mentors=[mentor])
    if candidate.refusal:
        raise ValidationError(candidate.refusal, code="constraint")
    now = timezone.now()
    settings_row = settings_for(mentee.programme)
    run = MatchRun.objects.create(
        association=mentee.association, programme=mentee.programme, status=MatchRun.Status.DONE, trigger=SINGLE, requested_by=by,
        started_at=now, finished_at=now, heartbeat_at=now, stage=_("terminé"), progress=100,
        params={name: getattr(settings_row, name) for name in SETTINGS_FIELDS if name != "periodic_runs"},
        n_mentees=1, n_mentors=1, capacity_total=candidate.free_places, n_proposals=1,
    )
    return Proposal.objects.create(
        run=run, association=mentee.association, mentee=mentee, mentor=mentor, score=candidate.score,
        priority=float(candidate.explanation.get("priority", 0.0)), breakdown=candidate.breakdown,
    )


@transaction.atomic
def mentor_matching_resume(*, mentor: Participant, by: User) -> Participant:
    """The coordinator's word: this mentor, paused after an early end, may be proposed again."""
    _require_coordinator(by, mentor)
    Participant.objects.filter(pk=mentor.pk).update(matching_paused_on=None)
    mentor.matching_paused_on = None
    return mentor
