"""Writes of the dashboards: the export log."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from associations.models import Association
from dashboards.models import ExportLog


def export_log_record(*, user: User, association: Association | None, kind: str, rows: int, parameters: dict[str, Any]) -> ExportLog:
    """Record that ``user`` downloaded ``rows`` rows of ``kind`` (exports leave the platform)."""
    return ExportLog.objects.create(user=user, association=association, kind=kind, rows=rows, parameters=parameters)
