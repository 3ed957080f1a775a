"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Playwright's own browser download is never used (it cannot work here): CHROMIUM_PATH, or
/usr/bin/chromium, which `.ci/run` installs with apt when missing.
"""

from __future__ import annotations

import os
import shutil

import pytest

from geo.models import Commune, Departement
from geo.reference import load_reference_data

# Playwright's sync API keeps an event loop in this thread; the ORM calls made by the test itself
# (fixtures, assertions) are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")
        pytest.skip(f"Chromium not found at {CHROMIUM} (CI installs it and never skips).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):  # noqa: ANN001
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def reference_data_restored(transactional_db):  # noqa: ANN001
    """live_server tests are transactional: restore the reference communes they need."""
    # Transactional tests empty every table when they end (pytest-django runs them after the
    # others), so the communes a previous one wiped are put back before this one starts.
    if not Commune.objects.exists():
        load_reference_data(Departement, Commune)
    yield
