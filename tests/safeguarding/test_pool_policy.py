"""The pool asks the policy: an attestation that expired yesterday counts as none for a minor, and a
validated under-15 whose parent has not confirmed is not in the pool at all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from matching.engine import match_pool
from matching.pool import pool_for_association
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_minor_is_never_paired_with_a_mentor_whose_attestation_expired_yesterday(association):
    today = timezone.localdate()
    minor = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(14))
    # The expired mentor is the closer match (ideal 5-year gap): only the expiry keeps them apart.
    expired = factories.mentor(association=association, status="validated", birth_date=factories.years_ago(19),
                               vetting_verified_on=today - timedelta(days=700), vetting_expires_on=today - timedelta(days=1))
    valid = factories.mentor(association=association, status="validated", birth_date=factories.years_ago(25),
                             vetting_verified_on=today - timedelta(days=10), vetting_expires_on=today)

    snapshot = pool_for_association(association=association)
    result = match_pool(snapshot.mentees, snapshot.mentors)

    assert {(snapshot.mentee_ids[i], snapshot.mentor_ids[j]) for i, j in result.pairs} == {(minor.pk, valid.pk)}
    assert expired.pk in snapshot.mentor_ids  # still there for adults


def test_an_under_15_without_a_confirmed_parent_is_not_in_the_pool(association):
    waiting = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(13),
                               parental_consent="pending")
    confirmed = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(13))

    assert pool_for_association(association=association).mentee_ids == [confirmed.pk]
    assert waiting.pk not in pool_for_association(association=association).mentee_ids
