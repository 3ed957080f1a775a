"""Vectorised scoring of mentee x mentor pairs.

Every rule is written once on arrays that broadcast: a block of mentees as a column (b, 1)
against all mentors as a row (1, m) gives a (b, m) block; a list of k chosen pairs gives (k,)
vectors for the explanations. Blocks keep memory bounded (about ``block_pairs`` pairs at a time,
float32), so a 10k x 5k pool never holds an n x m float64 array.
"""

from __future__ import annotations

import numpy as np

from . import reservoir
from .assignment import top_candidates
from .pools import CRITERIA, MatchingParams, MenteePool, MentorPool
from .sizes import is_large
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

    # generational: age gap near the ideal, plus "one or two stages ahead on the same track"
    gap = b["age_years"] - a["age_years"]
    sigma = np.float32(age_sigma(params))
    age_part = np.exp(np.float32(-0.5) * ((gap - np.float32(params.ideal_age_gap)) / sigma) ** 2)
    step = _STEP.take(a["stage_code"] + b["stage_code"])
    same_field = (a["field"] == b["field"]) & (a["field"] >= 0)
    share = np.float32(params.education_step_share)
    # a different or unknown field still earns part of the step bonus
    step *= np.float32(STEP_OTHER_FIELD) + np.float32(1 - STEP_OTHER_FIELD) * same_field
    generational = (one - share) * age_part + share * step

    social = _SOCIAL.take(a["social_code"] + b["social_code"])

    # goals blended with text similarity where both wrote something
    goal_part = _GOALS.take(a["goals_code"] + b["goals_code"])
    blend = np.float32(params.text_share) * (a["has_text"] & b["has_text"])
    goals = goal_part + blend * (text_cos - goal_part)

    # geography: 1 in the same commune, halves every distance_half_km, neutral (0.5) when a place
    # is unknown; remote-only pairs: see remote_geography
    geography = np.exp2(distance * np.float32(-1.0 / params.distance_half_km))
    np.nan_to_num(geography, copy=False, nan=0.5)
    same_commune = (a["commune"] == b["commune"]) & (a["commune"] >= 0)
    geography = np.where(same_commune, one, geography)
    remote = remote_geography(a, b, distance, same_commune, params)
    geography = np.where(meeting_mode(a, b) == MODE_REMOTE, remote, geography)

    availability = _AVAILABILITY.take(a["slots_code"] + b["slots_code"])

    parts = {
        "generational": generational,
        "social": social,
        "goals": goals,
        "geography": geography,
        "availability": availability,
    }
    # custom criteria (a programme's sign-up questions): 1 suits, 0 not, 0.5 unanswered
    if params.n_custom:
        tables, stride = custom_tables(params), custom_stride(params)
        for c in range(params.n_custom):
            code = (a["custom_codes"][..., c] + 1) * stride + (b["custom_codes"][..., c] + 1)
            parts[custom_key(c)] = tables[c].take(code)
    shape = np.broadcast_shapes(*(v.shape for v in parts.values()))
    return {k: np.broadcast_to(np.asarray(v, dtype=np.float32), shape) for k, v in parts.items()}


#: proximity first: a remote-only pair's geography is this share of its "locality" (1 in the same
#: commune, halving every remote_half_km, at least the floors below), so it stays below an
#: in-person pair living within distance_half_km of each other
REMOTE_GEOGRAPHY_SHARE = 0.5
SAME_DEPARTEMENT_LOCALITY = 0.5
SAME_REGION_LOCALITY = 0.25
#: share of the education-step bonus kept when the fields differ or are unknown
STEP_OTHER_FIELD = 0.4


def age_sigma(params: MatchingParams) -> float:
    """Width of the bell around the ideal age gap (a quarter of the allowed range, >= 6 months)."""
    return float(np.float32(max((params.max_age_gap - params.min_age_gap) / 4.0, 0.5)))


