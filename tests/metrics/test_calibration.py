"""Calibration tests against scipy, scikit-learn, numerical integration and a published table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, stats
from sklearn.metrics import brier_score_loss

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError
from tests.strategies import probability_samples

grade_counts = st.integers(1, 200).flatmap(
    lambda n: st.tuples(st.integers(0, n), st.just(n), st.floats(0.0, 1.0, allow_nan=False))
)


@given(grade_counts, st.sampled_from(["greater", "less"]))
def test_binomial_test_equals_scipy_binomtest(case: tuple[int, int, float], alternative: str) -> None:
    d, n, p = case
    expected = stats.binomtest(d, n, p, alternative=alternative).pvalue
    value = jc.metrics.binomial_test(d, n, p, alternative=alternative)  # type: ignore[arg-type]
    assert isinstance(value, float)
    assert value == pytest.approx(expected, rel=1e-9, abs=1e-15)


def test_binomial_test_hand_values() -> None:
    # P(X >= 2 | N = 2, PD = 0.1) = 0.1² = 0.01; P(X >= 0) = 1; P(X <= 0 | N = 3, PD = .5) = 1/8.
    assert jc.metrics.binomial_test(2, 2, 0.1) == pytest.approx(0.01)
    assert jc.metrics.binomial_test(0, 10, 0.3) == 1.0
    assert jc.metrics.binomial_test(0, 3, 0.5, alternative="less") == pytest.approx(0.125)


def test_scalar_in_float_out_array_in_array_out() -> None:
    assert isinstance(jc.metrics.jeffreys_test(1, 10, 0.1), float)
    out = jc.metrics.jeffreys_test([1, 2], [10, 10], 0.1)
    assert isinstance(out, np.ndarray)
    assert out.shape == (2,)
    out = jc.metrics.binomial_test(np.array([1]), 10, 0.1)
    assert isinstance(out, np.ndarray)
    assert out.shape == (1,)


def _jeffreys_by_integration(d: int, n: int, p: float) -> float:
    # Posterior Beta(d + ½, n − d + ½): P(rate <= p) = ∫_0^p x^(d−½) (1−x)^(n−d−½) dx / B.
    # Substituting x = t² removes the x^(−½) singularity at 0; B from math.lgamma.
    a, b = d + 0.5, n - d + 0.5
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    value, _ = integrate.quad(
        lambda t: 2.0 * math.exp(2 * d * math.log(t) + (b - 1.0) * math.log1p(-t * t) - log_beta)
        if t > 0
        else 0.0,
        0.0,
        math.sqrt(p),
        limit=200,
        epsabs=1e-13,
    )
    return value


@given(
    st.integers(1, 150).flatmap(
        lambda n: st.tuples(st.integers(0, n - 1), st.just(n), st.floats(0.001, 0.9))
    )
)
def test_jeffreys_test_equals_numerical_integration(case: tuple[int, int, float]) -> None:
    d, n, p = case
    assert jc.metrics.jeffreys_test(d, n, p) == pytest.approx(
        _jeffreys_by_integration(d, n, p), abs=1e-8
    )


def test_jeffreys_is_the_ecb_formula() -> None:
    # ECB (2019): p-value = Beta(D + ½, N − D + ½) CDF at the grade's PD.
    assert jc.metrics.jeffreys_test(7, 250, 0.02) == pytest.approx(
        stats.beta(7.5, 243.5).cdf(0.02), rel=1e-12
    )


def _rows(
    counts: list[int], defaults: list[int], pds: list[float], names: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y: list[int] = []
    p: list[float] = []
    g: list[str] = []
    for n, d, pd_, name in zip(counts, defaults, pds, names, strict=True):
        y += [1] * d + [0] * (n - d)
        p += [pd_] * n
        g += [name] * n
    return np.array(y), np.array(p), np.array(g)


def test_hosmer_lemeshow_matches_published_example() -> None:
    # Djurovic, A., "Hosmer-Lemeshow vs Z-score test on portfolio level", andrija-djurovic.github.io
    # /adsfcr: 5 grades, chi-square with G = 5 degrees of freedom, published p-value 2.70 %; with
    # PDs of grades 3 and 4 lowered to their ODR, 7.53 %. The page prints PDs to 4 decimals,
    # hence the tolerance of 5e-4 on the p-value.
    counts, defaults = [47, 95, 68, 53, 37], [3, 20, 17, 24, 28]
    names = ["RG1", "RG2", "RG3", "RG4", "RG5"]
    y, p, g = _rows(counts, defaults, [0.0307, 0.1161, 0.2907, 0.5514, 0.7648], names)
    r = jc.metrics.hosmer_lemeshow(y, p, grades=g)
    assert r.dof == 5
    assert r.p_value == pytest.approx(0.0270, abs=5e-4)
    y, p, g = _rows(counts, defaults, [0.0307, 0.1161, 0.2500, 0.4528, 0.7568], names)
    assert jc.metrics.hosmer_lemeshow(y, p, grades=g).p_value == pytest.approx(0.0753, abs=5e-4)


def test_hosmer_lemeshow_hand_computation_and_dof() -> None:
    # Grade A: N=4, PD=.1, D=1: (0.4 − 1)² / (4·.1·.9) = 1; grade B: N=4, PD=.4, D=2:
    # (1.6 − 2)² / (4·.4·.6) = 1/6. HL = 7/6; chi2(2) survival = exp(−7/12).
    y = [0, 0, 0, 1, 0, 1, 1, 0]
    p = [0.1] * 4 + [0.4] * 4
    r = jc.metrics.hosmer_lemeshow(y, p, grades=["A"] * 4 + ["B"] * 4)
    assert r.statistic == pytest.approx(7 / 6)
    assert r.p_value == pytest.approx(math.exp(-7 / 12))
    np.testing.assert_allclose(r.table["contribution"], [1.0, 1 / 6])
    r0 = jc.metrics.hosmer_lemeshow(y, p, grades=["A"] * 4 + ["B"] * 4, dof=1)
    assert r0.p_value == pytest.approx(stats.chi2.sf(7 / 6, 1))
    with pytest.raises(
        InvalidInputError,
        match=r"hosmer_lemeshow: pd must not average 0 or 1 over a grade \(the statistic is undefined "
        r"there\); got grades 'Z' with PD 0 or 1\. Merge them with a neighbouring grade\.",
    ):
        jc.metrics.hosmer_lemeshow([0, 1], [0.0, 0.5], grades=["Z", "Y"])


def test_calibration_table_against_groupby_and_scipy() -> None:
    rng = np.random.default_rng(11)
    n = 3000
    grade = rng.choice(["A", "B", "C", "D"], n)
    pd_of = {"A": 0.01, "B": 0.04, "C": 0.1, "D": 0.25}
    p = np.array([pd_of[g] for g in grade]) * rng.uniform(0.8, 1.2, n)
    y = (rng.random(n) < p * 1.3).astype(int)
    t = jc.metrics.calibration_table(y, p, grades=grade, level=0.9)
    df = pd.DataFrame({"y": y, "p": p, "g": grade})
    g = df.groupby("g").agg(count=("y", "size"), defaults=("y", "sum"), pd_mean=("p", "mean"))
    assert t.index.tolist() == ["A", "B", "C", "D"]
    assert t["count"].tolist() == g["count"].tolist()
    assert t["defaults"].tolist() == g["defaults"].tolist()
    np.testing.assert_allclose(t["pd_mean"], g["pd_mean"], rtol=1e-12)
    for name, row in t.iterrows():
        d, m, q = int(row["defaults"]), int(row["count"]), g.loc[name, "pd_mean"]
        assert row["binomial_p"] == pytest.approx(stats.binomtest(d, m, q, "greater").pvalue)
        posterior = stats.beta(d + 0.5, m - d + 0.5)
        assert row["jeffreys_p"] == pytest.approx(posterior.cdf(q))
        assert row["ci_lower"] == pytest.approx(posterior.ppf(0.05))
        assert row["ci_upper"] == pytest.approx(posterior.ppf(0.95))
        assert row["ci_lower"] <= row["default_rate"] <= row["ci_upper"]


def test_calibration_table_grade_order_and_quantile_grades() -> None:
    grades = pd.Series(pd.Categorical(["low", "high", "mid", "low"], ["low", "mid", "high"]))
    t = jc.metrics.calibration_table([0, 1, 0, 0], [0.1, 0.5, 0.2, 0.1], grades=grades)
    assert t.index.tolist() == ["low", "mid", "high"]
    # D = 0 → lower end 0; D = N → upper end 1 (Brown, Cai and DasGupta's boundary rule).
    assert t.loc["low", "ci_lower"] == 0.0
    assert t.loc["high", "ci_upper"] == 1.0
    # 100 distinct PDs cut at positions 25, 50, 75 of the sorted sample: 25 rows per grade.
    q = jc.metrics.calibration_table([0, 1] * 50, np.linspace(0.01, 0.5, 100), grades=4)
    assert q["count"].tolist() == [25, 25, 25, 25]
    assert q["pd_mean"].is_monotonic_increasing


@given(probability_samples(), st.booleans())
def test_brier_score_equals_sklearn(sample: tuple[np.ndarray, np.ndarray], weighted: bool) -> None:
    y, p = sample
    w = np.linspace(0.5, 2.0, y.size) if weighted else None
    expected = brier_score_loss(y, p, sample_weight=w, pos_label=1)
    assert jc.metrics.brier_score(y, p, sample_weight=w) == pytest.approx(expected, abs=1e-12)


def test_count_inputs_are_validated() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"binomial_test: defaults must not exceed count \(a grade cannot have more defaults than "
        r"obligors\); got 1 value \(5.0\) at position 0\.",
    ):
        jc.metrics.binomial_test(5, 3, 0.1)
    with pytest.raises(
        InvalidInputError,
        match=r"jeffreys_test: count must hold whole numbers in \[1, 2\*\*53\]; got 1 value \(0.0\)",
    ):
        jc.metrics.jeffreys_test(0, 0, 0.1)
    with pytest.raises(
        InvalidInputError,
        match=r"binomial_test: defaults must hold whole"
        r" numbers in \[0, 2\*\*53\]; got 1 value \(1.5\)",
    ):
        jc.metrics.binomial_test(1.5, 3, 0.1)
    with pytest.raises(
        InvalidInputError,
        match=r"jeffreys_test: pd must lie"
        r" in \[0, 1\]; got 1 value \(1.2\)",
    ):
        jc.metrics.jeffreys_test(1, 3, 1.2)
    with pytest.raises(
        InvalidInputError,
        match=r"binomial_test: defaults, count and pd must have the same length \(or be scalars\); got "
        r"lengths 2, 3, 1\.",
    ):
        jc.metrics.binomial_test([1, 2], [3, 4, 5], 0.1)
    with pytest.raises(InvalidInputError, match=r"alternative must be one of 'greater', 'less'"):
        jc.metrics.binomial_test(1, 3, 0.1, alternative="two-sided")  # type: ignore[arg-type]
    with pytest.raises(
        InvalidInputError,
        match=r"calibration_table: level must be"
        r" a finite number in \(0, 1\); got 1.0 \(float\)",
    ):
        jc.metrics.calibration_table([0, 1], [0.1, 0.2], level=1.0)
    with pytest.raises(
        InvalidInputError,
        match=r"calibration_table: grades must not be missing; got 1 value"
        r" at position 1\. Assign every row a grade\.",
    ):
        jc.metrics.calibration_table([0, 1], [0.1, 0.2], grades=["A", None])
    with pytest.raises(
        InvalidInputError,
        match=r"calibration_table: grades must have one value per row of y \(2\);"
        r" got 3 values",
    ):
        jc.metrics.calibration_table([0, 1], [0.1, 0.2], grades=["A", "B", "C"])
