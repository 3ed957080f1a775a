"""What a page's measurement holds, and the tables printed from them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Result:
    page: str
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    errors: int = 0
    statuses: set[int] = field(default_factory=set)
    seconds: float = 0.0
    body_bytes: int = 0
    server_cpu: float = 0.0  # gunicorn's processes, seconds over the run (utime + stime)
    database_cpu: float = 0.0  # the database's backends, seconds over the run
    note: str = ""

    def per_request_ms(self, seconds: float) -> float:
        return 1000 * seconds / len(self.latencies) if self.latencies else float("nan")

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def short(size: int) -> str:
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


def table(rows: list[tuple[int, str, list[Result]]]) -> str:
    """One row per page and size; the last column compares the page's p95 with its p95 at the
    smallest size of the run (same jit): "50k ÷ 1k" is what the issue bounds (≤ 2)."""
    smallest = min(size for size, _, _ in rows)
    base = {(jit, r.page): r for size, jit, results in rows if size == smallest for r in results}
    lines = [f"| size | jit | page | req/s | p50 ms | p95 ms | share of ceiling | web CPU ms/req | PostgreSQL CPU ms/req | errors | body KB | p95 ÷ {short(smallest)} |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for size, jit, results in rows:
        ceiling = next((r.rate for r in results if r.page.startswith("ceiling")), 0.0)
        for r in results:
            share = f"{100 * r.rate / ceiling:.1f} %" if ceiling and not r.note else "—"
            errors = f"{r.errors} {sorted(r.statuses)}" if r.errors else "0"
            first = base.get((jit, r.page))
            ratio = f"{r.percentile(0.95) / first.percentile(0.95):.2f}" if size != smallest and first and first.latencies else "—"
            lines.append(f"| {size:,} | {jit} | {r.page} | {r.rate:.1f} | {r.percentile(0.5) * 1000:.0f} | "
                         f"{r.percentile(0.95) * 1000:.0f} | {share} | {r.per_request_ms(r.server_cpu):.1f} | "
                         f"{r.per_request_ms(r.database_cpu):.1f} | {errors} | {r.body_bytes / 1024:.0f} | {ratio} |")
    return "\n".join(lines)


def ratios(rows: list[tuple[int, str, list[Result]]]) -> str:
    """Per page: the largest size against the smallest, in req/s and p95 (both as "how many times
    the cost": 1.0 is a constant-cost page). The ceiling's own ratio says how much the machine's
    load moved between the two measurements."""
    sizes = sorted({size for size, _, _ in rows})
    if len(sizes) < 2:
        return ""
    small, large = sizes[0], sizes[-1]
    label = f"{short(large)} ÷ {short(small)}"
    lines = [f"| jit | page | req/s {short(small)} | req/s {short(large)} | p95 {short(small)} ms | p95 {short(large)} ms | "
             f"{label} (req/s, as cost) | {label} (p95) |", "|---|---|---|---|---|---|---|---|"]
    by = {(size, jit, r.page): r for size, jit, results in rows for r in results}
    for size, jit, results in rows:
        if size != small:
            continue
        for r in results:
            big = by.get((large, jit, r.page))
            if big is None or not r.latencies or not big.latencies:
                continue
            cost = f"{r.rate / big.rate:.2f}" if big.rate else "—"
            lines.append(f"| {jit} | {r.page} | {r.rate:.1f} | {big.rate:.1f} | {r.percentile(0.95) * 1000:.0f} | "
                         f"{big.percentile(0.95) * 1000:.0f} | {cost} | {big.percentile(0.95) / r.percentile(0.95):.2f} |")
    return "\n".join(lines)
