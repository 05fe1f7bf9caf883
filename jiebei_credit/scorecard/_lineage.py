"""Recalibration of a fitted card without rebuilding it, and the lineage it leaves.

:func:`recalibrate` fits, on the card's own log-odds of bad
``x = logit PD``, either the calibration intercept (``logit PD' = a + x``)
or the intercept and the slope (``logit PD' = a + b x``), with the Newton
solver :func:`jiebei_credit.metrics.calibration_slope` uses, and folds
``a`` and ``b`` into the model: coefficients ``b β_j``, intercept
``b β_0 + a``. The bins and their WOE do not change; the points are
recomputed from the new estimates with the card's scaling, so points, SQL,
``explain`` and ``to_dict`` agree by construction. Each recalibration
appends a :class:`LineageRecord` naming the parent card by its
fingerprint.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from scipy import special

from jiebei_credit import _validation as V
from jiebei_credit._logistic import newton
from jiebei_credit._normal import two_sided_p
from jiebei_credit.scorecard._frames import as_frame, check_shape, require_columns, target, weights
from jiebei_credit.scorecard._report import card_points, check_points

if TYPE_CHECKING:
    from jiebei_credit.scorecard._model import Scorecard

__all__ = ["LineageRecord"]

RecalibrationMethod = Literal["intercept", "logistic"]

_HEX = frozenset("0123456789abcdef")


def fingerprint(payload: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of a payload: sorted keys, no spaces, UTF-8."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class LineageRecord:
    """One recalibration in a card's history (:attr:`Scorecard.lineage_`).

    Parameters
    ----------
    parent : str
        :meth:`Scorecard.fingerprint` of the card that was recalibrated
        (64 hexadecimal digits).
    method : {'intercept', 'logistic'}
        How it was recalibrated.
    as_of : datetime.date or None
        Date of the data (e.g. the end of the outcome window), as the
        caller gave it; None if not given.
    n : int
        Rows of the recalibration data.
    bad_rate : float
        Observed (weighted) bad rate of those rows.
    mean_pd : float
        The parent's (weighted) mean PD on those rows.
    intercept, slope : float
        The fitted ``a`` and ``b`` of ``logit PD' = a + b · logit PD``
        (``slope`` is 1 for ``'intercept'``).

    Examples
    --------
    >>> from jiebei_credit.scorecard import LineageRecord
    >>> r = LineageRecord(parent="0" * 64, method="intercept", as_of=None, n=100, bad_rate=0.1,
    ...                   mean_pd=0.08, intercept=0.25, slope=1.0)
    >>> LineageRecord.from_dict(r.to_dict()) == r
    True
    """

    parent: str
    method: RecalibrationMethod
    as_of: dt.date | None
    n: int
    bad_rate: float
    mean_pd: float
    intercept: float
    slope: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (``as_of`` as an ISO date string or None).

        Returns
        -------
        dict of str to object
            Every field by name; :meth:`from_dict` rebuilds an equal record.
        """
        return {"parent": self.parent, "method": self.method,
                "as_of": None if self.as_of is None else self.as_of.isoformat(), "n": self.n,
                "bad_rate": self.bad_rate, "mean_pd": self.mean_pd, "intercept": self.intercept,
                "slope": self.slope}  # fmt: skip

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> LineageRecord:
        """Rebuild a record from :meth:`to_dict` output, every field checked.

        Parameters
        ----------
        d : mapping
            Exactly the keys of :meth:`to_dict`.

        Returns
        -------
        LineageRecord
            A record equal to the one that wrote ``d``.

        Raises
        ------
        InvalidInputError
            ``d`` is not a mapping with exactly those keys, or a field breaks
            its rule (``parent`` a fingerprint, ``n`` >= 1, rates in [0, 1],
            ``slope`` > 0).
        """
        return cls._from_dict(d, "LineageRecord.from_dict", "d")

    @classmethod
    def _from_dict(cls, d: Mapping[str, Any], func: str, name: str) -> LineageRecord:
        """:meth:`from_dict`, with errors naming ``func`` and the parameter ``name`` the user passed."""
        V.mapping(d, func=func, name=name)
        keys = ("parent", "method", "as_of", "n", "bad_rate", "mean_pd", "intercept", "slope")
        if sorted(map(str, d)) != sorted(keys):
            raise V.fail(func, name, f"must have exactly the keys {', '.join(keys)}",
                         f"keys {V.show(sorted(map(str, d)))}", "Pass the output of LineageRecord.to_dict().")
        parent = d["parent"]
        if not (isinstance(parent, str) and len(parent) == 64 and set(parent) <= _HEX):
            raise V.fail(func, f"{name}.parent", "must be a fingerprint (64 lowercase hexadecimal digits)",
                         repr(parent)[:80])
        as_of = d["as_of"]
        return cls(
            parent=parent,
            method=V.choice(d["method"], RecalibrationMethod, func=func, name=f"{name}.method"),
            as_of=None if as_of is None else V.date(as_of, func=func, name=f"{name}.as_of").date(),
            n=V.integer(d["n"], func=func, name=f"{name}.n", low=1),
            bad_rate=V.real(d["bad_rate"], func=func, name=f"{name}.bad_rate", low=0.0, high=1.0),
            mean_pd=V.real(d["mean_pd"], func=func, name=f"{name}.mean_pd", low=0.0, high=1.0),
            intercept=V.real(d["intercept"], func=func, name=f"{name}.intercept"),
            slope=V.real(d["slope"], func=func, name=f"{name}.slope", low=0.0, low_open=True),
        )


