"""Issue 13, re-matching after an early end: the mentee back in the pool with the time waited
before, the ended pair never again, the mentor paused until a coordinator says so, and the
one-person run the coordinator turns into a proposal in one click."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from binomes import lifecycle
from binomes.models import Binome
from matching import rematch
from matching.models import Proposal
from matching.pool import pool_for_association
from participants.models import Participant
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(association, alice):
    """Inès waited 40 days, was paired with Yanis for 30 days, and the binôme ended early today."""
    today = timezone.localdate()
    ines = factories.mentee(association=association, status="validated", validated_at=timezone.now() - timedelta(days=70),
                            user=factories.UserFactory(first_name="Inès"))
    yanis = vetted(association=association, birth_date=factories.years_ago(21), user=factories.UserFactory(first_name="Yanis"))
    binome = Binome.objects.create(association=association, mentor=yanis, mentee=ines, started_on=today - timedelta(days=30),
                                   planned_end_on=today + timedelta(days=150))
    lifecycle.binome_end_early(binome=binome, by=alice, reason_code="mismatch")
    return ines, yanis


def test_the_mentee_is_back_in_the_pool_with_the_time_waited_before_the_binome(association, ended):
    ines, _ = ended

    snapshot = pool_for_association(association=association)

    assert snapshot.mentee_ids == [ines.pk]
    assert snapshot.mentees.waiting_days[0] == pytest.approx(40, abs=0.05)  # 70 days since validation, 30 paired


def test_the_mentor_who_ended_early_is_paused_until_a_coordinator_says_so(association, alice, ended):
    _, yanis = ended
    yanis.refresh_from_db()
    assert yanis.matching_paused_on == timezone.localdate()
    assert pool_for_association(association=association).mentor_ids == []

    rematch.mentor_matching_resume(mentor=yanis, by=alice)

    assert pool_for_association(association=association).mentor_ids == [yanis.pk]
    # ... and still never with Inès again
    assert pool_for_association(association=association).forbidden_pairs.tolist() == [[0, 0]]


def test_only_a_coordinator_of_the_association_resumes_a_mentor(bob, ended):
    with pytest.raises(PermissionDenied):
        rematch.mentor_matching_resume(mentor=ended[1], by=bob)
    assert Participant.objects.get(pk=ended[1].pk).matching_paused_on is not None


def test_the_one_person_run_offers_the_best_mentors_without_the_ended_pair_and_paused_ones(association, alice, ended):
    ines, yanis = ended
    zoe = vetted(association=association, birth_date=factories.years_ago(21), user=factories.UserFactory(first_name="Zoé"))
    full = vetted(association=association, birth_date=factories.years_ago(21))
    Binome.objects.create(association=association, mentor=full, mentee=factories.mentee(association=association, status="validated"),
                          planned_end_on=timezone.localdate() + timedelta(days=100))

    candidates, refusal = rematch.rematch_candidates(user=alice, mentee=ines)

    assert refusal is None
    assert [c.mentor.pk for c in candidates] == [zoe.pk]


def test_alice_proposes_a_mentor_in_one_click_and_approves_it_the_same_day(association, alice, ended):
    ines, _ = ended
    zoe = vetted(association=association, birth_date=factories.years_ago(21), user=factories.UserFactory(first_name="Zoé"))

    proposal = rematch.rematch_propose(mentee=ines, mentor=zoe, by=alice)

    assert (proposal.status, proposal.mentee_id, proposal.mentor_id, proposal.run.trigger) == ("proposed", ines.pk, zoe.pk, "single")
    assert 0 <= proposal.score <= 1 and proposal.breakdown["criteria"]
    from matching.services import proposal_approve

    binome = proposal_approve(proposal=proposal, by=alice)
    assert binome.mentor_id == zoe.pk and binome.status == "active"


def test_the_ended_pair_and_a_paused_mentor_cannot_be_proposed_by_hand(association, alice, ended):
    ines, yanis = ended
    with pytest.raises(ValidationError, match="fin anticipée"):
        rematch.rematch_propose(mentee=ines, mentor=yanis, by=alice)
    rematch.mentor_matching_resume(mentor=yanis, by=alice)
    with pytest.raises(ValidationError, match="Binôme impossible"):
        rematch.rematch_propose(mentee=ines, mentor=yanis, by=alice)
    assert not Proposal.objects.exists()


def test_a_second_click_does_not_write_a_second_proposal(association, alice, ended):
    ines, _ = ended
    zoe = vetted(association=association, birth_date=factories.years_ago(21))
    rematch.rematch_propose(mentee=ines, mentor=zoe, by=alice)
    with pytest.raises(ValidationError, match="proposition en attente"):
        rematch.rematch_propose(mentee=ines, mentor=zoe, by=alice)
    assert Proposal.objects.filter(mentee=ines).count() == 1


def test_another_associations_coordinator_cannot_propose(bob, ended):
    ines, _ = ended
    zoe = vetted(association=ines.association, birth_date=factories.years_ago(21))
    with pytest.raises(PermissionDenied):
        rematch.rematch_propose(mentee=ines, mentor=zoe, by=bob)
