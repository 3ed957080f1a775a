"""alice/bob/charlie against every endpoint: the pages' rights, through the API.

- alice coordinates the association: she reaches everything of it;
- bob coordinates another association: 404 on everything of alice's, and nothing changes;
- charlie, a mentee of the same association who waits, and the binôme's own members: 404 on the
  coordination endpoints; charlie also 404 on a binôme that is not his;
- without credentials: 401.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from binomes.models import Binome, Message
from matching.models import MatchRun, Proposal
from participants.models import Participant

pytestmark = pytest.mark.django_db


def association_endpoints(association, charlie, proposal):  # noqa: ANN001
    slug = association.slug
    a = f"/api/v1/associations/{slug}"
    return [
        ("get", f"{a}/", None),
        ("patch", f"{a}/", {"programme_duration_months": 9}),
        ("get", f"{a}/matching-settings/", None),
        ("patch", f"{a}/matching-settings/", {"ideal_age_gap": 3}),
        ("get", f"{a}/participants/", None),
        ("get", f"{a}/participants/{charlie.pk}/", None),
        ("post", f"{a}/participants/{charlie.pk}/validate/", {}),
        ("post", f"{a}/participants/{charlie.pk}/decline/", {"reason": "non"}),
        ("post", f"{a}/participants/{charlie.pk}/vetting/", {"issued_on": "2025-12-15", "verified_on": "2026-01-01", "expires_on": "2028-01-01"}),
        ("get", f"{a}/match-runs/", None),
        ("post", f"{a}/match-runs/", {}),
        ("get", f"{a}/match-runs/{proposal.run_id}/", None),
        ("post", f"{a}/match-runs/{proposal.run_id}/retry/", {}),
        ("get", f"{a}/proposals/", None),
        ("get", f"{a}/proposals/{proposal.pk}/", None),
        ("post", f"{a}/proposals/{proposal.pk}/approve/", {}),
        ("post", f"{a}/proposals/{proposal.pk}/reject/", {"reason": "non"}),
        ("post", f"{a}/proposals/bulk/", {"proposals": [proposal.pk], "action": "approve"}),
        ("get", f"{a}/binomes/", None),
    ]


def binome_endpoints(binome):  # noqa: ANN001
    b = f"/api/v1/binomes/{binome.pk}"
    return [
        ("get", f"{b}/", None),
        ("post", f"{b}/end/", {"reason_code": "no_time"}),
        ("post", f"{b}/continue/", {}),
        ("post", f"{b}/suspend/", {"reason": "signalement"}),
        ("post", f"{b}/resume/", {}),
        ("get", f"{b}/messages/", None),
        ("post", f"{b}/messages/", {"body": "Bonjour"}),
        ("post", f"{b}/reports/", {"reason": "pas bien"}),
        ("get", f"{b}/meetings/", None),
        ("post", f"{b}/meetings/", {"happened_on": "2026-10-01", "duration_minutes": 60, "format": "remote", "topics": ["cv"]}),
        ("get", f"{b}/check-ins/", None),
        ("post", f"{b}/check-ins/", {"rating": 3}),
        ("get", f"{b}/end-survey/", None),
        ("post", f"{b}/end-survey/", {"satisfaction": 5, "would_recommend": 10, "wish_to_continue": True}),
    ]


def call(client, method, path, data):  # noqa: ANN001, ANN201
    return getattr(client, method)(path, data, format="json") if data is not None else getattr(client, method)(path)


def nothing_changed(proposal, binome, charlie):  # noqa: ANN001
    proposal.refresh_from_db()
    binome.refresh_from_db()
    charlie.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED
    assert binome.status == Binome.Status.ACTIVE
    assert charlie.status == Participant.Status.VALIDATED
    assert MatchRun.objects.count() == 1 and not Message.objects.exists()
    assert Binome.objects.count() == 1


def test_alice_reaches_everything_of_her_association(as_alice, association, charlie, proposal, binome):
    for method, path, data in association_endpoints(association, charlie, proposal) + binome_endpoints(binome):
        response = call(as_alice, method, path, data)
        assert response.status_code not in (401, 404, 500), (method, path, response.status_code, response.json())


def test_bob_gets_404_everywhere_and_changes_nothing(as_bob, association, charlie, proposal, binome):
    for method, path, data in association_endpoints(association, charlie, proposal) + binome_endpoints(binome):
        response = call(as_bob, method, path, data)
        assert response.status_code == 404, (method, path, response.status_code)
        assert response.json() == {"detail": "Non trouvé."}
    nothing_changed(proposal, binome, charlie)


def test_charlie_gets_404_on_the_coordination_and_on_a_binome_not_his(as_charlie, association, charlie, proposal, binome):
    for method, path, data in association_endpoints(association, charlie, proposal) + binome_endpoints(binome):
        assert call(as_charlie, method, path, data).status_code == 404, (method, path)
    nothing_changed(proposal, binome, charlie)


@pytest.mark.parametrize("member", ["as_mentor", "as_mentee"])
def test_members_of_a_binome_get_404_on_the_coordination(member, request, association, charlie, proposal, binome):
    client = request.getfixturevalue(member)
    for method, path, data in association_endpoints(association, charlie, proposal):
        assert call(client, method, path, data).status_code == 404, (method, path)
    nothing_changed(proposal, binome, charlie)


@pytest.mark.parametrize("member", ["as_mentor", "as_mentee"])
def test_members_cannot_take_the_coordinations_decisions_on_their_binome(member, request, binome):
    client = request.getfixturevalue(member)
    for action, data in (("continue", {}), ("suspend", {"reason": "x"}), ("resume", {})):
        response = client.post(f"/api/v1/binomes/{binome.pk}/{action}/", data, format="json")
        assert response.status_code == 403, action
    binome.refresh_from_db()
    assert (binome.status, binome.continued_count) == (Binome.Status.ACTIVE, 0)


def test_the_coordinator_cannot_speak_in_the_members_place(as_alice, binome):
    b = f"/api/v1/binomes/{binome.pk}"
    assert as_alice.post(f"{b}/messages/", {"body": "Bonjour"}, format="json").status_code == 403
    assert as_alice.post(f"{b}/reports/", {"reason": "x"}, format="json").status_code == 403
    assert as_alice.post(f"{b}/check-ins/", {"rating": 3}, format="json").status_code == 403
    assert not Message.objects.exists()


def test_without_credentials_everything_is_401(api, association, charlie, proposal, binome):
    paths = association_endpoints(association, charlie, proposal) + binome_endpoints(binome)
    paths += [("get", "/api/v1/me/", None), ("get", "/api/v1/associations/", None), ("get", "/api/v1/binomes/", None),
              ("get", f"/api/v1/me/profiles/{charlie.pk}/", None)]
    for method, path, data in paths:
        response = call(api, method, path, data)
        assert response.status_code == 401, (method, path)
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    nothing_changed(proposal, binome, charlie)


def test_a_member_sees_their_own_binomes_only(as_charlie, as_mentee, binome):
    assert as_charlie.get("/api/v1/binomes/").json()["count"] == 0
    assert [b["id"] for b in as_mentee.get("/api/v1/binomes/").json()["results"]] == [binome.pk]


def test_a_profile_is_its_owners_only(as_charlie, as_alice, charlie, binome):
    assert as_charlie.get(f"/api/v1/me/profiles/{charlie.pk}/").status_code == 200
    assert as_charlie.get(f"/api/v1/me/profiles/{binome.mentee_id}/").status_code == 404
    assert as_alice.get(f"/api/v1/me/profiles/{charlie.pk}/").status_code == 404


def test_docs_and_schema_are_reverse_resolvable():
    assert reverse("api:schema") == "/api/v1/schema/"
    assert reverse("api:docs") == "/api/v1/docs/"
