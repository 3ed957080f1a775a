"""Match runs, proposals and approvals: the invariants a coordinator relies on."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from binomes.models import Binome
from matching import selectors, services
from matching.models import MatchRun, Proposal
from programmes.selectors import programme_default_for
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db


def run_now(association, by, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_request(association=association, by=by)
    run.refresh_from_db()
    return run


def test_a_run_proposes_pairs_and_records_its_quality(association, alice, small_pool, django_capture_on_commit_callbacks):
    run = run_now(association, alice, django_capture_on_commit_callbacks)

    assert run.status == "done"
    assert (run.n_mentees, run.n_mentors, run.capacity_total) == (3, 2, 2)
    assert run.n_proposals == 2 == Proposal.objects.filter(run=run, status="proposed").count()
    assert run.quality["upper_bound"] >= run.quality["objective"] > 0
    assert run.params["ideal_age_gap"] == 5
    proposal = Proposal.objects.filter(run=run).first()
    assert set(proposal.breakdown["criteria"]) == {"generational", "social", "goals", "geography", "availability"}
    assert 0 <= proposal.score <= 1


def test_running_the_task_twice_writes_no_duplicate(association, alice, small_pool, django_capture_on_commit_callbacks):
    run = run_now(association, alice, django_capture_on_commit_callbacks)

    again = services.match_run_execute(run_id=run.pk)

    assert again is None
    assert Proposal.objects.count() == 2


def test_a_second_run_while_one_is_active_is_refused(association, alice, small_pool):
    services.match_run_request(association=association, by=alice)  # queued: its task waits for the commit

    with pytest.raises(ValidationError, match="déjà en cours"):
        services.match_run_request(association=association, by=alice)
    assert MatchRun.objects.count() == 1


def test_the_database_itself_refuses_two_active_runs(association):
    MatchRun.objects.create(association=association, programme=programme_default_for(association), status="running")

    with pytest.raises(IntegrityError), transaction.atomic():
        MatchRun.objects.create(association=association, programme=programme_default_for(association), status="queued")


def test_only_the_associations_coordinators_may_launch(association, bob, charlie):
    for user in (bob, charlie.membership.user):
        with pytest.raises(PermissionDenied):
            services.match_run_request(association=association, by=user)


def test_a_failure_is_recorded_with_its_reason_and_can_be_retried(association, alice, small_pool, monkeypatch, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise RuntimeError("solveur indisponible")

    monkeypatch.setattr(services, "match_pool", broken)
    failed = run_now(association, alice, django_capture_on_commit_callbacks)
    assert failed.status == "failed"
    assert "solveur indisponible" in failed.error
    monkeypatch.undo()

    with django_capture_on_commit_callbacks(execute=True):
        retry = services.match_run_retry(run=failed, by=alice)
    retry.refresh_from_db()

    assert (retry.status, retry.retry_of_id, retry.trigger) == ("done", failed.pk, "retry")
    with pytest.raises(ValidationError):
        services.match_run_retry(run=retry, by=alice)


def test_a_new_run_supersedes_waiting_proposals(association, alice, small_pool, django_capture_on_commit_callbacks):
    first = run_now(association, alice, django_capture_on_commit_callbacks)

    second = run_now(association, alice, django_capture_on_commit_callbacks)

    assert Proposal.objects.filter(run=first, status="superseded").count() == 2
    assert Proposal.objects.filter(run=second, status="proposed").count() == 2


def test_approval_creates_the_binome_with_the_programme_end(association, alice, small_pool, django_capture_on_commit_callbacks, time_machine):
    time_machine.move_to("2026-08-31 10:00 +02:00")
    association.programme_duration_months = 6
    association.save()
    run_now(association, alice, django_capture_on_commit_callbacks)
    proposal = Proposal.objects.filter(status="proposed").first()

    binome = services.proposal_approve(proposal=proposal, by=alice)

    assert (binome.mentee_id, binome.mentor_id, binome.status) == (proposal.mentee_id, proposal.mentor_id, "active")
    assert (binome.started_on, binome.planned_end_on) == (date(2026, 8, 31), date(2027, 2, 28))
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == ("approved", alice)


def test_approving_twice_says_it_is_done(association, alice, small_pool, django_capture_on_commit_callbacks):
    run_now(association, alice, django_capture_on_commit_callbacks)
    proposal = Proposal.objects.filter(status="proposed").first()
    services.proposal_approve(proposal=proposal, by=alice)

    with pytest.raises(ValidationError, match="déjà été traitée"):
        services.proposal_approve(proposal=proposal, by=alice)
    assert Binome.objects.count() == 1


def test_a_full_mentor_cannot_take_another_mentee_and_their_waiting_proposals_are_superseded(association, alice):
    mentor = vetted(association=association, capacity=1)
    first, second = (factories.mentee(association=association, status="validated") for _ in range(2))
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done")
    p1 = Proposal.objects.create(run=run, association=association, mentee=first, mentor=mentor, score=0.8)
    run2 = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done")
    p2 = Proposal.objects.create(run=run2, association=association, mentee=second, mentor=mentor, score=0.7)

    services.proposal_approve(proposal=p1, by=alice)

    p2.refresh_from_db()
    assert p2.status == "superseded"
    with pytest.raises(ValidationError, match="déjà été traitée"):
        services.proposal_approve(proposal=p2, by=alice)


def test_capacity_is_checked_even_for_a_proposal_still_open(association, alice):
    mentor = vetted(association=association, capacity=1)
    already = factories.mentee(association=association, status="validated")
    Binome.objects.create(association=association, mentor=mentor, mentee=already, planned_end_on=date(2027, 6, 1), started_on=date(2026, 11, 1))
    newcomer = factories.mentee(association=association, status="validated")
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done")
    proposal = Proposal.objects.create(run=run, association=association, mentee=newcomer, mentor=mentor, score=0.9)

    with pytest.raises(ValidationError, match="capacité est atteinte"):
        services.proposal_approve(proposal=proposal, by=alice)


def test_the_database_refuses_a_second_open_binome_for_a_mentee(association):
    mentee = factories.mentee(association=association, status="validated")
    Binome.objects.create(association=association, mentor=vetted(association=association), mentee=mentee, planned_end_on=date(2027, 6, 1), started_on=date(2026, 11, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        Binome.objects.create(association=association, mentor=vetted(association=association), mentee=mentee, planned_end_on=date(2027, 6, 1), started_on=date(2026, 11, 1))


def test_rejection_needs_a_reason_and_the_pair_never_comes_back(association, alice, django_capture_on_commit_callbacks):
    mentee = factories.mentee(association=association, status="validated")
    mentor = vetted(association=association, birth_date=factories.years_ago(21))
    run_now(association, alice, django_capture_on_commit_callbacks)
    proposal = Proposal.objects.get(status="proposed")

    with pytest.raises(ValidationError):
        services.proposal_reject(proposal=proposal, by=alice, reason="   ")
    services.proposal_reject(proposal=proposal, by=alice, reason="Ils se connaissent déjà")
    again = run_now(association, alice, django_capture_on_commit_callbacks)

    assert again.n_proposals == 0
    assert not Proposal.objects.filter(run=again, mentee=mentee, mentor=mentor).exists()


def test_a_pair_that_ended_early_is_never_proposed_again(association, alice, django_capture_on_commit_callbacks):
    mentee = factories.mentee(association=association, status="validated")
    mentor = vetted(association=association, birth_date=factories.years_ago(21))
    Binome.objects.create(association=association, mentor=mentor, mentee=mentee, status="ended_early", end_reason_code="mismatch",
                          started_on=date(2026, 1, 5), planned_end_on=date(2026, 7, 5), ended_on=date(2026, 2, 1))

    run = run_now(association, alice, django_capture_on_commit_callbacks)

    assert run.n_proposals == 0


def test_paired_mentees_and_full_mentors_leave_the_pool(association, alice, django_capture_on_commit_callbacks):
    mentor = vetted(association=association, capacity=2, birth_date=factories.years_ago(21))
    paired = factories.mentee(association=association, status="validated")
    Binome.objects.create(association=association, mentor=mentor, mentee=paired, planned_end_on=date(2027, 6, 1), started_on=date(2026, 11, 1))
    factories.mentee(association=association, status="validated")

    run = run_now(association, alice, django_capture_on_commit_callbacks)

    assert (run.n_mentees, run.capacity_total, run.n_proposals) == (1, 1, 1)


def test_minor_mentors_for_minors_only_when_the_association_allows_it(association, alice, django_capture_on_commit_callbacks):
    factories.mentee(association=association, status="validated", birth_date=factories.years_ago(12),
                     education="college")
    vetted(association=association, birth_date=factories.years_ago(17))
    blocked = run_now(association, alice, django_capture_on_commit_callbacks)
    assert blocked.n_proposals == 0

    services.matching_settings_update(association=association, by=alice, allow_minor_mentors_for_minors=True)
    allowed = run_now(association, alice, django_capture_on_commit_callbacks)

    assert allowed.n_proposals == 1


def test_settings_are_validated_in_french(association, alice):
    with pytest.raises(ValidationError, match="écart idéal"):
        services.matching_settings_update(association=association, by=alice, ideal_age_gap=20, max_age_gap=12)
    with pytest.raises(ValidationError, match="poids supérieur à zéro"):
        services.matching_settings_update(
            association=association, by=alice, weight_generational=0, weight_social=0, weight_goals=0,
            weight_geography=0, weight_availability=0,
        )
    assert selectors.settings_for(programme_default_for(association)).ideal_age_gap == 5


def test_nightly_runs_only_for_associations_that_asked_and_safe_twice(association, other_association, alice, small_pool, django_capture_on_commit_callbacks):
    services.matching_settings_update(association=association, by=alice, periodic_runs=True)
    bob = factories.coordinator(other_association)
    services.matching_settings_update(association=other_association, by=bob, max_distance_km=20)  # a row, periodic runs off

    first = services.periodic_match_runs_request()
    second = services.periodic_match_runs_request()

    assert (first, second) == (1, 0)
    assert list(MatchRun.objects.values_list("association_id", "trigger")) == [(association.pk, "periodic")]


def test_bulk_approval_reports_conflicts_without_undoing_the_rest(association, alice):
    mentor = vetted(association=association, capacity=1)
    other_mentor = vetted(association=association, capacity=1)
    mentees = [factories.mentee(association=association, status="validated") for _ in range(3)]
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done")
    proposals = [
        Proposal.objects.create(run=run, association=association, mentee=mentees[0], mentor=mentor, score=0.9),
        Proposal.objects.create(run=run, association=association, mentee=mentees[1], mentor=mentor, score=0.8),
        Proposal.objects.create(run=run, association=association, mentee=mentees[2], mentor=other_mentor, score=0.7),
    ]

    outcome = services.proposal_bulk_decide(proposals=proposals, by=alice, approve=True)

    assert [p.pk for p in outcome.done] == [proposals[0].pk, proposals[2].pk]
    assert len(outcome.errors) == 1
    assert Binome.objects.count() == 2
