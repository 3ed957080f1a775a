"""Large match runs split by territory over Celery workers (the Django side of
``matching.engine.partition``, whose docstring explains the method and the bound).

A run whose pool has more than ``settings.MATCH_SPLIT_ABOVE_PAIRS`` pairs is executed in steps,
each a Celery task (``tasks.run_match_split``) that any worker may take:

1. the task that claimed the run (``run_match``) loads the pool once, fits the text vectors, cuts
   the territories, stores everything in Redis and queues one "part" task per territory;
2. each "part" solves its territory; the last one to finish queues one "border" task per territory;
3. each "border" scores its territory's mentees across the borders; the last one queues "finish";
4. "finish" reconciles the parts into the pairs of the whole pool and queues one "reasons" task per
   territory;
5. each "reasons" finds why its territory's mentees left without a pair got none (against every
   mentor of the pool, with the loads of the whole run) and explains the pairs of its territory's
   mentees (facts recounted from the profiles); the last one queues "record";
6. "record" gathers the explanations and reasons, builds the run report and writes the proposals,
   the unmatched mentees and the report through the same all-or-nothing write as a run in one
   piece (``services._record``).

Each phase queues its tasks largest first (longest-processing-time order), so the workers finish
a phase at about the same time instead of one of them taking the largest territory last.

One run row throughout: every step holds the run under the identity of the execution that claimed
it (``MatchRun.worker``) and beats for it, so the recovery job sees a live run as long as some step
works on it. A step killed with its worker is delivered again (acks_late, reject_on_worker_lost); a
run whose steps all stopped goes silent and the recovery job re-queues it (a new attempt starts
over under a new identity: the old attempt's steps find the run no longer theirs and stop) or fails
it with its French reason. Arrays travel through Redis as ``.npz`` bytes (no pickle), under keys of
the attempt that expire; task messages carry only ids.
"""

from __future__ import annotations

import io
import json
import logging
import time
from dataclasses import fields, replace
from datetime import date
from typing import Any

import numpy as np
import scipy.sparse as sp
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

import outbox
from matching import tasks
from matching.engine import MatchingParams, MenteePool, MentorPool, explain_pairs
from matching.engine import partition as engine
from matching.engine.scoring import PoolScorer
from matching.engine.text import TextVectors, fit_text_vectors
from matching.engine.unmatched import unmatched_reasons
from matching.heartbeat import Heartbeat
from matching.models import MatchRun

logger = logging.getLogger(__name__)

PART, BORDER, FINISH, REASONS, RECORD = "part", "border", "finish", "reasons", "record"


class SplitDataMissing(RuntimeError):
    """The arrays a step needs are gone from Redis (expired, or Redis lost them)."""


def should_split(*, n_mentees: int, n_mentors: int) -> bool:
    """The one place that decides whether a pool is split (``MATCH_SPLIT_ABOVE_PAIRS``)."""
    return n_mentees * n_mentors > settings.MATCH_SPLIT_ABOVE_PAIRS and settings.MATCH_SPLIT_PARTS > 1


# --- Storage of the arrays between steps ---------------------------------------------------------

_LOCAL: dict[str, Any] = {}  # no Redis (local demo: eager Celery, one process)


def _redis():  # type: ignore[no-untyped-def]
    import redis

    return redis.Redis.from_url(settings.REDIS_URL)


def _ttl() -> int:
    return settings.MATCH_RUN_SOFT_TIME_LIMIT + 3600


def _put(key: str, arrays: dict[str, np.ndarray]) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    if settings.REDIS_URL:
        _redis().set(key, buffer.getvalue(), ex=_ttl())
    else:
        _LOCAL[key] = buffer.getvalue()


def _get(key: str) -> dict[str, np.ndarray]:
    data = _redis().get(key) if settings.REDIS_URL else _LOCAL.get(key)
    if data is None:
        raise SplitDataMissing(_("Interrompu : les calculs intermédiaires de ce grand appariement ont été perdus "
                                 "(serveur Redis redémarré ?). Relancez-le."))
    with np.load(io.BytesIO(data), allow_pickle=False) as stored:
        return {name: stored[name] for name in stored.files}


def _done(key: str, part: int) -> int:
    """Mark ``part`` done; how many parts are done (a part delivered twice counts once)."""
    if settings.REDIS_URL:
        client = _redis()
        client.sadd(key, part)
        client.expire(key, _ttl())
        return int(client.scard(key))
    _LOCAL.setdefault(key, set()).add(part)
    return len(_LOCAL[key])


