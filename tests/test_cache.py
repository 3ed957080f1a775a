"""The cache never takes a page down: with Redis unreachable it answers from a per-process cache."""

from __future__ import annotations

import socket

from mentorat.cache import ResilientRedisCache


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the socket is closed


def test_an_unreachable_redis_falls_back_to_a_per_process_cache():
    cache = ResilientRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {"OPTIONS": {"RETRY_AFTER": 0}})

    assert cache.get("figures") is None
    cache.set("figures", {"binomes": 3}, 60)
    assert cache.get("figures") == {"binomes": 3}
    assert cache.add("login-attempts", 1, 60) is True
    assert cache.incr("login-attempts") == 2  # a limiter keeps counting, in this process
    assert cache.get_or_set("other", 7, 60) == 7
    assert cache.redis_available is True  # RETRY_AFTER 0: the next call tries Redis again


def test_after_a_failure_redis_is_left_alone_for_a_while():
    cache = ResilientRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {"OPTIONS": {"RETRY_AFTER": 30}})

    cache.get("anything")

    assert cache.redis_available is False  # the next calls do not pay a connection attempt each
