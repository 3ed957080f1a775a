"""Equity strength and proximity-first: set by the association (page and API), used by the run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from matching import services
from matching.models import MatchingSettings, Proposal
from tests import factories
from tests.api.conftest import token_client
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db
SETTINGS_FORM = {"weight_generational": 1, "weight_social": 1, "weight_goals": 1, "weight_geography": 1, "weight_availability": 1,
                 "ideal_age_gap": 5, "min_age_gap": 1, "max_age_gap": 12, "max_distance_km": 30}


def test_the_settings_page_sets_equity_strength_and_proximity(client, alice, association):
    client.force_login(alice)

    page = client.get(f"/coordination/{association.slug}/appariement/reglages/").content.decode()
    client.post(f"/coordination/{association.slug}/appariement/reglages/", {**SETTINGS_FORM, "priority_strength": "strong"})

    assert "forte" in page and "privilégier les binômes proches" in page.lower()
    row = MatchingSettings.objects.get(association=association)
    assert (row.priority_strength, row.proximity_first) == ("strong", False)  # the box was left unticked
    assert services.params_from_settings(row).priority_strength == 2.0


def test_the_api_sets_them_too(alice, association):
    url = f"/api/v1/associations/{association.slug}/matching-settings/"
    client = token_client(alice, association)

    response = client.patch(url, {"priority_strength": "off", "proximity_first": True}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["priority_strength"], response.json()["proximity_first"]) == ("off", True)
    assert client.patch(url, {"priority_strength": "maximale"}, format="json").status_code == 400


def waiting_run(association, alice, capture, strength: str):
    """One mentor, two mentees: Léa is the closer pair, Nour waited eight months and is boursière
    in a QPV."""
    lea = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(17))
    nour = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(15, days=200),
                            qpv_resident=True, boursier=True)
    nour.validated_at = timezone.now() - timedelta(days=240)
    nour.save(update_fields=["validated_at"])
    vetted(association=association, birth_date=factories.years_ago(22))
    services.matching_settings_update(association=association, by=alice, priority_strength=strength)
    with capture(execute=True):
        run = services.match_run_request(association=association, by=alice)
    return run, lea, nour


def test_strength_off_gives_the_mentor_to_the_closer_pair(association, alice, django_capture_on_commit_callbacks):
    run, lea, _nour = waiting_run(association, alice, django_capture_on_commit_callbacks, "off")

    assert Proposal.objects.get(run=run).mentee == lea
    assert Proposal.objects.get(run=run).priority == 0


def test_normal_strength_serves_the_one_who_waited(association, alice, django_capture_on_commit_callbacks):
    run, _lea, nour = waiting_run(association, alice, django_capture_on_commit_callbacks, "normal")

    assert Proposal.objects.get(run=run).mentee == nour
