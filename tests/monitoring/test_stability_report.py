"""stability_report with a fake card (the agreed protocol) and with real fitted binnings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score
from statsmodels.stats.proportion import proportions_ztest

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError, NotFittedError, SchemaError
from jiebei_credit.monitoring import StabilityReport, stability_report


@dataclass(frozen=True)
class FakeBinning:
    """Binning protocol: cuts on a numeric feature plus a missing bin."""

    edges: tuple[float, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        return (*(f"bin{i}" for i in range(len(self.edges) + 1)), "missing")

    def bin_index(self, x: Any) -> np.ndarray:
        arr = np.asarray(x, dtype=float)
        idx = np.searchsorted(self.edges, arr, side="right")
        return np.where(np.isnan(arr), len(self.edges) + 1, idx).astype(np.int64)


@dataclass(frozen=True)
class FakeCard:
    """Scorecard protocol: points fall with utilisation and inquiries."""

    binnings_: Mapping[str, Any] = field(
        default_factory=lambda: {
            "util_now": FakeBinning((0.3, 0.6, 0.9)),
            "inq_count_30d": FakeBinning((1.0, 3.0)),
            "unused": FakeBinning((0.0,)),
        }
    )
    features_: tuple[str, ...] = ("util_now", "inq_count_30d")

    def points(self, X: pd.DataFrame) -> pd.Series:
        util = X["util_now"].fillna(0.5)
        return 700.0 - 120.0 * util - 8.0 * X["inq_count_30d"]


def _population(n: int, *, util_shift: float, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    rng = np.random.default_rng(seed)
    util = np.clip(rng.beta(2, 4, n) + util_shift, 0, 1)
    util[rng.random(n) < 0.03] = np.nan
    inq = rng.poisson(1.2, n).astype(float)
    X = pd.DataFrame({"util_now": util, "inq_count_30d": inq, "region": "x"})
    logit = -3.0 + 2.5 * np.nan_to_num(util, nan=0.5) + 0.3 * inq
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float), index=X.index)
    return X, y


def test_report_without_outcomes_matches_metrics() -> None:
    card = FakeCard()
    X_ref, _ = _population(4000, util_shift=0.0, seed=1)
    X_cur, _ = _population(3000, util_shift=0.15, seed=2)
    report = stability_report(card, X_ref, X_cur)
    assert isinstance(report, StabilityReport)
    expected = jc.metrics.psi(card.points(X_ref), card.points(X_cur), bins=10)
    assert report.score_psi.value == pytest.approx(expected.value, rel=1e-12)
    assert report.score_psi.table.index.tolist() == expected.table.index.tolist()
    assert report.features.index.tolist() == ["util_now", "inq_count_30d"]
    for f in card.features_:
        want = jc.metrics.psi(X_ref[f], X_cur[f], binning=card.binnings_[f])
        assert report.features.loc[f, "csi"] == pytest.approx(want.value, rel=1e-12)
        assert report.features.loc[f, "status"] == want.status
        assert report.feature_psi[f].table.index.tolist() == list(card.binnings_[f].labels)
    assert report.bad_rates is None
    assert report.discrimination is None
    frame = report.to_frame()
    assert frame.columns.tolist() == ["check", "item", "value", "status"]
    assert frame["check"].tolist() == ["score_psi", "csi", "csi"]
    # The shift in utilisation moves the score: it must not look stable.
    assert report.features.loc["util_now", "status"] in {"amber", "red"}
    assert report.features.loc["inq_count_30d", "status"] == "green"
    worst = max(frame["status"], key=["green", "amber", "red"].index)
    assert report.status == worst


def test_bad_rate_shift_matches_statsmodels_ztest() -> None:
    card = FakeCard()
    X_ref, y_ref = _population(5000, util_shift=0.0, seed=3)
    X_cur, y_cur = _population(5000, util_shift=0.0, seed=4)
    y_cur = y_cur.copy()
    y_cur.iloc[:500] = np.nan  # outcomes not yet observed: left out of the bad-rate comparison
    report = stability_report(card, X_ref, X_cur, y_reference=y_ref, y_current=y_cur)
    t = report.bad_rates
    assert t is not None
    assert t.index.tolist() == report.score_psi.table.index.tolist()
    assert t["reference_count"].sum() == 5000
    assert t["current_count"].sum() == 4500
    for _, row in t.iterrows():
        z, p = proportions_ztest(
            [row["current_bads"], row["reference_bads"]],
            [row["current_count"], row["reference_count"]],
        )
        assert row["z"] == pytest.approx(z, rel=1e-9)
        assert row["p_value"] == pytest.approx(p, rel=1e-9)
        expected_status = "red" if p < 0.01 else "amber" if p < 0.05 else "green"
        assert row["status"] == expected_status
        assert row["change"] == pytest.approx(row["current_bad_rate"] - row["reference_bad_rate"])
    d = report.discrimination
    assert d is not None
    seen = y_cur.notna()
    auc_cur = roc_auc_score(y_cur[seen], -card.points(X_cur)[seen])  # higher score = safer
    assert d.loc["current", "auc"] == pytest.approx(auc_cur, abs=1e-12)
    assert d.loc["reference", "gini"] == pytest.approx(2 * d.loc["reference", "auc"] - 1)
    assert d.loc["current", "count"] == 4500
    assert report.to_frame()["check"].tolist().count("bad_rate") == len(t)


def test_hand_built_band_shift_is_red() -> None:
    # One band only (bins=1): reference 100 rows with 10 bads, current 100 rows with 30 bads.
    # Pooled rate .2; z = (.3 − .1) / sqrt(.2·.8·(2/100)) = 3.5355; two-sided p = 4.07e-4.
    card = FakeCard(features_=("util_now",))
    X = pd.DataFrame({"util_now": np.full(100, 0.5), "inq_count_30d": 0.0})
    y_ref = np.r_[np.ones(10), np.zeros(90)]
    y_cur = np.r_[np.ones(30), np.zeros(70)]
    report = stability_report(card, X, X, y_reference=y_ref, y_current=y_cur, bins=1)
    row = report.bad_rates.iloc[0]  # type: ignore[union-attr]
    assert row["z"] == pytest.approx(0.2 / np.sqrt(0.2 * 0.8 * 0.02))
    assert row["p_value"] == pytest.approx(4.07e-4, rel=1e-2)
    assert row["status"] == "red"
    assert report.score_psi.value == 0.0
    assert report.status == "red"


def test_with_real_fitted_binnings() -> None:
    X_ref, y_ref = _population(3000, util_shift=0.0, seed=5)
    X_cur, _ = _population(3000, util_shift=0.2, seed=6)
    binnings = {
        f: jc.scorecard.bin_feature(X_ref[f], y_ref, binning=jc.scorecard.BinningParams(max_bins=5))
        for f in ("util_now", "inq_count_30d")
    }
    card = FakeCard(binnings_=binnings)
    report = stability_report(card, X_ref, X_cur)
    for f, b in binnings.items():
        assert report.feature_psi[f].table.index.tolist() == list(b.labels)
        assert report.feature_psi[f].table["reference_count"].sum() == len(X_ref)
        assert report.features.loc[f, "csi"] == pytest.approx(
            jc.metrics.psi(X_ref[f], X_cur[f], binning=b).value
        )
    assert report.features.loc["util_now", "csi"] > report.features.loc["inq_count_30d", "csi"]


def test_errors() -> None:
    card = FakeCard()
    X, y = _population(200, util_shift=0.0, seed=7)
    with pytest.raises(
        SchemaError,
        match=r"stability_report: 1 schema problem:\n "
        r" X_current.inq_count_30d: missing",
    ):
        stability_report(card, X, X.drop(columns="inq_count_30d"))
    with pytest.raises(
        NotFittedError,
        match=r"stability_report: card has no"
        r" features_/binnings_ \(is it fitted\?\)",
    ):
        stability_report(object(), X, X)  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInputError,
        match=r"stability_report: y_current must be given with y_reference; got None\. Pass both "
        r"y_reference and y_current",
    ):
        stability_report(card, X, X, y_reference=y)
    with pytest.raises(
        InvalidInputError,
        match=r"stability_report: y_current must have one value per row of X_current \(200\); got"
        r" 199 values\.",
    ):
        stability_report(card, X, X, y_reference=y, y_current=y.iloc[1:].to_numpy())
    with pytest.raises(
        InvalidInputError,
        match=r"y_reference must hold 1 \(bad\), 0"
        r" \(good\) or NaN",
    ):
        stability_report(card, X, X, y_reference=y * 2, y_current=y)
    with pytest.raises(InvalidInputError, match=r"bad_rate_alpha must be a pair \(amber, red\)"):
        stability_report(card, X, X, bad_rate_alpha=(0.01, 0.05))
    with pytest.raises(
        InvalidInputError, match=r"stability_report: X_current must be a pandas DataFrame; got a Series\."
    ):
        stability_report(card, X, X["util_now"])  # type: ignore[arg-type]
    broken = FakeCard(binnings_={"util_now": FakeBinning((0.5,))})
    with pytest.raises(
        InvalidInputError,
        match=r"stability_report: card.binnings_ must hold a binning for every feature in card.features_;"
        r" got none for \['inq_count_30d'\]\.",
    ):
        stability_report(broken, X, X)

    class NaNCard(FakeCard):
        def points(self, X: pd.DataFrame) -> pd.Series:
            return X["util_now"]  # has NaN

    with pytest.raises(
        InvalidInputError,
        match=r"stability_report: card.points\(X_reference\) must not be missing"
        r" \(NaN\); got \d+ values \(nan, .*\) at rows",
    ):
        stability_report(NaNCard(), X, X)


def test_inputs_not_mutated() -> None:
    X_ref, y_ref = _population(500, util_shift=0.0, seed=8)
    X_cur, y_cur = _population(500, util_shift=0.1, seed=9)
    copies = [obj.copy() for obj in (X_ref, y_ref, X_cur, y_cur)]
    stability_report(FakeCard(), X_ref, X_cur, y_reference=y_ref, y_current=y_cur)
    for before, after in zip(copies, (X_ref, y_ref, X_cur, y_cur), strict=True):
        if isinstance(before, pd.DataFrame):
            pd.testing.assert_frame_equal(before, after)
        else:
            pd.testing.assert_series_equal(before, after)


def test_with_a_real_fitted_scorecard() -> None:
    X_dev, y_dev = _population(4000, util_shift=0.0, seed=10)
    X_dev = X_dev.drop(columns="region")
    card = jc.scorecard.Scorecard().fit(X_dev, y_dev)
    # Same population on both sides: every index is 0 and every light green.
    same = stability_report(card, X_dev, X_dev, y_reference=y_dev, y_current=y_dev)
    assert same.score_psi.value == 0.0
    assert (same.features["csi"] == 0.0).all()
    assert same.bad_rates is not None
    assert (same.bad_rates["change"] == 0.0).all()
    assert same.status == "green"
    assert same.features.index.tolist() == list(card.features_)
    # A drifted population: each CSI is the PSI over the card's own bins.
    X_now, _ = _population(3000, util_shift=0.2, seed=11)
    report = stability_report(card, X_dev, X_now.drop(columns="region"))
    for f in card.features_:
        want = jc.metrics.psi(X_dev[f], X_now[f], binning=card.binnings_[f])
        assert report.features.loc[f, "csi"] == pytest.approx(want.value, rel=1e-12)
    want = jc.metrics.psi(card.points(X_dev), card.points(X_now.drop(columns="region")))
    assert report.score_psi.value == pytest.approx(want.value, rel=1e-12)


def test_unfitted_real_scorecard_is_reported() -> None:
    X, _ = _population(100, util_shift=0.0, seed=12)
    with pytest.raises(NotFittedError, match=r"stability_report: card has no features_/binnings_"):
        stability_report(jc.scorecard.Scorecard(), X, X)
