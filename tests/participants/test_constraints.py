"""Invariants the database itself enforces."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from associations.models import Membership
from participants.models import Participant, age_on
from tests import factories

pytestmark = pytest.mark.django_db(transaction=False)


def violates(**changes) -> bool:
    participant = changes.pop("participant")
    for name, value in changes.items():
        setattr(participant, name, value)
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        return True
    return False


def test_capacity_is_for_mentors_only_and_between_1_and_3(association):
    mentee = factories.mentee(association=association)
    mentor = factories.mentor(association=association)

    assert violates(participant=mentee, capacity=1)
    assert violates(participant=mentor, capacity=4)
    assert violates(participant=mentor, capacity=None)
    assert not violates(participant=mentor, capacity=3)


def test_vetting_needs_ordered_dates_and_a_mentor(association):
    mentee = factories.mentee(association=association)
    mentor = factories.mentor(association=association)

    def fresh():
        return Participant.objects.get(pk=mentor.pk)

    ok = {"vetting_issued_on": date(2025, 12, 1), "vetting_verified_on": date(2026, 1, 1), "vetting_expires_on": date(2027, 1, 1)}
    assert violates(participant=mentee, **ok)
    assert violates(participant=fresh(), **{**ok, "vetting_expires_on": date(2025, 1, 1)})
    assert violates(participant=fresh(), **{**ok, "vetting_expires_on": None})
    assert violates(participant=fresh(), **{**ok, "vetting_issued_on": None})
    assert violates(participant=fresh(), **{**ok, "vetting_issued_on": date(2026, 2, 1)})  # issued after it was checked
    assert not violates(participant=fresh(), **ok)


def test_the_database_refuses_absurd_vetting_dates(association):
    """The outer bounds no code path can pass: 0001-01-01 and 9999-12-31 ("valid forever")."""
    mentor = factories.mentor(association=association)

    assert violates(participant=Participant.objects.get(pk=mentor.pk), vetting_issued_on=date(1, 1, 1),
                    vetting_verified_on=date(2026, 1, 1), vetting_expires_on=date(2027, 1, 1))
    assert violates(participant=Participant.objects.get(pk=mentor.pk), vetting_issued_on=date(2025, 12, 1),
                    vetting_verified_on=date(2026, 1, 1), vetting_expires_on=date(9999, 12, 31))


def test_validated_needs_a_date_and_declined_needs_a_reason(association):
    participant = factories.mentee(association=association)

    assert violates(participant=participant, status="validated", validated_at=None)
    assert violates(participant=Participant.objects.get(pk=participant.pk), status="declined", decline_reason="")


def test_one_profile_per_membership(association):
    participant = factories.mentee(association=association)

    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(
            membership=participant.membership, association=association, programme=participant.programme, role="mentee",
            birth_date=date(2010, 1, 1), commune=factories.commune(), education="college", field="sciences",
        )


def test_cascade_same_person_mentee_then_mentor(association):
    participant = factories.mentee(association=association, birth_date=factories.years_ago(19))
    user = participant.membership.user

    mentor_membership = Membership.objects.create(user=user, association=association, role="mentor")

    assert user.memberships.count() == 2
    assert mentor_membership.role == "mentor"


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [(date(2010, 6, 15), date(2026, 6, 14), 15), (date(2010, 6, 15), date(2026, 6, 15), 16), (date(2008, 2, 29), date(2026, 2, 28), 17), (date(2008, 2, 29), date(2026, 3, 1), 18)],
)
def test_age_is_derived_from_birth_date(birth, day, age):
    assert age_on(birth, day) == age
