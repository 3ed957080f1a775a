"""How many open conversations one web replica serves at the poll's interval.

    python benchmarks/poll_capacity.py [--intervals 5,15] [--steps 250,500,1000,1500,2000,3000]
                                       [--budget-ms 500] [--periods 3] [--threads 48]

It builds (once) a database ``mentorat_pollbench`` of 10,000 participants with
``benchmarks/load.py``'s builder (``demo_data``: about 5,000 binômes, 4,200 running, 42,000
messages), opens N member sessions on N different running binômes directly in the session table
(each with its own cursor: the newest message it may see and the team's decisions), and starts
gunicorn with production settings and ``gunicorn.conf.py`` (3 workers x 2 threads) on port
18200 (Redis db 9). Then, for each interval and each N in ``--steps``, each of the N pages polls
``messages/?after=&decisions=`` once per interval, at a random phase, for ``--periods`` intervals
(open loop: a late answer never delays the next poll of the others). A step passes when every
answer is a 204 (nothing new: the open pages' usual case), p95 latency, counted from the moment
the poll was due (so a client's queueing counts), is within ``--budget-ms``, and the server kept
up (>= 95 % of the polls offered were answered within the step). The capacity printed is the
largest N that passed; the search stops at the first failure.

In the same run: the ceiling, ``/sante/`` (one ``SELECT 1``, answered by the first middleware)
and the idle poll itself, each driven by 4 closed-loop clients for 8 s (the figures of
``benchmarks/load.py``), and what they mean in conversations at each interval (req/s x interval).

The client is the standard library's ``http.client`` in ``--threads`` threads, each with its own
keep-alive connection (as a reverse proxy's pool of upstream connections), a request timeout of
10 s; bounded by construction (a fixed number of polls per step, loopback only, gunicorn stopped
in a ``finally``). Figures, never a test: the machine's load is printed with them.
"""

from __future__ import annotations

import argparse
import heapq
import http.client
import json
import os
import random
import secrets
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import load  # noqa: E402 - the builder and the gunicorn runner, reused as they are
from benchmarks.loadkit import server as load_server  # noqa: E402

HOST, PORT = "127.0.0.1", 18200
DATABASE = "mentorat_pollbench"
SIZE = 10_000
TIMEOUT = 10.0


# --- data (runs inside ``manage.py shell``) ----------------------------------------------------


def sessions(count: int) -> None:
    """Print one JSON line: ``count`` fresh member sessions, each on its own running binôme, with
    the poll path that binôme's open page would ask (its cursor as the page renders it)."""
    from datetime import timedelta

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from binomes import selectors
    from binomes.models import Binome

    binomes = list(Binome.objects.filter(status__in=Binome.RUNNING_STATUSES).select_related(
        "mentor__membership__user", "mentee__membership__user").order_by("pk")[:count])
    store, rows, polls = SessionStore(), [], []
    expire = timezone.now() + timedelta(days=1)
    for i, binome in enumerate(binomes):
        role = ("mentee", "mentor")[i % 2]
        user = getattr(binome, role).membership.user
        viewer = selectors.Viewer(binome, role)
        newest = selectors.visible_messages(viewer=viewer, newest_first=True).values_list("pk", flat=True).first() or 0
        decisions = selectors.conversation_decisions(viewer=viewer)
        key = secrets.token_hex(16)
        rows.append(Session(session_key=key, expire_date=expire, session_data=store.encode({
            SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash()})))
        polls.append({"cookie": key, "path": f"/mon-espace/binomes/{binome.pk}/messages/?after={newest}&decisions={decisions}"})
    Session.objects.bulk_create(rows, batch_size=1000)
    print(json.dumps(polls))


# --- load --------------------------------------------------------------------------------------


@dataclass
class Step:
    interval: float
    conversations: int
    offered: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds from due time, 204 answers only
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def p(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] if ordered else float("inf")

    def passed(self, budget: float) -> bool:
        return not self.errors and len(self.latencies) >= 0.95 * self.offered and self.p(0.95) <= budget


