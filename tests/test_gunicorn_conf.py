"""gunicorn.conf.py: the measured defaults, overridable from the environment, loud on a typo."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def read_conf(monkeypatch, **environ: str) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_TIMEOUT", "GUNICORN_ACCESS_LOG", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_defaults_are_three_threaded_workers_with_a_minute_timeout(monkeypatch):
    conf = read_conf(monkeypatch)

    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (3, 2, "gthread")
    assert conf["timeout"] == 60 and conf["bind"] == "0.0.0.0:8000" and conf["accesslog"] == "-"


def test_one_thread_means_sync_workers_and_an_empty_access_log_means_none(monkeypatch):
    conf = read_conf(monkeypatch, WEB_CONCURRENCY="5", GUNICORN_THREADS="1", GUNICORN_ACCESS_LOG="")

    assert (conf["workers"], conf["worker_class"], conf["accesslog"]) == (5, "sync", None)


@pytest.mark.parametrize("value", ["trois", "0"])
def test_a_malformed_worker_count_stops_start_up_naming_it(monkeypatch, value):
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY"):
        read_conf(monkeypatch, WEB_CONCURRENCY=value)
