"""Scoping by programme on every coordinator door: a coordinator restricted to one programme sees
nothing of another (404 on its objects, absent from lists, counts, exports and the API); an
unrestricted coordinator sees every programme, or one with ``?programme=``."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from matching.services import match_run_request, proposal_approve, proposal_reject
from programmes.selectors import programmes_for_coordinator
from programmes.services import programme_create, programme_update

pytestmark = pytest.mark.django_db


def _pages(slug: str, side) -> dict[str, str]:  # noqa: ANN001
    base = f"/coordination/{slug}"
    return {
        "participant": f"{base}/participants/{side.waiting.pk}/",
        "binome": f"{base}/binomes/{side.binome.pk}/",
        "proposal": f"{base}/propositions/{side.proposal.pk}/",
        "run": f"{base}/appariement/{side.run.pk}/",
    }


def _api(slug: str, side) -> dict[str, str]:  # noqa: ANN001
    base = f"/api/v1/associations/{slug}"
    return {
        "participant": f"{base}/participants/{side.waiting.pk}/",
        "proposal": f"{base}/proposals/{side.proposal.pk}/",
        "run": f"{base}/match-runs/{side.run.pk}/",
        "binome": f"/api/v1/binomes/{side.binome.pk}/",
    }


LISTS = ("participants/", "binomes/", "propositions/", "textes-retenus/", "appariement/")


def test_the_rule_restricted_coordinator_sees_only_their_programmes(association, alice, dora, bob, world):
    assert set(programmes_for_coordinator(user=alice, association=association)) == {world["main"].programme, world["lyon"].programme}
    assert list(programmes_for_coordinator(user=dora, association=association)) == [world["lyon"].programme]
    assert not programmes_for_coordinator(user=bob, association=association).exists()


def test_restricted_coordinator_gets_404_on_every_object_of_another_programme(client, association, dora, world):
    client.force_login(dora)
    for door, url in _pages(association.slug, world["main"]).items():
        assert client.get(url).status_code == 404, door
    for door, url in _pages(association.slug, world["lyon"]).items():
        assert client.get(url).status_code == 200, door


def test_unrestricted_coordinator_sees_both_programmes_and_bob_none(client, association, alice, bob, world):
    client.force_login(alice)
    for side in world.values():
        for door, url in _pages(association.slug, side).items():
            assert client.get(url).status_code == 200, door
    client.force_login(bob)
    for door, url in _pages(association.slug, world["lyon"]).items():
        assert client.get(url).status_code == 404, door


def test_lists_show_only_the_programmes_a_coordinator_may_see(client, association, alice, dora, world):
    client.force_login(dora)
    for path in LISTS:
        page = client.get(f"/coordination/{association.slug}/{path}").content.decode()
        assert "Principal" not in page, path
    client.force_login(dora)
    page = client.get(f"/coordination/{association.slug}/participants/").content.decode()
    assert "AttenteLyon" in page and "MentorLyon" in page
    client.force_login(alice)
    page = client.get(f"/coordination/{association.slug}/participants/").content.decode()
    assert "AttenteLyon" in page and "AttentePrincipal" in page


def test_held_texts_and_proposal_counts_are_cut_to_the_programme(association, dora, alice, world):
    from matching.proposals_selectors import proposal_pending_count
    from safeguarding.selectors import held_text_list_for_coordinator

    assert list(held_text_list_for_coordinator(user=dora, association=association)) == [world["lyon"].review]
    assert held_text_list_for_coordinator(user=alice, association=association).count() == 2
    assert proposal_pending_count(user=dora, association=association) == 1
    assert proposal_pending_count(user=alice, association=association) == 2


def test_a_restricted_coordinator_never_sees_association_wide_figures(client, association, alice, dora, world):
    """Issue 12: dora's dashboard and exports are her programme's (Lyon); the association's
    figures, or another programme's, are a 404 (tests/dashboards/test_programme_dashboard.py)."""
    client.force_login(dora)
    main = world["main"].programme.slug
    for path in ("tableau-de-bord/", "tableau-de-bord/binomes.csv", "tableau-de-bord/indicateurs.csv"):
        assert client.get(f"/coordination/{association.slug}/{path}?programme={main}").status_code == 404, path
        assert client.get(f"/coordination/{association.slug}/{path}").status_code == 200, path
    page = client.get(f"/coordination/{association.slug}/tableau-de-bord/")
    assert page.context["scope"].programme_id == world["lyon"].programme.pk
    api = APIClient()
    api.force_authenticate(dora)
    assert api.get(f"/api/v1/associations/{association.slug}/indicators/?programme={main}").status_code == 404
    client.force_login(alice)
    assert client.get(f"/coordination/{association.slug}/tableau-de-bord/binomes.csv").status_code == 200


