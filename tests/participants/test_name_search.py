"""The coordinators' name search: the right people, and a query PostgreSQL can answer from the
trigram indexes (accounts/migrations/0004) instead of reading every user of the association."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.models import User
from accounts.selectors import user_name_matches
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_search_finds_people_by_part_of_their_name_or_email(client, association, alice):
    wanted = factories.mentee(association=association, user=factories.UserFactory(first_name="Inès", last_name="Bensalah"))
    factories.mentee(association=association, user=factories.UserFactory(first_name="Paul", last_name="Martin"))
    client.force_login(alice)

    found = list(client.get(f"/coordination/{association.slug}/participants/", {"q": "bensal"}).context["page"])

    assert [p.pk for p in found] == [wanted.pk]


def test_the_name_search_can_be_answered_from_the_trigram_indexes():
    factories.UserFactory(last_name="Goncalves")
    sql, params = User.objects.filter(user_name_matches("goncal")).query.sql_with_params()

    with connection.cursor() as cursor:
        # A handful of test rows: without this the planner reads the table whatever indexes exist.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    # The ORM's icontains is UPPER(col::text) LIKE UPPER(%s): the indexes are on those expressions,
    # and the three conditions are answered together (BitmapOr), no row of another name read.
    assert "BitmapOr" in plan
    assert all(f"accounts_user_{column}_trgm" in plan for column in ("first_name", "last_name", "email"))
