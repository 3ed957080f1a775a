"""Fault test of a split run with real processes: the worker running a territory is SIGKILLed; a
fresh worker completes the run, with one set of proposals. Two recoveries are correct and both
happen: the periodic recovery job re-queues the run once its heartbeat is silent, or the broker
redelivers the killed worker's unacknowledged territory task to the fresh worker first (then the
heartbeat never falls silent and the job has nothing to do).
Same machinery as test_worker_killed (own redis-server, workers as subprocesses)."""

from __future__ import annotations

import os
import signal

import pytest

from matching import services, tasks
from matching.models import MatchRun, Proposal
from tests import factories
from tests.matching.conftest import vetted
from tests.matching.test_worker_killed import (  # noqa: F401
    HEARTBEAT_TIMEOUT,
    broker,
    own_redis,
    start_worker,
    wait_for,
)

CITIES = ("93008", "13201", "59350")  # Bobigny, Marseille 1er, Lille


@pytest.fixture
def split_env(monkeypatch):  # noqa: ANN001, ANN201
    """The workers split every pool into three territories, each taking 120 s in the doomed one."""
    monkeypatch.setenv("MATCH_SPLIT_ABOVE_PAIRS", "1")
    monkeypatch.setenv("MATCH_SPLIT_PARTS", "3")


@pytest.mark.worker
def test_a_worker_killed_in_a_territory_is_recovered_and_the_split_run_completes(
    split_env, start_worker, settings, monkeypatch, tmp_path  # noqa: ANN001, F811
):
    settings.MATCH_RUN_HEARTBEAT_TIMEOUT = HEARTBEAT_TIMEOUT
    association = factories.AssociationFactory()
    alice = factories.coordinator(association)
    for code in CITIES:
        commune = factories.commune(code)
        for years in (15, 17):
            factories.mentee(association=association, status="validated", birth_date=factories.years_ago(years), commune=commune)
        vetted(association=association, birth_date=factories.years_ago(23), commune=commune)
    monkeypatch.setenv("SLOW_SPLIT_PART_SECONDS", "120")
    doomed = start_worker("doomed", engine_seconds=0)
    monkeypatch.delenv("SLOW_SPLIT_PART_SECONDS")

    run = services.match_run_request(association=association, by=alice)
    # The run was cut into territories and the worker is inside one of them, beating.
    assert wait_for(lambda: MatchRun.objects.get(pk=run.pk).quality.get("split"), 90), (tmp_path / "doomed.log").read_text()
    first_beat = MatchRun.objects.get(pk=run.pk).heartbeat_at
    assert wait_for(lambda: MatchRun.objects.get(pk=run.pk).heartbeat_at > first_beat, 10)
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.wait(10)
    start_worker("fresh", engine_seconds=0)

    def recovered_and_done() -> bool:
        tasks.recover_match_runs.delay()  # what beat sends every minute
        return MatchRun.objects.get(pk=run.pk).status == "done"

    # A liveness bound, not a timing: alone the run completes a few seconds after the kill.
    assert wait_for(recovered_and_done, 180, every=1.0), (tmp_path / "fresh.log").read_text()
    run.refresh_from_db()
    assert run.attempts in (1, 2)  # 2: re-queued by the job; 1: the territory redelivered by the broker
    assert run.quality["method"] == "split" and run.quality["split"]["parts"] == 3
    # one set of proposals, from the attempt that finished: one mentor of capacity 1 per city
    assert Proposal.objects.filter(run=run).count() == Proposal.objects.filter(association=association).count() == 3
