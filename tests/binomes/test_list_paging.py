"""The coordinators' binômes list past its first page: a count exact up to a cap then estimated,
deep pages read by a deferred join, "Suivante" only when a row follows (mentorat.paging)."""

from __future__ import annotations

import re

import pytest

from binomes.models import Binome
from binomes.selectors import BINOME_LIST_ORDER
from mentorat.paging import ListPaginator
from tests.binomes.test_coordination_pages import another, list_url

pytestmark = pytest.mark.django_db


def ordered_ids(association) -> list[int]:  # noqa: ANN001
    return list(Binome.objects.filter(association=association).order_by(*BINOME_LIST_ORDER).values_list("pk", flat=True))


def walk(client, url: str) -> list[int]:  # noqa: ANN001
    """Every row, following "Suivante" as someone would."""
    seen = []
    while url:
        response = client.get(url)
        seen += [b.pk for b in response.context["page"]]
        link = re.search(r'<a href="\?([^"]*page=\d+)">Suivante', response.content.decode())
        url = f"{url.split('?')[0]}?{link.group(1).replace('&amp;', '&')}" if link else ""
    return seen


def test_a_deep_page_shows_the_rows_an_offset_would(client, association, alice):
    for _ in range(60):
        another(association)
    client.force_login(alice)

    page3 = [b.pk for b in client.get(list_url(association, page=3)).context["page"]]

    assert page3 == ordered_ids(association)[50:60]
    # Past the end, with an exact count: the last page, as before.
    assert [b.pk for b in client.get(list_url(association, page=9)).context["page"]] == page3


def test_above_the_cap_the_count_is_estimated_and_the_pages_still_end_with_the_rows(client, association, alice, monkeypatch):
    monkeypatch.setattr(ListPaginator, "count_cap", 10)
    for _ in range(37):
        another(association)
    client.force_login(alice)

    html = client.get(list_url(association)).content.decode()

    assert re.search(r"environ \d+ binômes", html) and "Page 1 sur environ" in html
    # Whatever the estimate says, following "Suivante" shows every binôme once, in the list's
    # order, and the last page has no "Suivante".
    assert walk(client, list_url(association)) == ordered_ids(association)


def test_below_the_cap_the_count_is_exact(client, association, alice, monkeypatch):
    monkeypatch.setattr(ListPaginator, "count_cap", 10)
    for _ in range(7):
        another(association)
    client.force_login(alice)

    html = client.get(list_url(association)).content.decode()

    assert "7 binômes" in html and "environ" not in html


def test_an_estimated_count_costs_the_same_queries_at_30_and_90_binomes(client, association, alice, monkeypatch,
                                                                         django_assert_max_num_queries):
    monkeypatch.setattr(ListPaginator, "count_cap", 10)
    for _ in range(30):
        another(association)
    client.force_login(alice)
    client.get(list_url(association))  # the session is warm
    with django_assert_max_num_queries(30) as small:
        client.get(list_url(association, page=2))
    for _ in range(60):
        another(association)

    # session, user, the association and the coordinator check, the capped count, the planner's
    # estimate (EXPLAIN, nothing read), the page's rows (ids by offset on the list's index, then
    # joined), the navigation.
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(list_url(association, page=3)).context["page"]) == 25
