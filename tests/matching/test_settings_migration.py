"""Migrations matching 0007-0009: an association's matching settings become its programmes' (issue 12).
Forward, every programme of the association gets a copy of its row (the default programme keeps
the row itself), nothing lost; back, each association keeps its default programme's row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("matching", "0006_allow_shorter_pairs")]
AFTER = [("matching", "0009_settings_programme_required")]
FIELDS = ("weight_goals", "max_distance_km", "priority_strength", "periodic_runs", "allow_shorter_pairs")


def _migrate(targets: list) -> object:  # noqa: ANN401
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_every_programme_gets_its_associations_settings_and_back():
    from tests import factories

    old = _migrate(BEFORE)
    MatchingSettings, Programme = old.get_model("matching", "MatchingSettings"), old.get_model("programmes", "Programme")
    two = factories.AssociationFactory(slug="deux-programmes")  # created with its default programme
    Programme.objects.create(association_id=two.pk, name="Lycéens", slug="lyceens")
    Programme.objects.create(association_id=two.pk, name="Étudiants", slug="etudiants")
    one = factories.AssociationFactory(slug="un-programme")
    untouched = factories.AssociationFactory(slug="sans-reglages")  # never edited its settings: no row
    MatchingSettings.objects.create(association_id=two.pk, weight_goals=0.4, max_distance_km=12, priority_strength="strong",
                                    periodic_runs=True, allow_shorter_pairs=True)
    MatchingSettings.objects.create(association_id=one.pk, max_distance_km=45)

    new = _migrate(AFTER)

    NewSettings, NewProgramme = new.get_model("matching", "MatchingSettings"), new.get_model("programmes", "Programme")
    rows = {row.programme_id: row for row in NewSettings.objects.all()}
    for programme in NewProgramme.objects.filter(association_id=two.pk):
        row = rows[programme.pk]
        assert row.association_id == two.pk
        assert tuple(getattr(row, f) for f in FIELDS) == (0.4, 12, "strong", True, True), programme.name
    (one_programme,) = NewProgramme.objects.filter(association_id=one.pk)
    assert rows[one_programme.pk].max_distance_km == 45
    assert not NewSettings.objects.filter(association_id=untouched.pk).exists()
    assert len(rows) == 3 + 1

    back = _migrate(BEFORE)

    OldSettings = back.get_model("matching", "MatchingSettings")
    assert sorted(OldSettings.objects.values_list("association_id", "max_distance_km")) == sorted([(two.pk, 12), (one.pk, 45)])
    _migrate(AFTER)  # and forward again: the test database ends as the others expect
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
