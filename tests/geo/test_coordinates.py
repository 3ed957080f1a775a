"""Every reference commune has a position: nobody is unmatchable for lack of data."""

from __future__ import annotations

import math

import pytest

from geo.coordinates import Place, estimate_missing
from geo.models import Commune

pytestmark = pytest.mark.django_db


def km(a: Commune, b: Commune) -> float:
    dlat, dlon = math.radians(b.latitude - a.latitude), math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(math.radians(a.latitude)) * math.cos(math.radians(b.latitude)) * math.sin(dlon / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def test_no_reference_commune_is_left_without_a_position():
    assert not Commune.objects.filter(latitude__isnull=True).exists()
    assert Commune.objects.filter(coordinates_estimated=True).count() == 59


def test_marseille_arrondissements_are_placed_among_their_neighbours():
    third, second, fifteenth = (Commune.objects.get(pk=code) for code in ("13203", "13202", "13215"))

    assert third.coordinates_estimated and not second.coordinates_estimated
    assert km(third, second) < 3
    assert km(Commune.objects.get(pk="13216"), fifteenth) < 5


def test_paris_itself_sits_among_its_arrondissements():
    paris, louvre = Commune.objects.get(pk="75056"), Commune.objects.get(pk="75101")

    assert km(paris, louvre) < 3


def test_a_neighbour_with_a_wrong_position_does_not_drag_the_estimate():
    places = [
        Place("1", "A", "COM", "55", ["55100"], None, None, 0),
        Place("2", "B", "COM", "55", ["55100"], 49.13, 5.40, 500),
        Place("3", "C", "COM", "55", ["55100"], 49.21, 5.37, 600),
        Place("4", "D", "COM", "55", ["55100"], 49.20, 49.20, 100),  # latitude repeated as longitude
    ]

    lat, lon, method = estimate_missing(places)["1"]

    assert method == "postal_code"
    assert 5.3 < lon < 5.5 and 49.1 < lat < 49.3


def test_reloading_the_reference_data_fills_the_positions_again():
    from geo.models import Departement
    from geo.reference import load_reference_data

    Commune.objects.all().delete()
    Departement.objects.all().delete()

    load_reference_data(Departement, Commune)

    assert not Commune.objects.filter(latitude__isnull=True).exists()
