"""CSV exports for the associations' own reporting: UTF-8 with a BOM (Excel opens accents
correctly), comma or semicolon separated, protected against formula injection."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from io import StringIO

from django.http import HttpResponse

from binomes.models import Binome
from dashboards.indicators import Indicators

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A cell starting like a formula would run in a spreadsheet: neutralise it.
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_response(*, filename: str, header: list[str], rows: Iterable[list[object]], semicolon: bool) -> tuple[HttpResponse, int]:
    buffer = StringIO()
    writer = csv.writer(buffer, delimiter=";" if semicolon else ",", lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([_cell(v) for v in row])
        count += 1
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response, count


def indicator_rows(indicators: Indicators) -> list[list[object]]:
    rows: list[list[object]] = [[section, f.label, f.export_value, f.n] for section, f in indicators.all_figures()]
    for series in [indicators.health, indicators.brought, indicators.end_reasons, indicators.by_pcs, indicators.by_age, indicators.by_departement, *indicators.trends]:
        if series is not None:
            rows.extend([[series.title, label, value, series.n] for label, value in series.rows])
    return rows


def binome_rows(binomes: Iterable[Binome]) -> Iterable[list[object]]:
    for b in binomes:
        yield [
            b.pk, b.mentee.membership.user.first_name, b.mentee.membership.user.last_name,
            b.mentor.membership.user.first_name, b.mentor.membership.user.last_name, b.get_status_display(),
            b.started_on.isoformat(), b.planned_end_on.isoformat(), b.ended_on.isoformat() if b.ended_on else "",
            b.get_end_reason_code_display() if b.end_reason_code else "", b.continued_count,
            b.n_messages, b.n_meetings,
        ]


BINOME_HEADER = ["id", "prénom mentoré·e", "nom mentoré·e", "prénom mentor", "nom mentor", "statut", "début", "fin prévue",
                 "fin", "raison de fin", "prolongations", "messages", "rencontres"]
