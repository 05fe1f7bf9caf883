"""Validation throughput on a large transactions table.

Run: ``python -m benchmarks.bench_records [--rows N]`` (default 10 000 000).

The reference is the bare cost of the dtype conversions the validator must
do anyway (strings to ``string``, enums to ``category``, a datetime copy and
a float copy) measured on the same frame in the same process, so the ratio
says how much the checks add on top of normalisation.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from benchmarks._harness import best_time, frame_bytes, max_rss_bytes, mib
from jiebei_credit.records import validate

KINDS = np.array(["sale", "refund", "purchase", "transfer", "other"], dtype=object)
DIRECTION = {"sale": "in", "refund": "out", "purchase": "out", "transfer": "in", "other": "out"}


def make_transactions(n: int, *, seed: int = 0) -> pd.DataFrame:
    """A valid raw transactions frame with object strings, as read from a file."""
    rng = np.random.default_rng(seed)
    kinds = KINDS[rng.integers(0, len(KINDS), n)]
    directions = pd.Series(kinds).map(DIRECTION).to_numpy(dtype=object)
    start = np.datetime64("2023-01-01T00:00:00", "s")
    return pd.DataFrame(
        {
            "transaction_id": pd.Series(np.char.add("t", np.arange(n).astype("U10")).astype(object)),
            "borrower_id": pd.Series(
                np.char.add("b", rng.integers(0, 100_000, n).astype("U6")).astype(object)
            ),
            "occurred_at": (start + rng.integers(0, 2 * 365 * 86_400, n).astype("timedelta64[s]")).astype(
                "datetime64[ns]"
            ),
            "amount": np.round(rng.lognormal(4, 1, n), 2) + 0.01,
            "direction": pd.Series(directions, dtype=object),
            "kind": pd.Series(kinds, dtype=object),
            "counterparty_id": pd.Series(
                np.char.add("c", rng.integers(0, 1_000_000, n).astype("U7")).astype(object)
            ),
        }
    )


def reference(frame: pd.DataFrame) -> pd.DataFrame:
    """The conversions alone, without any check."""
    return pd.DataFrame(
        {
            "transaction_id": frame["transaction_id"].astype("string"),
            "borrower_id": frame["borrower_id"].astype("string"),
            "occurred_at": frame["occurred_at"].to_numpy(copy=True),
            "amount": frame["amount"].to_numpy(copy=True),
            "direction": frame["direction"].astype("category"),
            "kind": frame["kind"].astype("category"),
            "counterparty_id": frame["counterparty_id"].astype("string"),
        }
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="benchmarks.bench_records")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--quick", action="store_true", help="1 000 000 rows")
    args = parser.parse_args(argv)
    n = 1_000_000 if args.quick else args.rows
    frame = make_transactions(n)
    print(f"transactions: {n:,} rows, {mib(frame_bytes(frame))} in memory")
    t_ref, _ = best_time(lambda: reference(frame), repeat=2)
    t_val, out = best_time(lambda: validate("transactions", frame), repeat=2)
    print(f"reference (conversions only): {t_ref:6.2f} s  {n / t_ref:,.0f} rows/s")
    print(f"validate('transactions'):     {t_val:6.2f} s  {n / t_val:,.0f} rows/s")
    print(f"ratio validate / reference:   {t_val / t_ref:6.2f}")
    print(f"peak RSS of the process:      {mib(max_rss_bytes())}")
    assert len(out) == n


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
