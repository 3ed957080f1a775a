import json

import numpy as np

from matching.engine import CRITERIA, PoolScorer, explain_pairs, fold, match_pool, synthetic_pools

from .builders import pools, scorer


def test_facts_give_what_a_french_sentence_needs():
    # given a 17-year-old and a 21-year-old, both boursiers, same commune, both on Sciences Po
    explained = explain_pairs(
        scorer({"goals": 0b0001001}, {"age_years": 21.0, "help_with": 0b0000001}), [(0, 0)]
    )[0]
    facts = explained["facts"]
    assert facts["age_gap_years"] == 4.0
    assert "boursier" in facts["shared_background"]
    assert facts["same_commune"] is True
    assert facts["distance_km"] == 0.0
    assert facts["pcs"] == "same"
    assert facts["education_steps_ahead"] == 2
    assert facts["same_field"] is True
    assert facts["shared_goals"] == ["orientation"]
    assert facts["unmet_goals"] == ["confiance"]
    assert facts["shared_slots"] == ["weekday_daytime", "weekday_evening"]
    assert facts["meeting"] == "either"
    assert "sciences po" in facts["shared_terms"]
    assert "sciences" not in facts["shared_terms"]  # folded into the bigram
    assert explained["violations"] == []


def test_breakdown_is_plain_json_with_scores_in_unit_range():
    mentees, mentors = synthetic_pools(60, 40, seed=2)
    result = match_pool(mentees, mentors)
    explained = explain_pairs(result.scorer, result.pairs)
    assert len(explained) == len(result.pairs) > 0
    json.dumps(explained)  # plain Python only
    for item in explained:
        assert item["admissible"] and not item["violations"]
        assert set(item["criteria"]) == set(CRITERIA)
        assert all(0.0 <= v <= 1.0 for v in item["criteria"].values())
        assert 0.0 <= item["score"] <= 1.0


def test_a_forbidden_pair_explains_why():
    explained = explain_pairs(scorer({}, {"vetting_valid": False}), [(0, 0)])[0]
    assert explained["admissible"] is False
    assert explained["violations"] == ["vetting"]


def test_unknown_place_gives_no_distance():
    mentees, mentors = pools([{"lat": np.nan, "lon": np.nan, "commune": -1}], [{}])
    facts = explain_pairs(PoolScorer(mentees, mentors), [(0, 0)])[0]["facts"]
    assert facts["distance_km"] is None
    assert facts["same_commune"] is False


def test_fold_strips_accents_case_and_punctuation():
    assert fold("Études d'Ingénieur — Œuvre!") == "etudes d ingenieur oeuvre"


def test_fold_strips_every_combining_mark_and_keeps_other_characters_as_separators():
    # a combining mark outside the Latin diacritics block (Cyrillic U+0483) is stripped too, while
    # the grapheme joiner U+034F (in that block, yet not combining) separates words like any
    # other non-letter
    assert fold("cafe\u0301 me\u0483l") == "cafe mel"
    assert fold("bac\u034fpro") == "bac pro"
    assert fold("ÉCOLE\u2019ŒUF ÿ ñ ç") == "ecole oeuf y n c"
