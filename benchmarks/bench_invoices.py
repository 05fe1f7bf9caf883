"""What do VAT invoices add? Scorecards with and without the invoices family, out of time.

On a synthetic portfolio with invoices (``SimulationConfig(vat_invoices=True)``)
the true PD of every observation is known, so the contribution of the new
data dimension can be measured against the truth as well as against the
realised outcomes.

Per seed:

1. simulate ``N_BORROWERS`` borrowers over ``[START, END)`` (three years)
   with VAT invoices;
2. observe every borrower at the development dates ``TRAIN_AS_OF`` and at
   the later holdout date ``TEST_AS_OF`` (out of time: the holdout outcome
   window starts after the development ones); extract every built-in
   family (``features.extract``), the 12-month 90+ DPD outcome
   (``features.outcomes``) and the true 12-month PD (``Truth.pd_for``);
   observations whose outcome is not observed are left out;
3. for each scenario (``SCENARIOS``: the whole book; only the observations
   not past due at ``as_of``; an applicant view without the lender's own
   credit history), fit two cards with the same settings (``CARD``):
   *without* on the scenario's features, *with* on the same plus the
   invoices family;
4. score the holdout: AUC against the realised outcomes; expected AUC
   against the true PD (each observation a bad with weight PD and a good
   with weight 1 − PD); Spearman rank correlation of the predicted PD with
   the true PD; and how many invoice features the *with* card kept.

Nothing is tuned on the holdout. ``--cost`` also times the generator on
100 000 borrowers over two years, with and without invoices (the
``bench_synthetic`` set-up).

Run: ``python -m benchmarks.bench_invoices [--quick] [--cost] [--output FILE]``
(default output ``benchmarks/results/invoices.txt``; ``--quick``: one seed,
5 000 borrowers, no file unless ``--output``). The default, 10 000 borrowers
and three seeds, takes about 3 to 5 minutes.
"""

from __future__ import annotations

import argparse
import io
import os
import time
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

import jiebei_credit as jc
from jiebei_credit.scorecard import BinningParams, Scorecard

N_BORROWERS = 10_000
SEEDS = (1, 2, 3)
START, END = "2022-01-01", "2025-01-01"
TRAIN_AS_OF = (pd.Timestamp("2022-10-01"), pd.Timestamp("2023-01-01"), pd.Timestamp("2023-04-01"))
TEST_AS_OF = pd.Timestamp("2023-10-01")
HORIZON = 365
CARD: dict[str, Any] = {"binning": BinningParams(max_bins=6), "min_iv": 0.02, "max_correlation": 0.7}
DEFAULT_OUTPUT = os.path.join(os.path.dirname(__file__), "results", "invoices.txt")


def _observations(ids: pd.Series, dates: tuple[pd.Timestamp, ...]) -> pd.DataFrame:
    return pd.DataFrame({"borrower_id": np.tile(ids.to_numpy(), len(dates)),
                         "as_of": np.repeat(np.array(dates, dtype="datetime64[ns]"), len(ids))})


def data(n: int, seed: int) -> dict[str, Any]:
    """Development and holdout features, outcomes and true PDs of one simulated portfolio."""
    p = jc.synthetic.simulate_portfolio(n, start=START, end=END, seed=seed,
                                        config=jc.synthetic.SimulationConfig(vat_invoices=True))
    ids = p.records.borrowers["borrower_id"]
    out: dict[str, Any] = {"invoices": len(p.records["vat_invoices"])}
    for part, dates in (("train", TRAIN_AS_OF), ("test", (TEST_AS_OF,))):
        obs = _observations(ids, dates)
        X = jc.features.extract(p.records, obs)
        y = jc.features.outcomes(p.records, obs, horizon_days=HORIZON, min_dpd=90, observed_until=END)
        keep = y.notna()
        out[part] = (X[keep], y[keep].astype(np.int64), p.truth.pd_for(obs, horizon_days=HORIZON)[keep])
    return out


def evaluate(card: Scorecard, X: pd.DataFrame, y: pd.Series, true_pd: pd.Series) -> dict[str, float]:
    pd_hat = card.predict_proba(X)[:, 1]
    t = true_pd.to_numpy(dtype=np.float64)
    both = np.concatenate([np.ones_like(t), np.zeros_like(t)])
    return {
        "auc": jc.metrics.auc(y.to_numpy(), pd_hat, higher="riskier"),
        "auc_true": jc.metrics.auc(both, np.concatenate([pd_hat, pd_hat]), higher="riskier",
                                   sample_weight=np.concatenate([t, 1.0 - t])),
        "spearman": float(stats.spearmanr(pd_hat, t).statistic),
    }


#: Scenarios: (name, families of the base card, observations kept). The invoices card adds the
#: invoices family to the same base.
SCENARIOS: tuple[tuple[str, tuple[str, ...] | None, str], ...] = (
    ("book", None, "all"),  # every built-in family, every observation
    ("performing", None, "performing"),  # the same, borrowers not past due at as_of (dpd_now == 0)
    ("applicant", ("profile", "zhima", "inquiries", "cashflow"), "all"),  # no credit history with the lender
)