def _fail_one_class(func: str, goods: float, bads: float) -> None:
    if goods <= 0 or bads <= 0:
        only = "goods (0)" if bads <= 0 else "bads (1)"
        raise V.fail(func, "y", "must hold both classes, 1 (bad) and 0 (good)",
                     f"only {only} (total weight of goods {goods:g}, bads {bads:g})",
                     "Recalibration matches the PDs to observed defaults: use data with both outcomes.")


def recalibrate(card: Scorecard, X: Any, y: Any, *, method: Any, sample_weight: Any,
                as_of: Any) -> Scorecard:
    """The recalibrated copy of ``card``; see :meth:`Scorecard.recalibrate`."""
    func = "Scorecard.recalibrate"
    card._check_fitted(func)
    how = V.choice(method, RecalibrationMethod, func=func, name="method")
    day = None if as_of is None else V.date(as_of, func=func, name="as_of").date()
    frame = as_frame(func, X, n_features=card.n_features_in_)
    check_shape(func, frame)
    require_columns(func, frame, list(card.features_))
    reference = X.index if isinstance(X, pd.DataFrame) else None
    yv = target(func, y, len(frame), reference)
    w = weights(func, sample_weight, len(frame), reference)
    wv = np.ones_like(yv) if w is None else w
    _fail_one_class(func, float(np.sum(wv * (1.0 - yv))), float(np.sum(wv * yv)))
    score, _ = card._score_array(func, frame)
    x = -np.asarray(card.scaling_.log_odds_from_score(score), dtype=np.float64)  # log-odds of bad
    # group the rows by distinct log-odds: same likelihood, a handful of groups
    xs, inverse = np.unique(x, return_inverse=True)
    total = np.bincount(inverse, weights=wv, minlength=xs.size)
    bad = np.bincount(inverse, weights=wv * yv, minlength=xs.size)
    use = total > 0.0
    xs, total, bad = xs[use], total[use], bad[use]
    share = bad / total
    weight = total / float(total.max())  # no overflow in the sums; the estimates do not depend on it
    ones = np.ones((xs.size, 1))
    fix = "Recalibrate on more data, or rebuild the card: its scores separate the outcomes."
    if how == "intercept":
        (a,), _ = newton(ones, share, weight, xs, np.zeros(1), func=func, name="X", fix=fix)
        b = 1.0
    else:
        if xs.size < 2:
            raise V.fail(func, "X", "must get at least two distinct scores for a slope (method='logistic')",
                         f"one score, {float(score[0])!r}, on every row",
                         "Use method='intercept', or recalibrate on more varied data.")
        xb, xg = xs[bad > 0.0], xs[bad < total]
        if xg.max() <= xb.min() or xb.max() <= xg.min():
            raise V.fail(func, "X", "must not have scores that separate the outcomes (the slope would be "
                         "infinite)", "every bad scored on one side of every good", fix)
        (a, b), _ = newton(np.column_stack((np.ones(xs.size), xs)), share, weight, np.zeros(xs.size),
                           np.array([0.0, 1.0]), func=func, name="X", fix=fix)
        if not b > 0.0:
            raise V.fail(func, "y", "must be ranked by the card in its own direction (a positive slope)",
                         f"a fitted slope of {float(b):.4g}: on this data higher scores are not safer",
                         "Rebuild the card; recalibration cannot repair its ranking.")
    new = type(card)(**card.get_params(deep=False))  # the parameters as they are (a catalog is not copied)
    for key, value in vars(card).items():
        if key.endswith("_") and not key.startswith("_"):  # fitted attributes: copied
            setattr(new, key, copy.deepcopy(value))
    a, b = float(a), float(b)
    new.intercept_ = b * card.intercept_ + a
    new.coef_ = np.asarray(b * card.coef_, dtype=np.float64)
    # conditional on a and b the folded estimates have b times the development standard errors
    new.std_errors_ = np.asarray(b * card.std_errors_, dtype=np.float64)
    p = np.asarray(card.p_values_, dtype=np.float64).copy()
    if np.isfinite(new.std_errors_[0]) and new.std_errors_[0] > 0:
        p[0] = float(two_sided_p(new.intercept_ / new.std_errors_[0]))
    new.p_values_ = p
    points = card_points(new)
    check_points(func, new, points)
    new.points_ = points
    mean_pd = float(np.dot(total, special.expit(xs)) / total.sum())
    record = LineageRecord(parent=card.fingerprint(), method=how, as_of=day, n=len(frame),
                           bad_rate=float(bad.sum() / total.sum()), mean_pd=mean_pd, intercept=a, slope=b)
    new.lineage_ = (*card.lineage_, record)
    return new
