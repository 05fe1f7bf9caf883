"""Periodic review of existing credit lines: increase, keep, decrease or freeze."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Final

import numpy as np
import pandas as pd

from jiebei_credit._persist import payload_fields
from jiebei_credit._validation import fail, float_vector, frame_columns, integer, real
from jiebei_credit.limits._assign import floor_to_step
from jiebei_credit.limits._checks import MAX_AMOUNT
from jiebei_credit.limits._frames import categorical

_FUNC = "review_line"
ACTIONS: Final = ("increase", "keep", "decrease", "freeze")
REQUIRED: Final = (
    "limit", "utilisation", "dpd_now", "max_dpd_recent", "months_on_book", "score",
    "score_change", "cashflow_change",
)
REVIEW_SCHEMA: Final = "jiebei_credit.limits.LineReviewPolicy"
REVIEW_VERSION: Final = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class LineReviewPolicy:
    """Rules of :func:`review_line` [design].

    Parameters
    ----------
    freeze_dpd : int, default 30
        Freeze the line when current DPD is at least this.
    decrease_dpd : int, default 1
        Decrease when current DPD or the recent maximum DPD is at least this.
    score_drop : float, default 40
        Decrease when the score fell by at least this many points.
    utilisation_spike : float, default 0.95
        Decrease when utilisation (outstanding / limit) is at least this.
    cashflow_fall : float, default 0.30
        Decrease when monthly receipts fell by at least this fraction.
    min_months_on_book : int, default 6
        An increase needs at least this many months on book.
    min_score : float, default 600
        An increase needs a current score of at least this.
    min_utilisation : float, default 0.30
        An increase needs utilisation of at least this (the line is used).
    increase_fraction : float, default 0.20
        An increase raises the limit by this fraction (then floors it to
        ``rounding_step`` and caps it).
    decrease_fraction : float, default 0.30
        A decrease cuts the limit by this fraction (then floors it).
    max_limit : float, optional
        No increase above this; a per-line ``max_limit`` column caps further.
    rounding_step : float, default 100
        New limits are floored to a multiple of this.

    Raises
    ------
    InvalidInputError
        If a field has the wrong type (the day and month counts are
        integers: ``freeze_dpd=30.0`` is refused; a bool is not a number),
        is out of range, or ``decrease_dpd`` exceeds ``freeze_dpd``.

    Examples
    --------
    >>> from jiebei_credit.limits import LineReviewPolicy
    >>> p = LineReviewPolicy(max_limit=100_000)
    >>> LineReviewPolicy.from_dict(p.to_dict()) == p
    True
    """

    freeze_dpd: int = 30
    decrease_dpd: int = 1
    score_drop: float = 40.0
    utilisation_spike: float = 0.95
    cashflow_fall: float = 0.30
    min_months_on_book: int = 6
    min_score: float = 600.0
    min_utilisation: float = 0.30
    increase_fraction: float = 0.20
    decrease_fraction: float = 0.30
    max_limit: float | None = None
    rounding_step: float = 100.0

    def __post_init__(self) -> None:
        o = "LineReviewPolicy"
        s = self._set
        s("freeze_dpd", integer(self.freeze_dpd, func=o, name="freeze_dpd", low=1, high=10_000))
        s("decrease_dpd", integer(self.decrease_dpd, func=o, name="decrease_dpd", low=1,
                                  high=self.freeze_dpd, fix="Decreases start at or before freezes."))
        s("score_drop", real(self.score_drop, func=o, name="score_drop", low=0, high=1e6, low_open=True))
        s("utilisation_spike", real(self.utilisation_spike, func=o, name="utilisation_spike", low=0,
                                    high=100, low_open=True))
        s("cashflow_fall", real(self.cashflow_fall, func=o, name="cashflow_fall", low=0, high=1,
                                low_open=True))
        s("min_months_on_book", integer(self.min_months_on_book, func=o, name="min_months_on_book",
                                        low=0, high=1200))
        s("min_score", real(self.min_score, func=o, name="min_score", low=-1e6, high=1e6))
        s("min_utilisation", real(self.min_utilisation, func=o, name="min_utilisation", low=0,
                                  high=self.utilisation_spike, fix="It must not exceed utilisation_spike."))
        s("increase_fraction", real(self.increase_fraction, func=o, name="increase_fraction", low=0,
                                    high=10, low_open=True))
        s("decrease_fraction", real(self.decrease_fraction, func=o, name="decrease_fraction", low=0,
                                    high=1, low_open=True))
        if self.max_limit is not None:
            s("max_limit", real(self.max_limit, func=o, name="max_limit", low=0, high=MAX_AMOUNT,
                                low_open=True))
        s("rounding_step", real(self.rounding_step, func=o, name="rounding_step", low=0, high=1e6,
                                low_open=True))

    def _set(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict with ``schema`` and ``version`` keys.

        Returns
        -------
        dict of str to object
            ``schema``, ``version`` and every field by name.
        """
        out: dict[str, Any] = {"schema": REVIEW_SCHEMA, "version": REVIEW_VERSION}
        out.update({f.name: getattr(self, f.name) for f in fields(self)})
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LineReviewPolicy:
        """Rebuild a policy from :meth:`to_dict` output.

        Parameters
        ----------
        data : dict of str to object
            The output of :meth:`to_dict`, e.g. read back from JSON.

        Returns
        -------
        LineReviewPolicy
            A policy equal to the one that wrote ``data``.

        Raises
        ------
        InvalidInputError
            If the schema or version is not this class's, a key is unknown,
            or a value is refused as by the constructor.
        """
        return cls(**payload_fields(cls, data, schema=REVIEW_SCHEMA, version=REVIEW_VERSION))


