"""Side effects of the safeguarding rules (e-mails), queued after commit.

One helper so that the transactional outbox can replace ``transaction.on_commit(… .delay …)`` in one
place once it lands: every e-mail the policy's services and jobs send goes through ``after_commit``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction


def after_commit(task: Any, *args: Any) -> None:  # noqa: ANN401 - a Celery task
    """Send ``task.delay(*args)`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: task.delay(*args))
