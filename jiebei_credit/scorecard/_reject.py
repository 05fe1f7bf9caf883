"""Reject inference: the through-the-door sample a scorecard is refitted on.

A card fitted on approved applicants only has seen no outcome of the
applicants the old policy declined. :func:`reject_inference` gives those
rejects inferred outcomes (as labels and weights) with one of three
classical methods, so that a :class:`Scorecard` can be refitted on accepts
and rejects together.
"""

from __future__ import annotations

from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._types import Vector
from jiebei_credit.errors import NotFittedError, Problem, SchemaError
from jiebei_credit.scorecard._frames import as_frame, require_columns
from jiebei_credit.scorecard._model import Scorecard

__all__ = ["RejectMethod", "reject_inference"]

#: The reject-inference methods.
RejectMethod = Literal["fuzzy", "parcelling", "hard_cutoff"]

_FUNC: Final = "reject_inference"


def reject_inference(
    card: Scorecard,
    X_accepted: pd.DataFrame,
    y_accepted: Vector,
    X_rejected: pd.DataFrame,
    *,
    method: RejectMethod = "fuzzy",
    sample_weight: Vector | None = None,
    uplift: float = 1.0,
    reject_weight: float = 1.0,
    n_bands: int = 10,
    cutoff: float = 0.5,
    seed: int | np.random.Generator = 0,
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Accepted rows plus rejects with inferred outcomes, to refit a card on all applicants.

    ``card`` is a card fitted on the accepted applicants (the "accept-only"
    card); its PD for each reject is the starting point of every method.
    The result is a new feature table, target and weights: pass them to
    ``Scorecard(...).fit(X, y, sample_weight=w)``.

    Parameters
    ----------
    card : Scorecard
        A fitted card (usually fitted on ``X_accepted``, ``y_accepted``).
    X_accepted : pandas.DataFrame, shape (n_a, k)
        Features of the accepted applicants, whose outcomes are known. Not modified.
    y_accepted : array-like of {0, 1}, shape (n_a,)
        Their outcomes (1 = bad). A Series is matched to ``X_accepted`` by
        index label, an array by position.
    X_rejected : pandas.DataFrame, shape (n_r, k)
        Features of the rejected applicants: the same columns as
        ``X_accepted`` (in any order; the result has ``X_accepted``'s
        order). Not modified.
    method : {'fuzzy', 'parcelling', 'hard_cutoff'}, default 'fuzzy'
        How outcomes are inferred (see Notes).
    sample_weight : array-like of float, shape (n_a,), optional
        Frequency weights of the accepted rows (default 1 each); matched
        like ``y_accepted``.
    uplift : float, default 1.0
        Factor on the bad rate given to rejects, ``> 0`` (``fuzzy`` and
        ``parcelling`` only). ``1`` assumes rejects are as risky as accepted
        applicants with the same score (MAR); ``> 1`` is the judgement that
        they are riskier (MNAR). Probabilities are capped at 1.
    reject_weight : float, default 1.0
        Total weight of each reject, ``> 0``, relative to an accepted row of weight 1.
    n_bands : int, default 10
        Number of score bands (``parcelling`` only), ``>= 1``: cut at the
        weighted quantiles of the accepted scores (fewer when scores tie).
    cutoff : float, default 0.5
        PD in ``[0, 1]`` above which a reject is labelled bad
        (``hard_cutoff`` only). The default gives each reject the class the
        card finds more probable.
    seed : int or numpy.random.Generator, default 0
        Randomness of ``parcelling`` (which rejects of a band are bad); the
        same seed gives the same result. No other method draws numbers.

    Returns
    -------
    X : pandas.DataFrame
        The accepted rows, then the rejects (with ``fuzzy``: every reject as
        a bad, then every reject as a good), on a fresh ``RangeIndex``: row
        ``i < n_a`` is accepted row ``i``; the rejects follow in the order
        of ``X_rejected``.
    y : pandas.Series
        int64 outcomes named ``"y"`` (1 = bad), on the index of ``X``.
    sample_weight : pandas.Series
        float64 weights named ``"sample_weight"``, on the index of ``X``.

    Raises
    ------
    InvalidInputError
        ``card`` not a Scorecard; ``X_accepted`` or ``X_rejected`` not a
        DataFrame, or empty; ``y_accepted`` not 0/1, with one class only, or
        not matching ``X_accepted``'s rows; invalid ``sample_weight``;
        ``method``, ``uplift``, ``reject_weight``, ``n_bands``, ``cutoff``
        or ``seed`` out of their domains; as :meth:`Scorecard.points` for
        the values of the rejects.
    NotFittedError
        ``card`` is not fitted.
    SchemaError
        Column names that are not unique strings; ``X_rejected`` with other
        columns than ``X_accepted``; a model feature missing.

    Warns
    -----
    DataWarning
        From the card's scoring, for reject values unseen in its development
        (scored by the card's ``unseen`` policy).

    Notes
    -----
    Write ``p_i`` for the card's PD of reject ``i``, ``p'_i = min(1, u·p_i)``
    with ``u`` the ``uplift``, and ``r`` the ``reject_weight``.

    * ``fuzzy`` (fuzzy augmentation; Siddiqi 2006, ch. 6): each reject
      appears twice, as a bad with weight ``r·p'_i`` and as a good with
      weight ``r·(1 − p'_i)``. Its total weight is ``r``, and the weighted
      number of bads among the rejects is ``r·Σ p'_i``.
    * ``parcelling`` (Siddiqi 2006, ch. 6): the accepted scores are cut into
      ``n_bands`` bands at their weighted quantiles (the lowest and highest
      bands are open, so rejects below every accepted score join the
      lowest band). In band ``b`` with accepted (weighted) bad rate
      ``d_b`` and ``n_b`` rejects, ``k_b = ⌊n_b · min(1, u·d_b) + ½⌋``
      rejects drawn at random (``numpy.random.default_rng(seed)``) are bad,
      the others good; each has weight ``r``.
    * ``hard_cutoff`` (hard cutoff, or reclassification; Siddiqi 2006,
      ch. 6; Anderson 2007): reject ``i`` is bad when ``p_i > cutoff``,
      good otherwise, with weight ``r``.

    Assumptions, honestly. With ``uplift=1`` every method assumes the
    outcome is *missing at random* (MAR) given the features: a reject
    behaves like an accepted applicant with the same features. Under MAR
    a correctly specified accept-only model is already unbiased, and
    labelling rejects with its own predictions adds no information (Hand
    and Henley 1993): expect little or no gain, and a hard cutoff distorts
    the bad rate (most rejects have a PD below 0.5, so they become goods).
    When the old policy used information the features lack (an
    underwriter's judgement, a bureau report), outcomes are *missing not at
    random* (MNAR) and no method can recover them from the data alone;
    ``uplift > 1`` encodes the lender's judgement of how much riskier the
    rejects are, and that judgement is untestable without outcomes of
    rejects (a randomised sample of approvals below the cutoff). Crook and
    Banasik (2004) found reject inference gained little on real data.

    References
    ----------
    N. Siddiqi, *Credit Risk Scorecards: Developing and Implementing
    Intelligent Credit Scoring*, Wiley, 2006, ch. 6 ("Reject Inference").
    R. Anderson, *The Credit Scoring Toolkit*, Oxford University Press,
    2007 (reject inference).
    D. J. Hand and W. E. Henley, "Can reject inference ever work?", *IMA J.
    Math. Appl. Bus. Ind.* 5 (1993) 45–55.
    J. Crook and J. Banasik, "Does reject inference really improve the
    performance of application scoring models?", *J. Banking Finance* 28
    (2004) 857–874.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from jiebei_credit.scorecard import BinningParams, Scorecard, reject_inference
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"util": rng.random(4000)})
    >>> y = (rng.random(4000) < 0.05 + 0.3 * X["util"]).astype(int)
    >>> accepted = (X["util"] < 0.7).to_numpy()
    >>> card = Scorecard(binning=BinningParams(max_bins=4)).fit(X[accepted], y[accepted])
    >>> Xa, ya, wa = reject_inference(card, X[accepted], y[accepted], X[~accepted])
    >>> n_acc, n_rej = int(accepted.sum()), int((~accepted).sum())
    >>> len(Xa) == n_acc + 2 * n_rej       # fuzzy: each reject as a bad and as a good
    True
    >>> bool(np.isclose(wa.sum(), len(X)))  # ... whose two weights sum to 1
    True
    >>> new = Scorecard(binning=BinningParams(max_bins=4)).fit(Xa, ya, sample_weight=wa)
    """
    kind = V.choice(method, RejectMethod, func=_FUNC, name="method")
    _check_card(card)
    Xa = _frame(X_accepted, "X_accepted")
    Xr = _frame(X_rejected, "X_rejected")
    _same_columns(Xa, Xr)
    require_columns(_FUNC, Xr, list(card.features_))
    ya, wa = _accepted(Xa, y_accepted, sample_weight)
    u = V.real(uplift, func=_FUNC, name="uplift", low=0.0, low_open=True,
               fix="1 assumes rejects are as risky as accepts of the same score.")
    r = V.real(reject_weight, func=_FUNC, name="reject_weight", low=0.0, low_open=True)
    bands = V.integer(n_bands, func=_FUNC, name="n_bands", low=1)
    cut = V.probability(cutoff, func=_FUNC, name="cutoff")
    rng = np.random.default_rng(V.seed(seed, func=_FUNC, generator=True))
    Xr = Xr[list(Xa.columns)] if list(Xr.columns) != list(Xa.columns) else Xr
    n_r = len(Xr)
    if kind == "fuzzy":
        p = np.minimum(1.0, u * card.predict_proba(Xr)[:, 1])
        parts = [Xa, Xr, Xr]
        y_r = np.concatenate([np.ones(n_r), np.zeros(n_r)])
        w_r = r * np.concatenate([p, 1.0 - p])
    else:
        parts = [Xa, Xr]
        w_r = np.full(n_r, r)
        if kind == "hard_cutoff":
            y_r = (card.predict_proba(Xr)[:, 1] > cut).astype(np.float64)
        else:
            score_a = card.points(Xa).to_numpy(dtype=np.float64)
            score_r = card.points(Xr).to_numpy(dtype=np.float64)
            y_r = _parcel(score_a, ya, wa, score_r, bands, u, rng)
    X = pd.concat(parts, axis=0, ignore_index=True)
    index = X.index
    y = pd.Series(np.concatenate([ya, y_r]).astype(np.int64), index=index, name="y")
    w = pd.Series(np.concatenate([wa, w_r]).astype(np.float64), index=index, name="sample_weight")
    return X, y, w


def _check_card(card: Any) -> None:
    if not isinstance(card, Scorecard):
        raise V.fail(_FUNC, "card", "must be a fitted Scorecard", f"a {type(card).__name__}",
                     "Fit a Scorecard on the accepted applicants first.")
    if not hasattr(card, "points_"):
        raise NotFittedError(f"{_FUNC}: card is not fitted yet; call card.fit(X_accepted, y_accepted) first.")


def _frame(X: Any, name: str) -> pd.DataFrame:
    """A DataFrame with unique string column names and at least one row."""
    frame = as_frame(_FUNC, V.as_frame(X, func=_FUNC, name=name))
    if len(frame) == 0:
        raise V.fail(_FUNC, name, "must have at least one row", "0 rows",
                     "Pass the applicants" + (" the old policy declined." if "rej" in name else "."))
    return frame


def _same_columns(Xa: pd.DataFrame, Xr: pd.DataFrame) -> None:
    """SchemaError listing the columns of ``X_accepted`` missing from ``X_rejected`` and the extra ones."""
    have = set(Xr.columns)
    want = set(Xa.columns)
    problems = [Problem(table="X_rejected", column=c, row=None, value=None,
                        rule="column is missing; X_rejected needs every column of X_accepted")
                for c in Xa.columns if c not in have]
    problems += [Problem(table="X_rejected", column=c, row=None, value=None,
                         rule="column is not in X_accepted; pass the same columns for accepts and rejects")
                 for c in Xr.columns if c not in want]
    if problems:
        raise SchemaError(problems, context=_FUNC)


def _accepted(Xa: pd.DataFrame, y: Any, sample_weight: Any) -> tuple[V.FloatArray, V.FloatArray]:
    """The accepted outcomes and weights in ``X_accepted``'s row order; both classes present."""
    n = len(Xa)
    yv, y_index = V.binary_target(y, func=_FUNC, name="y_accepted")
    yv = _match(yv, y_index, Xa.index, n, "y_accepted")
    if sample_weight is None:
        w = np.ones(n)
    else:
        w, w_index = V.weights(sample_weight, n, func=_FUNC)
        w = _match(w, w_index, Xa.index, n, "sample_weight")
    V.both_classes(yv == 1.0, func=_FUNC, weight=None if sample_weight is None else w, name="y_accepted")
    return yv, w


def _match(values: V.FloatArray, index: pd.Index | None, reference: pd.Index, n: int,
           name: str) -> V.FloatArray:
    if values.size != n:
        raise V.fail(_FUNC, name, f"must have one value per row of X_accepted ({n})", f"{values.size} values",
                     f"Pass {name} for the rows of X_accepted.")
    out: V.FloatArray = np.asarray(V.align_to(reference, values, index, func=_FUNC, name=name,
                                              reference_name="X_accepted"), dtype=np.float64)
    return out


def _parcel(score_a: V.FloatArray, y_a: V.FloatArray, w_a: V.FloatArray, score_r: V.FloatArray,
            n_bands: int, uplift: float, rng: np.random.Generator) -> V.FloatArray:
    """Bad (1.0) or good (0.0) per reject by parcelling (see :func:`reject_inference`)."""
    edges = band_edges(score_a, w_a, n_bands)
    band_a = np.searchsorted(edges, score_a, side="right")
    band_r = np.searchsorted(edges, score_r, side="right")
    m = edges.size + 1
    total = np.bincount(band_a, weights=w_a, minlength=m)
    bads = np.bincount(band_a, weights=w_a * y_a, minlength=m)
    # every band holds an accepted row of positive weight (band_edges), so total > 0
    share = np.minimum(1.0, uplift * bads / total)
    count = np.bincount(band_r, minlength=m)
    k = np.floor(count * share + 0.5)
    order = np.lexsort((rng.random(score_r.size), band_r))
    starts = np.cumsum(count) - count
    rank = np.empty(score_r.size, dtype=np.int64)
    rank[order] = np.arange(score_r.size) - starts[band_r[order]]
    out: V.FloatArray = (rank < k[band_r]).astype(np.float64)
    return out


def band_edges(score: V.FloatArray, weight: V.FloatArray, n_bands: int) -> V.FloatArray:
    """Inner band edges: weighted quantiles ``j / n_bands`` of ``score`` (inverted CDF), repeats dropped.

    Only rows of positive weight count. An edge at or below the lowest
    score is dropped, so that every band ``[e_(j-1), e_j)`` (the outer ones
    open) holds at least one such row.
    """
    keep = weight > 0.0
    s, w = score[keep], weight[keep]
    order = np.argsort(s, kind="stable")
    s, cum = s[order], np.cumsum(w[order])
    q = np.arange(1, n_bands) / n_bands * cum[-1]
    pos = np.minimum(np.searchsorted(cum, q, side="left"), s.size - 1)
    edges = np.unique(s[pos])
    out: V.FloatArray = edges[edges > s[0]]
    return out
