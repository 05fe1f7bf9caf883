"""scikit-learn's estimator checks on Scorecard and WOETransformer.

Every check scikit-learn generates runs here. The ones that cannot apply to a
credit scorecard are listed with the reason and the failure it causes: the
exception (or warning) type and a regular expression its message must match.
The test asserts that each still fails in exactly that way (so the list cannot
go stale, and a check cannot pass as "expected failure" while failing for
another reason) and that every other check passes. Checks run with every
warning turned into an error, independently of the pytest configuration, so an
expected warning (``DataWarning``) is raised like an exception.

The lists follow the checks scikit-learn 1.8 and later generate, the lower
bound of the ``test`` extra; scikit-learn 1.6 and 1.7 give more checks
multi-class toy targets, which a 0/1 scorecard rejects by design.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import pytest
from sklearn.utils.estimator_checks import estimator_checks_generator

from jiebei_credit.errors import DataWarning, InvalidInputError
from jiebei_credit.scorecard import Scorecard, WOETransformer


class Expected(NamedTuple):
    """Why a check cannot pass, and the failure (type and message regex) it must end with."""

    reason: str
    raises: type[BaseException]
    match: str


TARGET = (
    "the target must be 1 (bad) / 0 (good) (DESIGN.md: anything else is an error); this "
    "check fits on other labels ({1, 2}, strings or three classes)"
)
TOY_FEW_EVENTS = (
    "fits on scikit-learn's toy data (blobs, or 20 rows of rounded 3 * uniform noise), where the "
    "rarer class has 2 to 7 rows: the events-per-feature limit (min_events_per_feature=10) lets "
    "one feature in, which ends the quasi-separation the bin combinations of two features gave, "
    "and fit warns that the model has fewer than 10 events per feature (DataWarning, Peduzzi et "
    "al. 1996)"
)
TOY_NOISE = (
    "fits on pure noise: the binning finds no split worth a bin in any feature, so every "
    "feature's WOE is constant and fit raises 'no feature is left to fit' instead of producing "
    "a meaningless card"
)

#: The message of a target other than 0/1 (two labels other than 0/1, or more than two labels).
NOT_01 = (r"y must hold 1 \(bad\) or 0 \(good\)(: Only binary classification is supported)?; got \d+ "
          r"values? \([-\d., …]+\) at positions [\d, …]+\. Recode the target to 0/1\.")
#: The DataWarning of a model with fewer than 10 events per feature (raised: warnings are errors).
FEW_EVENTS = r"^Scorecard\.fit: the model has 1 feature\(s\) for \d+ events \(the rarer outcome\)"
#: The error of a fit where every feature's IV is below min_iv.
NOTHING_LEFT = r"^Scorecard\.fit: X must leave at least one feature to fit \(no feature is left to fit\)"


def _target(est: str) -> Expected:
    return Expected(TARGET, InvalidInputError, rf"^{est}\.fit: .*{NOT_01}")


def _weights_series(est: str) -> Expected:
    # scikit-learn replaces the target error by its own message
    return Expected(
        TARGET,
        ValueError,
        rf"^Estimator {est} raises error if 'sample_weight' parameter is of type pandas\.Series",
    )


#: Checks that do not run: they need an array-API namespace (the library is numpy only).
NOT_RUN = {"check_array_api_input": "array API inputs are out of scope (numpy and pandas only)"}

EXPECTED_SCORECARD = {
    "check_estimators_unfitted": Expected(
        "raises jiebei_credit.errors.NotFittedError (a ValueError and AttributeError), not "
        "sklearn.exceptions.NotFittedError: scikit-learn is not a runtime dependency",
        AssertionError,
        r"^Estimator should raise a NotFittedError when calling `decision_function` before fit",
    ),
    "check_parameters_default_constructible": Expected(
        "scaling and binning default to Scaling and BinningParams records (typed configuration, "
        "CONVENTIONS.md) rather than scalars; scaling comes first",
        AssertionError,
        r"^Parameter 'scaling' of estimator 'Scorecard' is of type Scaling which is not allowed",
    ),
    "check_supervised_y_2d": Expected(
        "a target of shape (n, 1) raises instead of being flattened with a warning (no silent fix-ups)",
        InvalidInputError,
        r"^Scorecard\.fit: y must be one-dimensional; got an array of shape \(\d+, 1\)\.",
    ),
    "check_estimators_dtypes": _target("Scorecard"),
    "check_sample_weights_pandas_series": _weights_series("Scorecard"),
    "check_sample_weights_not_an_array": _target("Scorecard"),
    "check_sample_weights_shape": _target("Scorecard"),
    "check_sample_weights_not_overwritten": _target("Scorecard"),
    "check_classifier_data_not_an_array": _target("Scorecard"),
    "check_classifiers_classes": Expected(
        TARGET,
        InvalidInputError,
        r"^Scorecard\.fit: y must hold 1 \(bad\) or 0 \(good\); got \d+ values \('one', ",
    ),
    "check_estimators_overwrite_params": Expected(TOY_FEW_EVENTS, DataWarning, FEW_EVENTS),
    "check_dont_overwrite_parameters": Expected(TOY_FEW_EVENTS, DataWarning, FEW_EVENTS),
    "check_f_contiguous_array_estimator": Expected(TOY_FEW_EVENTS, DataWarning, FEW_EVENTS),
    "check_methods_sample_order_invariance": Expected(TOY_FEW_EVENTS, DataWarning, FEW_EVENTS),
    "check_methods_subset_invariance": Expected(TOY_FEW_EVENTS, DataWarning, FEW_EVENTS),
    "check_fit2d_predict1d": Expected(TOY_FEW_EVENTS, DataWarning, FEW_EVENTS),
    "check_estimators_fit_returns_self": Expected(TOY_FEW_EVENTS, DataWarning, FEW_EVENTS),
    "check_readonly_memmap_input": Expected(TOY_FEW_EVENTS, DataWarning, FEW_EVENTS),
    "check_n_features_in_after_fitting": Expected(TOY_FEW_EVENTS, DataWarning, FEW_EVENTS),
    "check_sample_weight_equivalence_on_dense_data": Expected(TOY_NOISE, InvalidInputError, NOTHING_LEFT),
    "check_pipeline_consistency": Expected(TOY_NOISE, InvalidInputError, NOTHING_LEFT),
}

#: WOETransformer is checked as a transformer, and scikit-learn gives transformers
#: multi-class targets in most fitting checks.
EXPECTED_TRANSFORMER = dict.fromkeys(
    (
        "check_fit_score_takes_y",
        "check_estimators_overwrite_params",
        "check_dont_overwrite_parameters",
        "check_estimators_fit_returns_self",
        "check_readonly_memmap_input",
        "check_n_features_in_after_fitting",
        "check_estimators_dtypes",
        "check_sample_weights_not_an_array",
        "check_sample_weights_list",
        "check_sample_weights_shape",
        "check_sample_weights_not_overwritten",
        "check_sample_weight_equivalence_on_dense_data",
        "check_dtype_object",
        "check_f_contiguous_array_estimator",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
        "check_dict_unchanged",
        "check_fit2d_predict1d",
    ),
    _target("WOETransformer"),
)
EXPECTED_TRANSFORMER["check_parameters_default_constructible"] = Expected(
    "binning defaults to a BinningParams record (typed configuration, CONVENTIONS.md) rather than a scalar",
    AssertionError,
    r"^Parameter 'binning' of estimator 'WOETransformer' is of type BinningParams which is not allowed",
)
EXPECTED_TRANSFORMER["check_sample_weights_pandas_series"] = _weights_series("WOETransformer")
EXPECTED_TRANSFORMER["check_positive_only_tag_during_fit"] = Expected(
    # scikit-learn reports the target error (labels {1, 2}) as a positive-only problem
    TARGET,
    AssertionError,
    r"^Estimator 'WOETransformer' raised InvalidInputError unexpectedly",
)
EXPECTED_TRANSFORMER["check_fit2d_1feature"] = Expected(
    # scikit-learn expects a "1 feature(s)" message and quotes the target error it got instead
    TARGET,
    AssertionError,
    rf"(?s)^The error message should contain one of the following patterns.*{NOT_01}",
)
EXPECTED_TRANSFORMER["check_transformer_preserve_dtypes"] = Expected(
    "transform returns a float64 DataFrame with the input's index (WOE is float64), not an "
    "array of the input dtype",
    AttributeError,
    r"^'DataFrame' object has no attribute 'dtype'",
)


def _name(check: object) -> str:
    return getattr(check, "func", check).__name__  # type: ignore[no-any-return]


def _checks(estimator: object) -> list[object]:
    with warnings.catch_warnings():
        # scikit-learn notes that the estimators do not inherit from its BaseEstimator
        # (they follow the protocol by duck typing, on purpose)
        warnings.filterwarnings("ignore", message=".*does not inherit from", category=UserWarning)
        pairs = list(estimator_checks_generator(estimator, legacy=True, mark=None))
    return [
        pytest.param(est, check, id=f"{type(est).__name__}-{_name(check)}")
        for est, check in pairs
        if _name(check) not in NOT_RUN
    ]


def _run(estimator: object, check: object, expected: dict[str, Expected]) -> None:
    name = _name(check)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", message=".*does not inherit from", category=UserWarning)
        if name in expected:
            e = expected[name]
            with pytest.raises(e.raises, match=e.match):
                check(estimator)  # type: ignore[operator]
        else:
            check(estimator)  # type: ignore[operator]


@pytest.mark.parametrize(("estimator", "check"), _checks(Scorecard()))
def test_scorecard_passes_applicable_sklearn_checks(estimator, check):
    _run(estimator, check, EXPECTED_SCORECARD)


@pytest.mark.parametrize(("estimator", "check"), _checks(WOETransformer()))
def test_woe_transformer_passes_applicable_sklearn_checks(estimator, check):
    _run(estimator, check, EXPECTED_TRANSFORMER)


def test_expected_failures_name_real_checks():
    names = {_name(c.values[1]) for c in _checks(Scorecard()) + _checks(WOETransformer())}
    assert set(EXPECTED_SCORECARD) <= names
    assert set(EXPECTED_TRANSFORMER) <= names
    assert all(e.reason for e in [*EXPECTED_SCORECARD.values(), *EXPECTED_TRANSFORMER.values()])
