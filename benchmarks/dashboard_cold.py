"""The dashboard's cold computation (``dashboards.indicators.compute``, no cache), query by query.

Four paths, each timed (wall and CPU) over ``--runs``: ``read`` (the figures from a fresh rollup:
what a request does when the figures' cache is cold), ``refresh`` (the rollup's open days
recounted: beat, or one request a minute), ``build`` (the rollup's first build, the whole
history, once per association) and ``live`` (the figures aggregated from the rows, as before the
rollup and still for a cohort). ``--paths read,live`` picks some.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorat_pollbench SECRET_KEY=... \\
        python benchmarks/dashboard_cold.py [--slug load-10000] [--runs 15] [--explain 0] [--jit off|on] [--paths read,refresh,build,live]

Run it from a checkout's root against a database built by ``benchmarks/poll_capacity.py`` or
``benchmarks/load.py`` (10,000 participants: slug ``load-10000``); the code measured is the current
directory's (run it from main's checkout for the "before" figures). Prints the median and p95 of
``--runs`` cold computations of the association's default dashboard (this year so far), the time
of each query (median over the runs, slowest first, with its first words) and the EXPLAIN ANALYZE
of the ``--explain`` slowest. In-process (no server): the figures are the computation's own, not a
page's. Figures only; never fails because the machine is slow.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from associations.models import Association  # noqa: E402
from dashboards.forms import DashboardFilterForm  # noqa: E402
from dashboards.indicators import compute  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slug", default="load-10000")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--explain", type=int, default=0, help="EXPLAIN ANALYZE of this many slowest queries")
    parser.add_argument("--jit", choices=("off", "on"), default="", help="override the connection's JIT setting")
    parser.add_argument("--paths", default="read,refresh,build,live")
    args = parser.parse_args()
    association = Association.objects.get(slug=args.slug)
    scope = DashboardFilterForm(None).scope((association.pk,))
    if args.jit:
        with connection.cursor() as cursor:
            cursor.execute(f"SET jit = {args.jit}")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    from dashboards import rollup
    from dashboards.indicators import _build, _live_inputs

    settings.DASHBOARD_ROLLUP_SECONDS = 10**9  # ``read``: never refreshed by the computation itself
    paths = {
        "read": lambda: compute(scope),
        "refresh": lambda: rollup.rollup_refresh(association_id=association.pk),
        "build": lambda: rollup.rollup_refresh(association_id=association.pk, full=True),
        "live": lambda: _build(scope, _live_inputs(scope, longest=10)),
    }
    with open("/proc/loadavg") as handle:
        load = " ".join(handle.read().split()[:3])
    print(f"{association.slug}: {association.participants.count():,} participants; scope {scope.start} – {scope.end}; jit={jit}; "
          f"load {load}")
    rollup.rollup_refresh(association_id=association.pk)  # built (or refreshed) once before timing
    for name in args.paths.split(","):
        run = paths[name]
        run()  # warm: connection, plans' catalogue reads
        totals, cpu, per_query, sql_of = [], [], {}, {}
        for _ in range(args.runs if name != "build" else max(1, args.runs // 5)):
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                run()
                totals.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            for i, q in enumerate(captured.captured_queries):
                per_query.setdefault(i, []).append(float(q["time"]) * 1000)
                sql_of[i] = q["sql"]
        totals.sort()
        sql = sum(statistics.median(v) for v in per_query.values())
        print(f"\n{name}: median {statistics.median(totals):.0f} ms wall, {statistics.median(cpu):.0f} ms CPU (this process), "
              f"SQL {sql:.0f} ms; p95 {totals[min(len(totals) - 1, round(0.95 * len(totals)) - 1)]:.0f} ms over {len(totals)} runs, "
              f"{len(per_query)} queries")
        ranked = sorted(per_query, key=lambda i: -statistics.median(per_query[i]))
        for i in ranked[:8]:
            print(f"  q{i:<2} {statistics.median(per_query[i]):7.1f} ms  {' '.join(sql_of[i].split())[:110]}")
        for i in ranked[:args.explain]:
            if not sql_of[i].lstrip().upper().startswith("SELECT"):
                continue
            print(f"\nEXPLAIN ANALYZE {name} q{i}:")
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF, SUMMARY ON) " + sql_of[i])
                print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
