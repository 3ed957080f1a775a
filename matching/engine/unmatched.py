"""Why each mentee left without a proposal got none: computed from the same per-pair rules the
optimiser obeys (``scoring.violations`` and the excluded pairs), never from a copy of them.

For every unmatched mentee against every mentor with room, in row blocks (memory stays about
``block_pairs`` scores), it counts the admissible mentors (a finite score from the scorer) and the
free ones among them; for a mentee with none, it counts the mentors each hard constraint removes
and the ones it alone removes (numpy rules, on those few rows only). The outcome is one of:

- ``no_mentor``: the pool has no mentor with room at all;
- ``no_admissible``: every mentor is ruled out; ``constraint`` names the rule that removed the most
  (first the rule that alone rules out the most mentors — lifting it would open those pairs — else
  the one that rules out the most), or ``vetting_distance`` when neither a vetted mentor nor a near
  one is missing on its own but no mentor is both (a minor who can only meet in person);
- ``all_taken``: ``n_possible`` mentors were admissible, all filled by other mentees (the optimiser
  chose pairs of higher score plus priority);
- ``not_retained``: some admissible mentor still has room (the approximate path keeps each side's
  best candidates only, or the pair's weight was not positive).

Pure numpy: arrays in, plain dicts out (they go into the database as they are).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from . import reservoir
from .scoring import CONSTRAINTS, PoolScorer, distance_block, violations

#: constraints in the order a tie between two of them is broken (most actionable first)
_ORDER = {name: k for k, name in enumerate(CONSTRAINTS)}


def _side_rows(scorer: PoolScorer, mentees: np.ndarray) -> tuple[dict, dict, np.ndarray, np.ndarray]:
    """Broadcastable columns: the listed mentees as a column (b, 1), every mentor as a row (1, m)."""
    a, _, _ = scorer.pair_arrays(mentees, np.zeros(mentees.size, np.int64))
    all_mentors = np.arange(scorer.m, dtype=np.int64)
    _, b, _ = scorer.pair_arrays(np.zeros(scorer.m, np.int64), all_mentors)
    xyz_a, xyz_b = a.pop("xyz"), b.pop("xyz")
    return (
        {k: v[:, None] for k, v in a.items()},
        {k: v[None, :] for k, v in b.items()},
        xyz_a,
        xyz_b,
    )


def unmatched_reasons(
    scorer: PoolScorer, pairs: Any, *, block_pairs: int = 1 << 20, mentor_load: np.ndarray | None = None
) -> list[dict[str, Any]]:
    """One dict per mentee of ``scorer`` that is not in ``pairs`` ((k, 2) mentee, mentor), in
    mentee order. Keys: mentee, kind, constraint (None unless no_admissible), n_possible (admissible
    mentors), n_free (of those, with room left after ``pairs``); for no_admissible also removed and
    sole ({constraint: mentors}) and nearest_km (nearest mentor passing every rule but distance;
    None if none or unknown); max_distance_km.

    ``mentor_load``: each mentor's pairs in the whole run, when ``scorer`` holds only some of its
    mentees (a territory of a split run: its mentees against every mentor); default, from ``pairs``."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    n, m = scorer.shape
    matched = np.zeros(n, bool)
    matched[pairs[:, 0]] = True
    unmatched = np.flatnonzero(~matched)
    capacity = np.asarray(scorer.mentors.capacity, dtype=np.int64)
    if mentor_load is not None:
        load = np.asarray(mentor_load, dtype=np.int64)
    else:
        load = np.bincount(pairs[:, 1], minlength=m) if m else np.zeros(0, np.int64)
    with_room = capacity > 0
    free_after = capacity > load
    params = scorer.params
    out: list[dict[str, Any]] = []
    if unmatched.size == 0:
        return out
    if m == 0 or not with_room.any():
        return [_reason(int(i), "no_mentor", params) for i in unmatched]
    rows = max(1, block_pairs // m)

    def admissible_counts(index: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # Admissible = a finite score, from the scorer itself (its compiled loop on big pools, the
        # numpy rules on small ones: both held equal by the kernel tests), excluded pairs included.
        ok = np.isfinite(_scores(scorer, index)) & with_room[None, :]
        return index, np.count_nonzero(ok, axis=1), np.count_nonzero(ok & free_after[None, :], axis=1)

    chunks = [unmatched[start : start + rows] for start in range(0, unmatched.size, rows)]
    threads = reservoir.thread_count() if scorer.fast and len(chunks) > 1 else 1
    if threads > 1:  # the compiled loop releases the GIL: row blocks on every core
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(admissible_counts, chunks))
    else:
        results = [admissible_counts(chunk) for chunk in chunks]
    blocked: list[np.ndarray] = []
    counts: dict[int, tuple[int, int]] = {}
    for index, n_possible, n_free in results:
        for k, i in enumerate(index.tolist()):
            counts[i] = (int(n_possible[k]), int(n_free[k]))
        blocked.append(index[n_possible == 0])
    details = _rule_counts(scorer, np.concatenate(blocked), with_room, rows)
    for i in unmatched.tolist():
        n_possible, n_free = counts[i]
        if n_possible > 0:
            reason = _reason(i, "all_taken" if n_free == 0 else "not_retained", params)
        else:
            reason = _reason(i, "no_admissible", params)
            reason.update(details[i])
        reason.update(n_possible=n_possible, n_free=n_free)
        out.append(reason)
    return out


def _scores(scorer: PoolScorer, index: np.ndarray) -> np.ndarray:
    """Scores of the listed mentees (ascending) against every mentor, -inf where forbidden. A small
    pool (numpy rules) is scored by contiguous blocks, cheaper than one call a row."""
    if scorer.fast:
        return scorer.rows(index)
    lo, hi = int(index[0]), int(index[-1]) + 1
    return scorer.block(lo, hi)[index - lo]


def _rule_counts(scorer: PoolScorer, index: np.ndarray, with_room: np.ndarray, rows: int) -> dict[int, dict[str, Any]]:
    """For mentees without any admissible mentor: how many mentors each rule removes, how many it
    alone removes, the rule to name and the nearest mentor passing every rule but distance."""
    n, m = scorer.shape
    params = scorer.params
    forbidden = params.forbidden_pairs
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, index.size, rows):
        block = index[start : start + rows]
        a, b, xyz_a, xyz_b = _side_rows(scorer, block)
        distance = distance_block(xyz_a, xyz_b)
        broken = {
            k: np.broadcast_to(v, distance.shape) & with_room[None, :]
            for k, v in violations(a, b, distance, params).items()
        }
        excluded = np.zeros(distance.shape, bool)
        if forbidden.shape[0]:
            position = np.full(n, -1, np.int64)
            position[block] = np.arange(block.size)
            hit = forbidden[(forbidden[:, 0] >= 0) & (forbidden[:, 0] < n) & (forbidden[:, 1] >= 0) & (forbidden[:, 1] < m)]
            hit = hit[position[hit[:, 0]] >= 0]
            excluded[position[hit[:, 0]], hit[:, 1]] = True
        broken["excluded"] = excluded & with_room[None, :]
        count = np.zeros(distance.shape, np.int8)
        for v in broken.values():
            count += v
        removed = {k: np.count_nonzero(v, axis=1) for k, v in broken.items()}
        alone = count == 1
        sole = {k: np.count_nonzero(v & alone, axis=1) for k, v in broken.items()}
        but_distance = (count - broken["distance"] == 0) & with_room[None, :]
        nearest = np.where(but_distance & np.isfinite(distance), distance, np.inf).min(axis=1)
        near_vetted = np.count_nonzero(with_room[None, :] & ~broken["vetting"] & ~broken["distance"], axis=1)
        for k, i in enumerate(block.tolist()):
            removed_k = {c: int(v[k]) for c, v in removed.items() if v[k]}
            sole_k = {c: int(v[k]) for c, v in sole.items() if v[k]}
            out[i] = {
                "constraint": _main_constraint(removed_k, sole_k, int(near_vetted[k])),
                "removed": removed_k,
                "sole": sole_k,
                "nearest_km": None if not np.isfinite(nearest[k]) else round(float(nearest[k]), 1),
            }
    return out


def _reason(mentee: int, kind: str, params: Any) -> dict[str, Any]:
    return {
        "mentee": mentee,
        "kind": kind,
        "constraint": None,
        "n_possible": 0,
        "n_free": 0,
        "removed": {},
        "sole": {},
        "nearest_km": None,
        "max_distance_km": float(params.max_distance_km),
    }


def _main_constraint(removed: dict[str, int], sole: dict[str, int], near_vetted: int) -> str:
    """The rule to name: the one that alone rules out the most mentors, else the one that rules
    out the most; vetting and distance together when they only block in combination."""
    top_sole = max(sole, key=lambda c: (sole[c], -_ORDER[c])) if any(sole.values()) else None
    if removed.get("vetting") and removed.get("distance") and near_vetted == 0 and top_sole in (None, "vetting", "distance"):
        return "vetting_distance"
    if top_sole is not None:
        return top_sole
    return max(removed, key=lambda c: (removed[c], -_ORDER[c]))
