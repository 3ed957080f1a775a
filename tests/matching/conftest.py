from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories


def vetted(**kwargs):
    today = timezone.localdate()
    kwargs.setdefault("vetting_verified_on", today - timedelta(days=30))
    kwargs.setdefault("vetting_expires_on", today + timedelta(days=700))
    kwargs.setdefault("status", "validated")
    return factories.mentor(**kwargs)


@pytest.fixture
def small_pool(association):
    """Three validated mentees and two vetted mentors (capacities 1 and 1) in Bobigny."""
    mentees = [
        factories.mentee(association=association, status="validated", birth_date=factories.years_ago(16),
                         user=factories.UserFactory(first_name=name))
        for name in ("Inès", "Bilal", "Chloé")
    ]
    mentors = [
        vetted(association=association, birth_date=factories.years_ago(21), user=factories.UserFactory(first_name="Yanis")),
        vetted(association=association, birth_date=factories.years_ago(22), user=factories.UserFactory(first_name="Zoé")),
    ]
    return mentees, mentors
