"""Scorecard stability report: score PSI, feature CSI and bad-rate shift by score band."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol

import numpy as np
import pandas as pd

from jiebei_credit._bands import band_edges, band_index
from jiebei_credit._lights import Status, alpha_levels, index_light, index_thresholds, p_value_lights, worst
from jiebei_credit._normal import two_sided_p
from jiebei_credit._psi import bin_samples, binning_parts, check_smoothing, psi_parts
from jiebei_credit._types import Vector
from jiebei_credit._validation import (
    FloatArray,
    IntArray,
    as_frame,
    fail,
    float_vector,
    integer,
    listlike,
    mapping,
    offending,
    same_rows,
)
from jiebei_credit.errors import JiebeiCreditError, NotFittedError, Problem, SchemaError
from jiebei_credit.metrics import PSI_THRESHOLDS, BinningLike, PSIResult, auc, ks

_FUNC = "stability_report"
#: Default significance levels (amber, red) of the bad-rate shift test.
BAD_RATE_ALPHA: tuple[float, float] = (0.05, 0.01)


class ScorecardLike(Protocol):
    """What :func:`stability_report` needs from a fitted scorecard.

    :class:`jiebei_credit.scorecard.Scorecard` satisfies it once fitted.
    """

    @property
    def features_(self) -> tuple[str, ...]:
        """Features in the final model."""
        ...

    @property
    def binnings_(self) -> Mapping[str, BinningLike]:
        """Fitted binning per feature (at least those in ``features_``)."""
        ...

    def points(self, X: pd.DataFrame) -> pd.Series[Any]:
        """The points per row of ``X``, higher = lower risk.

        Parameters
        ----------
        X : pandas.DataFrame
            Rows with at least the model's features.

        Returns
        -------
        pandas.Series
            Points on ``X``'s index.
        """
        ...


class PointsCard(Protocol):
    """What :func:`compare_cards` needs from a fitted card: points and their scaling.

    :class:`jiebei_credit.scorecard.Scorecard` satisfies it once fitted.
    """

    @property
    def scaling_(self) -> object:
        """The :class:`~jiebei_credit.scorecard.Scaling` that turns points into PDs."""
        ...

    def points(self, X: pd.DataFrame) -> pd.Series[Any]:
        """The points per row of ``X``, higher = lower risk.

        Parameters
        ----------
        X : pandas.DataFrame
            Rows with at least the card's features.

        Returns
        -------
        pandas.Series
            Points on ``X``'s index.
        """
        ...


class HealthCard(ScorecardLike, PointsCard, Protocol):
    """What :func:`model_health` needs from a fitted card: features, binnings, points, scaling.

    :class:`jiebei_credit.scorecard.Scorecard` satisfies it once fitted.
    """


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class StabilityReport:
    """Result of :func:`stability_report`.

    Parameters
    ----------
    score_psi : PSIResult
        PSI of the score over the reference score bands.
    features : pandas.DataFrame
        CSI per model feature (index ``feature``): ``csi``, ``status``,
        ``bins``, ``empty_bins``.
    feature_psi : mapping of feature to PSIResult
        Per-bin detail of each feature's CSI.
    bad_rates : pandas.DataFrame or None
        When outcomes were given: per score band (index ``band``, lowest
        score first), ``reference_count``, ``reference_bads``,
        ``reference_bad_rate``, ``current_count``, ``current_bads``,
        ``current_bad_rate``, ``change`` (current - reference), ``z``,
        ``p_value`` and ``status`` (``"insufficient"`` where a sample has no
        observed outcome in the band, so nothing was tested).
    discrimination : pandas.DataFrame or None
        When outcomes were given: rows ``reference`` and ``current`` with
        ``count``, ``bads``, ``bad_rate``, ``auc``, ``gini`` and ``ks`` (NaN
        when a sample holds a single class).
    """

    score_psi: PSIResult
    features: pd.DataFrame
    feature_psi: Mapping[Hashable, PSIResult]
    bad_rates: pd.DataFrame | None
    discrimination: pd.DataFrame | None

    def __repr__(self) -> str:
        # the dataclass repr prints every table in full; this one stays on one line
        flagged = self.features["status"].isin(("amber", "red")).sum() if "status" in self.features else 0
        return (f"StabilityReport(status={self.status!r}, score_psi={self.score_psi.value:.4g} "
                f"({self.score_psi.status}), features={len(self.features)} ({int(flagged)} amber or red), "
                f"outcomes={'yes' if self.bad_rates is not None else 'no'})")

    def _repr_html_(self) -> str:
        """Notebook display: the overall light, the score PSI, then every check."""
        from jiebei_credit._html import render

        rows = [("status", self.status), ("score PSI", self.score_psi.value),
                ("score PSI status", self.score_psi.status), ("features", len(self.features)),
                ("outcomes given", self.bad_rates is not None)]
        return render("StabilityReport", rows, self.to_frame(), caption="Checks", max_rows=50)

    def __reduce__(self) -> tuple[Any, ...]:
        # The read-only feature_psi mapping does not pickle; it is rebuilt on load.
        return (_restore_report, (self.score_psi, self.features, dict(self.feature_psi), self.bad_rates,
                                  self.discrimination))

    @property
    def status(self) -> Status:
        """The most serious traffic light over every check.

        ``"red"`` over ``"amber"`` over ``"insufficient"`` over ``"green"``:
        the report is green only when every check ran and passed, so a check
        that lacked data (a score band without outcomes) keeps it from green.
        """
        return worst(self.to_frame()["status"])

    def to_frame(self) -> pd.DataFrame:
        """Every check as one row: ``check``, ``item``, ``value``, ``status``.

        ``check`` is ``"score_psi"`` (value: PSI), ``"csi"`` (item: the
        feature; value: CSI) or ``"bad_rate"`` (item: the score band; value:
        change in bad rate, current - reference).

        Returns
        -------
        pandas.DataFrame
            Columns ``check``, ``item``, ``value`` and ``status``, the score PSI
            first, then the features, then the score bands.
        """
        rows: list[tuple[str, str, float, str]] = [
            ("score_psi", "score", self.score_psi.value, self.score_psi.status)
        ]
        rows += [
            ("csi", str(f), float(r["csi"]), str(r["status"])) for f, r in self.features.iterrows()
        ]
        if self.bad_rates is not None:
            rows += [
                ("bad_rate", str(b), float(r["change"]), str(r["status"]))
                for b, r in self.bad_rates.iterrows()
            ]
        return pd.DataFrame(rows, columns=["check", "item", "value", "status"])


def features_of(
    card: object, func: str = _FUNC
) -> tuple[list[Hashable], dict[Hashable, object], Callable[..., Any]]:
    """The card's features, their binnings (checked) and its points method."""
    try:
        raw_features = card.features_  # type: ignore[attr-defined]
        raw_binnings = card.binnings_  # type: ignore[attr-defined]
    except AttributeError as exc:
        raise NotFittedError(
            f"{func}: card has no features_/binnings_ (is it fitted?); call card.fit(X, y) "
            "first."
        ) from exc
    names = list(listlike(raw_features, func=func, name="card.features_", min_size=1, unique=True))
    unhashable = [f for f in names if not isinstance(f, Hashable)]
    if unhashable:
        raise fail(func, "card.features_", "must hold column labels", f"{unhashable[:3]!r}")
    binnings = mapping(raw_binnings, func=func, name="card.binnings_")
    lacking = [f for f in names if f not in binnings]
    if lacking:
        raise fail(func, "card.binnings_", "must hold a binning for every feature in card.features_",
                   f"none for {lacking[:5]!r}", "The scorecard is inconsistent.")
    for f in names:
        binning_parts(binnings[f], func=func, name=f"card.binnings_[{f!r}]")
    points = getattr(card, "points", None)
    if not callable(points):
        raise fail(func, "card", "must have a points(X) method (credit points, higher = safer)",
                   f"a {type(card).__name__} without one")
    return names, {f: binnings[f] for f in names}, points


