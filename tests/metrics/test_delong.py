"""delong_test against a slow O(n^2) reference written from DeLong, DeLong & Clarke-Pearson (1988)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy import special, stats
from sklearn.metrics import roc_auc_score

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError


def slow_delong(y: np.ndarray, a: np.ndarray, b: np.ndarray, level: float = 0.95) -> dict[str, float]:
    """DeLong et al. (1988), section 2, term by term: O(m n) placement values, no ranks.

    Scores are risk orderings (higher = riskier); bads are the paper's X (abnormal), goods its Y.
    """
    bad = y == 1
    m, n = int(bad.sum()), int((~bad).sum())

    def components(s: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        xs, ys = s[bad], s[~bad]
        psi = (xs[:, None] > ys[None, :]) + 0.5 * (xs[:, None] == ys[None, :])  # psi(X_i, Y_j)
        return psi.mean(axis=1), psi.mean(axis=0), float(psi.mean())  # V10(X_i), V01(Y_j), theta

    v10_a, v01_a, theta_a = components(a)
    v10_b, v01_b, theta_b = components(b)
    s10 = np.cov(np.vstack([v10_a, v10_b]))  # divisor m - 1
    s01 = np.cov(np.vstack([v01_a, v01_b]))  # divisor n - 1
    s = s10 / m + s01 / n
    se = float(np.sqrt(s[0, 0] + s[1, 1] - 2.0 * s[0, 1]))
    diff = theta_a - theta_b
    z = diff / se if se > 0 else float("nan")  # undefined: the caller skips such samples
    q = stats.norm.ppf((1 + level) / 2)
    return {"auc_a": theta_a, "auc_b": theta_b, "difference": diff, "se": se, "z": z,
            "p_value": 2 * stats.norm.sf(abs(z)), "ci_lower": diff - q * se, "ci_upper": diff + q * se}


@st.composite
def paired_samples(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Outcomes with at least two of each class and two scores with many ties (small integer grids)."""
    n = draw(st.integers(min_value=4, max_value=60))
    y = np.array(draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n)))
    y[:2], y[2:4] = 1, 0
    grid = draw(st.sampled_from([3, 7, 1000]))
    a = np.array(draw(st.lists(st.integers(0, grid), min_size=n, max_size=n)), dtype=float)
    b = np.array(draw(st.lists(st.integers(0, grid), min_size=n, max_size=n)), dtype=float)
    return y, a, b


@given(paired_samples(), st.sampled_from([0.9, 0.95, 0.99]))
@example((np.array([1, 1, 0, 0]), np.array([2.0, 1.0, 1.0, 0.0]), np.array([1.0, 1.0, 1.0, 1.0])), 0.95)
def test_fast_algorithm_equals_the_slow_reference(sample: tuple[np.ndarray, ...], level: float) -> None:
    y, a, b = sample
    want = slow_delong(y, a, b, level)
    assume(want["se"] > 1e-9)  # se == 0 has its own rule, tested below
    got = jc.metrics.delong_test(y, a, b, higher="riskier", level=level)
    for name, value in want.items():
        assert getattr(got, name) == pytest.approx(value, rel=1e-9, abs=1e-12), name
    assert got.level == level


def test_aucs_equal_sklearn_and_metrics_auc() -> None:
    rng = np.random.default_rng(5)
    y = (rng.random(3000) < 0.15).astype(int)
    a = np.round(rng.normal(size=3000) + y, 1)  # ties
    b = rng.normal(size=3000) + 0.5 * y
    r = jc.metrics.delong_test(y, a, b, higher="riskier")
    assert r.auc_a == pytest.approx(roc_auc_score(y, a), abs=1e-12)
    assert r.auc_b == pytest.approx(jc.metrics.auc(y, b, higher="riskier"), abs=1e-12)
    want = slow_delong(y, a, b)
    assert r.se == pytest.approx(want["se"], rel=1e-9)


def test_hanley_mcneil_rating_example() -> None:
    # Hanley & McNeil (1982), Radiology 143:29-36, Table 1: one radiologist's 5-point ratings of
    # 109 CT images, 58 normal (33, 6, 6, 11, 2 at ratings 1..5) and 51 abnormal (3, 2, 2, 11, 33).
    # The paper gives the Wilcoxon area 0.893 (and SE 0.032 by its own approximation, not DeLong's).
    normal, abnormal = [33, 6, 6, 11, 2], [3, 2, 2, 11, 33]
    rating = np.concatenate([np.repeat(np.arange(1, 6), abnormal), np.repeat(np.arange(1, 6), normal)])
    y = np.r_[np.ones(51), np.zeros(58)]
    r = jc.metrics.delong_test(y, rating.astype(float), np.zeros(109), higher="riskier")
    assert round(r.auc_a, 3) == 0.893
    assert r.auc_b == 0.5  # a constant score: every pair tied
    # The same table as frequency weights: ten rows instead of 109.
    grid = np.r_[np.arange(1, 6), np.arange(1, 6)].astype(float)
    counts = np.r_[abnormal, normal]
    yw = np.r_[np.ones(5), np.zeros(5)]
    w = jc.metrics.delong_test(yw, grid, np.zeros(10), higher="riskier", sample_weight=counts)
    assert (w.auc_a, w.se, w.z) == pytest.approx((r.auc_a, r.se, r.z), rel=1e-12)


