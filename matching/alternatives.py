"""Other mentors for one mentee: the engine's scoring on a one-mentee pool.

Used by the proposals page ("autres mentors possibles") and by ``services.proposal_swap_mentor``,
which re-scores the chosen pair under row locks. The engine stays pure: this module only turns
participants into its arrays (with ``matching.pool``'s columns, so a bit means the same thing as
in a run) and reads back ``explain_pairs``.

Scores here are computed on the small pool (the mentee and the candidate mentors): the text
similarity is fitted on those texts only, so a figure may differ by a few points from the run's.
The current mentor is scored in the same pool, so the comparison between them is fair.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.engine import CRITERIA, PoolScorer, explain_pairs
from matching.explanations import CONSTRAINT_SENTENCES as CONSTRAINT_LABELS
from matching.models import MatchingSettings, Proposal
from matching.pool import (
    custom_codes_of,
    custom_criteria_of,
    mentee_pool_of,
    mentor_exclusion,
    mentor_pool_of,
    params_with_custom,
    short_horizon,
)
from participants.models import Consent, Participant
from safeguarding import policy


@dataclass(frozen=True)
class Candidate:
    """One mentor scored for the mentee: ``explanation`` is ``explain_pairs``' dict (criteria,
    facts, violations), ``refusal`` the policy's or the engine's reason when the pair may not exist."""

    mentor: Participant
    score: float
    explanation: dict[str, Any]
    refusal: str | None
    free_places: int
    pending_elsewhere: int  # the mentor's open proposals with other mentees

    @property
    def breakdown(self) -> dict[str, Any]:
        return {"criteria": self.explanation["criteria"], "facts": self.explanation["facts"]}


def _params(row: MatchingSettings, forbidden: np.ndarray) -> Any:
    from matching.services import params_from_settings

    return params_from_settings(row, forbidden)


def mentor_queryset(mentee: Participant) -> Any:
    """The validated mentors of the mentee's programme (a pair never crosses programmes, as in a
    run's pool), with what the scoring and the policy read."""
    return (
        Participant.objects.filter(association_id=mentee.association_id, programme_id=mentee.programme_id,
                                   role=Participant.Role.MENTOR, status=Participant.Status.VALIDATED)
        .select_related("commune__departement", "membership__user")
        .prefetch_related(Prefetch("consents", queryset=Consent.objects.filter(kind=Consent.Kind.PARENT)))
        .order_by("pk")
    )


def score_mentors(*, mentee: Participant, mentors: list[Participant], now: datetime | None = None) -> list[Candidate]:
    """Score ``mentee`` against each of ``mentors`` (any order; returned best first). Each
    candidate says whether the pair may exist today and why not: the safeguarding policy, the
    pool's mentor rule (``matching.pool.mentor_exclusion``: paused after an early end, available
    too short), the mentor's free places, a pair refused or ended before, then the engine's hard
    constraints. A shorter pair the association allows carries the ``short_horizon`` fact."""
    from binomes.models import Binome
    from matching.selectors import settings_for

    if not mentors:
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    load = Counter(
        Binome.objects.filter(mentor__in=mentors, status__in=Binome.OPEN_STATUSES).values_list("mentor_id", flat=True)
    )
    pending = Counter(
        Proposal.objects.filter(mentor__in=mentors, status=Proposal.Status.PROPOSED)
        .exclude(mentee=mentee).values_list("mentor_id", flat=True)
    )
    never_again = set(
        Proposal.objects.filter(mentee=mentee, status=Proposal.Status.REJECTED).values_list("mentor_id", flat=True)
    ) | set(Binome.objects.filter(mentee=mentee, status=Binome.Status.ENDED_EARLY).values_list("mentor_id", flat=True))
    communes: dict[str, int] = {}
    mentee_pool = mentee_pool_of([mentee], today=today, now=now, communes=communes)
    # every mentor is scored, full or not: a full one is reported as such, not hidden
    mentor_pool = mentor_pool_of(mentors, today=today, communes=communes, free=[1] * len(mentors))
    forbidden = np.array([(0, j) for j, p in enumerate(mentors) if p.pk in never_again], dtype=np.int64).reshape(-1, 2)
    settings_row = settings_for(mentee.programme)  # the mentee's programme's settings, as in its runs
    # ... and its sign-up questions used by matching, as in its runs (one query each, none without)
    criteria = custom_criteria_of(mentee.programme)
    if criteria:
        mentee_pool.custom_codes = custom_codes_of([mentee], criteria)
        mentor_pool.custom_codes = custom_codes_of(mentors, criteria)
    scorer = PoolScorer(mentee_pool, mentor_pool, params_with_custom(_params(settings_row, forbidden), criteria))
    explanations = explain_pairs(scorer, [(0, j) for j in range(len(mentors))], terms_limit=3)
    out = []
    for mentor, e in zip(mentors, explanations, strict=True):
        free = max((mentor.capacity or 0) - load[mentor.pk], 0)
        refusal = policy.pairing_refusal(mentee=mentee, mentor=mentor, on=today)
        if refusal is None:
            refusal = mentor_exclusion(mentor, programme=mentee.programme, start=today, allow_shorter=settings_row.allow_shorter_pairs)
        horizon = short_horizon(mentor, programme=mentee.programme, start=today)
        if horizon:
            e["facts"]["short_horizon"] = horizon
        if refusal is None and not free:
            refusal = str(_("%(name)s n'a plus de place (capacité atteinte).") % {"name": mentor.display_name})
        if refusal is None and e["violations"]:
            refusal = "; ".join(str(CONSTRAINT_LABELS.get(v, v)) for v in e["violations"])
            refusal = str(_("Binôme impossible : %(reasons)s.") % {"reasons": refusal})
        out.append(Candidate(mentor=mentor, score=min(max(e["score"], 0.0), 1.0), explanation=e, refusal=refusal,
                             free_places=free, pending_elsewhere=pending[mentor.pk]))
    out.sort(key=lambda c: (c.refusal is not None, -c.score, c.mentor.pk))
    return out


@dataclass(frozen=True)
class Alternatives:
    current: Candidate | None
    others: list[Candidate]  # admissible mentors other than the current one, best first


def criteria_changes(current: Candidate | None, other: Candidate) -> list[tuple[str, int]]:
    """(criterion label, change in points) of the criteria that move by 5 points or more."""
    from matching.explanations import CRITERIA_LABELS

    if current is None:
        return []
    changes = []
    for name in CRITERIA:
        delta = round(100 * (other.explanation["criteria"][name] - current.explanation["criteria"][name]))
        if abs(delta) >= 5:
            changes.append((str(CRITERIA_LABELS.get(name, name)), delta))
    return sorted(changes, key=lambda c: -abs(c[1]))


def proposal_alternatives(*, proposal: Proposal, limit: int = 5) -> Alternatives:
    """The next best admissible mentors for this proposal's mentee (the current one apart)."""
    candidates = score_mentors(mentee=proposal.mentee, mentors=list(mentor_queryset(proposal.mentee)))
    current = next((c for c in candidates if c.mentor.pk == proposal.mentor_id), None)
    others = [c for c in candidates if c.mentor.pk != proposal.mentor_id and c.refusal is None][:limit]
    return Alternatives(current=current, others=others)
