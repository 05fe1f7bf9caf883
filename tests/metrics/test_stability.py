"""PSI and CSI: hand computations, scipy's entropy, properties, binnings and categories."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError, SchemaError
from tests.strategies import stability_samples


@dataclass(frozen=True)
class FakeBinning:
    """Implements the binning protocol: numeric cuts plus a last bin for missing values."""

    edges: tuple[float, ...]

    @property
    def labels(self) -> tuple[str, ...]:
        cuts = ("-inf", *map(str, self.edges), "inf")
        return (*(f"{a}..{b}" for a, b in itertools.pairwise(cuts)), "Missing")

    def bin_index(self, x: Any) -> np.ndarray:
        arr = np.asarray(x, dtype=float)
        idx = np.searchsorted(self.edges, arr, side="right")
        return np.where(np.isnan(arr), len(self.edges) + 1, idx).astype(np.int64)


def test_hand_computed_psi_without_smoothing() -> None:
    # Bins [-inf,2), [2,3), [3,inf): expected counts 1,1,2 (shares .25,.25,.5),
    # actual 2,1,1 (.5,.25,.25). PSI = .25·ln 2 + 0 + (−.25)·ln .5 = 0.5·ln 2.
    r = jc.metrics.psi([1, 2, 3, 4], [1, 1, 2, 4], edges=[2, 3], smoothing=0)
    assert r.value == pytest.approx(0.5 * np.log(2), abs=1e-15)
    assert r.status == "red"
    assert r.table["reference_count"].tolist() == [1, 1, 2]
    assert r.table["current_count"].tolist() == [2, 1, 1]
    assert r.table["psi"].sum() == pytest.approx(r.value)
    assert r.empty_bins == ()


def test_smoothed_psi_equals_symmetrised_kl_divergence_from_scipy() -> None:
    rng = np.random.default_rng(3)
    expected = rng.normal(0, 1, 5000)
    actual = rng.normal(0.3, 1.2, 3000)
    r = jc.metrics.psi(expected, actual, bins=10, smoothing=0.5)
    e = r.table["reference_count"].to_numpy() + 0.5
    a = r.table["current_count"].to_numpy() + 0.5
    p, q = e / e.sum(), a / a.sum()
    # PSI = Σ (q − p) ln(q/p) = KL(q‖p) + KL(p‖q); scipy.stats.entropy(q, p) is KL(q‖p).
    assert r.value == pytest.approx(stats.entropy(q, p) + stats.entropy(p, q), rel=1e-12)
    assert r.table["reference_count"].sum() == 5000
    assert len(r.table) == 10


@given(stability_samples, stability_samples)
def test_psi_is_non_negative(expected: np.ndarray, actual: np.ndarray) -> None:
    r = jc.metrics.psi(expected, actual)
    assert r.value >= 0.0
    assert (r.table["psi"] >= 0.0).all()
    assert r.table["reference_count"].sum() == expected.size
    assert r.table["current_count"].sum() == actual.size


@given(stability_samples, st.randoms(use_true_random=False))
def test_psi_is_zero_on_identical_samples(sample: np.ndarray, rnd: Any) -> None:
    shuffled = sample.copy()
    rnd.shuffle(shuffled)
    assert jc.metrics.psi(sample, sample).value == 0.0
    assert jc.metrics.psi(sample, shuffled).value == pytest.approx(0.0, abs=1e-15)


@given(stability_samples, stability_samples)
def test_psi_with_fixed_edges_is_symmetric(a: np.ndarray, b: np.ndarray) -> None:
    # With the same bins for both, the formula is symmetric in (expected, actual).
    edges = [-10.0, 0.0, 2.5, 100.0]
    assert jc.metrics.psi(a, b, edges=edges).value == pytest.approx(
        jc.metrics.psi(b, a, edges=edges).value, rel=1e-12, abs=1e-15
    )


@given(stability_samples, stability_samples, st.sampled_from([0.25, 0.5, 2.0, 1024.0]))
def test_quantile_psi_is_scale_invariant(a: np.ndarray, b: np.ndarray, c: float) -> None:
    # Quantile bins follow the reference, so rescaling both samples changes nothing
    # (powers of two scale floats exactly, so no ties are created or broken).
    assert jc.metrics.psi(a * c, b * c).value == pytest.approx(
        jc.metrics.psi(a, b).value, rel=1e-9, abs=1e-12
    )


def test_empty_bins_are_smoothed_and_reported_never_dropped() -> None:
    r = jc.metrics.psi([1.0, 1.5, 5.0], [5.0, 6.0, 7.0], edges=[2, 4])
    assert r.table.index.tolist() == ["[-inf, 2)", "[2, 4)", "[4, inf)"]
    assert r.table["empty"].tolist() == [True, True, False]
    assert r.empty_bins == ("[-inf, 2)", "[2, 4)")
    # Hand: k = 3, α = .5: expected (2.5, .5, 1.5)/4.5, actual (.5, .5, 3.5)/4.5.
    p = np.array([2.5, 0.5, 1.5]) / 4.5
    q = np.array([0.5, 0.5, 3.5]) / 4.5
    assert r.value == pytest.approx(float(np.sum((q - p) * np.log(q / p))))
    with pytest.raises(
        InvalidInputError,
        match=r"psi: smoothing must be > 0 when a bin is empty in one sample only \(the unsmoothed PSI "
        r"is infinite\); got 0 with bins \['\[-inf, 2\)'\] empty on one side\.",
    ):
        jc.metrics.psi([1.0, 1.5, 5.0], [5.0, 6.0, 7.0], edges=[2, 4], smoothing=0)


def test_unseen_categories_get_their_own_bin() -> None:
    expected = pd.Series(["a", "a", "b", "b"], dtype="str")
    actual = pd.Series(["a", "b", "c", "c"], dtype="category")
    r = jc.metrics.psi(expected, actual)
    assert r.table.index.tolist() == ["a", "b", "c"]
    assert r.table["reference_count"].tolist() == [2, 2, 0]
    assert r.table["current_count"].tolist() == [1, 1, 2]
    assert r.empty_bins == ("c",)
    assert r.value > 0.25


def test_missing_values_raise_or_get_a_bin() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"psi: current must not be missing \(NaN\); got 1 value \(nan\) at"
        r" position 1\. .*missing='bin'",
    ):
        jc.metrics.psi([1.0, 2.0], [1.0, np.nan])
    r = jc.metrics.psi([1.0, 2.0, 3.0, np.nan], [1.0, np.nan, np.nan, 3.0], bins=2, missing="bin")
    assert r.table.index[-1] == "missing"
    assert r.table.loc["missing", "reference_count"] == 1
    assert r.table.loc["missing", "current_count"] == 2
    cats = jc.metrics.psi(["a", None, "b"], ["a", "a", None], missing="bin")
    assert cats.table.loc["missing"].tolist()[:2] == [1, 1]


def test_psi_with_a_binning_uses_its_bins() -> None:
    binning = FakeBinning(edges=(0.3, 0.7))
    expected = pd.Series([0.1, 0.2, 0.5, 0.9, np.nan])
    actual = pd.Series([0.8, 0.9, 0.95, np.nan, np.nan])
    r = jc.metrics.psi(expected, actual, binning=binning)
    # By hand with cuts 0.3, 0.7: expected 0.1, 0.2 | 0.5 | 0.9 | NaN; actual — | — | 0.8,
    # 0.9, 0.95 | NaN, NaN.
    assert r.table.index.tolist() == list(binning.labels)
    assert r.table["reference_count"].tolist() == [2, 1, 1, 1]
    assert r.table["current_count"].tolist() == [0, 0, 3, 2]
    assert r.empty_bins == binning.labels[:2]


def test_status_thresholds() -> None:
    # DOMAIN.md: < 0.1 stable (green), 0.1–0.25 investigate (amber), > 0.25 major (red).
    assert jc.metrics.psi_status(0.0999) == "green"
    assert jc.metrics.psi_status(0.1) == "amber"
    assert jc.metrics.psi_status(0.25) == "amber"
    assert jc.metrics.psi_status(0.2501) == "red"
    assert jc.metrics.psi_status(0.15, thresholds=(0.2, 0.3)) == "green"
    with pytest.raises(InvalidInputError, match=r"thresholds must be a pair \(amber, red\)"):
        jc.metrics.psi_status(0.1, thresholds=(0.3, 0.2))


def test_csi_per_feature_with_and_without_binnings() -> None:
    ref = pd.DataFrame(
        {
            "util_now": [0.1, 0.2, 0.5, 0.9, np.nan, 0.4],
            "region": ["a", "a", "b", "b", "a", "b"],
            "dpd_now": [0, 0, 0, 5, 0, 0],
        }
    )
    cur = pd.DataFrame(
        {
            "util_now": [0.8, 0.9, 0.95, np.nan, np.nan, 0.4],
            "region": ["a", "b", "c", "c", "a", "b"],
            "dpd_now": [0, 0, 0, 5, 0, 0],
        }
    )
    out = jc.metrics.csi(ref, cur, binnings={"util_now": FakeBinning(edges=(0.3, 0.7))})
    assert out.index.tolist() == ["util_now", "region", "dpd_now"]
    assert out["method"].tolist() == ["binning", "category", "quantile"]
    # Each CSI equals psi() on the same column and bins.
    expected_util = jc.metrics.psi(ref["util_now"], cur["util_now"], binning=FakeBinning((0.3, 0.7)))
    assert out.loc["util_now", "csi"] == pytest.approx(expected_util.value)
    assert out.loc["region", "csi"] == pytest.approx(jc.metrics.psi(ref["region"], cur["region"]).value)
    assert out.loc["dpd_now", "csi"] == 0.0
    assert out.loc["dpd_now", "status"] == "green"
    assert out.loc["region", "empty_bins"] == 1
    assert out.loc["util_now", "bins"] == 4


def test_csi_keeps_non_string_column_labels() -> None:
    # integer labels (a frame built from a numpy array) are looked up as they are
    ref = pd.DataFrame({0: [0.1, 0.2, 0.5, 0.9], 1: [1.0, 2.0, 3.0, 4.0]})
    table = jc.metrics.csi(ref, ref, bins=2)
    assert list(table.index) == [0, 1]
    assert (table["csi"] == 0.0).all()  # identical samples: PSI is exactly 0


def test_csi_missing_columns_raise_schema_error() -> None:
    ref = pd.DataFrame({"a": [1.0, 2.0], "b": [1.0, 2.0]})
    cur = pd.DataFrame({"a": [1.0, 2.0]})
    with pytest.raises(
        SchemaError,
        match=r"csi: 1 schema problem:\n  X_current.b:"
        r" missing feature column",
    ):
        jc.metrics.csi(ref, cur)
    with pytest.raises(
        InvalidInputError,
        match=r"csi: X_current must be a pandas"
        r" DataFrame; got a list",
    ):
        jc.metrics.csi(ref, [1, 2])  # type: ignore[arg-type]


def test_psi_rejects_bad_parameters() -> None:
    with pytest.raises(InvalidInputError, match=r"psi: reference must not be empty; got 0 values\. Pass at"):
        jc.metrics.psi([], [1.0])
    with pytest.raises(
        InvalidInputError,
        match=r"psi: smoothing must be a finite number"
        r" >= 0; got -1\.",
    ):
        jc.metrics.psi([1.0], [1.0], smoothing=-1)
    with pytest.raises(
        InvalidInputError,
        match=r"psi: missing must be one of 'raise',"
        r" 'bin'; got 'drop'",
    ):
        jc.metrics.psi([1.0], [1.0], missing="drop")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"psi: current must be finite; got 1 value \(inf\)"):
        jc.metrics.psi([1.0], [np.inf])
    with pytest.raises(InvalidInputError, match=r"psi: edges must not be given with binning; .*Pass either"):
        jc.metrics.psi([1.0], [1.0], edges=[1], binning=FakeBinning((1.0,)))
    with pytest.raises(InvalidInputError, match=r"psi: edges needs numeric samples; got categories"):
        jc.metrics.psi(["a"], ["b"], edges=[1])


def test_inconsistent_binning_is_reported() -> None:
    class Broken(FakeBinning):
        def bin_index(self, x: Any) -> np.ndarray:
            return np.full(len(x), 99, dtype=np.int64)

    with pytest.raises(
        InvalidInputError,
        match=r"psi: binning must return bin numbers in 0\.\.2 \(one per label\) from bin_index; got 1 "
        r"value \(99\) at position 0 for reference\.",
    ):
        jc.metrics.psi([1.0], [2.0], binning=Broken(edges=(1.0,)))


def test_inputs_not_mutated() -> None:
    ref = pd.DataFrame({"x": [3.0, 1.0, np.nan, 2.0], "c": ["b", "a", None, "a"]})
    cur = pd.DataFrame({"x": [1.0, 5.0, 2.0, 2.0], "c": ["a", "z", "b", "a"]})
    before = (ref.copy(), cur.copy())
    jc.metrics.csi(ref, cur)
    jc.metrics.psi(ref["x"], cur["x"], missing="bin")
    pd.testing.assert_frame_equal(ref, before[0])
    pd.testing.assert_frame_equal(cur, before[1])


def test_messages_name_series_rows_by_label() -> None:
    actual = pd.Series([1.0, np.nan, np.inf], index=["u1", "u2", "u3"])
    with pytest.raises(
        InvalidInputError, match=r"psi: current must be finite; got 1 value \(inf\) at row 'u3'"
    ):
        jc.metrics.psi([1.0, 2.0], actual, missing="bin")
    with pytest.raises(
        InvalidInputError,
        match=r"psi: current must not be missing \(NaN\); got 1 value \(nan\) at row 'u2'",
    ):
        jc.metrics.psi([1.0, 2.0], actual.iloc[:2])
