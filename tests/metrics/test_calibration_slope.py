"""calibration_slope against statsmodels' GLM on the same data, and its refusals."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy import special

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError


def _statsmodels(y: np.ndarray, p: np.ndarray, w: np.ndarray | None = None) -> dict[str, float]:
    """The same two logistic fits with statsmodels' GLM, as the independent reference.

    The estimates by IRLS (statsmodels' default); the standard errors from statsmodels'
    expected information at those estimates (for the logit link it equals the observed
    one, and statsmodels computes it without the observed form's cancellations). IRLS's
    own ``bse`` takes them from the weights of its last iteration, one step behind: on
    a small, nearly flat likelihood (ten rows, one bad) that is 1e-6 off in relative
    terms, while the estimates agree to 1e-12.
    """
    x = special.logit(p)
    kw = {} if w is None else {"freq_weights": w}
    slope_fit = sm.GLM(y, sm.add_constant(x), family=sm.families.Binomial(), **kw).fit(tol=1e-12)
    citl_fit = sm.GLM(y, np.ones((len(y), 1)), family=sm.families.Binomial(), offset=x, **kw).fit(tol=1e-12)

    def se(fit: Any) -> np.ndarray:
        return np.sqrt(np.diag(np.linalg.inv(-fit.model.hessian(fit.params, observed=False))))

    slope_se, citl_se = se(slope_fit), se(citl_fit)
    return {
        "intercept": float(citl_fit.params[0]),
        "intercept_se": float(citl_se[0]),
        "slope": float(slope_fit.params[1]),
        "slope_se": float(slope_se[1]),
        "recalibration_intercept": float(slope_fit.params[0]),
        "recalibration_intercept_se": float(slope_se[0]),
    }


def _sample(n: int, seed: int, *, spread: float = 1.0, shift: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    true_logit = rng.normal(-2.0, 1.0, n)
    y = (rng.random(n) < special.expit(true_logit)).astype(float)
    return y, special.expit(spread * true_logit + shift)


@pytest.mark.parametrize(("spread", "shift", "weighted"), [(1.0, 0.0, False), (2.0, 0.3, False),
                                                            (0.5, -0.7, True)])
def test_matches_statsmodels_glm(spread: float, shift: float, weighted: bool) -> None:
    y, p = _sample(5000, 3, spread=spread, shift=shift)
    w = np.random.default_rng(4).uniform(0.2, 3.0, y.size) if weighted else None
    r = jc.metrics.calibration_slope(y, p, sample_weight=w)
    want = _statsmodels(y, p, w)
    for name, value in want.items():
        assert getattr(r, name) == pytest.approx(value, rel=1e-7, abs=1e-10), name


@given(
    st.integers(min_value=10, max_value=80),
    st.integers(min_value=0, max_value=2**32 - 1),
    st.floats(0.2, 3.0),
    st.floats(-2.0, 2.0),
)
@example(10, 2704, 1.0, 0.0)  # one bad in ten: IRLS standard errors were 1e-6 off here
@example(10, 244, 1.0, 0.0)  # slope 23 with se 39: the observed Hessian was 10x off here
def test_matches_statsmodels_on_small_samples(n: int, seed: int, spread: float, shift: float) -> None:
    y, p = _sample(n, seed, spread=spread, shift=shift)
    x = special.logit(p)
    bads, goods = x[y == 1], x[y == 0]
    # not separated, else no estimate exists (a refusal, tested below)
    assume(bads.size and goods.size and bads.max() > goods.min() and goods.max() > bads.min())
    r = jc.metrics.calibration_slope(y, p)
    want = _statsmodels(y, p)
    for name, value in want.items():
        assert getattr(r, name) == pytest.approx(value, rel=1e-6, abs=1e-9), name


def test_calibrated_pds_give_intercept_0_and_slope_1() -> None:
    # PDs equal to the true probabilities: a = 0 and b = 1 up to sampling error (here within 3 SE).
    y, p = _sample(50_000, 7)
    r = jc.metrics.calibration_slope(y, p)
    assert abs(r.intercept) < 3 * r.intercept_se
    assert abs(r.slope - 1.0) < 3 * r.slope_se
    # PDs shifted up by 0.5 on the logit scale: calibration in the large is about -0.5.
    r_shift = jc.metrics.calibration_slope(y, special.expit(special.logit(p) + 0.5))
    assert abs(r_shift.intercept + 0.5) < 3 * r_shift.intercept_se
    # PDs twice as extreme: slope about 1/2.
    r_over = jc.metrics.calibration_slope(y, special.expit(2.0 * special.logit(p)))
    assert abs(r_over.slope - 0.5) < 3 * r_over.slope_se


def test_integer_weights_equal_repeated_rows() -> None:
    y, p = _sample(300, 11)
    w = np.random.default_rng(12).integers(0, 4, y.size)
    w[:2] = 1
    r = jc.metrics.calibration_slope(y, p, sample_weight=w)
    rep = jc.metrics.calibration_slope(np.repeat(y, w), np.repeat(p, w))
    for name in ("intercept", "intercept_se", "slope", "slope_se", "recalibration_intercept"):
        assert getattr(r, name) == pytest.approx(getattr(rep, name), rel=1e-9), name


def test_rows_are_matched_by_label_and_order_does_not_matter() -> None:
    y, p = _sample(400, 13)
    idx = pd.Index([f"r{i}" for i in range(y.size)])
    r = jc.metrics.calibration_slope(pd.Series(y, index=idx), pd.Series(p, index=idx))
    order = np.random.default_rng(1).permutation(y.size)
    shuffled = jc.metrics.calibration_slope(pd.Series(y[order], index=idx[order]),
                                           pd.Series(p[order], index=idx[order]))
    assert shuffled.slope == pytest.approx(r.slope, rel=1e-10)
    with pytest.raises(InvalidInputError, match=r"^calibration_slope: pd must have the same index as y"):
        jc.metrics.calibration_slope(pd.Series(y, index=idx), pd.Series(p, index=idx[order]))


def test_result_is_frozen_and_typed() -> None:
    y, p = _sample(500, 2)
    r = jc.metrics.calibration_slope(y, p)
    assert isinstance(r, jc.metrics.CalibrationSlopeResult)
    assert all(isinstance(getattr(r, f), float) for f in r.__slots__)
    with pytest.raises(AttributeError):
        r.slope = 1.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("y", "p", "kwargs", "pattern"),
    [
        ([0, 1, 0, 1], [0.1, 0.0, 0.3, 0.4], {}, (r"^calibration_slope: pd must lie strictly between 0 and 1 "
         r"\(the recalibration uses logit\(pd\), infinite at 0 and 1\); got 1 value \(0\.0\) at "
             r"position 1\.")),
        ([0, 1, 0, 1], [0.1, 1.0, 0.3, 0.4], {}, r"pd must lie strictly between 0 and 1"),
        ([0, 1, 0, 1], [0.1, 1.5, 0.3, 0.4], {}, r"^calibration_slope: pd must lie in \[0, 1\]"),
        ([0, 0, 0], [0.1, 0.2, 0.3], {}, r"^calibration_slope: y must hold both bads \(1\) and goods \(0\)"),
        ([0, 1, 0, 1], [0.2, 0.2, 0.2, 0.2], {}, (r"^calibration_slope: pd must take at least two distinct "
         r"values")),
        ([0, 0, 1, 1], [0.1, 0.2, 0.2, 0.3], {}, (r"^calibration_slope: pd must not separate the outcomes "
         r"\(the slope would be infinite: no maximum-likelihood estimate exists\); got every bad with a PD "
         r"at or above every good's\.")),
        ([1, 1, 0, 0], [0.1, 0.2, 0.3, 0.4], {}, r"every bad with a PD at or below every good's"),
        ([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], {"sample_weight": [1, 0, 1, 0]}, (r"^calibration_slope: y must "
         r"hold both bads \(1\) and goods \(0\); got 2 bads and no goods with a positive weight|got "
             r".* no bads "
         r"with a positive weight")),
        ([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], {"sample_weight": [1, -1, 1, 1]}, (r"sample_weight must "
            r"lie >= 0")),
        ([0, 1, 0, 1], [True, False, True, False], {}, r"^calibration_slope: pd must hold real numbers"),
    ],
)
def test_refusals(y: list[int], p: list[float], kwargs: dict[str, object], pattern: str) -> None:
    with pytest.raises(InvalidInputError, match=pattern):
        jc.metrics.calibration_slope(y, p, **kwargs)  # type: ignore[arg-type]


def test_zero_weight_rows_do_not_count_for_separation() -> None:
    # Without the zero-weight row (a good at a high PD) the outcomes are separated.
    with pytest.raises(InvalidInputError, match=r"pd must not separate the outcomes"):
        jc.metrics.calibration_slope([0, 0, 1, 1, 0], [0.1, 0.2, 0.3, 0.4, 0.9],
                                     sample_weight=[1, 1, 1, 1, 0])
