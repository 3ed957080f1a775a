"""Redis really stops in the middle of an evening's work: a private redis-server on a spare port
carries the cache and the broker, is killed, then started again.

With Redis away: login, the coordinator dashboard, approval (page and API) and messaging (page
and API) answer without a server error; the approvals commit and their introductions wait in the
outbox. Once Redis is back, the sweep (what Celery beat runs every ``OUTBOX_SWEEP_SECONDS``)
sends each of them once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.core import mail
from django.db import connections
from django.test import Client
from rest_framework.test import APIClient

from binomes.models import Binome
from geo.models import Commune, Departement
from geo.reference import load_reference_data
from matching.models import MatchRun, Proposal
from mentorat.celery import app as celery_app
from outbox.models import OutboxMessage
from outbox.tasks import sweep
from programmes.selectors import programme_default_for
from tests import factories
from tests.api.conftest import token_client
from tests.matching.conftest import vetted
from tests.redis_server import PrivateRedis, require_redis_server


def _reset_broker_connections() -> None:
    """Forget the pooled broker connections (they point at the other Redis, or at a dead one)."""
    from kombu import pools

    pools.reset()  # closes and forgets kombu's global producer pools, keyed by broker
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def private_redis(transactional_db, settings) -> Iterator[PrivateRedis]:  # noqa: ANN001
    require_redis_server()
    if not Commune.objects.exists():  # an earlier transactional test may have emptied the table
        load_reference_data(Departement, Commune)
    redis = PrivateRedis(first_port=6400)
    redis.start()
    settings.CACHES = {"default": {"BACKEND": "mentorat.cache.ResilientRedisCache", "LOCATION": redis.url,
                                   "OPTIONS": {"RETRY_AFTER": 0}}}  # retry Redis at every call: the worst case
    previous = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = False, redis.url
    _reset_broker_connections()
    try:
        yield redis
    finally:
        redis.stop()
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous
        _reset_broker_connections()
        connections.close_all()


def _proposal(association) -> Proposal:  # noqa: ANN001
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done", n_proposals=1)
    return Proposal.objects.create(
        run=run, association=association, score=0.8, breakdown={"criteria": {}, "facts": {}},
        mentee=factories.mentee(association=association, status="validated"),
        mentor=vetted(association=association),
    )


@pytest.mark.django_db(transaction=True)
def test_redis_stopped_mid_flow_no_5xx_and_the_introductions_leave_once_it_is_back(private_redis, record_property):
    association = factories.AssociationFactory(slug="proxi-bobigny")
    alice = factories.coordinator(association, email="alice@asso.example.org")
    by_page, by_api = _proposal(association), _proposal(association)
    paired = Binome.objects.create(association=association, mentor=vetted(association=association),
                                   mentee=factories.mentee(association=association, status="validated"),
                                   started_on="2026-09-01", planned_end_on="2027-03-01")
    member = paired.mentee.membership.user
    api_as_alice = token_client(alice, association)
    slug = association.slug

    page = Client(raise_request_exception=False)
    assert page.post("/comptes/login/", {"login": alice.email, "password": factories.PASSWORD}).status_code == 302

    private_redis.stop()  # Redis dies mid-evening
    timings: dict[str, float] = {}

    def timed(name, call):  # noqa: ANN001, ANN202
        started = time.monotonic()
        response = call()
        timings[name] = time.monotonic() - started
        return response

    fresh = Client(raise_request_exception=False)
    member_page = Client(raise_request_exception=False)
    member_page.force_login(member)
    member_api = APIClient(raise_request_exception=False)
    member_api.force_authenticate(member)
    api_as_alice.raise_request_exception = False
    responses = {
        "login": timed("login", lambda: fresh.post("/comptes/login/", {"login": alice.email, "password": factories.PASSWORD})),
        "dashboard": timed("dashboard", lambda: page.get(f"/coordination/{slug}/tableau-de-bord/")),
        "page approval": timed("page approval", lambda: page.post(f"/coordination/{slug}/propositions/{by_page.pk}/approuver/")),
        "API approval": timed("API approval", lambda: api_as_alice.post(f"/api/v1/associations/{slug}/proposals/{by_api.pk}/approve/")),
        "page message": timed("page message", lambda: member_page.post(f"/mon-espace/binomes/{paired.pk}/messages/", {"body": "On se voit samedi ?"})),
        "API message": timed("API message", lambda: member_api.post(f"/api/v1/binomes/{paired.pk}/messages/", {"body": "Et dimanche ?"}, format="json")),
        "health": timed("health", lambda: page.get("/sante/")),
    }

    assert {name: r.status_code for name, r in responses.items() if r.status_code >= 500} == {}
    assert responses["login"].status_code == 302 and responses["API approval"].status_code == 201
    assert responses["API message"].status_code == 201
    assert responses["health"].json()["status"] == "degraded" and responses["health"].json()["broker"] == {"ok": False}
    assert Binome.objects.filter(association=association).count() == 3  # both approvals committed
    introductions = OutboxMessage.objects.filter(task="binomes.tasks.send_introduction")
    assert introductions.filter(status="pending").count() == 2 and mail.outbox == []

    private_redis.start()  # Redis is back
    started = time.monotonic()
    sweep()  # what beat's next tick runs on a worker
    record_property("figure", f"redis outage: introductions sent {time.monotonic() - started:.2f} s after the first sweep once Redis is back "
                              f"(sweep every OUTBOX_SWEEP_SECONDS, 60 s by default); requests during the outage: "
                              + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in timings.items()))
    sweep()  # twice: nothing more

    addresses = [a for m in mail.outbox for a in m.to]
    binomes = Binome.objects.filter(mentee_id__in=[by_page.mentee_id, by_api.mentee_id]).select_related(
        "mentor__membership__user", "mentee__membership__user")
    expected = sorted(p.membership.user.email for b in binomes for p in (b.mentor, b.mentee))
    assert sorted(a for a in addresses if a in expected) == expected  # each introduction, once
    assert len(addresses) == len(set(addresses))  # nothing sent twice
    assert not introductions.exclude(status="sent").exists()
