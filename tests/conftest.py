from __future__ import annotations

import os

import pytest
from django.conf import settings

from mentorat.celery import app as celery_app
from tests import factories


def pytest_configure(config: pytest.Config) -> None:
    # CI sets REQUIRE_SERVICES=1: a missing PostgreSQL or Redis must fail the run, never skip tests.
    if os.environ.get("REQUIRE_SERVICES") == "1":
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError("REQUIRE_SERVICES=1 but DATABASE_URL does not point to PostgreSQL.")
        if not settings.REDIS_URL:
            raise pytest.UsageError("REQUIRE_SERVICES=1 but REDIS_URL is not set.")


_FIGURES: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect the figures tests record with ``record_property("figure", …)`` (xdist sends
    user properties back to the controller, unlike printed output)."""
    if report.when == "call":
        _FIGURES.extend(str(value) for name, value in report.user_properties if name == "figure")


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001
    if _FIGURES:
        terminalreporter.section("figures")
        for line in sorted(set(_FIGURES)):
            terminalreporter.write_line(line)


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):  # noqa: ANN201
    """A transactional test empties every table when it ends, the reference communes included.
    Under ``--dist loadfile`` other files' tests may run after it in the same worker: put the
    communes (and the site's name) back once the flush is done (about a second, only after such
    tests)."""
    yield
    # After the last test the test database is already gone: nothing to restore then.
    if nextitem is not None and _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        from geo.models import Commune, Departement
        from geo.reference import load_reference_data

        with item.config.stash[blocking_manager_key].unblock():
            if not Commune.objects.exists():
                load_reference_data(Departement, Commune)
            _restore_site_name()


def _restore_site_name() -> None:
    """The flush also drops the site row that ``accounts/0002_site_name`` names "Mentorat";
    Django re-creates it as "example.com" and allauth's e-mails would greet people with that."""
    from urllib.parse import urlparse

    from django.contrib.sites.models import Site

    domain = urlparse(settings.SITE_URL).netloc or "mentorat.localhost"
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": domain[:100], "name": "Mentorat"})
    Site.objects.clear_cache()


@pytest.fixture(autouse=True)
def _empty_cache(settings):  # noqa: ANN001
    """Each test gets its own empty in-process cache: rate-limit counters (allauth, DRF throttles)
    must not leak between tests, nor between xdist workers sharing one Redis (a clear() there
    would flush the other worker's counters mid-test). Redis still carries Celery in the worker
    tests."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # noqa: ANN001
    # PBKDF2's 10^6 iterations cost ~0.3 s per user; tests create hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):  # noqa: ANN001
    """Tests render templates without running collectstatic (the manifest is a deployment step)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _eager_celery(settings):  # noqa: ANN001
    """Tasks run in-process by default (their real code path, after commit); the worker tests
    switch this off and go through Redis."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.MATCH_RUN_IN_THREAD = False  # a run finishes inside the request (the demo's thread: tests/matching/test_demo_thread.py)
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def association(db):  # noqa: ANN001
    return factories.AssociationFactory(name="Proxi Bobigny", slug="proxi-bobigny")


@pytest.fixture
def other_association(db):  # noqa: ANN001
    return factories.AssociationFactory(name="Mentorat Marseille", slug="mentorat-marseille", address_commune=factories.commune("13201"), departements=["13"])


@pytest.fixture
def alice(association):  # noqa: ANN001
    """Coordinator of ``association``."""
    return factories.coordinator(association, email="alice@asso.example.org", first_name="Alice")


@pytest.fixture
def bob(other_association):  # noqa: ANN001
    """Coordinator of another association: must get 404 on everything of ``association``."""
    return factories.coordinator(other_association, email="bob@autre.example.org", first_name="Bob")


@pytest.fixture
def charlie(association):  # noqa: ANN001
    """A validated mentee of ``association``: sees only their own things."""
    return factories.mentee(
        association=association, status="validated", user=factories.UserFactory(email="charlie@example.org", first_name="Charlie")
    )


@pytest.fixture
def operator(db):  # noqa: ANN001
    return factories.UserFactory(email="operateur@example.org", is_staff=True)
