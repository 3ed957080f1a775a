"""A Redis cache that never takes a page down: while Redis is unreachable every call goes to a
per-process ``LocMemCache`` instead of raising.

What falls back, and why it is safe:
- Page caches (dashboard figures): recomputed per process; slower, never wrong for long (short
  timeouts).
- Limiters (allauth's login limits, django-ratelimit on the public forms, DRF throttles): they
  count per process during the outage. An attacker gets at most the limit times the number of
  web processes, and no one is locked out by a failing cache (failing closed would refuse every
  login; failing open would lift every limit). Counters in Redis are used again once it answers.
- Nothing may *claim* work through the cache: claims live in the database (outbox keys,
  conditional UPDATEs).

After a failure Redis is left alone for ``RETRY_AFTER`` seconds (per process), so that an outage
costs one short timeout, not one per cache call.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_DEFAULT_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def _resilient(name: str):  # noqa: ANN202
    def method(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < self._redis_down_until:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except UNREACHABLE:
            self._redis_down_until = time.monotonic() + self._retry_after
            logger.warning("Cache: Redis unreachable, per-process cache for %ss", self._retry_after, exc_info=True)
            return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self._retry_after = float(options.pop("RETRY_AFTER", 5))
        super().__init__(server, {**params, "OPTIONS": {**_DEFAULT_TIMEOUTS, **options}})
        self._fallback = LocMemCache(
            f"resilient-fallback-{server}",
            {key: value for key, value in params.items() if key in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")},
        )
        self._redis_down_until = 0.0

    @property
    def redis_available(self) -> bool:
        """False while this process has recently found Redis unreachable."""
        return time.monotonic() >= self._redis_down_until

    add = _resilient("add")
    get = _resilient("get")
    set = _resilient("set")
    touch = _resilient("touch")
    delete = _resilient("delete")
    get_many = _resilient("get_many")
    has_key = _resilient("has_key")
    incr = _resilient("incr")
    set_many = _resilient("set_many")
    delete_many = _resilient("delete_many")
    clear = _resilient("clear")
