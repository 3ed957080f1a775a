import json
import os

import pytest
from django.db import DatabaseError

from outbox.models import OutboxMessage


def report(response):  # noqa: ANN001, ANN201
    return json.loads(response.content)


@pytest.mark.django_db
def test_health_answers_over_plain_http_from_any_host(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/sante/", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200
    assert report(response)["status"] == "ok"
    assert report(response)["database"] == {"ok": True}


@pytest.mark.django_db
def test_other_pages_still_validate_the_host(client):
    response = client.get("/", HTTP_HOST="evil.example.com")

    assert response.status_code == 400


@pytest.mark.django_db
def test_a_database_outage_makes_the_web_unready(client, monkeypatch):
    from django.db import connection

    def unreachable() -> None:
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", unreachable)

    response = client.get("/sante/")

    assert response.status_code == 503
    assert report(response) == {"status": "unavailable", "database": {"ok": False}}


@pytest.mark.django_db
def test_given_up_sends_are_counted_and_degrade_but_do_not_unready(client):
    OutboxMessage.objects.create(key="k1", task="binomes.tasks.send_introduction", args=[1], status="failed", last_error="SMTP")
    OutboxMessage.objects.create(key="k2", task="binomes.tasks.send_introduction", args=[2])

    response = client.get("/sante/")

    assert response.status_code == 200
    body = report(response)
    assert body["status"] == "degraded"
    assert (body["outbox"]["failed"], body["outbox"]["pending"]) == (1, 1)


@pytest.mark.django_db
def test_a_worker_without_heartbeat_fails_only_a_probe_that_requires_it(client, settings):
    from mentorat.celery import app

    app.conf.task_always_eager = False  # as in production (the autouse fixture restores it)
    settings.CELERY_BROKER_URL = app.conf.broker_url

    lenient, strict = client.get("/sante/"), client.get("/sante/?exiger=worker")

    assert lenient.status_code == 200 and report(lenient)["worker"]["ok"] is False
    assert strict.status_code == 503


@pytest.mark.django_db(transaction=True)
def test_a_persistent_connection_dropped_by_postgresql_is_replaced(client):
    from django.db import connection

    if connection.vendor != "postgresql":
        _needs_postgresql()
    import psycopg2

    connection.ensure_connection()
    dropped = connection.connection.get_backend_pid()
    with psycopg2.connect(**connection.get_connection_params()) as other, other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [dropped])  # what a PostgreSQL restart does

    response = client.get("/sante/")

    assert response.status_code == 200
    assert report(response)["database"] == {"ok": True}
    assert connection.connection.get_backend_pid() != dropped


@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_with_postgresql_still_away_is_unready(client, monkeypatch):
    from django.db import OperationalError, connection

    if connection.vendor != "postgresql":
        _needs_postgresql()
    connection.ensure_connection()
    connection.connection.close()  # the socket is gone ...

    def refused(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "get_new_connection", refused)  # ... and nothing answers

    response = client.get("/sante/")

    assert response.status_code == 503
    assert report(response) == {"status": "unavailable", "database": {"ok": False}}


def _needs_postgresql() -> None:
    """These two tests drop a PostgreSQL connection; on SQLite they skip, except in CI
    (REQUIRE_SERVICES=1), where a run without PostgreSQL must fail rather than skip."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail("PostgreSQL is required (REQUIRE_SERVICES=1)")
    pytest.skip("needs PostgreSQL (a connection is dropped on the server side)")
