"""Explanations exactly true: whole years from real birth dates, words as written, no filler,
remote pairs said remote (and how far)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from matching import services
from matching.explanations import explanation_lines, member_explanation_lines
from matching.models import Proposal
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db


def proposal_lines(association, alice, capture, mentee_kwargs, mentor_kwargs) -> list[str]:
    factories.mentee(association=association, status="validated", **mentee_kwargs)
    vetted(association=association, **mentor_kwargs)
    with capture(execute=True):
        services.match_run_request(association=association, by=alice)
    return explanation_lines(Proposal.objects.get().breakdown)


def test_a_gap_of_six_years_and_a_half_reads_six_years(association, alice, django_capture_on_commit_callbacks):
    mentee_born = timezone.localdate() - timedelta(days=16 * 365 + 40)
    mentor_born = mentee_born.replace(year=mentee_born.year - 7) + timedelta(days=183)  # 6 years and ~6 months older

    lines = proposal_lines(association, alice, django_capture_on_commit_callbacks,
                           {"birth_date": mentee_born}, {"birth_date": mentor_born})

    assert lines[0].startswith("écart d'âge : 6 ans")


def test_a_gap_of_seven_years_and_a_half_reads_seven_not_eight(association, alice, django_capture_on_commit_callbacks):
    mentee_born = timezone.localdate() - timedelta(days=16 * 365 + 40)
    mentor_born = mentee_born.replace(year=mentee_born.year - 8) + timedelta(days=183)

    lines = proposal_lines(association, alice, django_capture_on_commit_callbacks,
                           {"birth_date": mentee_born}, {"birth_date": mentor_born})

    assert lines[0].startswith("écart d'âge : 7 ans")


def test_shared_words_keep_their_accents_and_filler_verbs_are_not_shown(association, alice, django_capture_on_commit_callbacks):
    lines = proposal_lines(
        association, alice, django_capture_on_commit_callbacks,
        {"goals_text": "Je veux trouver une école d'ingénieurs et faire de la robotique, les ecoles me plaisent"},
        {"path_text": "J'ai dû trouver ma voie : école d'ingénieurs, robotique ; j'aime faire découvrir les écoles"},
    )

    (terms,) = [line for line in lines if line.startswith("projet ↔ parcours")]
    assert "école" in terms and "ingénieurs" in terms and "robotique" in terms
    assert "ecole" not in terms and "ingenieurs" not in terms
    assert "trouver" not in terms and "faire" not in terms


def test_remote_pairs_say_so_and_how_far_when_far():
    far = {"facts": {"meeting": "remote", "distance_km": 388.4, "beyond_in_person_km": True}}
    near = {"facts": {"meeting": "remote", "distance_km": 4.0, "beyond_in_person_km": False}}

    assert "rencontres à distance · 388 km l'un de l'autre" in explanation_lines(far)
    assert "rencontres à distance" in explanation_lines(near)
    assert not any("km" in line for line in explanation_lines(near))
    assert "rencontres à distance · 388 km l'un de l'autre" in member_explanation_lines(far)


def test_an_estimated_position_says_about():
    lines = explanation_lines({"facts": {"meeting": "in_person", "distance_km": 2.4, "distance_estimated": True}})

    assert "environ 2 km l'un de l'autre" in lines


def test_older_decimal_gaps_are_floored_too():
    assert explanation_lines({"facts": {"age_gap_years": 6.5}})[0] == "écart d'âge : 6 ans"
    assert explanation_lines({"facts": {"age_gap_years": 7.5}})[0] == "écart d'âge : 7 ans"
