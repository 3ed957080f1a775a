"""Vectorised scoring of mentee x mentor pairs.

Every rule is written once on arrays that broadcast: a block of mentees as a column (b, 1)
against all mentors as a row (1, m) gives a (b, m) block; a list of k chosen pairs gives (k,)
vectors for the explanations. Blocks keep memory bounded (about ``block_pairs`` pairs at a time,
float32), so a 10k x 5k pool never holds an n x m float64 array.
"""

from __future__ import annotations

import numpy as np

from .assignment import top_candidates
from .pools import CRITERIA, MatchingParams, MenteePool, MentorPool
from .text import TextVectors, cosine_block, cosine_pairs, fit_text_vectors

EARTH_RADIUS_KM = 6371.0

Side = dict[str, np.ndarray]

CONSTRAINTS = (
    "mentor_not_older",  # the mentor must be older than the mentee
    "age_gap",  # gap outside [min_age_gap, max_age_gap]
    "vetting",  # minor mentee, mentor without a valid attestation d'honorabilité
    "minor_mentor",  # minor mentee and minor mentor, not allowed by the association
    "language",  # no shared language (an empty language mask means "not said": no constraint)
    "format",  # one only in person, the other only remote
    "distance",  # they can only meet in person and live too far apart (or location unknown)
    "gender",  # someone asked for a mentor/mentee of their own gender and this is not one
    "excluded",  # pair rejected before or ended early
)

# Pairwise rules on small categorical codes are lookup tables indexed by
# ``code_mentee * size + code_mentor``: one gather per pair instead of a chain of comparisons.
_POP = np.array([bin(i).count("1") for i in range(128)])


def _table(size: int, rule) -> np.ndarray:  # type: ignore[no-untyped-def]
    x, y = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    return np.asarray(rule(x, y), dtype=np.float32).ravel()


# social code: qpv | boursier << 1 | first_generation << 2, plus 8 * pcs (0 unknown, 1..8)
_SOCIAL_SIZE = 72
_SOCIAL = _table(
    _SOCIAL_SIZE,
    lambda x, y: (
        (
            _POP[(x & 7) & (y & 7)]
            + np.where((x >> 3 > 0) & (x >> 3 == y >> 3), 1.0, 0.0)
            + np.where((x >> 3 > 0) & (y >> 3 > 0) & (np.abs((x >> 3) - (y >> 3)) == 1), 0.5, 0.0)
        )
        / 4.0
    ),
)
# education stage + 1 (0 unknown): mentor one or two stages ahead = 1, three ahead = 0.5
_STEP_SIZE = 7
_STEP = _table(
    _STEP_SIZE,
    lambda x, y: np.where(
        (x > 0) & (y > 0), np.select([np.isin(y - x, (1, 2)), y - x == 3], [1.0, 0.5], 0.0), 0.0
    ),
)
# goals: share of the mentee's goals the mentor can help with; no goal stated is neutral
_GOALS_SIZE = 128
_GOALS = _table(
    _GOALS_SIZE, lambda x, y: np.where(_POP[x] > 0, _POP[x & y] / np.maximum(_POP[x], 1), 0.5)
)
# availability: two shared slots are plenty; unknown availability (no slot) is neutral
_SLOTS_SIZE = 64
_AVAILABILITY = _table(
    _SLOTS_SIZE,
    lambda x, y: np.where(
        np.minimum(np.minimum(_POP[x], _POP[y]), 2) > 0,
        np.minimum(_POP[x & y], 2) / np.maximum(np.minimum(np.minimum(_POP[x], _POP[y]), 2), 1),
        0.5,
    ),
)
# meeting mode of a pair from the two formats: 0 either, 1 in person only, 2 remote only,
# 3 incompatible (one in person only, the other remote only)
_MODE = np.array([1, 3, 1, 3, 2, 2, 1, 2, 0], dtype=np.int8)
MODE_EITHER, MODE_IN_PERSON, MODE_REMOTE, MODE_INCOMPATIBLE = 0, 1, 2, 3


