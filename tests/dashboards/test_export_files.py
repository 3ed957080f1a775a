"""Large exports are built by a worker into a private file: the coordinator waits on a page
("Export en préparation") that then offers the download; the file is theirs and their
association's only, and leaves the disk after a day."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from dashboards.models import ExportFile, ExportLog
from dashboards.services import export_file_build, export_files_expire
from outbox.models import OutboxMessage
from tests.dashboards.test_exports_streamed import expected, two_binomes  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.EXPORTS_ROOT = tmp_path / "exports"
    settings.EXPORT_STREAM_MAX_ROWS = 1  # the two binômes of the fixture are "a large export"
    return settings.EXPORTS_ROOT


def url(association, tail=""):
    return f"/coordination/{association.slug}/tableau-de-bord/{tail}"


def request_export(client, association, query="?sep=semicolon"):
    response = client.get(url(association, "binomes.csv") + query)
    assert response.status_code == 302
    return ExportFile.objects.get(), response["Location"]


def test_up_to_the_threshold_the_export_is_streamed_by_the_request(client, alice, association, two_binomes, settings):  # noqa: F811
    settings.EXPORT_STREAM_MAX_ROWS = 2
    client.force_login(alice)

    response = client.get(url(association, "binomes.csv"))

    assert response.streaming and not ExportFile.objects.exists()


def test_beyond_the_threshold_a_worker_builds_the_file_and_the_page_waits_for_it(
        client, alice, association, two_binomes):  # noqa: F811
    client.force_login(alice)

    export, location = request_export(client, association)

    assert location == url(association, f"exports/{export.pk}/")
    assert OutboxMessage.objects.filter(task="dashboards.tasks.build_export_file", args=[export.pk]).exists()
    page = client.get(location).content.decode()
    assert "Export en préparation" in page and 'http-equiv="refresh"' in page
    assert client.get(url(association, f"exports/{export.pk}/fichier/")).status_code == 404  # not yet


def test_a_second_click_while_it_is_prepared_builds_no_second_file(client, alice, association, two_binomes):  # noqa: F811
    client.force_login(alice)
    first, _ = request_export(client, association)

    client.get(url(association, "binomes.csv?sep=semicolon"))

    assert ExportFile.objects.get() == first


def test_the_built_file_is_the_streamed_one_and_a_rerun_changes_nothing(
        client, alice, association, two_binomes, private_root):  # noqa: F811
    client.force_login(alice)
    export, location = request_export(client, association)

    export_file_build(export_id=export.pk)
    export_file_build(export_id=export.pk)  # the task delivered twice

    export.refresh_from_db()
    assert export.status == "ready" and export.rows == 2
    assert [p.name for p in Path(private_root).iterdir()] == [export.path]  # one file, no leftover
    page = client.get(location).content.decode()
    assert "Le fichier est prêt (2 lignes)" in page and "refresh" not in page
    response = client.get(url(association, f"exports/{export.pk}/fichier/"))
    assert b"".join(response.streaming_content).decode("utf-8") == expected(*two_binomes, ";")
    assert response["Content-Disposition"].startswith('attachment; filename="binomes-')
    assert ExportLog.objects.get().rows == 2  # the download is logged: it leaves the platform


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_only_the_associations_coordinators_reach_the_file(client, alice, association, two_binomes, who, request):  # noqa: F811
    client.force_login(alice)
    export, location = request_export(client, association)
    export_file_build(export_id=export.pk)
    outsider = request.getfixturevalue(who)
    client.force_login(getattr(outsider, "membership", None) and outsider.membership.user or outsider)

    assert client.get(location).status_code == 404
    assert client.get(url(association, f"exports/{export.pk}/fichier/")).status_code == 404


def test_another_associations_export_id_is_a_404_even_for_a_coordinator(client, alice, bob, other_association, association, two_binomes):  # noqa: F811
    client.force_login(alice)
    export, _ = request_export(client, association)
    client.force_login(bob)

    assert client.get(url(other_association, f"exports/{export.pk}/")).status_code == 404


def test_the_file_leaves_the_disk_after_a_day(client, alice, association, two_binomes, private_root):  # noqa: F811
    client.force_login(alice)
    export, location = request_export(client, association)
    export_file_build(export_id=export.pk)

    with time_machine.travel(timezone.now() + timedelta(hours=23), tick=False):
        assert export_files_expire() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        assert export_files_expire() == 1
        assert export_files_expire() == 0  # twice: harmless

    assert list(Path(private_root).iterdir()) == []
    assert "a expiré" in client.get(location).content.decode()
    assert client.get(url(association, f"exports/{export.pk}/fichier/")).status_code == 404


def test_a_build_that_fails_says_so_on_the_page(client, alice, association, two_binomes, monkeypatch, private_root):  # noqa: F811
    client.force_login(alice)
    export, location = request_export(client, association)
    monkeypatch.setattr("dashboards.exports.binome_rows", lambda values: iter([1 / 0]))  # noqa: ARG005

    with pytest.raises(ZeroDivisionError):
        export_file_build(export_id=export.pk)

    assert "a échoué" in client.get(location).content.decode()
    assert list(Path(private_root).iterdir()) == []
