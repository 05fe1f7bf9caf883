"""Scorecard stability report: score PSI, feature CSI and bad-rate shift by score band."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy import special

from jiebei_credit.errors import InvalidInputError, NotFittedError, Problem, SchemaError
from jiebei_credit.metrics import PSI_THRESHOLDS, BinningLike, PSIResult, auc, ks, psi
from jiebei_credit.metrics._bands import band_index, quantile_edges
from jiebei_credit.metrics._stability import Status, check_thresholds
from jiebei_credit.metrics._validate import (
    FloatArray,
    IntArray,
    as_float,
    check_aligned,
    check_finite,
    check_int,
    some_values,
    where,
)

_FUNC = "stability_report"
_RANK: dict[str, int] = {"green": 0, "amber": 1, "red": 2}
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
        """Points per row of ``X``, higher = lower risk."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class StabilityReport:
    """Result of :func:`stability_report`.

    Attributes
    ----------
    score_psi : PSIResult
        PSI of the score over the reference score bands.
    features : pandas.DataFrame
        CSI per model feature (index ``feature``): ``csi``, ``status``,
        ``bins``, ``empty_bins``.
    feature_psi : mapping of str to PSIResult
        Per-bin detail of each feature's CSI.
    bad_rates : pandas.DataFrame or None
        When outcomes were given: per score band (index ``band``, lowest
        score first), ``reference_count``, ``reference_bads``,
        ``reference_bad_rate``, ``current_count``, ``current_bads``,
        ``current_bad_rate``, ``change`` (current - reference), ``z``,
        ``p_value`` and ``status``.
    discrimination : pandas.DataFrame or None
        When outcomes were given: rows ``reference`` and ``current`` with
        ``count``, ``bads``, ``bad_rate``, ``auc``, ``gini`` and ``ks`` (NaN
        when a sample holds a single class).
    """

    score_psi: PSIResult
    features: pd.DataFrame
    feature_psi: Mapping[str, PSIResult]
    bad_rates: pd.DataFrame | None
    discrimination: pd.DataFrame | None

    def __reduce__(self) -> tuple[Any, ...]:
        # The read-only feature_psi mapping does not pickle; it is rebuilt on load.
        return (_restore_report, (self.score_psi, self.features, dict(self.feature_psi), self.bad_rates,
                                  self.discrimination))

    @property
    def status(self) -> Status:
        """The worst traffic light over every check."""
        statuses = self.to_frame()["status"]
        worst = max(statuses, key=lambda s: _RANK[s])
        return "red" if worst == "red" else "amber" if worst == "amber" else "green"

    def to_frame(self) -> pd.DataFrame:
        """Every check as one row: ``check``, ``item``, ``value``, ``status``.

        ``check`` is ``"score_psi"`` (value: PSI), ``"csi"`` (item: the
        feature; value: CSI) or ``"bad_rate"`` (item: the score band; value:
        change in bad rate, current - reference).
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


def _features_of(card: ScorecardLike) -> tuple[list[str], Mapping[str, BinningLike]]:
    try:
        names = [str(f) for f in card.features_]
        binnings = card.binnings_
    except AttributeError as exc:
        raise NotFittedError(
            f"{_FUNC}: card has no features_/binnings_ (is it fitted?); call card.fit(X, y) "
            "first."
        ) from exc
    lacking = [f for f in names if f not in binnings]
    if lacking:
        raise InvalidInputError(
            f"{_FUNC}: card.binnings_ has no binning for features {lacking[:5]}; the scorecard "
            "is inconsistent."
        )
    return names, binnings


def _check_alpha(alpha: object) -> tuple[float, float]:
    """``(amber, red)`` significance levels with ``0 < red <= amber < 1``."""
    if isinstance(alpha, tuple | list) and len(alpha) == 2:
        try:
            amber, red = float(alpha[0]), float(alpha[1])
        except (TypeError, ValueError):
            pass
        else:
            if 0.0 < red <= amber < 1.0:
                return amber, red
    raise InvalidInputError(
        f"{_FUNC}: bad_rate_alpha must be a pair (amber, red) of significance levels with "
        f"0 < red <= amber < 1; got {alpha!r}. The default is (0.05, 0.01)."
    )


def _outcome(y: object, frame: pd.DataFrame, name: str, frame_name: str) -> FloatArray:
    """0/1 outcome with NaN for 'not observed'; aligned with ``frame``."""
    arr, index = as_float(y, func=_FUNC, name=name)
    check_aligned(_FUNC, (name, arr.size, index), (frame_name, len(frame), frame.index))
    bad = ~np.isnan(arr) & (arr != 0.0) & (arr != 1.0)
    if bad.any():
        raise InvalidInputError(
            f"{_FUNC}: {name} must hold 1 (bad), 0 (good) or NaN (not observed); found "
            f"{some_values(arr[bad])} at {where(bad, index)}."
        )
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
    p = np.where(empty, np.nan, 2.0 * special.ndtr(-np.abs(z)))
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
    status = np.where(p < red, "red", np.where(p < amber, "amber", "green"))
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
            "status": status.astype(object),
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
                "ks": ks(yy, ss) if both else np.nan,
            }
        )
    return pd.DataFrame(rows, index=pd.Index(["reference", "current"], name="sample"))


def stability_report(
    card: ScorecardLike,
    X_reference: pd.DataFrame,
    X_current: pd.DataFrame,
    *,
    y_reference: object = None,
    y_current: object = None,
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
        ``.to_frame()`` gives one row per check and ``.status`` the worst.

    Raises
    ------
    NotFittedError
        If ``card`` has no ``features_``.
    SchemaError
        If a feature of the card is missing from ``X_reference`` or
        ``X_current``.
    InvalidInputError
        If an input is not a DataFrame, a score is NaN, outcomes are not
        0/1/NaN or do not match their table, only one outcome sample is given,
        or a parameter is out of range.

    Notes
    -----
    Score and feature stability use :func:`jiebei_credit.metrics.psi`: green
    below 0.1, amber 0.1–0.25, red above 0.25. The bad-rate shift in band
    :math:`k` uses the pooled two-proportion test
    :math:`z = (\hat r_{1} - \hat r_{0}) / \sqrt{\bar r (1 - \bar r)(1/n_0 + 1/n_1)}`
    with two-sided p-value :math:`2\,(1 - \Phi(|z|))`; a band without
    outcomes in either sample gets NaN and green. With ten bands, one amber
    band in twenty is expected by chance at the 5 % level.

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
    for name, frame in (("X_reference", X_reference), ("X_current", X_current)):
        if not isinstance(frame, pd.DataFrame):
            raise InvalidInputError(
                f"{_FUNC}: {name} must be a DataFrame of features; got {type(frame).__name__}."
            )
    n_bins = check_int(bins, func=_FUNC, name="bins", minimum=1)
    thresholds = check_thresholds(psi_thresholds, func=_FUNC)
    alpha = _check_alpha(bad_rate_alpha)
    if (y_reference is None) != (y_current is None):
        raise InvalidInputError(
            f"{_FUNC}: pass both y_reference and y_current to compare bad rates, or neither."
        )
    names, binnings = _features_of(card)
    problems = [
        Problem(table=table, column=f, row=None, value=None, rule="missing feature of the card")
        for table, frame in (("X_reference", X_reference), ("X_current", X_current))
        for f in names
        if f not in frame.columns
    ]
    if problems:
        raise SchemaError(problems, context=_FUNC)

    s_ref, _ = check_finite(card.points(X_reference), func=_FUNC, name="card.points(X_reference)")
    s_cur, _ = check_finite(card.points(X_current), func=_FUNC, name="card.points(X_current)")
    # Score bands: reference quantiles, shared by the score PSI and the bad-rate table.
    cuts = quantile_edges(s_ref, n_bins)
    score_psi = psi(
        s_ref, s_cur, edges=cuts if cuts.size else None, bins=1, smoothing=smoothing,
        thresholds=thresholds,
    )
    feature_psi = {
        f: psi(X_reference[f], X_current[f], binning=binnings[f], smoothing=smoothing,
               thresholds=thresholds)
        for f in names
    }
    features = pd.DataFrame(
        [(r.value, r.status, len(r.table), len(r.empty_bins)) for r in feature_psi.values()],
        columns=["csi", "status", "bins", "empty_bins"],
        index=pd.Index(names, name="feature"),
    )
    bad_rates = discrimination = None
    if y_reference is not None:
        y_ref = _outcome(y_reference, X_reference, "y_reference", "X_reference")
        y_cur = _outcome(y_current, X_current, "y_current", "X_current")
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
    score_psi: PSIResult, features: pd.DataFrame, feature_psi: dict[str, PSIResult],
    bad_rates: pd.DataFrame | None, discrimination: pd.DataFrame | None,
) -> StabilityReport:
    """Rebuild a :class:`StabilityReport` (see ``StabilityReport.__reduce__``)."""
    return StabilityReport(score_psi=score_psi, features=features,
                           feature_psi=MappingProxyType(dict(feature_psi)), bad_rates=bad_rates,
                           discrimination=discrimination)
