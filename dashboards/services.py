"""Writes of the dashboards: the export log."""

from __future__ import annotations

import re
from typing import Any

from accounts.models import User
from associations.models import Association
from dashboards.models import ExportLog

# The query string is recorded as the visitor sent it, within reason: PostgreSQL's JSON cannot
# hold a NUL character (a hand-edited "%00" made the export a 500), and a log line is no place
# for megabytes of parameters.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_PARAMETERS, MAX_LENGTH = 20, 200


def _loggable(text: object) -> str:
    return _CONTROL.sub("", str(text))[:MAX_LENGTH]


def export_log_record(*, user: User, association: Association | None, kind: str, rows: int, parameters: dict[str, Any]) -> ExportLog:
    """Record that ``user`` downloaded ``rows`` rows of ``kind`` (exports leave the platform)."""
    kept = {_loggable(name): _loggable(value) for name, value in list(parameters.items())[:MAX_PARAMETERS]}
    return ExportLog.objects.create(user=user, association=association, kind=kind, rows=rows, parameters=kept)
