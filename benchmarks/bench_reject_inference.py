"""Does reject inference help? An experiment where the truth of the rejects is known.

On a synthetic portfolio (``jiebei_credit.synthetic``) every applicant's
outcome and true PD are known, so what a lender never sees can be measured:
how a card trained on approved applicants only does on the whole
through-the-door population, and whether reject inference brings it closer.

Per seed:

1. simulate ``N_BORROWERS`` borrowers; extract the features at ``AS_OF``
   (``features.extract``), the 12-month 90+ DPD outcome
   (``features.outcomes``) and the true PD over the same window
   (``Truth.pd_for``);
2. split the applicants at random into a development half and a holdout half
   (both through-the-door samples);
3. simulate a historical policy that declined the riskiest ``DECLINE`` share
   of the development half by an old score, under two policies:

   * ``MAR``: the old score is ``z(zhima_latest) − z(util_now)``, two of the
     recorded features, so the outcome is missing at random given them;
   * ``MNAR``: the same plus ``−z(latent_risk)``, the generator's hidden
     creditworthiness, standing for an underwriter's judgement the recorded
     features lack (missing not at random);

4. fit, with the same settings (``CARD``), a card on the accepts only; on the
   accepts plus the rejects inferred by each method of
   :func:`jiebei_credit.scorecard.reject_inference` at its defaults (fuzzy,
   parcelling, hard cutoff at PD 0.5), and by parcelling with ``uplift=2``
   (the judgement that rejects are twice as risky as accepts of the same
   score; fixed before the run, not tuned); and, as the unattainable upper
   bound, on the whole development half with its true outcomes;
5. evaluate each card on the whole holdout half (accepts and would-be
   rejects): AUC against the realised outcomes; the expected AUC against the
   true PDs (each applicant a bad with weight PD and a good with weight
   1 − PD); the Pearson correlation of the card's log-odds with the true
   log-odds (applicants with a true PD strictly between 0 and 1; a borrower
   who stopped paying before ``AS_OF`` has PD 0 or 1); mean PD against the
   observed bad rate, overall and among the holdout applicants the old
   policy would have declined; and the calibration slope (``metrics.calibration_slope``).

Nothing is tuned on the holdout: every setting is fixed above.

Run: ``python -m benchmarks.bench_reject_inference [--quick] [--output FILE]``
(default output ``benchmarks/results/reject_inference.txt``; ``--quick``:
one seed, fewer borrowers, no file unless ``--output``).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

import jiebei_credit as jc
from jiebei_credit.scorecard import BinningParams, Scorecard, reject_inference

N_BORROWERS = 20_000
SEEDS = (1, 2, 3, 4, 5)
START, END, AS_OF = "2022-01-01", "2025-01-01", pd.Timestamp("2023-07-01")
HORIZON = 365
DECLINE = 0.30
FEATURES = [
    "zhima_latest", "zhima_min_180d", "util_now", "util_max_365d", "dpd_max_180d", "ontime_ratio_90d",
    "inq_count_90d", "inq_days_since", "net_inflow_monthly_90d", "debt_service_coverage_90d",
    "business_age_months", "receipts_trend_180d", "limit_ratio_180d",
]
CARD: dict[str, Any] = {"binning": BinningParams(max_bins=6)}
METHODS = ("accepts only", "fuzzy", "parcelling", "hard cutoff", "parcelling x2", "full (oracle)")
POLICIES = ("MAR", "MNAR")
DEFAULT_OUTPUT = os.path.join(os.path.dirname(__file__), "results", "reject_inference.txt")


@dataclass(frozen=True)
class Row:
    seed: int
    policy: str
    method: str
    auc: float
    auc_true: float
    corr: float
    mean_pd: float
    bad_rate: float
    mean_pd_rej: float
    bad_rate_rej: float
    true_pd_rej: float
    slope: float


def portfolio(n: int, seed: int) -> tuple[pd.DataFrame, pd.Series, pd.Series, pd.Series]:
    """Features, realised outcomes, true PDs and hidden latent risk of every applicant."""
    p = jc.synthetic.simulate_portfolio(n, start=START, end=END, seed=seed)
    obs = pd.DataFrame({"borrower_id": p.records.borrowers["borrower_id"], "as_of": AS_OF})
    X = jc.features.extract(p.records, obs)[FEATURES]
    y = jc.features.outcomes(p.records, obs, horizon_days=HORIZON, min_dpd=90, observed_until=END)
    true_pd = p.truth.pd_for(obs, horizon_days=HORIZON)
    latent = pd.Series(p.truth.borrowers["latent_risk"].to_numpy(), index=obs.index)
    keep = y.notna()
    return X[keep], y[keep].astype(np.int64), true_pd[keep], latent[keep]


def zscore(x: pd.Series, ref: pd.Series) -> np.ndarray:
    v = x.to_numpy(dtype=np.float64)
    r = ref.to_numpy(dtype=np.float64)
    mu, sd = np.nanmean(r), np.nanstd(r)
    return np.nan_to_num((v - mu) / sd)  # a missing feature counts as average in the old score


def old_score(X: pd.DataFrame, latent: pd.Series, ref: pd.DataFrame, ref_latent: pd.Series,
              policy: str) -> np.ndarray:
    """Higher is safer. ``ref`` fixes the standardisation (the development half)."""
    s = zscore(X["zhima_latest"], ref["zhima_latest"]) - zscore(X["util_now"], ref["util_now"])
    if policy == "MNAR":
        s = s - zscore(latent, ref_latent)
    return s


def evaluate(card: Scorecard, X: pd.DataFrame, y: pd.Series, true_pd: pd.Series, rejected: np.ndarray,
             ) -> dict[str, float]:
    p = card.predict_proba(X)[:, 1]
    t = true_pd.to_numpy(dtype=np.float64)
    yv = y.to_numpy()
    both = np.concatenate([np.ones_like(t), np.zeros_like(t)])
    auc_true = jc.metrics.auc(both, np.concatenate([p, p]), higher="riskier",
                              sample_weight=np.concatenate([t, 1.0 - t]))
    inner = (t > 0.0) & (t < 1.0)
    corr = float(np.corrcoef(special.logit(p[inner]), special.logit(t[inner]))[0, 1])
    return {
        "auc": jc.metrics.auc(yv, p, higher="riskier"),
        "auc_true": auc_true,
        "corr": corr,
        "mean_pd": float(p.mean()),
        "bad_rate": float(yv.mean()),
        "mean_pd_rej": float(p[rejected].mean()),
        "bad_rate_rej": float(yv[rejected].mean()),
        "true_pd_rej": float(t[rejected].mean()),
        "slope": jc.metrics.calibration_slope(yv, p).slope,
    }


def fit(X: pd.DataFrame, y: pd.Series, w: pd.Series | None = None) -> Scorecard:
    with warnings.catch_warnings():  # a benchmark script, not library code: keep the report readable
        warnings.simplefilter("ignore")
        return Scorecard(**CARD).fit(X, y, sample_weight=w)


def run_seed(n: int, seed: int) -> list[Row]:
    X, y, true_pd, latent = portfolio(n, seed)
    rng = np.random.default_rng(seed)
    dev = rng.random(len(X)) < 0.5
    Xd, yd, ld = X[dev], y[dev], latent[dev]
    Xh, yh, th, lh = X[~dev], y[~dev], true_pd[~dev], latent[~dev]
    rows = []
    for policy in POLICIES:
        s_dev = old_score(Xd, ld, Xd, ld, policy)
        cut = np.quantile(s_dev, DECLINE)
        acc = s_dev > cut
        rej_h = old_score(Xh, lh, Xd, ld, policy) <= cut
        base = fit(Xd[acc], yd[acc])
        cards = {"accepts only": base}
        variants: dict[str, dict[str, Any]] = {
            "fuzzy": {"method": "fuzzy"},
            "parcelling": {"method": "parcelling", "seed": seed},
            "hard cutoff": {"method": "hard_cutoff"},
            "parcelling x2": {"method": "parcelling", "uplift": 2.0, "seed": seed},
        }
        for name, kw in variants.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                Xa, ya, wa = reject_inference(base, Xd[acc], yd[acc], Xd[~acc], **kw)
            cards[name] = fit(Xa, ya, wa)
        cards["full (oracle)"] = fit(Xd, yd)
        for method in METHODS:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                m = evaluate(cards[method], Xh, yh, th, rej_h)
            rows.append(Row(seed=seed, policy=policy, method=method, **m))
            print(f"seed {seed} {policy:4s} {method:14s} AUC {m['auc']:.4f} AUC(true PD) {m['auc_true']:.4f} "
                  f"slope {m['slope']:.3f} mean PD {m['mean_pd']:.4f} / bad {m['bad_rate']:.4f}", flush=True)
    return rows


def report(rows: list[Row], n: int, seeds: tuple[int, ...], seconds: float) -> list[str]:
    out = [
        (f"# reject-inference experiment: {n:,} borrowers per seed, seeds {', '.join(map(str, seeds))}; "
         f"half development, half holdout; old policy declines {DECLINE:.0%} of development"),
        f"# features at {AS_OF.date()}: {', '.join(FEATURES)}",
        f"# outcome: 90+ DPD within {HORIZON} days; card settings {CARD}; total {seconds:.0f} s",
        "",
        "== Mean over seeds (holdout = whole through-the-door half) ==",
        "AUC: against realised outcomes; AUC*: expected AUC against the true PDs; corr: Pearson of the",
        "card's log-odds with the true log-odds; slope: calibration slope on realised outcomes;",
        "PD/bad: mean PD and observed bad rate; rej: the same among holdout applicants the old policy",
        "would have declined, with their mean true PD.",
        "",
    ]
    frame = pd.DataFrame([r.__dict__ for r in rows])
    cols = ["auc", "auc_true", "corr", "slope", "mean_pd", "bad_rate", "mean_pd_rej", "bad_rate_rej",
            "true_pd_rej"]
    head = (f"{'policy':6s} {'method':14s} {'AUC':>7s} {'AUC*':>7s} {'corr':>6s} {'slope':>6s} {'PD':>7s} "
            f"{'bad':>7s} {'PD rej':>7s} {'bad rej':>7s} {'true rej':>8s}")
    for title, agg in (("mean", "mean"), ("standard deviation over seeds", "std")):
        out.append(f"-- {title} --")
        out.append(head)
        g = frame.groupby(["policy", "method"], sort=False)[cols].agg(agg)
        for (policy, method), r in g.iterrows():
            out.append(f"{policy:6s} {method:14s} {r['auc']:7.4f} {r['auc_true']:7.4f} {r['corr']:6.3f} "
                       f"{r['slope']:6.3f} {r['mean_pd']:7.4f} {r['bad_rate']:7.4f} {r['mean_pd_rej']:7.4f} "
                       f"{r['bad_rate_rej']:7.4f} {r['true_pd_rej']:8.4f}")
        out.append("")
    base = frame[frame["method"] == "accepts only"].set_index(["seed", "policy"])
    diff = frame.join(base[["auc", "auc_true", "mean_pd_rej"]], on=["seed", "policy"], rsuffix="_base")
    diff["d_auc"] = diff["auc"] - diff["auc_base"]
    diff["d_auc_true"] = diff["auc_true"] - diff["auc_true_base"]
    diff["d_pd_rej"] = diff["mean_pd_rej"] - diff["mean_pd_rej_base"]
    out.append("== Change against the accepts-only card: mean (standard deviation) over seeds ==")
    out.append(f"{'policy':6s} {'method':14s} {'AUC':>17s} {'AUC*':>17s} {'PD rej':>17s}  "
               "seeds better (AUC*)")
    for (policy, method), g in diff.groupby(["policy", "method"], sort=False):
        if method == "accepts only":
            continue
        cells = [f"{g[c].mean():+.4f} ({g[c].std():.4f})" for c in ("d_auc", "d_auc_true", "d_pd_rej")]
        better = int((g["d_auc_true"] > 0).sum())
        out.append(f"{policy:6s} {method:14s} {cells[0]:>17s} {cells[1]:>17s} {cells[2]:>17s}  "
                   f"{better} of {len(g)}")
    out.append("")
    out.append("== Difference to the accepts-only card, per seed (AUC, AUC*) ==")
    for (seed, policy), g in frame.groupby(["seed", "policy"], sort=False):
        base = g[g["method"] == "accepts only"].iloc[0]
        parts = [f"{r.method}: {r.auc - base.auc:+.4f}, {r.auc_true - base.auc_true:+.4f}"
                 for r in g.itertuples() if r.method != "accepts only"]
        out.append(f"seed {seed} {policy}: " + "; ".join(parts))
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_reject_inference")
    parser.add_argument("--quick", action="store_true", help="one seed, 8 000 borrowers, no file")
    parser.add_argument("--output", default=None, help=f"report file (default {DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)
    n, seeds = (8_000, SEEDS[:1]) if args.quick else (N_BORROWERS, SEEDS)
    output = args.output or (None if args.quick else DEFAULT_OUTPUT)
    t0 = time.perf_counter()
    rows: list[Row] = []
    for seed in seeds:
        rows += run_seed(n, seed)
    text = "\n".join(report(rows, n, seeds, time.perf_counter() - t0)) + "\n"
    print(text)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
