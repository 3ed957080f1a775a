"""The run report's figures against a fixture counted by hand."""

from __future__ import annotations

import numpy as np
import pytest

from matching import services
from matching.engine import MenteePool
from matching.explanations import equity_rows
from matching.run_report import equity_summary, remote_summary
from tests import factories
from tests.matching.conftest import vetted


def test_remote_share_and_distance_quartiles():
    facts = [
        {"meeting": "remote", "distance_km": 10.0},
        {"meeting": "remote", "distance_km": 20.0},
        {"meeting": "remote", "distance_km": 30.0},
        {"meeting": "remote", "distance_km": 40.0},
        {"meeting": "remote", "distance_km": 500.0},
        {"meeting": "in_person", "distance_km": 3.0},
        {"meeting": "either", "distance_km": 8.0},
        {"meeting": "in_person", "distance_km": 1.0},
    ]

    summary = remote_summary(facts)

    # 5 remote of 8; sorted 10 20 30 40 500: median 30, quartiles (linear) 20 and 40
    assert summary["n_remote"] == 5 and summary["share_remote"] == 0.625
    assert summary["distance_km"] == {"q1": 20.0, "median": 30.0, "q3": 40.0, "max": 500.0, "n_known": 5}


def test_match_rates_by_group_against_the_pool():
    # 8 mentees: waiting 0..70 days; QPV: 0, 1, 2; boursiers: 2, 3; minors: 0..3
    mentees = MenteePool(
        age_years=np.array([15, 16, 16, 17, 19, 20, 21, 22], float),
        qpv=np.array([1, 1, 1, 0, 0, 0, 0, 0], bool),
        boursier=np.array([0, 0, 1, 1, 0, 0, 0, 0], bool),
        waiting_days=np.arange(8) * 10.0,
    )
    matched = np.array([0, 2, 6, 7])

    report = equity_summary(mentees, matched)

    assert report["pool"] == {"key": "pool", "n_pool": 8, "n_matched": 4, "rate": 0.5}
    by_key = {g["key"]: g for g in report["groups"]}
    assert (by_key["qpv"]["n_pool"], by_key["qpv"]["n_matched"]) == (3, 2)
    assert (by_key["boursier"]["n_pool"], by_key["boursier"]["n_matched"]) == (2, 1)
    assert (by_key["minor"]["n_pool"], by_key["minor"]["n_matched"]) == (4, 2)
    # quarters by waiting time: {0,10} {20,30} {40,50} {60,70}
    assert [(by_key[f"waiting_q{q}"]["n_matched"], by_key[f"waiting_q{q}"]["min_days"], by_key[f"waiting_q{q}"]["max_days"])
            for q in (1, 2, 3, 4)] == [(1, 0, 10), (1, 20, 30), (0, 40, 50), (2, 60, 70)]
    rows = equity_rows(report)
    assert rows[0]["label"] == "Tout le vivier" and rows[0]["percent"] == 50
    assert rows[-1]["label"] == "Attente, quart n° 4 (60 à 70 jours)" and rows[-1]["percent"] == 100


@pytest.mark.django_db
def test_a_run_stores_its_report(association, alice, django_capture_on_commit_callbacks):
    factories.mentee(association=association, status="validated", qpv_resident=True, meeting_format="remote")
    factories.mentee(association=association, status="validated", languages=["ar"])
    vetted(association=association, meeting_format="remote", commune=factories.commune("13202"))

    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_request(association=association, by=alice)
    run.refresh_from_db()

    remote = run.report["remote"]
    assert (remote["n_proposals"], remote["n_remote"], remote["share_remote"]) == (1, 1, 1.0)
    assert 600 < remote["distance_km"]["median"] < 800  # Bobigny - Marseille
    groups = {g["key"]: g for g in run.report["equity"]["groups"]}
    assert (groups["qpv"]["n_pool"], groups["qpv"]["n_matched"]) == (1, 1)
    assert run.report["equity"]["pool"]["rate"] == 0.5
    assert run.report["unmatched"]["no_admissible"] == 1
