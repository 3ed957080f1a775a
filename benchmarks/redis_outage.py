"""How long until an approval committed while Redis was down gets its introduction e-mails, with a
real Celery worker and beat (``celery -A mentorat worker -B``) on a private redis-server.

    DATABASE_URL=postgres://… SECRET_KEY=… python benchmarks/redis_outage.py [--sweep 60] [--outage 20]

Writes to the database of DATABASE_URL (a scratch one: it creates an association), e-mails go to a
temporary directory. Prints the figures; never fails on timing.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from programmes.selectors import programme_default_for

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port(start: int = 6400) -> int:
    for port in range(start + os.getpid() % 500, start + 2000):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


def start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL)
    time.sleep(0.3)
    return process


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", type=int, default=60, help="OUTBOX_SWEEP_SECONDS")
    parser.add_argument("--outage", type=int, default=20, help="seconds Redis stays down")
    options = parser.parse_args()
    port, mails = free_port(), tempfile.mkdtemp(prefix="outbox-mails-")
    os.environ.update(REDIS_URL=f"redis://127.0.0.1:{port}/0", EMAIL_URL=f"file://{mails}", OUTBOX_SWEEP_SECONDS=str(options.sweep),
                      DJANGO_SETTINGS_MODULE="mentorat.settings")
    redis = start_redis(port)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mentorat", "worker", "-B", "--pool", "solo", "--loglevel", "WARNING",
         "--schedule", os.path.join(mails, "beat-schedule")], cwd=ROOT, env=os.environ.copy())
    try:
        import django

        django.setup()
        import factory
        from django.utils import timezone

        from matching.models import MatchRun, Proposal
        from matching.services import proposal_approve
        from outbox.models import Heartbeat, OutboxMessage
        from tests import factories
        from tests.matching.conftest import vetted

        for value in vars(factories).values():  # fresh sequences: earlier runs left rows behind
            if isinstance(value, type) and issubclass(value, factory.Factory) and value._meta.model is not None:
                value.reset_sequence(int(time.time()) % 10**7, force=True)
        since = timezone.now()
        while not Heartbeat.objects.filter(name="worker", beat_at__gte=since).exists():
            time.sleep(0.2)
        association = factories.AssociationFactory()
        alice = factories.coordinator(association)
        proposal = Proposal.objects.create(
            run=MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done"), association=association, score=0.8,
            breakdown={"criteria": {}, "facts": {}}, mentee=factories.mentee(association=association, status="validated"),
            mentor=vetted(association=association))

        os.kill(redis.pid, signal.SIGKILL)
        redis.wait()
        started = time.monotonic()
        binome = proposal_approve(proposal=proposal, by=alice)
        approval_ms = (time.monotonic() - started) * 1000
        message = OutboxMessage.objects.get(key=f"binome-introduction:{binome.pk}")
        assert message.status == "pending", message.status
        time.sleep(options.outage)

        redis = start_redis(port)
        back = time.monotonic()
        while OutboxMessage.objects.filter(pk=message.pk, status="pending").exists() and time.monotonic() - back < 10 * options.sweep + 120:
            time.sleep(0.2)
        message.refresh_from_db()
        files = list(Path(mails).glob("*.log"))
        print(f"sweep every {options.sweep} s, Redis down {options.outage} s: approval answered in {approval_ms:.0f} ms; "
              f"introductions {message.status} {time.monotonic() - back:.1f} s after Redis came back "
              f"({message.deliveries.filter(sent_at__isnull=False).count()} e-mails, {len(files)} mail file(s))")
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
        redis.kill()


if __name__ == "__main__":
    main()
