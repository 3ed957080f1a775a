"""A private redis-server for the fault tests: on a spare port, killed by its PID, so that nothing
else's queues or counters are touched. CI (REQUIRE_SERVICES=1) has redis-server: there its absence
fails the test instead of skipping it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest


def require_redis_server() -> None:
    if shutil.which("redis-server") is None:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("redis-server is not installed (REQUIRE_SERVICES=1)")
        pytest.skip("redis-server is not installed (.ci/run starts one, so CI has it)")


def free_port(start: int) -> int:
    # Offset by the process id: two xdist workers probing at the same moment pick different ports.
    for port in range(start + os.getpid() % 500, start + 2000):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for redis-server")


class PrivateRedis:
    def __init__(self, *, first_port: int) -> None:
        self.port, self.process = free_port(first_port), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), 0.2) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.answers():
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)  # a crash, not a clean shutdown
            self.process.wait(5)
