"""A heartbeat thread for a long task whose work cannot call back (the matching engine is pure:
arrays in, pairs out, no ORM, no progress hook).

While the ``with`` block runs, a daemon thread calls ``beat()`` every ``every`` seconds. ``beat``
returns False when the work was taken away (the recovery job gave the run to another worker): the
thread then stops beating. The thread uses its own database connection (Django's connections are
per thread) and closes it when it ends.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from types import TracebackType

from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)


class Heartbeat:
    def __init__(self, beat: Callable[[], bool], *, every: float) -> None:
        self.beat = beat
        self.every = every
        self.beats = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="match-run-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        # A beat in flight is one short UPDATE; never wait for ever on a stuck database.
        self._thread.join(timeout=max(self.every, 5.0))

    def _loop(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    if not self.beat():
                        return
                    self.beats += 1
                except DatabaseError:
                    # One missed beat is harmless (the timeout is many beats long); the next may pass.
                    logger.warning("Heartbeat failed", exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only
