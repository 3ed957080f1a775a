"""Figures for an open conversation: the page, a poll with nothing new, a poll with one new
message, and the navigation badge, at 5 / 300 / 1,000 messages in one binôme, on PostgreSQL
with DEBUG off, next to another association holding 100k messages (what the badge must ignore).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorat_convo SECRET_KEY=... \\
        python benchmarks/conversation_bench.py [--sizes 5,300,1000] [--noise 100000] [--repeat 30]

Run it from a checkout's root (the code measured is the current directory's: run it from main's
checkout for the "before" figures). Everything is built in one transaction rolled back at the
end, requests go through Django's test client in the same process (no server, no network). The
poll asks ``?after=<newest id>&decisions=0``, what the page's poller asks; code without the
cursor ignores it and renders the whole conversation. Prints figures; never fails because the
machine is slow.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorat.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

# Built data only: no collected static manifest, and a fast hasher for the made-up accounts.
override_settings(
    STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
).enable()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from binomes.models import Binome, Message  # noqa: E402
from binomes.selectors import unread_total  # noqa: E402
from tests import factories  # noqa: E402
from tests.matching.conftest import vetted  # noqa: E402


class Rollback(Exception):
    pass


def pair(association) -> Binome:  # noqa: ANN001
    mentor = vetted(association=association, birth_date=factories.years_ago(22))
    mentee = factories.mentee(association=association, status="validated")
    return Binome.objects.create(association=association, mentor=mentor, mentee=mentee,
                                 started_on=date(2026, 9, 1), planned_end_on=date(2027, 9, 1))


def fill(binome: Binome, count: int, *, start) -> None:  # noqa: ANN001
    users = (binome.mentor.membership.user_id, binome.mentee.membership.user_id)
    Message.objects.bulk_create(
        (Message(binome=binome, association_id=binome.association_id, sender_id=users[i % 2],
                 body=f"Message {i} : on se retrouve samedi à la médiathèque pour parler de Parcoursup ?",
                 created_at=start + timedelta(seconds=i)) for i in range(count)),
        batch_size=5000,
    )


def timed(fn, repeat: int) -> tuple[float, object]:  # noqa: ANN001
    fn()  # warm
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="5,300,1000")
    parser.add_argument("--noise", type=int, default=100_000, help="messages in another association")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    start = timezone.now() - timedelta(days=200)
    print(f"code: {Path.cwd()}  database: {connection.settings_dict['NAME']}  DEBUG={os.environ['DEBUG']}")
    try:
        with transaction.atomic():
            other = factories.AssociationFactory(slug="bench-noise")
            for _ in range(20):
                fill(pair(other), args.noise // 20, start=start)
            association = factories.AssociationFactory(slug="bench-convo")
            connection.cursor().execute("ANALYZE binomes_message")
            print(f"{'messages':>8} {'page ms':>8} {'page KB':>8} {'idle poll ms':>12} {'idle poll B':>11} "
                  f"{'new poll ms':>11} {'new poll B':>10} {'badge ms':>8}")
            for size in (int(s) for s in args.sizes.split(",")):
                binome = pair(association)
                fill(binome, size, start=start)
                mentee = binome.mentee.membership.user
                client = Client()
                client.force_login(mentee)
                page_url = f"/mon-espace/binomes/{binome.pk}/"
                poll_url = f"/mon-espace/binomes/{binome.pk}/messages/"
                page_ms, page = timed(lambda: client.get(page_url), args.repeat)  # noqa: B023
                newest = Message.objects.filter(binome=binome).latest("pk").pk
                cursor = {"after": newest, "decisions": 0}
                idle_ms, idle = timed(lambda: client.get(poll_url, cursor, HTTP_HX_REQUEST="true"), args.repeat)  # noqa: B023
                # One new message from the mentor before each poll (the poll marks it read).
                new_times, new_bytes = [], 0
                for i in range(args.repeat):
                    fill_one = Message.objects.create(binome=binome, association_id=association.pk, sender_id=binome.mentor.membership.user_id,
                                                      body=f"Nouveau {i}", created_at=timezone.now())
                    t0 = time.perf_counter()
                    response = client.get(poll_url, {"after": fill_one.pk - 1, "decisions": 0}, HTTP_HX_REQUEST="true")
                    new_times.append((time.perf_counter() - t0) * 1000)
                    new_bytes = len(response.content)
                Message.objects.filter(binome=binome, body__startswith="Nouveau").delete()
                badge_ms, _ = timed(lambda: unread_total(user=mentee), args.repeat)  # noqa: B023
                assert page.status_code == 200, page.status_code
                print(f"{size:>8} {page_ms:>8.1f} {len(page.content) / 1024:>8.1f} {idle_ms:>12.1f} {len(idle.content):>11} "
                      f"{statistics.median(new_times):>11.1f} {new_bytes:>10} {badge_ms:>8.2f}")
            # The badge's plans, for the mentee of the last binôme (with a read marker, as after a visit).
            print("\nEXPLAIN ANALYZE of the badge (unread_total), statement by statement:")
            for sql in _badge_sql(mentee):
                with connection.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, COSTS, TIMING OFF, SUMMARY ON) " + sql)
                    print("\n".join(row[0] for row in cur.fetchall()), end="\n\n")
            raise Rollback
    except Rollback:
        pass


def _badge_sql(user) -> list[str]:  # noqa: ANN001
    """The badge's SQL statements, caught as they run (parameters interpolated)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        unread_total(user=user)
    return [q["sql"] for q in captured.captured_queries]


if __name__ == "__main__":
    main()
