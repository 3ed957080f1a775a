"""benchmarks/load.py is not run by the suite (it is heavy): only its arguments and data plan."""

from __future__ import annotations

import pytest

from benchmarks import load


def test_defaults_are_bounded_four_clients_eight_seconds_on_loopback():
    options = load.parse([])

    assert (options.sizes, options.clients, options.duration, options.jit) == ([1000, 10000], 4, 8.0, "off")
    assert load.HOST == "127.0.0.1"


@pytest.mark.parametrize("argv", [["--sizes", "dix"], ["--duration", "3600"], ["--clients", "500"], ["--sizes", "5"]])
def test_unbounded_or_malformed_arguments_are_refused(argv, capsys):
    with pytest.raises(SystemExit):
        load.parse(argv)


def test_each_size_has_its_own_database_and_the_issue_split_of_roles():
    assert load.split(10000) == (6000, 4000)
    assert load.database_name(1000) != load.database_name(10000)


def test_pages_can_be_picked_by_a_word_of_their_name():
    options = load.parse(["--pages", "poll, sante"])

    assert [page.name for page in load.PAGES if any(word in page.name for word in options.pages)] == [
        "ceiling /sante/", "conversation poll (member)"]