def remote_geography(
    a: Side, b: Side, distance: np.ndarray, same_commune: np.ndarray, params: MatchingParams
) -> np.ndarray:
    """Geography of a pair that can only meet remotely (see REMOTE_GEOGRAPHY_SHARE)."""
    if not params.proximity_first:
        return np.float32(0.5)
    locality = np.exp2(distance * np.float32(-1.0 / params.remote_half_km))
    np.nan_to_num(locality, copy=False, nan=0.5)
    same_dept = (a["departement"] == b["departement"]) & (a["departement"] >= 0)
    same_region = (a["region"] == b["region"]) & (a["region"] >= 0)
    locality = np.maximum(locality, np.where(same_region, np.float32(SAME_REGION_LOCALITY), 0))
    locality = np.maximum(locality, np.where(same_dept, np.float32(SAME_DEPARTEMENT_LOCALITY), 0))
    locality = np.where(same_commune, np.float32(1), locality)
    return np.float32(REMOTE_GEOGRAPHY_SHARE) * locality.astype(np.float32)


def combine(parts: dict[str, np.ndarray], params: MatchingParams) -> np.ndarray:
    weights = params.criterion_weights()
    total = np.zeros(next(iter(parts.values())).shape, np.float32)
    for name in CRITERIA:
        total += np.float32(weights[name]) * parts[name]
    for c, weight in enumerate(params.custom_weights_normalised()):
        total += np.float32(weight) * parts[custom_key(c)]
    return total


#: the value of a custom criterion when either side has not answered (as the others' unknown)
CUSTOM_UNANSWERED = 0.5


def custom_key(c: int) -> str:
    """The name of custom criterion ``c`` among a pair's criteria (``criteria``, breakdowns)."""
    return f"custom_{c}"


def custom_stride(params: MatchingParams) -> int:
    """Row length of a custom criterion's table: its answers plus "no answer" (code -1)."""
    return int(params.custom_accept.shape[1]) + 1


def custom_tables(params: MatchingParams) -> np.ndarray:
    """(k, stride * stride) float32 look-up tables of the custom criteria, indexed by
    ``(mentee code + 1) * stride + mentor code + 1``: row and column 0 are "no answer"."""
    k, stride = params.n_custom, custom_stride(params)
    table = np.full((k, stride, stride), CUSTOM_UNANSWERED, np.float32)
    table[:, 1:, 1:] = params.custom_accept
    return table.reshape(k, stride * stride)


def kernel_codes(cols: Side, params: MatchingParams | None = None) -> np.ndarray:
    """The int64 (people x kernels.N_CODES, plus one column per custom criterion of ``params``)
    code matrix ``kernels.score_rows`` reads."""
    from . import kernels  # numba: imported only where a compiled loop is used

    n = cols["age_years"].shape[0]
    codes = np.zeros((n, kernels.N_CODES), np.int64)
    codes[:, kernels.C_STAGE] = cols["stage_code"]
    codes[:, kernels.C_FIELD] = cols["field"]
    codes[:, kernels.C_SOCIAL] = cols["social_code"]
    codes[:, kernels.C_GOALS] = cols["goals_code"]
    codes[:, kernels.C_SLOTS] = cols["slots_code"]
    codes[:, kernels.C_FORMAT] = cols["format_code"]
    codes[:, kernels.C_COMMUNE] = cols["commune"]
    codes[:, kernels.C_DEPARTEMENT] = cols["departement"]
    codes[:, kernels.C_REGION] = cols["region"]
    codes[:, kernels.C_HAS_TEXT] = cols["has_text"]
    codes[:, kernels.C_LANGUAGES] = cols["languages_any"]
    codes[:, kernels.C_NO_PLACE] = np.isnan(cols["xyz"]).any(axis=1)
    codes[:, kernels.C_CLASS] = _constraint_class(cols)
    if params is None or not params.n_custom:
        return codes
    # custom criteria: one more column each, whose mentee + mentor sum is the position of the
    # pair's value in the parameter vector (tables after the weights: see ``kernel_params``)
    k, stride = params.n_custom, custom_stride(params)
    custom = cols["custom_codes"].astype(np.int64) + 1
    if "vetting_valid" not in cols:  # mentees: the row of their answer in their criterion's table
        custom = kernels.N_PARAMS + k + np.arange(k) * stride * stride + custom * stride
    return np.concatenate([codes, custom], axis=1)


