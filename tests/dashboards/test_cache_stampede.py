"""Dashboard figures recomputed by one request at a time: the others serve the last figures, or
wait for the first ones; with Redis down too (the per-process fallback cache holds the lock)."""

from __future__ import annotations

import itertools
import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from dashboards import indicators
from dashboards.indicators import Scope, compute_cached

_ids = itertools.count(900_000)


@pytest.fixture
def scope():  # a scope of its own, so no other test's figures are in the cache
    return Scope(association_ids=(next(_ids),), start=date(2026, 1, 1), end=date(2026, 6, 30))


@pytest.fixture
def slow_compute(monkeypatch):
    """``compute_rendered`` that counts its calls and holds until released (the cold path, 1-3 s at 10k)."""
    calls, entered, release = [], threading.Event(), threading.Event()

    def compute(scope):  # noqa: ANN001, ANN202
        calls.append(scope)
        entered.set()
        release.wait(5)
        return f"figures {len(calls)}"

    monkeypatch.setattr(indicators, "compute_rendered", compute)
    return calls, entered, release


def _in_thread(scope, results):  # noqa: ANN001, ANN202
    thread = threading.Thread(target=lambda: results.append(compute_cached(scope)))
    thread.start()
    return thread


@pytest.mark.parametrize("redis", ["up", "down"])
def test_two_cold_requests_compute_the_figures_once(settings, scope, slow_compute, redis):
    settings.DASHBOARD_CACHE_SECONDS = 120
    if redis == "down":  # nothing listens there: mentorat.cache falls back to a per-process cache
        settings.CACHES = {"default": {"BACKEND": "mentorat.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    calls, entered, release = slow_compute
    results: list = []

    first = _in_thread(scope, results)
    assert entered.wait(5)  # the first request is computing
    second = _in_thread(scope, results)
    second.join(0.3)  # the second one waits for it rather than computing too
    release.set()
    first.join(5)
    second.join(5)

    assert len(calls) == 1
    assert results == ["figures 1", "figures 1"]


def test_while_one_request_recomputes_the_others_get_the_last_figures(settings, scope, slow_compute):
    settings.DASHBOARD_CACHE_SECONDS = 120
    calls, entered, release = slow_compute
    release.set()
    assert compute_cached(scope) == "figures 1"

    with time_machine.travel(timezone.now() + timedelta(minutes=3)):  # the figures have expired
        release.clear()
        entered.clear()
        results: list = []
        recomputing = _in_thread(scope, results)
        assert entered.wait(5)
        meanwhile = compute_cached(scope)
        release.set()
        recomputing.join(5)

    assert meanwhile == "figures 1"  # served at once, not a second computation
    assert results == ["figures 2"] and len(calls) == 2
