"""The dashboard per programme (issue 12): « Tous les programmes » (the whole association, for an
unrestricted coordinator only) or one programme, read from the rollup's ``programme:<id>`` rows
that the refresh computes in the same pass as the association's; its CSV exports follow the
same choice. (tests/programmes/conftest.py's world: a binôme, a waiting mentee with a proposal
and two mentors in each of two programmes; dora is restricted to Lyon.)"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dashboards import rollup
from dashboards.indicators import Scope, compute
from dashboards.models import DashboardDay, DashboardRollup, ExportFile
from dashboards.periods import period_resolve
from tests.programmes.conftest import dora, world  # noqa: F401 - the fixtures

pytestmark = pytest.mark.django_db


def dash(association, query: str = "") -> str:  # noqa: ANN001
    return f"/coordination/{association.slug}/tableau-de-bord/{query}"


def _totals(association, programme_id=None):  # noqa: ANN001, ANN202
    """The default period's sums from the rollup (refreshed first: ``max_age=0``)."""
    from dashboards.indicators import _month_starts

    start, end = period_resolve(None, None)
    months = _month_starts(Scope((association.pk,), start, end))
    return rollup.totals_read(association_ids=[association.pk], start=start, end=end, months=months, max_age=0,
                              programme_id=programme_id)


def test_the_refresh_writes_each_programmes_days_and_their_sum(association, world):  # noqa: F811
    rollup.rollup_refresh(association_id=association.pk)
    main, lyon = (world[k].programme for k in ("main", "lyon"))

    whole, one, other = _totals(association), _totals(association, lyon.pk), _totals(association, main.pk)

    assert (one.facts["signed"], other.facts["signed"], whole.facts["signed"]) == (2, 2, 4)  # the paired and the waiting mentee
    assert (one.state["b_active"], other.state["b_active"], whole.state["b_active"]) == (1, 1, 2)
    assert (one.facts["waiting_now"], whole.facts["waiting_now"]) == (1, 2)
    assert one.longest == [world["lyon"].waiting.pk] and set(whole.longest) == {world["lyon"].waiting.pk, world["main"].waiting.pk}
    scopes = set(DashboardDay.objects.values_list("scope", flat=True))
    assert scopes == {"", f"programme:{main.pk}", f"programme:{lyon.pk}"}
    assert DashboardRollup.objects.filter(scope=f"programme:{lyon.pk}").exists()


def test_a_programme_added_after_the_first_build_makes_the_next_refresh_rebuild_its_history(association, alice, world):  # noqa: F811
    from programmes.services import programme_create
    from tests import factories

    rollup.rollup_refresh(association_id=association.pk)
    college = programme_create(association=association, by=alice, name="Collégiens", duration_months=6)
    old = factories.mentee(association=association, programme=college)
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=200))  # older than the open window

    rollup.rollup_refresh(association_id=association.pk)

    assert _totals(association, college.pk).facts["signed"] == 1


def test_the_rollup_and_the_live_figures_agree_per_programme(association, world):  # noqa: F811
    """The cohort path aggregates the rows live: its figures of a programme match the rollup's."""
    start, end = period_resolve(None, None)
    lyon = world["lyon"].programme
    from_rollup = compute(Scope((association.pk,), start, end, None, lyon.pk))
    live = compute(Scope((association.pk,), start, end, 2026, lyon.pk))  # the world's binômes started in September 2026

    assert [f.value for f in from_rollup.waiting[:1]] == [f.value for f in live.waiting[:1]] == [1]
    assert [p.pk for p in from_rollup.longest_waiters] == [p.pk for p in live.longest_waiters] == [world["lyon"].waiting.pk]


def test_alice_sees_all_programmes_or_one(client, association, alice, world):  # noqa: F811
    client.force_login(alice)
    lyon = world["lyon"].programme

    both = client.get(dash(association)).content.decode()
    one = client.get(dash(association, f"?programme={lyon.slug}"))
    html = one.content.decode()

    assert "AttenteLyon" in both and "AttentePrincipal" in both and "Tous les programmes" in both
    assert one.context["scope"].programme_id == lyon.pk
    assert "AttenteLyon" in html and "AttentePrincipal" not in html
    assert f'<input type="hidden" name="programme" value="{lyon.slug}">' in html  # kept when the period changes
    assert f"?status=ended_early&amp;programme={lyon.slug}" in html  # and by the link to its ended binômes
    assert "?status=ended_early&amp;programme=" not in both
    assert client.get(dash(association, "?programme=inconnu")).status_code == 404


