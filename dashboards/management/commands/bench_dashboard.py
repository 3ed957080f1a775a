"""Benchmark (prints figures, never fails on speed): render an association's dashboard at size.

    createdb -h 127.0.0.1 -U postgres mentorat_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorat_bench SECRET_KEY=$(openssl rand -hex 32) \\
        SECURE_SSL_REDIRECT=false ALLOWED_HOSTS=localhost
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py bench_dashboard --runs 50

(DEBUG off, as in production: cached templates, no query log.)

Creates (once) an association of the requested size with a year of simulated binôme life, then
renders its dashboard ``--runs`` times through the full Django stack and prints p50/p95.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from associations.models import Association, Membership
from binomes.models import Binome, Message


class Command(BaseCommand):
    help = "Mesure le temps d'affichage du tableau de bord d'une grande association."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mentees", type=int, default=6000)
        parser.add_argument("--mentors", type=int, default=4000)
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--slug", default="bench-dashboard")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"]
        if not Association.objects.filter(slug=slug).exists():
            started = time.perf_counter()
            call_command("demo_data", mentees=options["mentees"], mentors=options["mentors"], slug=slug, seed=7, rounds=3, stdout=self.stdout)
            self.stdout.write(f"data built in {time.perf_counter() - started:.1f} s")
            if connection.vendor == "postgresql":  # what autovacuum would have done by then
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        association = Association.objects.get(slug=slug)
        coordinator = Membership.objects.filter(association=association, role="coordinator").select_related("user").first()
        if coordinator is None:  # demo_data attaches its coordinator to the demo slug only
            from accounts.models import User

            user = User.objects.get(email="coordination@demo.mentorat.fr")
            coordinator = Membership.objects.create(user=user, association=association, role="coordinator")
        client = Client(HTTP_HOST="localhost")
        client.force_login(coordinator.user)
        url = f"/coordination/{slug}/tableau-de-bord/"
        sizes = (f"participants={association.participants.count()} "
                 f"binomes={Binome.objects.filter(association=association).count()} "
                 f"messages={Message.objects.filter(association=association).count()}")
        for label, seconds in (("cold (no cache)", 0), ("warm (figures cached)", 120)):
            with override_settings(DASHBOARD_CACHE_SECONDS=seconds):
                self._measure(client, url, f"{label}: database={connection.vendor} {sizes}", options["runs"])

    def _measure(self, client: Client, url: str, label: str, runs: int) -> None:
        cache.clear()
        client.get(url)  # warm the connection, the templates and (when on) the figures
        timings = []
        executed: list[str] = []

        def count(execute, sql, params, many, context):  # noqa: ANN001, ANN202
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):  # survives the request's reset_queries()
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        for _ in range(runs):
            t = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - t) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
        self.stdout.write(
            f"{label} queries={len(executed)} runs={len(timings)} "
            f"p50={statistics.median(timings):.1f}ms p95={p95:.1f}ms max={timings[-1]:.1f}ms"
        )
