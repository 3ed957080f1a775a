"""The parts of ``benchmarks/load.py``: the data it builds (``data``), the servers it starts and
the CPU it reads from /proc (``server``), and the tables it prints (``report``). ``load.py`` keeps
the pages, the load generator and the command line."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"