ASAH = Path(__file__).parent / "data" / "asah.csv"


@pytest.mark.parametrize(
    ("a", "b", "z", "p_value", "ci_lower", "ci_upper"),
    [
        # pROC 1.19.0.1, tests/testthat/test-roc.test.R, "roc.test statistic and p are as expected
        # with defaults": t1 = roc.test(r.wfns, r.s100b), t2 = (r.wfns, r.ndka), t3 = (r.ndka, r.s100b).
        ("wfns", "s100b", 2.20898359144091, 0.0271757822291882, 0.0104061769564846, 0.174214419249478),
        ("wfns", "ndka", 2.79777591868904, 0.00514557970691098, 0.0634011709339876, 0.3600405634833566),
        ("ndka", "s100b", -1.39077002573558, 0.164295175223054, -0.2876917446341914, 0.0488706064228094),
    ],
)
def test_subarachnoid_haemorrhage_example(
    a: str, b: str, z: float, p_value: float, ci_lower: float, ci_upper: float
) -> None:
    # The case-study data of Robin et al. (2011), "pROC: an open-source package for R and S+ to
    # analyze and compare ROC curves", BMC Bioinformatics 12:77: 113 patients after aneurysmal
    # subarachnoid haemorrhage (Turck et al. 2010, Intensive Care Med 36:107-115), 41 with a poor
    # outcome; the WFNS grade (1-5, heavily tied) and two serum markers, S100B and NDKA, each
    # higher for a poor outcome. tests/metrics/data/asah.csv holds those columns of the data set
    # as pROC ships it. The expected figures are pROC's paired DeLong test (its default
    # method and 95 % level) as its own test suite records them; its AUCs are 0.823678861788618
    # (WFNS), 0.731368563685637 (S100B) and 0.611957994579946 (NDKA), helper-roc-expected.R.
    data = pd.read_csv(ASAH)
    y = (data["outcome"] == "Poor").to_numpy(dtype=float)
    r = jc.metrics.delong_test(y, data[a].to_numpy(float), data[b].to_numpy(float), higher="riskier")
    aucs = {"wfns": 0.823678861788618, "s100b": 0.731368563685637, "ndka": 0.611957994579946}
    assert (r.auc_a, r.auc_b) == pytest.approx((aucs[a], aucs[b]), rel=1e-12)
    got = (r.z, r.p_value, r.ci_lower, r.ci_upper)
    assert got == pytest.approx((z, p_value, ci_lower, ci_upper), rel=1e-10)
    assert r.level == 0.95
    # and the slow term-by-term reference agrees on real, tied data
    slow = slow_delong(y, data[a].to_numpy(float), data[b].to_numpy(float))
    assert r.se == pytest.approx(slow["se"], rel=1e-12)


def test_whole_number_weights_equal_repeated_rows() -> None:
    rng = np.random.default_rng(9)
    n = 300
    y = (rng.random(n) < 0.3).astype(int)
    a = np.round(rng.normal(size=n) + y, 1)
    b = np.round(rng.normal(size=n) + 0.4 * y, 1)
    w = rng.integers(0, 4, n)
    weighted = jc.metrics.delong_test(y, a, b, higher="riskier", sample_weight=w)
    repeated = jc.metrics.delong_test(np.repeat(y, w), np.repeat(a, w), np.repeat(b, w), higher="riskier")
    for name in ("auc_a", "auc_b", "difference", "se", "z", "p_value", "ci_lower", "ci_upper"):
        assert getattr(weighted, name) == pytest.approx(getattr(repeated, name), rel=1e-10, abs=1e-14), name


def test_fractional_weights_are_refused() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"^delong_test: sample_weight must hold whole numbers \(frequency weights: the DeLong variance "
        r"is defined for repeated rows, not for fractional weights\); got 1 value \(0\.5\) at position 1\.",
    ):
        jc.metrics.delong_test([0, 1, 0, 1], [1, 2, 3, 4], [1, 3, 2, 4], higher="riskier",
                               sample_weight=[1, 0.5, 1, 1])


