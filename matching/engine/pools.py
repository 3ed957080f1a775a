"""Plain numpy views of the two sides of a match run and of the association's settings.

The Django side fills these from the database (one array entry per person, in a fixed order that
it keeps to map indices back to profiles). Every column except ``age_years`` has an "unknown"
default, so a caller can start with a few columns and add the rest later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

#: bit i of ``goals`` / ``help_with`` is GOALS[i]
GOALS = ("orientation", "stage", "emploi", "confiance", "reseau", "codes", "methodes")
#: bit i of ``availability``; what each slot means is up to the association's form
N_SLOTS = 6
SLOTS = (
    "weekday_daytime",
    "weekday_evening",
    "wednesday_afternoon",
    "saturday_morning",
    "saturday_afternoon",
    "sunday",
)
#: ordinal ``education_stage`` (-1 unknown); people at work keep the stage they reached
EDUCATION_STAGES = ("college", "lycee", "bac+1/2", "licence", "master", "doctorat")
#: ``meeting_format`` values
IN_PERSON, REMOTE, BOTH_FORMATS = 0, 1, 2
#: ``gender`` values
GENDER_UNKNOWN, GENDER_FEMALE, GENDER_MALE, GENDER_OTHER = 0, 1, 2, 3
CRITERIA = ("generational", "social", "goals", "geography", "availability")

#: a priority weight is in score units (a pair scores at most 1): beyond this the scores stop
#: mattering at all, and the optimiser's integer costs would lose them
MAX_PRIORITY_WEIGHT = 100.0

_COLUMNS: dict[str, tuple[Any, Any]] = {
    # name: (dtype, default when the column is not given)
    "age_years": (np.float32, None),
    "education_stage": (np.int8, -1),
    "field": (np.int32, -1),
    "qpv": (bool, False),
    "boursier": (bool, False),
    "first_generation": (bool, False),
    "pcs": (np.int8, 0),
    "lat": (np.float32, np.nan),
    "lon": (np.float32, np.nan),
    "commune": (np.int32, -1),
    # any codes, the same on both sides (e.g. rank of the INSEE code); -1 unknown
    "departement": (np.int32, -1),
    "region": (np.int32, -1),
    "availability": (np.int32, 0),
    "meeting_format": (np.int8, BOTH_FORMATS),
    "languages": (np.int64, 0),
    "gender": (np.int8, GENDER_UNKNOWN),
    "prefers_same_gender": (bool, False),
}


def _column(name: str, value: Any, dtype: Any, default: Any, n: int) -> np.ndarray:
    if value is None:
        if default is None:
            raise ValueError(f"{name} is required")
        return np.full(n, default, dtype=dtype)
    array = np.asarray(value)
    if array.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {array.shape}")
    to_int = np.issubdtype(np.dtype(dtype), np.integer) and array.dtype.kind == "f"
    if to_int and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must not hold NaN")
    return array.astype(dtype, copy=False)


def _texts(value: Sequence[str | None] | None, n: int) -> list[str]:
    if value is None:
        return [""] * n
    texts = ["" if t is None else str(t) for t in value]
    if len(texts) != n:
        raise ValueError(f"texts must have {n} entries, got {len(texts)}")
    return texts


@dataclass
class _Side:
    age_years: Any
    education_stage: Any = None
    field: Any = None
    qpv: Any = None
    boursier: Any = None
    first_generation: Any = None
    pcs: Any = None
    lat: Any = None
    lon: Any = None
    commune: Any = None
    departement: Any = None
    region: Any = None
    availability: Any = None
    meeting_format: Any = None
    languages: Any = None
    gender: Any = None
    prefers_same_gender: Any = None
    texts: Any = None
    is_minor: Any = None
    # (n, k) answers to the k custom criteria (a programme's sign-up questions, in the order of
    # ``MatchingParams.custom_weights``): the answer's index among the question's choices, -1 none
    custom_codes: Any = None

    def __post_init__(self) -> None:
        n = int(np.asarray(self.age_years).shape[0])
        for name, (dtype, default) in _COLUMNS.items():
            setattr(self, name, _column(name, getattr(self, name), dtype, default, n))
        codes = np.full((n, 0), -1, np.int64) if self.custom_codes is None else np.asarray(self.custom_codes)
        if codes.ndim != 2 or codes.shape[0] != n:
            raise ValueError(f"custom_codes must have shape ({n}, k), got {codes.shape}")
        self.custom_codes = codes.astype(np.int64, copy=False)
        if not np.all(np.isfinite(self.age_years)):
            raise ValueError("age_years must be finite")
        if np.any((self.meeting_format < 0) | (self.meeting_format > 2)):
            raise ValueError("meeting_format must be 0 (in person), 1 (remote) or 2 (both)")
        self.texts = _texts(self.texts, n)
        minor = self.age_years < 18 if self.is_minor is None else self.is_minor
        self.is_minor = _column("is_minor", minor, bool, None, n)

    def __len__(self) -> int:
        return int(self.age_years.shape[0])

    def take(self, index: np.ndarray) -> dict[str, np.ndarray]:
        """Arrays of the people at ``index`` (texts left out), keyed by column name."""
        return {f.name: getattr(self, f.name)[index] for f in fields(self) if f.name != "texts"}


@dataclass
class MenteePool(_Side):
    """Mentees waiting for a mentor. ``goals``: bitmask over GOALS. ``waiting_days``: days since
    validation. ``priority_background``: 0..1 (e.g. 1.0 for QPV or boursier), raises priority.
    ``texts``: aspirations, free French text. ``is_minor`` defaults to ``age_years < 18``."""

    goals: Any = None
    waiting_days: Any = None
    priority_background: Any = None

    def __post_init__(self) -> None:
        super().__post_init__()
        n = len(self)
        self.goals = _column("goals", self.goals, np.int32, 0, n)
        self.waiting_days = _column("waiting_days", self.waiting_days, np.float32, 0.0, n)
        self.priority_background = _column(
            "priority_background", self.priority_background, np.float32, 0.0, n
        )


@dataclass
class MentorPool(_Side):
    """Mentors with room for mentees. ``help_with``: bitmask over GOALS. ``capacity``: how many
    more mentees (1-3 usually, 0 = none now). ``vetting_valid``: valid "attestation
    d'honorabilité" on the run date. ``texts``: path ("parcours"), free French text."""

    help_with: Any = None
    capacity: Any = None
    vetting_valid: Any = None

    def __post_init__(self) -> None:
        super().__post_init__()
        n = len(self)
        self.help_with = _column("help_with", self.help_with, np.int32, 0, n)
        self.capacity = _column("capacity", self.capacity, np.int64, 1, n)
        if np.any(self.capacity < 0):
            raise ValueError("capacity must be >= 0")
        self.vetting_valid = _column("vetting_valid", self.vetting_valid, bool, False, n)


