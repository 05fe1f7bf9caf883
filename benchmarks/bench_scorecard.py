"""Scorecard fit time, scoring throughput and holdout AUC on the binning benchmark table.

Data: the flat synthetic table of ``bench_binning`` (1 000 000 rows x 20
numeric features, 5 % missing). Reports the end-to-end ``Scorecard.fit``
time, ``Scorecard.score`` rows per second for a 20-feature card, and, when
optbinning is installed (``bench`` extra, separate venv), optbinning's
``Scorecard`` (BinningProcess + scikit-learn LogisticRegression) on the same
70/30 split: its scoring rate, the ratio, and both holdout AUCs.

Run: ``python -m benchmarks.bench_scorecard [--quick]``.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from benchmarks._harness import best_time
from benchmarks.bench_binning import make_data
from jiebei_credit.scorecard import Scorecard


def auc(y: np.ndarray, risk: np.ndarray) -> float:
    """Mann-Whitney AUC (higher ``risk`` = more likely bad), ties averaged."""
    ranks = pd.Series(risk).rank().to_numpy()
    n1 = y.sum()
    n0 = y.size - n1
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def main(argv: list[str]) -> None:
    n = 100_000 if "--quick" in argv else 1_000_000
    X, y = make_data(n)
    cut = int(0.7 * n)
    X_tr, X_te, y_tr, y_te = X.iloc[:cut], X.iloc[cut:], y[:cut], y[cut:]
    print(f"data: {n:,} rows x {X.shape[1]} features; train {cut:,}, holdout {n - cut:,}")

    fit_s, card = best_time(lambda: Scorecard().fit(X, y), repeat=1)
    print(
        f"Scorecard().fit on all rows (defaults)       : {fit_s:7.2f} s, {len(card.features_)} features kept"
    )

    full = Scorecard(min_iv=0.0, max_correlation=1.0).fit(X, y)
    k = len(full.features_)
    score_s, _ = best_time(lambda: full.score(X), repeat=3)
    ours_rate = n / score_s
    print(
        f"Scorecard.score, {k}-feature card            : {ours_rate / 1e6:7.2f} M rows/s "
        f"({score_s:.3f} s for {n:,} rows)"
    )

    ours = Scorecard().fit(X_tr, y_tr)
    ours_auc = auc(y_te, -ours.score(X_te).to_numpy())
    print(f"holdout AUC, jiebei_credit Scorecard         : {ours_auc:.4f} "
          f"({len(ours.features_)} features, defaults)")
    ours_all = Scorecard(min_iv=0.0, max_correlation=1.0).fit(X_tr, y_tr)
    all_auc = auc(y_te, -ours_all.score(X_te).to_numpy())
    print(f"holdout AUC, jiebei_credit, no IV filter     : {all_auc:.4f} "
          f"({len(ours_all.features_)} features)")

    try:
        from optbinning import BinningProcess
        from optbinning import Scorecard as OBScorecard
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("optbinning not installed: install the 'bench' extra to compare")
        return
    names = list(X.columns)
    opts = {
        "prebinning_method": "quantile",
        "max_n_prebins": 50,
        "max_n_bins": 6,
        "min_bin_size": 0.05,
        "monotonic_trend": "auto_asc_desc",
    }
    ob_all = OBScorecard(
        binning_process=BinningProcess(names, binning_fit_params=dict.fromkeys(names, opts)),
        estimator=LogisticRegression(max_iter=1000),
        scaling_method="pdo_odds",
        scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600},
    ).fit(X, y)
    ob_s, _ = best_time(lambda: ob_all.score(X), repeat=1)
    print(
        f"optbinning Scorecard.score                   : {n / ob_s / 1e6:7.2f} M rows/s "
        f"-> ratio ours / optbinning {ours_rate / (n / ob_s):.1f} x"
    )
    ob = OBScorecard(
        binning_process=BinningProcess(names, binning_fit_params=dict.fromkeys(names, opts)),
        estimator=LogisticRegression(max_iter=1000),
        scaling_method="pdo_odds",
        scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600},
    ).fit(X_tr, y_tr)
    ob_auc = auc(y_te, ob.predict_proba(X_te)[:, 1])
    print(f"holdout AUC, optbinning Scorecard (LogReg)   : {ob_auc:.4f}")


if __name__ == "__main__":
    main(sys.argv[1:])
