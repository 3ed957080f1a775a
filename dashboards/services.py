"""Writes of the dashboards: the export log, the large exports' files."""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

import outbox
from accounts.models import User
from associations.models import Association
from dashboards import exports, selectors, tasks
from dashboards.models import ExportFile, ExportLog
from programmes.models import Programme

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


# --- large exports, built by a worker (see ExportFile) --------------------------------------


def export_file_request(
    *, association: Association, by: User, kind: str, semicolon: bool, filename: str, programme: Programme | None = None,
) -> ExportFile:
    """Ask a worker to build a large export (of ``programme``'s binômes when given); the page of
    the returned row says when it is ready. The same export already being prepared for this
    person is returned instead of a second one (a coordinator clicking twice builds one file).
    Precondition: ``by`` acts for ``association`` and may see ``programme`` (or, without one, the
    whole association)."""
    with transaction.atomic():
        pending = ExportFile.objects.filter(association=association, requested_by=by, kind=kind, semicolon=semicolon,
                                            programme=programme, status=ExportFile.Status.PENDING).first()
        if pending is not None:
            return pending
        export = ExportFile.objects.create(association=association, requested_by=by, kind=kind, semicolon=semicolon,
                                           programme=programme, filename=filename,
                                           expires_at=timezone.now() + timedelta(hours=settings.EXPORT_FILE_HOURS))
        outbox.emit(tasks.build_export_file, export.pk, key=f"export-file:{export.pk}")
    return export


def export_file_build(*, export_id: int) -> ExportFile | None:
    """Write the export's CSV into a private file, then mark it ready. Safe to run twice: an
    export no longer pending is left alone, and the file is written under a temporary name and
    renamed, so a download never sees half a file. The rows are read from a server-side cursor,
    1,000 at a time, as the streamed download reads them: memory stays flat whatever the size."""
    export = ExportFile.objects.select_related("association", "requested_by", "programme").filter(pk=export_id).first()
    if export is None or export.status != ExportFile.Status.PENDING:
        return export
    root = Path(settings.EXPORTS_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    name = f"{export.kind}-{export.pk}-{secrets.token_hex(8)}.csv"
    values = selectors.binome_export_values(association=export.association, programme=export.programme)
    rows = 0
    # The labels in the requester's language, as the download would have them.
    with translation.override(export.requested_by.language or settings.LANGUAGE_CODE), \
            tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", dir=root, suffix=".part", delete=False) as handle:
        try:
            counted = _counting(exports.binome_rows(values.iterator(chunk_size=1000)))
            for chunk in exports.csv_lines(header=exports.BINOME_HEADER, rows=counted, semicolon=export.semicolon):
                handle.write(chunk)
            rows = counted.count
        except BaseException:
            os.unlink(handle.name)
            # The page says so at once rather than "en préparation" until the file would expire.
            ExportFile.objects.filter(pk=export.pk, status=ExportFile.Status.PENDING).update(
                status=ExportFile.Status.FAILED, finished_at=timezone.now())
            raise
    os.replace(handle.name, root / name)
    done = ExportFile.objects.filter(pk=export.pk, status=ExportFile.Status.PENDING).update(
        status=ExportFile.Status.READY, path=name, rows=rows, finished_at=timezone.now())
    if not done:  # expired or built by a parallel run meanwhile: this copy is not needed
        (root / name).unlink(missing_ok=True)
    export.refresh_from_db()
    return export


class _counting:  # noqa: N801 - an iterator wrapper
    def __init__(self, rows: Iterator) -> None:
        self._rows, self.count = rows, 0

    def __iter__(self) -> Iterator:
        for row in self._rows:
            self.count += 1
            yield row


def export_file_downloaded(*, export: ExportFile, by: User, parameters: dict[str, Any]) -> None:
    """Each download of a built file leaves the platform: logged like a streamed export."""
    export_log_record(user=by, association=export.association, kind=export.kind, rows=export.rows,
                      parameters={**parameters, "fichier": str(export.pk)})


def export_files_expire(*, now: datetime | None = None) -> int:
    """Delete the files past their expiry and mark them expired (an export still pending a day
    later lost its worker: failed). Returns how many were expired; safe to run twice."""
    now = now or timezone.now()
    root = Path(settings.EXPORTS_ROOT)
    expired = 0
    for export in ExportFile.objects.filter(status__in=[ExportFile.Status.READY, ExportFile.Status.FAILED], expires_at__lte=now):
        if ExportFile.objects.filter(pk=export.pk, status=export.status).update(status=ExportFile.Status.EXPIRED):
            if export.path:
                (root / export.path).unlink(missing_ok=True)
            expired += 1
    ExportFile.objects.filter(status=ExportFile.Status.PENDING, expires_at__lte=now).update(status=ExportFile.Status.FAILED)
    return expired
