"""The logistic WOE scorecard: :class:`Scorecard`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._progress import Progress, check_progress
from jiebei_credit._types import DateLike, Matrix, Vector
from jiebei_credit._validation import FloatArray
from jiebei_credit.errors import InvalidInputError, NotFittedError
from jiebei_credit.scorecard._binning import Binning
from jiebei_credit.scorecard._binparams import BinningParams
from jiebei_credit.scorecard._checks import Criterion, Penalty, Selection
from jiebei_credit.scorecard._finebin import Category
from jiebei_credit.scorecard._fit import CARD_BINNING, binning_spec
from jiebei_credit.scorecard._frames import as_frame, fit_data, require_columns
from jiebei_credit.scorecard._lineage import LineageRecord, fingerprint, recalibrate
from jiebei_credit.scorecard._params import RULES, Params, bin_specs
from jiebei_credit.scorecard._persist import card_from_dict, card_to_dict
from jiebei_credit.scorecard._pipeline import check_steps, fit_card
from jiebei_credit.scorecard._report import card_points, card_summary, card_table, check_points
from jiebei_credit.scorecard._scaling import Scaling
from jiebei_credit.scorecard._scoring import neutral_points, score_points, unseen_flags, warn_unseen
from jiebei_credit.scorecard._sources import categories_of, missing, resolve, tables_of
from jiebei_credit.scorecard._transformer import apply_ordinal, binning_params

__all__ = ["Scorecard"]

DEFAULT_SCALING = Scaling()


def empty_binning(name: str, goods: float, bads: float, unseen: Any) -> Binning:
    """Stand-in binning of a column without any value: one bin holding every row (WOE 0, IV 0)."""
    return Binning(kind="numeric", goods=(goods,), bads=(bads,), labels=("[-inf, inf)",), name=name,
                   unseen=unseen)


def _constant(feature: str, step: str, reason: str, binning: Binning) -> tuple[str, str, str]:
    """A drop record; a column whose binning has one bin is reported as constant."""
    if step in ("iv", "constant") and len(binning.goods) == 1:
        tail = f"; {reason}" if step == "iv" else ""
        return (feature, "constant", f"one bin on every row ({binning.labels[0]}): nothing to fit{tail}")
    return (feature, step, reason)


class Scorecard(Params):
    """Logistic regression on WOE, scaled to points (scikit-learn protocol).

    ``fit`` drops columns whose every value is missing (step ``empty``),
    bins every other column (:class:`WOETransformer` rules), drops
    features below ``min_iv`` (a column with one bin, e.g. one value on
    every row, is reported as ``constant``) and features whose WOE is constant, drops the
    lower-IV feature of each pair whose WOE correlation exceeds
    ``max_correlation`` (then, optionally, features with VIF above
    ``max_vif``), keeps at most one feature per ``min_events_per_feature``
    events, selects features (``selection``), fits a logistic regression
    with a light ridge penalty (``penalty``) by Newton–Raphson, drops
    features whose coefficient has the wrong sign and refits, and scales to
    points.

    The fit runs on the distinct combinations of bins rather than on the
    rows, each with its bad and good weight. Identical rows contribute
    identically to the likelihood, so the estimates are exactly those of a
    row-level fit (statsmodels ``Logit``, or ``GLM`` with frequency weights
    when ``sample_weight`` is given; the test suite checks both against
    statsmodels), at a fraction of the cost. The fit computes its estimates
    itself (numpy and :mod:`scipy.special`): it emits no warning of its own
    and changes no process-wide state, so fits may run in several threads.

    When ``X`` is a DataFrame and ``y`` (or ``sample_weight``) a Series,
    they are matched by index label: the same labels in another order are
    aligned to ``X``, different labels are refused. Arrays are matched by
    position.

    Parameters
    ----------
    scaling : Scaling, default Scaling()
        Points scaling (600 at 50:1 good:bad, PDO 20 by default).
    binning : BinningParams, default BinningParams(monotonic='cv')
        How each feature is binned: ``max_bins``, ``min_bin_share``,
        ``monotonic`` (numeric and ordinal features take any trend of
        :func:`bin_feature`, categorical ones ``'auto'``, ``'auto_turn'``,
        ``'ascending'``, ``'none'`` or ``'cv'``; the default ``'cv'`` chooses
        each numeric feature's shape by cross-validation, see Notes),
        ``cv_max_bins``, ``cv_min_bin_share``, ``min_bin_goods``, ``min_bin_bads``, ``n_prebins``,
        ``min_category_share`` (see the high-cardinality guard in Notes),
        ``smoothing``, ``unseen`` (see Notes), ``sample_size`` and ``seed``
        (which also draws the cross-validation folds of
        ``penalty_strength='cv'``); see :class:`BinningParams`. One field is
        set with ``set_params(binning__max_bins=4)``, which scikit-learn's
        searches use (``{"binning__max_bins": [3, 6]}``).
    special_values : list-like or mapping of str to list-like, default ()
        Values binned apart, one bin each (e.g. ``(-999,)`` for "no record"):
        a list, tuple, array or Index applies to every numeric column; a
        mapping gives the special values of each named column.
    categorical : list-like of str, optional
        Columns forced to be categorical (a list, tuple, array or Index);
        by default integer and float columns are numeric, all others
        categorical.
    numeric : list-like of str, optional
        Columns forced to be numeric.
    min_iv : float, default 0.0
        Features with a smaller IV are dropped. The default keeps every
        feature: on public credit data a 0.02 floor dropped features with
        Wald p-values down to 1e-50 and cost up to 0.036 holdout AUC, while
        the events-per-feature limit (``min_events_per_feature``) already
        keeps small data from holding too many features.
    max_correlation : float, default 0.7
        Largest allowed absolute Pearson correlation between WOE columns.
    max_vif : float or None, default None
        If set, features are dropped (highest VIF first) until all VIFs are
        at most this.
    selection : {'none', 'forward', 'stepwise'}, default 'none'
        Feature selection after the filters. Each step refits the model once
        per candidate, so on large data prefer ``'none'`` or a sample.
    criterion : {'pvalue', 'aic', 'bic', 'ks'}, default 'pvalue'
        Entry (and, for stepwise, removal) criterion. A feature enters when
        its Wald p-value is below ``p_enter``, when it lowers AIC
        (``−2 llf + 2 p``) or BIC (``−2 llf + p ln n``, ``p`` parameters,
        ``n`` the total weight), or when it raises the training KS of the
        fitted log-odds by more than 0.001. Stepwise removal looks at the
        feature of largest p-value: out when that exceeds ``p_remove``, or
        when the model without it has lower or equal AIC/BIC, or a KS at
        most 0.001 lower.
    p_enter : float, default 0.05
        The p-value threshold for entry (``criterion='pvalue'``).
    p_remove : float, default 0.10
        The p-value threshold for removal in stepwise selection
        (``criterion='pvalue'``).
    round_points : bool, default False
        Round every bin's points to an integer (half away from zero); scores
        are then integers.
    ordinal : mapping of str to list-like, optional
        String columns to bin as ordinals, each with its levels in order
        (e.g. loan sub-grades): contiguous bins in level order, with the
        trends ``monotonic`` allows for numbers; a value outside the levels
        is refused at fit and is unseen at scoring. An ordered
        ``pandas.Categorical`` column is binned the same way unnamed.
        Datetime columns are refused: turn a date into an age (days since).
    user_bins : mapping of str to list-like, optional
        Bins fixed by hand (see :class:`WOETransformer`): inner edges for a
        numeric column, disjoint groups of categories for a categorical
        one. :meth:`with_bins` refits a fitted card with new bins.
    min_events_per_feature : float, default 10.0
        Events-per-variable guard (Peduzzi et al., 1996): the model holds
        at most ``max(1, floor(E / min_events_per_feature))`` features, where
        ``E`` is the (weighted) count of the rarer outcome, usually the bads.
        With ``selection='none'`` the features of highest IV are kept (the
        others are dropped with step ``epv``); forward and stepwise
        selection stop entering features at the limit. ``0`` turns the
        limit off. A final model below 10 events per feature warns with
        :class:`~jiebei_credit.errors.DataWarning` whatever this is.
    penalty : {'none', 'l2'}, default 'l2'
        ``'l2'`` maximises ``llf(β) − (λ/2) Σ_{j≥1} βj²`` (the intercept is
        not penalised), which shrinks the coefficients of an overfit card
        (scikit-learn's ``LogisticRegression(C=1/λ)`` with frequency
        weights). Selection runs on unpenalised fits; the sign check and
        the final fit use the penalty. Standard errors and p-values of a
        penalised fit are NaN: pass ``'none'`` for the unpenalised maximum
        likelihood fit with its Wald p-values.
    penalty_strength : float > 0 or 'cv', default 1.0
        The ``λ`` of ``penalty='l2'`` (ignored otherwise). The default 1 is
        scikit-learn's ``C = 1``: against a log-likelihood summed over rows,
        it shrinks a card fitted on hundreds of rows and leaves one fitted
        on hundreds of thousands all but unpenalised. ``'cv'`` picks it
        from a grid of 15 values by stratified 5-fold held-out
        log-likelihood, folds drawn from ``seed`` (in memory only); the
        value used is ``penalty_strength_``.
    feature_sources : mapping or list of FeatureSpec, optional
        Where the columns come from, for :meth:`data_sources` and
        :meth:`data_categories`: a mapping of column name to a
        :class:`~jiebei_credit.features.FeatureSpec` (e.g.
        ``jiebei_credit.features.specs_for(X.columns, families=...)``, or
        ``dict(jiebei_credit.features.catalog(windows))``), a list of
        FeatureSpec (e.g. a user ``FeatureFamily.features``), or per column
        ``{"tables": [...], "category": "..."}``. Any object with
        ``sources`` and ``category`` attributes works. Prefer a plain dict or
        list to the read-only catalog itself: scikit-learn's ``clone``
        deep-copies parameters, which a read-only mapping does not allow. A
        model feature not described is recorded as table and category
        ``"unknown"``. The scorecard does not import the features package
        (it works on any feature table), so it does not look columns up
        itself; ``to_dict`` keeps the entries of the fitted columns.

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
    scaling_ : Scaling
        The scaling the points were computed with (``scaling`` at fit time);
        ``predict_proba`` and ``decision_function`` convert with it, so
        changing ``scaling`` with ``set_params`` takes effect at the next fit.
    round_points_ : bool
        Whether the points were rounded (``round_points`` at fit time).
    std_errors_, p_values_ : numpy.ndarray
        Standard error and Wald p-value of the intercept and each coefficient.
    vif_ : numpy.ndarray
        Variance inflation factor of each model feature.
    aic_, log_likelihood_, null_log_likelihood_, pseudo_r2_, n_obs_ : float
        Model AIC, log-likelihood, intercept-only log-likelihood, McFadden's
        pseudo-R² and the total (weighted) number of rows.
    drops_ : tuple
        ``(feature, step, reason)`` for every feature removed during fit.
        Empty columns come first (step ``empty``); their entry in
        ``binnings_`` is a stand-in with one bin holding every row.
    penalty_strength_ : float
        The λ of the final fit (0 with ``penalty='none'``; NaN for a card
        saved before version 6 with ``penalty_strength='cv'``, whose λ was
        not stored).
    feature_sources_ : dict of str to (tables, category)
        Per model feature, the tables it reads and its data category, from
        ``feature_sources`` at fit time (``("unknown",), "unknown"`` for a
        feature it did not describe).
    lineage_ : tuple of LineageRecord
        The recalibrations since the card was fitted, oldest first (empty
        for a fitted card; see :meth:`recalibrate`).

    Notes
    -----
    With ``m`` features, intercept ``β0``, coefficients ``βj`` and WOE
    ``w_jk`` of bin ``k`` of feature ``j``::

        points_jk = offset / m − factor · (β0 / m + βj · w_jk)
        score     = Σ_j points_j(bin of x_j)
                  = offset + factor · ln(good:bad odds)  (before rounding)

    The defaults were chosen on public real credit data (``python -m
    benchmarks.bench_realdata``: five sets, 30 stratified 70/30 splits,
    next to optbinning and toad). Two choices carry them:

    - ``monotonic='cv'``: each numeric feature starts from ``auto_turn``
      bins (a peak or valley where a likelihood-ratio test accepts it) and
      moves to finer bins (``cv_max_bins``, ``cv_min_bin_share``), with a
      trend and then without one, only when the held-out log-likelihood of
      the one-feature WOE model over 5 folds gains more than one standard
      error (the one-standard-error rule). Small data keep few monotone
      bins; a large book gets the fine, free bins its size supports.
      Categorical features take ``auto_turn``. The folds are dealt by each
      row's content (the feature's fine bin, the target and the weight), not
      its position, and the pre-bin sample above ``sample_size`` rows is
      drawn from the sorted values: the same rows in any order give the
      same card.
    - ``penalty='l2'`` at ``penalty_strength=1.0``: a light ridge, strong
      only where events per feature are few.

    Without either, the card was 0.002–0.003 holdout AUC behind the best
    peer on the set the choice was missing for; with both it was ahead on
    three sets and level on two (German +0.0013, Taiwan cards −0.0001, with
    standard errors 0.0014 and 0.0007). The price of the penalty is the
    p-values (NaN); ``penalty='none'`` gives them back.

    The unseen policy, ``binning.unseen``, says what scoring does with a
    value no training row had (a new category, or a missing or special
    value absent in training):

    - ``'rare'``: a new category joins the bin of the categories pooled
      for being rare at fit (rarer than ``min_category_share``) when
      there is one; any other unseen value is neutral;
    - ``'missing'``: the feature's missing bin when one was fitted,
      otherwise neutral;
    - ``'neutral'``: WOE 0, the population average (the points of an
      average applicant on that feature);
    - ``'worst'``: the bin with the lowest WOE (most risky);
    - ``'raise'``: refuse the batch (:class:`InvalidInputError`).

    The default ``'rare'`` never fails a batch and moves a score least
    where the card knows least: a category too new to have been seen is
    by definition a rare one, so it is scored like the rare categories
    the card was developed on; without such a bin, and for a missing
    value in a column that had none in development, nothing is known,
    so the feature contributes its average (WOE 0) instead of a
    guess. ``'worst'`` is the conservative choice, but one missing value
    can then move a PD from 0.24 to 0.70. Every scoring method warns
    (:class:`~jiebei_credit.errors.DataWarning`) with the count of
    unseen values per column, :meth:`unseen_flags` gives the rows, and
    :meth:`explain` says "value not seen in development" for them.

    High-cardinality guard: a categorical column with more than 10 levels
    (after pooling those rarer than ``min_category_share``) is grouped only
    if its levels are associated with the target, by a Pearson chi-square
    test of independence at 5 % (``χ² = Σ (o − e)² / e`` over the good and
    bad counts of each level, ``K − 1`` degrees of freedom); otherwise it
    gets one bin and is dropped as ``constant``. Grouping many levels by
    their training WOE would fit noise (on a 50-level column without
    signal, training AUC 0.66 against 0.57 on holdout).

    ``predict_proba`` converts the score (rounded or not) back to PD with the
    same scaling (``scaling_``, fixed at fit), so points, score and
    probability always agree.

    Perfect prediction (the fitted log-odds classify every bin combination
    correctly) and perfectly collinear WOE columns raise
    :class:`InvalidInputError`. Quasi-separation (some pure bin combinations
    are driven to probability 0 or 1 along a direction that lowers no
    combination's likelihood, so the coefficients grow without bound; the fit
    stops there), non-convergence in 100 Newton iterations, fitted
    probabilities within ``1e-10`` of 0 or 1, and undefined standard errors
    warn with :class:`~jiebei_credit.errors.ConvergenceWarning`. A
    coefficient above 30 in absolute value without separation (the
    feature's WOE varies little across its bins, so its points are
    unstable) warns with :class:`~jiebei_credit.errors.DataWarning`.

    References
    ----------
    P. Peduzzi, J. Concato, E. Kemper, T. R. Holford and A. R. Feinstein,
    "A simulation study of the number of events per variable in logistic
    regression analysis", *J. Clin. Epidemiol.* 49 (1996) 1373–1379.
    N. Siddiqi, *Credit Risk Scorecards*, 2nd ed., Wiley, 2017.
    A. Albert and J. A. Anderson, "On the existence of maximum likelihood
    estimates in logistic regression models", *Biometrika* 71 (1984) 1–10.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from jiebei_credit.scorecard import BinningParams, Scorecard
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"util": rng.random(3000), "inq": rng.poisson(1.0, 3000)})
    >>> y = (rng.random(3000) < 1 / (1 + np.exp(3 - 2 * X["util"] - 0.5 * X["inq"]))).astype(int)
    >>> card = Scorecard(binning=BinningParams(max_bins=4), round_points=True).fit(X, y)
    >>> card.features_
    ('util', 'inq')
    >>> s = card.points(X)
    >>> bool((s == s.round()).all()), card.predict_proba(X).shape
    (True, (3000, 2))
    """

    _NESTED = ("binning",)
    #: The fitted attributes, declared once: ``to_dict`` stores each under its name without the
    #: trailing underscore, ``from_dict`` restores it, scikit-learn's ``check_is_fitted`` reads them.
    #: ``n_features_in_`` and ``classes_`` follow from them.
    _FITTED = ("scaling_", "round_points_", "features_", "binnings_", "intercept_", "coef_",
               "std_errors_", "p_values_", "vif_", "aic_", "log_likelihood_", "null_log_likelihood_",
               "pseudo_r2_", "n_obs_", "drops_", "points_", "feature_names_in_", "feature_sources_",
               "lineage_", "penalty_strength_")

    def __init__(
        self,
        *,
        scaling: Scaling = DEFAULT_SCALING,
        binning: BinningParams = CARD_BINNING,
        special_values: Sequence[Category] | Mapping[str, Sequence[Category]] = (),
        categorical: Sequence[str] | None = None,
        numeric: Sequence[str] | None = None,
        min_iv: float = 0.0,
        max_correlation: float = 0.7,
        max_vif: float | None = None,
        selection: Selection = "none",
        criterion: Criterion = "pvalue",
        p_enter: float = 0.05,
        p_remove: float = 0.10,
        round_points: bool = False,
        ordinal: Mapping[str, Sequence[Category]] | None = None,
        user_bins: Mapping[str, Sequence[Any]] | None = None,
        min_events_per_feature: float = 10.0,
        penalty: Penalty = "l2",
        penalty_strength: float | str = 1.0,
        feature_sources: Mapping[str, Any] | Iterable[Any] | None = None,
    ) -> None:
        self.scaling = scaling
        self.binning = binning
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
        self.ordinal = ordinal
        self.user_bins = user_bins
        self.min_events_per_feature = min_events_per_feature
        self.penalty = penalty
        self.penalty_strength = penalty_strength
        self.feature_sources = feature_sources

    # ------------------------------------------------------ sklearn protocol ---

    def __sklearn_tags__(self) -> Any:
        """Estimator tags for scikit-learn (imported only when scikit-learn asks)."""
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(
            estimator_type="classifier",
            target_tags=TargetTags(required=True),
            classifier_tags=ClassifierTags(multi_class=False),
            input_tags=InputTags(allow_nan=True, string=True, categorical=True),
        )

    # ------------------------------------------------------------------- fit ---

    def with_bins(
        self, bins: Mapping[str, Sequence[Any]], X: Matrix, y: Vector, sample_weight: Vector | None = None
    ) -> Scorecard:
        """A new card with the given columns re-binned by hand, refitted on ``(X, y)``.

        The other columns keep this card's bins (their counts and WOE are
        recomputed on ``X``); the filters, the selection and the regression
        are refitted on the data supplied. This card is not changed.

        Parameters
        ----------
        bins : mapping of str to list-like
            Per column, inner edges or groups of categories (as ``user_bins``).
        X : DataFrame or 2-D array, shape (n, k)
            Training rows, as in :meth:`fit`.
        y : array-like of {0, 1}, shape (n,)
            Outcomes, 1 = bad, as in :meth:`fit`.
        sample_weight : array-like of float, shape (n,), optional
            Non-negative row weights, as in :meth:`fit`.

        Returns
        -------
        Scorecard
            A new fitted card whose ``user_bins`` are this card's with ``bins`` added.

        Raises
        ------
        NotFittedError, InvalidInputError, SchemaError
            Before ``fit``; invalid ``bins`` (as ``user_bins``); as :meth:`fit`.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from jiebei_credit.scorecard import BinningParams, Scorecard
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"util": rng.random(3000), "inq": rng.poisson(1.0, 3000)})
        >>> y = (rng.random(3000) < 1 / (1 + np.exp(3 - 2 * X["util"] - 0.5 * X["inq"]))).astype(int)
        >>> card = Scorecard(binning=BinningParams(max_bins=4)).fit(X, y)
        >>> new = card.with_bins({"util": [0.25, 0.5, 0.75]}, X, y)
        >>> new.binnings_["util"].edges, new.binnings_["inq"].edges == card.binnings_["inq"].edges
        ((0.25, 0.5, 0.75), True)
        """
        func = "Scorecard.with_bins"
        self._check_fitted(func)
        given = bin_specs(RULES["user_bins"](bins, func, "bins")) or {}
        frozen = {c: binning_spec(b) for c, b in self.binnings_.items() if c not in given}
        new = type(self)(**self.get_params(deep=False))
        new.user_bins = {**(self.user_bins or {}), **bins}
        return new._fit(func, X, y, sample_weight, frozen)

    def fit(
        self, X: Matrix, y: Vector, sample_weight: Vector | None = None, *, progress: Progress = None
    ) -> Scorecard:
        """Bin, filter, select, fit and scale; see the class docstring.

        Parameters
        ----------
        X : DataFrame or 2-D array, shape (n, k)
            Feature table (arrays get columns ``x0 … x{k-1}``). Not modified.
            Columns hold numbers, text, categories or booleans; dates,
            durations, complex numbers and other objects are refused.
        y : array-like of {0, 1}, shape (n,)
            Target: 1 = bad, 0 = good (booleans too). A Series is matched to
            a DataFrame ``X`` by index label.
        sample_weight : array-like of float, shape (n,), optional
            Non-negative frequency weights (a row of weight 2 counts like two
            identical rows); a Series is matched to ``X`` by label.
        progress : bool or callable, optional
            Feedback while fitting (off by default): ``True`` shows a
            ``tqdm`` bar (extra ``progress``); a callable is called as
            ``progress(done, total, label)`` after each binned column (phase
            ``binning``, ``total`` = the number of columns), then after each
            round of candidate fits of the selection (``total`` None: the
            number of rounds is not known in advance). The steps are also
            logged on the ``jiebei_credit.scorecard`` logger (DEBUG; the
            phases at INFO). Not metadata: never routed by scikit-learn.

        Returns
        -------
        Scorecard
            ``self``, fitted.

        Raises
        ------
        InvalidInputError
            Invalid parameters (each message names it), target or weights;
            ``y`` or ``sample_weight`` with other index labels than ``X``;
            a column of an unsupported type, with infinities, or with
            categories SQL could not tell apart (``1`` and ``'1'``); a
            ``scaling`` whose points are not finite or lose the differences
            between bins (an impossible card); no
            feature left to fit; WOE columns that predict the target
            perfectly or are perfectly collinear.
        SchemaError
            Column names that are not unique strings.

        Warns
        -----
        ConvergenceWarning
            Quasi-separation, non-convergence, fitted probabilities of 0 or
            1, or undefined standard errors in the logistic fit.
        DataWarning
            A large, unstable coefficient on a feature whose WOE varies
            little across its bins; fewer than 10 events per model feature.
        """
        check_progress("Scorecard.fit", progress)
        return self._fit("Scorecard.fit", X, y, sample_weight, None, progress=progress)

    def _fit(self, func: str, X: Any, y: Any, sample_weight: Any,
             frozen: Mapping[str, tuple[Any, ...]] | None, *, progress: Progress = None) -> Scorecard:
        scaling = RULES["scaling"](self.scaling, func, "scaling")
        round_points = RULES["round_points"](self.round_points, func, "round_points")
        sources = RULES["feature_sources"](self.feature_sources, func, "feature_sources")
        steps = check_steps(
            func, min_iv=self.min_iv, max_correlation=self.max_correlation, max_vif=self.max_vif,
            selection=self.selection, criterion=self.criterion, p_enter=self.p_enter,
            p_remove=self.p_remove, min_events_per_feature=self.min_events_per_feature,
            penalty=self.penalty, penalty_strength=self.penalty_strength,
        )  # fmt: skip
        merge, rest = binning_params(func, self)
        ordinal = rest.pop("ordinal")
        frame, yv, w = fit_data(func, X, y, sample_weight)
        empty = [c for c in frame.columns if bool(frame[c].isna().all())]
        if empty and len(empty) == frame.shape[1]:
            raise V.fail(func, "X", "must leave at least one feature to fit (no feature is left to fit)",
                         f"{len(empty)} column(s), all empty (every value missing): "
                         f"{V.show(empty, len(empty))}",
                         "Pass columns with values.")
        used = frame.drop(columns=empty) if empty else frame
        fixed = {**(frozen or {}), **(merge.user_bins or {})}
        merge = replace(merge, user_bins={c: s for c, s in fixed.items() if c not in empty} or None)
        if empty and isinstance(rest.get("special_values"), dict):
            rest["special_values"] = {c: v for c, v in rest["special_values"].items() if c not in empty}
        for param in ("categorical", "numeric"):
            if empty and rest.get(param) is not None:
                rest[param] = tuple(c for c in rest[param] if c not in empty)
        result = fit_card(func, apply_ordinal(func, used, ordinal), yv, w, merge, steps, **rest,
                          progress=progress)
        fit = result.fit
        binnings = dict(result.binnings)
        wv = np.ones_like(yv) if w is None else w
        goods, bads = float(np.sum(wv * (1.0 - yv))), float(np.sum(wv * yv))
        for c in empty:
            binnings[c] = empty_binning(c, goods, bads, merge.unseen)
        self.binnings_ = {c: binnings[c] for c in frame.columns}
        self.features_ = fit.features
        self.intercept_ = float(fit.params[0])
        self.coef_ = np.asarray(fit.params[1:], dtype=np.float64)
        self.std_errors_ = fit.bse
        self.p_values_ = fit.pvalues
        self.vif_ = result.vif
        self.aic_ = fit.aic
        self.log_likelihood_ = fit.llf
        self.null_log_likelihood_ = fit.llnull
        self.pseudo_r2_ = fit.pseudo_r2
        self.n_obs_ = fit.n_obs
        n = len(frame)
        self.drops_ = (
            *((c, "empty", f"every value is missing ({n} of {n} rows): nothing to bin") for c in empty),
            *(_constant(d.feature, d.step, d.reason, self.binnings_[d.feature]) for d in result.drops),
        )
        self.penalty_strength_ = result.ridge
        self.feature_sources_ = resolve(self.features_, sources)
        self.lineage_: tuple[LineageRecord, ...] = ()
        self.scaling_ = scaling
        self.round_points_ = round_points
        points = card_points(self)
        try:
            check_points(func, self, points)
        except InvalidInputError:
            self.__dict__.pop("points_", None)  # never leave a refitted card with stale points
            raise
        self.points_ = points
        self.feature_names_in_ = np.asarray(list(frame.columns), dtype=object)
        self.n_features_in_ = len(frame.columns)
        self.classes_ = np.array([0, 1])
        return self

    def _check_fitted(self, func: str) -> None:
        if not hasattr(self, "points_"):
            raise NotFittedError(f"{func}: this Scorecard is not fitted yet; call fit(X, y) first.")

    # --------------------------------------------------------------- scoring ---

    def _score_array(self, func: str, X: Any) -> tuple[FloatArray, pd.Index]:
        self._check_fitted(func)
        frame = as_frame(func, X, n_features=self.n_features_in_)
        require_columns(func, frame, list(self.features_))
        total = score_points(func, frame, self.features_, self.binnings_, self.points_, neutral_points(self))
        policies = {b.unseen for f, b in self.binnings_.items() if f in self.features_}
        if policies != {"raise"}:
            warn_unseen(func, unseen_flags(func, frame, self.features_, self.binnings_),
                        " / ".join(sorted(policies)))
        return total, frame.index

    def unseen_flags(self, X: Matrix) -> pd.DataFrame:
        """Which values of each row were not seen in development (per model feature).

        Parameters
        ----------
        X : DataFrame or 2-D array, shape (n, k)
            Rows to score, with at least the model's features. Not modified.

        Returns
        -------
        pandas.DataFrame
            One bool column per model feature, on ``X``'s index: ``True``
            where the value had no training bin (a new category, or a
            missing or special value absent in training), so the ``unseen``
            policy scored it.

        Raises
        ------
        NotFittedError, SchemaError, InvalidInputError
            Before ``fit``; a model feature missing from ``X``; infinite values.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from jiebei_credit.scorecard import BinningParams, Scorecard
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"util": rng.random(2000)})
        >>> y = (rng.random(2000) < 0.1 + 0.3 * X["util"]).astype(int)
        >>> card = Scorecard(binning=BinningParams(max_bins=3)).fit(X, y)
        >>> card.unseen_flags(pd.DataFrame({"util": [0.5, np.nan]}))["util"].tolist()
        [False, True]
        """
        func = "Scorecard.unseen_flags"
        self._check_fitted(func)
        frame = as_frame(func, X, n_features=self.n_features_in_)
        require_columns(func, frame, list(self.features_))
        return unseen_flags(func, frame, self.features_, self.binnings_)

    def points(self, X: Matrix) -> pd.Series:
        """Credit points per row: the sum of the points of each feature's bin.

        Parameters
        ----------
        X : DataFrame or 2-D array, shape (n, k)
            Rows to score, with at least the model's features. Not modified.

        Returns
        -------
        pandas.Series
            float64 points named ``"score"``, on ``X``'s index; higher means
            lower risk (``scaling_`` converts them to odds and PD).

        Raises
        ------
        NotFittedError, SchemaError, InvalidInputError
            Before ``fit``; a model feature missing from ``X``; values unseen
            in training with ``unseen='raise'``.

        Warns
        -----
        DataWarning
            Values unseen in training, scored by the ``unseen`` policy (the
            count per column; :meth:`unseen_flags` gives the rows).
        """
        total, index = self._score_array("Scorecard.points", X)
        return pd.Series(total, index=index, name="score", dtype="float64")

    def score(self, X: Matrix, y: Vector, sample_weight: Vector | None = None) -> float:
        """Area under the ROC curve of the card's PD on ``(X, y)`` (scikit-learn's ``score``).

        scikit-learn's model selection (``cross_val_score``, ``GridSearchCV``)
        maximises ``score``; for a scorecard the natural figure of merit is
        discrimination, so this is the AUC of ``predict_proba(X)[:, 1]``
        against ``y`` (1 = bad), computed by :func:`jiebei_credit.metrics.auc`.
        Credit points per row are :meth:`points`.

        Parameters
        ----------
        X : DataFrame or 2-D array, shape (n, k)
            Rows to evaluate.
        y : array-like of {0, 1}, shape (n,)
            Outcomes, 1 = bad.
        sample_weight : array-like of float, shape (n,), optional
            Non-negative weights.

        Returns
        -------
        float
            AUC in ``[0, 1]``; 0.5 is no discrimination.
        """
        from jiebei_credit.metrics import auc

        total, index = self._score_array("Scorecard.score", X)
        bad = np.asarray(self.scaling_.pd_from_score(total), dtype=np.float64)
        pd_ = pd.Series(bad, index=index) if isinstance(X, pd.DataFrame) else bad
        return auc(y, pd_, higher="riskier", sample_weight=sample_weight)

    def predict_proba(self, X: Matrix) -> FloatArray:
        """``[P(good), P(bad)]`` per row from the score (array of shape (n, 2)).

        The score (rounded or not) is converted back to PD with ``scaling_``,
        so points, score and probability always agree.

        Parameters
        ----------
        X : DataFrame or 2-D array, shape (n, k)
            Rows to score, with at least the model's features. Not modified.

        Returns
        -------
        numpy.ndarray of float64, shape (n, 2)
            Column 0 is P(good), column 1 P(bad); each row sums to 1.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        SchemaError
            A model feature is missing from ``X``.
        InvalidInputError
            Values unseen in training with ``unseen='raise'``; infinite values.
        """
        total, _ = self._score_array("Scorecard.predict_proba", X)
        bad = np.asarray(self.scaling_.pd_from_score(total), dtype=np.float64)
        return np.column_stack([1.0 - bad, bad])

    def predict(self, X: Matrix) -> np.ndarray[Any, np.dtype[np.int64]]:
        """1 (bad) where P(bad) > 0.5, else 0.

        Parameters
        ----------
        X : DataFrame or 2-D array, shape (n, k)
            Rows to score, with at least the model's features. Not modified.

        Returns
        -------
        numpy.ndarray of int64, shape (n,)
            The predicted class per row.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        SchemaError
            A model feature is missing from ``X``.
        InvalidInputError
            Values unseen in training with ``unseen='raise'``; infinite values.
        """
        return (self.predict_proba(X)[:, 1] > 0.5).astype(np.int64)

    def decision_function(self, X: Matrix) -> FloatArray:
        """The log-odds of bad implied by the score (higher = riskier).

        Parameters
        ----------
        X : DataFrame or 2-D array, shape (n, k)
            Rows to score, with at least the model's features. Not modified.

        Returns
        -------
        numpy.ndarray of float64, shape (n,)
            ``ln(P(bad) / P(good))`` per row, i.e. minus
            ``scaling_.log_odds_from_score(score)`` (the scaling's odds are
            good:bad by default).

        Raises
        ------
        NotFittedError
            Before ``fit``.
        SchemaError
            A model feature is missing from ``X``.
        InvalidInputError
            Values unseen in training with ``unseen='raise'``; infinite values.
        """
        total, _ = self._score_array("Scorecard.decision_function", X)
        return np.asarray(-self.scaling_.log_odds_from_score(total), dtype=np.float64)

    # ---------------------------------------------------------------- tables ---

    def table(self) -> pd.DataFrame:
        """Per feature and bin: ``feature, bin, label, count, bad_rate, woe, points``.

        Returns
        -------
        pandas.DataFrame
            One row per bin of each model feature, in model order and bin
            table order.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        """
        self._check_fitted("Scorecard.table")
        return card_table(self)

    def summary(self) -> pd.DataFrame:
        """One row per column: status, coefficient, std error, p-value, IV, VIF, reason.

        Returns
        -------
        pandas.DataFrame
            Columns ``feature, status, coefficient, std_error, p_value, iv,
            vif, reason``. The intercept comes first, then the model features
            (status ``model``), then every dropped column in the order it was
            dropped, with status ``dropped (<step>)`` — ``empty``, ``iv``, ``constant``,
            ``correlation``, ``vif``, ``epv``, ``forward``/``stepwise`` or ``sign`` —
            and the reason. ``attrs`` holds the model's ``aic``, McFadden
            ``pseudo_r2`` (``1 − llf / llnull``), ``log_likelihood``,
            ``null_log_likelihood`` and ``n_obs`` (total weight).

        Notes
        -----
        Standard errors are the square roots of the diagonal of the inverse
        information matrix at the maximum (statsmodels; for the logit link
        the observed and the expected information coincide); p-values are two-sided Wald
        tests, ``2 Φ(−|β / se|)``; ``AIC = −2 llf + 2 (k + 1)``; VIF is the
        diagonal of the inverse correlation matrix of the model's WOE columns.
        """
        self._check_fitted("Scorecard.summary")
        return card_summary(self)

    # ----------------------------------------------------------- persistence ---

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict: schema, version, parameters, binnings, estimates and points.

        Only aggregates are stored (bin counts, coefficients), never rows.
        :meth:`from_dict` rebuilds a card that scores and explains identically.

        Returns
        -------
        dict of str to object
            JSON-safe (``json.dumps`` writes it without a custom encoder).

        Raises
        ------
        NotFittedError
            Before ``fit``.
        """
        self._check_fitted("Scorecard.to_dict")
        return card_to_dict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Scorecard:
        """Rebuild a fitted card from :meth:`to_dict` output (identical scores and reasons).

        The rebuilt card has the parameters and the fitted ``scaling_`` and
        ``round_points_`` of the original, which differ if the original's
        parameters were changed with ``set_params`` after fitting.

        Parameters
        ----------
        d : mapping
            The output of :meth:`to_dict`, e.g. read back from JSON.

        Returns
        -------
        Scorecard
            A fitted card.

        Raises
        ------
        InvalidInputError
            Wrong ``schema`` or unsupported ``version``, unknown or missing
            keys (top level or ``params``), values of the wrong type.
        """
        return card_from_dict(cls, d)

    def fingerprint(self) -> str:
        """A stable hash of the card: SHA-256 (hex) of the canonical JSON of :meth:`to_dict`.

        The JSON has its keys sorted and no spaces, so the fingerprint does
        not depend on the process, the Python hash seed or the order of any
        dict; two cards share it iff their :meth:`to_dict` payloads are equal.
        A recalibrated card names its parent by it (:attr:`lineage_`).

        Returns
        -------
        str
            64 lowercase hexadecimal digits.

        Raises
        ------
        NotFittedError
            Before ``fit``.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from jiebei_credit.scorecard import BinningParams, Scorecard
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"util": rng.random(2000)})
        >>> y = (rng.random(2000) < 0.1 + 0.3 * X["util"]).astype(int)
        >>> card = Scorecard(binning=BinningParams(max_bins=3)).fit(X, y)
        >>> fp = card.fingerprint()
        >>> len(fp), Scorecard.from_dict(card.to_dict()).fingerprint() == fp
        (64, True)
        """
        self._check_fitted("Scorecard.fingerprint")
        return fingerprint(card_to_dict(self))

    def recalibrate(
        self, X: Matrix, y: Vector, *, method: str = "intercept", sample_weight: Vector | None = None,
        as_of: DateLike | None = None,
    ) -> Scorecard:
        """A new card with the same bins, its PDs recalibrated on ``(X, y)``; this card is unchanged.

        Parameters
        ----------
        X : DataFrame or 2-D array, shape (n, k)
            Recent rows with at least the model's features. Not modified.
        y : array-like of {0, 1}, shape (n,)
            Their observed outcomes, 1 = bad (a Series is matched to a
            DataFrame ``X`` by index label).
        method : {'intercept', 'logistic'}, default 'intercept'
            ``'intercept'``: calibration in the large, the mean PD on ``X``
            becomes the observed bad rate and the ranking is untouched.
            ``'logistic'``: an intercept and a slope on the card's log-odds,
            which also corrects PDs that are too extreme or too moderate.
        sample_weight : array-like of float, shape (n,), optional
            Non-negative frequency weights.
        as_of : date-like, optional
            Date of the data (e.g. the end of its outcome window), kept in
            the lineage.

        Returns
        -------
        Scorecard
            A fitted card with the same bins and WOE, coefficients ``b βj``,
            intercept ``b β0 + a``, points recomputed with the same scaling,
            and :attr:`lineage_` this card's lineage plus one
            :class:`LineageRecord`.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        InvalidInputError
            ``method`` unknown; ``as_of`` not a date; ``y`` not 0/1 or with one
            class only; ``y`` or ``sample_weight`` not matching ``X``'s rows;
            for ``'logistic'``, a single distinct score, scores that separate
            the outcomes, or a slope that is not positive (the card ranks
            the data backwards: rebuild it).
        SchemaError
            A model feature missing from ``X``.

        Warns
        -----
        DataWarning
            Values unseen in development (scored by the ``unseen`` policy).

        Notes
        -----
        With ``x_i`` the card's log-odds of bad on row ``i``
        (``logit PD_i = −(score_i − offset) / factor``), the recalibration
        model is ``logit PD'_i = a + b x_i``, fitted by weighted maximum
        likelihood with the Newton solver of
        :func:`jiebei_credit.metrics.calibration_slope` (Cox, 1958):

        - ``'intercept'``: ``b = 1`` and ``a`` solves
          ``Σ w_i (y_i − expit(a + x_i)) = 0``, so the weighted mean PD of
          the new card on ``X`` equals the weighted bad rate (to the
          solver's precision, with unrounded points);
        - ``'logistic'``: ``a`` and ``b`` jointly; the score equations make
          the mean PD equal the bad rate here too.

        Since ``x = β0 + Σ βj w_j``, the new model is ``(b β0 + a) + Σ (b βj) w_j``;
        the points follow from it as at fit (class Notes), so the new
        card's score is ``offset − factor · (a + b x)`` before rounding,
        and ``to_sql``, ``explain`` and ``to_dict`` read these points. The
        development statistics stay those of the development fit, except
        that the standard errors are multiplied by ``b`` (conditional on
        ``a`` and ``b``) and the intercept's p-value recomputed from them.

        References
        ----------
        D. R. Cox, "Two further applications of a model for binary
        regression", *Biometrika* 45 (1958) 562–565.
        N. Siddiqi, *Credit Risk Scorecards*, 2nd ed., Wiley, 2017, ch. 12.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from jiebei_credit.scorecard import BinningParams, Scorecard
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"util": rng.random(4000)})
        >>> y = (rng.random(4000) < 0.05 + 0.2 * X["util"]).astype(int)
        >>> card = Scorecard(binning=BinningParams(max_bins=4)).fit(X, y)
        >>> y_now = (rng.random(4000) < 0.10 + 0.3 * X["util"]).astype(int)   # defaults doubled
        >>> new = card.recalibrate(X, y_now, method="intercept", as_of="2025-06-30")
        >>> bool(np.isclose(new.predict_proba(X)[:, 1].mean(), y_now.mean()))
        True
        >>> new.lineage_[0].parent == card.fingerprint(), new.binnings_ == card.binnings_
        (True, True)
        """
        return recalibrate(self, X, y, method=method, sample_weight=sample_weight, as_of=as_of)

    # ----------------------------------------------------------- data sources ---

    def data_sources(self) -> tuple[str, ...]:
        """The tables the model features read, sorted (``"unknown"`` for undescribed features).

        What the card's decisions use, for a privacy notice (PIPL Art. 17
        and 24); set by ``feature_sources`` at fit and kept by ``to_dict``.

        Returns
        -------
        tuple of str
            Table names, sorted, each once.

        Raises
        ------
        NotFittedError
            Before ``fit``.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from jiebei_credit.features import specs_for
        >>> from jiebei_credit.scorecard import BinningParams, Scorecard
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"inq_count_45d": rng.poisson(1.0, 3000), "mine": rng.random(3000)})
        >>> y = (rng.random(3000) < 0.05 + 0.05 * X["inq_count_45d"] + 0.1 * X["mine"]).astype(int)
        >>> card = Scorecard(binning=BinningParams(max_bins=3), feature_sources=specs_for(X.columns)).fit(X,
        ...                                                                                               y)
        >>> card.data_sources(), card.data_categories()
        (('inquiries', 'unknown'), ('inquiries', 'unknown'))
        """
        self._check_fitted("Scorecard.data_sources")
        return tables_of(self.feature_sources_)

    def data_categories(self) -> tuple[str, ...]:
        """The data categories of the model features, sorted (``"unknown"`` for undescribed ones).

        Returns
        -------
        tuple of str
            Category names (see :data:`jiebei_credit.records.DATA_CATEGORIES`), sorted, each once.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        """
        self._check_fitted("Scorecard.data_categories")
        return categories_of(self.feature_sources_)

    def missing_sources(self, sources: Sequence[str]) -> tuple[str, ...]:
        """The tables the card needs that ``sources`` (e.g. the consented tables) does not allow.

        An empty tuple proves that a consent-limited extraction,
        ``features.extract(records, obs, sources=sources)``, yields every
        column the card scores with (for catalog features). A card with
        an undescribed feature always misses ``"unknown"``.

        Parameters
        ----------
        sources : list of str
            Allowed table names.

        Returns
        -------
        tuple of str
            The tables of :meth:`data_sources` not in ``sources``, sorted.

        Raises
        ------
        NotFittedError, InvalidInputError
            Before ``fit``; ``sources`` not a list of strings.
        """
        func = "Scorecard.missing_sources"
        self._check_fitted(func)
        return missing(func, self.feature_sources_, sources)

    # ------------------------------------- scikit-learn routing and notebooks ---

    def set_score_request(self, *, sample_weight: bool | str | None = "$UNCHANGED$") -> Scorecard:
        """Request ``sample_weight`` for :meth:`score` when scikit-learn routes metadata.

        With ``sklearn.set_config(enable_metadata_routing=True)``, a router
        (``GridSearchCV`` or ``cross_validate`` under default scoring) passes
        ``sample_weight`` to :meth:`score` only if it was requested here;
        :meth:`set_fit_request` does the same for :meth:`fit`.

        Parameters
        ----------
        sample_weight : bool, str or None, default unchanged
            True: pass it; False: do not; None: a router given it raises
            (scikit-learn's default); a string: pass the metadata of that
            name as ``sample_weight``.

        Returns
        -------
        Scorecard
            ``self``, with the request stored (kept by ``clone``).

        Raises
        ------
        InvalidInputError
            A value other than True, False, None or an identifier.
        """
        return self._set_request("score", sample_weight=sample_weight)

    def _repr_html_(self) -> str:
        """Notebook display: the parameters before ``fit``; size, scaling and summary after."""
        from jiebei_credit.scorecard._reprs import scorecard_html

        return scorecard_html(self)

    # ---------------------------------------------------------------- report ---

    def report(
        self,
        X_dev: pd.DataFrame,
        y_dev: Vector,
        X_holdout: pd.DataFrame | None = None,
        y_holdout: Vector | None = None,
        *,
        title: str | None = None,
        plots: bool = True,
        grades: int = 10,
    ) -> str:
        """The model report for a risk committee: one self-contained HTML document, as a string.

        Sections, each with an ``id`` and an English / 中文 heading: data and
        sample summary (``sample``), every column's binning table and plot
        (``binning``), selection steps and reasons (``selection``),
        coefficients with p-values and VIF (``coefficients``), the points
        table (``points``), discrimination (``discrimination``: AUC, Gini,
        KS, ROC and KS curves), calibration with tests (``calibration``:
        Hosmer-Lemeshow, calibration intercept and slope, Brier score,
        binomial and Jeffreys tests per grade), stability development
        against holdout (``stability``: score PSI, CSI, bad rate by band),
        data sources and PIPL data categories (``data``), and the
        fingerprint and lineage (``lineage``).

        The document needs no server, no network and no script: styles are
        inline, figures are inline SVG, and a Content-Security-Policy meta
        tag forbids any external resource or script. Every user string is
        escaped. The same card and samples give the same bytes (no date, no
        random id). Writing it to a file is the caller's line::

            Path("card_report.html").write_text(card.report(X, y, X_test, y_test), encoding="utf-8")

        Parameters
        ----------
        X_dev : pandas.DataFrame
            Development sample, with at least the model's features. Not modified.
        y_dev : array-like of {0, 1}, shape (n,)
            Its outcomes (1 = bad); a Series is matched to ``X_dev`` by index label.
        X_holdout : pandas.DataFrame, optional
            Holdout (or out-of-time) sample; give it with ``y_holdout`` for
            holdout figures and the stability section.
        y_holdout : array-like of {0, 1}, optional
            Its outcomes.
        title : str, optional
            Title of the document (default "Scorecard model report"); escaped.
        plots : bool, default True
            Embed the figures (needs matplotlib, the ``plot`` extra). False
            gives the same report with tables only. A report with plots
            never silently drops them: without matplotlib it raises.
        grades : int, default 10
            PD grades (quantiles of PD) of the calibration tests.

        Returns
        -------
        str
            The HTML document (UTF-8 text, starting ``<!DOCTYPE html>``).

        Raises
        ------
        NotFittedError
            Before ``fit``.
        InvalidInputError
            ``X_dev`` or ``X_holdout`` not a non-empty DataFrame; an outcome
            not 0/1, of another length or index than its sample, or holding
            one class; one holdout argument without the other; ``title``
            not a string; ``plots`` not a bool; ``grades`` below 2; values
            unseen in training with ``unseen='raise'``.
        SchemaError
            A model feature missing from a sample.
        ImportError
            ``plots=True`` without matplotlib (the message names the extra).

        Warns
        -----
        DataWarning
            Values unseen in training in a sample (as :meth:`points`).

        Notes
        -----
        Discrimination uses the card's PD with ``higher="riskier"``; Gini is
        ``2 AUC − 1``. The calibration tests and the sample summary are
        unweighted: they count rows. Numbers are shown to 6 significant
        digits and texts longer than 200 characters are cut with "…", as
        in the notebook displays.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from jiebei_credit.scorecard import BinningParams, Scorecard
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"util": rng.random(3000), "inq": rng.poisson(1.0, 3000)})
        >>> y = (rng.random(3000) < 1 / (1 + np.exp(3 - 2 * X["util"] - 0.5 * X["inq"]))).astype(int)
        >>> card = Scorecard(binning=BinningParams(max_bins=4)).fit(X.iloc[:2000], y.iloc[:2000])
        >>> doc = card.report(X.iloc[:2000], y.iloc[:2000], X.iloc[2000:], y.iloc[2000:], plots=False)
        >>> doc.startswith("<!DOCTYPE html>"), 'id="stability"' in doc, "<script" in doc
        (True, True, False)
        """
        from jiebei_credit.scorecard._report_doc import render

        return render(self, X_dev, y_dev, X_holdout, y_holdout, title=title, plots=plots, grades=grades)

    # ------------------------------------------------------- explain and SQL ---

    def explain(
        self, X: Matrix, top: int = 4, *, descriptions: Mapping[str, tuple[str, str]] | None = None
    ) -> pd.DataFrame:
        """The reasons per row: the features that cost the most points.

        See :func:`jiebei_credit.scorecard.explain`, which this calls with the card.

        Parameters
        ----------
        X : DataFrame
            Rows to explain, with the model's features.
        top : int, default 4
            Reasons per row (fewer when fewer features lost points).
        descriptions : mapping of str to (English, Chinese), optional
            Texts per feature, each a pair of strings; by default from
            ``jiebei_credit.features.CATALOG``, else the column name.

        Returns
        -------
        pandas.DataFrame
            One row per reason: ``row``, ``rank``, ``feature``, ``bin``,
            ``points``, ``points_lost``, ``reason`` and ``reason_zh``.

        Raises
        ------
        NotFittedError
            Before ``fit``.
        InvalidInputError
            ``top`` is not an integer >= 1; invalid ``descriptions``; values
            unseen in training with ``unseen='raise'``.
        SchemaError
            A model feature is missing from ``X``.
        """
        from jiebei_credit.scorecard._explain import explain_rows

        return explain_rows(self, X, top=top, descriptions=descriptions, func="Scorecard.explain")

    def counterfactual(self, X: Matrix, *, target_score: float, actionable: Sequence[str]) -> pd.DataFrame:
        """Per row, the fewest changes of actionable features (by bin) that reach ``target_score``.

        The constructive half of a PIPL Art. 24 explanation: what would have
        to change for the card to give the target score.

        Parameters
        ----------
        X : DataFrame or 2-D array, shape (n, k)
            Rows to explain, with the model's features.
        target_score : float
            The score (points) to reach.
        actionable : list of str
            Model features the applicant can change (required: no default
            takes every feature). Features whose name holds a protected
            attribute word (gender, sex, ethnic(ity), race, religion,
            marital, nationality, hukou, birth, pregnancy, disability) are
            refused.

        Returns
        -------
        pandas.DataFrame
            One row per change: ``row`` (index label of ``X``),
            ``feature``, ``from_bin`` and ``to_bin`` (bin labels),
            ``points_gained``, ``text`` (English) and ``text_zh`` (中文).
            Rows already at or above the target have no change; rows that
            cannot reach it even with every actionable feature at its best
            bin get one row with ``feature`` None, the most points they
            could gain and a text that says so (these come last).

        Raises
        ------
        NotFittedError, SchemaError
            Before ``fit``; a model feature missing from ``X``.
        InvalidInputError
            ``target_score`` not a finite number; ``actionable`` empty,
            naming a feature outside the model, or a protected attribute;
            values unseen in training with ``unseen='raise'``.

        Notes
        -----
        Each actionable feature ``j`` of a row can gain at most
        ``g_j = max_k points_jk − points_j(current bin)``, by moving to its
        best bin (the nearest one, in bin order, when several tie). The
        fewest features whose gains reach ``target − score`` are the ones of
        largest ``g_j``: if any ``m`` features reach it, the ``m`` largest
        gains do. So taking gains in decreasing order until the target is
        reached is exact for the number of features changed (the test suite
        checks it against a search over every subset).

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> from jiebei_credit.scorecard import BinningParams, Scorecard
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"util": rng.random(3000), "inq": rng.poisson(1.0, 3000)})
        >>> y = (rng.random(3000) < 1 / (1 + np.exp(3 - 2 * X["util"] - 0.5 * X["inq"]))).astype(int)
        >>> card = Scorecard(binning=BinningParams(max_bins=4)).fit(X, y)
        >>> cf = card.counterfactual(X.head(3), target_score=620, actionable=["util", "inq"])
        >>> list(cf.columns)
        ['row', 'feature', 'from_bin', 'to_bin', 'points_gained', 'text', 'text_zh']
        """
        from jiebei_credit.scorecard._counterfactual import counterfactual

        return counterfactual(self, X, target_score=target_score, actionable=actionable)

    def to_sql(
        self,
        table: str = "features",
        *,
        score_column: str = "score",
        key: str | None = None,
        dialect: str = "sqlite",
    ) -> str:
        """A ``SELECT`` computing the score from ``table`` in SQLite, Spark SQL or DuckDB.

        Parameters
        ----------
        table : str, default "features"
            The table (or view) holding one column per model feature. Any
            non-empty name; it is quoted.
        score_column : str, default "score"
            The name of the score column in the result.
        key : str, optional
            A column to select alongside the score (a row id).
        dialect : {"sqlite", "spark", "duckdb"}, default "sqlite"
            The engine that runs the statement; ``"sqlite"`` is the output of
            earlier releases.

        Returns
        -------
        str
            One ``SELECT`` whose score equals :meth:`points` on the same
            rows (``NULL`` where ``points`` refuses an unseen value).

        Raises
        ------
        NotFittedError
            Before ``fit``.
        InvalidInputError
            An empty name; an unknown ``dialect``; model features whose
            names differ only in letter case.

        Notes
        -----
        Each feature is one ``CASE`` (missing, special values, bins, unseen
        values by the card's ``unseen`` policy); the score is their sum,
        left to right, in double arithmetic. The dialects differ in
        identifier quoting (``"`` or backticks), number literals (exact
        binary fractions for SQLite, DOUBLE literals such as ``1.5E0`` for
        Spark and DuckDB, where ``1.5`` is a DECIMAL), text escapes, NaN
        (Spark and DuckDB keep it apart from ``NULL``) and how a category is
        matched; see ``jiebei_credit.scorecard._sql.scorecard_sql``.

        Examples
        --------
        >>> import sqlite3
        >>> import numpy as np, pandas as pd
        >>> from jiebei_credit.scorecard import BinningParams, Scorecard
        >>> rng = np.random.default_rng(0)
        >>> X = pd.DataFrame({"util": rng.random(2000)})
        >>> y = (rng.random(2000) < 0.05 + 0.2 * X["util"]).astype(int)
        >>> card = Scorecard(binning=BinningParams(max_bins=3)).fit(X, y)
        >>> print(card.to_sql("apps", dialect="spark").splitlines()[0][:40])
        SELECT 0E0 + (CASE WHEN `util` IS NULL O
        >>> con = sqlite3.connect(":memory:")
        >>> _ = X.to_sql("apps", con)
        >>> sql = [s for (s,) in con.execute(card.to_sql("apps"))]
        >>> bool(np.array_equal(sql, card.points(X)))
        True
        """
        from jiebei_credit.scorecard._sql import scorecard_sql

        return scorecard_sql(self, table, score_column=score_column, key=key,
                             dialect=dialect)  # type: ignore[arg-type]
