"""Bin many columns at once: :class:`WOETransformer` (sklearn protocol by duck typing)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Self

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._progress import Reporter
from jiebei_credit._types import Matrix, Sample, Vector
from jiebei_credit.errors import NotFittedError
from jiebei_credit.scorecard._binning import Binning
from jiebei_credit.scorecard._binparams import BinningParams
from jiebei_credit.scorecard._cvbins import cv_binning
from jiebei_credit.scorecard._finebin import (
    Category,
    as_float,
    as_series,
    check_specials,
    detect_kind,
    fine_edges,
    py_scalar,
)
from jiebei_credit.scorecard._fit import (
    DEFAULT_BINNING,
    MergeParams,
    fit_stats,
    fixed_binning,
    merge_params,
    user_bins_of,
)
from jiebei_credit.scorecard._frames import as_frame, fit_data, named_columns_exist, require_columns
from jiebei_credit.scorecard._params import Params, bin_specs, check_all
from jiebei_credit.scorecard._reprs import transformer_html
from jiebei_credit.scorecard._scoring import unseen_flags, warn_unseen
from jiebei_credit.scorecard._sklearn import OutputKind, set_output_config
from jiebei_credit.scorecard._stats import categorical_stats, numeric_fold_stats, numeric_stats

__all__ = ["WOETransformer", "binning_params", "fit_binnings"]

FloatArray = V.FloatArray

#: Parameters of the binning step (WOETransformer's, and Scorecard's binning part).
BINNING_PARAMS = ("binning", "special_values", "categorical", "numeric", "ordinal", "user_bins")


def binning_params(func: str, est: Any) -> tuple[MergeParams, dict[str, Any]]:
    """The binning parameters of an estimator, checked: merge constraints and the rest.

    The rest holds ``special_values``, ``categorical``, ``numeric``,
    ``ordinal`` and the pre-bin fields of ``binning`` (``n_prebins``,
    ``sample_size``, ``seed``).
    """
    values = check_all(func, {k: getattr(est, k) for k in BINNING_PARAMS})
    binning: BinningParams = values.pop("binning")
    merge = merge_params(binning, bin_specs(values.pop("user_bins")))
    return merge, {**values, "n_prebins": binning.n_prebins, "sample_size": binning.sample_size,
                   "seed": binning.seed}


def apply_ordinal(
    func: str, X: pd.DataFrame, ordinal: Mapping[str, Sequence[Category]] | None
) -> pd.DataFrame:
    """``X`` with the columns named in ``ordinal`` as ordered categoricals (a copy; ``X`` is not changed).

    Values outside a column's levels (other than missing values) are refused.
    """
    if not ordinal:
        return X
    unknown = [c for c in ordinal if c not in X.columns]
    if unknown:
        raise V.fail(func, "ordinal", "must name columns of X",
                     f"unknown columns {V.show(unknown, len(unknown))}",
                     f"X has {V.show(list(X.columns), X.shape[1])}.")
    out = X.copy(deep=False)
    for col, levels in ordinal.items():
        s = as_series(func, X[col], f"column {col!r}")
        known = pd.Index(list(levels), dtype=object)
        values = s.astype(object)
        bad = (known.get_indexer(pd.Index(values)) < 0) & values.notna().to_numpy()
        if bad.any():
            raise V.fail(func, f"column {col!r}", f"must hold only the levels ordinal[{col!r}] lists",
                         f"other values: {V.offending(bad, values.to_numpy(), X.index)}",
                         f"Add them to ordinal[{col!r}] in their place, or recode them.")
        out[col] = pd.Categorical(values, categories=known, ordered=True)
    return out


def fit_binnings(
    func: str,
    X: pd.DataFrame,
    y: FloatArray,
    w: FloatArray | None,
    params: MergeParams,
    *,
    special_values: tuple[Category, ...] | dict[str, tuple[Category, ...]],
    categorical: tuple[str, ...] | None,
    numeric: tuple[str, ...] | None,
    n_prebins: int,
    sample_size: int | None,
    seed: int,
    report: Reporter | None = None,
) -> dict[str, Binning]:
    """Fit one :class:`Binning` per column of ``X`` (checked parameters, target and weights).

    ``report`` advances one step per column.
    """
    forced_cat = set(categorical or ())
    forced_num = set(numeric or ())
    both = sorted(forced_cat & forced_num)
    if both:
        raise V.fail(func, "categorical and numeric", "must not name the same column",
                     V.show(both, len(both)), "Name each column in one of them only.")
    named = [("categorical", categorical or ()), ("numeric", numeric or ())]
    if isinstance(special_values, dict):
        named.append(("special_values", tuple(special_values)))
    if params.user_bins:
        named.append(("user_bins", tuple(params.user_bins)))
    named_columns_exist(func, X, named)
    out: dict[str, Binning] = {}
    for col in X.columns:
        x = X[col]
        label = f"column {col!r}"
        kind = "categorical" if col in forced_cat else "numeric" if col in forced_num else detect_kind(x)
        if isinstance(special_values, dict):
            specials = check_specials(func, kind, special_values.get(col, ()), f"special_values[{col!r}]")
        else:
            specials = check_specials(func, kind, special_values) if kind == "numeric" else ()
        order = None
        if isinstance(x.dtype, pd.CategoricalDtype) and x.dtype.ordered:
            if kind == "numeric":
                raise V.fail(func, "numeric", "must not name an ordered categorical column (it is binned as "
                             "an ordinal, in category order)", repr(col), "Leave it out of numeric.")
            order = [py_scalar(v) for v in x.cat.categories]
        spec = user_bins_of(params).get(col)
        if kind == "numeric":
            xv, _ = as_float(func, x, label)
            if spec is not None and spec[0] == "edges":
                edges = np.asarray(spec[1], dtype=np.float64)
            else:
                edges = fine_edges(xv, n_prebins=n_prebins, specials=specials, sample_size=sample_size,
                                   seed=seed)
            if spec is None and params.monotonic == "cv":
                out[col] = cv_binning(numeric_fold_stats(xv, y, w, edges, specials, col, seed), params, func)
            else:
                stats = numeric_stats(xv, y, w, edges, specials, col)
        else:
            stats = categorical_stats(as_series(func, x, label), y, w, specials, col)
        if col not in out:  # not chosen by cross-validation above
            out[col] = fit_stats(stats, params, func, order) if spec is None else fixed_binning(
                stats, params, func, spec)
        if report is not None:
            report.advance(str(col))
    return out


class WOETransformer(Params):
    """Fit optimal binnings for many columns and replace values by their WOE.

    Follows the scikit-learn estimator protocol (``fit``/``transform``,
    ``get_params``/``set_params``; works in ``Pipeline`` and with
    ``clone``) without depending on scikit-learn.

    Parameters
    ----------
    binning : BinningParams, default BinningParams()
        How each column is binned: ``max_bins``, ``min_bin_share``,
        ``monotonic``, ``min_bin_goods``, ``min_bin_bads``, ``n_prebins``,
        ``min_category_share``, ``smoothing``, ``unseen`` (what
        ``transform`` does with a value no training row had),
        ``sample_size`` and ``seed`` (see :class:`BinningParams`). One field
        is set with ``set_params(binning__max_bins=4)``.
    special_values : list-like or mapping of str to list-like, default ()
        A list, tuple, array or Index applies to every numeric column; a
        mapping gives the special values of each named column (numeric or
        categorical).
    categorical : list-like of str, optional
        Columns forced to be categorical (a list, tuple, array or Index); the
        others follow their dtype (integer and float numeric, everything
        else categorical).
    numeric : list-like of str, optional
        Columns forced to be numeric.
    ordinal : mapping of str to list-like, optional
        Columns to bin as ordinals, each with its levels in order (e.g. loan
        sub-grades ``{"grade": ["A1", "A2", …]}``): contiguous bins in that
        order, with the trends ``monotonic`` allows for numbers. A value
        outside the levels is refused at fit; at transform time it is unseen.
        An ordered ``pandas.Categorical`` column is an ordinal without being
        named here.
    user_bins : mapping of str to list-like, optional
        Bins fixed by hand, per column: inner edges (finite, strictly
        increasing numbers) for a numeric column, or groups of categories
        (a list of disjoint lists) for a categorical one. These columns are
        not merged; a bin without rows, or a category in no group, is
        refused at fit.

    Attributes
    ----------
    binnings_ : dict of str to Binning
        One fitted binning per column, in column order.
    feature_names_in_ : numpy.ndarray of str
        Column names seen in ``fit``.
    n_features_in_ : int
        Number of columns seen in ``fit``.

    Notes
    -----
    Parameters are checked by ``fit`` (scikit-learn's protocol: ``__init__``
    only stores them), each by the library's one rule for its kind:
    list-likes accept lists, tuples, arrays and Index; the fields of
    ``binning`` were checked when it was built (integers refuse floats and
    bools, seeds are checked even when no sample is drawn). ``y`` and
    ``sample_weight`` given as Series are matched to a DataFrame ``X`` by
    index label.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from jiebei_credit.scorecard import BinningParams, WOETransformer
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"util": rng.random(1000), "region": rng.choice(["n", "s"], 1000)})
    >>> y = (rng.random(1000) < 0.1 + 0.3 * X["util"]).astype(int)
    >>> t = WOETransformer(binning=BinningParams(max_bins=3)).fit(X, y)
    >>> t.iv_summary()[["feature", "n_bins"]].to_dict("list")
    {'feature': ['util', 'region'], 'n_bins': [3, 2]}
    >>> t.transform(X).shape
    (1000, 2)
    """

    _NESTED = ("binning",)
    #: Attributes ``fit`` sets (and nothing else does): declared once, read by the fitted check.
    _FITTED = ("binnings_", "feature_names_in_", "n_features_in_")

    def __init__(
        self,
        *,
        binning: BinningParams = DEFAULT_BINNING,
        special_values: Sequence[Category] | Mapping[str, Sequence[Category]] = (),
        categorical: Sequence[str] | None = None,
        numeric: Sequence[str] | None = None,
        ordinal: Mapping[str, Sequence[Category]] | None = None,
        user_bins: Mapping[str, Sequence[Any]] | None = None,
    ) -> None:
        self.binning = binning
        self.special_values = special_values
        self.categorical = categorical
        self.numeric = numeric
        self.ordinal = ordinal
        self.user_bins = user_bins

    def __sklearn_tags__(self) -> Any:
        """Estimator tags for scikit-learn (imported only when scikit-learn asks)."""
        from sklearn.utils import InputTags, Tags, TargetTags, TransformerTags

        return Tags(
            estimator_type=None,
            target_tags=TargetTags(required=True),
            transformer_tags=TransformerTags(),
            input_tags=InputTags(allow_nan=True, string=True, categorical=True),
        )

    def fit(self, X: Matrix, y: Vector, sample_weight: Vector | None = None) -> WOETransformer:
        """Fit one binning per column of ``X`` against target ``y`` (1 = bad).

        Parameters
        ----------
        X : DataFrame or array-like, shape (n, m)
            Feature table; a 2-D array's columns are named ``x0``, ``x1``, ...
        y : array-like of {0, 1}, shape (n,)
            Target: 1 = bad, 0 = good (booleans too). A Series is matched to a
            DataFrame ``X`` by index label.
        sample_weight : array-like of float, shape (n,), optional
            Non-negative row weights; every row weighs 1 when not given.

        Returns
        -------
        WOETransformer
            This transformer, fitted.

        Raises
        ------
        InvalidInputError
            Invalid parameters (each message names it, unknown columns in
            ``categorical``, ``numeric`` or ``special_values`` too), target or
            weights; ``y`` or ``sample_weight`` with other index labels than
            ``X`` (a Series is matched to a DataFrame by label); a column
            that cannot be binned (a type other than numbers, text,
            categories or booleans, infinities, no regular values,
            categories SQL could not tell apart).
        SchemaError
            Column names that are not unique strings.
        """
        func = "WOETransformer.fit"
        merge, rest = binning_params(func, self)
        ordinal = rest.pop("ordinal")
        frame, yv, w = fit_data(func, X, y, sample_weight)
        self.binnings_ = fit_binnings(func, apply_ordinal(func, frame, ordinal), yv, w, merge, **rest)
        self.feature_names_in_ = np.asarray(list(frame.columns), dtype=object)
        self.n_features_in_ = len(frame.columns)
        return self

    def _fitted(self, func: str) -> dict[str, Binning]:
        if not self.__sklearn_is_fitted__():
            raise NotFittedError(f"{func}: this WOETransformer is not fitted yet; call fit(X, y) first.")
        binnings: dict[str, Binning] = self.binnings_
        return binnings

    def transform(self, X: Matrix) -> pd.DataFrame:
        """WOE of every fitted column (float64 DataFrame, index of ``X``).

        Columns of ``X`` that were not seen in ``fit`` are ignored.

        Parameters
        ----------
        X : DataFrame or array-like, shape (n, m)
            Rows to transform, with every fitted column.

        Returns
        -------
        DataFrame
            float64, index of ``X``, one column per fitted column: the WOE of
            each value's bin (unseen values per ``unseen``).

        Raises
        ------
        NotFittedError
            Before ``fit``.
        SchemaError
            A fitted column is missing from ``X``.
        InvalidInputError
            Values unseen in training when ``unseen='raise'``; values of a
            type the column's binning cannot read.
        """
        func = "WOETransformer.transform"
        binnings = self._fitted(func)
        frame = as_frame(func, X, n_features=self.n_features_in_)
        require_columns(func, frame, list(binnings))
        out = pd.DataFrame({c: b._woe(frame[c], func) for c, b in binnings.items()}, index=frame.index)
        policies = {b.unseen for b in binnings.values()}
        if policies != {"raise"}:
            warn_unseen(func, unseen_flags(func, frame, list(binnings), binnings),
                        " / ".join(sorted(policies)), owner="WOETransformer")
        return out

    def unseen_flags(self, X: Matrix) -> pd.DataFrame:
        """Which values of ``X`` no training row had, per fitted column.

        Parameters
        ----------
        X : DataFrame
            Rows to check, with every fitted column.

        Returns
        -------
        DataFrame of bool
            Index of ``X``, one column per fitted column: True where the value
            (a new category, or a missing or special value absent in training)
            was scored by the ``unseen`` policy rather than a training bin.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        SchemaError
            A fitted column is missing from ``X``.
        """
        func = "WOETransformer.unseen_flags"
        binnings = self._fitted(func)
        frame = as_frame(func, X, n_features=self.n_features_in_)
        require_columns(func, frame, list(binnings))
        return unseen_flags(func, frame, list(binnings), binnings)

    def fit_transform(self, X: Matrix, y: Vector, sample_weight: Vector | None = None) -> pd.DataFrame:
        """Fit, then transform the same rows: ``fit(X, y, sample_weight).transform(X)``.

        Parameters
        ----------
        X : DataFrame or array-like, shape (n, m)
            Feature table; a 2-D array's columns are named ``x0``, ``x1``, ...
        y : array-like of {0, 1}, shape (n,)
            Target: 1 = bad, 0 = good (booleans too). A Series is matched to a
            DataFrame ``X`` by index label.
        sample_weight : array-like of float, shape (n,), optional
            Non-negative row weights; every row weighs 1 when not given.

        Returns
        -------
        DataFrame
            float64, index of ``X``: the WOE of every column.
        """
        return self.fit(X, y, sample_weight).transform(X)

    def bin_index(self, X: Matrix) -> pd.DataFrame:
        """Row of each column's bin table for every value (int64 DataFrame).

        Parameters
        ----------
        X : DataFrame or array-like, shape (n, m)
            Rows to bin, with every fitted column.

        Returns
        -------
        DataFrame
            int64, index of ``X``, one column per fitted column: the row of
            ``binnings_[column].table`` each value falls in (see
            :meth:`Binning.bin_index` for unseen values).

        Raises
        ------
        NotFittedError
            Before ``fit``.
        SchemaError
            A fitted column is missing from ``X``.
        InvalidInputError
            Values unseen in training when ``unseen='raise'``; values of a
            type the column's binning cannot read.
        """
        func = "WOETransformer.bin_index"
        binnings = self._fitted(func)
        frame = as_frame(func, X, n_features=self.n_features_in_)
        require_columns(func, frame, list(binnings))
        return pd.DataFrame(
            {c: b._bin_index(frame[c], func) for c, b in binnings.items()}, index=frame.index
        )

    def iv_summary(self) -> pd.DataFrame:
        """One row per column: ``feature, kind, n_bins, iv, trend``, by IV descending.

        Returns
        -------
        DataFrame
            Columns ``feature``, ``kind`` (numeric, categorical or ordinal),
            ``n_bins`` (regular bins), ``iv`` and ``trend``; a fresh
            0..k-1 index.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        """
        binnings = self._fitted("WOETransformer.iv_summary")
        df = pd.DataFrame(
            {
                "feature": list(binnings),
                "kind": [b.kind for b in binnings.values()],
                "n_bins": [b.n_regular for b in binnings.values()],
                "iv": [b.iv for b in binnings.values()],
                "trend": [b.trend for b in binnings.values()],
            }
        )
        return df.sort_values("iv", ascending=False, kind="stable").reset_index(drop=True)

    def get_feature_names_out(self, input_features: Sample | None = None) -> np.ndarray[Any, Any]:
        """The names of the output columns (the fitted columns).

        Parameters
        ----------
        input_features : array-like of str, optional
            Accepted for scikit-learn; when given it must equal the columns
            seen in ``fit`` (``feature_names_in_``), in order.

        Returns
        -------
        numpy.ndarray of str (object dtype)
            The fitted columns, in order: one WOE column each.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        InvalidInputError
            ``input_features`` other than the columns seen in ``fit``.
        """
        func = "WOETransformer.get_feature_names_out"
        names = list(self._fitted(func))
        if input_features is not None:
            given = [str(v) for v in V.listlike(input_features, func=func, name="input_features")]
            if given != names:
                raise V.fail(func, "input_features", "must be the columns seen in fit, in order",
                             V.show(given, len(given)), f"fit saw {V.show(names, len(names))}.")
        return np.asarray(names, dtype=object)

    def set_output(self, *, transform: OutputKind | None = None) -> Self:
        """Choose the output container of ``transform`` (scikit-learn's ``set_output``).

        ``transform`` always returns a pandas DataFrame (the WOE columns on
        the input's index), which is what both options ask for; the choice is
        stored so that ``Pipeline.set_output`` and
        ``ColumnTransformer.set_output`` accept this transformer, and
        ``clone`` keeps it.

        Parameters
        ----------
        transform : {"default", "pandas"} or None, default None
            ``"default"`` (the transformer's own container, a DataFrame),
            ``"pandas"``, or None to leave the setting unchanged. Other
            containers (scikit-learn's ``"polars"``) are refused.

        Returns
        -------
        WOETransformer
            ``self``.

        Raises
        ------
        InvalidInputError
            ``transform`` other than "default", "pandas" or None.

        Examples
        --------
        >>> from jiebei_credit.scorecard import WOETransformer
        >>> WOETransformer().set_output(transform="pandas")._sklearn_output_config
        {'transform': 'pandas'}
        """
        set_output_config(self, transform, "WOETransformer.set_output")
        return self

    def _repr_html_(self) -> str:
        """Notebook display: the parameters before ``fit``, the IV summary after."""
        return transformer_html(self)
