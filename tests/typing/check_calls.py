"""Calls a type checker must refuse, and calls whose result types are pinned.

Not a test module: pytest does not collect it, and importing it runs no call
(everything sits in functions that are never called). ``tests/test_typing.py``
runs ``mypy --strict`` on it with the project's configuration.

Each refused call carries the exact ``# type: ignore[<code>]`` mypy needs.
``--strict`` turns on ``warn_unused_ignores``, so a call that stops being
refused (a parameter loosened back to ``object`` or ``Any``) fails the check.
The good calls pin result types with ``typing.assert_type`` and show that
the usual inputs (DataFrames, Series, arrays, lists) are accepted.
"""

from __future__ import annotations

from typing import Any, assert_type

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit import features, limits, metrics, monitoring, plotting, records, scorecard, synthetic

FloatArray = npt.NDArray[np.float64]


def refused_data_flow(
    rs: records.RecordSet,
    obs: pd.DataFrame,
    X: pd.DataFrame,
    y: pd.Series[float],
    card: scorecard.Scorecard,
    policy: limits.LimitPolicy,
    texts: list[str],
) -> None:
    """Arguments of the wrong kind: each line must be an error without its ignore."""
    # features: records where records go, never the observations
    features.extract(obs, obs)  # type: ignore[arg-type]
    features.extract(rs, rs)  # type: ignore[arg-type]
    features.outcomes(obs, obs, observed_until="2025-01-01")  # type: ignore[arg-type]
    features.check_point_in_time("bureau", obs, obs)  # type: ignore[arg-type]
    features.outcomes(rs, obs, observed_until=None)  # type: ignore[arg-type]
    # records: tables are DataFrames
    records.RecordSet.from_frames(borrowers=rs)  # type: ignore[arg-type]
    records.RecordSet.from_frames(borrowers=obs, loans=[{"loan_id": "L1"}])  # type: ignore[arg-type]
    records.RecordSet.from_frames(borrowers={"borrower_id": ["b1"]})  # type: ignore[arg-type]
    records.validate("loans", obs.to_numpy())  # type: ignore[arg-type]
    # metrics: 1-D data, never a string, a dict, a set or None
    metrics.auc("not an array", {"a": 1}, higher="safer")  # type: ignore[arg-type]
    metrics.auc("not an array", y, higher="safer")  # type: ignore[arg-type]
    metrics.auc(y, {"a": 1}, higher="safer")  # type: ignore[arg-type]
    metrics.auc(y, "scores", higher="safer")  # type: ignore[arg-type]
    metrics.ks(y, {0.1, 0.2}, higher="safer")  # type: ignore[arg-type]
    metrics.gini(None, y, higher="safer")  # type: ignore[arg-type]
    metrics.brier_score(y, "0.1")  # type: ignore[arg-type]
    metrics.calibration_table(y, None)  # type: ignore[arg-type]
    metrics.gains_table(y, {"s": 1.0}, higher="safer")  # type: ignore[arg-type]
    metrics.delong_test(y, y, "b", higher="safer")  # type: ignore[arg-type]
    metrics.binomial_test("3", 100, 0.02)  # type: ignore[arg-type]
    metrics.psi(None, None)  # type: ignore[arg-type]
    metrics.psi(None, y)  # type: ignore[arg-type]
    metrics.psi(y, None)  # type: ignore[arg-type]
    metrics.psi(y, y, edges="0.5")  # type: ignore[arg-type]
    metrics.csi(X["util_now"], X)  # type: ignore[arg-type]
    # scorecard: X is a table (or a 2-D array), y 1-D numbers
    scorecard.Scorecard().fit(None, None)  # type: ignore[arg-type]
    scorecard.Scorecard().fit(None, y)  # type: ignore[arg-type]
    scorecard.Scorecard().fit(X, "bad")  # type: ignore[arg-type]
    scorecard.Scorecard().fit(X, y, sample_weight="w")  # type: ignore[arg-type]
    card.points(X["util_now"])  # type: ignore[arg-type]
    card.points("X")  # type: ignore[arg-type]
    card.predict_proba(None)  # type: ignore[arg-type]
    card.predict(y)  # type: ignore[arg-type]
    card.explain({"util_now": 0.5})  # type: ignore[arg-type]
    card.score(X, None)  # type: ignore[arg-type]
    card.recalibrate(X, y, as_of=20250101)  # type: ignore[arg-type]
    scorecard.WOETransformer().fit(X, None)  # type: ignore[arg-type]
    scorecard.WOETransformer().transform(X["util_now"])  # type: ignore[arg-type]
    scorecard.bin_feature(None, y)  # type: ignore[arg-type]
    scorecard.reject_inference(card, X, "y", X)  # type: ignore[arg-type]
    scorecard.Scaling().pd_from_score("600")  # type: ignore[arg-type]
    # limits: money and rates are numbers, never strings
    limits.payment("10000", 0.12, 12, method="equal_installment")  # type: ignore[arg-type]
    limits.max_principal("3000", 0.12, 12, method="equal_installment")  # type: ignore[arg-type]
    limits.round_fen("1.005")  # type: ignore[arg-type]
    limits.annual_rate("0.0004")  # type: ignore[arg-type]
    limits.schedule("10000", 0.12, 12, method="equal_installment", start="2025-01-01")  # type: ignore[arg-type]
    limits.schedules(texts, 0.12, 12, method="equal_installment", start="2025-01-01")  # type: ignore[arg-type]
    limits.annualized_rate(["2025-01-01", "2025-02-01"], texts)  # type: ignore[arg-type]
    limits.assign(X, "conservative")  # type: ignore[arg-type]
    limits.check_pricing("0.18", regime="lending")  # type: ignore[arg-type]
    # monitoring: cards where cards go, frames where frames go
    monitoring.compare_cards(X, card, X)  # type: ignore[arg-type]
    monitoring.compare_cards(card, card, X, y="bad")  # type: ignore[arg-type]
    monitoring.model_health(X, X, X)  # type: ignore[arg-type]
    monitoring.model_health(card, card, X)  # type: ignore[arg-type]
    monitoring.stability_report(card, X, X, y_current="bad")  # type: ignore[arg-type]
    monitoring.early_warnings(X["util_now"], X)  # type: ignore[arg-type]
    monitoring.psi_over_time(None, y, y)  # type: ignore[arg-type]
    monitoring.vintage_table(obs, as_of="2025-01-01")  # type: ignore[arg-type]
    monitoring.roll_rates(obs, dates=["2025-01-31", "2025-02-28"])  # type: ignore[arg-type]
    # plotting and synthetic
    plotting.plot_roc("y", y, higher="safer")  # type: ignore[arg-type]
    plotting.plot_binning(X)  # type: ignore[arg-type]
    synthetic.simulate_portfolio(10, start=None, end="2025-01-01", seed=0)  # type: ignore[arg-type]


