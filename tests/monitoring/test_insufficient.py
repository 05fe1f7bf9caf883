"""Monitoring never calls missing evidence green: the "insufficient" light of stability_report."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from jiebei_credit.monitoring import stability_report


class _Bins:
    labels = ("low", "high")

    def bin_index(self, x: Any) -> np.ndarray:
        return (np.asarray(x, dtype=float) >= 0.5).astype(np.int64)


class _Card:
    features_ = ("util_now",)
    binnings_ = {"util_now": _Bins()}  # noqa: RUF012 (a stand-in for a fitted card)

    def points(self, X: pd.DataFrame) -> pd.Series:
        return 650.0 - 100.0 * X["util_now"]


X = pd.DataFrame({"util_now": np.linspace(0.0, 1.0, 40)})
Y = pd.Series(np.tile([0.0, 1.0, 0.0, 0.0], 10), index=X.index)


def test_all_outcomes_unobserved_is_insufficient_not_green() -> None:
    # Minimal reproduction: the same population on both sides (every PSI 0, green), and no current
    # outcome observed yet. The bad-rate checks could not run: the report must not rate green.
    report = stability_report(_Card(), X, X, y_reference=Y, y_current=pd.Series(np.nan, index=X.index),
                              bins=4)
    assert report.score_psi.status == "green"
    assert report.bad_rates is not None
    assert report.bad_rates["status"].tolist() == ["insufficient"] * 4
    assert report.bad_rates["p_value"].isna().all()
    assert report.status == "insufficient"
    frame = report.to_frame()
    assert set(frame.loc[frame["check"] == "bad_rate", "status"]) == {"insufficient"}


def test_a_band_without_outcomes_is_insufficient_others_graded() -> None:
    y_cur = Y.copy()
    y_cur[X["util_now"] < 0.5] = np.nan  # current outcomes only where utilisation >= 0.5
    report = stability_report(_Card(), X, X, y_reference=Y, y_current=y_cur, bins=2)
    t = report.bad_rates
    assert t is not None
    # bands are lowest score first: high utilisation (low score) has outcomes, low utilisation none
    assert t["status"].tolist() == ["green", "insufficient"]
    assert report.status == "insufficient"


def test_evidence_of_a_problem_outranks_missing_evidence() -> None:
    # red over amber over insufficient over green: a shifted population is red even with no outcomes.
    moved = pd.DataFrame({"util_now": np.linspace(0.6, 1.0, 40)})
    report = stability_report(_Card(), X, moved, y_reference=Y,
                              y_current=pd.Series(np.nan, index=moved.index), bins=4)
    assert report.score_psi.status == "red"
    assert "insufficient" in set(report.bad_rates["status"])  # type: ignore[index]
    assert report.status == "red"


def test_green_needs_every_check_to_have_run() -> None:
    report = stability_report(_Card(), X, X, y_reference=Y, y_current=Y, bins=4)
    assert report.bad_rates is not None
    assert (report.bad_rates["status"] == "green").all()
    assert report.status == "green"


@pytest.mark.parametrize("y_ref_missing", [True, False])
def test_no_outcomes_on_either_side_is_insufficient(y_ref_missing: bool) -> None:
    none = pd.Series(np.nan, index=X.index)
    report = stability_report(_Card(), X, X, y_reference=none if y_ref_missing else Y, y_current=none,
                              bins=3)
    assert report.status == "insufficient"
    d = report.discrimination
    assert d is not None
    assert d.loc["current", "count"] == 0
    assert np.isnan(d.loc["current", "auc"])
