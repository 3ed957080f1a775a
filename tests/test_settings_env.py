"""Settings come from the environment; a value that cannot be read stops start-up, naming it."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from mentorat.env import Env

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "mentorat" / "settings.py"
GOOD_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789abcdef"


# --- the typed readers --------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [("true", True), ("Oui", True), ("1", True), ("off", False), ("0", False)])
def test_bool_reads_the_usual_spellings(raw, expected):
    assert Env({"DEBUG": raw}).bool("DEBUG", not expected) is expected


def test_bool_rejects_a_malformed_value_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="SECURE_SSL_REDIRECT='peut-être'"):
        Env({"SECURE_SSL_REDIRECT": "peut-être"}).bool("SECURE_SSL_REDIRECT", True)


def test_int_rejects_a_malformed_value_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DB_CONN_MAX_AGE='soixante' is not an integer"):
        Env({"DB_CONN_MAX_AGE": "soixante"}).int("DB_CONN_MAX_AGE", 0)


def test_int_rejects_a_value_below_its_minimum():
    with pytest.raises(ImproperlyConfigured, match="SECURE_HSTS_SECONDS=-1 must be at least 0"):
        Env({"SECURE_HSTS_SECONDS": "-1"}).int("SECURE_HSTS_SECONDS", 0, min_value=0)


def test_unset_values_fall_back_to_their_default():
    env = Env({})

    assert env.int("DB_CONN_MAX_AGE", 60) == 60
    assert env.bool("DEBUG", False) is False
    assert env.url("REDIS_URL", None, schemes=("redis",)) is None


def test_url_rejects_a_foreign_scheme_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL=.*the scheme must be one of redis, rediss"):
        Env({"REDIS_URL": "http://cache:6379/0"}).url("REDIS_URL", schemes=("redis", "rediss"))


def test_url_rejects_a_missing_host():
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL='redis://' has no host"):
        Env({"REDIS_URL": "redis://"}).url("REDIS_URL", schemes=("redis",))


def test_url_rejects_a_bad_port():
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL=.*bad host or port"):
        Env({"REDIS_URL": "redis://cache:six/0"}).url("REDIS_URL", schemes=("redis",))


def test_url_error_never_prints_the_password():
    with pytest.raises(ImproperlyConfigured) as excinfo:
        Env({"DATABASE_URL": "mysql://mentorat:s3cr3t-pw@db/mentorat"}).url("DATABASE_URL", schemes=("postgres",))

    assert "DATABASE_URL" in str(excinfo.value)
    assert "s3cr3t-pw" not in str(excinfo.value)


def test_required_str_names_the_missing_variable():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        Env({"SECRET_KEY": "  "}).str("SECRET_KEY", required=True)


# --- the settings module, read in-process with a chosen environment -----------------------------


def read_settings(monkeypatch, **environ: str) -> dict:
    """Execute mentorat/settings.py afresh under ``environ`` (the running Django is untouched)."""
    for name in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DB_CONN_MAX_AGE", "DB_JIT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_without_redis_celery_tasks_run_in_process(monkeypatch):
    config = read_settings(monkeypatch)

    assert config["CELERY_TASK_ALWAYS_EAGER"] is True


def test_with_redis_tasks_go_to_the_broker(monkeypatch):
    config = read_settings(monkeypatch, REDIS_URL="redis://cache:6379/0")

    assert config["CELERY_TASK_ALWAYS_EAGER"] is False
    assert config["CELERY_BROKER_URL"] == "redis://cache:6379/0"


def test_smtp_email_url_gives_host_port_and_credentials(monkeypatch):
    config = read_settings(monkeypatch, EMAIL_URL="smtp+tls://postmaster:p%40ss@smtp.example.org:2525")

    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("smtp.example.org", 2525)
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == ("postmaster", "p@ss")
    assert config["EMAIL_USE_TLS"] is True


def test_debug_is_off_unless_asked(monkeypatch):
    assert read_settings(monkeypatch)["DEBUG"] is False


def test_french_and_paris_time_by_default(settings):
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"


# --- start-up in a fresh interpreter --------------------------------------------------------------


def start_django(**environ: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"}
    }
    env.update(DJANGO_SETTINGS_MODULE="mentorat.settings", **environ)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )


def test_startup_without_secret_key_fails_naming_it():
    result = start_django()

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


def test_startup_with_a_short_secret_key_fails_naming_it():
    result = start_django(SECRET_KEY="court")

    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


@pytest.mark.parametrize(
    "name, value",
    [
        ("DATABASE_URL", "mysql://mentorat:pw@db/mentorat"),
        ("DATABASE_URL", "postgres://mentorat:pw@[db/mentorat"),
        ("REDIS_URL", "localhost:6379"),
        ("EMAIL_URL", "smtp://smtp.example.org:vingt-cinq"),
    ],
)
def test_startup_with_a_malformed_url_fails_naming_it(name, value):
    result = start_django(SECRET_KEY=GOOD_KEY, **{name: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr.strip().splitlines()[-1]


def test_startup_with_good_settings_succeeds():
    result = start_django(SECRET_KEY=GOOD_KEY, REDIS_URL="redis://localhost:6379/0", EMAIL_URL="console://")

    assert result.returncode == 0, result.stderr


def test_connections_persist_with_health_checks_and_postgresql_jit_off_in_production(monkeypatch):
    config = read_settings(monkeypatch, DATABASE_URL="postgres://mentorat:pw@db:5432/mentorat")

    database = config["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] > 0 and database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["options"] == "-c jit=off"


def test_jit_can_be_turned_back_on_and_development_opens_a_connection_per_request(monkeypatch):
    config = read_settings(monkeypatch, DATABASE_URL="postgres://mentorat:pw@db:5432/mentorat", DB_JIT="true", DEBUG="true")

    database = config["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == 0
    assert "jit" not in database.get("OPTIONS", {}).get("options", "")


def test_sqlite_gets_no_postgresql_options(monkeypatch):
    config = read_settings(monkeypatch, DATABASE_URL="sqlite:///:memory:")

    assert "options" not in config["DATABASES"]["default"].get("OPTIONS", {})