def run_step(polls: list[dict], interval: float, periods: int, threads: int) -> Step:
    """Each poll path is asked once per ``interval`` at its own random phase, ``periods`` times."""
    rng = random.Random(len(polls) * 1000 + int(interval))
    start = time.monotonic() + 0.5
    schedule = [(start + rng.uniform(0, interval) + k * interval, i) for i in range(len(polls)) for k in range(periods)]
    heapq.heapify(schedule)
    step = Step(interval, len(polls), offered=len(schedule))
    lock = threading.Lock()
    end_by = start + periods * interval + TIMEOUT

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, PORT, timeout=TIMEOUT)
        while True:
            with lock:
                if not schedule:
                    break
                due, i = heapq.heappop(schedule)
            if due > end_by:
                break
            if time.monotonic() - due > TIMEOUT:  # the client fell this far behind: count it, don't send it
                with lock:
                    step.errors["late"] = step.errors.get("late", 0) + 1
                continue
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            headers = {"Host": HOST, "Cookie": f"sessionid={polls[i]['cookie']}", "HX-Request": "true", "Accept-Encoding": "identity"}
            try:
                connection.request("GET", polls[i]["path"], headers=headers)
                response = connection.getresponse()
                response.read()
                outcome = str(response.status)
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                connection = http.client.HTTPConnection(HOST, PORT, timeout=TIMEOUT)
                outcome = type(exc).__name__
            elapsed = time.monotonic() - due
            with lock:
                if outcome == "204":
                    step.latencies.append(elapsed)
                else:
                    step.errors[outcome] = step.errors.get(outcome, 0) + 1
        connection.close()

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    deadline = end_by + 2 * TIMEOUT
    for thread in pool:
        thread.join(max(0.0, deadline - time.monotonic()))
    step.seconds = time.monotonic() - start
    return step


def closed_loop(path: str, cookie: str, *, ok: int, clients: int = 4, duration: float = 8.0) -> load.Result:
    """``clients`` closed-loop clients on one path for ``duration`` s (load.drive's figures, with
    the status a success answers: 200 for /sante/, 204 for an idle poll)."""
    headers = {"Host": HOST, "Accept-Encoding": "identity", **({"Cookie": f"sessionid={cookie}", "HX-Request": "true"} if cookie else {})}
    result, lock = load.Result(path), threading.Lock()
    for _ in range(12):  # a few requests on fresh connections first: every worker has served one
        warm = http.client.HTTPConnection(HOST, PORT, timeout=TIMEOUT)
        warm.request("GET", path, headers=headers)
        warm.getresponse().read()
        warm.close()
    deadline = time.monotonic() + duration

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, PORT, timeout=TIMEOUT)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(HOST, PORT, timeout=TIMEOUT)
                status = 0
            with lock:
                if status == ok:
                    result.latencies.append(time.perf_counter() - started)
                else:
                    result.errors += 1
        connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 2 * TIMEOUT)
    result.seconds = time.monotonic() - started
    return result