# Constraint classes: the hard rules on small codes (vetting, minors, format, gender) only depend on
# the class of each side, so the compiled loop reads them from one table instead of four tests.
# Mentee class in 0..47, mentor class in 0..95 (mentee classes are pre-multiplied by 96).
_CLASS_MENTORS = 96


def _constraint_class(cols: Side) -> np.ndarray:
    mentor = "vetting_valid" in cols
    cls = (
        cols["is_minor"].astype(np.int64) * 24
        + cols["format_code"].astype(np.int64) // (1 if mentor else 3) * 8
        + cols["wants_same_gender"].astype(np.int64) * 4
        + np.clip(cols["gender"].astype(np.int64), 0, 3)
    )
    if mentor:
        return cls + cols["vetting_valid"].astype(np.int64) * 48
    return cls * _CLASS_MENTORS


def constraint_classes(params: MatchingParams) -> np.ndarray:
    """uint8 table: 1 where a mentee class and a mentor class pass the rules on small codes."""
    a = np.arange(48)[:, None]
    b = np.arange(_CLASS_MENTORS)[None, :]
    minor_a, format_a, wants_a, gender_a = a // 24, a // 8 % 3, a // 4 % 2, a % 4
    vetted_b, minor_b, format_b = b // 48, b // 24 % 2, b // 8 % 3
    wants_b, gender_b = b // 4 % 2, b % 4
    bad = (minor_a == 1) & (
        (vetted_b == 0) | ((minor_b == 1) & (not params.allow_minor_mentors_for_minors))
    )
    bad |= _MODE[format_a * 3 + format_b] == MODE_INCOMPATIBLE
    bad |= ((wants_a == 1) | (wants_b == 1)) & (gender_a != gender_b)
    return (~bad).astype(np.uint8).ravel()


def kernel_params(params: MatchingParams) -> np.ndarray:
    """The float64 parameter vector ``kernels.score_rows`` reads."""
    from . import kernels

    out = np.zeros(kernels.N_PARAMS)
    out[kernels.P_MIN_GAP] = params.min_age_gap
    out[kernels.P_MAX_GAP] = params.max_age_gap
    out[kernels.P_IDEAL_GAP] = params.ideal_age_gap
    out[kernels.P_SIGMA] = age_sigma(params)
    out[kernels.P_STEP_SHARE] = params.education_step_share
    out[kernels.P_TEXT_SHARE] = params.text_share
    out[kernels.P_MAX_KM] = params.max_distance_km
    out[kernels.P_HALF_KM] = params.distance_half_km
    out[kernels.P_PROXIMITY_FIRST] = float(params.proximity_first)
    out[kernels.P_REMOTE_HALF_KM] = params.remote_half_km
    out[kernels.P_STEP_OTHER_FIELD] = STEP_OTHER_FIELD
    out[kernels.P_REMOTE_SHARE] = REMOTE_GEOGRAPHY_SHARE
    out[kernels.P_SAME_DEPARTEMENT] = SAME_DEPARTEMENT_LOCALITY
    out[kernels.P_SAME_REGION] = SAME_REGION_LOCALITY
    weights = params.criterion_weights()
    for k, name in enumerate(CRITERIA):
        out[kernels.P_WEIGHTS + k] = np.float32(weights[name])
    if params.n_custom:  # custom criteria: their weights, then their tables (see kernel_codes)
        custom = [np.float32(w) for w in params.custom_weights_normalised()]
        out = np.concatenate([out, np.array(custom, np.float64), custom_tables(params).ravel().astype(np.float64)])
    return out


