"""Wrong types in the plotting functions get a library error naming the parameter, before drawing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError
from jiebei_credit.metrics import PSIResult
from jiebei_credit.plotting import (
    plot_binning,
    plot_calibration,
    plot_ks,
    plot_psi,
    plot_roc,
    plot_score_distribution,
)


@pytest.fixture(autouse=True)
def _close() -> Iterator[None]:
    yield
    plt.close("all")


class _Binning:
    iv = 0.2
    table = pd.DataFrame({"label": ["a", "b"], "count": [3, "x"], "bad_rate": [0.1, 0.2], "woe": [0.5, -0.5]})


PSI = jc.metrics.psi([1.0, 2.0, 3.0], [1.0, 2.0, 2.0], edges=[2.0])


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: plot_roc([0, 1], [0.1, 0.2], higher="riskier", label=5), (r"^plot_roc: label must be "
            r"a string "
         r"or None; got 5\.$")),
        (lambda: plot_ks([0, 1], [0.1, 0.2], higher="riskier", ax=plt.figure()), (r"^plot_ks: ax must be a "
         r"matplotlib Axes or None; got Figure\.$")),
        (lambda: plot_score_distribution([0, 1], [0.1, 0.2], bins=10**6), (r"^plot_score_distribution: bins "
         r"must be an integer in \[1, 10000\]; got 1000000\.$")),
        (lambda: plot_score_distribution([0, 1], ["a", "b"]), (r"^plot_score_distribution: score must "
            r"hold real")),
        (lambda: plot_binning(_Binning()), (r"^plot_binning: binning\.table\['count'\] must hold real "
            r"numbers; "
         r"got 1 value \('x'\) at row 1")),
        (lambda: plot_binning(_Binning(), line=None), (r"^plot_binning: line must be one of "
            r"'bad_rate', 'woe'; "
         r"got None\.$")),
        (lambda: plot_calibration(pd.DataFrame({c: ["?"] for c in ("default_rate", "pd_mean", "ci_lower",
                                                                    "ci_upper", "jeffreys_p")})),
         r"^plot_calibration: table\['default_rate'\] must hold real numbers"),
        (lambda: plot_psi(PSIResult(value=0.1, status="blue", table=PSI.table, empty_bins=())),  # type: ignore[arg-type]
         r"^plot_psi: result\.status must be one of 'green', 'insufficient', 'amber', 'red'; got 'blue'\.$"),
        (lambda: plot_psi(PSIResult(value="0.1", status="green", table=PSI.table, empty_bins=())),  # type: ignore[arg-type]
         r"^plot_psi: result\.value must be a number; got '0\.1'\.$"),
    ],
)
def test_wrong_types(call: Any, pattern: str) -> None:
    with pytest.raises(InvalidInputError, match=pattern):
        call()



@pytest.mark.parametrize("plot", [plot_ks, plot_score_distribution])
def test_scores_wider_than_an_axis_are_refused_not_a_warning(plot: Any) -> None:
    # Found by the hostile suite: scores from -1.8e308 to 1.8e308 made matplotlib overflow computing
    # the axis range (a RuntimeWarning). Half the largest float is the widest range drawn.
    big = np.finfo(np.float64).max
    kwargs = {"higher": "riskier"} if plot is plot_ks else {}
    with pytest.raises(InvalidInputError, match=r"score must span less than half the largest float "
                       r"\(8\.99e\+307\) to be drawn; got values from -1\.798e\+308 to 1\.798e\+308\."):
        plot([0, 1, 0, 1], [big, -big, 0.0, 1.0], **kwargs)
    ax = plot([0, 1, 0, 1], [4e307, -4e307, 0.0, 1.0], **kwargs)  # 8e307 wide: drawn
    assert ax.get_xlim()[0] < -3e307
