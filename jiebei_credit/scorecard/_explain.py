"""Reason codes: which features cost each applicant the most points."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit._types import Matrix
from jiebei_credit.scorecard._frames import as_frame, require_columns

if TYPE_CHECKING:
    from jiebei_credit.scorecard._model import Scorecard

__all__ = ["catalog_descriptions", "explain", "explain_rows"]


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


def _descriptions(func: str, descriptions: Any) -> dict[str, tuple[str, str]]:
    """``{feature: (English, Chinese)}``, every key and pair checked."""
    V.mapping(descriptions, func=func, name="descriptions")
    out = {}
    for key, pair in descriptions.items():
        name = f"descriptions[{key!r}]"
        if not isinstance(key, str):
            raise V.fail(func, "descriptions", "must map feature names (strings) to texts", f"key {key!r}")
        if not (isinstance(pair, tuple | list) and len(pair) == 2 and all(isinstance(t, str) for t in pair)):
            raise V.fail(func, name, "must be a pair of texts (English, Chinese)", repr(pair)[:60],
                         f"Pass e.g. descriptions={{{key!r}: ('Utilisation', '额度使用率')}}.")
        out[key] = (pair[0], pair[1])
    return out


def explain(
    card: Scorecard,
    X: Matrix,
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
        Texts per feature, each a pair of strings; by default from
        ``jiebei_credit.features.CATALOG``, else the column name. Features
        without an entry use their column name.

    Returns
    -------
    pandas.DataFrame
        One row per reason: ``row`` (index label of ``X``), ``rank`` (1 =
        most points lost), ``feature``, ``bin`` (label), ``points``,
        ``points_lost`` (best bin's points minus this bin's, > 0),
        ``reason`` (English) and ``reason_zh`` (中文). Ties keep model order.

    Raises
    ------
    NotFittedError
        ``card`` is not fitted.
    InvalidInputError
        ``card`` is not a Scorecard; ``top`` is not an integer >= 1;
        ``descriptions`` is not a mapping of feature names to (English,
        Chinese) pairs of strings; values of ``X`` unseen in training when
        the card's ``unseen`` is ``'raise'``.
    SchemaError
        A model feature is missing from ``X``.
    """
    return explain_rows(card, X, top=top, descriptions=descriptions, func="explain")


def explain_rows(card: Scorecard, X: Any, *, top: int, descriptions: Mapping[str, tuple[str, str]] | None,
                 func: str) -> pd.DataFrame:
    """:func:`explain`, with errors naming ``func`` (the public function the user called)."""
    from jiebei_credit.scorecard._model import Scorecard

    if not isinstance(card, Scorecard):
        raise V.fail(func, "card", "must be a fitted Scorecard", f"a {type(card).__name__}")
    card._check_fitted(func)
    top = V.integer(top, func=func, name="top", low=1)
    if descriptions is None:
        texts = catalog_descriptions(card.features_)
    else:
        texts = _descriptions(func, descriptions)
    frame = as_frame(func, X, n_features=card.n_features_in_)
    feats = list(card.features_)
    require_columns(func, frame, feats)
    n, m = len(frame), len(feats)
    # Flat per-(feature, slot) lookups: feature j's slots start at offset[j]; its bins, then the
    # neutral slot (WOE 0), then the same again for values not seen in development.
    from jiebei_credit.scorecard._binning import NEUTRAL_LABEL
    from jiebei_credit.scorecard._scoring import neutral_points

    neutral = neutral_points(card)
    points = [np.append(np.asarray(card.points_[f], dtype=np.float64), neutral[f]) for f in feats]
    width = np.array([p.size for p in points], dtype=np.int64)
    offset = np.concatenate(([0], np.cumsum(2 * width)[:-1])).astype(np.int64)
    flat_points = np.concatenate([np.tile(p, 2) for p in points]) if points else np.empty(0, dtype=np.float64)
    flat_labels: list[str] = []
    flat_en: list[str] = []
    flat_zh: list[str] = []
    for f in feats:
        # "<what the feature measures>: <the applicant's bin>", without a doubled full stop
        en, zh = texts.get(f, (f, f))
        en, zh = en.rstrip("."), zh.rstrip("。")
        labels = [*card.binnings_[f].labels, NEUTRAL_LABEL]
        flat_labels.extend(labels)
        flat_en.extend(f"{en}: {label}" for label in labels)
        flat_zh.extend(f"{zh}：{label}" for label in labels)
        flat_labels.extend(labels)
        flat_en.extend(f"{en}: value not seen in development (scored as {label})" for label in labels)
        flat_zh.extend(f"{zh}：开发样本中未出现的取值（按 {label} 计分）" for label in labels)
    idx = np.empty((n, m), dtype=np.int64)
    lost = np.empty((n, m), dtype=np.float64)
    for j, f in enumerate(feats):
        b = card.binnings_[f]
        col = b._bin_index(frame[f], func)
        lost[:, j] = points[j][:-1].max() - points[j][col]
        idx[:, j] = col + width[j] * b._unseen_mask(frame[f], func) if b.unseen != "raise" else col
    order = np.argsort(-lost, axis=1, kind="stable")[:, :top]
    k = order.shape[1]
    rows = np.repeat(np.arange(n), k)
    cols = order.ravel()
    # Losses are >= 0 and sorted descending, so the kept reasons of a row are a
    # prefix of its order: a reason's rank is its position in the order.
    keep = lost[rows, cols] > 0
    ranks = np.tile(np.arange(1, k + 1, dtype=np.int64), n)[keep]
    rows, cols = rows[keep], cols[keep]
    flat = offset[cols] + idx[rows, cols]
    return pd.DataFrame({
        "row": frame.index[rows], "rank": ranks,
        "feature": np.asarray(feats, dtype=object)[cols],
        "bin": np.asarray(flat_labels, dtype=object)[flat],
        "points": flat_points[flat], "points_lost": lost[rows, cols],
        "reason": np.asarray(flat_en, dtype=object)[flat],
        "reason_zh": np.asarray(flat_zh, dtype=object)[flat],
    })  # fmt: skip