def _check_custom(mentees: MenteePool, mentors: MentorPool, params: MatchingParams) -> None:
    """Both pools answer the settings' custom criteria, with answers their tables know."""
    size = params.custom_accept.shape[1] if params.n_custom else 0
    for side in (mentees, mentors):
        codes = side.custom_codes
        if codes.shape[1] != params.n_custom:
            raise ValueError(f"the pools answer {codes.shape[1]} custom criteria, the settings have {params.n_custom}")
        if codes.size and (codes.min() < -1 or codes.max() >= size):
            raise ValueError(f"custom answers must be in -1..{size - 1}")


class PoolScorer:
    """Scores one pool; usable as an ``assignment.ScoreSource`` (rows computed on demand).

    ``block(start, stop)``: combined scores float32 of mentees start:stop x all mentors, -inf where
    a hard constraint forbids the pair. ``fast``: score blocks and pair lists with the compiled
    loop (default: large pools, ``sizes.is_large``); explanations always use the numpy rules.
    """

    #: ``block`` and ``rows`` may be called from several threads at once
    parallel_blocks = True

    def __init__(
        self,
        mentees: MenteePool,
        mentors: MentorPool,
        params: MatchingParams | None = None,
        *,
        block_pairs: int = 65_536,
        fast: bool | None = None,
        text: TextVectors | None = None,
    ) -> None:
        self.mentees = mentees
        self.mentors = mentors
        self.params = params or MatchingParams()
        self.n, self.m = len(mentees), len(mentors)
        # ``text``: vectors fitted on a larger pool (a territory of a split run scores with the
        # whole pool's vocabulary and weights, so its scores are the whole pool's scores)
        self.text: TextVectors = text or fit_text_vectors(mentees.texts, mentors.texts)
        if (self.text.mentees.shape[0], self.text.mentors.shape[0]) != (self.n, self.m):
            raise ValueError("text vectors do not match the pools")
        self.block_rows = max(1, block_pairs // max(self.m, 1))
        _check_custom(mentees, mentors, self.params)
        self._mentee_cols = side_codes(mentees, self.text.mentee_has_text, mentee=True)
        self._mentor_cols = side_codes(mentors, self.text.mentor_has_text, mentee=False)
        self.fast = is_large(self.n, self.m) if fast is None else bool(fast)
        if self.fast:
            self._kernel_args = self._kernel_arguments()
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

    def _kernel_arguments(self) -> tuple:
        text = self.text
        mentees, mentors, mentors_t = text.mentees, text.mentors, text.mentors_t
        mentees.sort_indices()
        mentors.sort_indices()
        mentors_t.sort_indices()
        a, b = self._mentee_cols, self._mentor_cols
        # mentor columns sorted by age (see kernels.score_rows)
        by_age = np.argsort(b["age_years"], kind="stable").astype(np.int64)
        age_rank = np.empty_like(by_age)
        age_rank[by_age] = np.arange(by_age.size)
        # places: mentors at the same coordinates (a commune) share a distance to each mentee
        mentor_xyz = np.ascontiguousarray(b["xyz"][by_age])
        if mentor_xyz.shape[0]:
            _, place = np.unique(np.nan_to_num(mentor_xyz, nan=9.0), axis=0, return_inverse=True)
        else:
            place = np.zeros(0, np.int64)
        place = place.reshape(-1).astype(np.int64)
        self._n_places = int(place.max(initial=-1)) + 1
        return (
            np.ascontiguousarray(a["age_years"], np.float32),
            kernel_codes(a, self.params),
            np.ascontiguousarray(a["xyz"]),
            mentees.indptr.astype(np.int64),
            mentees.indices.astype(np.int64),
            mentees.data.astype(np.float32),
            np.ascontiguousarray(b["age_years"][by_age], np.float32),
            np.ascontiguousarray(kernel_codes(b, self.params)[by_age]),
            mentor_xyz,
            mentors_t.indptr.astype(np.int64),
            mentors_t.indices.astype(np.int64),
            mentors_t.data.astype(np.float32),
            mentors.indptr.astype(np.int64),
            mentors.indices.astype(np.int64),
            mentors.data.astype(np.float32),
            kernel_params(self.params),
            _STEP,
            _SOCIAL,
            _GOALS,
            _AVAILABILITY,
            _MODE,
            constraint_classes(self.params),
            by_age,
            age_rank,
            place,
        )

    def _scratch(self) -> tuple[np.ndarray, ...]:
        """Per-call buffers of ``kernels.score_rows`` (one a mentor, one a term, and the
        distances of a row to each place)."""
        places = max(self._n_places, 1)
        return (
            np.empty(self.m, np.float32),
            np.zeros(self.text.terms.size + 1, np.float32),
            np.full(places, -1, np.int64),
            np.empty(places),
            np.empty(places, np.float32),
            np.empty(places, np.float32),
            np.empty(places, np.float32),
        )

    def mentor_groups(self) -> np.ndarray:
        """Group of each mentor for ``reservoir.scan``: mentors of similar age together, so the
        age-gap rule rules out whole groups."""
        rank = np.empty(self.m, np.int64)
        rank[np.argsort(self.mentors.age_years, kind="stable")] = np.arange(self.m)
        return rank // reservoir.GROUP_SIZE

    def rows(self, index: np.ndarray) -> np.ndarray:
        """Combined scores (len(index) x all mentors) of the listed mentees, in that order."""
        index = np.asarray(index, dtype=np.int64)
        if index.size and (index.min() < 0 or index.max() >= self.n):
            raise IndexError(f"mentee index out of range 0..{self.n - 1}")
        if not self.fast:
            return np.concatenate(
                [self.block(int(i), int(i) + 1) for i in index] or [np.empty((0, self.m))]
            ).astype(np.float32)
        from . import kernels

        out = np.empty(index.size * self.m, np.float32)
        none = np.zeros(1, np.int64)
        kernels.score_rows(out, index, none, none[:0], *self._kernel_args, *self._scratch())
        out = out.reshape(index.size, self.m)
        self._forbid(out, index)
        return out

    def _kernel_pairs(self, mentee: np.ndarray, mentor: np.ndarray) -> np.ndarray:
        """``pair_scores`` by the compiled loop (the values ``block`` gives, bit for bit)."""
        from . import kernels

        ascending = bool(np.all(mentee[1:] >= mentee[:-1]))
        order = np.arange(mentee.size) if ascending else np.argsort(mentee, kind="stable")
        sorted_mentee = mentee[order]
        starts = np.flatnonzero(np.r_[True, sorted_mentee[1:] != sorted_mentee[:-1]])
        rows = sorted_mentee[starts]
        col_ptr = np.append(starts, mentee.size).astype(np.int64)
        flat = np.empty(mentee.size, np.float32)
        kernels.score_rows(
            flat,
            rows.astype(np.int64),
            col_ptr,
            mentor[order].astype(np.int64),
            *self._kernel_args,
            *self._scratch(),
        )
        out = np.empty(mentee.size, np.float32)
        out[order] = flat
        if self._forbidden.shape[0]:
            keys = self._forbidden[:, 0] * max(self.m, 1) + self._forbidden[:, 1]
            out[np.isin(mentee * max(self.m, 1) + mentor, keys)] = -np.inf
        return out

    def _forbid(self, out: np.ndarray, index: np.ndarray) -> None:
        if not self._forbidden.shape[0]:
            return
        hit = np.isin(self._forbidden[:, 0], index)
        for i, j in self._forbidden[hit].tolist():
            out[np.flatnonzero(index == i), j] = -np.inf

    def block(self, start: int, stop: int) -> np.ndarray:
        if self.fast:  # numpy slice semantics: stop past the end is the end
            return self.rows(np.arange(start, min(stop, self.n)))
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
        mentee = np.asarray(mentee, dtype=np.int64)
        mentor = np.asarray(mentor, dtype=np.int64)
        if self.fast and mentee.size:
            bad = (mentee.min() < 0) | (mentee.max() >= self.n)
            if bad or mentor.min() < 0 or mentor.max() >= self.m:
                raise IndexError("pair index out of range")
            return self._kernel_pairs(mentee, mentor)
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