def test_same_ranking_gives_no_difference() -> None:
    rng = np.random.default_rng(3)
    y = (rng.random(200) < 0.3).astype(int)
    a = rng.normal(size=200) + y
    r = jc.metrics.delong_test(y, a, np.exp(a), higher="riskier")  # a monotone transform: same ranks
    assert (r.difference, r.se, r.z, r.p_value) == (0.0, 0.0, 0.0, 1.0)
    assert r.ci_lower == r.ci_upper == 0.0


def test_directions_and_symmetry() -> None:
    rng = np.random.default_rng(4)
    y = (rng.random(500) < 0.25).astype(int)
    pd_ = special.expit(rng.normal(size=500) + y - 1.5)
    points = np.round(600 - 40 * (rng.normal(size=500) + 0.7 * y))
    mixed = jc.metrics.delong_test(y, pd_, points, higher=("riskier", "safer"))
    negated = jc.metrics.delong_test(y, pd_, -points, higher="riskier")
    assert mixed == negated
    swapped = jc.metrics.delong_test(y, points, pd_, higher=["safer", "riskier"])
    assert swapped.difference == pytest.approx(-mixed.difference, abs=1e-15)
    assert swapped.se == pytest.approx(mixed.se, rel=1e-12)
    assert swapped.p_value == pytest.approx(mixed.p_value, rel=1e-12)
    # the interval is the Wald interval around the difference
    q = stats.norm.ppf(0.975)
    assert mixed.ci_upper - mixed.ci_lower == pytest.approx(2 * q * mixed.se, rel=1e-12)


def test_series_are_matched_by_label_not_position() -> None:
    idx = pd.Index(list("abcdef"))
    y = pd.Series([0, 1, 0, 1, 0, 1], index=idx)
    a = pd.Series([0.1, 0.9, 0.2, 0.8, 0.3, 0.7], index=idx)
    with pytest.raises(InvalidInputError, match=r"^delong_test: score_b must have the same index as y"):
        jc.metrics.delong_test(y, a, a[::-1], higher="riskier")


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"y": [0, 1, 0, 0]}, (r"^delong_test: y must hold at least two bads \(1\) and two goods \(0\); "
         r"got 1 bad and 3 goods\. The DeLong variance divides by \(bads - 1\) and \(goods - 1\)\.$")),
        ({"sample_weight": [1, 1, 0, 1]}, (r"^delong_test: y must hold at least two bads \(1\) and two goods "
         r"\(0\) with a positive weight; got 2 bads and 1 good\.")),
        ({"higher": "up"}, r"^delong_test: higher must be one of 'riskier', 'safer'; got 'up'"),
        ({"higher": ("riskier", "up")}, r"^delong_test: higher must be one of 'riskier', 'safer'; got 'up'"),
        ({"level": 1.0}, r"^delong_test: level must be a finite number in \(0, 1\); got 1\.0"),
        ({"level": "95%"}, r"^delong_test: level must be a finite number in \(0, 1\); got '95%'"),
        ({"score_b": [1.0, 2.0, np.nan, 3.0]}, r"^delong_test: score_b must not be missing \(NaN\)"),
        ({"score_b": [1.0, 2.0, 3.0]}, (r"^delong_test: score_b must have one value per row of y "
            r"\(4\); got 3")),
        ({"score_a": ["a", "b", "c", "d"]}, r"^delong_test: score_a must hold real numbers"),
    ],
)
def test_refusals(kwargs: dict[str, object], pattern: str) -> None:
    args: dict[str, object] = {"y": [0, 1, 0, 1], "score_a": [1.0, 2.0, 3.0, 4.0],
                               "score_b": [1.0, 3.0, 2.0, 4.0], "higher": "riskier", **kwargs}
    with pytest.raises(InvalidInputError, match=pattern):
        jc.metrics.delong_test(**args)  # type: ignore[arg-type]


def test_the_direction_is_required() -> None:
    with pytest.raises(TypeError, match=r"missing 1 required keyword-only argument: 'higher'"):
        jc.metrics.delong_test([0, 1, 0, 1], [1, 2, 3, 4], [1, 3, 2, 4])  # type: ignore[call-arg]


def test_result_is_frozen() -> None:
    r = jc.metrics.delong_test([0, 1, 0, 1, 1, 0], [1, 2, 3, 4, 5, 1], [1, 3, 2, 4, 2, 2], higher="riskier")
    assert isinstance(r, jc.metrics.DeLongResult)
    with pytest.raises(AttributeError):
        r.z = 0.0  # type: ignore[misc]
