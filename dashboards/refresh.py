"""Dashboards kept warm: the default figures (the last twelve months) of every association whose
dashboard was opened in the last hour are recomputed by beat, their rollup (``dashboards.rollup``) first (``dashboards.tasks.refresh_dashboards``,
every half ``DASHBOARD_CACHE_SECONDS``), so a coordinator opening it finds figures less than
``DASHBOARD_CACHE_SECONDS`` old and never waits for the cold computation (0.5 s at 10,000
participants on a loaded 2-core machine). Other periods and cohorts are computed on demand, as
before. An association nobody looks at costs nothing.

The list of dashboards recently opened is one cache entry (association and language -> last
opening), rewritten at most once a minute per association; an update lost to a race only delays
the next refresh of that dashboard until its next opening.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.utils import translation

from dashboards.indicators import Scope, compute_refresh
from dashboards.periods import period_resolve
from dashboards.rollup import rollup_refresh

VIEWED_KEY = "dashboard:viewed"
VIEWED_FOR = 3600  # seconds: refreshed while opened within the last hour
REWRITE_AFTER = 60


def dashboard_viewed(*, association_id: int, language: str) -> None:
    """The association's default dashboard was just opened in ``language``."""
    viewed = cache.get(VIEWED_KEY) or {}
    now = time.time()
    if now - viewed.get((association_id, language), 0) < REWRITE_AFTER:
        return
    fresh = {key: at for key, at in viewed.items() if now - at < VIEWED_FOR}
    fresh[(association_id, language)] = now
    cache.set(VIEWED_KEY, fresh, VIEWED_FOR)


def dashboards_refresh() -> int:
    """Recompute the default figures of the dashboards opened within VIEWED_FOR; returns how
    many were recomputed (one a request was already computing is left to it)."""
    viewed = cache.get(VIEWED_KEY) or {}
    now, done = time.time(), 0
    start, end = period_resolve(None, None)
    rolled: set[int] = set()
    for (association_id, language), at in sorted(viewed.items()):
        if now - at >= VIEWED_FOR:
            continue
        if association_id not in rolled:  # the rollup first (once whatever the languages), then the figures from it
            rollup_refresh(association_id=association_id)
            rolled.add(association_id)
        with translation.override(language):
            done += compute_refresh(Scope((association_id,), start, end))
    return done
