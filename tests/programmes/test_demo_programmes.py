"""The demo (issue 12): two programmes with different matching settings, and simulated binômes
that never pair across programmes (each programme is matched on its own, with its own settings)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import F

from associations.models import Association
from binomes.models import Binome
from matching.models import MatchRun
from matching.selectors import settings_for

pytestmark = pytest.mark.django_db


def test_the_demo_pairs_within_each_programme_with_its_own_settings():
    call_command("demo_data", mentees=60, mentors=40, seed=12, slug="demo-programmes", verbosity=0)
    association = Association.objects.get(slug="demo-programmes")
    lycee, etudiants = association.programmes.order_by("-is_default", "pk")

    binomes = Binome.objects.filter(association=association)

    assert binomes.exists()
    assert not binomes.exclude(mentor__programme=F("mentee__programme")).exists()
    assert set(binomes.values_list("mentee__programme", flat=True)) == {lycee.pk, etudiants.pk}
    assert (settings_for(lycee).max_distance_km, settings_for(etudiants).max_distance_km) == (15, 30)
    assert settings_for(lycee).priority_strength != settings_for(etudiants).priority_strength
    assert set(MatchRun.objects.filter(association=association).values_list("programme", flat=True)) == {lycee.pk, etudiants.pk}
