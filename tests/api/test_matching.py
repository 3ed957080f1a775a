"""The walkthrough of the README, with a token: list the waiting mentees, launch a run, poll it,
read the proposals with their explanation, approve; plus rejection, bulk and settings."""

from __future__ import annotations

import pytest

from binomes.models import Binome
from matching.models import MatchRun, Proposal
from programmes.selectors import programme_default_for

pytestmark = pytest.mark.django_db


def url(association, path=""):  # noqa: ANN001
    return f"/api/v1/associations/{association.slug}/{path}"


def test_an_association_matches_with_a_token_alone(as_alice, association, small_pool, django_capture_on_commit_callbacks):
    waiting = as_alice.get(url(association, "participants/"), {"role": "mentee", "status": "validated"}).json()
    assert waiting["count"] == 3

    with django_capture_on_commit_callbacks(execute=True):
        launched = as_alice.post(url(association, "match-runs/"))
    assert launched.status_code == 201
    run = as_alice.get(url(association, f"match-runs/{launched.json()['id']}/")).json()
    assert (run["status"], run["is_active"], run["progress"], run["n_proposals"]) == ("done", False, 100, 2)

    proposals = as_alice.get(url(association, "proposals/")).json()["results"]
    assert len(proposals) == 2
    assert proposals[0]["explanation"] and proposals[0]["explanation"][0].startswith("écart d'âge")
    assert [c["label"] for c in proposals[0]["criteria"]][0] == "Proximité générationnelle"

    outcome = as_alice.post(url(association, "proposals/bulk/"), {"proposals": [p["id"] for p in proposals], "action": "approve"},
                            format="json").json()
    assert sorted(outcome["done"]) == sorted(p["id"] for p in proposals) and outcome["errors"] == []
    assert Binome.objects.filter(association=association, status="active").count() == 2


def test_a_second_run_while_one_is_active_is_refused_with_the_reason(as_alice, association):
    MatchRun.objects.create(association=association, programme=programme_default_for(association), status="running")
    response = as_alice.post(url(association, "match-runs/"))
    assert response.status_code == 400
    assert "déjà en cours" in response.json()["detail"]


def test_approve_creates_the_binome_and_a_second_approval_says_why_not(as_alice, association, proposal):
    created = as_alice.post(url(association, f"proposals/{proposal.pk}/approve/"))
    assert created.status_code == 201
    body = created.json()
    assert body["viewer_role"] == "coordinator" and body["mentee"]["id"] == proposal.mentee_id and body["open_reports"] == 0

    again = as_alice.post(url(association, f"proposals/{proposal.pk}/approve/"))
    assert again.status_code == 400 and "déjà été traitée" in again.json()["detail"]


def test_reject_needs_a_reason(as_alice, association, proposal):
    missing = as_alice.post(url(association, f"proposals/{proposal.pk}/reject/"), {"reason": ""}, format="json")
    assert missing.status_code == 400 and list(missing.json()["errors"]) == ["reason"]
    done = as_alice.post(url(association, f"proposals/{proposal.pk}/reject/"), {"reason": "Trop loin"}, format="json").json()
    assert (done["status"], done["rejection_reason"]) == ("rejected", "Trop loin")


def test_bulk_reports_each_failure_and_ignores_other_associations_ids(as_alice, association, proposal, other_association):
    foreign = Proposal.objects.create(run=MatchRun.objects.create(association=other_association, programme=programme_default_for(other_association), status="done"),
                                      association=other_association, mentee=proposal.mentee, mentor=proposal.mentor, score=0.5,
                                      status="rejected", rejection_reason="x")
    outcome = as_alice.post(url(association, "proposals/bulk/"), {"proposals": [proposal.pk, foreign.pk], "action": "reject",
                                                                  "reason": "Pas cette fois"}, format="json").json()
    assert outcome == {"done": [proposal.pk], "errors": [{"proposal": foreign.pk, "detail": "Proposition introuvable."}]}


def test_proposals_filter_and_page_in_a_bounded_number_of_queries(as_alice, association, proposal, django_assert_max_num_queries):
    as_alice.get("/api/v1/me/")
    # token, coordinator check, association, count, proposals (people, users, communes joined)
    with django_assert_max_num_queries(6):
        body = as_alice.get(url(association, "proposals/"), {"min_score": 0.8, "minors": "true"}).json()
    assert [p["id"] for p in body["results"]] == [proposal.pk]
    assert as_alice.get(url(association, "proposals/"), {"min_score": 0.9}).json()["count"] == 0


def test_matching_settings_are_validated_by_the_service_in_french(as_alice, association):
    response = as_alice.patch(url(association, "matching-settings/"), {"min_age_gap": 8, "ideal_age_gap": 4}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["ideal_age_gap"] == ["L'écart idéal doit être compris entre l'écart minimum et l'écart maximum."]
    ok = as_alice.patch(url(association, "matching-settings/"), {"ideal_age_gap": 4, "periodic_runs": True}, format="json").json()
    assert (ok["ideal_age_gap"], ok["periodic_runs"]) == (4, True)


def test_programme_settings_use_the_pages_rules_and_ignore_tenant_fields(as_alice, association, other_association):
    refused = as_alice.patch(url(association), {"mentee_min_age": 20, "mentee_max_age": 15}, format="json")
    assert refused.status_code == 400 and "mentee_max_age" in refused.json()["errors"]

    body = as_alice.patch(url(association), {"programme_duration_months": 9, "slug": "pirate", "status": "suspended",
                                             "name": "Autre nom", "association": other_association.pk}, format="json").json()
    association.refresh_from_db()
    assert body["programme_duration_months"] == 9
    assert (association.slug, association.status, association.name) == ("proxi-bobigny", "active", "Proxi Bobigny")
