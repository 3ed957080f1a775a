"""Migration 0004 keeps the vettings recorded before it: dates kept, the issue date filled from the
check date, a "valid forever" renewal brought back to three years, an impossible check cleared."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("participants", "0003_parental_consent_confirmation")]
AFTER = [("participants", "0004_vetting_lifecycle_and_consent_withdrawal")]


def test_existing_vettings_survive_the_migration():
    from tests import factories

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Participant = old.get_model("participants", "Participant")
    association = factories.AssociationFactory()

    def old_mentor() -> int:
        from associations.models import Membership

        membership = Membership.objects.create(user=factories.UserFactory(), association=association, role="mentor")
        return Participant.objects.create(
            membership_id=membership.pk, association_id=association.pk, role="mentor", birth_date=date(2003, 1, 1),
            commune_id="93008", education="bac_3", field="sciences", capacity=1).pk

    kept, forever, absurd = old_mentor(), old_mentor(), old_mentor()
    Participant.objects.filter(pk=kept).update(vetting_verified_on=date(2026, 3, 1), vetting_expires_on=date(2028, 3, 1))
    Participant.objects.filter(pk=forever).update(vetting_verified_on=date(2026, 3, 1), vetting_expires_on=date(9999, 12, 31))
    Participant.objects.filter(pk=absurd).update(vetting_verified_on=date(1, 1, 1), vetting_expires_on=date(9999, 12, 31))

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from participants.models import Participant as Current

    rows = {p.pk: (p.vetting_issued_on, p.vetting_verified_on, p.vetting_expires_on) for p in Current.objects.all()}
    assert rows[kept] == (date(2026, 3, 1), date(2026, 3, 1), date(2028, 3, 1))
    assert rows[forever] == (date(2026, 3, 1), date(2026, 3, 1), date(2029, 3, 1))
    assert rows[absurd] == (None, None, None)
