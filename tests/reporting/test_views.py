"""The report's pages and files: who may download what, and what the files hold."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from dashboards.models import ExportLog
from tests.reporting.conftest import PERIOD

pytestmark = pytest.mark.django_db

QUERY = f"?start={PERIOD[0]}&end={PERIOD[1]}"


def page(slug):
    return f"/coordination/{slug}/rapport-financeurs/"


def xlsx(response):
    return load_workbook(io.BytesIO(response.content))


def test_alice_downloads_her_associations_workbook(client, alice, world):
    client.force_login(alice)

    response = client.get(page(world["a"].slug) + "rapport.xlsx" + QUERY)

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = xlsx(response)
    assert book.sheetnames[:3] == ["Présentation", "Jeunes accompagné·es", "Binômes"]
    cover = {row[0]: row[1] for row in book["Présentation"].iter_rows(values_only=True) if row and row[0]}
    assert cover["Association"] == "Proxi Bobigny"
    assert cover["Programme"] == "Tous les programmes"
    assert isinstance(cover["Début de la période"], datetime)  # a date cell, not text
    assert cover["Début de la période"].date() == date(2026, 1, 1)
    assert isinstance(cover["Généré le"], datetime)
    assert any("Secret statistique" in str(k) for k in cover)
    sheet = book["Durée des binômes"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2] == ("Public", "Catégorie", "Binômes finis dans la période", "Durée médiane (jours)")
    assert rows[3] == ("Ensemble", "tous", 5, 137)  # numbers as numbers
    assert ExportLog.objects.filter(user=alice, kind="funder_xlsx").count() == 1


def test_ratios_are_numbers_formatted_as_percentages(client, alice, world):
    client.force_login(alice)

    sheet = xlsx(client.get(page(world["a"].slug) + "rapport.xlsx" + QUERY))["Arrêts avant six mois"]

    cell = sheet.cell(row=4, column=5)
    assert (cell.value, cell.number_format) == (0.8, "0.0%")
    assert sheet.column_dimensions["A"].width == 30


def test_each_table_as_a_csv_for_excel_in_french(client, alice, world):
    client.force_login(alice)

    response = client.get(page(world["a"].slug) + "arrets.csv" + QUERY)

    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffPublic;Catégorie;Binômes finis dans la période;Finis avant six mois;Part finie avant six mois (%)")
    assert "\r\nEnsemble;tous;5;4;80,0;" in text  # decimal comma
    assert "Aide sociale à l'enfance (ASE);oui;" in text


def test_an_unknown_table_is_a_404(client, alice, world):
    client.force_login(alice)

    assert client.get(page(world["a"].slug) + "inconnu.csv").status_code == 404


def test_the_page_offers_the_files(client, alice, world):
    client.force_login(alice)

    response = client.get(page(world["a"].slug) + QUERY)

    assert response.status_code == 200
    assert "rapport.xlsx?start=2026-01-01" in response.content.decode()
    assert response.content.decode().count(".csv?start=") == 8


@pytest.mark.parametrize("suffix", ["", "rapport.xlsx", "jeunes.csv"])
def test_bob_and_charlie_get_404(client, bob, charlie, world, suffix):
    for user in (bob, charlie.membership.user):
        client.force_login(user)
        assert client.get(page(world["a"].slug) + suffix).status_code == 404


@pytest.mark.parametrize("suffix", ["", "rapport.xlsx", "jeunes.csv"])
def test_only_the_operator_gets_the_report_over_all_associations(client, alice, operator, world, suffix):
    client.force_login(alice)
    assert client.get("/operateur/rapport-financeurs/" + suffix).status_code == 404

    client.force_login(operator)
    assert client.get("/operateur/rapport-financeurs/" + suffix + QUERY).status_code == 200


def test_the_operators_workbook_counts_every_association(client, operator, world):
    client.force_login(operator)

    book = xlsx(client.get("/operateur/rapport-financeurs/rapport.xlsx" + QUERY))

    cover = {row[0]: row[1] for row in book["Présentation"].iter_rows(values_only=True) if row and row[0]}
    assert cover["Association"] == "Toutes les associations"
    assert list(book["Jeunes accompagné·es"].iter_rows(values_only=True))[3] == ("Ensemble", "tous", 8)


def test_a_period_ending_before_it_starts_shows_the_error_and_the_default_period(client, alice, world):
    client.force_login(alice)

    response = client.get(page(world["a"].slug) + "?start=2026-06-01&end=2026-01-01")

    assert "La fin de la période doit venir après son début." in response.content.decode()
    assert response.context["scope"].end == date(2026, 7, 15)
