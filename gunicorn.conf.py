"""gunicorn settings for the web container (Dockerfile, docker-compose.yml, benchmarks/load.py).

Every value can be overridden from the environment. The defaults were chosen by measurement with
``benchmarks/load.py`` on a 2-core machine where PostgreSQL and Redis share the cores with the web
(the compose file's shape); see the figures quoted below.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not an integer") from None
    if value < 1:
        raise SystemExit(f"{name}={raw!r} must be at least 1")
    return value


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Workers and threads: 3 processes of 2 threads (gthread) per replica. Measured at 10k participants
# (4 clients; ceiling /sante/, binôme page, conversation poll, warm dashboard), 2, 3 or 4 sync
# workers, 2x4 and 3x2 threads all served the same req/s within the noise of a shared 2-core
# machine (load average 3.6-5.2): the pages spend their time in Python and in PostgreSQL on the
# same two cores, so more processes add memory and connections, not throughput. 3x2 had the best
# figures of the back-to-back runs (/sante/ 219 req/s, poll 43, warm dashboard 30, against 131,
# 20 and 17 for 2 sync workers). Cores + 1 processes keep both cores busy while one worker waits
# on PostgreSQL, Redis or the client, and a second thread per process lets a long CSV export or a
# slow page share its worker instead of queueing the requests behind it. Connections: one per
# thread (DB_CONN_MAX_AGE), 6 per web replica: keep replicas x 6 + Celery's well under PostgreSQL's
# max_connections (100). More cores: WEB_CONCURRENCY = cores + 1.
workers = _int("WEB_CONCURRENCY", 3)
threads = _int("GUNICORN_THREADS", 2)
worker_class = "gthread" if threads > 1 else "sync"

# A request still running after this many seconds is killed (its worker restarted). The slowest
# legitimate request is a large CSV export (13.5 s for 26k binômes before it was streamed); 60 s
# leaves room for a slow moment without letting a stuck request hold a worker for long.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM (a deploy, `docker compose stop`), requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind the TLS proxy a connection is reused for a few seconds (only the threaded worker keeps
# connections alive; the sync worker closes each one).
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle a worker after about this many requests: whatever a long-lived process accumulates
# (fragmented memory after large exports) is returned; the jitter keeps workers from restarting
# together. Each restart costs one new database connection, nothing else.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# The heartbeat file on tmpfs: on a container's overlay filesystem a slow disk write could make
# the arbiter think a healthy worker is stuck.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Access log on stdout (the container's log), unless GUNICORN_ACCESS_LOG names a file or is empty.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No control socket (gunicorn 24+): nothing here uses it, and servers started side by side (the
# load benchmark, several containers sharing a home directory) would fight over its one path.
control_socket_disable = True


def post_worker_init(worker) -> None:  # noqa: ANN001, ARG001 - gunicorn's hook signature
    """Import the URLconf (every app's views, DRF, the admin) as soon as a worker starts, not in
    its first request: a worker recycled by ``max_requests`` would otherwise hold the requests it
    accepts for seconds on a loaded machine (4.5 s measured at load 12 on 2 cores,
    benchmarks/poll_capacity.py), which is what an open conversation's poll notices first."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the import is the point
