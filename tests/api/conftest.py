"""Fixtures of the API tests: clients authenticated by token or session, and a small world
(alice coordinates, bob coordinates another association, charlie is a mentee who waits; Yanis and
Inès form an active binôme)."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from api import services as api_services
from matching.models import MatchRun, Proposal
from programmes.selectors import programme_default_for
from tests import factories
from tests.binomes.conftest import binome, mentee_user, mentor_user  # noqa: F401 - fixtures
from tests.matching.conftest import small_pool, vetted  # noqa: F401 - fixtures


def token_client(user, association) -> APIClient:  # noqa: ANN001
    """A client that authenticates like an integration: a token created by ``user``."""
    _token, raw = api_services.api_token_create(association=association, by=user, name="Intégration de test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def session_client(user) -> APIClient:  # noqa: ANN001
    """A client that authenticates like the web app: the session, with CSRF checks on."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/api/v1/me/")  # no cookie yet: the CSRF cookie comes with the first page
    return client


def csrf_headers(client: APIClient) -> dict[str, str]:
    from django.middleware.csrf import _get_new_csrf_string

    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    return {"HTTP_X_CSRFTOKEN": token}


@pytest.fixture
def api():
    """An anonymous client."""
    return APIClient()


@pytest.fixture
def as_alice(alice, association):  # noqa: ANN001
    return token_client(alice, association)


@pytest.fixture
def as_bob(bob, other_association):  # noqa: ANN001
    return token_client(bob, other_association)


@pytest.fixture
def as_charlie(charlie):  # noqa: ANN001
    client = APIClient()
    client.force_authenticate(charlie.membership.user)
    return client


@pytest.fixture
def as_mentor(mentor_user):  # noqa: ANN001, F811
    client = APIClient()
    client.force_authenticate(mentor_user)
    return client


@pytest.fixture
def as_mentee(mentee_user):  # noqa: ANN001, F811
    client = APIClient()
    client.force_authenticate(mentee_user)
    return client


@pytest.fixture
def proposal(association):  # noqa: ANN001
    """A proposal waiting for a decision: Lina (mentee, 16) with Malik (mentor, 22)."""
    run = MatchRun.objects.create(association=association, programme=programme_default_for(association), status="done", n_proposals=1, finished_at=None)
    return Proposal.objects.create(
        run=run, association=association, score=0.83,
        mentee=factories.mentee(association=association, status="validated",
                                user=factories.UserFactory(first_name="Lina", last_name="Amrani")),
        mentor=vetted(association=association, user=factories.UserFactory(first_name="Malik", last_name="Diallo")),
        breakdown={"criteria": {"generational": 0.9, "social": 0.75, "goals": 0.7, "geography": 1.0, "availability": 0.5},
                   "facts": {"age_gap_years": 4.2, "shared_background": ["boursier"], "same_commune": True,
                             "shared_goals": ["orientation"], "shared_slots": ["saturday_morning"]}},
    )


@pytest.fixture
def running_binome(binome):  # noqa: ANN001, F811
    """The binôme, started a month ago (meetings may be logged since then)."""
    from django.utils import timezone

    from matching.services import add_months

    today = timezone.localdate()
    binome.started_on = date(today.year - 1, today.month, 1) if today.month == 1 else date(today.year, today.month - 1, 1)
    binome.planned_end_on = add_months(binome.started_on, 6)
    binome.save(update_fields=["started_on", "planned_end_on"])
    return binome