def review_line(lines: pd.DataFrame, policy: LineReviewPolicy) -> pd.DataFrame:
    """Decide, for every existing line, whether to increase, keep, decrease or freeze it.

    Parameters
    ----------
    lines : pandas.DataFrame
        One row per line (any index), with numeric columns:

        * ``limit``: limit in force, CNY, ``>= 0``;
        * ``utilisation``: outstanding principal / limit, ``>= 0``
          (feature ``util_now``);
        * ``dpd_now``: current days past due, ``>= 0``;
        * ``max_dpd_recent``: maximum DPD over the review's look-back
          window (e.g. 6 months), ``>= 0``;
        * ``months_on_book``: months since the line opened, ``>= 0``;
        * ``score``: current score; ``score_change``: current minus
          previous score, points;
        * ``cashflow_change``: relative change of monthly merchant receipts
          (``-0.3`` is a 30 % fall), ``>= -1``.

        Optional: ``max_limit``, a per-line ceiling for increases (e.g. the
        ``limit`` column of :func:`assign`), ``>= 0``.
    policy : LineReviewPolicy
        Thresholds and step sizes.

    Returns
    -------
    pandas.DataFrame
        Same index as ``lines``, columns ``action`` (categorical:
        ``"increase"``, ``"keep"``, ``"decrease"``, ``"freeze"``),
        ``new_limit``, ``limit_change`` (``new_limit − limit``) and
        ``reason`` (categorical, the rule that decided).

    Raises
    ------
    InvalidInputError
        If ``lines`` is not a DataFrame, repeats a column label, lacks a
        column, or a column holds anything but real numbers (booleans,
        complex numbers, timedeltas, strings and categories are refused) or
        missing or out-of-range values (naming the column and rows).

    Notes
    -----
    Rules are applied in order; the first that fires decides:

    1. freeze (new draws blocked, limit kept) when ``dpd_now >= freeze_dpd``;
    2. decrease to ``⌊limit·(1 − decrease_fraction)⌋_step`` when
       ``dpd_now`` or ``max_dpd_recent >= decrease_dpd``, the score fell by
       ``score_drop`` or more, utilisation reached ``utilisation_spike``, or
       receipts fell by ``cashflow_fall`` or more;
    3. increase to ``min(⌊limit·(1 + increase_fraction)⌋_step, caps)`` when
       there is no DPD now or recently, months on book, score and
       utilisation reach their minimums, and the new limit is higher;
    4. otherwise keep, with the first unmet increase condition as reason.

    A decrease that would not lower the limit (a limit already 0) is a keep.

    Examples
    --------
    >>> import pandas as pd
    >>> from jiebei_credit.limits import LineReviewPolicy, review_line
    >>> lines = pd.DataFrame({
    ...     "limit": [20_000.0, 20_000.0, 20_000.0, 20_000.0],
    ...     "utilisation": [0.6, 0.6, 0.6, 0.1],
    ...     "dpd_now": [0, 45, 0, 0], "max_dpd_recent": [0, 45, 0, 0],
    ...     "months_on_book": [12, 12, 12, 12], "score": [650.0, 600.0, 640.0, 650.0],
    ...     "score_change": [5.0, -10.0, -60.0, 0.0],
    ...     "cashflow_change": [0.1, 0.0, 0.0, 0.0]})
    >>> review_line(lines, LineReviewPolicy())[["action", "new_limit", "reason"]]
         action  new_limit                        reason
    0  increase    24000.0  clean history, score, tenure and use
    1    freeze    20000.0                     dpd_now at freeze_dpd
    2  decrease    14000.0                    score drop
    3      keep    20000.0          utilisation below minimum
    """
    frame = frame_columns(lines, REQUIRED, func=_FUNC, name="lines")
    if not isinstance(policy, LineReviewPolicy):
        raise fail(_FUNC, "policy", "must be a LineReviewPolicy", f"a {type(policy).__name__}",
                   "Build one with LineReviewPolicy(...).")
    col = _columns(frame)
    limit = col["limit"]
    p = policy
    freeze = col["dpd_now"] >= p.freeze_dpd
    triggers = {
        "dpd_now at decrease_dpd": col["dpd_now"] >= p.decrease_dpd,
        "recent DPD": col["max_dpd_recent"] >= p.decrease_dpd,
        "score drop": col["score_change"] <= -p.score_drop,
        "utilisation spike": col["utilisation"] >= p.utilisation_spike,
        "cash-flow fall": col["cashflow_change"] <= -p.cashflow_fall,
    }
    cut = floor_to_step(limit * (1.0 - p.decrease_fraction), p.rounding_step)
    decrease = ~freeze & np.logical_or.reduce(list(triggers.values())) & (cut < limit)
    cap = np.full(limit.size, np.inf if p.max_limit is None else p.max_limit)
    if "max_limit" in frame.columns:
        cap = np.minimum(cap, col["max_limit"])
    raised = np.minimum(floor_to_step(limit * (1.0 + p.increase_fraction), p.rounding_step),
                        floor_to_step(cap, p.rounding_step))
    unmet = {
        "DPD now or recently": (col["dpd_now"] > 0) | (col["max_dpd_recent"] > 0),
        "months on book below minimum": col["months_on_book"] < p.min_months_on_book,
        "score below minimum": col["score"] < p.min_score,
        "utilisation below minimum": col["utilisation"] < p.min_utilisation,
        "at the cap": raised <= limit,
    }
    increase = ~freeze & ~decrease & ~np.logical_or.reduce(list(unmet.values()))

    action = np.select([freeze, decrease, increase], [3, 2, 0], default=1)
    new_limit = np.select([decrease, increase], [cut, raised], default=limit)
    reasons = ["dpd_now at freeze_dpd", *triggers, "clean history, score, tenure and use",
               *unmet, "decrease trigger with the limit already 0"]
    fired = np.vstack(list(triggers.values()))
    code = np.select(
        [freeze, decrease, fired.any(axis=0), increase],
        [0, 1 + fired.argmax(axis=0), len(reasons) - 1, 1 + len(triggers)],
        default=2 + len(triggers) + np.vstack(list(unmet.values())).argmax(axis=0),
    )
    out = pd.DataFrame(
        {
            "action": categorical(action, ACTIONS),
            "new_limit": new_limit,
            "limit_change": new_limit - limit,
            "reason": categorical(code, reasons),
        },
        index=frame.index,
    )
    return out


def _columns(frame: pd.DataFrame) -> dict[str, np.ndarray[Any, np.dtype[np.float64]]]:
    fix = "Fix or drop those rows."
    spec: dict[str, tuple[float, float]] = {
        "limit": (0, MAX_AMOUNT),
        "utilisation": (0, 100),
        "dpd_now": (0, 100_000),
        "max_dpd_recent": (0, 100_000),
        "months_on_book": (0, 12_000),
        "score": (-1e6, 1e6),
        "score_change": (-1e6, 1e6),
        "cashflow_change": (-1, 1e6),
    }
    if "max_limit" in frame.columns:
        spec["max_limit"] = (0, MAX_AMOUNT)
    return {
        name: float_vector(frame[name], func=_FUNC, name=f"column {name!r}", low=lo, high=hi,
                           allow_empty=True, fix=fix)[0]
        for name, (lo, hi) in spec.items()
    }
