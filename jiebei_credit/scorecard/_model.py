"""The logistic WOE scorecard: :class:`Scorecard`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from jiebei_credit.errors import InvalidInputError, NotFittedError
from jiebei_credit.scorecard._binning import Binning
from jiebei_credit.scorecard._checks import (
    FloatArray,
    Monotonic,
    Unseen,
    as_target,
    as_weights,
    check_both_classes,
    check_choice,
    check_float,
    listing,
)
from jiebei_credit.scorecard._finebin import Category, check_schema
from jiebei_credit.scorecard._fit import merge_params
from jiebei_credit.scorecard._scaling import Scaling
from jiebei_credit.scorecard._select import (
    Drop,
    check_fit,
    correlation_filter,
    fit_logit,
    mcfadden_r2,
    select,
    vif_filter,
    vifs,
)
from jiebei_credit.scorecard._transformer import as_frame, fit_binnings, require_columns

__all__ = ["Scorecard"]

Selection = Literal["none", "forward", "stepwise"]
Criterion = Literal["pvalue", "aic"]
CARD_SCHEMA = "jiebei_credit.scorecard.Scorecard"
CARD_VERSION = 1
DEFAULT_SCALING = Scaling()

PARAMS = (
    "scaling", "max_bins", "min_bin_share", "monotonic", "special_values", "categorical",
    "numeric", "min_iv", "max_correlation", "max_vif", "selection", "criterion", "p_enter",
    "p_remove", "round_points", "unseen", "min_bin_goods", "min_bin_bads", "n_prebins",
    "min_category_share", "smoothing", "sample_size", "seed",
)  # fmt: skip


def round_half_away(x: FloatArray) -> FloatArray:
    """Round to integers, halves away from zero (2.5 → 3, −2.5 → −3)."""
    return np.asarray(np.sign(x) * np.floor(np.abs(x) + 0.5), dtype=np.float64)


class Scorecard:
    """Logistic regression on WOE, scaled to points (scikit-learn protocol).

    ``fit`` bins every column (:class:`WOETransformer` rules), drops
    features below ``min_iv``, drops the lower-IV feature of each pair whose
    WOE correlation exceeds ``max_correlation`` (then, optionally, features
    with VIF above ``max_vif``), selects features (``selection``), fits an
    unpenalised logistic regression with statsmodels, drops features whose
    coefficient has the wrong sign and refits, and scales to points.

    Parameters
    ----------
    scaling : Scaling, default Scaling()
        Points scaling (600 at 50:1 good:bad, PDO 20 by default).
    max_bins, min_bin_share, monotonic, special_values, categorical, numeric,
    min_bin_goods, min_bin_bads, n_prebins, min_category_share, smoothing,
    sample_size, seed, unseen
        Binning parameters (see :class:`WOETransformer` and :func:`bin_feature`).
    min_iv : float, default 0.02
        Features with a smaller IV are dropped ("useless" below 0.02).
    max_correlation : float, default 0.7
        Largest allowed absolute Pearson correlation between WOE columns.
    max_vif : float or None, default None
        If set, features are dropped (highest VIF first) until all VIFs are
        at most this.
    selection : {'none', 'forward', 'stepwise'}, default 'none'
        Feature selection after the filters. Each step refits the model once
        per candidate, so on large data prefer ``'none'`` or a sample.
    criterion : {'pvalue', 'aic'}, default 'pvalue'
        Entry (and, for stepwise, removal) criterion.
    p_enter, p_remove : float, default 0.05 and 0.10
        p-value thresholds for entry and removal.
    round_points : bool, default False
        Round every bin's points to an integer (half away from zero); scores
        are then integers.

    Attributes
    ----------
    features_ : tuple of str
        Features in the final model, in model order.
    binnings_ : dict of str to Binning
        Binning of every column of ``X`` (model features and the others).
    intercept_ : float
        Intercept of the logistic regression (log-odds of bad).
    coef_ : numpy.ndarray
        Coefficient per model feature (negative: higher WOE = lower risk).
    points_ : dict of str to tuple of float
        Points per bin of each model feature, in the binning's table order.
    drops_ : tuple
        ``(feature, step, reason)`` for every feature removed during fit.

    Notes
    -----
    With ``m`` features, intercept ``β0``, coefficients ``βj`` and WOE
    ``w_jk`` of bin ``k`` of feature ``j``::

        points_jk = offset / m − factor · (β0 / m + βj · w_jk)
        score     = Σ_j points_j(bin of x_j)
                  = offset + factor · ln(good:bad odds)  (before rounding)

    ``predict_proba`` converts the score (rounded or not) back to PD with the
    same scaling, so points, score and probability always agree.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from jiebei_credit.scorecard import Scorecard
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"util": rng.random(3000), "inq": rng.poisson(1.0, 3000)})
    >>> y = (rng.random(3000) < 1 / (1 + np.exp(3 - 2 * X["util"] - 0.5 * X["inq"]))).astype(int)
    >>> card = Scorecard(max_bins=4, round_points=True).fit(X, y)
    >>> card.features_
    ('util', 'inq')
    >>> s = card.score(X)
    >>> bool((s == s.round()).all()), card.predict_proba(X).shape
    (True, (3000, 2))
    """

    def __init__(
        self,
        *,
        scaling: Scaling = DEFAULT_SCALING,
        max_bins: int = 6,
        min_bin_share: float = 0.05,
        monotonic: Monotonic = "auto",
        special_values: Sequence[Category] | Mapping[str, Sequence[Category]] = (),
        categorical: Sequence[str] | None = None,
        numeric: Sequence[str] | None = None,
        min_iv: float = 0.02,
        max_correlation: float = 0.7,
        max_vif: float | None = None,
        selection: Selection = "none",
        criterion: Criterion = "pvalue",
        p_enter: float = 0.05,
        p_remove: float = 0.10,
        round_points: bool = False,
        unseen: Unseen = "raise",
        min_bin_goods: float = 1.0,
        min_bin_bads: float = 1.0,
        n_prebins: int = 50,
        min_category_share: float = 0.01,
        smoothing: float = 0.5,
        sample_size: int | None = 100_000,
        seed: int = 0,
    ) -> None:
        self.scaling = scaling
        self.max_bins = max_bins
        self.min_bin_share = min_bin_share
        self.monotonic = monotonic
        self.special_values = special_values
        self.categorical = categorical
        self.numeric = numeric
        self.min_iv = min_iv
        self.max_correlation = max_correlation
        self.max_vif = max_vif
        self.selection = selection
        self.criterion = criterion
        self.p_enter = p_enter
        self.p_remove = p_remove
        self.round_points = round_points
        self.unseen = unseen
        self.min_bin_goods = min_bin_goods
        self.min_bin_bads = min_bin_bads
        self.n_prebins = n_prebins
        self.min_category_share = min_category_share
        self.smoothing = smoothing
        self.sample_size = sample_size
        self.seed = seed

    # ------------------------------------------------------ sklearn protocol ---

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor parameters by name."""
        return {name: getattr(self, name) for name in PARAMS}

    def set_params(self, **params: Any) -> Scorecard:
        """Set constructor parameters; unknown names raise :class:`InvalidInputError`."""
        unknown = sorted(set(params) - set(PARAMS))
        if unknown:
            raise InvalidInputError(f"Scorecard.set_params: unknown parameters {listing(unknown)}.")
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __sklearn_tags__(self) -> Any:
        """Estimator tags for scikit-learn (imported only when scikit-learn asks)."""
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(
            estimator_type="classifier",
            target_tags=TargetTags(required=True),
            classifier_tags=ClassifierTags(multi_class=False),
            input_tags=InputTags(allow_nan=True, string=True, categorical=True),
        )

    def __repr__(self) -> str:
        default = Scorecard()
        changed = [f"{k}={v!r}" for k, v in self.get_params().items() if v != getattr(default, k)]
        return f"Scorecard({', '.join(changed)})"

    # ------------------------------------------------------------------- fit ---

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Scorecard:
        """Bin, filter, select, fit and scale; see the class docstring.

        Raises
        ------
        InvalidInputError
            Invalid parameters, target or weights; no feature left to fit.
        SchemaError
            Bad column names or unknown columns in parameters.

        Warns
        -----
        ConvergenceWarning
            Non-convergence or (quasi-)separation in the logistic fit.
        """
        func = "Scorecard.fit"
        if not isinstance(self.scaling, Scaling):
            raise InvalidInputError(f"{func}: scaling must be a Scaling, got {self.scaling!r}.")
        check_choice(func, "selection", self.selection, Selection)
        check_choice(func, "criterion", self.criterion, Criterion)
        min_iv = check_float(func, "min_iv", self.min_iv, low=0.0, high=np.inf)
        max_corr = check_float(func, "max_correlation", self.max_correlation, low=0.0, high=1.0)
        p_enter = check_float(func, "p_enter", self.p_enter, low=0.0, high=1.0)
        p_remove = check_float(func, "p_remove", self.p_remove, low=p_enter, high=1.0)
        if self.max_vif is not None:
            check_float(func, "max_vif", self.max_vif, low=1.0, high=np.inf)
        frame = as_frame(func, X)
        yv = as_target(func, y, len(frame))
        w = as_weights(func, sample_weight, len(frame))
        weights = np.ones_like(yv) if w is None else w
        check_both_classes(func, float(((1 - yv) * weights).sum()), float((yv * weights).sum()))
        params = merge_params(
            func, max_bins=self.max_bins, min_bin_share=self.min_bin_share,
            monotonic=self.monotonic, min_bin_goods=self.min_bin_goods,
            min_bin_bads=self.min_bin_bads, min_category_share=self.min_category_share,
            smoothing=self.smoothing, unseen=self.unseen,
        )  # fmt: skip
        binnings = fit_binnings(
            func, frame, yv, w, params, special_values=self.special_values,
            categorical=self.categorical, numeric=self.numeric, n_prebins=self.n_prebins,
            sample_size=self.sample_size, seed=self.seed,
        )  # fmt: skip
        iv = {f: b.iv for f, b in binnings.items()}
        drops = [Drop(f, "iv", f"IV {iv[f]:.4f} < {min_iv}") for f in binnings if iv[f] < min_iv]
        candidates = [f for f in binnings if iv[f] >= min_iv]
        W = pd.DataFrame({f: binnings[f].woe(frame[f]) for f in candidates})
        candidates, more = correlation_filter(W, candidates, iv, max_corr)
        drops += more
        if self.max_vif is not None:
            candidates, more = vif_filter(W, candidates, float(self.max_vif))
            drops += more
        chosen, more = select(
            W, yv, w, candidates, selection=self.selection, criterion=self.criterion,
            p_enter=p_enter, p_remove=p_remove,
        )  # fmt: skip
        drops += more
        while True:
            if not chosen:
                raise InvalidInputError(
                    f"{func}: no feature is left to fit ({len(binnings)} columns; dropped: "
                    f"{listing([f'{d.feature} ({d.step})' for d in drops])}); lower min_iv or "
                    "check the target."
                )
            fit = fit_logit(W, yv, w, chosen)
            check_fit(func, fit)
            coefs = fit.params[1:]
            if np.all(coefs < 0):
                break
            j = int(np.argmax(coefs))
            drops.append(
                Drop(
                    chosen[j],
                    "sign",
                    f"coefficient {coefs[j]:+.4f} >= 0: higher "
                    "WOE would mean higher risk (collinearity with other features)",
                )
            )
            chosen.pop(j)
        self.binnings_ = binnings
        self.features_ = tuple(chosen)
        self.intercept_ = float(fit.params[0])
        self.coef_ = np.asarray(coefs, dtype=np.float64)
        self.std_errors_ = np.asarray(fit.bse, dtype=np.float64)
        self.p_values_ = np.asarray(fit.pvalues, dtype=np.float64)
        self.vif_ = vifs(W, chosen)
        self.aic_ = fit.aic
        self.pseudo_r2_ = mcfadden_r2(fit)
        self.drops_ = tuple((d.feature, d.step, d.reason) for d in drops)
        self.points_ = self._points()
        self.feature_names_in_ = np.asarray(list(frame.columns), dtype=object)
        self.n_features_in_ = len(frame.columns)
        self.classes_ = np.array([0, 1])
        return self

    def _points(self) -> dict[str, tuple[float, ...]]:
        m = len(self.features_)
        factor, offset = self.scaling.factor, self.scaling.offset
        out = {}
        for f, beta in zip(self.features_, self.coef_, strict=True):
            woe = self.binnings_[f].woe_values
            pts = offset / m - factor * (self.intercept_ / m + beta * woe)
            out[f] = tuple((round_half_away(pts) if self.round_points else pts).tolist())
        return out

    def _check_fitted(self, func: str) -> None:
        if not hasattr(self, "points_"):
            raise NotFittedError(f"{func}: this Scorecard is not fitted yet; call fit(X, y) first.")

    # --------------------------------------------------------------- scoring ---

    def _score_array(self, func: str, X: Any) -> tuple[FloatArray, pd.Index]:
        self._check_fitted(func)
        frame = as_frame(func, X)
        require_columns(func, frame, list(self.features_))
        total = np.zeros(len(frame), dtype=np.float64)
        for f in self.features_:
            pts = np.asarray(self.points_[f], dtype=np.float64)
            total += pts[self.binnings_[f].bin_index(frame[f])]
        return total, frame.index

    def score(self, X: Any) -> pd.Series:
        """Score per row: the sum of the points of each feature's bin (float64 Series).

        Raises
        ------
        NotFittedError, SchemaError, InvalidInputError
            Before ``fit``; a model feature missing from ``X``; values unseen
            in training with ``unseen='raise'``.
        """
        total, index = self._score_array("Scorecard.score", X)
        return pd.Series(total, index=index, name="score", dtype="float64")

    def predict_proba(self, X: Any) -> FloatArray:
        """``[P(good), P(bad)]`` per row from the score (array of shape (n, 2))."""
        total, _ = self._score_array("Scorecard.predict_proba", X)
        bad = np.asarray(self.scaling.pd_from_score(total), dtype=np.float64)
        return np.column_stack([1.0 - bad, bad])

    def predict(self, X: Any) -> np.ndarray[Any, np.dtype[np.int64]]:
        """1 (bad) where P(bad) > 0.5, else 0."""
        return (self.predict_proba(X)[:, 1] > 0.5).astype(np.int64)

    def decision_function(self, X: Any) -> FloatArray:
        """Log-odds of bad implied by the score (higher = riskier)."""
        total, _ = self._score_array("Scorecard.decision_function", X)
        return np.asarray(-self.scaling.log_odds_from_score(total), dtype=np.float64)

    # ---------------------------------------------------------------- tables ---

    def table(self) -> pd.DataFrame:
        """Per feature and bin: ``feature, bin, label, count, bad_rate, woe, points``."""
        self._check_fitted("Scorecard.table")
        parts = []
        for f in self.features_:
            t = self.binnings_[f].table
            parts.append(pd.DataFrame({
                "feature": f, "bin": np.arange(len(t)), "label": t["label"], "count": t["count"],
                "bad_rate": t["bad_rate"], "woe": t["woe"], "points": self.points_[f],
            }))  # fmt: skip
        return pd.concat(parts, ignore_index=True)

    def summary(self) -> pd.DataFrame:
        """One row per column: status, coefficient, std error, p-value, IV, VIF, reason.

        The intercept comes first. ``attrs`` holds the model's ``aic`` and
        McFadden ``pseudo_r2``.
        """
        self._check_fitted("Scorecard.summary")
        rows = [{"feature": "(intercept)", "status": "model", "coefficient": self.intercept_,
                 "std_error": self.std_errors_[0], "p_value": self.p_values_[0], "iv": np.nan,
                 "vif": np.nan, "reason": ""}]  # fmt: skip
        for j, f in enumerate(self.features_):
            rows.append({"feature": f, "status": "model", "coefficient": self.coef_[j],
                         "std_error": self.std_errors_[j + 1], "p_value": self.p_values_[j + 1],
                         "iv": self.binnings_[f].iv, "vif": self.vif_[j], "reason": ""})  # fmt: skip
        for f, step, reason in self.drops_:
            rows.append({"feature": f, "status": f"dropped ({step})", "coefficient": np.nan,
                         "std_error": np.nan, "p_value": np.nan, "iv": self.binnings_[f].iv,
                         "vif": np.nan, "reason": reason})  # fmt: skip
        out = pd.DataFrame(rows)
        out.attrs = {"aic": self.aic_, "pseudo_r2": self.pseudo_r2_}
        return out

    # ----------------------------------------------------------- persistence ---

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (schema, version, parameters, binnings, coefficients, points)."""
        self._check_fitted("Scorecard.to_dict")
        p = self.get_params()
        p["scaling"] = self.scaling.to_dict()
        for k in ("special_values", "categorical", "numeric"):
            v = p[k]
            p[k] = {c: list(s) for c, s in v.items()} if isinstance(v, Mapping) else (
                None if v is None else list(v))  # fmt: skip
        return {
            "schema": CARD_SCHEMA, "version": CARD_VERSION, "params": p,
            "features": list(self.features_),
            "binnings": {f: b.to_dict() for f, b in self.binnings_.items()},
            "intercept": self.intercept_, "coef": self.coef_.tolist(),
            "std_errors": self.std_errors_.tolist(), "p_values": self.p_values_.tolist(),
            "vif": self.vif_.tolist(), "aic": self.aic_, "pseudo_r2": self.pseudo_r2_,
            "drops": [list(d) for d in self.drops_],
            "points": {f: list(v) for f, v in self.points_.items()},
            "feature_names_in": list(self.feature_names_in_),
        }  # fmt: skip

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Scorecard:
        """Rebuild a fitted card from :meth:`to_dict` output (identical scores)."""
        check_schema("Scorecard.from_dict", d, CARD_SCHEMA, CARD_VERSION)
        params = dict(d["params"])
        params["scaling"] = Scaling(**params["scaling"])
        sv = params["special_values"]
        params["special_values"] = (
            {c: tuple(v) for c, v in sv.items()} if isinstance(sv, Mapping) else tuple(sv)
        )
        card = cls(**params)
        card.binnings_ = {f: Binning.from_dict(b) for f, b in d["binnings"].items()}
        card.features_ = tuple(d["features"])
        card.intercept_ = float(d["intercept"])
        card.coef_ = np.asarray(d["coef"], dtype=np.float64)
        card.std_errors_ = np.asarray(d["std_errors"], dtype=np.float64)
        card.p_values_ = np.asarray(d["p_values"], dtype=np.float64)
        card.vif_ = np.asarray(d["vif"], dtype=np.float64)
        card.aic_ = float(d["aic"])
        card.pseudo_r2_ = float(d["pseudo_r2"])
        card.drops_ = tuple((a, b, c) for a, b, c in d["drops"])
        card.points_ = {f: tuple(float(v) for v in pts) for f, pts in d["points"].items()}
        card.feature_names_in_ = np.asarray(d["feature_names_in"], dtype=object)
        card.n_features_in_ = len(card.feature_names_in_)
        card.classes_ = np.array([0, 1])
        return card

    # ------------------------------------------------------- explain and SQL ---

    def explain(
        self, X: Any, top: int = 4, *, descriptions: Mapping[str, tuple[str, str]] | None = None
    ) -> pd.DataFrame:
        """Reasons per row: the features that cost the most points.

        See :func:`jiebei_credit.scorecard.explain` for the output columns.
        """
        from jiebei_credit.scorecard._explain import explain

        return explain(self, X, top=top, descriptions=descriptions)

    def to_sql(self, table: str = "features", *, score_column: str = "score", key: str | None = None) -> str:
        """A ``SELECT`` computing the score from ``table``; see :func:`scorecard_sql`."""
        from jiebei_credit.scorecard._sql import scorecard_sql

        return scorecard_sql(self, table, score_column=score_column, key=key)
