"""Per-pair breakdown and the raw facts a French explanation is written from.

Everything returned is plain Python (int, float, bool, str, list, dict, None) so it can go
straight into a JSON field of a proposal; the Django side turns facts into sentences such as
"écart d'âge : 4 ans", "tous deux boursiers", "même commune".
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .pools import CRITERIA, GOALS, SLOTS, mentee_priority
from .scoring import MODE_IN_PERSON, MODE_REMOTE, PoolScorer, custom_key, meeting_mode
from .text import shared_terms

_BACKGROUND_FLAGS = ("qpv", "boursier", "first_generation")
_MEETING = {0: "either", MODE_IN_PERSON: "in_person", MODE_REMOTE: "remote", 3: "incompatible"}


def _bits(mask: int, names: tuple[str, ...] | None = None) -> list[Any]:
    found = [i for i in range(mask.bit_length()) if mask >> i & 1]
    if names is None:
        return found
    return [names[i] for i in found if i < len(names)]


def explain_pairs(scorer: PoolScorer, pairs: Any, *, terms_limit: int = 5) -> list[dict[str, Any]]:
    """One dict per (mentee, mentor) pair, in the order given.

    Keys: mentee, mentor, score (combined, [0, 1]), priority, admissible, criteria (name -> [0, 1]),
    violations (names of broken hard constraints, see ``scoring.CONSTRAINTS``) and facts:
    age_gap_years (whole years, as people count them: 6.9 years is "6 ans"; the Django side
    recounts it from the two birth dates), education_steps_ahead (None if a stage is unknown), same_field, distance_km
    (None if unknown), beyond_in_person_km (farther than the in-person limit), same_commune,
    meeting ("in_person", "remote" or "either"),
    shared_background (subset of qpv/boursier/first_generation), pcs ("same", "adjacent" or None),
    shared_goals, unmet_goals (goal names), shared_slots (slot names), shared_languages (bit
    indices), same_gender (None if either is unknown), shared_terms (top terms of both texts, matched
    on folded forms, shown as the people wrote them; filler words never count), custom (per custom
    criterion: [mentee answer, mentor answer], -1 where not answered; their scores are in criteria
    under ``custom_<c>``; only when the settings have custom criteria).
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    mentee, mentor = pairs[:, 0], pairs[:, 1]
    parts = scorer.pair_criteria(mentee, mentor)
    broken = scorer.pair_violations(mentee, mentor)
    a, b, distance = scorer.pair_arrays(mentee, mentor)
    priority = mentee_priority(scorer.mentees, scorer.params)[mentee]
    mode = meeting_mode(a, b)
    out: list[dict[str, Any]] = []
    for k in range(pairs.shape[0]):
        stage_a, stage_b = int(a["education_stage"][k]), int(b["education_stage"][k])
        pcs_a, pcs_b = int(a["pcs"][k]), int(b["pcs"][k])
        pcs = None
        if pcs_a > 0 and pcs_b > 0:
            pcs = "same" if pcs_a == pcs_b else "adjacent" if abs(pcs_a - pcs_b) == 1 else None
        gender_a, gender_b = int(a["gender"][k]), int(b["gender"][k])
        goals_a, help_b = int(a["goals"][k]), int(b["help_with"][k])
        d = float(distance[k])
        facts = {
            # floor, not round: a 6.5-year gap is "6 ans" (and 6.5 rounded half-even said 6 but
            # 7.5 said 8); the tiny epsilon keeps an exact 6.0 computed as 5.9999 at 6
            "age_gap_years": int(np.floor(float(b["age_years"][k] - a["age_years"][k]) + 1e-6)),
            "education_steps_ahead": stage_b - stage_a if stage_a >= 0 and stage_b >= 0 else None,
            "same_field": bool(a["field"][k] >= 0 and a["field"][k] == b["field"][k]),
            "distance_km": None if np.isnan(d) else round(d, 1),
            "beyond_in_person_km": bool(not np.isnan(d) and d > scorer.params.max_distance_km),
            "same_commune": bool(a["commune"][k] >= 0 and a["commune"][k] == b["commune"][k]),
            "meeting": _MEETING[int(mode[k])],
            "shared_background": [f for f in _BACKGROUND_FLAGS if a[f][k] and b[f][k]],
            "pcs": pcs,
            "shared_goals": _bits(goals_a & help_b, GOALS),
            "unmet_goals": _bits(goals_a & ~help_b, GOALS),
            "shared_slots": _bits(int(a["availability"][k]) & int(b["availability"][k]), SLOTS),
            "shared_languages": _bits(int(a["languages"][k]) & int(b["languages"][k])),
            "same_gender": None if not gender_a or not gender_b else gender_a == gender_b,
            "shared_terms": (
                shared_terms(
                    scorer.text, int(mentee[k]), int(mentor[k]), terms_limit,
                    texts=(scorer.mentees.texts[int(mentee[k])], scorer.mentors.texts[int(mentor[k])]),
                )
                if terms_limit
                else []
            ),
        }
        if scorer.params.n_custom:
            facts["custom"] = [[int(a["custom_codes"][k, c]), int(b["custom_codes"][k, c])] for c in range(scorer.params.n_custom)]
        out.append(
            {
                "mentee": int(mentee[k]),
                "mentor": int(mentor[k]),
                "score": float(parts["score"][k]),
                "priority": float(priority[k]),
                "admissible": bool(parts["admissible"][k]),
                "criteria": {name: float(parts[name][k]) for name in
                             (*CRITERIA, *(custom_key(c) for c in range(scorer.params.n_custom)))},
                "violations": [name for name, v in broken.items() if v[k]],
                "facts": facts,
            }
        )
    return out