def card_points(points: Callable[..., Any], X: pd.DataFrame, name: str, func: str = _FUNC,
                card_name: str = "card") -> FloatArray:
    """``card.points(X)`` as finite floats, one per row of ``X`` (same index for a Series)."""
    label = f"{card_name}.points({name})"
    try:
        raw = points(X)
    except JiebeiCreditError:
        raise
    except Exception as exc:  # a scorecard built elsewhere failed on this table
        raise fail(func, card_name, "must score the feature table", f"{label} raised "
                   f"{type(exc).__name__}: {exc}") from exc
    s, index = float_vector(raw, func=func, name=label)
    same_rows(func, (name, len(X), X.index), (label, s.size, index))
    return s


def outcome(y: object, frame: pd.DataFrame, name: str, frame_name: str, func: str = _FUNC) -> FloatArray:
    """0/1 outcome with NaN for 'not observed'; one per row of ``frame``."""
    arr, index = float_vector(y, func=func, name=name, allow_nan=True,
                              fix="Outcomes are 1 (bad), 0 (good) or NaN (not yet observed).")
    same_rows(func, (frame_name, len(frame), frame.index), (name, arr.size, index))
    bad = ~np.isnan(arr) & (arr != 0.0) & (arr != 1.0)
    if bad.any():
        raise fail(func, name, "must hold 1 (bad), 0 (good) or NaN (not observed)",
                   offending(bad, arr, index), "Recode the target to 0/1.")
    return arr


