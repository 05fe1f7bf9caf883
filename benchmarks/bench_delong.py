"""DeLong's paired test on 1 000 000 rows, against the cost of the two AUCs it compares.

The test needs both AUCs and their structural components, so its natural
yardstick is computing the two AUCs alone, in the same process on the same
arrays: scikit-learn's ``roc_auc_score`` twice, and ``metrics.auc`` twice.
Results are checked to agree before any time is reported. The O(n^2)
placement-value formula of DeLong et al. (1988), which the tests use as the
reference, is timed on a few thousand rows only, with the fast algorithm on
the same rows, to show what the midrank algorithm of Sun & Xu (2014) saves.

Run: ``python -m benchmarks.bench_delong [--quick]`` (``--quick``: 100 000 rows).
"""

from __future__ import annotations

import sys

import numpy as np

from benchmarks._harness import best_time, mib, peak_bytes
from jiebei_credit.metrics import auc, delong_test

N_ROWS = 1_000_000
BAD_RATE = 0.08
SLOW_ROWS = 4_000


def make_data(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Outcomes, a champion's points (many ties) and a challenger's continuous PD."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < BAD_RATE).astype(np.int64)
    latent = rng.normal(size=n) + 1.1 * y
    champion = np.round(620.0 - 40.0 * latent)  # higher = safer, ~400 distinct values
    challenger = 1.0 / (1.0 + np.exp(2.5 - latent - 0.3 * rng.normal(size=n)))  # higher = riskier
    return {"y": y, "champion": champion, "challenger": challenger}


def slow_se(y: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """Standard error of AUC_a - AUC_b from the O(m n) placement values (risk orderings)."""
    bad = y == 1
    m, n = int(bad.sum()), int((~bad).sum())
    parts = []
    for s in (a, b):
        xs, ys = s[bad], s[~bad]
        psi = (xs[:, None] > ys[None, :]) + 0.5 * (xs[:, None] == ys[None, :])
        parts.append((psi.mean(axis=1), psi.mean(axis=0)))
    (v10_a, v01_a), (v10_b, v01_b) = parts
    return float(np.sqrt(np.var(v10_a - v10_b, ddof=1) / m + np.var(v01_a - v01_b, ddof=1) / n))


def main(argv: list[str]) -> None:
    from sklearn.metrics import roc_auc_score

    n = 100_000 if "--quick" in argv else N_ROWS
    repeat = 3
    d = make_data(n)
    y, champion, challenger = d["y"], d["champion"], d["challenger"]
    print(f"{n:,} rows, bad rate {y.mean():.3f}, champion: {np.unique(champion).size} distinct points, "
          "challenger: a continuous PD")

    t_delong, r = best_time(
        lambda: delong_test(y, champion, challenger, higher=("safer", "riskier")), repeat=repeat
    )
    t_sklearn, (a_sk, b_sk) = best_time(
        lambda: (roc_auc_score(y, -champion), roc_auc_score(y, challenger)), repeat=repeat
    )
    t_ours, (a_ours, b_ours) = best_time(
        lambda: (auc(y, champion, higher="safer"), auc(y, challenger, higher="riskier")), repeat=repeat
    )
    assert abs(r.auc_a - a_sk) < 1e-12, (r.auc_a, a_sk)
    assert abs(r.auc_b - b_sk) < 1e-12, (r.auc_b, b_sk)
    assert abs(a_ours - a_sk) < 1e-12, (a_ours, a_sk)
    assert abs(b_ours - b_sk) < 1e-12, (b_ours, b_sk)
    print(f"  delong_test (two AUCs, se, z, p, CI)  {t_delong:7.3f} s")
    print(f"  two AUCs, sklearn roc_auc_score       {t_sklearn:7.3f} s   ratio {t_delong / t_sklearn:5.2f}x")
    print(f"  two AUCs, metrics.auc                 {t_ours:7.3f} s   ratio {t_delong / t_ours:5.2f}x")
    print(f"  AUC {r.auc_a:.4f} vs {r.auc_b:.4f}, difference {r.difference:+.4f}, se {r.se:.5f}, "
          f"z {r.z:.2f}, p {r.p_value:.2g}")

    small = slice(0, SLOW_ROWS)
    ys, a_s, b_s = y[small], -champion[small], challenger[small]
    t_slow, se_slow = best_time(lambda: slow_se(ys, a_s, b_s), repeat=1)
    t_fast, r_small = best_time(lambda: delong_test(ys, a_s, b_s, higher="riskier"), repeat=repeat)
    assert abs(r_small.se - se_slow) <= 1e-12 * max(1.0, se_slow), (r_small.se, se_slow)
    print(f"  on {SLOW_ROWS:,} rows: O(n^2) placement values {t_slow:7.3f} s, delong_test {t_fast:7.4f} s "
          f"(same se {se_slow:.6f})")
    print("peak memory above inputs (tracemalloc):")
    peak = peak_bytes(lambda: delong_test(y, champion, challenger, higher=("safer", "riskier")))
    print(f"  delong_test         {mib(peak)}")
    two = peak_bytes(lambda: (roc_auc_score(y, -champion), roc_auc_score(y, challenger)))
    print(f"  two sklearn AUCs    {mib(two)}")


if __name__ == "__main__":
    main(sys.argv[1:])
