"""Migrations participants 0006-0008 bring the existing data into programmes: every association
gets one default programme made from its own settings, every participant joins it, nothing is
lost."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("participants", "0005_list_order_keys")]


def test_existing_associations_and_participants_move_into_a_default_programme():
    from tests import factories

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Association, Membership, Participant = (
        old.get_model(app, name) for app, name in (("associations", "Association"), ("associations", "Membership"), ("participants", "Participant"))
    )
    with connection.cursor() as cursor:  # as before programmes existed (the factories' default programmes)
        cursor.execute("DELETE FROM programmes_cohort")
        cursor.execute("DELETE FROM programmes_programme")

    def old_association(n: int, **settings) -> int:  # noqa: ANN003
        return Association.objects.create(
            name=f"Asso {n}", slug=f"asso-{n}", rna_number=f"W9300000{n:02d}", address_commune_id="93008",
            contact_name="Samia", contact_email=f"c{n}@example.org", description="…", status="active", **settings).pk

    def old_participant(association_id: int, role: str, **fields) -> int:  # noqa: ANN003
        membership = Membership.objects.create(user_id=factories.UserFactory().pk, association_id=association_id, role=role)
        return Participant.objects.create(
            membership_id=membership.pk, association_id=association_id, role=role, birth_date=date(2003, 1, 1),
            commune_id="93008", education="bac_3", field="sciences", capacity=1 if role == "mentor" else None, **fields).pk

    nine_months = old_association(1, programme_duration_months=9, mentee_min_age=15, mentee_max_age=19, mentor_min_age=18, mentor_max_age=30)
    defaults = old_association(2)
    empty = old_association(3)
    people = {
        old_participant(nine_months, "mentee", status="validated", validated_at="2026-09-01T10:00:00Z", goals_text="Sciences Po"),
        old_participant(nine_months, "mentor", status="pending"),
        old_participant(defaults, "mentee", status="declined", decline_reason="Injoignable"),
        old_participant(defaults, "mentor", status="withdrawn"),
    }
    before = {row["id"]: row for row in Participant.objects.values()}

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from participants.models import Participant as CurrentParticipant
    from programmes.models import Programme as CurrentProgramme

    programmes = {p.association_id: p for p in CurrentProgramme.objects.all()}
    assert set(programmes) == {nine_months, defaults, empty}  # one each, the empty one included
    assert all(p.is_default and p.slug == "principal" for p in programmes.values())
    settings_of = {pk: (p.duration_months, p.mentee_min_age, p.mentee_max_age, p.mentor_min_age, p.mentor_max_age) for pk, p in programmes.items()}
    assert settings_of[nine_months] == (9, 15, 19, 18, 30)
    assert settings_of[defaults] == (6, 11, 30, 15, 40)

    after = {row["id"]: row for row in CurrentParticipant.objects.values()}
    assert set(after) == people
    for pk, row in after.items():
        assert row["programme_id"] == programmes[row["association_id"]].pk
        assert row["cohort_id"] is None
        kept = {name: value for name, value in row.items() if name in before[pk] and name not in ("updated_at",)}
        assert kept == {name: before[pk][name] for name in kept}  # every column kept as it was