#: the strongest equity setting: the largest priority (waiting 0.3 + background 0.2) becomes 1.5,
#: one and a half times the best possible score, and stays well inside the solvers' cost range
PRIORITY_STRENGTH_MAX = 3.0


@dataclass(frozen=True)
class MatchingParams:
    """An association's matching settings (a snapshot is stored with each run)."""

    weight_generational: float = 0.25
    weight_social: float = 0.20
    weight_goals: float = 0.25
    weight_geography: float = 0.15
    weight_availability: float = 0.15
    ideal_age_gap: float = 5.0  # years
    min_age_gap: float = 1.0
    max_age_gap: float = 12.0
    max_distance_km: float = 30.0  # for pairs that can only meet in person
    distance_half_km: float = 10.0  # geography score halves every this many km
    # proximity first: a pair that can only meet remotely scores at most REMOTE_GEOGRAPHY_SHARE
    # of a nearby in-person pair, and less the further apart they live (halving every
    # remote_half_km, at least the same-département / same-région floor). Off: remote pairs get
    # a flat neutral 0.5, whatever the distance.
    proximity_first: bool = True
    remote_half_km: float = 50.0
    allow_minor_mentors_for_minors: bool = False
    # share of the generational score given to "one or two education stages ahead, same field"
    education_step_share: float = 0.4
    # share of the goals score given to the text similarity of aspirations and path
    text_share: float = 0.3
    # priority added to each pair of a mentee, in score units (scores are in [0, 1])
    priority_waiting_weight: float = 0.3  # reached after priority_waiting_days
    priority_waiting_days: float = 180.0
    priority_background_weight: float = 0.2
    # equity strength: multiplies both priority weights above (0 = off, 1 = normal, 2 = strong);
    # bounded so priorities stay in the score's range (see PRIORITY_STRENGTH_MAX)
    priority_strength: float = 1.0
    # (mentee index, mentor index) pairs never to propose again: rejected, or ended early
    forbidden_pairs: Any = field(default=())
    # custom criteria (a programme's sign-up questions, issue 12): one weight each, normalised
    # together with the five above, and ``custom_accept[c, x, y]``: True where a mentor who
    # answered y suits a mentee who answered x (the identity for "same answer"). A pair scores 1
    # when it suits, 0 when not, 0.5 when either has not answered (as the other criteria's unknown).
    custom_weights: Any = field(default=())
    custom_accept: Any = field(default=())

    def __post_init__(self) -> None:
        pairs = np.asarray(self.forbidden_pairs, dtype=np.int64).reshape(-1, 2)
        object.__setattr__(self, "forbidden_pairs", pairs)
        weights = np.asarray(self.custom_weights, dtype=np.float64).reshape(-1)
        object.__setattr__(self, "custom_weights", weights)
        accept = np.asarray(self.custom_accept, dtype=bool)
        accept = accept.reshape(weights.size, *(accept.shape[1:] if accept.ndim == 3 else (0, 0)))
        object.__setattr__(self, "custom_accept", accept)
        if not np.all(np.isfinite(weights)):
            raise ValueError("custom weights must be finite")
        if np.any(self.criterion_weights_raw() < 0) or self.criterion_weights_raw().sum() <= 0:
            raise ValueError("criterion weights must be >= 0 and not all zero")
        if not 0 <= self.min_age_gap <= self.max_age_gap:
            raise ValueError("need 0 <= min_age_gap <= max_age_gap")
        for name in ("education_step_share", "text_share"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1]")
        for name in ("priority_waiting_weight", "priority_background_weight"):
            if not 0.0 <= getattr(self, name) <= MAX_PRIORITY_WEIGHT:
                raise ValueError(f"{name} must be in [0, {MAX_PRIORITY_WEIGHT:g}] (score units)")
        if min(self.distance_half_km, self.remote_half_km, self.priority_waiting_days) <= 0:
            raise ValueError(
                "distance_half_km, remote_half_km and priority_waiting_days must be > 0"
            )
        if not 0.0 <= self.priority_strength <= PRIORITY_STRENGTH_MAX:
            raise ValueError(f"priority_strength must be in [0, {PRIORITY_STRENGTH_MAX:g}]")

    def criterion_weights_raw(self) -> np.ndarray:
        """The five built-in weights, then the custom ones."""
        builtin = [getattr(self, f"weight_{name}") for name in CRITERIA]
        return np.array([*builtin, *np.asarray(self.custom_weights).tolist()], dtype=np.float64)

    def criterion_weights(self) -> dict[str, float]:
        """The built-in weights normalised (with the custom ones) to sum to 1, keyed by criterion."""
        raw = self.criterion_weights_raw()
        return dict(zip(CRITERIA, (raw[: len(CRITERIA)] / raw.sum()).tolist(), strict=True))

    def custom_weights_normalised(self) -> list[float]:
        """The custom criteria's weights, normalised with the built-in ones."""
        raw = self.criterion_weights_raw()
        return (raw[len(CRITERIA) :] / raw.sum()).tolist()

    @property
    def n_custom(self) -> int:
        return int(self.custom_weights.size)


def mentee_priority(mentees: MenteePool, params: MatchingParams) -> np.ndarray:
    """Per-mentee priority: grows with waiting time (capped) and with a priority background, times
    the association's equity strength (0: no priority at all, every mentee counts the same)."""
    waiting = np.clip(mentees.waiting_days.astype(np.float64) / params.priority_waiting_days, 0, 1)
    background = np.clip(mentees.priority_background.astype(np.float64), 0, 1)
    base = params.priority_waiting_weight * waiting + params.priority_background_weight * background
    return params.priority_strength * base
