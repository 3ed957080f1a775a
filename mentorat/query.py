"""Readers for query-string values that do not go through a form (a form validates its own)."""

from __future__ import annotations

import re

_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits only ("²".isdigit() is true, int("²") fails); fits a bigint


def query_id(value: str | None) -> int | None:
    """The positive id in ``value``, or None for anything else (never raises)."""
    if value is None or not _ID.fullmatch(value):
        return None
    return int(value) or None
