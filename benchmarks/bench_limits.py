"""Limits at scale: ``assign`` on 1 000 000 applicants, ``schedules`` on 1 000 000 loans.

Each function is timed against a reference computed in the same process on
the same arrays:

* ``assign`` against a plain vectorised ``np.minimum`` chain over the same
  columns (unrounded closed-form capacity, no validation, no reasons): the
  floor for any limit engine written in numpy; and ``max_principal`` alone,
  the exact fen-level capacity inverse that ``assign`` calls;
* ``schedules`` against ``np.repeat`` of unrounded level payments into a long
  frame of the same shape with due dates: the cost of materialising the
  output, without the instalment arithmetic.

The reference limits are checked to agree with ``assign`` (within one
rounding step) before any time is reported. Peak memory is measured in
separate runs.

Run: ``python -m benchmarks.bench_limits [--quick]`` (``--quick``: 100 000 rows).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from benchmarks._harness import best_time, mib, peak_bytes
from jiebei_credit.limits import PRESETS, LimitPolicy, assign, max_principal, schedules

N = 1_000_000
METHODS = np.array(["equal_installment", "equal_principal", "interest_first"])


def make_applicants(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "pd": rng.beta(1.2, 40.0, n),
            "monthly_income": np.round(rng.lognormal(9.3, 0.6, n), 2),
            "existing_debt_service": np.round(rng.uniform(0, 4_000, n), 2),
            "existing_balance": np.where(rng.random(n) < 0.3, np.round(rng.uniform(0, 20_000, n)), 0.0),
            "purpose": pd.Categorical(rng.choice(["consumption", "business", "unknown"], n)),
        }
    )


def make_loans(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "principal": np.round(rng.uniform(500, 50_000, n) / 100) * 100,
        "annual_rate": rng.choice([0.072, 0.108, 0.144, 0.18], n),
        "term_months": rng.choice([3, 6, 12], n),
        "method": METHODS[rng.integers(0, 3, n)],
        "start": np.datetime64("2023-01-01") + rng.integers(0, 900, n).astype("timedelta64[D]"),
    }


def reference_limits(a: pd.DataFrame, p: LimitPolicy) -> np.ndarray:
    """The np.minimum chain: caps, income multiple, unrounded capacity, EL, floor, cut-off."""
    pd_ = a["pd"].to_numpy()
    y = a["monthly_income"].to_numpy()
    b = a["existing_balance"].to_numpy()
    spare = np.maximum(p.dsr * y - a["existing_debt_service"].to_numpy(), 0.0)
    i, n = p.capacity_annual_rate / 12, p.capacity_term_months
    capacity = b + spare * (1 - (1 + i) ** -n) / i
    el = b + (p.el_budget / (pd_ * p.lgd) - b) / p.ccf  # type: ignore[operator]
    raw = np.minimum(np.minimum(np.minimum(p.product_cap, p.regulatory_cap), p.income_multiple * y),
                     np.minimum(capacity, el))  # type: ignore[operator]
    limit = np.floor(np.maximum(raw, 0) / p.rounding_step) * p.rounding_step
    return np.where((pd_ > p.pd_cutoff) | (limit < p.min_limit), 0.0, limit)


def reference_schedule_frame(d: dict[str, np.ndarray]) -> pd.DataFrame:
    n = d["term_months"]
    i = d["annual_rate"] / 12
    level = d["principal"] * i / (1 - (1 + i) ** -n)
    seq = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n) + 1
    due = np.repeat(d["start"].astype("datetime64[M]"), n) + seq.astype("timedelta64[M]")
    return pd.DataFrame({"loan": np.repeat(np.arange(n.size), n), "seq": seq,
                         "due_on": due.astype("datetime64[ns]"), "payment": np.repeat(level, n)})


def row(name: str, ours: float, ref: float, ref_name: str) -> str:
    return f"  {name:<26} ours {ours:7.3f} s   {ref_name:<34} {ref:7.3f} s   ours/ref {ours / ref:5.1f}x"


def main(argv: list[str]) -> None:
    n = 100_000 if "--quick" in argv else N
    repeat = 3
    policy = dataclasses.replace(
        PRESETS["bank_internet_2020"], purposes=("consumption", "business", "unknown"),
        product_cap=100_000.0, income_multiple=4.0, refer_pd=0.05, el_budget=600.0,
    )
    apps = make_applicants(n)
    out = assign(apps, policy)
    ref = reference_limits(apps, policy)
    diff = np.abs(out["limit"].to_numpy() - ref)
    assert (diff <= policy.rounding_step).all(), diff.max()
    print(f"{n:,} applicants; limits agree with the reference within one step of "
          f"{policy.rounding_step:g} (identical for {np.mean(diff == 0):.2%});")
    print("  decisions: " + ", ".join(f"{k} {v:,}" for k, v in
                                      out["decision"].value_counts().items()))

    spare = np.maximum(policy.dsr * apps["monthly_income"].to_numpy()
                       - apps["existing_debt_service"].to_numpy(), 0.0)
    t_assign, _ = best_time(lambda: assign(apps, policy), repeat=repeat)
    t_chain, _ = best_time(lambda: reference_limits(apps, policy), repeat=repeat)
    t_cap, _ = best_time(lambda: max_principal(spare, 0.144, 12, method="equal_installment"),
                         repeat=repeat)
    print(row("assign", t_assign, t_chain, "np.minimum chain (unrounded)"))
    print(row("assign", t_assign, t_cap, "max_principal alone (exact)"))
    print(f"  assign peak memory {mib(peak_bytes(lambda: assign(apps, policy)))}, "
          f"input frame {mib(apps.memory_usage(deep=True).sum())}")

    d = make_loans(n)

    def ours() -> pd.DataFrame:
        return schedules(d["principal"], d["annual_rate"], d["term_months"],
                         method=d["method"], start=d["start"])

    rows = len(ours())
    t_sched, _ = best_time(ours, repeat=repeat)
    t_rep, _ = best_time(lambda: reference_schedule_frame(d), repeat=repeat)
    print(f"{n:,} loans (mixed methods, terms 3/6/12) -> {rows:,} instalments")
    print(row("schedules", t_sched, t_rep, "np.repeat level payments + frame"))
    print(f"  schedules peak memory {mib(peak_bytes(ours))}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
