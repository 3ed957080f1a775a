"""Read an uploaded spreadsheet into a header and rows of text: CSV (UTF-8, with or without BOM,
or Windows-1252; ``;``, ``,`` or tab separated) or XLSX (the first sheet). Pure: no ORM."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024


class UnreadableFile(Exception):
    """The file cannot be read as a spreadsheet; the message says why, in French."""


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the spreadsheet, the cells as text)


def file_format(name: str, content: bytes) -> str:
    if content[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def read_sheet(*, name: str, content: bytes) -> Sheet:
    if len(content) > MAX_BYTES:
        raise UnreadableFile(_("Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers."))
    if not content.strip():
        raise UnreadableFile(_("Le fichier est vide."))
    table = _read_xlsx(content) if file_format(name, content) == "xlsx" else _read_csv(content)
    header_index = next((i for i, (_line, cells) in enumerate(table) if any(c.strip() for c in cells)), None)
    if header_index is None:
        raise UnreadableFile(_("Le fichier est vide."))
    headers = [c.strip() for c in table[header_index][1]]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise UnreadableFile(_("La première ligne doit donner le nom des colonnes."))
    rows = []
    for line, cells in table[header_index + 1:]:
        cells = [c.strip() for c in cells[:len(headers)]] + [""] * (len(headers) - len(cells))
        if any(cells):
            rows.append((line, cells))
    if len(rows) > MAX_ROWS:
        raise UnreadableFile(_("Le fichier contient plus de %(max)s lignes : découpez-le en plusieurs fichiers.") % {"max": MAX_ROWS})
    return Sheet(headers=headers, rows=rows)


def decode(content: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252: what Excel writes for a "CSV" in France."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _read_csv(content: bytes) -> list[tuple[int, list[str]]]:
    if b"\x00" in content:  # a picture, a PDF, an old .xls: no text file holds a NUL byte (nor can the database)
        raise UnreadableFile(_("Ce fichier n'est pas un tableau CSV ni XLSX : enregistrez votre tableur au format CSV ou XLSX."))
    text = decode(content)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise UnreadableFile(_("Le fichier CSV est mal formé (ligne %(line)s).") % {"line": reader.line_num}) from exc


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(content: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) on a damaged file
        raise UnreadableFile(_("Ce fichier XLSX ne peut pas être lu : enregistrez-le à nouveau depuis votre tableur.")) from exc
    try:
        sheet = workbook.worksheets[0]
        table = []
        for line, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            table.append((line, [_cell(v) for v in row]))
            if line > MAX_ROWS + 50:
                break
        return table
    finally:
        workbook.close()
