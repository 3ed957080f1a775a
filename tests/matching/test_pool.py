"""The bridge from the database to the engine: what the engine sees must be what people said."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from matching.engine import GOALS, match_pool
from matching.pool import pool_for_association
from participants import choices
from tests import factories

pytestmark = pytest.mark.django_db


def test_bit_orders_agree_with_the_engine():
    assert tuple(choices.GOAL_ORDER) == GOALS


def test_pool_holds_validated_people_of_this_association_only(association, other_association, django_assert_num_queries):
    kept = factories.mentee(association=association, status="validated")
    factories.mentee(association=association)  # pending
    factories.mentee(association=other_association, status="validated")
    mentor = factories.mentor(association=association, status="validated", capacity=2)

    # open binômes, completed binômes, participants joined with their commune, their parental
    # consents (one prefetch, for the safeguarding policy), the shorter-pairs setting, the days the
    # mentees spent in binômes ended early, rejected proposals, binômes ended early
    with django_assert_num_queries(8):
        snapshot = pool_for_association(association=association)

    assert snapshot.mentee_ids == [kept.pk]
    assert snapshot.mentor_ids == [mentor.pk]
    assert snapshot.mentors.capacity.tolist() == [2]


def test_profile_answers_become_engine_columns(association):
    now = timezone.now()
    mentee = factories.mentee(
        association=association, status="validated", validated_at=now - timedelta(days=40),
        birth_date=date(now.year - 14, 1, 1), qpv_resident=True, goals=["orientation", "confiance"],
        availability=["weekday_evening", "saturday"], languages=["fr", "ar"], meeting_format="in_person",
        gender="female", prefers_same_gender=True, goals_text="Je veux faire médecine",
        parent_name="Parent", parent_email="parent@example.org",
    )

    snapshot = pool_for_association(association=association, now=now)
    pool = snapshot.mentees

    assert snapshot.mentee_ids == [mentee.pk]
    assert pool.goals[0] == 0b1001  # orientation (bit 0) + confiance (bit 3)
    assert pool.availability[0] == 0b1010  # weekday_evening (1) + saturday (3)
    assert pool.languages[0] == 0b101  # fr (0) + ar (2)
    assert (pool.meeting_format[0], pool.gender[0], bool(pool.prefers_same_gender[0])) == (0, 1, True)
    assert bool(pool.is_minor[0]) and bool(pool.qpv[0])
    assert pool.waiting_days[0] == pytest.approx(40, abs=0.01)
    assert pool.priority_background[0] == pytest.approx(0.5)
    assert pool.lat[0] == pytest.approx(48.9, abs=0.1)  # Bobigny
    assert pool.texts == ["Je veux faire médecine"]


def test_a_minor_is_never_paired_with_an_unvetted_mentor(association):
    today = timezone.localdate()
    minor = factories.mentee(association=association, status="validated", birth_date=factories.years_ago(14))
    # The unvetted mentor is the closer match (ideal 5-year gap): only the constraint keeps them apart.
    unvetted = factories.mentor(association=association, status="validated", birth_date=factories.years_ago(19))
    vetted = factories.mentor(association=association, status="validated", birth_date=factories.years_ago(25),
                              vetting_verified_on=today - timedelta(days=10), vetting_expires_on=today + timedelta(days=700))

    snapshot = pool_for_association(association=association)
    result = match_pool(snapshot.mentees, snapshot.mentors)

    pairs = {(snapshot.mentee_ids[i], snapshot.mentor_ids[j]) for i, j in result.pairs}
    assert pairs == {(minor.pk, vetted.pk)}
    assert unvetted.pk not in {m for _, m in pairs}


def test_demo_pool_matches_with_a_stated_optimality_gap(association):
    from django.core.management import call_command

    call_command("demo_data", mentees=120, mentors=70, slug="demo-pool", verbosity=0)
    from associations.models import Association

    snapshot = pool_for_association(association=Association.objects.get(slug="demo-pool"))
    result = match_pool(snapshot.mentees, snapshot.mentors)

    assert len(result.pairs) > 0
    assert len({i for i, _ in result.pairs}) == len(result.pairs)  # each mentee at most once
    assert result.report.upper_bound >= result.report.objective


def test_the_pool_says_who_shares_a_departement_or_a_region(association):
    """The engine's floors for remote pairs (same département, same région) need both columns."""
    bobigny = factories.mentee(association=association, status="validated", commune=factories.commune("93008"))
    montreuil = factories.mentor(association=association, status="validated", commune=factories.commune("93048"))
    paris = factories.mentor(association=association, status="validated", commune=factories.commune("75056"))
    marseille = factories.mentor(association=association, status="validated", commune=factories.commune("13055"))

    snapshot = pool_for_association(association=association)

    dept = dict(zip(snapshot.mentor_ids, snapshot.mentors.departement.tolist(), strict=True))
    region = dict(zip(snapshot.mentor_ids, snapshot.mentors.region.tolist(), strict=True))
    (mentee_dept,), (mentee_region,) = snapshot.mentees.departement.tolist(), snapshot.mentees.region.tolist()
    assert snapshot.mentee_ids == [bobigny.pk]
    assert mentee_dept >= 0 and mentee_region >= 0
    assert dept[montreuil.pk] == mentee_dept and region[montreuil.pk] == mentee_region
    assert dept[paris.pk] != mentee_dept and region[paris.pk] == mentee_region  # Île-de-France
    assert dept[marseille.pk] != mentee_dept and region[marseille.pk] != mentee_region
