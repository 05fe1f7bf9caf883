"""Speed and memory of ``features.extract`` on a synthetic portfolio.

Run: ``python -m benchmarks.bench_features [--borrowers N] [--quick] [--repeat R]``
(default 100 000 borrowers over 2023-2024, one observation each on
2024-07-01; ``--quick`` uses 10 000 borrowers).

The floor, measured on the same tables in the same process, is one pandas
``groupby("borrower_id").sum(numeric_only=True)`` over the transactions plus
one ``groupby("loan_id").sum(numeric_only=True)`` over the instalments: the
cost of touching every row of the two big tables once by key. (Without
``numeric_only`` pandas would concatenate the identifier strings of every
group, which measures string building, not a pass over the data.)

Reported: table sizes, the floor, the best time of ``extract`` (all 145
features) and its ratio to the floor (target <= 15) in wall-clock and CPU
seconds, one run per family, ``outcomes``, and the ``tracemalloc`` peak of
``extract`` against the deep memory size of the input tables (target <= 3x).
Floor and extract runs alternate so that load from other processes affects
both; the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import gc
import os
import time
from collections.abc import Callable

import pandas as pd

from benchmarks._harness import best_time, frame_bytes, max_rss_bytes, mib, peak_bytes
from jiebei_credit.features import FAMILIES, FAMILY_SOURCES, extract, outcomes
from jiebei_credit.synthetic import simulate_portfolio

START, END = "2023-01-01", "2025-01-01"
AS_OF = pd.Timestamp("2024-07-01")


def floor(tx: pd.DataFrame, inst: pd.DataFrame) -> int:
    a = tx.groupby("borrower_id").sum(numeric_only=True)
    b = inst.groupby("loan_id").sum(numeric_only=True)
    return len(a) + len(b)


def wall_and_cpu(fn: Callable[[], object]) -> tuple[float, float, object]:
    """Wall-clock and CPU seconds of one run, and its result."""
    gc.collect()
    w0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - w0, time.process_time() - c0, result


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="benchmarks.bench_features")
    parser.add_argument("--borrowers", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10 000 borrowers")
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of floor and extract")
    args = parser.parse_args(argv)
    n = 10_000 if args.quick else args.borrowers

    t0 = time.perf_counter()
    rs = simulate_portfolio(n, start=START, end=END, seed=0).records
    print(f"simulate_portfolio({n:,}): {time.perf_counter() - t0:.1f} s")
    sizes = {name: len(rs[name]) for name in rs.tables}
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    input_bytes = frame_bytes(*(rs[name] for name in rs.tables))
    print(f"input tables in memory: {mib(input_bytes)}")
    obs = pd.DataFrame({"borrower_id": rs["borrowers"]["borrower_id"], "as_of": AS_OF})

    tx, inst = rs["transactions"], rs["installments"]
    print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores; other work inflates wall times)")
    # Floor and extract alternate, so a burst of load elsewhere hits both; the best run of each counts.
    floor_wall = floor_cpu = all_wall = all_cpu = float("inf")
    x = pd.DataFrame()
    for _ in range(args.repeat):
        w, c, _ = wall_and_cpu(lambda: floor(tx, inst))
        floor_wall, floor_cpu = min(floor_wall, w), min(floor_cpu, c)
        w, c, out = wall_and_cpu(lambda: extract(rs, obs))
        all_wall, all_cpu = min(all_wall, w), min(all_cpu, c)
        assert isinstance(out, pd.DataFrame)
        x = out
    print(f"floor (two groupby sums):      {floor_wall:7.2f} s wall {floor_cpu:7.2f} s CPU")
    print(
        f"extract, {x.shape[1]} features:      {all_wall:7.2f} s wall {all_cpu:7.2f} s CPU   "
        f"ratio to floor {all_wall / floor_wall:5.2f} wall, {all_cpu / floor_cpu:5.2f} CPU (target <= 15)"
    )
    for family in (f for f in FAMILIES if all(t in rs for t in FAMILY_SOURCES[f])):
        t_fam, xf = best_time(lambda f=family: extract(rs, obs, families=[f]), repeat=1)
        print(f"  {family:<12} {xf.shape[1]:3d} features {t_fam:7.2f} s")
    t_out, y = best_time(
        lambda: outcomes(rs, obs, horizon_days=180, min_dpd=30, observed_until=END), repeat=1
    )
    print(f"outcomes (30+ in 180 days):    {t_out:7.2f} s   bad rate {float(y.mean()):.3f}")

    peak = peak_bytes(lambda: extract(rs, obs))
    share = peak / input_bytes
    print(f"extract peak memory (tracemalloc): {mib(peak)}   ratio to input {share:4.2f} (target <= 3)")
    print(f"peak RSS of the process:           {mib(max_rss_bytes())}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
