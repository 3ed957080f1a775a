"""The binômes CSV export at 26,000 binômes: streamed (the request) and built by a worker (the
task), with the Python memory each takes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorat_pollbench SECRET_KEY=... \\
        python benchmarks/export_bench.py [--binomes 26000] [--runs 3]

Builds (once) an association ``export-bench`` in the given database: 2,000 mentees, 1,000 mentors
and ``--binomes`` completed binômes between them (bulk inserts, a few seconds; completed pairs,
so the one-open-binôme-per-mentee index allows as many as wanted). Then, ``--runs`` times each:
the streamed download's body read to the end (``csv_lines`` over the server-side cursor, as the
response does) and the task's ``export_file_build`` into a temporary EXPORTS_ROOT, with the time
and tracemalloc's peak (Python allocations; the rows the database holds are not Python's). The
peak at 2,600 binômes is printed beside it: flat memory means the same peak at ten times the rows.
Figures only; never fails because the machine is slow.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()

from accounts.models import User  # noqa: E402
from associations.models import Association  # noqa: E402
from binomes.models import Binome  # noqa: E402
from dashboards import exports, selectors  # noqa: E402
from dashboards.models import ExportFile  # noqa: E402
from dashboards.services import export_file_build  # noqa: E402
from tests import factories  # noqa: E402

SLUG = "export-bench"


def build(n_binomes: int) -> Association:
    association = Association.objects.filter(slug=SLUG).first()
    if association is not None and Binome.objects.filter(association=association).count() >= n_binomes:
        return association
    with transaction.atomic():
        association = association or factories.AssociationFactory(slug=SLUG)
        mentees = [factories.mentee(association=association, status="validated") for _ in range(2000)]
        mentors = [factories.mentor(association=association, status="validated") for _ in range(1000)]
        start = date(2024, 1, 1)
        Binome.objects.bulk_create((
            Binome(association=association, mentor=mentors[i % 1000], mentee=mentees[i % 2000], status="completed",
                   started_on=start + timedelta(days=i % 300), planned_end_on=start + timedelta(days=i % 300 + 180),
                   ended_on=start + timedelta(days=i % 300 + 180)) for i in range(n_binomes)), batch_size=5000)
    return association


def streamed(association: Association, limit: int | None) -> tuple[float, int, int]:
    values = selectors.binome_export_values(association=association)
    if limit:
        values = values.filter(pk__in=list(values.values_list("pk", flat=True)[:limit]))
    tracemalloc.start()
    started = time.perf_counter()
    size = sum(len(chunk.encode()) for chunk in exports.csv_lines(
        header=exports.BINOME_HEADER, rows=exports.binome_rows(values.iterator(chunk_size=1000)), semicolon=True))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak, size


def task(association: Association, user: User) -> tuple[float, int, int]:
    export = ExportFile.objects.create(association=association, requested_by=user, kind="binomes", semicolon=True,
                                       filename="bench.csv", expires_at=django.utils.timezone.now() + timedelta(hours=1))
    tracemalloc.start()
    started = time.perf_counter()
    built = export_file_build(export_id=export.pk)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    size = (Path(settings.EXPORTS_ROOT) / built.path).stat().st_size
    (Path(settings.EXPORTS_ROOT) / built.path).unlink()
    export.delete()
    return seconds, peak, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binomes", type=int, default=26_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    association = build(args.binomes)
    n = Binome.objects.filter(association=association).count()
    print(f"{SLUG}: {n:,} binômes (ready in {time.perf_counter() - started:.1f} s)")
    user = User.objects.filter(is_superuser=False).first()
    with tempfile.TemporaryDirectory() as root, override_settings(EXPORTS_ROOT=Path(root)):
        for label, run in (("streamed, 1/10 of the rows", lambda: streamed(association, n // 10)),
                           ("streamed, all rows", lambda: streamed(association, None)),
                           ("task (file), all rows", lambda: task(association, user))):
            results = [run() for _ in range(args.runs)]
            with open("/proc/loadavg") as handle:
                load = " ".join(handle.read().split()[:3])
            print(f"  {label:<28} median {statistics.median(r[0] for r in results):6.2f} s, "
                  f"peak Python memory {max(r[1] for r in results) / 2**20:5.1f} MiB, "
                  f"{results[0][2] / 2**20:5.1f} MiB of CSV (load {load})")


if __name__ == "__main__":
    main()
