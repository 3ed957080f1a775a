"""Programmes: every association has one default; coordinators see their association's
programmes only; the services keep the settings within the database's bounds."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from programmes.models import Cohort, Programme
from programmes.selectors import (
    programme_default_for,
    programme_get_for_coordinator,
    programmes_for_coordinator,
)
from programmes.services import cohort_create, programme_create, programme_update
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_association_is_created_with_its_default_programme(association):
    programme = programme_default_for(association)

    assert programme.is_default and programme.association == association
    assert (programme.duration_months, programme.mentee_min_age, programme.mentor_max_age) == (6, 11, 40)


def test_a_participant_joins_the_default_programme_when_none_is_given(association):
    participant = factories.mentee(association=association)

    assert participant.programme == programme_default_for(association)


def test_at_most_one_default_programme_per_association(association):
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(association=association, name="Autre", slug="autre", is_default=True)


def test_coordinator_sees_own_programmes_and_404_elsewhere(association, alice, bob, charlie):
    lycee = programme_create(association=association, by=alice, name="Lycéens de Seine-Saint-Denis 2026-2027",
                             duration_months=9, mentee_min_age=15, mentee_max_age=19)

    assert set(programmes_for_coordinator(user=alice, association=association)) == {programme_default_for(association), lycee}
    assert lycee.slug == "lyceens-de-seine-saint-denis-2026-2027"
    assert programme_get_for_coordinator(user=alice, association=association, slug=lycee.slug) == lycee
    assert not programmes_for_coordinator(user=bob, association=association).exists()
    for outsider in (bob, charlie.membership.user):
        with pytest.raises(Http404):
            programme_get_for_coordinator(user=outsider, association=association, slug=lycee.slug)


def test_only_a_coordinator_creates_or_changes_a_programme(association, bob):
    with pytest.raises(PermissionDenied):
        programme_create(association=association, by=bob, name="Intrus")
    with pytest.raises(PermissionDenied):
        programme_update(programme=programme_default_for(association), by=bob, duration_months=3)


def test_programme_settings_stay_within_bounds(association, alice):
    with pytest.raises(ValidationError):
        programme_create(association=association, by=alice, name="Trop jeunes", mentee_min_age=5)
    with pytest.raises(ValidationError):
        programme_create(association=association, by=alice, name="Dates à l'envers", intake="dates",
                         opens_on=date(2026, 9, 30), closes_on=date(2026, 9, 1))
    with pytest.raises(ValidationError):
        programme_create(association=association, by=alice, name="Programme principal")  # the default's name


def test_a_rolling_intake_forgets_its_dates(association, alice):
    programme = programme_create(association=association, by=alice, name="Étudiants boursiers — Lyon", intake="dates",
                                 opens_on=date(2026, 9, 1), closes_on=date(2026, 10, 15))

    programme = programme_update(programme=programme, by=alice, intake="rolling")

    assert (programme.opens_on, programme.closes_on) == (None, None)


def test_cohorts_are_unique_per_programme(association, alice):
    programme = programme_default_for(association)
    cohort_create(programme=programme, by=alice, name="Septembre 2026", starts_on=date(2026, 9, 1))

    with pytest.raises(ValidationError):
        cohort_create(programme=programme, by=alice, name="Septembre 2026", starts_on=date(2026, 9, 15))
    other = programme_create(association=association, by=alice, name="Lyon")
    assert cohort_create(programme=other, by=alice, name="Septembre 2026", starts_on=date(2026, 9, 1)).programme == other
    assert Cohort.objects.count() == 2
