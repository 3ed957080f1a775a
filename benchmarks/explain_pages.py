"""EXPLAIN ANALYZE of every SELECT a page runs, on a load-benchmark database.

Run by ``benchmarks/load.py --explain`` inside ``manage.py shell`` (the size's database, production
settings). Each page is requested twice in-process with Django's test client under the benchmark's
session (the first warms the connection's catalog caches, as gunicorn's persistent connections
are); every SELECT the second sent is then explained with ``EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)``
(writes — session, read marker, staff read — are counted, not re-run). Per page it prints the
queries, their total and slowest execution time, every sequential scan that read more than
``BIG_SCAN`` rows (a scan over the association), and every sort that spilled to disk. It never
fails on what it finds: it prints.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

BIG_SCAN = 2000  # rows read by one sequential scan (kept + filtered out) before it is named
TIMINGS = 3  # each query is explained three times and the fastest kept: the machine is shared


@dataclass
class PagePlan:
    name: str
    status: int = 0
    queries: int = 0
    writes: int = 0
    total_ms: float = 0.0
    slowest_ms: float = 0.0
    slowest_sql: str = ""
    seq_scans: list[str] = field(default_factory=list)
    disk_sorts: list[str] = field(default_factory=list)


def _walk(node: dict[str, Any], plan: PagePlan) -> None:
    kind = node.get("Node Type", "")
    loops = node.get("Actual Loops", 1) or 1
    if kind == "Seq Scan":
        read = (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)) * loops
        if read > BIG_SCAN:
            plan.seq_scans.append(f"{node.get('Relation Name')} ({read:,} rows)")
    if kind in ("Sort", "Incremental Sort") and node.get("Sort Space Type") == "Disk":
        plan.disk_sorts.append(f"{node.get('Sort Method')} {node.get('Sort Space Used')} kB")
    for child in node.get("Plans", []):
        _walk(child, plan)


def _consume(response):  # noqa: ANN001, ANN202
    if getattr(response, "streaming", False):
        for _ in response.streaming_content:  # the export's queries run while it streams
            pass
    return response


def explain_page(client, page: dict[str, Any]) -> PagePlan:  # noqa: ANN001 - django.test.Client
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = PagePlan(page["name"])
    headers = {"HX-Request": "true"} if page["htmx"] else {}
    _consume(client.get(page["path"], headers=headers))  # warm, as a persistent connection is (catalog caches)
    with CaptureQueriesContext(connection) as captured:
        response = _consume(client.get(page["path"], headers=headers))
    plan.status = response.status_code
    for query in captured.captured_queries:
        sql = query["sql"]
        head = sql.lstrip("( \n").split(None, 1)[0].upper() if sql.strip("( \n") else ""  # a UNION starts "(SELECT"
        if head not in ("SELECT", "WITH"):
            plan.writes += 1
            continue
        plan.queries += 1
        runs = []
        for _ in range(TIMINGS):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
                raw = cursor.fetchone()[0]
            result = (json.loads(raw) if isinstance(raw, str) else raw)[0]
            runs.append((float(result.get("Execution Time", 0.0)) + float(result.get("Planning Time", 0.0)), result))
        ms, result = min(runs, key=lambda run: run[0])
        plan.total_ms += ms
        if ms > plan.slowest_ms:
            plan.slowest_ms = ms
            plan.slowest_sql = f"(planning {result.get('Planning Time', 0.0):.1f} ms) {' '.join(sql.split())[:160]}"
        _walk(result["Plan"], plan)
    return plan


def run(request: str) -> None:
    from django.conf import settings
    from django.test import Client

    spec = json.loads(request)
    plans = []
    for page in spec["pages"]:
        client = Client(HTTP_HOST="127.0.0.1")
        if page["user"]:
            client.cookies[settings.SESSION_COOKIE_NAME] = spec["sessions"][page["user"]]
        plans.append(explain_page(client, page))
    size = spec["size"]
    lines = [f"EXPLAIN ANALYZE at {size:,} participants (planning + execution, best of {TIMINGS}, JIT off, dashboard recomputed)",
             "| page | status | SELECTs | writes | total ms | slowest ms | seq scans > 2,000 rows | sorts on disk |",
             "|---|---|---|---|---|---|---|---|"]
    for p in plans:
        lines.append(f"| {p.name} | {p.status} | {p.queries} | {p.writes} | {p.total_ms:.1f} | {p.slowest_ms:.1f} | "
                     f"{', '.join(p.seq_scans) or 'none'} | {', '.join(p.disk_sorts) or 'none'} |")
    lines.append("\nslowest query per page:")
    lines += [f"  {p.name}: {p.slowest_ms:.1f} ms  {p.slowest_sql}" for p in plans]
    print("\n".join(lines))