def side_codes(pool: MenteePool | MentorPool, has_text: np.ndarray, *, mentee: bool) -> Side:
    """Columns of one side, with the codes the pairwise rules index by.

    Mentee codes are pre-multiplied by the table size, so a pair's index is a single addition.
    """
    cols = pool.take(np.arange(len(pool)))
    social = (
        pool.qpv.astype(np.int16)
        | pool.boursier.astype(np.int16) << 1
        | pool.first_generation.astype(np.int16) << 2
    ) + 8 * np.clip(pool.pcs, 0, 8).astype(np.int16)
    stage = np.clip(pool.education_stage.astype(np.int16) + 1, 0, _STEP_SIZE - 1)
    slots = (pool.availability & 63).astype(np.int16)
    fmt = pool.meeting_format.astype(np.int16)
    goals = (pool.goals if mentee else pool.help_with) & 127  # type: ignore[union-attr]
    scale = (lambda size: size) if mentee else (lambda size: 1)
    cols.update(
        social_code=social * scale(_SOCIAL_SIZE),
        stage_code=stage * scale(_STEP_SIZE),
        goals_code=goals.astype(np.int16) * scale(_GOALS_SIZE),
        slots_code=slots * scale(_SLOTS_SIZE),
        format_code=fmt * scale(3),
        # unknown languages (empty mask) match anyone
        languages_any=np.where(pool.languages == 0, -1, pool.languages).astype(np.int64),
        wants_same_gender=pool.prefers_same_gender & (pool.gender > 0),
        has_text=has_text,
        xyz=unit_vectors(pool.lat, pool.lon),
    )
    return cols


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """(n, 3) float64 points on the unit sphere (NaN where unknown)."""
    phi, lam = np.radians(lat.astype(np.float64)), np.radians(lon.astype(np.float64))
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def distance_block(xyz_a: np.ndarray, xyz_b: np.ndarray) -> np.ndarray:
    """Great-circle km between every row of a and every row of b (one matmul, float32 out)."""
    chord2 = np.maximum(2.0 - 2.0 * (xyz_a @ xyz_b.T), 0.0)  # float64: metres stay exact
    half_chord = np.sqrt(chord2).astype(np.float32) * np.float32(0.5)
    np.minimum(half_chord, 1, out=half_chord)
    return np.float32(2 * EARTH_RADIUS_KM) * np.arcsin(half_chord)


def distance_pairs(xyz_a: np.ndarray, xyz_b: np.ndarray) -> np.ndarray:
    chord2 = np.maximum(2.0 - 2.0 * np.einsum("ij,ij->i", xyz_a, xyz_b), 0.0)
    return (2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(np.sqrt(chord2) / 2, 1))).astype(np.float32)


def meeting_mode(a: Side, b: Side) -> np.ndarray:
    return _MODE.take(a["format_code"] + b["format_code"])


def violations(a: Side, b: Side, distance: np.ndarray, params: MatchingParams) -> dict:
    """Each hard constraint as a boolean array, True where the pair breaks it ("excluded" aside)."""
    gap = b["age_years"] - a["age_years"]
    minor = a["is_minor"]
    mode = meeting_mode(a, b)
    wants_same = a["wants_same_gender"] | b["wants_same_gender"]
    return {
        "mentor_not_older": gap <= 0,
        # reported only for an older mentor, so each refusal has one reason
        "age_gap": (gap > 0) & ((gap < params.min_age_gap) | (gap > params.max_age_gap)),
        "vetting": minor & ~b["vetting_valid"],
        "minor_mentor": minor & b["is_minor"] & (not params.allow_minor_mentors_for_minors),
        "language": (a["languages_any"] & b["languages_any"]) == 0,
        "format": mode == MODE_INCOMPATIBLE,
        # NaN distance (unknown place) fails the comparison: too far
        "distance": (mode == MODE_IN_PERSON) & ~(distance <= params.max_distance_km),
        "gender": wants_same & (a["gender"] != b["gender"]),
    }


def admissible(a: Side, b: Side, distance: np.ndarray, params: MatchingParams) -> np.ndarray:
    broken = list(violations(a, b, distance, params).values())
    bad = np.zeros(np.broadcast_shapes(*(np.shape(v) for v in broken)), dtype=bool)
    for v in broken:
        bad |= v
    return ~bad