def _first(key: str) -> bool:
    """True for the first caller only (the step that queues the next phase)."""
    if settings.REDIS_URL:
        return bool(_redis().set(key, 1, nx=True, ex=_ttl()))
    if key in _LOCAL:
        return False
    _LOCAL[key] = True
    return True


def _cleanup(prefix: str) -> None:
    if settings.REDIS_URL:
        client = _redis()
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    else:
        for key in [k for k in _LOCAL if k.startswith(prefix)]:
            del _LOCAL[key]


# --- Pools and text vectors as flat arrays -------------------------------------------------------


def _pool_arrays(prefix: str, pool: MenteePool | MentorPool) -> dict[str, np.ndarray]:
    return {f"{prefix}.{f.name}": getattr(pool, f.name) for f in fields(pool) if f.name != "texts"}


def _pool_from(prefix: str, arrays: dict[str, np.ndarray], kind: type) -> Any:
    start = len(prefix) + 1
    return kind(**{k[start:]: v for k, v in arrays.items() if k.startswith(prefix + ".")})


def _csr_arrays(prefix: str, matrix: sp.csr_matrix) -> dict[str, np.ndarray]:
    return {f"{prefix}.data": matrix.data, f"{prefix}.indices": matrix.indices,
            f"{prefix}.indptr": matrix.indptr, f"{prefix}.shape": np.array(matrix.shape)}


def _csr_from(prefix: str, arrays: dict[str, np.ndarray]) -> sp.csr_matrix:
    return sp.csr_matrix((arrays[f"{prefix}.data"], arrays[f"{prefix}.indices"], arrays[f"{prefix}.indptr"]),
                         shape=tuple(arrays[f"{prefix}.shape"]))


def _text_arrays(text: TextVectors) -> dict[str, np.ndarray]:
    terms = "\n".join(str(t) for t in text.terms).encode()
    return {**_csr_arrays("text.mentees", text.mentees), **_csr_arrays("text.mentors", text.mentors),
            "text.terms": np.frombuffer(terms, np.uint8), "text.n_terms": np.array(len(text.terms))}


def _text_from(arrays: dict[str, np.ndarray]) -> TextVectors:
    mentees, mentors = _csr_from("text.mentees", arrays), _csr_from("text.mentors", arrays)
    n_terms = int(arrays["text.n_terms"])
    terms = np.array(arrays["text.terms"].tobytes().decode().split("\n") if n_terms else [], dtype=object)
    return TextVectors(mentees, mentors, terms, np.diff(mentees.indptr) > 0, np.diff(mentors.indptr) > 0,
                       sp.csr_matrix(mentors.T))


def _params_arrays(params: MatchingParams) -> dict[str, np.ndarray]:
    return {f"params.{f.name}": np.asarray(getattr(params, f.name)) for f in fields(params)}


def _params_from(arrays: dict[str, np.ndarray]) -> MatchingParams:
    values = {k[7:]: v for k, v in arrays.items() if k.startswith("params.")}
    arrays = ("forbidden_pairs", "custom_weights", "custom_accept")
    plain = {k: v.item() for k, v in values.items() if k not in arrays}
    return MatchingParams(**plain, **{k: values[k] for k in arrays if k in values})