def _two_proportion(
    b1: FloatArray, n1: FloatArray, b2: FloatArray, n2: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Pooled two-proportion z statistic and two-sided p-value (NaN where a count is 0)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = (b1 + b2) / (n1 + n2)
        se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
        z = np.where(se > 0, (b2 / n2 - b1 / n1) / se, 0.0)
    empty = (n1 == 0) | (n2 == 0)
    z = np.where(empty, np.nan, z)
    p = np.where(empty, np.nan, two_sided_p(z))
    return z, p


def _bad_rate_table(
    labels: list[str],
    band_ref: IntArray,
    band_cur: IntArray,
    y_ref: FloatArray,
    y_cur: FloatArray,
    alpha: tuple[float, float],
) -> pd.DataFrame:
    k = len(labels)
    counts = []
    for band, y in ((band_ref, y_ref), (band_cur, y_cur)):
        seen = ~np.isnan(y)
        n: FloatArray = np.bincount(band[seen], minlength=k).astype(np.float64)
        b: FloatArray = np.asarray(
            np.bincount(band[seen], weights=y[seen], minlength=k), dtype=np.float64
        )
        counts.append((n, b))
    (n1, b1), (n2, b2) = counts
    z, p = _two_proportion(b1, n1, b2, n2)
    amber, red = alpha
    status = p_value_lights(p, amber, red)
    with np.errstate(invalid="ignore", divide="ignore"):
        r1, r2 = b1 / n1, b2 / n2
    return pd.DataFrame(
        {
            "reference_count": n1.astype(np.int64),
            "reference_bads": b1.round().astype(np.int64),
            "reference_bad_rate": r1,
            "current_count": n2.astype(np.int64),
            "current_bads": b2.round().astype(np.int64),
            "current_bad_rate": r2,
            "change": r2 - r1,
            "z": z,
            "p_value": p,
            "status": status,
        },
        index=pd.Index(labels, name="band"),
    )


def _discrimination(
    s_ref: FloatArray, s_cur: FloatArray, y_ref: FloatArray, y_cur: FloatArray
) -> pd.DataFrame:
    rows = []
    for s, y in ((s_ref, y_ref), (s_cur, y_cur)):
        seen = ~np.isnan(y)
        yy, ss = y[seen], s[seen]
        bads = int(yy.sum())
        both = 0 < bads < yy.size
        a = auc(yy, ss, higher="safer") if both else np.nan
        rows.append(
            {
                "count": int(yy.size),
                "bads": bads,
                "bad_rate": bads / yy.size if yy.size else np.nan,
                "auc": a,
                "gini": 2.0 * a - 1.0,
                "ks": ks(yy, ss, higher="safer") if both else np.nan,
            }
        )
    return pd.DataFrame(rows, index=pd.Index(["reference", "current"], name="sample"))


def stability_report(
    card: ScorecardLike,
    X_reference: pd.DataFrame,
    X_current: pd.DataFrame,
    *,
    y_reference: Vector | None = None,
    y_current: Vector | None = None,
    bins: int = 10,
    smoothing: float = 0.5,
    psi_thresholds: tuple[float, float] = PSI_THRESHOLDS,
    bad_rate_alpha: tuple[float, float] = BAD_RATE_ALPHA,
) -> StabilityReport:
    r"""Stability of a fitted scorecard between a reference and a current population.

    Parameters
    ----------
    card : ScorecardLike
        A fitted scorecard (e.g. :class:`jiebei_credit.scorecard.Scorecard`):
        ``features_``, ``binnings_`` and ``points(X)`` (higher = lower risk).
    X_reference, X_current : pandas.DataFrame
        Feature tables of the reference (e.g. development) and the current
        population; each must hold the card's features.
    y_reference, y_current : array-like, optional
        Outcomes (1 bad, 0 good, NaN not yet observed) of the rows of
        ``X_reference`` and ``X_current``. Give both to compare bad rates by
        score band; rows with NaN are left out of that comparison only.
    bins : int, default 10
        Score bands: quantiles of the reference score (left-closed).
    smoothing : float, default 0.5
        PSI smoothing, see :func:`jiebei_credit.metrics.psi`.
    psi_thresholds : tuple of two floats, default (0.1, 0.25)
        Amber and red cut-offs for PSI and CSI.
    bad_rate_alpha : tuple of two floats, default (0.05, 0.01)
        Significance levels of the bad-rate shift test: amber when the
        p-value is below the first, red below the second.

    Returns
    -------
    StabilityReport
        Score PSI, per-feature CSI, bad-rate shift by band and
        discrimination (with outcomes), each with a traffic light;
        ``.to_frame()`` gives one row per check and ``.status`` the most
        serious.

    Raises
    ------
    NotFittedError
        If ``card`` has no ``features_`` or ``binnings_``.
    SchemaError
        If a feature of the card is missing from ``X_reference`` or
        ``X_current``, or appears there twice.
    InvalidInputError
        If an input is not a DataFrame or is empty; the card's features are
        not distinct column labels, a binning is not a fitted binning
        (``labels`` and ``bin_index``) or fails on the data, or ``points``
        fails or gives NaN, infinite values, or not one value per row;
        outcomes are not 0/1/NaN or do not match their table; only one
        outcome sample is given; or a parameter has the wrong type or is out
        of range.

    Notes
    -----
    **Traffic lights.** Every check is ``"green"`` (nothing to act on),
    ``"amber"`` (investigate), ``"red"`` (act) or ``"insufficient"`` (the
    check could not run for lack of data). Missing evidence is never green:
    the report's :attr:`~StabilityReport.status` is the most serious light,
    ``red`` over ``amber`` over ``insufficient`` over ``green``, so a report
    whose outcomes are all still unobserved is ``"insufficient"``, not
    green.

    Score and feature stability use :func:`jiebei_credit.metrics.psi`: green
    below 0.1, amber 0.1–0.25, red above 0.25. The bad-rate shift in band
    :math:`k` uses the pooled two-proportion test
    :math:`z = (\hat r_{1} - \hat r_{0}) / \sqrt{\bar r (1 - \bar r)(1/n_0 + 1/n_1)}`
    with two-sided p-value :math:`2\,(1 - \Phi(|z|))`; a band without
    observed outcomes in either sample gets NaN and ``"insufficient"``. With
    ten bands, one amber band in twenty is expected by chance at the 5 %
    level.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from jiebei_credit.monitoring import stability_report
    >>> class Bins:  # a stand-in for scorecard.Binning
    ...     labels = ("low", "high")
    ...     def bin_index(self, x):
    ...         return (np.asarray(x) >= 0.5).astype(np.int64)
    >>> class Card:  # a stand-in for a fitted scorecard.Scorecard
    ...     features_ = ("util_now",)
    ...     binnings_ = {"util_now": Bins()}
    ...     def points(self, X):
    ...         return 650.0 - 100.0 * X["util_now"]
    >>> ref = pd.DataFrame({"util_now": np.linspace(0.0, 1.0, 200)})
    >>> cur = pd.DataFrame({"util_now": np.linspace(0.3, 1.0, 200)})
    >>> report = stability_report(Card(), ref, cur)
    >>> report.to_frame().round(3)
           check      item  value status
    0  score_psi     score  1.189    red
    1        csi  util_now  0.196  amber
    >>> report.status
    'red'
    """
    return build_report(card, X_reference, X_current, y_reference=y_reference, y_current=y_current,
                        bins=bins, smoothing=smoothing, psi_thresholds=psi_thresholds,
                        bad_rate_alpha=bad_rate_alpha, func=_FUNC)


def build_report(
    card: object,
    X_reference: object,
    X_current: object,
    *,
    y_reference: object,
    y_current: object,
    bins: object,
    smoothing: object,
    psi_thresholds: object,
    bad_rate_alpha: object,
    func: str,
) -> StabilityReport:
    """:func:`stability_report`, its refusals naming ``func`` (the public function called)."""
    X_reference = as_frame(X_reference, func=func, name="X_reference")
    X_current = as_frame(X_current, func=func, name="X_current")
    n_bins = integer(bins, func=func, name="bins", low=1)
    alpha_smooth = check_smoothing(smoothing, func=func)
    amber, red = index_thresholds(psi_thresholds, func=func, name="psi_thresholds")
    alpha = alpha_levels(bad_rate_alpha, func=func, name="bad_rate_alpha")
    if (y_reference is None) != (y_current is None):
        given, lacking = ("y_reference", "y_current") if y_current is None else ("y_current", "y_reference")
        raise fail(func, lacking, f"must be given with {given}", "None",
                   "Pass both y_reference and y_current to compare bad rates, or neither.")
    names, binnings, points = features_of(card, func)
    problems = [
        Problem(table=table, column=str(f), row=None, value=None, rule=rule)
        for table, frame in (("X_reference", X_reference), ("X_current", X_current))
        for f in names
        for rule in (
            ["missing feature of the card"] if f not in frame.columns
            else ["column appears more than once; keep one"] if int((frame.columns == f).sum()) > 1
            else []
        )
    ]
    if problems:
        raise SchemaError(problems, context=func)

    s_ref = card_points(points, X_reference, "X_reference", func)
    s_cur = card_points(points, X_current, "X_current", func)
    # Score bands: reference quantiles, shared by the score PSI and the bad-rate table.
    cuts = band_edges(s_ref, n_bins)
    e_count, a_count, labels, _ = bin_samples(
        s_ref, s_cur, bins=1, edges=cuts if cuts.size else None, binning=None, missing="raise",
        func=func, names=("card.points(X_reference)", "card.points(X_current)"),
    )
    score_psi = _psi_result(e_count, a_count, labels, alpha_smooth, (amber, red), func)
    feature_psi: dict[Hashable, PSIResult] = {}
    for f in names:
        e_count, a_count, labels, _ = bin_samples(
            X_reference[f], X_current[f], bins=1, edges=None, binning=binnings[f], missing="bin",
            func=func, names=(f"X_reference[{f!r}]", f"X_current[{f!r}]"),
            binning_name=f"card.binnings_[{f!r}]",
        )
        feature_psi[f] = _psi_result(e_count, a_count, labels, alpha_smooth, (amber, red), func)
    features = pd.DataFrame(
        [(r.value, r.status, len(r.table), len(r.empty_bins)) for r in feature_psi.values()],
        columns=["csi", "status", "bins", "empty_bins"],
        index=pd.Index(names, name="feature"),
    )
    bad_rates = discrimination = None
    if y_reference is not None:
        y_ref = outcome(y_reference, X_reference, "y_reference", "X_reference", func)
        y_cur = outcome(y_current, X_current, "y_current", "X_current", func)
        labels = [str(label) for label in score_psi.table.index]
        bad_rates = _bad_rate_table(
            labels, band_index(s_ref, cuts), band_index(s_cur, cuts), y_ref, y_cur, alpha
        )
        discrimination = _discrimination(s_ref, s_cur, y_ref, y_cur)
    return StabilityReport(
        score_psi=score_psi,
        features=features,
        feature_psi=MappingProxyType(feature_psi),
        bad_rates=bad_rates,
        discrimination=discrimination,
    )


def _restore_report(
    score_psi: PSIResult, features: pd.DataFrame, feature_psi: dict[Hashable, PSIResult],
    bad_rates: pd.DataFrame | None, discrimination: pd.DataFrame | None,
) -> StabilityReport:
    """Rebuild a :class:`StabilityReport` (see ``StabilityReport.__reduce__``)."""
    return StabilityReport(score_psi=score_psi, features=features,
                           feature_psi=MappingProxyType(dict(feature_psi)), bad_rates=bad_rates,
                           discrimination=discrimination)


def _psi_result(
    e_count: IntArray, a_count: IntArray, labels: list[str], smoothing: float,
    thresholds: tuple[float, float], func: str,
) -> PSIResult:
    value, table, empty_bins = psi_parts(e_count, a_count, labels, smoothing=smoothing, func=func)
    status = index_light(value, *thresholds, func=func)
    return PSIResult(value=value, status=status, table=table, empty_bins=empty_bins)
