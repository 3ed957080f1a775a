"""The figures a coordinator reads after a run, computed once when it finishes (stored on
``MatchRun.report``): how many proposals are remote and how far apart, and who got a proposal —
the match rate of QPV residents, scholarship holders, minors and each quarter of waiting time,
against the whole pool. Pure: arrays and the explanations' facts in, plain dicts out."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.engine import MenteePool


def _rate(matched: int, pool: int) -> float | None:
    return None if pool == 0 else round(matched / pool, 4)


def remote_summary(facts: list[dict[str, Any]]) -> dict[str, Any]:
    """Share of proposals whose two people can only meet remotely, and their distances (km):
    quartiles and median of the known ones."""
    remote = [f for f in facts if f.get("meeting") == "remote"]
    distances = np.array([f["distance_km"] for f in remote if f.get("distance_km") is not None], dtype=np.float64)
    summary: dict[str, Any] = {
        "n_proposals": len(facts),
        "n_remote": len(remote),
        "share_remote": _rate(len(remote), len(facts)),
        "distance_km": None,
    }
    if distances.size:
        q1, median, q3 = np.quantile(distances, [0.25, 0.5, 0.75])
        summary["distance_km"] = {
            "q1": round(float(q1), 1), "median": round(float(median), 1), "q3": round(float(q3), 1),
            "max": round(float(distances.max()), 1), "n_known": int(distances.size),
        }
    return summary


def _group(key: str, members: np.ndarray, matched: np.ndarray, **extra: Any) -> dict[str, Any]:
    n_pool, n_matched = int(members.sum()), int((members & matched).sum())
    return {"key": key, "n_pool": n_pool, "n_matched": n_matched, "rate": _rate(n_matched, n_pool), **extra}


def equity_summary(mentees: MenteePool, matched_rows: np.ndarray) -> dict[str, Any]:
    """Match rate of the pool and of each group. Waiting quartiles split the mentees ordered by
    waiting time (ties by pool order) into four groups of (nearly) equal size, shortest first;
    each says the days its members waited (min and max)."""
    n = len(mentees)
    matched = np.zeros(n, bool)
    matched[np.asarray(matched_rows, dtype=np.int64)] = True
    everyone = np.ones(n, bool)
    groups = [
        _group("qpv", mentees.qpv.astype(bool), matched),
        _group("boursier", mentees.boursier.astype(bool), matched),
        _group("minor", mentees.is_minor.astype(bool), matched),
    ]
    waiting = mentees.waiting_days.astype(np.float64)
    order = np.argsort(waiting, kind="stable")
    for q, rows in enumerate(np.array_split(order, 4), start=1):
        members = np.zeros(n, bool)
        members[rows] = True
        days = waiting[rows]
        groups.append(_group(
            f"waiting_q{q}", members, matched,
            min_days=int(np.floor(days.min())) if rows.size else None,
            max_days=int(np.floor(days.max())) if rows.size else None,
        ))
    return {"pool": _group("pool", everyone, matched), "groups": groups}