def criteria(
    a: Side, b: Side, distance: np.ndarray, text_cos: np.ndarray, params: MatchingParams
) -> dict[str, np.ndarray]:
    """Each soft criterion in [0, 1] (float32)."""
    one = np.float32(1)
    half = np.float32(0.5)

    # generational: age gap near the ideal, plus "one or two stages ahead on the same track"
    gap = b["age_years"] - a["age_years"]
    sigma = np.float32(max((params.max_age_gap - params.min_age_gap) / 4.0, 0.5))
    age_part = np.exp(np.float32(-0.5) * ((gap - np.float32(params.ideal_age_gap)) / sigma) ** 2)
    step = _STEP.take(a["stage_code"] + b["stage_code"])
    same_field = (a["field"] == b["field"]) & (a["field"] >= 0)
    share = np.float32(params.education_step_share)
    # a different or unknown field still earns 40 % of the step bonus
    step *= np.float32(0.4) + np.float32(0.6) * same_field
    generational = (one - share) * age_part + share * step

    social = _SOCIAL.take(a["social_code"] + b["social_code"])

    # goals blended with text similarity where both wrote something
    goal_part = _GOALS.take(a["goals_code"] + b["goals_code"])
    blend = np.float32(params.text_share) * (a["has_text"] & b["has_text"])
    goals = goal_part + blend * (text_cos - goal_part)

    # geography: 1 in the same commune, halves every distance_half_km, neutral when remote only
    # or when a place is unknown
    geography = np.exp2(distance * np.float32(-1.0 / params.distance_half_km))
    np.nan_to_num(geography, copy=False, nan=0.5)
    same_commune = (a["commune"] == b["commune"]) & (a["commune"] >= 0)
    geography = np.where(same_commune, one, geography)
    geography = np.where(meeting_mode(a, b) == MODE_REMOTE, half, geography)

    availability = _AVAILABILITY.take(a["slots_code"] + b["slots_code"])

    parts = {
        "generational": generational,
        "social": social,
        "goals": goals,
        "geography": geography,
        "availability": availability,
    }
    shape = np.broadcast_shapes(*(v.shape for v in parts.values()))
    return {k: np.broadcast_to(np.asarray(v, dtype=np.float32), shape) for k, v in parts.items()}


def combine(parts: dict[str, np.ndarray], params: MatchingParams) -> np.ndarray:
    weights = params.criterion_weights()
    total = np.zeros(next(iter(parts.values())).shape, np.float32)
    for name in CRITERIA:
        total += np.float32(weights[name]) * parts[name]
    return total


