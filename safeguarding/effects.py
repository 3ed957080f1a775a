"""Side effects of the safeguarding rules (e-mails), recorded in the outbox: every e-mail the
policy's services and jobs send goes through ``after_commit``, which is ``outbox.emit``.
"""

from __future__ import annotations

from typing import Any

import outbox


def after_commit(task: Any, *args: Any) -> None:  # noqa: ANN401 - a Celery task
    """Record in the outbox that ``task(*args)`` must run once the current transaction commits
    (relayed, retried, each e-mail sent once per recipient)."""
    outbox.emit(task, *args)


def after_commit_many(task: Any, calls: list[list[Any]]) -> None:  # noqa: ANN401 - a Celery task
    """``after_commit`` once per item of ``calls`` (the arguments of each run), in one insert."""
    outbox.emit_many(task, calls)
