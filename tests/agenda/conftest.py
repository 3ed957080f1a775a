from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests import factories
from tests.binomes.conftest import binome, mentee_user, mentor_user  # noqa: F401 — the same small world


@pytest.fixture
def soon():
    """Next week, 14:30 Paris time."""
    day = timezone.localdate() + timedelta(days=7)
    return datetime(day.year, day.month, day.day, 14, 30, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def coordinator_user(association):
    return factories.coordinator(association, email="bob.coord@example.org")


@pytest.fixture
def other_coordinator():
    other = factories.AssociationFactory(name="Autre asso", slug="autre-asso")
    return factories.coordinator(other, email="charlie@example.org")
