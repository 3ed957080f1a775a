from __future__ import annotations

from datetime import date

import pytest

from binomes.models import Binome
from tests import factories
from tests.matching.conftest import vetted


@pytest.fixture
def binome(association):
    """An active binôme of ``association``: Yanis (mentor, 22) and Inès (mentee, 16)."""
    mentor = vetted(association=association, birth_date=factories.years_ago(22),
                    user=factories.UserFactory(first_name="Yanis", last_name="Benali", email="yanis@example.org"))
    mentee = factories.mentee(association=association, status="validated",
                              user=factories.UserFactory(first_name="Inès", last_name="Haddad", email="ines@example.org"))
    return Binome.objects.create(association=association, mentor=mentor, mentee=mentee,
                                 started_on=date(2026, 9, 1), planned_end_on=date(2027, 3, 1))


@pytest.fixture
def mentor_user(binome):
    return binome.mentor.membership.user


@pytest.fixture
def mentee_user(binome):
    return binome.mentee.membership.user