class _Shared:
    """What every step reads: the pool, the text vectors, the settings and the territories."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.mentees: MenteePool = _pool_from("mentee", arrays, MenteePool)
        self.mentors: MentorPool = _pool_from("mentor", arrays, MentorPool)
        self.text = _text_from(arrays)
        self.params = _params_from(arrays)
        self.split = engine.Territories(arrays["split.mentee_part"], arrays["split.mentor_part"], int(arrays["split.n_parts"]))
        self.mentee_ids = arrays["ids.mentees"]
        self.mentor_ids = arrays["ids.mentors"]
        self.started = float(arrays["started"])
        self.prepare_seconds = float(arrays["prepare_seconds"])
        self.profiles = {k: v for k, v in arrays.items() if k.startswith("profile.")}

    def snapshot(self, texts: dict[str, np.ndarray]) -> Any:
        """The pool as ``services`` knows it (with the people's texts and profile facts)."""
        from matching.pool import CustomCriterion, PoolSnapshot

        mentees = replace(self.mentees, texts=_texts_from("mentee", texts))
        mentors = replace(self.mentors, texts=_texts_from("mentor", texts))
        empty_days, empty_flags = np.zeros(0, np.int64), np.zeros(0, bool)
        return PoolSnapshot(
            mentees, mentors, self.mentee_ids.tolist(), self.mentor_ids.tolist(), self.params.forbidden_pairs,
            [date.fromordinal(int(d)) for d in self.profiles.get("profile.mentee_birth", empty_days)],
            [date.fromordinal(int(d)) for d in self.profiles.get("profile.mentor_birth", empty_days)],
            self.profiles.get("profile.mentee_estimated", empty_flags),
            self.profiles.get("profile.mentor_estimated", empty_flags),
            mentor_short_horizons=[
                {"until": date.fromordinal(int(until)).isoformat(), "months": int(months)} if until else None
                for until, months in zip(self.profiles.get("profile.mentor_horizon_until", empty_days),
                                         self.profiles.get("profile.mentor_horizon_months", empty_days), strict=True)
            ],
            custom_criteria=[CustomCriterion.from_json(c) for c in _json_from(self.profiles["profile.custom"])]
            if "profile.custom" in self.profiles else [],
        )


def _prefix(run_id: int, worker: str) -> str:
    return f"match-split:{run_id}:{worker}"


# --- Steps ---------------------------------------------------------------------------------------


def _emit(run_id: int, worker: str, phase: str, parts: Any) -> None:
    """Queue ``phase`` for each of ``parts``, in that order (the callers give the largest first)."""
    with transaction.atomic():
        for part in parts:
            outbox.emit(tasks.run_match_split, run_id, worker, phase, part, key=f"{_prefix(run_id, worker)}:{phase}:{part}")


def match_split_start(*, run: MatchRun, worker: str, snapshot: Any, params: MatchingParams) -> None:
    """Cut the claimed run's pool into territories, store it, queue one task per territory."""
    from matching.services import _progress

    split = split_prepare(prefix=_prefix(run.pk, worker), mentees=snapshot.mentees, mentors=snapshot.mentors,
                          params=params, mentee_ids=snapshot.mentee_ids, mentor_ids=snapshot.mentor_ids,
                          n_parts=settings.MATCH_SPLIT_PARTS, profiles=_profile_arrays(snapshot))
    MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.RUNNING, worker=worker).update(
        quality={"split": {"parts": split.n_parts, "part_pairs": split.work().tolist(), "imbalance": round(split.imbalance(), 3)}}
    )
    _progress(run.pk, worker, _("territoires calculés : %(done)s sur %(total)s") % {"done": 0, "total": split.n_parts}, 30)
    _emit(run.pk, worker, PART, largest_first(split.work()))


def largest_first(work: Any) -> list[int]:
    """Parts in decreasing order of work (ties by part number)."""
    work = np.asarray(work)
    return [int(k) for k in np.lexsort((np.arange(work.size), -work))]


def _profile_arrays(snapshot: Any) -> dict[str, np.ndarray]:
    """What ``services._facts_from_profiles`` recounts from the profiles (birth dates as day
    numbers, estimated positions), so a split run's explanations say what a run in one piece says."""
    return {
        "profile.mentee_birth": np.array([d.toordinal() for d in snapshot.mentee_birth_dates], np.int64),
        "profile.mentor_birth": np.array([d.toordinal() for d in snapshot.mentor_birth_dates], np.int64),
        "profile.mentee_estimated": np.asarray(snapshot.mentee_place_estimated, bool),
        "profile.mentor_estimated": np.asarray(snapshot.mentor_place_estimated, bool),
        # a shorter pair the association allows (``pool.short_horizon``): the day as a day number and
        # the programme's months, 0 for a mentor available for the whole programme
        "profile.mentor_horizon_until": np.array(
            [date.fromisoformat(str(h["until"])).toordinal() if h else 0 for h in snapshot.mentor_short_horizons], np.int64),
        "profile.mentor_horizon_months": np.array([int(h["months"]) if h else 0 for h in snapshot.mentor_short_horizons], np.int64),
        # the questions used by matching, their labels for the explanations (the codes travel in the pools)
        "profile.custom": _json_array([c.as_json() for c in getattr(snapshot, "custom_criteria", [])]),
    }


