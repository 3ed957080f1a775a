"""One client address for every limiter (mentorat/client_ip.py), behind 0 or N trusted proxies."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from api.throttling import WriteRateThrottle
from mentorat.client_ip import UNKNOWN, client_ip
from participants.models import Participant
from tests import factories
from tests.participants.test_sign_up import mentee_form

PROXY = "10.0.0.2"


def request_from(remote: str | None = PROXY, xff: str | None = None):  # noqa: ANN201
    meta = {} if xff is None else {"HTTP_X_FORWARDED_FOR": xff}
    request = RequestFactory().get("/", **meta)
    if remote is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote
    return request


def test_without_trusted_proxies_the_header_is_ignored(settings):  # noqa: ANN001
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_from("198.51.100.7", xff="1.2.3.4")) == "198.51.100.7"


@pytest.mark.parametrize(("count", "xff", "expected"), [
    (1, "203.0.113.9", "203.0.113.9"),
    (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client wrote 6.6.6.6: ignored
    (2, "6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"),  # two hops: the N-th from the right
    (1, " 203.0.113.9:51234 ", "203.0.113.9"),
    (1, "[2001:db8::1]:443", "2001:db8::1"),
    (1, "2001:DB8::1", "2001:db8::1"),
])
def test_the_nth_address_from_the_right_is_the_client(settings, count, xff, expected):  # noqa: ANN001
    settings.TRUSTED_PROXY_COUNT = count

    assert client_ip(request_from(xff=xff)) == expected


@pytest.mark.parametrize("xff", [None, "", " , ,", "garbage", "unknown, ", "1.2.3.4, not-an-ip", "999.1.1.1",
                                 "\x00\xff", "a" * 5000, ",".join(["1.1.1.1"] * 1000) + ",x"])
def test_odd_headers_never_raise_and_fall_back_to_the_proxy_address(settings, xff):  # noqa: ANN001
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from(xff=xff)) == PROXY


def test_a_header_shorter_than_the_proxy_chain_is_not_trusted(settings):  # noqa: ANN001
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(request_from(xff="203.0.113.9")) == PROXY


@pytest.mark.parametrize("remote", [None, "", "not-an-ip"])
def test_no_usable_address_at_all_shares_one_key(settings, remote):  # noqa: ANN001
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_from(remote)) == UNKNOWN


def test_api_throttles_key_on_the_same_address(settings):  # noqa: ANN001
    settings.TRUSTED_PROXY_COUNT = 1

    assert WriteRateThrottle().get_ident(request_from(xff="6.6.6.6, 203.0.113.9")) == "203.0.113.9"


@pytest.mark.django_db
def test_thirty_forged_headers_do_not_multiply_sign_up_attempts(client, association, settings):  # noqa: ANN001
    settings.TRUSTED_PROXY_COUNT, settings.SIGN_UP_RATE = 1, "3/h"

    for n in range(30):
        client.post(f"/a/{association.slug}/inscription/mentore/", mentee_form(email=f"eleve{n}@example.org"),
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.66")

    assert Participant.objects.count() == 3
    # Another client behind the same proxy still signs up.
    client.post(f"/a/{association.slug}/inscription/mentore/", mentee_form(email="autre@example.org"),
                REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert Participant.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("xff", [None, "", "203.0.113.66, 10.0.0.1", "garbage, ,", "1.2.3.4, 5.6.7.8, 9.9.9.9"])
def test_sign_up_and_login_never_fail_on_odd_headers(client, association, settings, xff):  # noqa: ANN001
    settings.TRUSTED_PROXY_COUNT = 2
    meta = {"REMOTE_ADDR": PROXY} | ({} if xff is None else {"HTTP_X_FORWARDED_FOR": xff})

    sign_up = client.post(f"/a/{association.slug}/inscription/mentore/", mentee_form(), **meta)
    login = client.post("/comptes/login/", {"login": "x@example.org", "password": "devine-2026"}, **meta)

    assert sign_up.status_code == 302 and login.status_code == 200


@pytest.mark.django_db
def test_forged_headers_do_not_multiply_login_attempts(client, settings):  # noqa: ANN001
    settings.TRUSTED_PROXY_COUNT = 1
    owner = factories.UserFactory(email="samia@example.org")
    for n in range(10):
        client.post("/comptes/login/", {"login": owner.email, "password": "devine-2026"},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.66")

    attacker = client.post("/comptes/login/", {"login": owner.email, "password": factories.PASSWORD},
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.66")
    owner_login = client.post("/comptes/login/", {"login": owner.email, "password": factories.PASSWORD},
                              REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert attacker.status_code == 200  # refused: the attacker's address is over its limit
    assert owner_login.status_code == 302  # one client cannot lock another out


def test_the_proxy_count_comes_from_the_environment_and_the_header_alone_is_never_the_key(monkeypatch):  # noqa: ANN001
    from django.core.exceptions import ImproperlyConfigured

    from tests.test_settings_env import read_settings

    monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    assert read_settings(monkeypatch)["TRUSTED_PROXY_COUNT"] == 0
    config = read_settings(monkeypatch, TRUSTED_PROXY_COUNT="1", BEHIND_TLS_PROXY="true")
    assert config["TRUSTED_PROXY_COUNT"] == 1
    assert config["RATELIMIT_IP_META_KEY"] == "mentorat.client_ip.client_ip"
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_COUNT=-1 must be at least 0"):
        read_settings(monkeypatch, TRUSTED_PROXY_COUNT="-1")
