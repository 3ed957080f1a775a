"""The spreadsheet import at 10,000 rows: the dry run and the import (the two worker tasks), with
wall and CPU time, and the load average of the machine when measured.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorat_importbench SECRET_KEY=... \\
        python benchmarks/import_bench.py [--rows 10000] [--binomes 3000]

Each run creates a fresh association ``import-bench-<n>`` (with its default programme and a
coordinator) in the given (migrated) database and a CSV in memory: a third mentors, two thirds
mentees (under-15s with a parent, 15-17 with a parent's phone), ``--binomes`` of the mentees naming
their mentor, and 1 % bad rows (unknown commune). Then: upload (parse, suggested mapping), dry run
(``import_analyse``), confirmation skipping the bad rows, import (``import_run``: one transaction,
people written ``imports.services.BATCH`` at a time), then the same file again: dry run and
import (everything "unchanged": the idempotent path). Each step prints wall time, this process's
CPU, the PostgreSQL backend's CPU (read from /proc when the database runs here) and the number of
queries. The outbox rows (invitations) are written but not relayed (no e-mail is sent). Figures
only; never fails because the machine is slow.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()

import outbox.services  # noqa: E402
from imports import services  # noqa: E402
from imports.models import ImportJob  # noqa: E402
from participants.models import Participant  # noqa: E402
from tests import factories  # noqa: E402

COMMUNES = [("Bobigny", "93000"), ("Montreuil", "93100"), ("Saint-Denis", "93200"), ("Pantin", "93500"), ("Aubervilliers", "93300"),
            ("Saint-Ouen-sur-Seine", "93400"), ("Lille", "59000"), ("Marseille 1er Arrondissement", "13001"), ("Bondy", "93140"),
            ("Noisy-le-Sec", "93130"), ("Drancy", "93700"), ("Sevran", "93270")]
HEADER = ["Nom", "Prénom", "Date de naissance", "Courriel", "Code postal", "Commune", "Mentor/Mentoré", "Nom du parent",
          "Courriel parent", "Téléphone parent", "Courriel du mentor", "Début du binôme"]


def spreadsheet(*, tag: str, rows: int, binomes: int, today: date) -> tuple[bytes, list[int]]:
    rng = random.Random(rows)
    n_mentors = rows // 3
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    bad = []
    for i in range(rows):
        commune, postal = rng.choice(COMMUNES)
        line = i + 2
        if i % 100 == 99:
            commune, postal = "Villeinexistante", "99999"
            bad.append(line)
        if i < n_mentors:
            birth = today - timedelta(days=rng.randrange(20 * 365, 30 * 365))
            writer.writerow([f"Nom{i}", "Awa", birth.strftime("%d/%m/%Y"), f"m{i}-{tag}@bench.example", postal, commune, "Mentor",
                             "", "", "", "", ""])
        else:
            birth = today - timedelta(days=rng.randrange(12 * 365, 18 * 365))
            k = i - n_mentors
            mentor = f"m{k}-{tag}@bench.example" if k < binomes and k < n_mentors and k % 100 != 99 else ""
            started = (today - timedelta(days=rng.randrange(10, 150))).strftime("%d/%m/%Y") if mentor else ""
            writer.writerow([f"Nom{i}", "Inès", birth.strftime("%d/%m/%Y"), f"j{i}-{tag}@bench.example", postal, commune, "Mentoré",
                             f"Parent{i}", f"p{i}-{tag}@bench.example", "0601020304", mentor, started])
    return out.getvalue().encode("utf-8"), bad


def _database_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when it runs on this
    machine (``/proc``): the database's share of the work, which ``process_time`` does not see."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def timed(label: str, action):  # noqa: ANN001, ANN201
    db_cpu = _database_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        result = action()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    db = f"   CPU (database) {_database_cpu() - db_cpu:6.2f} s" if db_cpu is not None else ""
    print(f"{label:<38} wall {wall:7.2f} s   CPU (this process) {cpu:6.2f} s{db}   {len(queries.captured_queries):6d} queries")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--binomes", type=int, default=3000)
    args = parser.parse_args()
    outbox.services._kick_after_commit = lambda: None  # rows written, not relayed: no e-mail leaves
    tag = str(int(time.time()))
    association = factories.AssociationFactory(name=f"Import bench {tag}", slug=f"import-bench-{tag}")
    coordinator = factories.coordinator(association, email=f"coordination-{tag}@bench.example")
    from django.utils import timezone

    content, bad = spreadsheet(tag=tag, rows=args.rows, binomes=args.binomes, today=timezone.localdate())
    print(f"{connection.vendor}, {args.rows} rows ({len(content) / 1e6:.1f} MB), {len(bad)} bad rows, load: {os.getloadavg()}")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    job = timed("upload (parse, suggest mapping)", lambda: services.import_upload(
        association=association, by=coordinator, file_name="bench.csv", content=content))
    services.import_map(job=job, by=coordinator, mapping=job.mapping)
    job = timed("dry run (import_analyse)", lambda: services.import_analyse(job_id=job.pk))
    print("   counts:", job.counts)
    services.import_confirm(job=job, by=coordinator, skip_lines=bad)
    job = timed("import (import_run, one transaction)", lambda: services.import_run(job_id=job.pk))
    print(f"   status {job.status}, created {job.created_count}, binômes {job.binomes_created_count}, skipped {job.skipped_count}",
          f"— participants now {Participant.objects.filter(association=association).count()}")
    again = services.import_upload(association=association, by=coordinator, file_name="bench.csv", content=content)
    services.import_map(job=again, by=coordinator, mapping=again.mapping)
    again = timed("dry run again (all unchanged)", lambda: services.import_analyse(job_id=again.pk))
    print("   counts:", again.counts)
    services.import_confirm(job=again, by=coordinator, skip_lines=bad)
    again = timed("re-import (import_run, nothing to write)", lambda: services.import_run(job_id=again.pk))
    print(f"   status {again.status}, created {again.created_count}, unchanged {again.unchanged_count}, binômes {again.binomes_created_count}")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    assert job.status == ImportJob.Status.DONE, job.failure
    assert again.status == ImportJob.Status.DONE and again.created_count == 0, again.failure


if __name__ == "__main__":
    main()
