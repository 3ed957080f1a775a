"""The programme migrations on a copy of the demo data: the demo association (participants,
binômes, messages, runs, proposals…) taken back to before programmes, then forward again: every
row of every table is kept, and every participant and run is in the association's default
programme."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("participants", "0005_list_order_keys"), ("matching", "0003_run_report_unmatched_equity_proximity")]


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for model in apps.get_models():
            table = model._meta.db_table
            if model._meta.app_label == "programmes" or not model._meta.managed:
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from the models
            counts[table] = cursor.fetchone()[0]
        return counts


def test_the_demo_data_survives_the_programme_migrations():
    call_command("demo_data", mentees=40, mentors=25, seed=12, verbosity=0)
    from participants.models import Participant

    columns = [f.attname for f in Participant._meta.concrete_fields if f.attname not in ("programme_id", "cohort_id", "updated_at")]
    before_rows = {row[0]: row for row in Participant.objects.order_by("pk").values_list(*columns)}
    before_counts = _counts()
    assert before_counts["binomes_binome"] > 0 and before_counts["matching_proposal"] > 0

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    with connection.cursor() as cursor:  # as before programmes existed
        for table in ("programmes_programmecoordinator", "programmes_cohort", "programmes_programme"):
            cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from matching.models import MatchRun
    from programmes.models import Programme

    # every row of every table kept, but the settings: per programme since issue 12 (the demo's two
    # programmes have a row each), and before programmes one per association: the way back keeps
    # the default programme's (tests/matching/test_settings_migration.py)
    after_counts = _counts()
    assert after_counts.pop("matching_matchingsettings") == 1 and before_counts.pop("matching_matchingsettings") == 2
    assert after_counts == before_counts
    after_rows = {row[0]: row for row in Participant.objects.order_by("pk").values_list(*columns)}
    assert after_rows == before_rows
    default = Programme.objects.get()
    assert default.is_default
    assert set(Participant.objects.values_list("programme_id", flat=True)) == {default.pk}
    assert set(MatchRun.objects.values_list("programme_id", flat=True)) == {default.pk}
