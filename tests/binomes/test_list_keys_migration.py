"""Migration binomes 0004 fills the list keys of the binômes that exist before it: open reports,
held messages still to review, and health from the activity."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("binomes", "0003_message_released_is_not_held"), ("safeguarding", "0002_reviews_of_held_messages")]


def test_existing_binomes_get_their_list_keys():
    from tests import factories
    from tests.matching.conftest import vetted

    association = factories.AssociationFactory()
    people = [(vetted(association=association), factories.mentee(association=association, status="validated")) for _ in range(3)]
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Binome, Message, Report = (old.get_model("binomes", name) for name in ("Binome", "Message", "Report"))
    TextReview = old.get_model("safeguarding", "TextReview")

    def old_binome(mentor, mentee, **fields):  # noqa: ANN001, ANN003, ANN202
        return Binome.objects.create(association_id=association.pk, mentor_id=mentor.pk, mentee_id=mentee.pk,
                                     started_on=date(2026, 1, 5), planned_end_on=date(2027, 7, 5), **fields)

    reported = old_binome(*people[0])
    Report.objects.create(binome=reported, reporter_id=people[0][1].membership.user_id, reason="Plus de nouvelles")
    held = old_binome(*people[1])
    message = Message.objects.create(binome=held, association_id=association.pk, sender_id=people[1][1].membership.user_id,
                                     body="06 12 34 56 78", flagged=True, flag_kinds=["phone"], held=True)
    TextReview.objects.create(association_id=association.pk, author_id=people[1][1].membership.user_id, kind="message",
                              message=message, text=message.body, flag_kinds=["phone"], reasons=["un numéro"], held=True)
    silent = old_binome(*people[2], last_activity_at=timezone.now() - timedelta(days=60))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from binomes.models import Binome as Current

    keys = dict((pk, rest) for pk, *rest in Current.objects.values_list("pk", "health", "open_report_count", "held_message_count", "list_rank"))
    assert keys[reported.pk] == ["on_track", 1, 0, 0]
    assert keys[held.pk] == ["on_track", 0, 1, 1]
    assert keys[silent.pk] == ["at_risk", 0, 0, 2]
