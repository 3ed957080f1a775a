"""gunicorn and a Celery worker started for a measurement, and the CPU they and PostgreSQL spend."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time

from benchmarks.loadkit import HOST, ROOT

PORTS: range | None = None  # --ports: stay inside a given range (machines shared between benchmarks)


_USED: set[int] = set()  # a stopped server's workers may hold its port a moment longer: never reuse one


def free_port() -> int:
    for port in PORTS or [0]:
        if port in _USED:
            continue
        with socket.socket() as probe:
            try:
                probe.bind((HOST, port))
            except OSError:
                continue
            if PORTS:
                _USED.add(port)
            return probe.getsockname()[1]
    raise RuntimeError(f"no free port in {PORTS}")


class Gunicorn:
    """gunicorn with the project's gunicorn.conf.py, on loopback; stopped (SIGTERM, then SIGKILL)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "mentorat.wsgi:application", "--config", "gunicorn.conf.py",
             "--bind", f"{HOST}:{self.port}"],
            cwd=ROOT, env={**env, "GUNICORN_ACCESS_LOG": "", "GUNICORN_LOG_LEVEL": "warning"}, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", "/sante/")
                if connection.getresponse().status in (200, 503):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# --- CPU per request ---------------------------------------------------------------------------
# On a shared machine wall time moves with the neighbours' load; the CPU a page costs moves much
# less. Read from /proc (Linux): gunicorn's process group (workers, and the master's reaped
# children) and the PostgreSQL backends connected to the size's database.

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            raw = handle.read()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2:].split()  # fields from the state on (the name may hold spaces)


def group_cpu(pgid: int) -> float:
    """CPU seconds of every process in group ``pgid``, with the children they reaped."""
    total = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) and int(fields[2]) == pgid:
            total += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return total / TICKS


class DatabaseCpu:
    """CPU seconds of the backends serving one database (this monitor's own excluded)."""

    def __init__(self, url: str) -> None:
        import psycopg2

        self.connection = psycopg2.connect(url)
        self.connection.autocommit = True

    def pids(self) -> list[int]:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            return [row[0] for row in cursor.fetchall()]

    def snapshot(self) -> dict[int, float]:
        return {pid: sum(int(v) for v in fields[11:13]) / TICKS for pid in self.pids() if (fields := _stat(pid))}

    @staticmethod
    def spent(before: dict[int, float], after: dict[int, float]) -> float:
        return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())

    def close(self) -> None:
        self.connection.close()


class CeleryWorker:
    """One Celery worker process (solo pool) for the exports beyond ``EXPORT_STREAM_MAX_ROWS``,
    with the server's environment (same database, Redis and EXPORTS_ROOT); stopped like gunicorn."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "mentorat", "worker", "--pool", "solo", "--loglevel", "WARNING",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, start_new_session=True,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
