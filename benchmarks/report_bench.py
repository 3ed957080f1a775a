"""The funder report's generation time for one association (``reporting.figures.compute`` and the
XLSX workbook), in-process, against a copy of the load-test database.

    createdb -h 127.0.0.1 -U postgres -T mentorat_loadbench_10000 mentorat_w12_report_10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorat_w12_report_10000 SECRET_KEY=... \\
        python manage.py migrate && python benchmarks/report_bench.py [--slug load-10000] [--runs 5] [--days 365]

Prints, for ``--runs`` generations of the report over the last ``--days`` days: wall and CPU time
(this process: ``time.process_time``; the database's own work is in the wall time) for the tables,
the workbook and the CSVs, the number of queries and the slowest ones, and the load average when
measured. Figures only; never fails because the machine is slow.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from associations.models import Association  # noqa: E402
from participants.models import Participant  # noqa: E402
from programmes.models import Programme  # noqa: E402
from reporting.figures import ReportScope, compute  # noqa: E402
from reporting.workbook import Cover, csv_table, xlsx_bytes  # noqa: E402


def timed(fn):  # noqa: ANN001, ANN201
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slug", default="load-10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    association = Association.objects.get(slug=args.slug)
    end = timezone.localdate()
    # A coordinator's default report: every programme they may see (here, all of the association's).
    programmes = tuple(Programme.objects.filter(association=association).values_list("pk", flat=True))
    scope = ReportScope((association.pk,), end - timedelta(days=args.days), end, programmes)
    people = Participant.objects.filter(association=association).count()
    print(f"association {association.slug}: {people} participants; period {scope.start} – {scope.end}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rows = []
    per_query: dict[str, list[float]] = {}
    for _run in range(args.runs):
        with CaptureQueriesContext(connection) as queries:
            tables, t_wall, t_cpu = timed(lambda: compute(scope))
        cover = Cover(association.name, "Tous les programmes", scope.start, scope.end, timezone.now())
        data, x_wall, x_cpu = timed(lambda: xlsx_bytes(cover=cover, tables=tables))  # noqa: B023
        _csv, c_wall, c_cpu = timed(lambda: ["".join(csv_table(t)) for t in tables])  # noqa: B023
        rows.append((t_wall, t_cpu, x_wall, x_cpu, c_wall, c_cpu, len(queries.captured_queries), len(data)))
        for q in queries.captured_queries:
            per_query.setdefault(q["sql"][:90], []).append(float(q["time"]))
    med = [statistics.median(col) for col in zip(*rows, strict=True)]
    print(f"runs: {args.runs} (medians)")
    print(f"tables (compute): wall {med[0] * 1000:.0f} ms, CPU {med[1] * 1000:.0f} ms, {med[6]:.0f} queries")
    print(f"workbook (XLSX):  wall {med[2] * 1000:.0f} ms, CPU {med[3] * 1000:.0f} ms, {med[7] / 1024:.0f} KiB")
    print(f"8 CSV tables:     wall {med[4] * 1000:.0f} ms, CPU {med[5] * 1000:.0f} ms")
    print(f"total:            wall {(med[0] + med[2] + med[4]) * 1000:.0f} ms, CPU {(med[1] + med[3] + med[5]) * 1000:.0f} ms")
    print("slowest queries (median ms):")
    for sql, times in sorted(per_query.items(), key=lambda kv: -statistics.median(kv[1]))[:5]:
        print(f"  {statistics.median(times) * 1000:7.1f}  {sql}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
