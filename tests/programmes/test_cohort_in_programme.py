"""« A participant's cohort is one of their programme's », held by the database (a trigger on
PostgreSQL and SQLite: programmes/migrations/0003), not only by the sign-up service."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from participants.models import Participant
from programmes.selectors import programme_default_for
from programmes.services import cohort_create, programme_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(association, alice):  # noqa: ANN001
    main = programme_default_for(association)
    lyon = programme_create(association=association, by=alice, name="Lyon", duration_months=6)
    return main, lyon, cohort_create(programme=lyon, by=alice, name="Octobre 2026", starts_on=date(2026, 10, 1))


def test_a_participant_with_a_cohort_of_their_programme_is_written(association, two):
    _main, lyon, october = two

    mentee = factories.mentee(association=association, programme=lyon, cohort=october)

    assert Participant.objects.get(pk=mentee.pk).cohort == october


def test_a_cohort_of_another_programme_is_refused_on_insert_and_update(association, two):
    main, lyon, october = two
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.mentee(association=association, programme=main, cohort=october)
    mentee = factories.mentee(association=association, programme=lyon, cohort=october)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.filter(pk=mentee.pk).update(programme=main)  # moved, its cohort left behind
    Participant.objects.filter(pk=mentee.pk).update(programme=main, cohort=None)  # moved with its cohort cleared: fine
    assert Participant.objects.get(pk=mentee.pk).programme == main


def test_a_cohort_with_participants_keeps_its_programme(association, two):
    from programmes.models import Cohort

    main, lyon, october = two
    factories.mentee(association=association, programme=lyon, cohort=october)

    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.filter(pk=october.pk).update(programme=main)
    assert Cohort.objects.get(pk=october.pk).programme == lyon
