"""Dashboards kept warm by beat: a coordinator who opened the dashboard finds fresh default
figures the next time without anyone waiting for the cold computation."""

from __future__ import annotations

import pytest

from dashboards.tasks import refresh_dashboards
from tests import factories

pytestmark = pytest.mark.django_db

SIGNED = 'Inscrit·es (mentoré·es)</dt><dd><span class="value">{}'


def dash(association):
    return f"/coordination/{association.slug}/tableau-de-bord/"


def test_beat_refreshes_an_opened_dashboard_so_the_next_opening_serves_fresh_figures_from_the_cache(
        client, alice, association, settings, django_assert_max_num_queries):
    settings.DASHBOARD_CACHE_SECONDS = 120
    client.force_login(alice)
    assert SIGNED.format(0) in client.get(dash(association)).content.decode()
    factories.mentee(association=association)

    assert refresh_dashboards() == 1
    assert refresh_dashboards() == 1  # twice: harmless, the same figures

    with django_assert_max_num_queries(6):  # session, user, navigation, association: no figure computed
        page = client.get(dash(association)).content.decode()
    assert SIGNED.format(1) in page


def test_a_dashboard_nobody_opened_costs_nothing(association, settings):
    settings.DASHBOARD_CACHE_SECONDS = 120

    assert refresh_dashboards() == 0


def test_another_period_is_not_kept_warm(client, alice, association, settings):
    settings.DASHBOARD_CACHE_SECONDS = 120
    client.force_login(alice)

    client.get(dash(association) + "?start=2026-01-01&end=2026-03-31")

    assert refresh_dashboards() == 0
