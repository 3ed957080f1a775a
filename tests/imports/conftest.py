"""Fixtures of the import tests. ``data/participants-300.csv`` (UTF-8 with BOM, ``;``, as Excel
saves a "CSV UTF-8") holds 100 mentors and 200 mentees, 80 of them in a binôme, and 7 bad rows:
line 112 unknown commune, 122 implausible birth date, 132 an address already on line 131,
142 a 16-year-old without parent contact, 152 a 13-year-old without parent e-mail, 162 unknown
role, 172 a binôme with a mentor neither in the file nor in the association. Its birth dates are
absolute: the tests run on 1 December 2026."""

from __future__ import annotations

from pathlib import Path

import pytest

from imports import services
from imports.models import ImportJob

DATA = Path(__file__).parent / "data"
BAD_LINES = [112, 122, 132, 142, 152, 162, 172]
HEADER = "Nom;Prénom;Date de naissance;Courriel;Code postal;Commune;Mentor/Mentoré;Nom du parent;Courriel parent;Téléphone parent;Courriel du mentor;Début du binôme"


@pytest.fixture(autouse=True)
def _first_of_december(time_machine):  # noqa: ANN001
    time_machine.move_to("2026-12-01 10:00 +01:00", tick=False)


@pytest.fixture
def file_300() -> bytes:
    return (DATA / "participants-300.csv").read_bytes()


def csv_bytes(*lines: str, encoding: str = "utf-8", header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *lines]) + "\r\n").encode(encoding)


def analysed(association, by, content: bytes, name: str = "import.csv") -> ImportJob:  # noqa: ANN001
    """Upload with the suggested mapping, then run the dry run as the worker would."""
    job = services.import_upload(association=association, by=by, file_name=name, content=content)
    job = services.import_map(job=job, by=by, mapping=job.mapping)
    return services.import_analyse(job_id=job.pk)


def imported(association, by, content: bytes, *, skip: list[int] | None = None, name: str = "import.csv") -> ImportJob:  # noqa: ANN001
    job = analysed(association, by, content, name)
    assert job.status == ImportJob.Status.ANALYSED, job.failure
    services.import_confirm(job=job, by=by, skip_lines=skip or [])
    return services.import_run(job_id=job.pk)


ADULT_MENTOR = "Diallo;Awa;12/03/2000;awa.diallo@exemple.fr;93000;Bobigny;mentor;;;;;"
TEEN_MENTEE = "Benali;Inès;05/06/2010;ines.benali@exemple.fr;93000;Bobigny;mentorée;Samia Benali;samia.benali@exemple.fr;;awa.diallo@exemple.fr;01/10/2026"
CHILD_MENTEE = "Traoré;Yanis;20/01/2013;yanis.traore@exemple.fr;93100;Montreuil;mentoré;Aminata Traoré;aminata.traore@exemple.fr;0601020304;;"
