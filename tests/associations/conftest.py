from __future__ import annotations

import pytest
from django.core.cache import cache

from associations.models import Association
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth's rate limits (failed logins per IP...) live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pending_association(db):  # noqa: ANN001
    """An association waiting for the operator's decision."""
    return factories.AssociationFactory(
        name="Les Amis d'Aubervilliers", slug="amis-aubervilliers", rna_number="W931111111",
        contact_name="Karima Ziani", contact_email="karima@amis.example.org",
        status=Association.Status.PENDING,
    )
