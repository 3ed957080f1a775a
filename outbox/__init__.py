"""The outbox. State-change code says only "this must happen once the transaction commits"::

    outbox.emit(tasks.send_introduction, binome.pk, key=f"binome-introduction:{binome.pk}")

See ``outbox.services.outbox_emit``.
"""

from __future__ import annotations

from typing import Any


def emit(task: Any, /, *args: Any, key: str | None = None) -> None:
    from outbox.services import outbox_emit

    outbox_emit(task=task, args=list(args), key=key)


def emit_many(task: Any, /, calls: list[list[Any]], *, keys: list[str | None] | None = None) -> None:
    """``emit`` once per item of ``calls`` (the arguments of each run), in one insert: an import
    of hundreds of people records their e-mails at once."""
    from outbox.services import outbox_emit_many

    outbox_emit_many(task=task, calls=calls, keys=keys)
