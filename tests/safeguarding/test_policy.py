"""The policy's answers, one rule at a time (each path that asks is tested where it asks)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from participants.models import Consent
from safeguarding import policy
from tests import factories

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def vetted_mentor(association, **kwargs):
    kwargs.setdefault("vetting_verified_on", today() - timedelta(days=30))
    kwargs.setdefault("vetting_expires_on", today() + timedelta(days=300))
    return factories.mentor(association=association, status="validated", **kwargs)


def test_a_valid_pair_is_allowed(association):
    mentee = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(13))

    assert policy.pairing_refusal(mentee=mentee, mentor=vetted_mentor(association), on=today()) is None


def test_the_mentor_must_be_older(association):
    mentee = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(20))
    mentor = factories.mentor(association=association, status="validated", birth_date=factories.years_ago(19))

    assert "plus âgé" in policy.pairing_refusal(mentee=mentee, mentor=mentor, on=today())


def test_both_must_be_validated(association):
    mentee = factories.mentee(association=association, birth_date=factories.years_ago(16))  # pending

    assert "n'est pas validée" in policy.pairing_refusal(mentee=mentee, mentor=vetted_mentor(association), on=today())


def test_a_minor_needs_a_mentor_vetted_on_that_very_day(association):
    mentee = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(17))
    mentor = vetted_mentor(association, vetting_expires_on=today())

    assert policy.pairing_refusal(mentee=mentee, mentor=mentor, on=today()) is None
    assert "a expiré" in policy.pairing_refusal(mentee=mentee, mentor=mentor, on=today() + timedelta(days=1))
    unvetted = factories.mentor(association=association, status="validated")
    assert "n'a pas été vérifiée" in policy.pairing_refusal(mentee=mentee, mentor=unvetted, on=today())


def test_an_adult_mentee_turns_18_and_needs_no_vetting_from_that_day(association):
    eighteenth = date(2027, 6, 15)
    mentee = factories.mentee(association=association, status="validated", birth_date=date(2009, 6, 15))
    mentor = factories.mentor(association=association, status="validated", birth_date=date(2003, 1, 1))

    assert policy.pairing_refusal(mentee=mentee, mentor=mentor, on=eighteenth - timedelta(days=1))
    assert policy.pairing_refusal(mentee=mentee, mentor=mentor, on=eighteenth) is None


@pytest.mark.parametrize(("state", "reason"), [
    ("none", "aucun accord parental"),
    ("pending", "en attente de confirmation"),
    ("refused", "a refusé"),
    ("withdrawn", "a retiré"),
    ("confirmed", None),
])
def test_under_15_each_consent_state(association, state, reason):
    child = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(13), parental_consent=False)
    now = timezone.now()
    if state != "none":
        Consent.objects.create(
            participant=child, user=child.membership.user, kind="parent", notice_version="2026-11",
            given_by_email="parent@example.org", token=f"t-{state}",
            confirmed_at=now if state in ("confirmed", "withdrawn") else None,
            refused_at=now if state == "refused" else None, withdrawn_at=now if state == "withdrawn" else None)

    refusal = policy.participant_pairable(participant=child, on=today())

    assert (refusal is None) if reason is None else (reason in refusal)


def test_the_latest_parental_request_is_the_one_that_counts(association):
    child = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(13))  # confirmed
    Consent.objects.create(participant=child, user=child.membership.user, kind="parent", notice_version="2026-11",
                           given_by_email="parent@example.org", token="new-request",
                           accepted_at=timezone.now() + timedelta(seconds=1))

    assert "en attente" in policy.participant_pairable(participant=child, on=today())


def test_at_15_the_parents_answer_no_longer_matters(association):
    teen = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(15, days=0),
                            parental_consent=False)

    assert policy.participant_pairable(participant=teen, on=today()) is None
