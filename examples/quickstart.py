"""Quickstart: from raw records to scores, limits and reasons, end to end.

Simulate a portfolio → validate it → monthly observation dates per borrower →
point-in-time features → outcome labels → out-of-time split → scorecard →
evaluation (AUC, KS, gains, calibration by grade, PSI) → limits under a
preset policy → the explanation owed to a declined and a referred applicant.

Run with ``make demo`` or ``python examples/quickstart.py [--borrowers N]``.
Every number printed is computed here; nothing is typed in.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

import jiebei_credit as jc

START, END = "2023-01-01", "2026-01-01"  # the portfolio is observed until END
FIRST_AS_OF, SPLIT, LAST_AS_OF = "2023-07-01", "2024-07-01", "2024-12-01"
#: Share of merchant receipts taken as the owner's income (a stated assumption).
INCOME_MARGIN = 0.25
GRADE_PD = (0.005, 0.01, 0.02, 0.05, 0.10)  # upper PD of grades A..E; F above


def section(out: Callable[[str], None], title: str) -> None:
    out("")
    out(title)
    out("-" * len(title))


def monthly_observations(records: jc.records.RecordSet) -> pd.DataFrame:
    """One observation per borrower on the first day of each month."""
    ids = records.borrowers["borrower_id"].to_numpy()
    months = pd.date_range(FIRST_AS_OF, LAST_AS_OF, freq="MS").to_numpy()
    return pd.DataFrame({"borrower_id": np.repeat(ids, len(months)), "as_of": np.tile(months, len(ids))})


def grades_of(pd_values: np.ndarray) -> pd.Series:
    labels = np.array(list("ABCDEF"))
    return pd.Series(labels[np.searchsorted(GRADE_PD, pd_values, side="left")])


def run(n_borrowers: int = 6_000, seed: int = 2026, out: Callable[[str], None] = print) -> dict[str, float]:
    """Run the whole flow and print a compact report; return the headline figures."""
    clock = time.perf_counter()
    out(f"jiebei_credit {jc.__version__} quickstart: {n_borrowers:,} synthetic borrowers, seed {seed}")

    # 1. Records: simulate, then run the full validation a lender's data would get.
    portfolio = jc.synthetic.simulate_portfolio(n_borrowers, start=START, end=END, seed=seed)
    frames = {name: portfolio.records[name] for name in portfolio.records.tables}
    records = jc.records.RecordSet.from_frames(**frames)
    section(out, "1. Records (validated)")
    out(records.summary()[["rows", "borrowers"]].to_string())

    # 2. Observations, features and labels. The population scored: open lines
    #    (limit > 0) not already 90+ days past due on the observation date.
    obs = monthly_observations(records)
    X = jc.features.extract(records, obs)
    y = jc.features.outcomes(records, obs, observed_until=END)
    eligible = (X["limit_now"] > 0) & (X["dpd_now"] < 90) & y.notna()
    X, y, obs = X[eligible], y[eligible].astype(int), obs[eligible]
    train = (obs["as_of"] < SPLIT).to_numpy()
    test = ~train
    section(out, "2. Features and outcomes")
    out(f"observations: {len(obs):,} ({eligible.mean():.0%} eligible), features: {X.shape[1]}")
    out(f"train {FIRST_AS_OF}..{SPLIT}: {train.sum():,} rows, bad rate {y[train].mean():.2%}")
    out(f"test  {SPLIT}..{LAST_AS_OF}: {test.sum():,} rows, bad rate {y[test].mean():.2%}")

    # 3. Scorecard: bin, filter, fit, scale to integer points.
    card = jc.scorecard.Scorecard(
        round_points=True, binning=jc.scorecard.BinningParams(unseen="worst"), max_correlation=0.6,
        selection="stepwise", criterion="pvalue", penalty="none",  # unpenalised: Wald p-values to show
    )
    card.fit(X[train], y[train])
    summary = card.summary()
    model = summary[summary["status"] == "model"]
    section(out, "3. Scorecard")
    out(f"{len(card.features_)} features kept of {X.shape[1]}")
    out(model[["feature", "coefficient", "p_value", "iv"]].round(4).to_string(index=False))

    # 4. Evaluation on the later (out-of-time) observations.
    score_train, score_test = card.points(X[train]), card.points(X[test])
    pd_test = card.predict_proba(X[test])[:, 1]
    true_pd = portfolio.truth.pd_for(obs[test]).to_numpy()
    y_test = y[test].to_numpy()
    section(out, "4. Evaluation (test period)")
    figures = {
        "auc": jc.metrics.auc(y_test, score_test, higher="safer"),
        "ks": jc.metrics.ks(y_test, score_test, higher="safer"),
        "gini": jc.metrics.gini(y_test, score_test, higher="safer"),
        "auc_true_pd": jc.metrics.auc(y_test, true_pd, higher="riskier"),
        "ks_true_pd": jc.metrics.ks(y_test, true_pd, higher="riskier"),
    }
    out(f"scorecard: AUC {figures['auc']:.3f}  KS {figures['ks']:.3f}  Gini {figures['gini']:.3f}")
    out(f"true PD:   AUC {figures['auc_true_pd']:.3f}  KS {figures['ks_true_pd']:.3f}  (the ceiling)")
    gains = jc.metrics.gains_table(y_test, score_test, bins=5, higher="safer")
    out("\ngains by score quintile (riskiest first):")
    out(gains.round(3).to_string())
    grade = grades_of(pd_test)
    calib = jc.metrics.calibration_table(y_test, pd_test, grades=grade.to_numpy())
    out("\ncalibration by grade (binomial and Jeffreys p-values, one-sided: PD too low?):")
    out(calib.round(4).to_string())
    hl = jc.metrics.hosmer_lemeshow(y_test, pd_test, grades=10)
    out(f"\nHosmer-Lemeshow: statistic {hl.statistic:.2f}, p-value {hl.p_value:.3f}")
    out(f"Brier score: {jc.metrics.brier_score(y_test, pd_test):.4f}")
    stability = jc.metrics.psi(score_train, score_test, bins=10)
    figures["psi"] = stability.value
    out(f"score PSI train vs test: {stability.value:.4f} ({stability.status})")

    # 5. Limits for the latest observation of each test borrower, under a
    #    dated preset adjusted explicitly (refer band, product cap).
    latest = obs[test].groupby("borrower_id").tail(1)
    Xl = X.loc[latest.index]
    receipts = Xl["receipts_monthly_mean_90d"].fillna(0.0)
    coverage = Xl["debt_service_coverage_90d"]
    applicants = pd.DataFrame(
        {
            "pd": card.predict_proba(Xl)[:, 1],
            "monthly_income": INCOME_MARGIN * receipts,
            # receipts / coverage is the debt service due per month over the next 90 days
            "existing_debt_service": (receipts / coverage).where(coverage > 0, 0.0).fillna(0.0),
            "existing_balance": Xl["outstanding_now"].fillna(0.0),
            "purpose": "business",
        },
        index=Xl.index,
    )
    policy = dataclasses.replace(
        jc.limits.PRESETS["microloan_2024_business"], product_cap=200_000.0, refer_pd=0.03, pd_cutoff=0.08
    )
    decisions = jc.limits.assign(applicants, policy)
    section(
        out, f"5. Limits under '{policy.name}' (product cap 200 000, refer above PD 3 %, decline above 8 %)"
    )
    counts = decisions["decision"].value_counts().reindex(["approve", "refer", "decline"], fill_value=0)
    out(", ".join(f"{k}: {v:,}" for k, v in counts.items()))
    approved = decisions[decisions["decision"] == "approve"]
    if len(approved):
        median, top = approved["limit"].median(), approved["limit"].max()
        out(f"approved limits: median {median:,.0f}, max {top:,.0f} CNY")
    out(
        "binding constraint: "
        + ", ".join(f"{k} {v:,}" for k, v in decisions["binding_constraint"].value_counts().items() if v)
    )

    # 6. The explanation owed to applicants (PIPL Art. 24).
    section(out, "6. Reasons for one declined and one referred applicant")
    for kind in ("decline", "refer"):
        who = decisions.index[decisions["decision"] == kind]
        by_score = who[decisions.loc[who, "binding_constraint"] == "pd_cutoff"]
        who = by_score if len(by_score) else who  # prefer a decline the score itself explains
        if len(who) == 0:
            out(f"(no {kind} in this run)")
            continue
        row = who[0]
        d = decisions.loc[row]
        out(
            f"{kind}: borrower {obs.loc[row, 'borrower_id']} on {obs.loc[row, 'as_of']:%Y-%m-%d}, "
            f"score {card.points(X.loc[[row]]).iloc[0]:.0f}, PD {d['pd']:.2%}: {d['reason']}"
        )
        reasons = card.explain(X.loc[[row]], top=3)
        for _, r in reasons.iterrows():
            out(f"   -{r['points_lost']:.0f} pts  {r['reason']}  |  {r['reason_zh']}")

    figures["seconds"] = time.perf_counter() - clock
    out(f"\nfinished in {figures['seconds']:.1f} s")
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--borrowers", type=int, default=6_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    run(args.borrowers, args.seed)


if __name__ == "__main__":
    main()