def _texts_arrays(prefix: str, texts: list[str]) -> dict[str, np.ndarray]:
    blob = [t.encode() for t in texts]
    return {f"{prefix}.bytes": np.frombuffer(b"".join(blob), np.uint8),
            f"{prefix}.lengths": np.array([len(b) for b in blob], np.int64)}


def _texts_from(prefix: str, arrays: dict[str, np.ndarray]) -> list[str]:
    data, ends = arrays[f"{prefix}.bytes"].tobytes(), np.cumsum(arrays[f"{prefix}.lengths"]).tolist()
    return [data[start:end].decode() for start, end in zip([0, *ends[:-1]], ends, strict=True)]


def split_prepare(
    *, prefix: str, mentees: MenteePool, mentors: MentorPool, params: MatchingParams, mentee_ids: Any, mentor_ids: Any,
    n_parts: int, profiles: dict[str, np.ndarray] | None = None,
) -> engine.Territories:
    """Fit the text vectors, cut the territories and store what every step reads under ``prefix``
    (the people's own texts apart: only the explanations of the last step read them)."""
    started = time.perf_counter()
    text = fit_text_vectors(mentees.texts, mentors.texts)
    split = engine.territories(mentees, mentors, n_parts)
    arrays = {
        **_pool_arrays("mentee", mentees), **_pool_arrays("mentor", mentors), **_text_arrays(text),
        **_params_arrays(params),
        "split.mentee_part": split.mentee_part, "split.mentor_part": split.mentor_part,
        "split.n_parts": np.array(split.n_parts),
        "ids.mentees": np.asarray(mentee_ids, np.int64), "ids.mentors": np.asarray(mentor_ids, np.int64),
        "started": np.array(time.time()), "prepare_seconds": np.array(time.perf_counter() - started),
        **(profiles or {}),
    }
    _put(f"{prefix}:shared", arrays)
    _put(f"{prefix}:texts", {**_texts_arrays("mentee", mentees.texts), **_texts_arrays("mentor", mentors.texts)})
    return split


def _part_arrays(result: engine.PartResult) -> dict[str, np.ndarray]:
    return {"pairs": result.pairs, "weights": result.weights, "mentor_index": result.mentor_index,
            "prices": result.prices, "upper_bound": np.array(result.upper_bound), "objective": np.array(result.objective),
            "seconds": np.array(result.seconds), "graph.mentee": result.graph[0], "graph.mentor": result.graph[1],
            "graph.weight": result.graph[2]}


def _part_from(arrays: dict[str, np.ndarray]) -> engine.PartResult:
    return engine.PartResult(
        arrays["pairs"].reshape(-1, 2), arrays["weights"], arrays["mentor_index"], arrays["prices"],
        float(arrays["upper_bound"]), float(arrays["objective"]), float(arrays["seconds"]),
        graph=(arrays["graph.mentee"], arrays["graph.mentor"], arrays["graph.weight"]),
    )


def _border_arrays(result: engine.BorderResult) -> dict[str, np.ndarray]:
    return {"mentee_index": result.mentee_index, "best": result.best, "mentee": result.mentee,
            "mentor": result.mentor, "weight": result.weight, "seconds": np.array(result.seconds)}


def _border_from(arrays: dict[str, np.ndarray]) -> engine.BorderResult:
    return engine.BorderResult(arrays["mentee_index"], arrays["best"], arrays["mentee"], arrays["mentor"],
                               arrays["weight"], float(arrays["seconds"]))


def split_part(prefix: str, part: int) -> tuple[int, int, bool]:
    """Solve territory ``part``. Returns (parts done, parts, whether this call must queue the
    border phase: the last part to finish, once)."""
    shared = _Shared(_get(f"{prefix}:shared"))
    split = shared.split
    result = engine.solve_part(shared.mentees, shared.mentors, shared.params, shared.text,
                               split.mentees_of(part), split.mentors_of(part))
    _put(f"{prefix}:{PART}:{part}", _part_arrays(result))
    done = _done(f"{prefix}:{PART}:done", part)
    last = done == split.n_parts and _first(f"{prefix}:{BORDER}:queued")
    if last:
        parts = [_part_from(_get(f"{prefix}:{PART}:{k}")) for k in range(split.n_parts)]
        price, slack = engine.prices_and_slack(parts, len(shared.mentees), len(shared.mentors))
        _put(f"{prefix}:prices", {"price": price, "slack": slack})
    return done, split.n_parts, last