class PoolScorer:
    """Scores one pool; usable as an ``assignment.ScoreSource`` (rows computed on demand).

    ``block(start, stop)``: combined scores float32 of mentees start:stop x all mentors, -inf where
    a hard constraint forbids the pair.
    """

    def __init__(
        self,
        mentees: MenteePool,
        mentors: MentorPool,
        params: MatchingParams | None = None,
        *,
        block_pairs: int = 65_536,
    ) -> None:
        self.mentees = mentees
        self.mentors = mentors
        self.params = params or MatchingParams()
        self.n, self.m = len(mentees), len(mentors)
        self.text: TextVectors = fit_text_vectors(mentees.texts, mentors.texts)
        self.block_rows = max(1, block_pairs // max(self.m, 1))
        self._mentee_cols = side_codes(mentees, self.text.mentee_has_text, mentee=True)
        self._mentor_cols = side_codes(mentors, self.text.mentor_has_text, mentee=False)
        self._mentor_row = {k: v[None, :] for k, v in self._mentor_cols.items() if k != "xyz"}
        forbidden = self.params.forbidden_pairs
        valid = (
            (forbidden[:, 0] >= 0)
            & (forbidden[:, 0] < self.n)
            & (forbidden[:, 1] >= 0)
            & (forbidden[:, 1] < self.m)
        )
        forbidden = forbidden[valid]
        self._forbidden = forbidden[np.lexsort((forbidden[:, 1], forbidden[:, 0]))]

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n, self.m)

    def _rows(self, start: int, stop: int) -> tuple[Side, Side]:
        a = {k: v[start:stop, None] for k, v in self._mentee_cols.items() if k != "xyz"}
        return a, self._mentor_row

    def criteria_block(self, start: int, stop: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Per-criterion scores (b, m) and the admissibility mask (b, m) of mentees start:stop."""
        a, b = self._rows(start, stop)
        distance = distance_block(self._mentee_cols["xyz"][start:stop], self._mentor_cols["xyz"])
        parts = criteria(a, b, distance, cosine_block(self.text, start, stop), self.params)
        return parts, self._admissible(a, b, distance, start, stop)

    def _admissible(self, a: Side, b: Side, distance, start: int, stop: int) -> np.ndarray:  # type: ignore[no-untyped-def]
        ok = admissible(a, b, distance, self.params)
        lo, hi = np.searchsorted(self._forbidden[:, 0], [start, stop])
        ok[self._forbidden[lo:hi, 0] - start, self._forbidden[lo:hi, 1]] = False
        return ok

    def block(self, start: int, stop: int) -> np.ndarray:
        out = np.empty((stop - start, self.m), np.float32)
        # small chunks: their temporaries stay in cache and are reused rather than page-faulted
        for lo in range(start, stop, self.block_rows):
            hi = min(stop, lo + self.block_rows)
            parts, ok = self.criteria_block(lo, hi)
            out[lo - start : hi - start] = np.where(ok, combine(parts, self.params), -np.inf)
        return out

    def dense(self) -> np.ndarray:
        """The full (n_mentees x n_mentors) float32 matrix (4 bytes a pair)."""
        return self.block(0, self.n)

    def pair_scores(self, mentee: np.ndarray, mentor: np.ndarray) -> np.ndarray:
        """Combined scores of listed pairs, -inf where forbidden (what ``block`` would say)."""
        parts = self.pair_criteria(mentee, mentor)
        return np.where(parts["admissible"], parts["score"], np.float32(-np.inf))

    def pair_arrays(self, mentee: np.ndarray, mentor: np.ndarray) -> tuple[Side, Side, np.ndarray]:
        a = {k: v[mentee] for k, v in self._mentee_cols.items()}
        b = {k: v[mentor] for k, v in self._mentor_cols.items()}
        return a, b, distance_pairs(a["xyz"], b["xyz"])

    def pair_criteria(self, mentee: np.ndarray, mentor: np.ndarray) -> dict[str, np.ndarray]:
        """Per-criterion scores of listed pairs, plus "score" (combined) and "admissible"."""
        mentee = np.asarray(mentee, dtype=np.int64)
        mentor = np.asarray(mentor, dtype=np.int64)
        a, b, distance = self.pair_arrays(mentee, mentor)
        parts = criteria(a, b, distance, cosine_pairs(self.text, mentee, mentor), self.params)
        out = dict(parts)
        out["score"] = combine(parts, self.params)
        broken = self.pair_violations(mentee, mentor)
        out["admissible"] = ~np.any(np.stack(list(broken.values())), axis=0)
        return out

    def pair_violations(self, mentee: np.ndarray, mentor: np.ndarray) -> dict[str, np.ndarray]:
        a, b, distance = self.pair_arrays(mentee, mentor)
        broken = {
            k: np.broadcast_to(v, mentee.shape).copy()
            for k, v in violations(a, b, distance, self.params).items()
        }
        keys = self._forbidden[:, 0] * max(self.m, 1) + self._forbidden[:, 1]
        broken["excluded"] = np.isin(mentee * max(self.m, 1) + mentor, keys)
        return broken


def score_pool(
    mentees: MenteePool, mentors: MentorPool, params: MatchingParams | None = None
) -> np.ndarray:
    """Dense combined scores (n_mentees x n_mentors, float32), -inf where forbidden."""
    return PoolScorer(mentees, mentors, params).dense()


def score_candidates(
    mentees: MenteePool,
    mentors: MentorPool,
    params: MatchingParams | None = None,
    *,
    k_mentee: int = 40,
    k_mentor: int = 40,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sparse candidates without the full matrix: each mentee's k best and each mentor's k best
    admissible pairs. Returns (mentee index, mentor index, score float64), sorted by mentee."""
    return top_candidates(PoolScorer(mentees, mentors, params), k_mentee, k_mentor)
