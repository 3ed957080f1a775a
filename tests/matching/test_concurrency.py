"""Two coordinators approving conflicting proposals at the same moment (PostgreSQL, real row locks)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from binomes.models import Binome
from geo.models import Commune, Departement
from geo.reference import load_reference_data
from matching import services
from matching.models import MatchRun, Proposal
from programmes.selectors import programme_default_for
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL (SQLite serialises whole-database writes); CI runs this on PostgreSQL",
)


@pytest.fixture
def committed_world(transactional_db):  # noqa: ANN001
    if not Commune.objects.exists():  # a previous transactional test emptied the tables
        load_reference_data(Departement, Commune)
    association = factories.AssociationFactory()
    return association, factories.coordinator(association), factories.coordinator(association)


def approve_at_once(calls):
    """Run each (proposal, user) approval in its own thread and connection, released together."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(i, proposal, user):
        try:
            barrier.wait()
            results[i] = services.proposal_approve(proposal=proposal, by=user)
        except Exception as exc:  # noqa: BLE001 - the test inspects whatever each thread met
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, p, u)) for i, (p, u) in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.parametrize("attempt", range(3))
def test_two_approvals_for_a_mentor_with_one_place_create_one_binome(committed_world, attempt):
    association, alice, alicia = committed_world
    mentor = vetted(association=association, capacity=1)
    first, second = (factories.mentee(association=association, status="validated") for _ in range(2))
    run1 = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done")
    run2 = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done")
    p1 = Proposal.objects.create(run=run1, association=association, mentee=first, mentor=mentor, score=0.8)
    p2 = Proposal.objects.create(run=run2, association=association, mentee=second, mentor=mentor, score=0.7)

    results = approve_at_once([(p1, alice), (p2, alicia)])

    assert Binome.objects.filter(mentor=mentor, status="active").count() == 1
    winners = [r for r in results if isinstance(r, Binome)]
    losers = [r for r in results if isinstance(r, ValidationError)]
    assert len(winners) == 1 and len(losers) == 1
    assert "capacité est atteinte" in losers[0].messages[0] or "déjà été traitée" in losers[0].messages[0]


@pytest.mark.parametrize("attempt", range(3))
def test_two_coordinators_approving_the_same_proposal_create_one_binome(committed_world, attempt):
    association, alice, alicia = committed_world
    mentee = factories.mentee(association=association, status="validated")
    mentor = vetted(association=association, capacity=2)
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done")
    proposal = Proposal.objects.create(run=run, association=association, mentee=mentee, mentor=mentor, score=0.8)

    results = approve_at_once([(proposal, alice), (Proposal.objects.get(pk=proposal.pk), alicia)])

    assert Binome.objects.filter(mentee=mentee).count() == 1
    assert sum(isinstance(r, Binome) for r in results) == 1
    loser = next(r for r in results if not isinstance(r, Binome))
    assert isinstance(loser, ValidationError) and "déjà été traitée" in loser.messages[0]
