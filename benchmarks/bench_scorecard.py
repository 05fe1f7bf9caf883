"""Scorecard fit time, scoring throughput and holdout AUC.

Data: the flat synthetic table of ``bench_binning`` (1 000 000 rows x 20
numeric features, 5 % missing), split 70/30 by row order, and a wide table
of point-in-time features. Reports

* the one-off cost of importing statsmodels, which the first fit in a
  process pays (the package itself never imports it);
* the end-to-end ``Scorecard().fit`` time on all rows of the flat table
  (defaults; and with every feature in the model, ``min_iv=0,
  max_correlation=1``), with the binning's share (``WOETransformer.fit``
  with the same parameters);
* the same on the wide table: ``features.extract`` (all 145 features) of a
  simulated portfolio, one observation per borrower and month over the
  quickstart's training year, open lines not already 90+ days past due,
  labelled by ``features.outcomes`` — about 100 000 rows. It is fitted with
  the defaults and with the quickstart's settings (stepwise selection by
  p-value, ``max_correlation=0.6``), where every step refits one model per
  candidate feature;
* ``Scorecard.score`` rows per second for a 20-feature card, and
  ``Scorecard.explain`` (top 4 reasons per row) on the first 300 000 rows;
* when the ``bench`` extra is installed (separate venv): the scoring rate of
  optbinning's ``Scorecard`` (BinningProcess + scikit-learn
  LogisticRegression) and of toad's ``ScoreCard`` (quantile ``Combiner``,
  ``WOETransformer``) with 20 features on the same rows, and the ratios;
* the holdout AUC of our card and of optbinning's.

Scoring rates are for one core: run with ``OPENBLAS_NUM_THREADS=1`` (the
bin lookup itself is single-threaded numpy either way). Each rate is given
by CPU time of this process (what one core costs, unaffected by other
processes on a shared machine) and by wall-clock time.

Run: ``OPENBLAS_NUM_THREADS=1 python -m benchmarks.bench_scorecard [--quick]``.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from benchmarks._harness import best_cpu, best_time
from benchmarks.bench_binning import make_data
from jiebei_credit.features import extract, outcomes
from jiebei_credit.metrics import auc
from jiebei_credit.scorecard import BinningParams, Scorecard, WOETransformer
from jiebei_credit.synthetic import simulate_portfolio

#: Portfolio period and the monthly observation dates of the wide table (the quickstart's).
WIDE_START, WIDE_END = "2023-01-01", "2026-01-01"
WIDE_FIRST, WIDE_LAST = "2023-07-01", "2024-06-01"
#: Borrowers simulated for the wide table (about 100 000 eligible observations; 2 000 with --quick).
WIDE_BORROWERS = 14_000
#: Rows explained by the ``Scorecard.explain`` timing.
EXPLAIN_ROWS = 300_000
#: The scorecard settings of examples/quickstart.py.
QUICKSTART_CARD = {
    "round_points": True,
    "binning": BinningParams(unseen="worst"),
    "max_correlation": 0.6,
    "selection": "stepwise",
    "criterion": "pvalue",
    "penalty": "none",
}


def rate(n: int, fn: Callable[[], object], *, repeat: int) -> tuple[float, str]:
    """CPU seconds of ``fn`` and a line with its rows/s by CPU and by wall-clock time."""
    wall, _ = best_time(fn, repeat=repeat)
    cpu = best_cpu(fn, repeat=repeat)
    return cpu, f"{n / cpu / 1e6:6.2f} M rows/s by CPU time ({n / wall / 1e6:.2f} by wall clock)"


def statsmodels_import_seconds() -> float:
    """Seconds to import the statsmodels modules the fit uses, in a fresh interpreter."""
    code = (
        "import time, numpy, pandas, scipy.special\n"
        "t = time.perf_counter()\n"
        "import statsmodels.genmod.generalized_linear_model, statsmodels.genmod.families\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return float(out.stdout)


def wide_table(n_borrowers: int, seed: int = 2026) -> tuple[pd.DataFrame, pd.Series]:
    """All 145 point-in-time features and the outcome of monthly observations (see the docstring)."""
    records = simulate_portfolio(n_borrowers, start=WIDE_START, end=WIDE_END, seed=seed).records
    ids = records["borrowers"]["borrower_id"].to_numpy()
    months = pd.date_range(WIDE_FIRST, WIDE_LAST, freq="MS").to_numpy()
    obs = pd.DataFrame({"borrower_id": np.repeat(ids, len(months)), "as_of": np.tile(months, len(ids))})
    X = extract(records, obs)
    y = outcomes(records, obs, observed_until=WIDE_END)
    keep = (X["limit_now"] > 0) & (X["dpd_now"] < 90) & y.notna()
    return X[keep], y[keep].astype(int)


def fit_line(label: str, X: pd.DataFrame, y: object, params: dict[str, object], repeat: int) -> None:
    """Print the wall and CPU time of ``Scorecard(**params).fit`` and the binning's CPU share."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        card = Scorecard(**params).fit(X, y)  # type: ignore[arg-type]
        wall, cpu = min(wall, time.perf_counter() - w0), min(cpu, time.process_time() - c0)
    # the card's own binning parameters (its defaults too: they are not WOETransformer's)
    shared = WOETransformer().get_params(deep=False)
    binning = {k: v for k, v in card.get_params(deep=False).items() if k in shared}
    bin_cpu = best_cpu(lambda: WOETransformer(**binning).fit(X, y), repeat=repeat)  # type: ignore[arg-type]
    print(
        f"{label:39s}: {wall:6.2f} s wall, {cpu:.2f} s CPU; {len(card.features_)} features in "
        f"the model (binning {bin_cpu:.2f} s CPU, the rest {cpu - bin_cpu:.2f} s; best of {repeat})"
    )