def test_api_holds_the_restriction(association, dora, world):
    api = APIClient()
    api.force_authenticate(dora)
    for door, url in _api(association.slug, world["main"]).items():
        assert api.get(url).status_code == 404, door
    for door, url in _api(association.slug, world["lyon"]).items():
        assert api.get(url).status_code == 200, door
    base = f"/api/v1/associations/{association.slug}"
    for path, key in (("participants/", "id"), ("binomes/", "id"), ("proposals/", "id"), ("match-runs/", "id"), ("held-texts/", "id")):
        body = api.get(f"{base}/{path}").json()
        ids = {row[key] for row in body["results"]}
        lyon = world["lyon"]
        assert ids <= {lyon.waiting.pk, lyon.binome.mentor_id, lyon.binome.mentee_id, lyon.proposal.mentor_id, lyon.binome.pk,
                       lyon.proposal.pk, lyon.run.pk, lyon.review.pk}, path
        assert ids, path
    # a restricted coordinator asking for another programme gets nothing
    assert api.get(f"{base}/participants/", {"programme": "principal"}).json()["results"] == []


def test_api_programme_filter_for_an_unrestricted_coordinator(association, alice, world):
    api = APIClient()
    api.force_authenticate(alice)
    base = f"/api/v1/associations/{association.slug}"
    everyone = {row["id"] for row in api.get(f"{base}/participants/").json()["results"]}
    lyon = {row["id"] for row in api.get(f"{base}/participants/", {"programme": world["lyon"].programme.slug}).json()["results"]}
    assert world["main"].waiting.pk in everyone and world["lyon"].waiting.pk in everyone
    assert world["lyon"].waiting.pk in lyon and world["main"].waiting.pk not in lyon
    binomes = {row["id"] for row in api.get(f"{base}/binomes/", {"programme": "principal"}).json()["results"]}
    assert binomes == {world["main"].binome.pk}


def test_restricted_coordinator_cannot_reach_another_programme_by_the_services(association, dora, world):
    with pytest.raises(PermissionDenied):
        match_run_request(association=association, by=dora, programme=world["main"].programme)
    with pytest.raises(PermissionDenied):
        programme_update(programme=world["main"].programme, by=dora, duration_months=3)
    with pytest.raises(PermissionDenied):
        programme_create(association=association, by=dora, name="Le sien")
    with pytest.raises(PermissionDenied):
        proposal_approve(proposal=world["main"].proposal, by=dora)
    with pytest.raises(PermissionDenied):
        proposal_reject(proposal=world["main"].proposal, by=dora, reason="pas le mien")
    assert programme_update(programme=world["lyon"].programme, by=dora, duration_months=9).duration_months == 9


def test_the_scope_is_planned_apart_from_the_callers_joins(association, alice, dora, world):
    """``scope`` reads as ``= ANY(ARRAY(subquery))`` on PostgreSQL: the visible-programmes rule is
    planned once on its own instead of being pulled into the list's joins (which cost the binômes
    list 85-100 ms of planning per page at 10k participants); the rows are those of ``IN``."""
    from django.db import connection

    from binomes.models import Binome
    from binomes.selectors import binome_list_page_for_coordinator

    qs = binome_list_page_for_coordinator(user=dora, association=association)
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "= ANY (ARRAY(" in sql.replace("ANY(ARRAY", "ANY (ARRAY") and "InitPlan" in plan
    visible = programmes_for_coordinator(user=dora, association=association).values("pk")
    assert {b.pk for b in qs} == set(Binome.objects.filter(association=association, mentee__programme__in=visible).values_list("pk", flat=True))
    assert {b.pk for b in qs} == {world["lyon"].binome.pk}
