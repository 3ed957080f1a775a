"""The funder report through the API: the same service and permissions as the pages."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.api.conftest import session_client, token_client
from tests.reporting.conftest import PERIOD

pytestmark = pytest.mark.django_db

QUERY = f"?start={PERIOD[0]}&end={PERIOD[1]}"


def base(slug):
    return f"/api/v1/associations/{slug}/funder-report/"


def test_alice_reads_the_tables(alice, world):
    body = token_client(alice, world["a"]).get(base(world["a"].slug) + QUERY).json()

    duration = next(t for t in body["tables"] if t["slug"] == "duree")
    assert duration["rows"][0] == {"public": "Ensemble", "group": "tous", "values": [5, 137]}
    young = next(t for t in body["tables"] if t["slug"] == "jeunes")
    assert {"public": "Quartier prioritaire (QPV)", "group": "oui", "values": ["s"]} in young["rows"]
    assert body["start"] == "2026-01-01" and "Secret statistique" in body["suppression_rule"]


def test_alice_downloads_the_workbook_and_a_csv(alice, world):
    client = token_client(alice, world["a"])

    book = load_workbook(io.BytesIO(client.get(base(world["a"].slug) + "workbook/" + QUERY).content))
    csv = b"".join(client.get(base(world["a"].slug) + "tables/rencontres/csv/" + QUERY).streaming_content).decode()

    assert "Rencontres" in book.sheetnames
    assert "Ensemble;tous;7;18;0,8" in csv


@pytest.mark.parametrize("suffix", ["", "workbook/", "tables/jeunes/csv/"])
def test_bob_and_charlie_get_404(bob, charlie, world, suffix):
    for client in (token_client(bob, world["b"]), session_client(charlie.membership.user)):
        assert client.get(base(world["a"].slug) + suffix).status_code == 404


@pytest.mark.parametrize("suffix", ["", "workbook/", "tables/jeunes/csv/"])
def test_only_the_operator_reads_the_report_over_all_associations(alice, operator, world, suffix):
    assert session_client(alice).get("/api/v1/funder-report/" + suffix).status_code == 404

    response = session_client(operator).get("/api/v1/funder-report/" + suffix + QUERY)

    assert response.status_code == 200


def test_the_operators_tables_count_every_association(operator, world):
    body = session_client(operator).get("/api/v1/funder-report/" + QUERY).json()

    assert next(t for t in body["tables"] if t["slug"] == "jeunes")["rows"][0]["values"] == [8]


def test_an_unknown_table_and_a_bad_period_are_refused(alice, world):
    client = token_client(alice, world["a"])

    assert client.get(base(world["a"].slug) + "tables/inconnu/csv/").status_code == 404
    assert client.get(base(world["a"].slug) + "?start=2026-06-01&end=2026-01-01").status_code == 400
