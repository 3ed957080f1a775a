"""The outbox message the relay is running, so that ``mentorat.mail`` can send each e-mail once
per (message, recipient) without every task having to pass it along."""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from outbox.models import OutboxMessage

current_message: ContextVar[OutboxMessage | None] = ContextVar("outbox_current_message", default=None)
