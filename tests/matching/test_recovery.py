"""Self-healing match runs: a run whose worker died is recovered by the periodic job (re-queued
once, then failed with its reason), a run that keeps beating is never declared stale, a
redelivered task leaves a live worker's run alone and resumes a dead one's, and proposals are
written all or nothing."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.utils import timezone

from matching import services, tasks
from matching.models import MatchRun, Proposal

pytestmark = pytest.mark.django_db

NOW = "2026-11-20 21:00 +01:00"


@pytest.fixture(autouse=True)
def _timeouts(settings):  # noqa: ANN001
    settings.MATCH_RUN_HEARTBEAT_TIMEOUT = 180
    settings.MATCH_RUN_MAX_ATTEMPTS = 2


def queued_run(association, alice, django_capture_on_commit_callbacks) -> MatchRun:  # noqa: ANN001
    """A run whose task has not been delivered yet (the on-commit callback is dropped)."""
    with django_capture_on_commit_callbacks(execute=False):
        return services.match_run_request(association=association, by=alice)


def taken_by_a_worker(run: MatchRun, *, worker: str = "worker-1:4242:dead", attempts: int = 1) -> MatchRun:
    """The run as a worker left it when it started computing (and, unless it beats, died)."""
    MatchRun.objects.filter(pk=run.pk).update(
        status="running", worker=worker, heartbeat_at=timezone.now(), started_at=timezone.now(), attempts=attempts, progress=30
    )
    run.refresh_from_db()
    return run


def recover(django_capture_on_commit_callbacks) -> services.RecoveryOutcome:  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        return tasks.recover_match_runs()


def test_a_run_whose_worker_died_is_queued_again_by_the_periodic_job_and_completes(
    association, alice, small_pool, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOW)
    run = taken_by_a_worker(queued_run(association, alice, django_capture_on_commit_callbacks))

    time_machine.shift(timedelta(minutes=2))
    assert recover(django_capture_on_commit_callbacks) == {"requeued": [], "failed": []}  # not silent long enough
    time_machine.shift(timedelta(minutes=2))
    first = recover(django_capture_on_commit_callbacks)
    second = recover(django_capture_on_commit_callbacks)

    run.refresh_from_db()
    assert first == {"requeued": [run.pk], "failed": []} and second == {"requeued": [], "failed": []}
    assert run.status == "done" and run.attempts == 2
    assert Proposal.objects.filter(run=run, status="proposed").count() == 2


def test_a_run_that_lost_its_worker_twice_is_failed_with_its_reason_and_a_new_run_is_accepted(
    association, alice, small_pool, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOW)
    run = taken_by_a_worker(queued_run(association, alice, django_capture_on_commit_callbacks), attempts=2)
    time_machine.shift(timedelta(minutes=4))

    assert recover(django_capture_on_commit_callbacks) == {"requeued": [], "failed": [run.pk]}

    run.refresh_from_db()
    assert run.status == "failed"
    assert "serveur de calcul s'est arrêté" in run.error and "Relancez" in run.error
    with django_capture_on_commit_callbacks(execute=True):
        fresh = services.match_run_request(association=association, by=alice)
    fresh.refresh_from_db()
    assert fresh.status == "done"


def test_a_run_that_keeps_beating_for_twenty_minutes_is_never_declared_stale(
    association, alice, small_pool, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOW)
    run = taken_by_a_worker(queued_run(association, alice, django_capture_on_commit_callbacks), worker="worker-1:4242:alive")

    for _minute in range(20):
        time_machine.shift(timedelta(minutes=1))
        assert services.match_run_heartbeat(run_id=run.pk, worker=run.worker)
        recover(django_capture_on_commit_callbacks)
        # A coordinator asking for a new run meanwhile is told to wait; the run is not touched.
        with pytest.raises(ValidationError, match="déjà en cours"):
            services.match_run_request(association=association, by=alice)

    run.refresh_from_db()
    assert run.status == "running" and run.worker == "worker-1:4242:alive" and run.attempts == 1
    assert timezone.now() - run.started_at >= timedelta(minutes=20)


def test_a_redelivered_task_does_nothing_while_the_run_is_alive_in_another_worker(
    association, alice, small_pool, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOW)
    run = taken_by_a_worker(queued_run(association, alice, django_capture_on_commit_callbacks), worker="worker-2:77:alive")
    time_machine.shift(timedelta(minutes=1))

    tasks.run_match(run.pk)
    tasks.run_match(run.pk)

    run.refresh_from_db()
    assert (run.status, run.worker, run.attempts) == ("running", "worker-2:77:alive", 1)
    assert not Proposal.objects.exists()


def test_a_redelivered_task_resumes_the_run_of_a_worker_that_died(
    association, alice, small_pool, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOW)
    run = taken_by_a_worker(queued_run(association, alice, django_capture_on_commit_callbacks))
    time_machine.shift(timedelta(minutes=4))

    tasks.run_match(run.pk)
    tasks.run_match(run.pk)

    run.refresh_from_db()
    assert run.status == "done" and run.attempts == 2 and run.worker != "worker-1:4242:dead"
    assert Proposal.objects.filter(run=run).count() == 2


def test_a_worker_whose_run_was_given_away_does_not_write_its_proposals(
    association, alice, small_pool, monkeypatch, django_capture_on_commit_callbacks
):
    run = queued_run(association, alice, django_capture_on_commit_callbacks)
    real_match_pool = services.match_pool

    def slow_worker_given_away(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        # While this worker computes, the recovery job decided it was dead and another took over.
        MatchRun.objects.filter(pk=run.pk).update(worker="worker-3:9:new")
        return real_match_pool(*args, **kwargs)

    monkeypatch.setattr(services, "match_pool", slow_worker_given_away)
    services.match_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.worker) == ("running", "worker-3:9:new")
    assert not Proposal.objects.exists()


def test_writing_proposals_is_all_or_nothing(association, alice, small_pool, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.match_run_request(association=association, by=alice)
    old = set(Proposal.objects.filter(run=first, status="proposed").values_list("pk", flat=True))
    assert len(old) == 2
    real_bulk_create = Proposal.objects.bulk_create

    def disk_full_after_one(objs, **kwargs):  # noqa: ANN001, ANN003, ANN202
        real_bulk_create(objs[:1], **kwargs)
        raise OSError("disque plein")

    monkeypatch.setattr(Proposal.objects, "bulk_create", disk_full_after_one)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.match_run_request(association=association, by=alice)

    second.refresh_from_db()
    assert second.status == "failed" and "disque plein" in second.error
    assert not Proposal.objects.filter(run=second).exists()
    assert set(Proposal.objects.filter(status="proposed").values_list("pk", flat=True)) == old


def test_a_run_over_its_time_limit_is_failed_with_a_clear_reason(
    association, alice, small_pool, monkeypatch, django_capture_on_commit_callbacks
):
    def endless(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "match_pool", endless)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_request(association=association, by=alice)

    run.refresh_from_db()
    assert run.status == "failed" and "durée maximale de 60 minutes" in run.error


def test_a_run_no_worker_ever_took_is_failed_after_two_hours(association, alice, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(NOW)
    run = queued_run(association, alice, django_capture_on_commit_callbacks)

    time_machine.shift(timedelta(minutes=119))
    recover(django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == "queued"  # a busy queue is not a lost run
    time_machine.shift(timedelta(minutes=2))
    recover(django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == "failed" and "Jamais démarré" in run.error


def test_the_nightly_job_does_not_skip_an_association_whose_run_is_stuck(
    association, alice, small_pool, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOW)
    services.matching_settings_update(association=association, by=alice, periodic_runs=True)
    stuck = taken_by_a_worker(queued_run(association, alice, django_capture_on_commit_callbacks), attempts=2)
    time_machine.shift(timedelta(hours=6))

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.run_periodic_matches()
        second = tasks.run_periodic_matches()  # a redelivery of the nightly task

    stuck.refresh_from_db()
    assert (first, second) == (1, 0)
    assert stuck.status == "failed"
    nightly = MatchRun.objects.get(trigger="periodic")
    assert nightly.status == "done" and nightly.n_proposals == 2


def test_the_recovery_job_runs_every_minute(settings):  # noqa: ANN001
    jobs = {job["task"]: job["schedule"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert jobs["matching.tasks.recover_match_runs"] <= 60


@pytest.mark.django_db(transaction=True)
def test_the_run_beats_while_the_engine_computes(association, alice, small_pool, settings, monkeypatch):  # noqa: ANN001
    """The engine is pure and cannot call back: the heartbeat comes from a thread (its own
    database connection, hence a transactional test: the thread must see the committed run)."""
    settings.MATCH_RUN_HEARTBEAT_SECONDS = 0.05
    real_match_pool = services.match_pool
    beats_seen = []

    def long_engine_phase(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        run = MatchRun.objects.get(association=association)
        claimed_at = run.heartbeat_at
        for _attempt in range(400):  # up to 20 s of real time; a beat comes within 0.05 s
            if MatchRun.objects.get(pk=run.pk).heartbeat_at > claimed_at:
                beats_seen.append(True)
                break
            threading.Event().wait(0.05)
        return real_match_pool(*args, **kwargs)

    monkeypatch.setattr(services, "match_pool", long_engine_phase)
    run = services.match_run_request(association=association, by=alice)  # committed: runs eagerly

    run.refresh_from_db()
    assert beats_seen and run.status == "done"


def test_a_broker_refusing_a_resend_does_not_stop_the_recovery_of_other_runs(
    association, other_association, alice, bob, time_machine, monkeypatch, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOW)
    runs = [taken_by_a_worker(queued_run(a, by, django_capture_on_commit_callbacks), worker=f"w:{a.pk}:dead")
            for a, by in ((association, alice), (other_association, bob))]
    time_machine.shift(timedelta(minutes=4))

    def broker_down(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise ConnectionRefusedError("redis")

    monkeypatch.setattr(tasks.run_match, "apply_async", broker_down)  # what the outbox relay calls
    outcome = recover(django_capture_on_commit_callbacks)

    assert sorted(outcome["requeued"]) == sorted(run.pk for run in runs)
    assert set(MatchRun.objects.values_list("status", flat=True)) == {"queued"}
