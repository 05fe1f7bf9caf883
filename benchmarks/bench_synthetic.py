"""Speed and memory of ``simulate_portfolio`` on a large portfolio.

Run: ``python -m benchmarks.bench_synthetic [--borrowers N] [--quick] [--no-trace]``
(default 100 000 borrowers over two years; ``--quick`` uses 10 000).

Reported: rows per table, wall and CPU seconds, the peak resident set size of
the process (``resource``, measured right after the timed run, so it is the
generator's peak plus the interpreter and libraries) and, in a separate run,
the ``tracemalloc`` peak of the generator alone (Python objects and numpy /
pandas buffers). The reference, measured in the same process, allocates
and fills the same number of cells (rows × columns of every table) with
random draws only: the ratio says how far the generator is from the bare
cost of producing that much data.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from benchmarks._harness import best_time, frame_bytes, max_rss_bytes, mib, peak_bytes
from jiebei_credit.synthetic import Portfolio, simulate_portfolio
from jiebei_credit.synthetic._ids import code_width, make_ids

START, END = "2023-01-01", "2025-01-01"


def run(n: int) -> Portfolio:
    return simulate_portfolio(n, start=START, end=END, seed=0)


def reference(shape: dict[str, tuple[int, int]]) -> float:
    """Allocate and fill every table's cells with random draws; returns a checksum."""
    rng = np.random.default_rng(0)
    total = 0.0
    for rows, cols in shape.values():
        block = rng.random((cols, rows))
        total += float(block[:, :1].sum())
        del block
    return total


def naive_ids(m: int) -> object:
    """Identifiers the obvious way: an f-string per row, then the ``string`` dtype."""
    width = code_width(m)
    return pd.array([f"T{i:0{width}d}" for i in range(m)], dtype="string")


def compare_ids(m: int) -> None:
    """The generator's id builder against the obvious one, on ``m`` transaction ids."""
    t_naive, a = best_time(lambda: naive_ids(m), repeat=1)
    t_fast, b = best_time(lambda: make_ids("T", np.arange(m), width=code_width(m)), repeat=1)
    assert list(a[:3]) == list(b[:3])
    assert a[-1] == b[-1]
    print(f"{m:,} string ids: f-strings {t_naive:.2f} s, numpy bytes + str.split {t_fast:.2f} s "
          f"(ratio {t_naive / t_fast:.2f})")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="benchmarks.bench_synthetic")
    parser.add_argument("--borrowers", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10 000 borrowers")
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run")
    args = parser.parse_args(argv)
    n = 10_000 if args.quick else args.borrowers
    rss_before = max_rss_bytes()
    cpu0 = time.process_time()
    wall, portfolio = best_time(lambda: run(n), repeat=1)
    cpu = time.process_time() - cpu0
    rss_peak = max_rss_bytes()
    records = portfolio.records
    shape = {name: records._shared(name).shape for name in records.tables}  # type: ignore[union-attr]
    cells = sum(r * c for r, c in shape.values())
    print(f"simulate_portfolio({n:,} borrowers, {START} to {END}, seed=0)")
    print(f"{'table':<20}{'rows':>14}{'rows/borrower':>16}")
    for name, (rows, _) in shape.items():
        print(f"{name:<20}{rows:>14,}{rows / n:>16.2f}")
    print(f"total rows: {sum(r for r, _ in shape.values()):,}; cells: {cells:,}")
    deep = frame_bytes(*(records._shared(t) for t in records.tables))
    print(f"frames, deep memory usage (a shared string counted once per row): {mib(deep)}")
    print(f"defaults by the end: {int(portfolio.truth.default_date.notna().sum()):,}; "
          f"diagnostics: {dict(portfolio.diagnostics)}")
    del portfolio, records
    t_ref, _ = best_time(lambda: reference(shape), repeat=1)
    print(f"reference (fill {cells:,} cells with random draws): {t_ref:8.2f} s")
    print(f"simulate_portfolio wall time:                 {wall:8.2f} s  (CPU {cpu:.2f} s)")
    print(f"ratio simulate / reference:                   {wall / t_ref:8.2f}")
    print(f"peak RSS of the process: {mib(rss_peak)} (before the run: {mib(rss_before)})")
    compare_ids(shape["transactions"][0])
    if not args.no_trace:
        peak = peak_bytes(lambda: run(n))
        print(f"tracemalloc peak of simulate_portfolio (separate run): {mib(peak)}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
