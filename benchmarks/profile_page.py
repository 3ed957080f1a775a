"""Where one page's time goes, in-process, on a load-benchmark database.

    DATABASE_URL=postgres://…/mentorat_loadbench_10000 python manage.py shell -c \
        "from benchmarks.profile_page import run; run('/coordination/load-10000/binomes/', user='coordinator', size=10000)"

Opens a session for the association's coordinator or its busiest binôme's member (as
``benchmarks/load.py`` does), requests the page ``warm`` times to fill the caches, then ``repeat``
times measured: per request the wall and CPU time (``time.process_time``: this process only, the
server's side of it), the SQL time as the driver saw it (each query's round trip), the number of
queries and their slowest, and the template rendering time (``Template.render`` of the outermost
template). With ``profile=True`` the measured requests also run under cProfile and the functions
with the most cumulative and own time are printed. It never fails on what it finds: it prints.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import time
from contextlib import contextmanager
from typing import Any


@contextmanager
def _sql_timer(into: list[tuple[float, str]]):  # noqa: ANN202
    from django.db import connection

    def wrapper(execute, sql, params, many, context):  # noqa: ANN001, ANN202
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            into.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(wrapper):
        yield


@contextmanager
def _render_timer(into: list[float]):  # noqa: ANN202
    """Time of the outermost Template.render (nested includes are inside it)."""
    from django.template import base

    original = base.Template.render
    depth = [0]

    def render(self, context):  # noqa: ANN001, ANN202
        depth[0] += 1
        started = time.perf_counter()
        try:
            return original(self, context)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                into.append(time.perf_counter() - started)

    base.Template.render = render
    try:
        yield
    finally:
        base.Template.render = original


def _session(size: int, user: str) -> tuple[str, int]:
    import json
    import sys
    from contextlib import redirect_stdout

    from benchmarks.load import fixture

    out = io.StringIO()
    with redirect_stdout(out):
        fixture(size)
    data = json.loads(out.getvalue().strip().splitlines()[-1])
    print(f"size {size}: participants={data['participants']} binomes={data['binomes']} messages={data['messages']}", file=sys.stderr)
    return data["sessions"][user], data["binome_id"]


def run(path: str, *, user: str = "coordinator", size: int = 10000, warm: int = 3, repeat: int = 20, profile: bool = False,
        htmx: bool = False, top: int = 25, show_queries: bool = False) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    session, binome_id = _session(size, user)
    path = path.format(slug=f"load-{size}", binome_id=binome_id)
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    headers = {"HX-Request": "true"} if htmx else {}
    for _ in range(warm):
        response = client.get(path, headers=headers)
    walls, cpus, sql_ms, counts, renders, slowest = [], [], [], [], [], []
    profiler = cProfile.Profile() if profile else None
    last: list[tuple[float, str]] = []
    for _ in range(repeat):
        queries: list[tuple[float, str]] = []
        rendered: list[float] = []
        with _sql_timer(queries), _render_timer(rendered):
            wall, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            response = client.get(path, headers=headers)
            if profiler:
                profiler.disable()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        sql_ms.append(sum(t for t, _ in queries))
        counts.append(len(queries))
        renders.append(sum(rendered))
        slowest.append(max(queries, default=(0.0, "")))
        last = queries
    med = statistics.median
    top_query = max(slowest)
    figures = {
        "status": response.status_code, "bytes": len(response.content), "queries": med(counts),
        "wall_ms": med(walls) * 1000, "cpu_ms": med(cpus) * 1000, "sql_ms": med(sql_ms) * 1000, "render_ms": med(renders) * 1000,
    }
    print(f"{path}: status {figures['status']}, {figures['bytes'] / 1024:.0f} KB, {figures['queries']:.0f} queries; "
          f"median of {repeat}: wall {figures['wall_ms']:.1f} ms, CPU {figures['cpu_ms']:.1f} ms, SQL {figures['sql_ms']:.1f} ms, "
          f"templates {figures['render_ms']:.1f} ms (SQL inside templates counted in both)")
    print(f"  slowest query seen: {top_query[0] * 1000:.1f} ms  {' '.join(top_query[1].split())[:300]}")
    if show_queries:
        for seconds, sql in last:
            print(f"  {seconds * 1000:6.1f} ms  {' '.join(sql.split())[:240]}")
    if profiler:
        for key in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(top)
            print(out.getvalue())
    return figures
