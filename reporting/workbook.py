"""The report as files: an XLSX workbook (a cover sheet, then one sheet per table) and each table
as a CSV for Excel in French (UTF-8 with a BOM, ``;``, decimal comma)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboards.exports import csv_lines
from dashboards.figures import MIN_PEOPLE
from reporting.figures import SUPPRESSED, Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {"count": "#,##0", "ratio": "0.0%", "days": "#,##0", "score": "0.0"}


@dataclass(frozen=True)
class Cover:
    association: str  # the association's name, or "Toutes les associations" for the operator
    programme: str  # the programme's name, or "Tous les programmes"
    start: date
    end: date
    generated_at: datetime


def suppression_rule() -> str:
    return _("Secret statistique (marque « %(mark)s ») : comme sur les tableaux de bord, un pourcentage, une médiane ou une "
             "moyenne qui repose sur moins de %(n)s personnes n'est pas donné. Dans les lignes par public, un effectif de 1 à "
             "%(n_1)s n'est pas donné non plus, et pour l'ASE et le handicap seule la ligne « oui » figure. Une case vide : "
             "personne à compter.") % {"mark": SUPPRESSED, "n": MIN_PEOPLE, "n_1": MIN_PEOPLE - 1}


def notes() -> list[str]:
    return [
        _("ASE et situation de handicap : réponses facultatives, données avec le consentement explicite de la personne (d'un "
          "parent avant 15 ans) pour ce seul usage, retirables à tout moment ; l'association ne les voit qu'en agrégats."),
        _("Commune rurale : non disponible. Aucune classification officielle des communes (grille communale de densité, zonage "
          "en aires d'attraction des villes de l'INSEE) n'est installée sur la plateforme ; elle n'en invente pas."),
        _("Âge : à la fin de la période. Lycée professionnel : niveau d'études déclaré « Lycée professionnel, CAP »."),
        _("Formé·es : mentors dont l'association a enregistré une formation suivie dans la période."),
    ]


def _sheet_title(title: str) -> str:
    # Excel: 31 characters at most, none of []:*?/\
    return "".join(c for c in title if c not in "[]:*?/\\")[:31]


def xlsx_bytes(*, cover: Cover, tables: list[Table]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(_("Présentation"))
    sheet.append([_("Rapport d'activité pour les financeurs")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    local = timezone.localtime(cover.generated_at).replace(tzinfo=None)  # Excel has no time zones: Paris time
    for label, value, number_format in (
        (_("Association"), cover.association, None), (_("Programme"), cover.programme, None),
        (_("Début de la période"), cover.start, "DD/MM/YYYY"), (_("Fin de la période"), cover.end, "DD/MM/YYYY"),
        (_("Généré le"), local, "DD/MM/YYYY HH:MM"),
    ):
        sheet.append([label, value])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        if number_format:
            sheet.cell(row=sheet.max_row, column=2).number_format = number_format
    sheet.append([])
    for text in (suppression_rule(), *notes()):
        sheet.append([text])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=2)
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[sheet.max_row].height = 60
    sheet.append([])
    sheet.append([_("Tableaux"), _("Contenu")])
    for table in tables:
        sheet.append([table.title, table.description])
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90

    for table in tables:
        ws = workbook.create_sheet(_sheet_title(table.title))
        ws.append([table.title])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([table.description])
        header = [_("Public"), _("Catégorie"), *[c.header for c in table.columns]]
        ws.append(header)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = f"C{ws.max_row + 1}"  # a coordinate: ws.cell() would create the row
        for row in table.rows:
            ws.append([row.public, row.group, *row.values()])
            if not row.breakdown:
                for cell in ws[ws.max_row]:
                    cell.font = Font(bold=True)
            for i, column in enumerate(table.columns, start=3):
                cell = ws.cell(row=ws.max_row, column=i)
                if isinstance(cell.value, (int, float)):
                    cell.number_format = NUMBER_FORMATS[column.kind]
                else:
                    cell.alignment = Alignment(horizontal="right")
        ws.append([])
        ws.append([suppression_rule()])
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 28
        for i, column in enumerate(table.columns, start=3):
            ws.column_dimensions[get_column_letter(i)].width = max(12, min(24, len(column.header) + 2))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _csv_number(value: float | int | str | None, kind: str) -> str | int | None:
    """Excel in French reads "12,5" as a number, "12.5" as text; ratios as percentages."""
    if value is None or isinstance(value, (str, int)):
        return value
    shown = round(100 * value, 1) if kind == "ratio" else value
    return f"{shown:.1f}".replace(".", ",")


def csv_table(table: Table) -> Iterator[str]:
    header = [_("Public"), _("Catégorie"), *[f"{c.header} (%)" if c.kind == "ratio" else c.header for c in table.columns]]
    rows = ([row.public, row.group, *[_csv_number(v, c.kind) for v, c in zip(row.values(), table.columns, strict=True)]]
            for row in table.rows)
    return csv_lines(header=header, rows=rows, semicolon=True)
