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


def test_a_checkout_can_keep_its_own_databases_and_ports():
    options = load.parse(["--db-prefix", "mentorat_w15_load", "--ports", "18100-18199", "--sizes", "1000,10000,50000"])

    assert load.database_name(50000, options.db_prefix) == "mentorat_w15_load_50000"
    assert options.ports == range(18100, 18200) and options.sizes == [1000, 10000, 50000]


@pytest.mark.parametrize("argv", [["--ports", "80-90"], ["--ports", "dix"], ["--db-prefix", "x; DROP"]])
def test_bad_ports_or_prefix_are_refused(argv, capsys):
    with pytest.raises(SystemExit):
        load.parse(argv)


def test_the_ratio_table_compares_each_page_with_the_smallest_size():
    def result(page: str, rate: float, p95: float) -> load.Result:
        return load.Result(page, latencies=[p95] * 10, seconds=10 / rate)

    rows = [(1000, "off", [result("ceiling /sante/", 100, 0.01), result("binômes", 20, 0.05)]),
            (50000, "off", [result("ceiling /sante/", 100, 0.01), result("binômes", 10, 0.15)])]

    assert "| 50,000 | off | binômes | 10.0 | 150 | 150 | 10.0 % | 0.0 | 0.0 | 0 | 0 | 3.00 |" in load.table(rows)
    assert "| off | binômes | 20.0 | 10.0 | 50 | 150 | 2.00 | 3.00 |" in load.ratios(rows)
