"""The report for one programme, or for every programme the coordinator may see."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from binomes.models import Binome
from programmes.selectors import programme_default_for
from programmes.services import programme_create
from tests import factories
from tests.api.conftest import token_client
from tests.reporting.conftest import PERIOD

pytestmark = pytest.mark.django_db

QUERY = f"?start={PERIOD[0]}&end={PERIOD[1]}"


@pytest.fixture
def lyon(world, alice):
    """A second programme of association A, with one young person mentored in the period."""
    programme = programme_create(association=world["a"], by=alice, name="Étudiants boursiers — Lyon")
    mentee = factories.mentee(association=world["a"], programme=programme, status="validated")
    mentor = factories.mentor(association=world["a"], programme=programme, status="validated")
    Binome.objects.create(association=world["a"], mentor=mentor, mentee=mentee, started_on=date(2026, 3, 1), planned_end_on=date(2026, 9, 1))
    return programme


def young(client, slug, query):
    book = load_workbook(io.BytesIO(client.get(f"/coordination/{slug}/rapport-financeurs/rapport.xlsx{query}").content))
    cover = {row[0]: row[1] for row in book["Présentation"].iter_rows(values_only=True) if row and row[0]}
    return cover["Programme"], list(book["Jeunes accompagné·es"].iter_rows(values_only=True))[3][2]


def test_one_programme_or_all_of_them(client, alice, world, lyon):
    client.force_login(alice)
    default = programme_default_for(world["a"])

    assert young(client, world["a"].slug, QUERY) == ("Tous les programmes", 8)
    assert young(client, world["a"].slug, QUERY + f"&programme={lyon.slug}") == ("Étudiants boursiers — Lyon", 1)
    assert young(client, world["a"].slug, QUERY + f"&programme={default.slug}") == (default.name, 7)


def test_the_page_offers_the_programmes_the_coordinator_may_see(client, alice, bob, world, lyon):
    programme_create(association=world["b"], by=bob, name="Marseille Nord")
    client.force_login(alice)

    body = client.get(f"/coordination/{world['a'].slug}/rapport-financeurs/").content.decode()

    assert "Étudiants boursiers — Lyon" in body
    assert "Marseille Nord" not in body


def test_another_associations_programme_is_a_404_through_the_api(alice, bob, world, lyon):
    other = programme_create(association=world["b"], by=bob, name="Marseille Nord")
    client = token_client(alice, world["a"])
    base = f"/api/v1/associations/{world['a'].slug}/funder-report/"

    assert client.get(base + f"?programme={lyon.slug}").status_code == 200
    assert client.get(base + f"?programme={other.slug}").status_code == 404
    assert client.get(base + "?programme=inconnu").status_code == 404