def loadavg() -> str:
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--intervals", default="5,15", help="poll intervals in seconds (the page's: 5 active, 15 quiet, 60 hidden)")
    parser.add_argument("--steps", default="250,500,1000,1500,2000,2500,3000,4000", help="open conversations to try, increasing")
    parser.add_argument("--budget-ms", type=float, default=500.0, help="p95 latency a step must stay within")
    parser.add_argument("--periods", type=int, default=3, help="polls per conversation per step (1-10)")
    parser.add_argument("--threads", type=int, default=48, help="client threads, each with one keep-alive connection (1-200)")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    options = parser.parse_args(argv)
    try:
        options.intervals = [float(x) for x in options.intervals.split(",") if x.strip()]
        options.steps = sorted(int(x) for x in options.steps.split(",") if x.strip())
    except ValueError:
        parser.error("--intervals and --steps take numbers, comma-separated")
    if not options.steps or options.steps[0] < 1 or not all(1 <= i <= 120 for i in options.intervals):
        parser.error("--steps must be positive; --intervals between 1 and 120 s")
    if not 1 <= options.periods <= 10 or not 1 <= options.threads <= 200:
        parser.error("--periods 1-10, --threads 1-200")
    return options


def main(argv: list[str] | None = None) -> None:
    options = parse(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop gunicorn (the finally) on SIGTERM too
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DATABASE_URL", "DB_JIT", "DASHBOARD_CACHE_SECONDS"}}
    env.update(DJANGO_SETTINGS_MODULE="mentorat.settings", SECRET_KEY=secrets.token_urlsafe(48), SECURE_SSL_REDIRECT="false",
               ALLOWED_HOSTS=HOST, REDIS_URL=options.redis_url, LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT),
               DATABASE_URL=f"{options.postgres}/{DATABASE}")
    load.manage("collectstatic", "--noinput", "-v0", env={**env, "DATABASE_URL": "sqlite:///:memory:"})
    load.ensure_database(options.postgres, DATABASE)
    data = load.build(SIZE, env)
    wanted = options.steps[-1]
    raw = load.manage("shell", "-c", f"from benchmarks.poll_capacity import sessions; sessions({wanted})", env=env, capture=True)
    polls = json.loads(raw.strip().splitlines()[-1])
    print(f"database {DATABASE}: {data['participants']:,} participants, {data['binomes']:,} binômes, {data['messages']:,} messages; "
          f"{len(polls):,} member sessions on as many running binômes", flush=True)
    load_server.free_port = lambda: PORT  # this helper's port, not a random one
    server = load.Gunicorn(env)
    try:
        ceiling = closed_loop("/sante/", "", ok=200)
        idle = closed_loop(polls[0]["path"], polls[0]["cookie"], ok=204)
        print(f"ceiling /sante/: {ceiling.rate:.1f} req/s (p95 {ceiling.percentile(0.95) * 1000:.0f} ms); idle poll: "
              f"{idle.rate:.1f} req/s (p95 {idle.percentile(0.95) * 1000:.0f} ms, {idle.errors} errors), "
              f"{100 * idle.rate / ceiling.rate:.0f} % of the ceiling; load {loadavg()}", flush=True)
        capacities, opened = {}, 0
        for interval in options.intervals:
            capacities[interval] = 0
            for n in options.steps:
                if n > len(polls):
                    print(f"  only {len(polls)} running binômes: step {n} skipped")
                    break
                if n > opened:
                    # The new pages open (their first poll, the full path, remembers the cursor), at
                    # about 40 a second, unmeasured. Each remembered cursor then expires after
                    # SEEN_TTL (120 s) and takes the full path once again: the steady state of
                    # pages left open, which the steps measure.
                    run_step(polls[opened:n], max(2.0, (n - opened) / 40), 1, options.threads)
                    opened = n
                step = run_step(polls[:n], interval, options.periods, options.threads)
                ok = step.passed(options.budget_ms / 1000)
                print(f"  every {interval:g} s, {n:>5} conversations: offered {step.offered / (interval * options.periods):.0f} polls/s, "
                      f"answered {len(step.latencies) / step.seconds:.1f}/s, "
                      f"p50 {step.p(0.5) * 1000:.0f} ms p95 {step.p(0.95) * 1000:.0f} ms, errors {step.errors or 0} -> "
                      f"{'pass' if ok else 'FAIL'} (load {loadavg()})", flush=True)
                if not ok:
                    break
                capacities[interval] = n
        print()
        print(f"| poll interval | open conversations served (p95 <= {options.budget_ms:g} ms, no error) "
              "| ceiling /sante/ x interval | idle poll closed-loop x interval |")
        print("|---|---|---|---|")
        for interval, n in capacities.items():
            print(f"| {interval:g} s | {n:,} | {ceiling.rate * interval:,.0f} | {idle.rate * interval:,.0f} |")
        print(f"\nload average at the end: {loadavg()} (2 cores shared with PostgreSQL, Redis and this client)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
