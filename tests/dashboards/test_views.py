"""Dashboard pages and exports: who sees what, fixed query counts, files that open in Excel."""

from __future__ import annotations

import csv
import io

import pytest

from binomes.models import Binome
from dashboards.models import ExportLog
from dashboards.rollup import rollup_refresh
from tests import factories
from tests.dashboards.test_indicators import world  # noqa: F401 - the hand-built fixture
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db


def dash(association):
    return f"/coordination/{association.slug}/tableau-de-bord/"


def test_alice_sees_her_dashboard_with_names_of_the_longest_waiters(client, alice, world):  # noqa: F811
    client.force_login(alice)

    html = client.get(dash(world["a"])).content.decode()

    assert "Mentoré·es en attente" in html and "M5" in html  # longest waiters, by name, to act
    assert "<svg" in html and "<table>" in html  # charts, and the numbers as a table


@pytest.mark.parametrize("who", ["bob", "charlie", "operator"])
def test_others_get_404_on_an_associations_dashboard_and_exports(client, world, bob, charlie, operator, who):  # noqa: F811
    client.force_login({"bob": bob, "charlie": charlie.membership.user, "operator": operator}[who])
    a = world["a"]

    for url in (dash(a), f"{dash(a)}indicateurs.csv", f"{dash(a)}binomes.csv"):
        assert client.get(url).status_code == 404, url
    assert not ExportLog.objects.exists()


def test_the_operator_sees_aggregates_of_all_associations_and_no_personal_data(client, operator, world):  # noqa: F811
    client.force_login(operator)

    html = client.get("/operateur/tableau-de-bord/").content.decode()

    assert world["a"].name in html and world["b"].name in html  # the table per association
    for name in ("M1", "M2", "M5"):
        assert f">{name}" not in html and f"{name} " not in html
    assert "@" not in html.split("<main")[1].split("</main>")[0]  # no e-mail address anywhere


def test_coordinators_cannot_open_the_operator_dashboard(client, alice):
    client.force_login(alice)

    assert client.get("/operateur/tableau-de-bord/").status_code == 404
    assert client.get("/operateur/tableau-de-bord/indicateurs.csv").status_code == 404


def test_query_count_does_not_depend_on_the_size_of_the_association(client, alice, association, django_assert_max_num_queries, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0  # count the real computation, not the figures' cache
    settings.DASHBOARD_ROLLUP_SECONDS = 3600  # read from the rollup (its refresh: tests/dashboards/test_rollup.py)
    def grow(n):
        for _ in range(n):
            factories.mentee(association=association, status="validated")  # waiting
            mentee = factories.mentee(association=association, status="validated")
            Binome.objects.create(association=association, mentor=vetted(association=association), mentee=mentee,
                                  started_on=mentee.created_at.date(), planned_end_on=mentee.created_at.date().replace(year=mentee.created_at.year + 1))

    client.force_login(alice)
    grow(1)
    client.get(dash(association))  # builds the rollup
    # session, user, navigation (2), the association, the programme selector (programmes.picker:
    # the programmes the coordinator sees); then the figures: the rollup, the period's days, the
    # longest waiters — 9 in all, whatever the size.
    with django_assert_max_num_queries(9) as small:
        client.get(dash(association))
    grow(12)
    rollup_refresh(association_id=association.pk)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(dash(association)).content.decode()
    assert 'Mentoré·es en attente</dt><dd><span class="value">13' in page  # the rollup's refresh is read


def test_indicator_export_opens_in_excel_and_is_logged(client, alice, world):  # noqa: F811
    client.force_login(alice)

    response = client.get(f"{dash(world['a'])}indicateurs.csv?sep=semicolon")

    body = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith("\ufeff")  # the BOM Excel needs to read accents
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["rubrique", "indicateur", "valeur", "effectif"]
    assert ["Parcours", "Inscrit·es (mentoré·es)", "5", "5"] in rows
    assert ["Résultats", "Mentors satisfaits (4 ou 5 sur 5)", "", "1"] in rows  # too few answers: empty, not 100
    log = ExportLog.objects.get()
    assert (log.user, log.association, log.kind, log.rows) == (alice, world["a"], "indicators", len(rows) - 1)


def test_binome_export_neutralises_formulas(client, alice, association):
    mentee = factories.mentee(association=association, status="validated", user=factories.UserFactory(first_name="=HYPERLINK(\"x\")"))
    Binome.objects.create(association=association, mentor=vetted(association=association), mentee=mentee,
                          started_on=mentee.created_at.date(), planned_end_on=mentee.created_at.date().replace(year=mentee.created_at.year + 1))
    client.force_login(alice)

    body = b"".join(client.get(f"{dash(association)}binomes.csv").streaming_content).decode("utf-8").lstrip("\ufeff")

    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1][1] == "'=HYPERLINK(\"x\")"
    assert ExportLog.objects.get().kind == "binomes"


