"""Load benchmark: real gunicorn (production settings: DEBUG off, Redis cache, persistent
connections, ``gunicorn.conf.py``) against PostgreSQL, 4 concurrent clients per page on loopback.

    python benchmarks/load.py --sizes 1000,10000 [--duration 8] [--clients 4] [--jit off|on|both]

For each size it builds (once) an association of that many participants in a private database
``mentorat_loadbench_<size>`` (``demo_data``: 60 % mentees, 40 % mentors, three matching rounds with
a year of messages; bulk inserts, about 10 s for 1k and 2 min for 10k), opens sessions for its
coordinator and for a member of its busiest binôme directly in the session table, starts gunicorn
on a free 127.0.0.1 port, and drives each page for ``--duration`` seconds with ``--clients`` closed-
loop clients. ``/sante/`` (one ``SELECT 1`` and the outbox figures) is measured in the same run as
the ceiling. It prints req/s, p50/p95 and the share of the ceiling per page and size; it never fails
on speed. The dashboard is measured warm (figures cached) and cold (a second server with
``DASHBOARD_CACHE_SECONDS=0``).

Beside wall times (which move with the machine's other load) each page reports the CPU it cost
per request, read from /proc: gunicorn's processes ("web") and the PostgreSQL backends serving
the size's database. The binômes CSV export is measured as a coordinator meets it: streamed
(4 clients, like a page) while the association is under ``EXPORT_STREAM_MAX_ROWS``; above it
the request answers 302 to "Export en préparation", so the benchmark starts one Celery worker
(solo pool, same database, Redis and a temporary ``EXPORTS_ROOT``) and times request → file
ready → file downloaded, polling the page every 0.2 s (one client, 3 trials after a warm one).

The load generator is the standard library's ``http.client`` in threads (one keep-alive
connection per client), not locust: four blocking clients are all the issue asks, and on two
shared cores a generator that costs as little CPU as possible leaves the cores to gunicorn and
PostgreSQL (locust's gevent workers and stats would compete with the server it measures).

Bounded by construction: loopback only, a fixed duration per page, a 60 s timeout per request,
and gunicorn is stopped in a ``finally`` (also on Ctrl-C).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

if __package__ in (None, ""):  # run as ``python benchmarks/load.py``: the checkout's root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.loadkit import HOST, ROOT
from benchmarks.loadkit import server as servers
from benchmarks.loadkit.data import (
    DB_PREFIX,
    build,
    database_name,
    ensure_database,
    fixture,
    manage,
    slug_for,
    split,
)
from benchmarks.loadkit.report import Result, ratios, short, table
from benchmarks.loadkit.server import CeleryWorker, DatabaseCpu, Gunicorn, free_port, group_cpu

# Re-exported: poll_capacity.py, profile_page.py, the tests and ``manage.py shell -c "from
# benchmarks.load import fixture"`` use these names from here.
__all__ = ["DB_PREFIX", "HOST", "PAGES", "ROOT", "CeleryWorker", "DatabaseCpu", "Gunicorn", "Page", "Result", "build",
           "database_name", "drive", "ensure_database", "fixture", "free_port", "group_cpu", "main", "manage", "parse",
           "ratios", "short", "slug_for", "split", "table"]
REQUEST_TIMEOUT = 60.0
WARM_ROUNDS = 3  # per page, before the clock starts (see drive)


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # formatted with slug, binome_id
    user: str = "coordinator"  # or "member", or "" (anonymous)
    htmx: bool = False
    cold: bool = False  # served by a server that recomputes the dashboard figures every request
    export: bool = False  # streamed below EXPORT_STREAM_MAX_ROWS, else built by a worker (timed to the file)


PAGES = [
    Page("ceiling /sante/", "/sante/", user=""),
    Page("participants list", "/coordination/{slug}/participants/"),
    Page("proposals", "/coordination/{slug}/propositions/"),
    Page("coordinator binômes list", "/coordination/{slug}/binomes/"),
    Page("participants search by name", "/coordination/{slug}/participants/?q={search}"),
    Page("participant page (coordinator)", "/coordination/{slug}/participants/{participant_id}/"),
    Page("API participants (coordinator)", "/api/v1/associations/{slug}/participants/"),
    Page("member's space", "/mon-espace/", user="member"),
    Page("binôme page (member)", "/mon-espace/binomes/{binome_id}/", user="member"),
    Page("conversation poll (member)", "/mon-espace/binomes/{binome_id}/messages/", user="member", htmx=True),
    Page("dashboard warm", "/coordination/{slug}/tableau-de-bord/"),
    Page("CSV export of binômes", "/coordination/{slug}/tableau-de-bord/binomes.csv", export=True),
    Page("dashboard cold", "/coordination/{slug}/tableau-de-bord/", cold=True),
]


# --- load --------------------------------------------------------------------------------------


def drive(port: int, page: Page, path: str, cookie: str, clients: int, duration: float, *,
          server: Gunicorn | None = None, database: DatabaseCpu | None = None) -> Result:
    """``clients`` closed-loop clients request ``path`` for ``duration`` seconds; with ``server``
    and ``database``, the CPU both spent meanwhile."""
    headers = {"Host": HOST, "Accept-Encoding": "identity"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    if page.htmx:
        headers["HX-Request"] = "true"
    result = Result(page.name)
    lock = threading.Lock()

    def one(connection: http.client.HTTPConnection) -> tuple[int, int]:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, len(response.read())

    warm = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    status, size = one(warm)  # fills the templates' and (warm dashboard) the figures' caches
    warm.close()
    result.body_bytes = size
    if status != 200:
        print(f"  ! {page.name}: {path} answered {status}", flush=True)

    deadline = time.monotonic() + duration

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, _ = one(connection)
            except (OSError, http.client.HTTPException):
                connection.close()
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    result.latencies.append(elapsed)
                else:
                    result.errors += 1
                    result.statuses.add(status)
        connection.close()

    # Every worker process serves the page a few times first (its templates compiled, its
    # connection's catalog caches filled), so the CPU per request is the steady state's, not
    # three workers' first requests: WARM_ROUNDS rounds of ``clients`` parallel fresh connections.
    for _ in range(WARM_ROUNDS):
        warmers = [threading.Thread(target=lambda: one(http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)), daemon=True)
                   for _ in range(max(clients, 6))]
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join(REQUEST_TIMEOUT)
    deadline = time.monotonic() + duration
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    cpu_before = group_cpu(server.process.pid) if server else 0.0
    db_before = database.snapshot() if database else {}
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT + duration)
    result.seconds = time.monotonic() - started
    if server:
        result.server_cpu = group_cpu(server.process.pid) - cpu_before
    if database:
        result.database_cpu = database.spent(db_before, database.snapshot())
    return result


EXPORT_TRIALS = 3
EXPORT_READY_TIMEOUT = 300.0
EXPORT_POLL_SECONDS = 0.2  # the page refreshes itself every 3 s; polling faster measures the worker, not the refresh


def export_until_ready(port: int, page: Page, path: str, cookie: str, *, server: Gunicorn, worker: CeleryWorker,
                       database: DatabaseCpu | None) -> Result:
    """What a coordinator meets above ``EXPORT_STREAM_MAX_ROWS``: the export answers 302 to
    "Export en préparation", a worker builds the file, the page then links it. Each trial is
    timed from the request to the file's last byte (one client, ``EXPORT_TRIALS`` times)."""
    headers = {"Host": HOST, "Accept-Encoding": "identity", "Cookie": f"sessionid={cookie}"}
    result = Result(f"{page.name} (worker: request → file)")
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)

    def get(url: str) -> tuple[int, str, bytes]:
        connection.request("GET", url, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Location") or "", response.read()

    cpu_before = db_before = worker_before = None
    started_all = 0.0
    try:
        for trial in range(EXPORT_TRIALS + 1):
            if trial == 1:  # the first trial only waits for the worker to start (untimed)
                result.latencies.clear()
                result.errors, result.statuses = 0, set()
                cpu_before, worker_before = group_cpu(server.process.pid), group_cpu(worker.process.pid)
                db_before = database.snapshot() if database else {}
                started_all = time.monotonic()
            started = time.perf_counter()
            status, location, _ = get(path)
            if status != 302:
                result.errors += 1
                result.statuses.add(status)
                continue
            waiting = location.split("//", 1)[-1]
            waiting = waiting[waiting.index("/"):] if not waiting.startswith("/") else waiting
            deadline = time.monotonic() + EXPORT_READY_TIMEOUT
            while time.monotonic() < deadline:
                status, _, body = get(waiting)
                if f'href="{waiting}fichier/"'.encode() in body:
                    break
                if status != 200 or "échoué".encode() in body:
                    deadline = 0.0
                    break
                time.sleep(EXPORT_POLL_SECONDS)
            else:
                deadline = 0.0
            if not deadline:
                result.errors += 1
                result.statuses.add(status)
                continue
            status, _, body = get(f"{waiting}fichier/")
            if status == 200:
                result.latencies.append(time.perf_counter() - started)
                result.body_bytes = len(body)
            else:
                result.errors += 1
                result.statuses.add(status)
    finally:
        connection.close()
    result.seconds = time.monotonic() - started_all
    result.server_cpu = group_cpu(server.process.pid) - cpu_before
    if database:
        result.database_cpu = database.spent(db_before, database.snapshot())
    built = (group_cpu(worker.process.pid) - worker_before) / max(1, len(result.latencies))
    result.note = (f"{page.name}: one client, {EXPORT_TRIALS} trials after a warm one; p50/p95 = request → file downloaded; "
                   f"web CPU counts the request, the page's polls every {EXPORT_POLL_SECONDS} s and the download; "
                   f"the worker spent {built:.2f} CPU-s per file")
    return result


def explain(size: int, data: dict, env: dict[str, str], options: argparse.Namespace) -> str:
    """EXPLAIN ANALYZE of every SELECT each page runs (``benchmarks.explain_pages``, in a
    ``manage.py shell`` on the size's database): printed after the figures."""
    wanted = [page for page in PAGES if not page.cold and (not options.pages or any(word in page.name for word in options.pages))]
    pages = [{"name": p.name, "path": p.path.format(slug=data["slug"], binome_id=data["binome_id"], participant_id=data["participant_id"], search=quote(data["search"])), "user": p.user, "htmx": p.htmx}
             for p in wanted]
    request = json.dumps({"size": size, "pages": pages, "sessions": data["sessions"]})
    # Figures recomputed (the dashboard's real queries, not its cache), JIT off as served.
    plan_env = {**env, "DASHBOARD_CACHE_SECONDS": "0", "DB_JIT": "false", "ALLOWED_HOSTS": f"{HOST},testserver"}
    out = manage("shell", "-c", f"from benchmarks.explain_pages import run; run({request!r})", env=plan_env, capture=True)
    print(out, flush=True)
    return out


def _probe(port: int, path: str, cookie: str) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path, headers={"Host": HOST, "Cookie": f"sessionid={cookie}", "Accept-Encoding": "identity"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def measure(size: int, data: dict, env: dict[str, str], options: argparse.Namespace, jit: str) -> list[Result]:
    import tempfile

    results = []
    wanted = [page for page in PAGES if not options.pages or any(word in page.name for word in options.pages)]
    exports_root = tempfile.mkdtemp(prefix="loadbench-exports-")
    database = DatabaseCpu(env["DATABASE_URL"])
    try:
        for cold in (False, True):
            group = [page for page in wanted if page.cold == cold]
            if not group:
                continue
            server_env = {**env, "DB_JIT": "true" if jit == "on" else "false", "EXPORTS_ROOT": exports_root}
            if cold:
                server_env["DASHBOARD_CACHE_SECONDS"] = "0"
            server, worker = Gunicorn(server_env), None
            try:
                if cold:  # the ceiling of this server too, so that its share compares like with like
                    group = [PAGES[0], *group]
                for page in group:
                    path = page.path.format(slug=data["slug"], binome_id=data["binome_id"], participant_id=data["participant_id"], search=quote(data["search"]))
                    cookie = data["sessions"][page.user] if page.user else ""
                    if page.export and _probe(server.port, path, cookie) == 302:
                        worker = worker or CeleryWorker(server_env)
                        result = export_until_ready(server.port, page, path, cookie, server=server, worker=worker, database=database)
                        result.note = f"{size:,} participants, {result.note}"
                    else:
                        result = drive(server.port, page, path, cookie, options.clients, options.duration,
                                       server=server, database=database)
                        if page.export:
                            result.page = f"{page.name} (streamed)"
                    if cold and page is PAGES[0]:
                        continue
                    results.append(result)
                    print(f"  {size:>6} jit={jit:<3} {result.page:<28} {result.rate:8.1f} req/s  p95 {result.percentile(0.95) * 1000:7.0f} ms"
                          f"  CPU/request: web {result.per_request_ms(result.server_cpu):6.1f} ms, "
                          f"PostgreSQL {result.per_request_ms(result.database_cpu):6.1f} ms", flush=True)
            finally:
                server.stop()
                if worker:
                    worker.stop()
    finally:
        database.close()
        import shutil

        shutil.rmtree(exports_root, ignore_errors=True)
    return results


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="participants per association, comma-separated")
    parser.add_argument("--duration", type=float, default=8.0, help="seconds of load per page (1-60)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (1-16)")
    parser.add_argument("--jit", choices=("off", "on", "both"), default="off", help="PostgreSQL JIT for the server's connections")
    parser.add_argument("--pages", default="", help="only the pages whose name contains one of these words (comma-separated)")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server (no database)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--db-prefix", default=DB_PREFIX, help="databases are <prefix>_<size> (one set per checkout)")
    parser.add_argument("--ports", default="", help="gunicorn's port range, e.g. 18100-18199 (default: any free port)")
    parser.add_argument("--build-only", action="store_true", help="build the sizes' databases, measure nothing")
    parser.add_argument("--explain", action="store_true",
                        help="also EXPLAIN ANALYZE every SELECT of every page (seq scans over big tables, sorts on disk)")
    options = parser.parse_args(argv)
    try:
        options.sizes = [int(size) for size in options.sizes.split(",") if size.strip()]
    except ValueError:
        parser.error("--sizes takes integers, e.g. 1000,10000")
    if not options.sizes or any(size < 10 for size in options.sizes):
        parser.error("--sizes: at least 10 participants each")
    if not 1 <= options.duration <= 60:
        parser.error("--duration must be between 1 and 60 seconds")
    if not 1 <= options.clients <= 16:
        parser.error("--clients must be between 1 and 16")
    if not options.postgres.startswith(("postgres://postgres@127.0.0.1", "postgres://postgres@localhost", "postgresql://")):
        print("note: --postgres is not the loopback default", file=sys.stderr)
    options.pages = [word.strip() for word in options.pages.split(",") if word.strip()]
    if options.ports:
        try:
            low, high = (int(p) for p in options.ports.split("-"))
        except ValueError:
            parser.error("--ports takes a range, e.g. 18100-18199")
        if not 1024 <= low <= high <= 65535:
            parser.error("--ports: a range between 1024 and 65535")
        options.ports = range(low, high + 1)
    if not options.db_prefix.replace("_", "").isalnum():
        parser.error("--db-prefix: letters, digits and underscores")
    return options


def main(argv: list[str] | None = None) -> None:
    options = parse(argv)
    servers.PORTS = options.ports or None
    base = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DATABASE_URL", "DB_JIT", "DASHBOARD_CACHE_SECONDS"}}
    base.update(
        DJANGO_SETTINGS_MODULE="mentorat.settings", SECRET_KEY=secrets.token_urlsafe(48), SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS=HOST, REDIS_URL=options.redis_url, LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT),
    )
    manage("collectstatic", "--noinput", "-v0", env={**base, "DATABASE_URL": "sqlite:///:memory:"})
    rows, plans = [], []
    for size in options.sizes:
        ensure_database(options.postgres, database_name(size, options.db_prefix))
        env = {**base, "DATABASE_URL": f"{options.postgres}/{database_name(size, options.db_prefix)}"}
        data = build(size, env)
        print(f"size {size}: participants={data['participants']} binomes={data['binomes']} messages={data['messages']} "
              f"(member's binôme: {data['binome_messages']} messages)", flush=True)
        if options.build_only:
            continue
        if options.explain:
            plans.append(explain(size, data, env, options))
        for jit in (("off", "on") if options.jit == "both" else (options.jit,)):
            rows.append((size, jit, measure(size, data, env, options, jit)))
    if options.build_only:
        return
    with open("/proc/loadavg") as loadavg:
        load = loadavg.read().split()[:3]
    print(f"\n{options.clients} clients, {options.duration:g} s per page, load average {' '.join(load)}, "
          f"statistics from {sum(len(r.latencies) for _, _, results in rows for r in results):,} requests\n")
    print(table(rows))
    for note in sorted({r.note for _, _, results in rows for r in results if r.note}):
        print(f"\n{note}")
    if summary := ratios(rows):
        print(f"\n{summary}")
    for text in plans:
        print(f"\n{text}")


if __name__ == "__main__":
    main()
