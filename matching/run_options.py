"""Options of a match run beyond the association's settings (kept in ``MatchRun.params``).

``keep_pending``: the coordinator keeps the proposals waiting for a decision. The run then works
only on the people those proposals leave free: mentees without a waiting proposal, and each
mentor's places minus their waiting proposals; nothing is superseded.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from matching.engine import MenteePool
from matching.models import MatchRun, Proposal
from matching.pool import PoolSnapshot

KEEP_PENDING = "keep_pending"
# The programme's sign-up questions used by matching as they were when the run was requested
# (``matching.pool.CustomCriterion.as_json``), like the settings: editing a question while a run
# waits in the queue does not change what that run weighs.
CUSTOM_CRITERIA = "custom_criteria"
OPTIONS = (KEEP_PENDING, CUSTOM_CRITERIA)


def settings_part(params: dict[str, Any]) -> dict[str, Any]:
    """The settings snapshot of a run's params, its options left out."""
    return {k: v for k, v in params.items() if k not in OPTIONS}


def keeps_pending(run: MatchRun) -> bool:
    return bool(run.params.get(KEEP_PENDING))


def without_pending(snapshot: PoolSnapshot, *, association_id: int) -> PoolSnapshot:
    """The pool minus what the waiting proposals already hold (see the module's docstring)."""
    pending = list(
        Proposal.objects.filter(association_id=association_id, status=Proposal.Status.PROPOSED).values_list("mentee_id", "mentor_id")
    )
    held_mentees = {mentee for mentee, _ in pending}
    held_places = Counter(mentor for _, mentor in pending)
    keep = np.array([i for i, pk in enumerate(snapshot.mentee_ids) if pk not in held_mentees], dtype=np.int64)
    mentees = MenteePool(**snapshot.mentees.take(keep), texts=[snapshot.mentees.texts[i] for i in keep])
    new_row = {int(old): new for new, old in enumerate(keep)}
    forbidden = np.array(
        [(new_row[int(a)], int(b)) for a, b in snapshot.forbidden_pairs if int(a) in new_row], dtype=np.int64
    ).reshape(-1, 2)
    mentors = snapshot.mentors
    held = np.array([held_places[pk] for pk in snapshot.mentor_ids], dtype=np.int64)
    mentors.capacity = np.maximum(mentors.capacity - held, 0)
    return PoolSnapshot(mentees, mentors, [snapshot.mentee_ids[i] for i in keep], snapshot.mentor_ids, forbidden,
                        mentor_short_horizons=snapshot.mentor_short_horizons,  # mentor rows unchanged
                        custom_criteria=snapshot.custom_criteria)