def test_a_restricted_coordinator_gets_their_programmes_dashboard_never_the_associations(client, association, dora, world):  # noqa: F811
    client.force_login(dora)
    main = world["main"].programme

    page = client.get(dash(association))
    html = page.content.decode()

    assert page.status_code == 200 and page.context["scope"].programme_id == world["lyon"].programme.pk
    assert "AttenteLyon" in html and "AttentePrincipal" not in html and "Tous les programmes" not in html
    assert client.get(dash(association, f"?programme={main.slug}")).status_code == 404
    for tail in ("indicateurs.csv", "binomes.csv"):
        assert client.get(dash(association, f"{tail}?programme={main.slug}")).status_code == 404


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_others_get_404_on_a_programmes_dashboard(client, association, world, bob, charlie, who):  # noqa: F811
    client.force_login({"bob": bob, "charlie": charlie.membership.user}[who])
    lyon = world["lyon"].programme
    for tail in ("", "indicateurs.csv", "binomes.csv"):
        assert client.get(dash(association, f"{tail}?programme={lyon.slug}")).status_code == 404, tail


def _csv(response) -> list[list[str]]:  # noqa: ANN001
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_binome_export_follows_the_programme(client, association, alice, dora, world):  # noqa: F811
    client.force_login(alice)
    lyon = world["lyon"].programme

    rows = _csv(client.get(dash(association, f"binomes.csv?programme={lyon.slug}")))
    every = _csv(client.get(dash(association, "binomes.csv")))

    assert len(rows) == 2 and "BinomeLyon" in rows[1] and len(every) == 3
    client.force_login(dora)
    hers = client.get(dash(association, "binomes.csv"))
    assert hers.status_code == 200 and "BinomePrincipal" not in str(_csv(hers)) and lyon.slug in hers["Content-Disposition"]


def test_the_indicator_export_follows_the_programme(client, association, alice, world):  # noqa: F811
    client.force_login(alice)
    lyon = world["lyon"].programme

    response = client.get(dash(association, f"indicateurs.csv?programme={lyon.slug}"))

    assert response.status_code == 200 and lyon.slug in response["Content-Disposition"]


def test_a_large_export_of_the_whole_association_is_not_a_restricted_coordinators(client, association, alice, dora, world, settings, tmp_path):  # noqa: F811
    settings.EXPORTS_ROOT = tmp_path
    settings.EXPORT_STREAM_MAX_ROWS = 0  # every export is "large": a worker builds it
    client.force_login(alice)
    client.get(dash(association, "binomes.csv"))
    whole = ExportFile.objects.get(programme=None)
    client.force_login(dora)
    client.get(dash(association, "binomes.csv"))
    lyon_file = ExportFile.objects.get(programme=world["lyon"].programme)

    assert client.get(dash(association, f"exports/{whole.pk}/")).status_code == 404
    assert client.get(dash(association, f"exports/{lyon_file.pk}/")).status_code == 200
    client.force_login(alice)
    assert client.get(dash(association, f"exports/{lyon_file.pk}/")).status_code == 200


def test_the_api_indicators_follow_the_same_rule(association, alice, dora, world):  # noqa: F811
    url = f"/api/v1/associations/{association.slug}/indicators/"
    api = APIClient()
    api.force_authenticate(alice)
    assert api.get(f"{url}?programme={world['lyon'].programme.slug}").status_code == 200
    assert api.get(f"{url}?programme=inconnu").status_code == 404
    api.force_authenticate(dora)
    assert api.get(url).status_code == 200  # hers
    assert api.get(f"{url}?programme={world['main'].programme.slug}").status_code == 404


def test_a_programmes_dashboard_costs_the_same_queries_at_any_size(client, association, alice, world, settings,  # noqa: F811
                                                                  django_assert_max_num_queries):
    from tests import factories

    settings.DASHBOARD_CACHE_SECONDS = 0
    client.force_login(alice)
    url = dash(association, f"?programme={world['lyon'].programme.slug}")
    client.get(url)  # the rollup's first build
    # session, user, association, the programme selector (1), navigation..., the rollups (association
    # and programme), the days, the longest waiters: whatever the number of people
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for _ in range(10):
        factories.mentee(association=association, programme=world["lyon"].programme, status="validated")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
