"""The benchmark's associations: one database per size, built once with ``demo_data``, and the
fixture (figures and fresh sessions) each measurement starts from."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from benchmarks.loadkit import ROOT

DB_PREFIX = "mentorat_loadbench"


def database_name(size: int, prefix: str = DB_PREFIX) -> str:
    return f"{prefix}_{size}"


def slug_for(size: int) -> str:
    return f"load-{size}"


def split(size: int) -> tuple[int, int]:
    """Mentees and mentors for ``size`` participants (the issue's 10k: 6,000 and 4,000)."""
    mentees = round(size * 0.6)
    return mentees, size - mentees


def manage(*args: str, env: dict[str, str], capture: bool = False) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
                            stdout=subprocess.PIPE if capture else None)
    return result.stdout or ""


def ensure_database(server_url: str, name: str) -> None:
    import psycopg2

    admin = psycopg2.connect(f"{server_url}/postgres")
    admin.autocommit = True  # CREATE DATABASE cannot run in a transaction
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()


def build(size: int, env: dict[str, str]) -> dict:
    """Migrate and fill the size's database (once), then open the sessions: returns the fixture."""
    manage("migrate", "--noinput", "-v0", env=env)
    raw = manage("shell", "-c", f"from benchmarks.load import fixture; fixture({size})", env=env, capture=True)
    if "NEEDS_DATA" in raw:
        mentees, mentors = split(size)
        started = time.perf_counter()
        manage("demo_data", "--mentees", str(mentees), "--mentors", str(mentors), "--slug", slug_for(size),
               "--seed", "7", "--rounds", "3", env=env, capture=True)
        # What autovacuum would have done by the first morning: statistics, and the visibility map
        # that lets counts and list pages read their index only (bulk inserts leave it empty).
        manage("shell", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')", env=env)
        print(f"  built {size} participants in {time.perf_counter() - started:.0f} s", flush=True)
        raw = manage("shell", "-c", f"from benchmarks.load import fixture; fixture({size})", env=env, capture=True)
    return json.loads(raw.strip().splitlines()[-1])


def fixture(size: int) -> None:
    """Run inside ``manage.py shell``: print the association's figures and fresh session keys."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count

    from associations.models import Association, Membership
    from binomes.models import Binome, Message

    association = Association.objects.filter(slug=slug_for(size)).first()
    if association is None:
        print("NEEDS_DATA")
        return
    coordinator = Membership.objects.filter(association=association, role="coordinator", ended_at=None).select_related("user").first()
    binome = (Binome.objects.filter(association=association, status=Binome.Status.ACTIVE)
              .annotate(n=Count("messages")).order_by("-n", "pk").select_related("mentee__membership__user").first())

    def session_for(user) -> str:  # noqa: ANN001
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    print(json.dumps({
        "slug": association.slug,
        "participants": association.participants.count(),
        "binomes": Binome.objects.filter(association=association).count(),
        "messages": Message.objects.filter(association=association).count(),
        "binome_id": binome.pk,
        "participant_id": binome.mentee_id,
        # a coordinator looking someone up by name: the member's last name (several people share it)
        "search": binome.mentee.membership.user.last_name,
        "binome_messages": binome.n,
        "sessions": {"coordinator": session_for(coordinator.user), "member": session_for(binome.mentee.membership.user)},
    }))