def split_border(prefix: str, part: int) -> tuple[int, int, bool]:
    """The border pass of territory ``part``; same return as ``split_part`` (for the finish)."""
    shared = _Shared(_get(f"{prefix}:shared"))
    prices = _get(f"{prefix}:prices")
    result = engine.border_part(shared.mentees, shared.mentors, shared.params, shared.text, shared.split, part,
                                prices["price"], prices["slack"])
    _put(f"{prefix}:{BORDER}:{part}", _border_arrays(result))
    total = shared.split.n_parts
    done = _done(f"{prefix}:{BORDER}:done", part)
    return done, total, done == total and _first(f"{prefix}:{FINISH}:queued")


def split_finish(prefix: str) -> list[int]:
    """Reconcile the parts into the pairs of the whole pool and store them with the run's figures.
    Returns the territories in the order their "reasons" should be queued (most unmatched first)."""
    shared = _Shared(_get(f"{prefix}:shared"))
    n_parts = shared.split.n_parts
    parts = [_part_from(_get(f"{prefix}:{PART}:{k}")) for k in range(n_parts)]
    borders = [_border_from(_get(f"{prefix}:{BORDER}:{k}")) for k in range(n_parts)]
    slack = _get(f"{prefix}:prices")["slack"]
    started = time.perf_counter()
    pairs, weights, sizes = engine.reconcile(shared.mentees, shared.mentors, shared.params, shared.text, parts, borders)
    timings = {"prepare": shared.prepare_seconds, "parts_sum": sum(p.seconds for p in parts),
               "parts_max": max((p.seconds for p in parts), default=0.0), "borders_sum": sum(b.seconds for b in borders),
               "borders_max": max((b.seconds for b in borders), default=0.0),
               "reconcile": time.perf_counter() - started}
    quality = {**engine.summary(shared.split, parts, borders, slack, weights, timings), **sizes}
    quality["split"] = {"parts": n_parts, "part_pairs": quality.pop("part_pairs"), "imbalance": quality.pop("imbalance")}
    _put(f"{prefix}:pairs", {"pairs": pairs, "weights": weights, "quality": _json_array(quality)})
    unmatched = np.ones(len(shared.mentees), bool)
    unmatched[pairs[:, 0]] = False
    return largest_first(_reasons_work(shared.split, unmatched, len(shared.mentors)))


#: CPU cost of explaining one pair, in scored pairs (a mentee's reason scores it against every mentor)
_EXPLAIN_PAIR_WORK = 20_000


def _reasons_work(split: engine.Territories, unmatched: np.ndarray, n_mentors: int) -> np.ndarray:
    """Work of each territory's "reasons" task, in scored pairs: its unmatched mentees against
    every mentor, and its pairs to explain (each about ``_EXPLAIN_PAIR_WORK`` pairs' worth)."""
    part = split.mentee_part
    left = np.bincount(part[unmatched], minlength=split.n_parts).astype(np.int64)
    paired = np.bincount(part[~unmatched], minlength=split.n_parts).astype(np.int64)
    return left * n_mentors + paired * _EXPLAIN_PAIR_WORK


def _json_array(value: Any) -> np.ndarray:
    return np.frombuffer(json.dumps(value).encode(), np.uint8)


def _json_from(array: np.ndarray) -> Any:
    return json.loads(array.tobytes().decode())


