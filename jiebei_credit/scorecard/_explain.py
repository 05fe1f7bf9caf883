"""Reason codes: which features cost each applicant the most points."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from jiebei_credit.scorecard._checks import check_int
from jiebei_credit.scorecard._frames import as_frame, require_columns

if TYPE_CHECKING:
    from jiebei_credit.scorecard._model import Scorecard

__all__ = ["catalog_descriptions", "explain"]


def catalog_descriptions(features: Iterable[str]) -> dict[str, tuple[str, str]]:
    """English and Chinese descriptions from ``jiebei_credit.features.CATALOG``.

    The features package is imported here, lazily, so the scorecard never
    imports it at module level. Columns that are not catalog features (or a
    catalog that does not exist) fall back to the column name.
    """
    catalog: Mapping[str, Any] = getattr(importlib.import_module("jiebei_credit.features"), "CATALOG", {})
    out = {}
    for f in features:
        spec = catalog.get(f)
        en = str(getattr(spec, "description", f)) if spec is not None else f
        zh = str(getattr(spec, "description_zh", en)) if spec is not None else f
        out[f] = (en, zh)
    return out


def explain(
    card: Scorecard,
    X: Any,
    *,
    top: int = 4,
    descriptions: Mapping[str, tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Per row, the ``top`` features that lost the most points against their best bin.

    Parameters
    ----------
    card : Scorecard
        A fitted card.
    X : DataFrame
        Rows to explain.
    top : int, default 4
        Reasons per row (fewer when fewer features lost points).
    descriptions : mapping of str to (English, Chinese), optional
        Texts per feature; by default from ``jiebei_credit.features.CATALOG``,
        else the column name.

    Returns
    -------
    pandas.DataFrame
        One row per reason: ``row`` (index label of ``X``), ``rank`` (1 =
        most points lost), ``feature``, ``bin`` (label), ``points``,
        ``points_lost`` (best bin's points minus this bin's, > 0),
        ``reason`` (English) and ``reason_zh`` (中文). Ties keep model order.
    """
    func = "Scorecard.explain"
    card._check_fitted(func)
    top = check_int(func, "top", top, minimum=1)
    frame = as_frame(func, X, n_features=card.n_features_in_)
    feats = list(card.features_)
    require_columns(func, frame, feats)
    texts = dict(descriptions) if descriptions is not None else catalog_descriptions(feats)
    n, m = len(frame), len(feats)
    idx = np.empty((n, m), dtype=np.int64)
    lost = np.empty((n, m), dtype=np.float64)
    for j, f in enumerate(feats):
        pts = np.asarray(card.points_[f], dtype=np.float64)
        idx[:, j] = card.binnings_[f].bin_index(frame[f])
        lost[:, j] = pts.max() - pts[idx[:, j]]
    order = np.argsort(-lost, axis=1, kind="stable")[:, :top]
    rows = np.repeat(np.arange(n), order.shape[1])
    cols = order.ravel()
    keep = lost[rows, cols] > 0
    rows, cols = rows[keep], cols[keep]
    ranks = np.concatenate([np.arange(1, c + 1) for c in np.bincount(rows, minlength=n)])
    labels = [card.binnings_[f].labels for f in feats]
    bins = [labels[c][idx[r, c]] for r, c in zip(rows, cols, strict=True)]
    # "<what the feature measures>: <the applicant's bin>", without a doubled full stop
    en = [f"{texts.get(feats[c], (feats[c],))[0].rstrip('.')}: {b}" for c, b in zip(cols, bins, strict=True)]
    zh = [
        f"{texts.get(feats[c], (feats[c], feats[c]))[-1].rstrip('。')}：{b}"
        for c, b in zip(cols, bins, strict=True)
    ]
    return pd.DataFrame({
        "row": frame.index[rows], "rank": ranks.astype(np.int64),
        "feature": [feats[c] for c in cols], "bin": bins,
        "points": [card.points_[feats[c]][idx[r, c]] for r, c in zip(rows, cols, strict=True)],
        "points_lost": lost[rows, cols], "reason": en, "reason_zh": zh,
    })  # fmt: skip
