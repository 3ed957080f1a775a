"""The outbox. State-change code says only "this must happen once the transaction commits"::

    outbox.emit(tasks.send_introduction, binome.pk, key=f"binome-introduction:{binome.pk}")

See ``outbox.services.outbox_emit``.
"""

from __future__ import annotations

from typing import Any


def emit(task: Any, /, *args: Any, key: str | None = None) -> None:
    from outbox.services import outbox_emit

    outbox_emit(task=task, args=list(args), key=key)
