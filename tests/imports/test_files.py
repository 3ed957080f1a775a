"""Reading spreadsheets: encodings, separators, XLSX; the mapping suggested and remembered."""

from __future__ import annotations

import io
from datetime import date

import pytest

from imports import columns, reader, services
from imports.models import ImportJob
from participants.models import Participant
from tests.imports.conftest import ADULT_MENTOR, HEADER, TEEN_MENTEE, csv_bytes, imported

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("separator", [";", ","])
def test_csv_in_every_encoding_and_separator_keeps_the_accents(association, alice, encoding, separator):
    content = "\r\n".join(line.replace(";", separator) for line in [HEADER, ADULT_MENTOR, TEEN_MENTEE]).encode(encoding)

    job = imported(association, alice, content)

    assert job.status == ImportJob.Status.DONE and job.created_count == 2
    ines = Participant.objects.get(membership__user__email="ines.benali@exemple.fr")
    assert ines.membership.user.first_name == "Inès" and ines.parent_name == "Samia Benali"


def xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_with_real_dates_and_numeric_postal_codes(association, alice):
    content = xlsx([
        ["NOM", "prénom", "Né(e) le", "E-mail", "CP", "Ville", "Rôle"],
        ["Diallo", "Awa", date(2000, 3, 12), "Awa.Diallo@Exemple.fr ", 93000, "Bobigny", "Mentor"],
        ["Martin", "Léa", date(2004, 7, 1), "lea.martin@exemple.fr", 1000, "Bourg-en-Bresse", "Mentorée"],
    ])

    job = imported(association, alice, content, name="suivi.xlsx")

    assert job.file_format == "xlsx" and job.status == ImportJob.Status.DONE, job.report
    awa = Participant.objects.get(membership__user__email="awa.diallo@exemple.fr")  # the address normalised
    assert awa.birth_date == date(2000, 3, 12) and awa.commune_id == "93008"
    assert Participant.objects.get(membership__user__email="lea.martin@exemple.fr").commune.name == "Bourg-en-Bresse"


def test_a_damaged_xlsx_is_refused_in_french(association, alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="ne peut pas être lu"):
        services.import_upload(association=association, by=alice, file_name="abime.xlsx", content=b"PK\x03\x04pas un classeur")


def test_headers_suggest_their_column_whatever_the_case_and_accents():
    suggested = columns.suggest_mapping(["NOM", "Prénom", "date de naissance", "Courriel", "Code Postal", "Commune",
                                         "Mentor/Mentoré", "Téléphone parent", "Remarques"])

    assert suggested == ["last_name", "first_name", "birth_date", "email", "postal_code", "commune", "role", "parent_phone", ""]


def test_the_last_mapping_is_remembered_for_the_association(association, alice, other_association, bob):
    content = "Famille;Prénom;Date de naissance;Courriel;Commune;Rôle\r\nDiallo;Awa;12/03/2000;a@exemple.fr;Bobigny;mentor\r\n".encode()
    first = services.import_upload(association=association, by=alice, file_name="a.csv", content=content)
    assert first.mapping[0] == ""  # "Famille" is no usual header
    services.import_map(job=first, by=alice, mapping=["last_name", *first.mapping[1:]])

    again = services.import_upload(association=association, by=alice, file_name="b.csv", content=content)
    elsewhere = services.import_upload(association=other_association, by=bob, file_name="c.csv", content=content)

    assert again.mapping[0] == "last_name"
    assert elsewhere.mapping[0] == ""


def test_dates_as_spreadsheets_write_them():
    assert columns.parse_date("30/09/2010") == date(2010, 9, 30)
    assert columns.parse_date("2010-09-30") == date(2010, 9, 30)
    assert columns.parse_date("30.09.2010") == date(2010, 9, 30)
    assert columns.parse_date("30/09/10") == date(2010, 9, 30)
    assert columns.parse_date("31/02/2010") is None


def test_empty_lines_are_ignored_and_line_numbers_are_the_spreadsheets():
    sheet = reader.read_sheet(name="x.csv", content=csv_bytes("", ADULT_MENTOR, ";;;;", TEEN_MENTEE))

    assert [line for line, _cells in sheet.rows] == [3, 5]
