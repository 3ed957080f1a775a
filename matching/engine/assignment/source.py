"""Where the scores come from: the ``ScoreSource`` protocol, the dense-matrix wrapper, and the
checks that turn the caller's scores, capacities and priorities into arrays."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..flow import MAX_WEIGHT

#: pairs scanned at once (rows x mentors) so a pass over a huge pool stays within ~32 MB per array.
BLOCK_PAIRS = 4_000_000


@runtime_checkable
class ScoreSource(Protocol):
    """Anything that can hand out rows of the (n_mentees x n_mentors) score matrix.

    ``block(start, stop)`` returns the scores of mentees ``start:stop`` against every mentor; -inf
    or NaN marks a forbidden pair. A dense numpy array is wrapped automatically; a pool scorer can
    recompute blocks on demand so huge pools never hold the full matrix.
    """

    @property
    def shape(self) -> tuple[int, int]: ...

    def block(self, start: int, stop: int) -> np.ndarray: ...


# A source may also offer ``pair_scores(mentee, mentor) -> scores`` for listed pairs; the mentors'
# candidate picks are then read from it instead of rescanning row blocks.


class _DenseScores:
    parallel_blocks = True  # read-only slices: safe from several threads

    def __init__(self, scores: np.ndarray) -> None:
        if scores.ndim != 2:
            raise ValueError(f"scores must be 2-D (mentees x mentors), got shape {scores.shape}")
        self._scores = scores

    @property
    def shape(self) -> tuple[int, int]:
        return self._scores.shape  # type: ignore[return-value]

    def block(self, start: int, stop: int) -> np.ndarray:
        return self._scores[start:stop]

    def rows(self, index: np.ndarray) -> np.ndarray:
        return self._scores[index]

    def pair_scores(self, mentee: np.ndarray, mentor: np.ndarray) -> np.ndarray:
        return self._scores[mentee, mentor]


def _as_arrays(
    scores: np.ndarray | ScoreSource, capacity: Any, priority: Any
) -> tuple[ScoreSource, np.ndarray, np.ndarray]:
    source = _source(scores)
    n, m = source.shape
    cap = np.asarray(capacity)
    if cap.shape != (m,):
        raise ValueError(f"capacity must have shape ({m},), got {cap.shape}")
    integral = np.issubdtype(cap.dtype, np.integer) or np.all(np.equal(np.mod(cap, 1), 0))
    if not integral:
        raise ValueError("capacity must hold integers")
    cap = cap.astype(np.int64)
    if priority is None:
        prio = np.zeros(n)
    else:
        prio = np.asarray(priority, dtype=np.float64)
        if prio.shape != (n,):
            raise ValueError(f"priority must have shape ({n},), got {prio.shape}")
        if not np.all(np.isfinite(prio)):
            raise ValueError("priority must be finite")
        if prio.size and np.abs(prio).max() > MAX_WEIGHT:
            raise ValueError(
                f"priority must stay within ±{MAX_WEIGHT:g} (scores are in [0, 1]): "
                f"got {np.abs(prio).max():g}"
            )
    return source, np.maximum(cap, 0), prio


def _source(scores: Any) -> ScoreSource:
    if isinstance(scores, ScoreSource):
        return scores
    array = np.asarray(scores)
    if array.dtype.kind not in "f":
        array = array.astype(np.float64)
    finite = np.abs(array[np.isfinite(array)]) if array.size else array
    if finite.size and finite.max() > MAX_WEIGHT:
        raise ValueError(
            f"scores must stay within ±{MAX_WEIGHT:g} (-inf or NaN forbids a pair): "
            f"got {finite.max():g}"
        )
    return _DenseScores(array)