def split_reasons(prefix: str, part: int) -> tuple[int, int, bool]:
    """Why each mentee of territory ``part`` left without a pair got none: ``unmatched_reasons``
    on those mentees against every mentor of the pool, with each mentor's load in the whole run
    (the same rules and the same answers as a run in one piece); and the explanations of the
    pairs of its mentees (so the workers share them instead of the last step explaining every
    pair alone). Same return as ``split_part``."""
    from matching.services import _facts_from_profiles

    shared = _Shared(_get(f"{prefix}:shared"))
    pairs = _get(f"{prefix}:pairs")["pairs"].reshape(-1, 2)
    started = time.perf_counter()
    own = pairs[shared.split.mentee_part[pairs[:, 0]] == part]
    explanations: list[dict[str, Any]] = []
    if own.shape[0]:
        snapshot = shared.snapshot(_get(f"{prefix}:texts"))
        explanations = _explain(shared, snapshot, own)
        _facts_from_profiles(explanations, snapshot)
    explain_seconds = time.perf_counter() - started
    n, m = len(shared.mentees), len(shared.mentors)
    free = np.ones(n, bool)
    free[pairs[:, 0]] = False
    mentee_index = np.flatnonzero(free & (shared.split.mentee_part == part))
    reasons: list[dict[str, Any]] = []
    if mentee_index.size:
        every_mentor = np.arange(m)
        scorer = PoolScorer(
            engine.sub_pool(shared.mentees, mentee_index), shared.mentors,
            engine.sub_params(shared.params, mentee_index, every_mentor),
            text=engine.text_subset(shared.text, mentee_index, every_mentor),
        )
        load = np.bincount(pairs[:, 1], minlength=m)
        reasons = unmatched_reasons(scorer, np.empty((0, 2), np.int64), mentor_load=load)
        for reason in reasons:
            reason["mentee"] = int(mentee_index[reason["mentee"]])
    _put(f"{prefix}:{REASONS}:{part}", {"reasons": _json_array(reasons), "explanations": _json_array(explanations),
                                        "seconds": np.array(time.perf_counter() - started),
                                        "explain_seconds": np.array(explain_seconds)})
    total = shared.split.n_parts
    done = _done(f"{prefix}:{REASONS}:done", part)
    return done, total, done == total and _first(f"{prefix}:{RECORD}:queued")


def split_outcome(prefix: str) -> dict[str, Any]:
    """Everything the last step writes: the pool as ``services`` knows it (``snapshot``), the
    ``pairs``, their ``explanations`` (made by the "reasons" tasks, facts recounted from the
    profiles, as in one piece), the ``unmatched`` mentees with their reasons (in pool order), the
    run's ``quality`` and its ``report`` (remote share, equity rates, unmatched kinds:
    ``services.run_report_build``)."""
    from matching.services import run_report_build

    shared = _Shared(_get(f"{prefix}:shared"))
    stored = _get(f"{prefix}:pairs")
    pairs, quality = stored["pairs"].reshape(-1, 2), _json_from(stored["quality"])
    unmatched: list[dict[str, Any]] = []
    by_mentee: dict[int, dict[str, Any]] = {}
    reasons_seconds, explain_seconds = [], []
    for k in range(shared.split.n_parts):
        part = _get(f"{prefix}:{REASONS}:{k}")
        unmatched += _json_from(part["reasons"])
        by_mentee.update((int(e["mentee"]), e) for e in _json_from(part["explanations"]))
        reasons_seconds.append(float(part["seconds"]))
        explain_seconds.append(float(part["explain_seconds"]))
    unmatched.sort(key=lambda u: u["mentee"])
    snapshot = shared.snapshot(_get(f"{prefix}:texts"))
    explanations = [by_mentee[int(i)] for i in pairs[:, 0]]  # the order of the pairs
    quality["timings"].update(reasons_sum=sum(reasons_seconds), reasons_max=max(reasons_seconds, default=0.0),
                              explain=sum(explain_seconds), explain_max=max(explain_seconds, default=0.0),
                              wall=time.time() - shared.started)
    quality["timings"] = {k: round(v, 3) for k, v in quality["timings"].items()}
    report = run_report_build(mentees=shared.mentees, pairs=pairs, explanations=explanations, unmatched=unmatched)
    return {"snapshot": snapshot, "pairs": pairs, "explanations": explanations, "unmatched": unmatched,
            "quality": quality, "report": report}


def _explain(shared: _Shared, snapshot: Any, pairs: np.ndarray) -> list[dict[str, Any]]:
    """The explanations of the chosen pairs, from a scorer over those people only."""
    if not pairs.shape[0]:
        return []
    mentee_index, mentee_local = np.unique(pairs[:, 0], return_inverse=True)
    mentor_index, mentor_local = np.unique(pairs[:, 1], return_inverse=True)
    scorer = PoolScorer(
        engine.sub_pool(snapshot.mentees, mentee_index), engine.sub_pool(snapshot.mentors, mentor_index),
        engine.sub_params(shared.params, mentee_index, mentor_index),
        text=engine.text_subset(shared.text, mentee_index, mentor_index), fast=False,
    )
    explanations = explain_pairs(scorer, np.column_stack([mentee_local, mentor_local]))
    for e in explanations:
        e["mentee"], e["mentor"] = int(mentee_index[int(e["mentee"])]), int(mentor_index[int(e["mentor"])])
    return explanations


