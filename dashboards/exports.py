"""CSV exports for the associations' own reporting: UTF-8 with a BOM (Excel opens accents
correctly), comma or semicolon separated, protected against formula injection."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

from binomes.models import Binome
from dashboards.indicators import Indicators

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A cell starting like a formula would run in a spreadsheet: neutralise it.
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    """A file that hands back what the csv writer writes: the text of one row."""

    def write(self, value: str) -> str:
        return value


ROWS_PER_CHUNK = 200  # about 20 KB per write to the socket, not one system call per row


def csv_lines(*, header: list[str], rows: Iterable[Iterable[object]], semicolon: bool) -> Iterator[str]:
    """The file, a chunk at a time, as ``rows`` are read: the BOM and the header first."""
    writer = csv.writer(_Echo(), delimiter=";" if semicolon else ",", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(header)
    chunk: list[str] = []
    for row in rows:
        chunk.append(writer.writerow([_cell(v) for v in row]))
        if len(chunk) == ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def csv_response(*, filename: str, header: list[str], rows: Iterable[Iterable[object]], semicolon: bool) -> StreamingHttpResponse:
    """A streamed download: the worker writes rows as the database sends them, never the whole file."""
    response = StreamingHttpResponse(csv_lines(header=header, rows=rows, semicolon=semicolon),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def indicator_rows(indicators: Indicators) -> list[list[object]]:
    rows: list[list[object]] = [[section, f.label, f.export_value, f.n] for section, f in indicators.all_figures()]
    for series in [indicators.health, indicators.brought, indicators.end_reasons, indicators.by_pcs, indicators.by_age, indicators.by_departement, *indicators.trends]:
        if series is not None:
            rows.extend([[series.title, label, value, series.n] for label, value in series.rows])
    return rows


def binome_rows(values: Iterable[tuple]) -> Iterator[list[object]]:
    """Export rows from ``dashboards.selectors.binome_export_values``. The labels are translated
    here, while the request's language is active, not later while the response streams."""
    statuses = {code: str(label) for code, label in Binome.Status.choices}
    reasons = {code: str(label) for code, label in Binome.EndReason.choices}

    def rows() -> Iterator[list[object]]:
        for (pk, mentee_first, mentee_last, mentor_first, mentor_last, status, started_on, planned_end_on, ended_on,
             end_reason, continued, n_messages, n_meetings) in values:
            yield [pk, mentee_first, mentee_last, mentor_first, mentor_last, statuses.get(status, status),
                   started_on.isoformat(), planned_end_on.isoformat(), ended_on.isoformat() if ended_on else "",
                   reasons.get(end_reason, end_reason), continued, n_messages, n_meetings]

    return rows()


BINOME_HEADER = ["id", "prénom mentoré·e", "nom mentoré·e", "prénom mentor", "nom mentor", "statut", "début", "fin prévue",
                 "fin", "raison de fin", "prolongations", "messages", "rencontres"]
