"""Fault test with real processes: a Celery worker SIGKILLed in the middle of a match run. The
periodic recovery job (sent through the broker, as beat would) sees the heartbeat stop, queues the
run again, and a fresh worker completes it; a new run is then accepted.

Own redis-server on a free port (nothing else's queues or counters are touched), workers as
subprocesses on the test database (hence a transactional test: they must see committed rows).
Heartbeat every second, declared dead after 3 s (production: 15 s and 3 minutes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from geo.models import Commune, Departement
from geo.reference import load_reference_data
from matching import services, tasks
from matching.models import MatchRun, Proposal
from mentorat.celery import app as celery_app
from tests import factories
from tests.matching.conftest import vetted
from tests.redis_server import PrivateRedis, require_redis_server

BASE_DIR = Path(settings.BASE_DIR)
HEARTBEAT_TIMEOUT = 3


def wait_for(condition, timeout: float, every: float = 0.1) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


@pytest.fixture
def own_redis():  # noqa: ANN201
    require_redis_server()
    redis = PrivateRedis(first_port=6500)
    redis.start()
    yield redis.url
    redis.stop()


@pytest.fixture
def broker(own_redis, transactional_db):  # noqa: ANN001, ANN201
    """This process sends its tasks to our redis-server, on a queue of its own."""
    if not Commune.objects.exists():  # a previous transactional test may have wiped them
        load_reference_data(Departement, Commune)
    queue = f"fault-{uuid.uuid4().hex}"
    saved = (celery_app.conf.broker_url, celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.update(broker_url=own_redis, task_always_eager=False, task_default_queue=queue)
    celery_app._pool, celery_app.amqp._producer_pool = None, None  # connections to the old broker
    yield own_redis, queue
    celery_app.conf.update(broker_url=saved[0], task_always_eager=saved[1], task_default_queue=saved[2])
    celery_app._pool, celery_app.amqp._producer_pool = None, None


@pytest.fixture
def start_worker(broker, tmp_path):  # noqa: ANN001, ANN201
    redis_url, queue = broker
    database = settings.DATABASES["default"]
    database_url = (f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST'] or '127.0.0.1'}:"
                    f"{database['PORT'] or 5432}/{database['NAME']}")  # the test database
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "MATCH_RUN_HEARTBEAT_SECONDS": "1",
           "MATCH_RUN_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT), "SECRET_KEY": settings.SECRET_KEY,
           "SECURE_SSL_REDIRECT": "false", "DJANGO_SETTINGS_MODULE": "mentorat.settings"}
    started: list[subprocess.Popen] = []

    def start(name: str, engine_seconds: float) -> subprocess.Popen:
        log = (tmp_path / f"{name}.log").open("w")
        process = subprocess.Popen([sys.executable, "-m", "tests.matching.slow_worker", queue, name, str(engine_seconds)],
                                   cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
        started.append(process)
        return process

    yield start
    for process in started:  # by pid, only the workers this test started
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
    connections.close_all()


@pytest.mark.worker
def test_a_worker_killed_mid_run_is_recovered_by_the_periodic_job(start_worker, settings, record_property, tmp_path):  # noqa: ANN001
    settings.MATCH_RUN_HEARTBEAT_TIMEOUT = HEARTBEAT_TIMEOUT
    association = factories.AssociationFactory()
    alice = factories.coordinator(association)
    for years in (16, 17, 18):
        factories.mentee(association=association, status="validated", birth_date=factories.years_ago(years))
    for years in (22, 23):
        vetted(association=association, birth_date=factories.years_ago(years))
    doomed = start_worker("doomed", engine_seconds=120)

    run = services.match_run_request(association=association, by=alice)
    # The worker took the run and is inside the engine, beating.
    assert wait_for(lambda: MatchRun.objects.get(pk=run.pk).progress == 30, 60), (tmp_path / "doomed.log").read_text()
    first_beat = MatchRun.objects.get(pk=run.pk).heartbeat_at
    assert wait_for(lambda: MatchRun.objects.get(pk=run.pk).heartbeat_at > first_beat, 10)

    os.kill(doomed.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    doomed.wait(10)
    dead = MatchRun.objects.get(pk=run.pk)
    assert dead.status == "running"  # what a coordinator saw before: blocked for 30 minutes
    start_worker("fresh", engine_seconds=0)

    def recovery_job_ran() -> bool:
        tasks.recover_match_runs.delay()  # what beat sends every minute
        return MatchRun.objects.get(pk=run.pk).status != "running"

    assert wait_for(recovery_job_ran, 45, every=1.0)
    assert wait_for(lambda: MatchRun.objects.get(pk=run.pk).status == "done", 45), (tmp_path / "fresh.log").read_text()
    recovered_in = time.monotonic() - killed_at

    run.refresh_from_db()
    assert run.attempts == 2 and run.worker.split(":")[0] != "" and run.worker != dead.worker
    assert Proposal.objects.filter(run=run, status="proposed").count() == 2
    again = services.match_run_request(association=association, by=alice)  # the association is not blocked
    assert wait_for(lambda: MatchRun.objects.get(pk=again.pk).status == "done", 45)
    record_property("figure", f"worker SIGKILLed mid-run: recovered and completed {recovered_in:.1f} s after the kill "
                              f"(heartbeat every 1 s, silent after {HEARTBEAT_TIMEOUT} s; production defaults 15 s and 180 s)")
