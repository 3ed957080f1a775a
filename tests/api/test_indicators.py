"""Dashboard indicators through the API: the same figures as the pages, the same scoping."""

from __future__ import annotations

import pytest

from tests.api.conftest import session_client
from tests.dashboards.test_indicators import PERIOD, world  # noqa: F401 - the hand-built fixture

pytestmark = pytest.mark.django_db

QUERY = f"?start={PERIOD[0]}&end={PERIOD[1]}"


def figure(body, section, label):
    return next(f for s in body["sections"] if s["section"] == section for f in s["figures"] if f["label"] == label)


def test_alice_reads_her_associations_indicators(as_alice, world):  # noqa: F811
    body = as_alice.get(f"/api/v1/associations/{world['a'].slug}/indicators/{QUERY}").json()

    assert body["scope"] == {"start": str(PERIOD[0]), "end": str(PERIOD[1]), "cohort": None}
    assert figure(body, "Parcours", "Inscrit·es (mentoré·es)") == {"label": "Inscrit·es (mentoré·es)", "value": 5, "n": 5, "kind": "count", "display": "5"}
    satisfied = figure(body, "Résultats", "Mentors satisfaits (4 ou 5 sur 5)")
    assert (satisfied["value"], satisfied["n"], satisfied["display"]) == (None, 1, "—")  # too few answers: no value
    assert any(s["title"] == "Messages par mois" for s in body["series"])
    assert {w["name"].split()[0] for w in body["longest_waiters"]} == {"M2", "M5", "M6"}


def test_bob_and_charlie_get_404(as_bob, as_charlie, world):  # noqa: F811
    for client in (as_bob, as_charlie):
        assert client.get(f"/api/v1/associations/{world['a'].slug}/indicators/").status_code == 404


def test_the_operator_reads_aggregates_without_names(operator, world):  # noqa: F811
    client = session_client(operator)

    body = client.get(f"/api/v1/indicators/{QUERY}").json()

    assert figure(body, "Parcours", "Inscrit·es (mentoré·es)")["value"] == 6
    assert body["longest_waiters"] == []


def test_coordinators_cannot_read_the_operator_indicators(as_alice, world):  # noqa: F811
    assert as_alice.get("/api/v1/indicators/").status_code == 404


def test_a_period_ending_before_it_starts_is_a_french_400(as_alice, world):  # noqa: F811
    response = as_alice.get(f"/api/v1/associations/{world['a'].slug}/indicators/?start=2026-06-01&end=2026-01-01")

    assert response.status_code == 400
    assert response.json()["errors"]["end"] == ["La fin de la période doit venir après son début."]


@pytest.mark.parametrize(("query", "field", "message"), [
    ("?start=1900-01-01&end=2100-01-01", "start", "Choisissez une date entre le 01/01/2000"),
    ("?start=0001-01-01&end=9999-12-31", "start", "Choisissez une date entre le 01/01/2000"),
    ("?end=9999-12-31", "end", "Choisissez une date entre le 01/01/2000"),
    ("?start=2000-01-01&end=2026-01-01", "end", "La période ne peut pas dépasser 10 ans"),
])
def test_an_implausible_period_is_a_french_400_not_a_500(as_alice, world, query, field, message):  # noqa: F811
    response = as_alice.get(f"/api/v1/associations/{world['a'].slug}/indicators/{query}")

    assert response.status_code == 400
    assert response.json()["errors"][field][0].startswith(message)


def test_the_longest_period_allowed_is_computed(as_alice, world):  # noqa: F811
    response = as_alice.get(f"/api/v1/associations/{world['a'].slug}/indicators/?start=2016-01-01&end=2025-12-31")

    assert response.status_code == 200