def refused_old_names(X: pd.DataFrame, y: pd.Series[float], when: pd.Series[Any]) -> None:
    """The names before the one two-sample rule (reference/current, X_reference/X_current)."""
    metrics.psi(expected=y, actual=y)  # type: ignore[call-arg]
    metrics.csi(expected=X, actual=X)  # type: ignore[call-arg]
    monitoring.early_warnings(features_previous=X, features_now=X)  # type: ignore[call-arg]
    monitoring.psi_over_time(y, values=y, dates=when)  # type: ignore[call-arg]


def accepted(
    rs: records.RecordSet,
    obs: pd.DataFrame,
    X: pd.DataFrame,
    y: pd.Series[float],
    card: scorecard.Scorecard,
    policy: limits.LimitPolicy,
    when: pd.Series[Any],
) -> None:
    """Usual inputs type-check, and results have the documented types."""
    assert_type(features.extract(rs, obs), pd.DataFrame)
    assert_type(features.outcomes(rs, obs, observed_until="2025-01-01"), pd.Series)
    assert_type(records.RecordSet.from_frames(borrowers=obs), records.RecordSet)
    assert_type(metrics.auc(y, y, higher="safer"), float)
    assert_type(metrics.auc([0, 1, 1], [0.2, 0.7, 0.9], higher="riskier"), float)
    assert_type(metrics.ks(y.to_numpy(), (0.1, 0.2), higher="safer", sample_weight=[1.0, 2.0]), float)
    assert_type(metrics.gains_table(y, y, higher="safer", edges=[500.0, 600.0]), pd.DataFrame)
    assert_type(metrics.binomial_test(3, 100, 0.02), float | FloatArray)
    assert_type(metrics.psi(reference=y, current=[0.1, 0.2]), metrics.PSIResult)
    assert_type(metrics.psi(pd.Series(["a", "b"]), ["a", "c"]), metrics.PSIResult)
    assert_type(metrics.csi(X_reference=X, X_current=X), pd.DataFrame)
    fitted = scorecard.Scorecard().fit(X, y)
    assert_type(fitted, scorecard.Scorecard)
    assert_type(scorecard.Scorecard().fit(X.to_numpy(), y.to_numpy()), scorecard.Scorecard)
    assert_type(card.points(X), pd.Series)
    assert_type(card.predict_proba(X), FloatArray)
    assert_type(card.score(X, [0, 1]), float)
    assert_type(card.explain(X), pd.DataFrame)
    assert_type(card.recalibrate(X, y, as_of="2025-01-01"), scorecard.Scorecard)
    assert_type(scorecard.WOETransformer().fit_transform(X, y), pd.DataFrame)
    assert_type(scorecard.bin_feature(X["util_now"], y), scorecard.Binning)
    assert_type(limits.payment(10_000.0, 0.12, 12, method="equal_installment"), float)
    assert_type(limits.payment([10_000.0, 5_000], 0.12, [12, 6], method="equal_installment"),
                float | FloatArray)
    assert_type(limits.schedule(10_000, 0.12, 12, method="equal_installment", start="2025-01-01"),
                pd.DataFrame)
    assert_type(limits.annualized_rate(when, y), float)
    assert_type(limits.assign(X, policy), pd.DataFrame)
    assert_type(limits.assign(X, policy, scaling=scorecard.Scaling()), pd.DataFrame)
    assert_type(scorecard.Scaling().pd_from_score(card.points(X)), Any)
    assert_type(monitoring.stability_report(card, X, X, y_reference=y, y_current=y),
                monitoring.StabilityReport)
    assert_type(monitoring.model_health(card, X, X, y), monitoring.ModelHealth)
    assert_type(monitoring.compare_cards(card, fitted, X, y), monitoring.CardComparison)
    assert_type(monitoring.early_warnings(X_reference=X, X_current=X), pd.DataFrame)
    assert_type(monitoring.psi_over_time(reference=y, current=y, dates=when), monitoring.PSIOverTime)
    assert_type(monitoring.vintage_table(rs, as_of="2025-01-01"), monitoring.VintageTable)
    assert_type(synthetic.simulate_portfolio(10, start="2024-01-01", end="2025-01-01", seed=0),
                synthetic.Portfolio)
