"""Matching settings per programme (issue 12): each programme has its own row, read through
``matching.selectors.settings_for``; the settings page and API edit the chosen programme's; a run
copies its own programme's settings; the API launches a run for a programme."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from associations.models import Membership
from matching import selectors, services
from matching.models import MatchingSettings, MatchRun, Proposal
from programmes.selectors import programme_default_for
from programmes.services import coordinator_restrict, programme_create
from tests import factories
from tests.matching.conftest import vetted

pytestmark = pytest.mark.django_db


@pytest.fixture
def lyon(association, alice):  # noqa: ANN001
    return programme_create(association=association, by=alice, name="Étudiants boursiers — Lyon", duration_months=6)


@pytest.fixture
def dora(association, alice, lyon):  # noqa: ANN001
    """A coordinator restricted to the Lyon programme."""
    user = factories.coordinator(association, email="dora@asso.example.org", first_name="Dora")
    coordinator_restrict(membership=Membership.objects.get(user=user, association=association, role="coordinator"),
                         programmes=[lyon], by=alice)
    return user


def _pair_six_km_apart(association, programme, name: str) -> None:  # noqa: ANN001
    """A mentee in Bobigny and a vetted mentor in Montreuil (about 6 km), both in person only."""
    factories.mentee(association=association, programme=programme, status="validated", commune=factories.commune("93008"),
                     meeting_format="in_person", user=factories.UserFactory(first_name=f"Mentee{name}"))
    vetted(association=association, programme=programme, commune=factories.commune("93048"), meeting_format="in_person",
           user=factories.UserFactory(first_name=f"Mentor{name}"))


def _run(association, by, programme, django_capture_on_commit_callbacks) -> MatchRun:  # noqa: ANN001
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_request(association=association, by=by, programme=programme)
    run.refresh_from_db()
    return run


def test_a_programme_never_edited_reads_the_defaults_without_writing(association, lyon):
    row = selectors.settings_for(lyon)

    assert row.pk is None and row.max_distance_km == 30 and row.programme == lyon
    assert not MatchingSettings.objects.exists()


def test_editing_one_programmes_settings_leaves_the_others(association, alice, lyon):
    main = programme_default_for(association)
    services.matching_settings_update(association=association, by=alice, programme=lyon, max_distance_km=5)

    assert selectors.settings_for(lyon).max_distance_km == 5
    assert selectors.settings_for(main).max_distance_km == 30


def test_a_run_uses_its_own_programmes_settings(association, alice, lyon, django_capture_on_commit_callbacks):
    main = programme_default_for(association)
    _pair_six_km_apart(association, main, "Principal")
    _pair_six_km_apart(association, lyon, "Lyon")
    services.matching_settings_update(association=association, by=alice, programme=lyon, max_distance_km=2)

    run_main = _run(association, alice, main, django_capture_on_commit_callbacks)
    run_lyon = _run(association, alice, lyon, django_capture_on_commit_callbacks)

    assert (run_main.params["max_distance_km"], run_lyon.params["max_distance_km"]) == (30, 2)
    assert run_main.n_proposals == 1 and run_lyon.n_proposals == 0  # 6 km: near enough for one, too far for the other
    assert Proposal.objects.get(run=run_main).mentee.membership.user.first_name == "MenteePrincipal"


def test_a_restricted_coordinator_edits_only_their_programmes_settings(association, alice, dora, lyon):
    services.matching_settings_update(association=association, by=dora, programme=lyon, max_distance_km=10)
    with pytest.raises(PermissionDenied):
        services.matching_settings_update(association=association, by=dora, programme=programme_default_for(association),
                                          max_distance_km=10)
    assert selectors.settings_for(programme_default_for(association)).max_distance_km == 30


def _settings_form(row: MatchingSettings, **changes: object) -> dict:
    from matching.forms import SETTINGS_FIELDS

    data = {name: getattr(row, name) for name in SETTINGS_FIELDS}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}  # an unchecked box is not sent


def test_the_settings_page_edits_the_chosen_programme(client, association, alice, lyon):
    client.force_login(alice)
    url = f"/coordination/{association.slug}/appariement/reglages/"

    page = client.get(f"{url}?programme={lyon.slug}").content.decode()
    response = client.post(f"{url}?programme={lyon.slug}", _settings_form(selectors.settings_for(lyon), max_distance_km=12))

    assert "Étudiants boursiers — Lyon" in page and 'id="programme-picker"' in page
    assert "Tous les programmes" not in page  # one programme's settings at a time
    assert response.status_code == 302 and response["Location"].endswith(f"?programme={lyon.slug}")
    assert selectors.settings_for(lyon).max_distance_km == 12
    assert selectors.settings_for(programme_default_for(association)).max_distance_km == 30


def test_the_settings_page_of_a_programme_not_theirs_is_a_404(client, association, alice, dora, bob, lyon):
    url = f"/coordination/{association.slug}/appariement/reglages/"
    main = programme_default_for(association)
    client.force_login(dora)
    assert client.get(f"{url}?programme={main.slug}").status_code == 404
    assert client.post(f"{url}?programme={main.slug}", _settings_form(selectors.settings_for(main), max_distance_km=3)).status_code == 404
    assert "Lyon" in client.get(url).content.decode()  # without a programme: hers
    client.force_login(bob)
    assert client.get(f"{url}?programme={lyon.slug}").status_code == 404
    client.force_login(alice)
    assert client.get(f"{url}?programme=inconnu").status_code == 404
    assert selectors.settings_for(main).max_distance_km == 30


def test_the_api_reads_and_edits_one_programmes_settings(association, alice, dora, lyon):
    api = APIClient()
    api.force_authenticate(alice)
    base = f"/api/v1/associations/{association.slug}/matching-settings/"

    changed = api.patch(f"{base}?programme={lyon.slug}", {"max_distance_km": 8}, format="json")
    default = api.get(base).json()

    assert changed.status_code == 200 and changed.json()["programme"] == lyon.slug and changed.json()["max_distance_km"] == 8
    assert default["programme"] == programme_default_for(association).slug and default["max_distance_km"] == 30
    api.force_authenticate(dora)
    assert api.get(f"{base}?programme={programme_default_for(association).slug}").status_code == 404
    assert api.get(base).json()["programme"] == lyon.slug  # hers by default


def test_the_api_launches_a_run_for_a_programme(association, alice, dora, bob, lyon, django_capture_on_commit_callbacks):
    api = APIClient()
    url = f"/api/v1/associations/{association.slug}/match-runs/"
    api.force_authenticate(alice)

    with django_capture_on_commit_callbacks(execute=True):
        default = api.post(url, {}, format="json")
        chosen = api.post(url, {"programme": lyon.slug}, format="json")

    assert default.status_code == 201 and default.json()["programme"] == programme_default_for(association).slug
    assert chosen.status_code == 201 and chosen.json()["programme"] == lyon.slug
    assert MatchRun.objects.get(pk=chosen.json()["id"]).programme == lyon
    assert api.post(url, {"programme": "inconnu"}, format="json").status_code == 404
    assert api.post(url, {"programme": "pas un slug !"}, format="json").status_code == 400
    api.force_authenticate(dora)
    assert api.post(url, {"programme": programme_default_for(association).slug}, format="json").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        hers = api.post(url, {}, format="json")
    assert hers.status_code == 201 and hers.json()["programme"] == lyon.slug
    api.force_authenticate(bob)
    assert api.post(url, {"programme": lyon.slug}, format="json").status_code == 404


def test_the_nightly_runs_follow_each_programmes_setting(association, alice, lyon):
    services.matching_settings_update(association=association, by=alice, programme=lyon, periodic_runs=True)

    assert services.periodic_match_runs_request() == 1
    assert list(MatchRun.objects.values_list("programme", flat=True)) == [lyon.pk]