def test_a_period_ending_before_it_starts_is_explained(client, alice, association):
    client.force_login(alice)

    html = client.get(dash(association) + "?start=2026-06-01&end=2026-01-01").content.decode()

    assert "La fin de la période doit venir après son début." in html


def test_charts_are_accessible_svg_with_short_labels():
    from dashboards.figures import Series
    from dashboards.templatetags.charts import bar_chart

    svg = str(bar_chart(Series("Raisons", [("Déménagement ou changement de situation", 3), ("Autre", 0)], 3), "r"))

    assert 'role="img"' in svg and 'aria-labelledby="r-title r-desc"' in svg
    assert "<desc id=\"r-desc\">Déménagement ou changement de situation : 3; Autre : 0</desc>" in svg  # full labels for screen readers
    assert ">Déménagement ou changement de situation<" in svg  # whole on screen, never clipped


def test_figures_are_cached_briefly_and_recomputed_when_asked(client, alice, association, settings, django_assert_max_num_queries):
    settings.DASHBOARD_CACHE_SECONDS = 120
    client.force_login(alice)
    client.get(dash(association))

    factories.mentee(association=association)
    with django_assert_max_num_queries(6):  # session, user, navigation, association: figures from the cache
        cached = client.get(dash(association)).content.decode()
    settings.DASHBOARD_CACHE_SECONDS = settings.DASHBOARD_ROLLUP_SECONDS = 0
    fresh = client.get(dash(association)).content.decode()

    assert 'Inscrit·es (mentoré·es)</dt><dd><span class="value">0' in cached
    assert 'Inscrit·es (mentoré·es)</dt><dd><span class="value">1' in fresh


@pytest.mark.parametrize(("query", "message"), [
    ("?start=1900-01-01&end=2100-01-01", "Choisissez une date entre le 01/01/2000"),
    ("?start=0001-01-01&end=9999-12-31", "Choisissez une date entre le 01/01/2000"),
    ("?start=2000-01-01&end=2026-01-01", "La période ne peut pas dépasser 10 ans"),
])
def test_an_implausible_period_is_a_form_error_above_the_default_figures(client, alice, association, query, message):
    client.force_login(alice)

    response = client.get(dash(association) + query)
    export = client.get(dash(association) + "indicateurs.csv" + query)

    assert response.status_code == 200 and message in response.content.decode()
    assert export.status_code == 200  # the export falls back to the last twelve months too


def test_an_export_with_a_nul_character_in_its_link_is_served_and_logged(client, alice, association):
    client.force_login(alice)

    response = client.get(dash(association) + "binomes.csv", {"sep": "semi\x00colon", "x": "y" * 5000})

    assert response.status_code == 200
    log = ExportLog.objects.get(kind="binomes")
    assert log.parameters == {"sep": "semicolon", "x": "y" * 200}


def test_a_warm_dashboard_serves_the_figure_blocks_rendered_with_the_figures(client, alice, association, settings):
    settings.DASHBOARD_CACHE_SECONDS = 120
    factories.mentee(association=association)
    client.force_login(alice)
    first = client.get(dash(association))  # computes, renders the blocks once, caches both

    warm = client.get(dash(association))

    assert "dashboards/_sections.html" not in [t.name for t in warm.templates]  # nothing re-rendered
    settings.DASHBOARD_CACHE_SECONDS = 0
    live = client.get(dash(association))
    assert "dashboards/_sections.html" in [t.name for t in live.templates]
    main = [r.content.decode().split("<main")[1].split("</main>")[0] for r in (first, warm, live)]
    assert main[0] == main[1] == main[2]
