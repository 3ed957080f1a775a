"""Failed-login lockout, public login and /admin/login/ alike: per client address, per account,
and never for long against the account's owner (numbers: ACCOUNT_RATE_LIMITS, accounts/adapter.py)."""

from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

OWNER, ATTACKER = "198.51.100.7", "203.0.113.66"
LOCKED = "Trop de tentatives"


@pytest.fixture
def owner(db):  # noqa: ANN001
    return factories.UserFactory(email="samia@example.org")


@pytest.fixture
def operator_account(db):  # noqa: ANN001
    return factories.UserFactory(email="operateur@example.org", is_staff=True, is_superuser=True)


def public_login(client, email: str, password: str, address: str):  # noqa: ANN001, ANN201
    return client.post("/comptes/login/", {"login": email, "password": password}, REMOTE_ADDR=address)


def admin_login(client, email: str, password: str, address: str = ATTACKER):  # noqa: ANN001, ANN201
    return client.post("/admin/login/?next=/admin/", {"username": email, "password": password}, REMOTE_ADDR=address)


def signed_in(response) -> bool:  # noqa: ANN001
    return response.status_code == 302


def test_admin_login_refuses_the_right_password_after_five_wrong_ones_until_the_window_passes(client, operator_account, time_machine):  # noqa: ANN001
    time_machine.move_to("2026-12-01 10:00 +00:00", tick=False)
    for _ in range(5):
        assert not signed_in(admin_login(client, operator_account.email, "devine-2026"))

    refused = admin_login(client, operator_account.email, factories.PASSWORD)

    assert not signed_in(refused) and LOCKED in refused.content.decode()
    assert 'value="operateur@example.org"' in refused.content.decode()  # the typed address stays
    time_machine.move_to("2026-12-01 10:05:01 +00:00", tick=False)
    works = admin_login(client, operator_account.email, factories.PASSWORD)
    assert signed_in(works) and works["Location"] == "/admin/"


def test_admin_and_public_login_share_the_counters(client, operator_account):  # noqa: ANN001
    for _ in range(5):
        public_login(client, operator_account.email, "devine-2026", ATTACKER)

    assert not signed_in(admin_login(client, operator_account.email, factories.PASSWORD))


def test_an_attackers_failures_from_another_address_do_not_lock_the_owner_out(client, owner):  # noqa: ANN001
    for _ in range(8):
        public_login(client, owner.email, "devine-2026", ATTACKER)

    assert not signed_in(public_login(client, owner.email, factories.PASSWORD, ATTACKER))
    assert signed_in(public_login(client, owner.email, factories.PASSWORD, OWNER))


def test_a_spread_out_attack_locks_the_account_only_for_the_short_per_account_window(client, owner, time_machine):  # noqa: ANN001
    time_machine.move_to("2026-12-01 10:00 +00:00", tick=False)
    for n in range(4):  # four addresses, five wrong passwords each: the account-wide 20
        for _ in range(5):
            public_login(client, owner.email, "devine-2026", f"203.0.113.{n + 1}")

    assert not signed_in(public_login(client, owner.email, factories.PASSWORD, OWNER))
    time_machine.move_to("2026-12-01 10:15:01 +00:00", tick=False)
    assert signed_in(public_login(client, owner.email, factories.PASSWORD, OWNER))


def test_the_owners_own_logins_never_count_against_them(client, owner):  # noqa: ANN001
    for _ in range(12):
        assert signed_in(public_login(client, owner.email, factories.PASSWORD, OWNER))
        client.logout()


def test_one_address_is_limited_across_accounts(client, owner):  # noqa: ANN001
    for n in range(10):
        public_login(client, f"personne-inconnue-{n}@example.org", "devine-2026", ATTACKER)

    assert not signed_in(public_login(client, owner.email, factories.PASSWORD, ATTACKER))
    assert signed_in(public_login(client, owner.email, factories.PASSWORD, OWNER))