def run_seed(n: int, seed: int) -> list[dict[str, Any]]:
    d = data(n, seed)
    X_tr, y_tr, _ = d["train"]
    X_te, y_te, pd_te = d["test"]
    family = {c: jc.features.CATALOG[c].family for c in X_tr.columns}
    invoice_cols = [c for c in X_tr.columns if family[c] == "invoices"]
    rows = []
    for scenario, families, population in SCENARIOS:
        base = [c for c in X_tr.columns
                if family[c] != "invoices" and (families is None or family[c] in families)]
        tr = (X_tr["dpd_now"] == 0).to_numpy() if population == "performing" else np.ones(len(y_tr), bool)
        te = (X_te["dpd_now"] == 0).to_numpy() if population == "performing" else np.ones(len(y_te), bool)
        for name, cols in (("without", base), ("with", base + invoice_cols)):
            t0 = time.perf_counter()
            card = Scorecard(**CARD).fit(X_tr.loc[tr, cols], y_tr[tr])
            kept = [f for f in card.features_ if f in invoice_cols]
            rows.append({"seed": seed, "scenario": scenario, "card": name, "features": len(card.features_),
                         "invoice_features": len(kept), "kept": kept, "fit_s": time.perf_counter() - t0,
                         "n_train": int(tr.sum()), "bad_train": float(y_tr[tr].mean()),
                         "n_test": int(te.sum()),
                         "bad_test": float(y_te[te].mean()), "invoices": d["invoices"],
                         **evaluate(card, X_te.loc[te, cols], y_te[te], pd_te[te])})
    return rows


def generator_cost(n: int = 100_000) -> str:
    lines = [f"Generator cost, {n:,} borrowers, 2023-01-01 to 2025-01-01 (wall / CPU seconds, best of one):"]
    for flag in (False, True):
        cfg = jc.synthetic.SimulationConfig(vat_invoices=flag)
        t0, c0 = time.perf_counter(), time.process_time()
        p = jc.synthetic.simulate_portfolio(n, start="2023-01-01", end="2025-01-01", seed=0, config=cfg)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        rows = sum(len(p.records[t]) for t in p.records.tables)
        extra = f", vat_invoices {len(p.records['vat_invoices']):,} rows" if flag else ""
        lines.append(f"  vat_invoices={flag!s:5}  wall {wall:6.1f} s  cpu {cpu:6.1f} s  rows {rows:,}{extra}")
        del p
    return "\n".join(lines)


def report(rows: list[dict[str, Any]], n: int, elapsed: float) -> str:
    buf = io.StringIO()
    w = buf.write
    w("VAT invoices: holdout performance of scorecards with and without the invoices family\n")
    w(f"{n:,} borrowers, {START} to {END}; train as_of {', '.join(str(d.date()) for d in TRAIN_AS_OF)}; "
      f"out-of-time holdout as_of {TEST_AS_OF.date()}; outcome 90+ DPD within {HORIZON} days.\n")
    w(f"Card settings (all cards): {CARD}. Seeds {sorted({r['seed'] for r in rows})}.\n")
    w("Scenarios: book = every built-in family, all observations; performing = the same, only\n"
      "observations not past due at as_of (dpd_now == 0); applicant = profile, zhima, inquiries and\n"
      "cashflow only (no credit history with the lender). 'with' adds the invoices family to the base.\n\n")
    w(f"{'seed':>4}  {'scenario':<10} {'card':<7} {'feat':>4} {'inv':>3}  {'AUC':>6}  "
      f"{'AUC vs true PD':>14}  "
      f"{'Spearman(PD, true PD)':>21}  {'n test':>7} {'bad %':>6}\n")
    for r in rows:
        w(f"{r['seed']:>4}  {r['scenario']:<10} {r['card']:<7} {r['features']:>4} "
          f"{r['invoice_features']:>3}  "
          f"{r['auc']:.4f}  {r['auc_true']:>14.4f}  {r['spearman']:>21.4f}  {r['n_test']:>7,} "
          f"{100 * r['bad_test']:>5.2f}\n")
    frame = pd.DataFrame(rows)
    w("\nMean over seeds, and the difference with - without (its range over seeds):\n")
    for scenario, _, _ in SCENARIOS:
        sub = frame[frame["scenario"] == scenario]
        w(f"  {scenario}:\n")
        for metric, label in (("auc", "AUC vs outcomes"), ("auc_true", "expected AUC vs true PD"),
                              ("spearman", "Spearman with true PD")):
            piv = sub.pivot(index="seed", columns="card", values=metric)
            diff = piv["with"] - piv["without"]
            w(f"    {label:<24} without {piv['without'].mean():.4f}  with {piv['with'].mean():.4f}  "
              f"diff {diff.mean():+.4f} (min {diff.min():+.4f}, max {diff.max():+.4f})\n")
    with_rows = frame[frame["card"] == "with"]
    w("\nInvoice features kept by the 'with' cards:\n")
    for r in with_rows.itertuples():
        w(f"  seed {r.seed} {r.scenario}: {', '.join(r.kept) or '(none)'}\n")
    book = with_rows[with_rows["scenario"] == "book"]
    w(f"\nInvoices per portfolio: {', '.join(f'{v:,}' for v in book['invoices'])}; "
      f"development observations {int(book['n_train'].iloc[0]):,} "
      f"(bad {100 * book['bad_train'].mean():.2f} %).\n")
    w(f"Elapsed {elapsed:.0f} s.\n")
    return buf.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one seed, 5 000 borrowers")
    parser.add_argument("--cost", action="store_true", help="also time the generator on 100 000 borrowers")
    parser.add_argument("--output", default=None, help=f"report file (default {DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)
    n, seeds = (5_000, SEEDS[:1]) if args.quick else (N_BORROWERS, SEEDS)
    t0 = time.perf_counter()
    rows = [r for seed in seeds for r in run_seed(n, seed)]
    text = report(rows, n, time.perf_counter() - t0)
    if args.cost:
        text += "\n" + generator_cost() + "\n"
    print(text, end="")
    output = args.output if args.output is not None else (None if args.quick else DEFAULT_OUTPUT)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
