"""``/sante/``: readiness for the load balancer and the container health checks.

Answered by a middleware placed first, before host validation and the HTTPS redirect, because the
orchestrator calls it over plain HTTP on 127.0.0.1. The body is a small JSON report, one entry per
component; the HTTP status is the readiness answer:

- 503 when this web process cannot serve (the database is unreachable);
- 200 otherwise, with ``"status": "degraded"`` when Redis (the broker), the workers or the outbox
  lag behind: pages, logins and approvals still work then (the cache falls back, side effects wait
  in the outbox), so taking the web replicas out of the load balancer would only make it worse.

``/sante/?exiger=broker,worker,outbox`` makes the listed components count for the status code too
(a probe that must fail when, say, no worker has run the sweep lately).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DatabaseError, Error, connection
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)
HEALTH_PATH = "/sante/"
COMPONENTS = ("database", "broker", "worker", "outbox")
PROBE_TIMEOUT = 0.5  # seconds: a probe every few seconds must not hang on a dead Redis


def _broker() -> dict[str, Any]:
    from mentorat.celery import app

    url = app.conf.broker_url or ""
    if app.conf.task_always_eager or not url.startswith(("redis://", "rediss://")):
        return {"ok": True, "mode": "in-process"}
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT).ping()
    except (redis.exceptions.RedisError, OSError):
        logger.warning("Health check: broker unreachable", exc_info=True)
        return {"ok": False}
    return {"ok": True}


def _worker() -> dict[str, Any]:
    from mentorat.celery import app
    from outbox.selectors import worker_heartbeat_age

    if app.conf.task_always_eager:
        return {"ok": True, "mode": "in-process"}
    age = worker_heartbeat_age()
    if age is None:
        return {"ok": False, "last_heartbeat_seconds": None}
    seconds = int(age.total_seconds())
    # Three sweep periods without a heartbeat: no worker (or no beat) is running the sweep.
    return {"ok": seconds <= 3 * settings.OUTBOX_SWEEP_SECONDS, "last_heartbeat_seconds": seconds}


def _outbox() -> dict[str, Any]:
    from outbox.selectors import outbox_figures

    figures = outbox_figures()
    late = figures.oldest_pending_seconds is not None and figures.oldest_pending_seconds > settings.OUTBOX_LATE_SECONDS
    return {
        "ok": not late and figures.failed == 0,
        "pending": figures.pending,
        "oldest_pending_seconds": figures.oldest_pending_seconds,
        "failed": figures.failed,
        "interrupted": figures.interrupted,
    }


def _database_reachable() -> bool:
    """A query, not just a connection object: a persistent connection (``DB_CONN_MAX_AGE``) may
    have died with a PostgreSQL restart while its handle looks open. Such a connection is dropped
    and the query tried once more on a fresh one, so the probe reports the database, not a stale
    socket, and the first probe after PostgreSQL comes back already answers 200."""
    for attempt in (1, 2):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Error:  # InterfaceError too: "connection already closed" is not a DatabaseError
            if attempt == 2 or connection.in_atomic_block:
                logger.exception("Health check: database unreachable")
                return False
            connection.close()
        else:
            return True
    raise AssertionError("unreachable")


def health_report() -> dict[str, Any]:
    """Each component's state; ``database`` false means nothing else could be read."""
    if not _database_reachable():
        return {"database": {"ok": False}}
    report: dict[str, Any] = {"database": {"ok": True}, "broker": _broker()}
    try:
        report["worker"] = _worker()
        report["outbox"] = _outbox()
    except DatabaseError:  # the connection dropped between the two reads
        logger.exception("Health check: database unreachable")
        return {"database": {"ok": False}}
    return report


def readiness(report: dict[str, Any], required: tuple[str, ...] = ("database",)) -> tuple[str, int]:
    if not all(report.get(name, {}).get("ok") for name in required):
        return "unavailable", 503
    if not all(part.get("ok") for part in report.values()):
        return "degraded", 200
    return "ok", 200


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        asked = tuple(name for name in request.GET.get("exiger", "").split(",") if name in COMPONENTS)
        report = health_report()
        status, code = readiness(report, ("database", *asked))
        body = json.dumps({"status": status, **report}, sort_keys=True)
        return HttpResponse(body, status=code, content_type="application/json")