def run_optbinning(X_tr: pd.DataFrame, y_tr: np.ndarray, X: pd.DataFrame) -> tuple[float, str, object] | str:
    """CPU seconds and report line to score ``X`` with optbinning's card, and the card."""
    try:
        from optbinning import BinningProcess
        from optbinning import Scorecard as OBScorecard
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        return f"not installed ({exc}); install the 'bench' extra in a separate venv"
    names = list(X.columns)
    opts = {
        "prebinning_method": "quantile",
        "max_n_prebins": 50,
        "max_n_bins": 6,
        "min_bin_size": 0.05,
        "monotonic_trend": "auto_asc_desc",
    }
    card = OBScorecard(
        binning_process=BinningProcess(names, binning_fit_params=dict.fromkeys(names, opts)),
        estimator=LogisticRegression(max_iter=1000),
        scaling_method="pdo_odds",
        scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # optbinning's pre-binning warns about narrow bins
        card.fit(X_tr, y_tr)
        seconds, line = rate(len(X), lambda: card.score(X), repeat=3)  # optbinning: score = points
    return seconds, line, card


def run_toad(X_tr: pd.DataFrame, y_tr: np.ndarray, X: pd.DataFrame) -> tuple[float, str] | str:
    """CPU seconds and report line to score ``X`` with toad's ScoreCard, or why it cannot run."""
    try:
        import toad
        from toad.scorecard import ScoreCard
        from toad.transform import Combiner
        from toad.transform import WOETransformer as ToadWOE
    except ImportError as exc:
        return f"not installed ({exc}); install the 'bench' extra in a separate venv"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            df = X_tr.assign(target=y_tr)
            combiner = Combiner()
            combiner.fit(df, y="target", method="quantile", n_bins=6, empty_separate=True)
            binned = combiner.transform(df, labels=False)
            transer = ToadWOE()
            woe = transer.fit_transform(binned, binned["target"], exclude=["target"])
            card = ScoreCard(combiner=combiner, transer=transer, base_score=600, base_odds=50, pdo=20)
            card.fit(woe.drop(columns="target"), y_tr)
            return rate(len(X), lambda: card.predict(X), repeat=3)
    except Exception as exc:  # report exactly why toad failed, e.g. with a new pandas
        return f"toad {toad.__version__} failed with pandas {pd.__version__}: {type(exc).__name__}: {exc}"


def main(argv: list[str]) -> None:
    n = 100_000 if "--quick" in argv else 1_000_000
    X, y = make_data(n)
    cut = int(0.7 * n)
    X_tr, X_te, y_tr, y_te = X.iloc[:cut], X.iloc[cut:], y[:cut], y[cut:]
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    print(f"data: {n:,} rows x {X.shape[1]} features; train {cut:,}, holdout {n - cut:,}")
    print(
        f"OPENBLAS_NUM_THREADS={threads}" + ("" if threads == "1" else " (set it to 1 for one-core figures)")
    )

    print(f"import statsmodels (first fit of a process): {statsmodels_import_seconds():6.2f} s wall")
    fit_line("Scorecard().fit, all rows (defaults)", X, y, {}, repeat=3)
    fit_line("  with min_iv=0, max_correlation=1", X, y, {"min_iv": 0.0, "max_correlation": 1.0}, repeat=3)

    full = Scorecard(min_iv=0.0, max_correlation=1.0).fit(X_tr, y_tr)
    k = len(full.features_)
    ours_s, line = rate(n, lambda: full.points(X), repeat=5)
    print(f"Scorecard.score, {k}-feature card       : {line}")
    rows = X.iloc[:EXPLAIN_ROWS]
    _, line = rate(len(rows), lambda: full.explain(rows, top=4), repeat=3)
    print(f"Scorecard.explain, {k}-feature card     : {line} (top 4, {len(rows):,} rows)")

    ours = Scorecard().fit(X_tr, y_tr)
    ours_auc = auc(y_te, ours.points(X_te).to_numpy(), higher="safer")
    print(f"holdout AUC, jiebei_credit (defaults)  : {ours_auc:.4f} ({len(ours.features_)} features)")
    all_auc = auc(y_te, full.points(X_te).to_numpy(), higher="safer")
    print(f"holdout AUC, jiebei_credit, 20 features: {all_auc:.4f} (min_iv=0, max_correlation=1)")

    ob = run_optbinning(X_tr, y_tr, X)
    if isinstance(ob, str):
        print(f"optbinning Scorecard.score             : {ob}")
    else:
        ob_s, line, ob_card = ob
        print(f"optbinning Scorecard.score, 20 features: {line}")
        print(f"  ratio ours / optbinning (CPU time)   : {ob_s / ours_s:6.1f} x")
        ob_auc = auc(y_te, ob_card.predict_proba(X_te)[:, 1], higher="riskier")  # type: ignore[attr-defined]
        print(f"holdout AUC, optbinning (LogReg)       : {ob_auc:.4f} (20 features)")
    td = run_toad(X_tr, y_tr, X)
    if isinstance(td, str):
        print(f"toad ScoreCard.predict                 : {td}")
    else:
        print(f"toad ScoreCard.predict, 20 features    : {td[1]}")
        print(f"  ratio ours / toad (CPU time)         : {td[0] / ours_s:6.1f} x")

    borrowers = 2_000 if "--quick" in argv else WIDE_BORROWERS
    t0 = time.perf_counter()
    Xw, yw = wide_table(borrowers)
    print(
        f"wide table: {len(Xw):,} rows x {Xw.shape[1]} features from {borrowers:,} simulated borrowers "
        f"(built in {time.perf_counter() - t0:.0f} s), bad rate {yw.mean():.3f}"
    )
    fit_line("Scorecard().fit, wide (defaults)", Xw, yw, {}, repeat=2)
    fit_line("Scorecard(quickstart settings).fit", Xw, yw, QUICKSTART_CARD, repeat=2)


if __name__ == "__main__":
    main(sys.argv[1:])
