from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth keeps its rate limits (failed logins per IP, confirmation e-mails per address) in
    the cache, which outlives a test: start each test with none."""
    cache.clear()
    yield
    cache.clear()
