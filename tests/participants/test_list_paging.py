"""The participants list and the API's ``?page=N`` past the first page: deep pages read by a
deferred join show what an offset would; the count is estimated beyond a cap, on the page
(« environ ») and in the API (``count_is_exact``) (mentorat.paging)."""

from __future__ import annotations

import re

import pytest

from mentorat.paging import ListPaginator
from participants.models import Participant
from participants.selectors import PARTICIPANT_LIST_ORDER
from tests import factories

pytestmark = pytest.mark.django_db


def ordered_ids(association) -> list[int]:  # noqa: ANN001
    return list(Participant.objects.filter(association=association).order_by(*PARTICIPANT_LIST_ORDER).values_list("pk", flat=True))


def test_a_deep_page_of_the_list_shows_the_rows_an_offset_would(client, association, alice):
    for _ in range(55):
        factories.mentee(association=association)
    client.force_login(alice)

    page3 = [p.pk for p in client.get(f"/coordination/{association.slug}/participants/?page=3").context["page"]]

    assert page3 == ordered_ids(association)[50:]


def test_above_the_cap_the_list_says_about_how_many(client, association, alice, monkeypatch):
    monkeypatch.setattr(ListPaginator, "count_cap", 10)
    for _ in range(30):
        factories.mentee(association=association)
    client.force_login(alice)

    html = client.get(f"/coordination/{association.slug}/participants/?page=2").content.decode()

    assert re.search(r"environ \d+ personnes", html) and "Page 2 sur environ" in html
    # 30 people: page 2 is the last, whatever the estimate says (the rows read tell).
    assert "Précédente" in html and "Suivante" not in html


def test_the_api_page_n_reads_the_same_rows_and_says_when_its_count_is_estimated(client, association, alice, monkeypatch):
    monkeypatch.setattr(ListPaginator, "count_cap", 10)
    for _ in range(45):
        factories.mentee(association=association)
    client.force_login(alice)

    body = client.get(f"/api/v1/associations/{association.slug}/participants/", {"page": 3, "page_size": 20}).json()
    first = client.get(f"/api/v1/associations/{association.slug}/participants/", {"page_size": 20}).json()

    # Above the cap the count is the planner's estimate, never below the rows counted, and says so.
    assert body["count_is_exact"] is False and body["count"] >= 11
    assert first["count_is_exact"] is False and first["count"] >= 11
    assert [row["id"] for row in body["results"]] == ordered_ids(association)[40:60]
    assert body["next"] is None and body["previous"]


def test_the_api_count_is_exact_up_to_the_cap(client, association, alice, monkeypatch):
    monkeypatch.setattr(ListPaginator, "count_cap", 10)
    for _ in range(10):
        factories.mentee(association=association)
    client.force_login(alice)

    body = client.get(f"/api/v1/associations/{association.slug}/participants/", {"page_size": 4}).json()

    assert body["count"] == Participant.objects.filter(association=association).count() == 10
    assert body["count_is_exact"] is True


def test_another_associations_coordinator_gets_404_on_a_deep_page(client, association, alice, bob):
    for _ in range(30):
        factories.mentee(association=association)
    client.force_login(bob)

    assert client.get(f"/coordination/{association.slug}/participants/?page=2").status_code == 404
    assert client.get(f"/api/v1/associations/{association.slug}/participants/", {"page": 2}).status_code == 404
