from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from binomes.models import Binome, Message, StaffRead
from participants.models import Consent
from tests import factories
from tests.binomes.conftest import binome, mentee_user, mentor_user  # noqa: F401 — the same small world
from tests.matching.conftest import vetted

PARIS = ZoneInfo("Europe/Paris")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


@pytest.fixture
def coordinator_user(association):
    return factories.coordinator(association, email="bob.coord@example.org")


@pytest.fixture
def other_coordinator():
    other = factories.AssociationFactory(name="Autre asso", slug="autre-asso")
    return factories.coordinator(other, email="charlie@example.org")


def _pair(association, *, start: date, end: date | None, status: str, last: datetime, names: tuple[str, str]):
    from accounts.models import User

    mentor = vetted(association=association, user=factories.UserFactory(first_name=names[0]))
    mentee = factories.mentee(association=association, status="validated", user=factories.UserFactory(first_name=names[1]),
                              goals_text=f"Objectifs de {names[1]}")
    for person in (mentor, mentee):
        type(person).objects.filter(pk=person.pk).update(created_at=at(f"{start.year - 1}-08-15 10:00"),
                                                         validated_at=at(f"{start.year - 1}-08-20 10:00"))
        User.objects.filter(pk=person.membership.user_id).update(last_login=last)
        Consent.objects.create(participant=person, user=person.membership.user, notice_version="2023-06",
                               accepted_at=at(f"{start.year - 1}-08-15 10:00"))
    pair = Binome.objects.create(association=association, mentor=mentor, mentee=mentee, started_on=start,
                                   planned_end_on=date(start.year + 1, 3, 1), status=status, ended_on=end,
                                   created_at=at(f"{start.isoformat()} 09:00"), last_activity_at=last)
    Message.objects.create(binome=pair, association=association, sender=mentee.membership.user,
                           body=f"Bonjour, c'est {names[1]}", created_at=at(f"{start.isoformat()} 18:00"))
    Message.objects.create(binome=pair, association=association, sender=mentor.membership.user,
                           body=f"Salut, ici {names[0]}", created_at=at(f"{start.isoformat()} 19:00"))
    return pair


@pytest.fixture
def three_years(association, coordinator_user):
    """Three pairs over three years, seen on 1 December 2026: one ended in March 2024 (everything
    past its period), one ended in June 2025 (messages past 12 months, people within 2 years), one
    running since September 2026 (nothing due)."""
    old = _pair(association, start=date(2023, 9, 4), end=date(2024, 3, 1), status="completed", last=at("2024-02-20 18:00"),
                names=("Karim", "Lina"))
    middle = _pair(association, start=date(2024, 9, 2), end=date(2025, 6, 1), status="completed", last=at("2025-05-20 18:00"),
                   names=("Sofia", "Noah"))
    running = _pair(association, start=date(2026, 9, 1), end=None, status="active", last=at("2026-11-25 18:00"),
                    names=("Yasmine", "Adam"))
    StaffRead.objects.create(binome=old, user=coordinator_user, read_at=at("2024-01-10 10:00"))
    StaffRead.objects.create(binome=running, user=coordinator_user, read_at=at("2026-10-10 10:00"))
    return {"old": old, "middle": middle, "running": running}
