"""The binômes export is streamed: the same file as when it was built in memory, written while
the rows are read (a worker never holds the whole association)."""

from __future__ import annotations

from datetime import date

import pytest

from binomes.models import Binome, Message
from dashboards import exports
from dashboards.models import ExportLog
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_binomes(association):
    def person(first, last, **kwargs):  # noqa: ANN001, ANN202
        return factories.mentee(association=association, status="validated",
                                user=factories.UserFactory(first_name=first, last_name=last), **kwargs)

    running = Binome.objects.create(
        association=association, mentor=vetted(association=association, user=factories.UserFactory(first_name="Yanis", last_name="Benali")),
        mentee=person("Inès", "=SOMME(A1)"), started_on=date(2026, 1, 5), planned_end_on=date(2027, 1, 5), continued_count=1)
    ended = Binome.objects.create(
        association=association, mentor=vetted(association=association, user=factories.UserFactory(first_name="Zoé", last_name="Durand")),
        mentee=person("Hugo", "Lefèvre; fils"), started_on=date(2025, 9, 1), planned_end_on=date(2026, 9, 1),
        status="ended_early", ended_on=date(2026, 2, 1), end_reason_code="moved")
    for _ in range(2):
        Message.objects.create(binome=running, association=association, sender=running.mentee.membership.user, body="Bonjour")
    return running, ended


def expected(running: Binome, ended: Binome, sep: str) -> str:
    """The file as csv_response built it in memory before streaming (captured from that code)."""
    lines = [
        ["id", "prénom mentoré·e", "nom mentoré·e", "prénom mentor", "nom mentor", "statut", "début", "fin prévue",
         "fin", "raison de fin", "prolongations", "messages", "rencontres"],
        [str(ended.pk), "Hugo", '"Lefèvre; fils"' if sep == ";" else "Lefèvre; fils", "Zoé", "Durand", "arrêté avant la fin",
         "2025-09-01", "2026-09-01", "2026-02-01", "Déménagement ou changement de situation", "0", "0", "0"],
        [str(running.pk), "Inès", "'=SOMME(A1)", "Yanis", "Benali", "actif", "2026-01-05", "2027-01-05", "", "", "1", "2", "0"],
    ]
    return "\ufeff" + "".join(sep.join(line) + "\r\n" for line in lines)


@pytest.mark.parametrize("sep", [",", ";"])
def test_the_streamed_file_is_the_one_built_in_memory(client, alice, association, two_binomes, sep):
    client.force_login(alice)
    query = "?sep=semicolon" if sep == ";" else ""

    response = client.get(f"/coordination/{association.slug}/tableau-de-bord/binomes.csv{query}")

    body = b"".join(response.streaming_content).decode("utf-8")
    assert body == expected(*two_binomes, sep)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="binomes-')
    assert ExportLog.objects.get().rows == 2


def test_the_first_bytes_leave_before_the_rows_are_all_read():
    read = 0

    def rows():  # noqa: ANN202 - 10,000 rows, counting how many were read
        nonlocal read
        for i in range(10_000):
            read += 1
            yield [i, "=1+1", "Zoé"]

    chunks = exports.csv_lines(header=["id", "a", "b"], rows=rows(), semicolon=False)

    assert next(chunks) == "\ufeffid,a,b\r\n" and read == 0
    assert next(chunks).startswith("0,'=1+1,Zoé\r\n1,'=1+1,Zoé\r\n") and read == exports.ROWS_PER_CHUNK
    rest = "".join(chunks)
    assert read == 10_000 and rest.endswith("9999,'=1+1,Zoé\r\n") and rest.count("\r\n") == 10_000 - exports.ROWS_PER_CHUNK