def _step_part(run_id: int, worker: str, part: int) -> None:
    from matching.services import _progress

    done, total, last = split_part(_prefix(run_id, worker), part)
    _progress(run_id, worker, _("territoires calculés : %(done)s sur %(total)s") % {"done": done, "total": total},
              30 + 40 * done // total)
    if last:
        _emit(run_id, worker, BORDER, _border_order(_prefix(run_id, worker)))


def _border_order(prefix: str) -> list[int]:
    """Territories by decreasing border work (their mentees x the mentors elsewhere)."""
    split = _Shared(_get(f"{prefix}:shared")).split
    mentees = np.bincount(split.mentee_part, minlength=split.n_parts).astype(np.int64)
    mentors = np.bincount(split.mentor_part, minlength=split.n_parts).astype(np.int64)
    return largest_first(mentees * (mentors.sum() - mentors))


def _step_border(run_id: int, worker: str, part: int) -> None:
    from matching.services import _progress

    done, total, last = split_border(_prefix(run_id, worker), part)
    _progress(run_id, worker, _("frontières entre territoires : %(done)s sur %(total)s") % {"done": done, "total": total},
              70 + 15 * done // total)
    if last:
        _emit(run_id, worker, FINISH, range(1))


def _step_finish(run_id: int, worker: str, part: int) -> None:
    from matching.services import _progress

    _progress(run_id, worker, _("réconciliation entre territoires"), 85)
    order = split_finish(_prefix(run_id, worker))
    _progress(run_id, worker, _("raisons sans proposition : %(done)s sur %(total)s")
              % {"done": 0, "total": len(order)}, 88)
    _emit(run_id, worker, REASONS, order)


def _step_reasons(run_id: int, worker: str, part: int) -> None:
    from matching.services import _progress

    done, total, last = split_reasons(_prefix(run_id, worker), part)
    _progress(run_id, worker, _("raisons sans proposition : %(done)s sur %(total)s")
              % {"done": done, "total": total}, 88 + 7 * done // total)
    if last:
        _emit(run_id, worker, RECORD, range(1))


def _step_record(run_id: int, worker: str, part: int) -> None:
    from matching.services import _progress, _record

    prefix = _prefix(run_id, worker)
    _progress(run_id, worker, _("enregistrement des propositions"), 95)
    outcome = split_outcome(prefix)
    snapshot = outcome["snapshot"]
    _record(run_id=run_id, worker=worker, mentee_ids=snapshot.mentee_ids, mentor_ids=snapshot.mentor_ids,
            capacity_total=int(snapshot.mentors.capacity.sum()), explanations=outcome["explanations"],
            quality=outcome["quality"], unmatched=outcome["unmatched"], run_report=outcome["report"])
    _cleanup(prefix)


_STEPS = {PART: _step_part, BORDER: _step_border, FINISH: _step_finish, REASONS: _step_reasons, RECORD: _step_record}


def match_split_step(*, run_id: int, worker: str, phase: str, part: int) -> None:
    """One step of a split run, for the execution ``worker`` that holds it. Does nothing when the
    run is no longer that execution's (finished, failed, or re-queued by the recovery job)."""
    from matching.services import _fail, match_run_heartbeat

    if not MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING, worker=worker).exists():
        return
    try:
        with Heartbeat(lambda: match_run_heartbeat(run_id=run_id, worker=worker), every=settings.MATCH_RUN_HEARTBEAT_SECONDS):
            _STEPS[phase](run_id, worker, part)
    except SplitDataMissing as exc:
        logger.error("Split match run %s lost its data (%s %s)", run_id, phase, part)
        _fail(run_id, worker, str(exc))
    except SoftTimeLimitExceeded:
        logger.error("Split match run %s exceeded its time limit (%s %s)", run_id, phase, part)
        _fail(run_id, worker, _("Abandonné : une partie du calcul a dépassé la durée maximale de %(minutes)s minutes. "
                                "Relancez-le ; si cela se reproduit, prévenez l'opérateur de la plateforme.")
              % {"minutes": settings.MATCH_RUN_SOFT_TIME_LIMIT // 60})
    except Exception as exc:  # noqa: BLE001 - any failure must end up on the run, visible to staff
        logger.exception("Split match run %s failed (%s %s)", run_id, phase, part)
        _fail(run_id, worker, f"{type(exc).__name__}: {exc}"[:2000] or type(exc).__name__)
