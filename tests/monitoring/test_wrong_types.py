"""Wrong types in monitoring and plotting get a library error naming the parameter."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from jiebei_credit.errors import InvalidInputError, NotFittedError, SchemaError
from jiebei_credit.monitoring import DEFAULT_RULES, WarningRule, early_warnings, stability_report


class _Bins:
    labels = ("low", "high")

    def bin_index(self, x: Any) -> np.ndarray:
        return (np.asarray(x, dtype=float) >= 0.5).astype(np.int64)


class _Card:
    features_: Any = ("util_now",)
    binnings_: Any = {"util_now": _Bins()}  # noqa: RUF012 (a stand-in for a fitted card)

    def points(self, X: pd.DataFrame) -> Any:
        return 650.0 - 100.0 * X["util_now"]


X = pd.DataFrame({"util_now": np.linspace(0.0, 1.0, 20)})


def _card(**members: Any) -> _Card:
    card = _Card()
    for name, value in members.items():
        setattr(card, name, value)
    return card


@pytest.mark.parametrize(
    ("card", "pattern"),
    [
        (_card(features_="util_now"), (r"^stability_report: card\.features_ must be a list, tuple, array or "
         r"Index of values, not a single string")),
        (_card(binnings_=5), r"^stability_report: card\.binnings_ must be a mapping \(a dict\); got 5"),
        (_card(binnings_={"util_now": 5}), (r"^stability_report: card\.binnings_\['util_now'\] must "
            r"be a fitted "
         r"binning")),
        (_card(points=None), r"^stability_report: card must have a points\(X\) method"),
        (_card(points=lambda X: X["nope"]), (r"^stability_report: card must score the feature table; got "
         r"card\.points\(X_reference\) raised KeyError: 'nope'")),
        (_card(points=lambda X: np.ones(len(X) - 1)), (r"^stability_report: card\.points\(X_reference\) must "
         r"have one value per row of X_reference \(20\); got 19 values")),
        (_card(points=lambda X: pd.Series(1.0, index=X.index[::-1])), (r"card\.points\(X_reference\) "
            r"must have "
         r"the same index as X_reference")),
        (_card(points=lambda X: X["util_now"] > 0.5), (r"card\.points\(X_reference\) must hold real numbers; "
         r"got booleans")),
    ],
)
def test_stability_report_checks_the_card(card: Any, pattern: str) -> None:
    with pytest.raises(InvalidInputError, match=pattern):
        stability_report(card, X, X)


def test_an_object_that_is_no_card_is_not_fitted() -> None:
    with pytest.raises(NotFittedError, match=r"^stability_report: card has no features_/binnings_"):
        stability_report(5, X, X)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"bins": 2.0}, r"^stability_report: bins must be an integer >= 1; got 2\.0 \(float\)"),
        ({"smoothing": None}, r"^stability_report: smoothing must be a finite number >= 0; got None"),
        ({"psi_thresholds": (0.25, 0.1)}, r"^stability_report: psi_thresholds must be a pair \(amber, red\)"),
        ({"bad_rate_alpha": ("0.05", "0.01")}, (r"^stability_report: bad_rate_alpha must be a pair \(amber, "
         r"red\) of significance levels")),
        ({"bad_rate_alpha": (True, 0.01)}, r"^stability_report: bad_rate_alpha must be a pair"),
        ({"y_reference": np.zeros(20), "y_current": pd.Series(np.zeros(20), index=X.index + 1)},
         r"^stability_report: y_current must have the same index as X_current"),
        ({"y_reference": np.zeros(20), "y_current": np.array(["0"] * 20)},
         r"^stability_report: y_current must hold real numbers; got 20 values"),
    ],
)
def test_stability_report_parameters(kwargs: dict[str, Any], pattern: str) -> None:
    with pytest.raises(InvalidInputError, match=pattern):
        stability_report(_Card(), X, X, **kwargs)


def test_stability_report_refuses_duplicated_feature_columns() -> None:
    twice = pd.concat([X, X], axis=1)
    with pytest.raises(SchemaError, match=r"X_current\.util_now: column appears more than once"):
        stability_report(_Card(), X, twice)


def test_stability_report_with_integer_feature_labels() -> None:
    # Feature labels are used as they are (they were turned into strings, which then did not match).
    card = _card(features_=(0,), binnings_={0: _Bins()}, points=lambda X: 650.0 - 100.0 * X[0])
    frame = pd.DataFrame({0: np.linspace(0.0, 1.0, 20)})
    report = stability_report(card, frame, frame)
    assert report.features.index.tolist() == [0]
    assert report.feature_psi[0].value == 0.0


OK = pd.DataFrame({"dpd_now": [0.0, 3.0]}, index=["a", "b"])


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"rules": "new_delinquency"}, InvalidInputError, (r"^early_warnings: rules must be a "
            r"non-empty sequence")),
        ({"rules": DEFAULT_RULES[0].to_dict()}, InvalidInputError, (r"^early_warnings: rules must be "
            r"a non-empty "
         r"sequence of WarningRule")),
        ({"missing_columns": True}, InvalidInputError, (r"^early_warnings: missing_columns must be one of "
         r"'raise', 'skip'; got True")),
        ({"X_current": OK.astype(complex)}, SchemaError, (r"X_current\.dpd_now: must be numeric "
            r"for the "
         r"warning rules; got dtype complex128")),
        ({"X_current": OK.astype("category")}, SchemaError, r"X_current\.dpd_now: must be numeric"),
        ({"X_current": pd.concat([OK, OK], axis=1)}, SchemaError, (r"X_current\.dpd_now: column "
            r"appears "
         r"more than once")),
    ],
)
def test_early_warnings_parameters(kwargs: dict[str, Any], error: type[Exception], pattern: str) -> None:
    args = {"X_reference": OK, "X_current": OK, "rules": DEFAULT_RULES[:1], **kwargs}
    with pytest.raises(error, match=pattern):
        early_warnings(**args)


@pytest.mark.parametrize(
    ("changes", "pattern"),
    [
        ({"threshold": True}, r"threshold must be a finite number; got True \(a bool\)"),
        ({"threshold": 1 + 0j}, r"threshold must be a finite number; got \(1\+0j\)"),
        ({"name": 5}, r"^WarningRule: name must be a non-empty string; got 5\.$"),
        ({"description_en": None}, r"description_en must be a string; got None"),
        ({"kind": ["level"]}, r"kind must be one of 'level', 'crossing'"),
    ],
)
def test_rule_fields(changes: dict[str, Any], pattern: str) -> None:
    fields = {**DEFAULT_RULES[0].to_dict(), **changes}
    del fields["schema"], fields["version"]
    with pytest.raises(InvalidInputError, match=pattern):
        WarningRule(**fields)


def test_rule_numpy_values_are_read_as_their_python_kind() -> None:
    rule = WarningRule(name="r", column="x", kind="level", comparison=">", threshold=np.int64(3))
    assert rule.threshold == 3.0
    assert type(rule.threshold) is float


def test_rule_from_dict_with_an_array_schema() -> None:
    # An array header made `!=` ambiguous (numpy's ValueError); it is refused by name now.
    data = {**DEFAULT_RULES[0].to_dict(), "schema": np.array(["a", "b"])}
    with pytest.raises(InvalidInputError, match=r"^WarningRule\.from_dict: data\['schema'\] must be a str"):
        WarningRule.from_dict(data)
    with pytest.raises(InvalidInputError, match=r"^WarningRule\.from_dict: expected a mapping; got list"):
        WarningRule.from_dict([1, 2])  # type: ignore[arg-type]
