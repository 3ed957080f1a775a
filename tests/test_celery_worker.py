"""A real Celery worker consuming from Redis runs the project's tasks (CI: always; locally: when
REDIS_URL is set)."""

from __future__ import annotations

import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.db import connections

from associations import services
from geo.models import Commune, Departement
from geo.reference import load_reference_data
from mentorat.celery import app as celery_app
from tests import factories


@pytest.fixture
def reference_data_restored(transactional_db):  # noqa: ANN001
    """Restore the reference communes a previous transactional test may have wiped."""
    # Transactional tests empty every table when they end (pytest-django runs them after the
    # others), so the communes a previous one wiped are put back before this one starts.
    if not Commune.objects.exists():
        load_reference_data(Departement, Commune)
    yield


@pytest.fixture
def redis_worker(reference_data_restored):  # noqa: ANN001
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set (CI sets it, and REQUIRE_SERVICES=1 makes its absence an error).")
    queue = f"test-{uuid.uuid4().hex}"  # our own queue: nothing else on this Redis can take our tasks
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    # The worker thread opens its own database connection: close it after each task, or the test
    # database cannot be dropped at the end of the run ("being accessed by other users").
    task_postrun.connect(_close_connections, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=20):
            yield
    finally:
        task_postrun.disconnect(_close_connections)
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous


def _close_connections(**kwargs) -> None:  # noqa: ANN003
    connections.close_all()


def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.worker
def test_invitation_email_is_sent_by_a_worker_through_redis(redis_worker):
    assert celery_app.conf.broker_url.startswith("redis://")
    association = factories.AssociationFactory()
    alice = factories.coordinator(association)

    services.coordinator_invite(association=association, email="nouvelle@asso.example.org", by=alice)

    assert wait_for(lambda: any("nouvelle@asso.example.org" in m.to for m in mail.outbox))
    message = next(m for m in mail.outbox if "nouvelle@asso.example.org" in m.to)
    assert association.name in message.subject
    assert "/invitation/" in message.body


@pytest.mark.worker
def test_a_match_run_is_processed_by_a_worker_through_redis(redis_worker):
    from matching import services
    from matching.models import MatchRun, Proposal

    association = factories.AssociationFactory()
    alice = factories.coordinator(association)
    factories.mentee(association=association, status="validated", birth_date=factories.years_ago(19), education="bac_1_2")
    factories.mentor(association=association, status="validated", birth_date=factories.years_ago(24))

    run = services.match_run_request(association=association, by=alice)

    assert wait_for(lambda: MatchRun.objects.get(pk=run.pk).status in ("done", "failed"))
    run.refresh_from_db()
    assert run.status == "done", run.error
    assert Proposal.objects.filter(run=run).count() == 1
