"""Wrong types get a library error naming the parameter, never AttributeError or TypeError.

Each case is a minimal reproduction of a generic error or a silent fix-up found by hand; the
hostile suite (test_hostile.py) generates many more.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

import jiebei_credit as jc
from jiebei_credit.errors import InvalidInputError, SchemaError

REF = pd.DataFrame({"u": [0.1, 0.2, 0.5, 0.9], "c": list("aabb")})
CUR = pd.DataFrame({"u": [0.1, 0.6, 0.8, 0.9], "c": list("abbc")})


def test_csi_with_a_number_for_a_binning() -> None:
    # Regression: csi(..., binnings={"u": 5}) raised AttributeError: 'int' object has no attribute.
    with pytest.raises(
        InvalidInputError,
        match=r"^csi: binnings\['u'\] must be a fitted binning \(e\.g\. scorecard\.Binning\) \(an object "
        r"with a bin_index\(\) method\); got 5\.$",
    ):
        jc.metrics.csi(REF, CUR, binnings={"u": 5})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"binnings": 5}, r"^csi: binnings must be a mapping \(a dict\); got 5"),
        ({"binnings": [("u", None)]}, r"^csi: binnings must be a mapping \(a dict\); got a list"),
        ({"features": "u"}, (r"^csi: features must be a list, tuple, array or Index of values, not a single "
         r"string; got 'u'\. Wrap it: features=\['u'\]\.")),
        ({"features": ["u", "u"]}, r"^csi: features must not repeat a value; got repeats of 'u'"),
        ({"features": []}, r"^csi: features must hold at least 1 value; got 0"),
        ({"bins": 2.0}, r"^csi: bins must be an integer >= 1; got 2\.0 \(float\)"),
        ({"bins": True}, r"^csi: bins must be an integer >= 1; got True \(a bool\)"),
        ({"smoothing": "0.5"}, r"^csi: smoothing must be a finite number >= 0; got '0\.5'"),
        ({"smoothing": np.inf}, r"^csi: smoothing must be a finite number >= 0; got inf"),
        ({"thresholds": "0.1,0.25"}, r"^csi: thresholds must be a pair \(amber, red\)"),
    ],
)
def test_csi_parameters(kwargs: dict[str, Any], pattern: str) -> None:
    with pytest.raises(InvalidInputError, match=pattern):
        jc.metrics.csi(REF, CUR, **kwargs)


def test_csi_binning_without_labels_and_broken_binnings() -> None:
    class NoLabels:
        def bin_index(self, x: Any) -> np.ndarray:
            return np.zeros(len(x), dtype=np.int64)

    with pytest.raises(InvalidInputError, match=r"^csi: binnings\['u'\]\.labels must be a list, "
        r"tuple, array"):
        jc.metrics.csi(REF, CUR, binnings={"u": NoLabels()})

    class Raises(NoLabels):
        labels = ("a", "b")

        def bin_index(self, x: Any) -> np.ndarray:
            raise KeyError("no such bin")

    with pytest.raises(
        InvalidInputError,
        match=r"^csi: binnings\['u'\] must bin the sample; got "
        r"binnings\['u'\]\.bin_index\(X_reference\['u'\]\) "
        r"raised KeyError: 'no such bin'\.$",
    ):
        jc.metrics.csi(REF, CUR, binnings={"u": Raises()})

    class Floats(NoLabels):
        labels = ("a", "b")

        def bin_index(self, x: Any) -> np.ndarray:
            return np.zeros(len(x))  # floats, not bin numbers

    with pytest.raises(InvalidInputError, match=r"must return one integer bin number per row from bin_index"):
        jc.metrics.csi(REF, CUR, binnings={"u": Floats()})


def test_csi_duplicated_columns_are_a_schema_error() -> None:
    twice = pd.concat([REF, REF[["u"]]], axis=1)
    with pytest.raises(SchemaError, match=r"X_reference\.u: column appears more than once; keep one"):
        jc.metrics.csi(twice, CUR, features=["u"])


@pytest.mark.parametrize(
    ("sample", "kind"),
    [
        (np.array([1 + 1j, 2 + 0j]), r"complex numbers \(dtype complex128\)"),
        (pd.Series(pd.to_timedelta([1, 2], unit="D")), r"timedeltas \(dtype timedelta64\[\w+\]\)"),
        (pd.Series(pd.to_datetime(["2024-01-01", "2024-02-01"])), r"dates \(dtype datetime64\[\w+\]\)"),
        (np.array([dt.timedelta(days=1), dt.timedelta(days=2)], dtype=object), r"timedelta values"),
    ],
)
def test_psi_refuses_non_numbers_that_are_not_categories(sample: Any, kind: str) -> None:
    # Regression: such samples were binned one value per category, silently.
    with pytest.raises(InvalidInputError, match=rf"^psi: reference must hold numbers or categories; "
        rf"got {kind}"):
        jc.metrics.psi(sample, sample)


def test_psi_reads_an_object_column_of_numbers_as_numbers() -> None:
    # Regression: an object array of floats was binned one bin per distinct value.
    x = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], dtype=object)
    y = np.array([0.1, 0.1, 0.2, 0.5, 0.6, 0.6])
    r = jc.metrics.psi(x, y, bins=3)
    same = jc.metrics.psi(x.astype(float), y, bins=3)
    assert r.table.index.tolist() == same.table.index.tolist() == ["[-inf, 0.3)", "[0.3, 0.5)", "[0.5, inf)"]
    assert r.value == same.value


def test_psi_refuses_a_category_printed_like_the_missing_bin() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"^psi: reference and current must hold categories that print differently .*; got several "
        r"categories printed 'missing'",
    ):
        jc.metrics.psi(["missing", "a"], ["a", None], missing="bin")


def test_psi_refuses_unhashable_categories() -> None:
    with pytest.raises(InvalidInputError, match=r"^psi: current must hold numbers or hashable "
        r"categories; got 1 value"):
        jc.metrics.psi(np.array(["a", "b"], dtype=object), np.array(["a", ["b"]], dtype=object))


def test_psi_parameters_and_binning() -> None:
    with pytest.raises(InvalidInputError, match=r"^psi: binning must be a fitted binning"):
        jc.metrics.psi([1.0], [1.0], binning=object())  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"^psi: missing must be one of 'raise', 'bin'; got True"):
        jc.metrics.psi([1.0], [1.0], missing=True)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"^psi: edges must hold real numbers"):
        jc.metrics.psi([1.0], [1.0], edges=["a"])
    with pytest.raises(InvalidInputError, match=r"^psi: reference must be a Series or a 1-D array; got None"):
        jc.metrics.psi(None, [1.0])


def test_huge_smoothing_gives_equal_shares_not_nan() -> None:
    # k · smoothing overflowed to inf and the shares to 0/0; any smoothing >= 0 is a number now.
    r = jc.metrics.psi([1.0, 2.0, 3.0], [1.0, 1.0, 1.0], edges=[2.0], smoothing=1e308)
    assert r.value == pytest.approx(0.0, abs=1e-12)
    assert r.status == "green"


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: jc.metrics.binomial_test(True, 10, 0.1), (r"^binomial_test: defaults must be a finite "
            r"number")),
        (lambda: jc.metrics.binomial_test(1, 10, "0.1"), r"^binomial_test: pd must be a finite number"),
        (lambda: jc.metrics.jeffreys_test(1, 10 + 0j, 0.1), r"^jeffreys_test: count must be a finite number"),
        (lambda: jc.metrics.jeffreys_test([1, 2], [True, True], 0.1), (r"^jeffreys_test: count must "
            r"hold real")),
        (lambda: jc.metrics.binomial_test(1, 2**60, 0.1), (r"^binomial_test: count must hold whole "
            r"numbers in")),
        (lambda: jc.metrics.binomial_test(1, 10, None), r"^binomial_test: pd must be a finite number"),
        (lambda: jc.metrics.calibration_table([0, 1], [0.1, 0.2], grades=10.0),
         r"^calibration_table: grades must be an integer >= 1; got 10\.0 \(float\)\. Pass a number"),
        (lambda: jc.metrics.calibration_table([0, 1], [0.1, 0.2], grades=True),
         r"^calibration_table: grades must be an integer >= 1; got True \(a bool\)"),
        (lambda: jc.metrics.calibration_table([0, 1], [0.1, 0.2], level=True),
         r"^calibration_table: level must be a finite number in \(0, 1\); got True \(a bool\)"),
        (lambda: jc.metrics.calibration_table([0, 1], [0.1, 0.2], grades=[[1], [2]]),
         r"^calibration_table: grades must be one-dimensional"),
        (lambda: jc.metrics.hosmer_lemeshow([0, 1], [0.1, 0.2], dof=2.0),
         r"^hosmer_lemeshow: dof must be an integer in \[1, 9007199254740992\]; got 2\.0 \(float\)"),
        (lambda: jc.metrics.hosmer_lemeshow([0, 1], [0.1, 0.2], dof=10**400),
         r"^hosmer_lemeshow: dof must be an integer in"),
        (lambda: jc.metrics.brier_score([0, 1], np.array([False, True])),
         r"^brier_score: pd must hold real numbers; got booleans"),
        (lambda: jc.metrics.auc([0, 1], [0.1, 10**400], higher="riskier"), r"^auc: score must be finite"),
        (lambda: jc.metrics.auc([0, 1], np.array([1 + 0j, 2 + 0j]), higher="riskier"),
         r"^auc: score must hold real numbers; got complex numbers"),
        (lambda: jc.metrics.auc([0, 1], pd.to_timedelta([1, 2], unit="D"), higher="riskier"),
         r"^auc: score must hold real numbers; got timedeltas"),
        (lambda: jc.metrics.auc(pd.to_datetime(["2024-01-01", "2024-01-02"]), [1.0, 2.0], higher="riskier"),
         r"^auc: y must hold 1 \(bad\) or 0 \(good\); got dtype datetime64\[\w+\]"),
        (lambda: jc.metrics.auc([0, 1], [0.1, 0.2], higher=None), r"^auc: higher must be one of"),
        (lambda: jc.metrics.gains_table([0, 1], [0.1, 0.2], higher="riskier", edges="0.15"),
         r"^gains_table: edges must be a Series or a 1-D array; got '0\.15'"),
        (lambda: jc.metrics.gains_table([0, 1], [0.1, 0.2], higher="riskier", bins=np.float64(3)),
         r"^gains_table: bins must be an integer >= 1; got (np\.float64\()?3\.0\)? \(float(64)?\)"),
    ],
)
def test_metric_parameters(call: Any, pattern: str) -> None:
    with pytest.raises(InvalidInputError, match=pattern):
        call()


def test_numpy_integers_are_integers() -> None:
    # np.int64 is accepted wherever int is.
    t = jc.metrics.calibration_table([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], grades=np.int64(2))
    assert len(t) == 2
    assert jc.metrics.binomial_test(np.int64(5), np.int64(100), np.float32(0.02)) == pytest.approx(
        jc.metrics.binomial_test(5, 100, 0.02), rel=1e-6
    )
