"""Counterfactuals: the fewest changes of actionable features that reach a target score."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from jiebei_credit import _validation as V
from jiebei_credit.scorecard._explain import catalog_descriptions
from jiebei_credit.scorecard._frames import as_frame, require_columns

if TYPE_CHECKING:
    from jiebei_credit.scorecard._model import Scorecard

__all__: list[str] = []

#: Words that mark a protected attribute in a feature name (split on ``_``, ``-``, spaces);
#: such features are never actionable.
PROTECTED_WORDS = frozenset({"gender", "sex", "ethnic", "ethnicity", "race", "religion", "marital",
                             "nationality", "hukou", "birth", "pregnancy", "disability"})


def counterfactual(card: Scorecard, X: Any, *, target_score: Any, actionable: Any,
                   func: str = "Scorecard.counterfactual") -> pd.DataFrame:
    """See :meth:`Scorecard.counterfactual`."""
    card._check_fitted(func)
    target = V.real(target_score, func=func, name="target_score")
    items = V.listlike(actionable, func=func, name="actionable")
    if not items:
        raise V.fail(func, "actionable", "must name at least one model feature", "an empty list",
                     "Pass the features the applicant can change, e.g. actionable=['util_max_365d'].")
    unknown = [f for f in items if not isinstance(f, str) or f not in card.features_]
    if unknown:
        raise V.fail(func, "actionable", "must hold features of the model", V.show(unknown, len(unknown)),
                     f"Choose among {V.show(list(card.features_), len(card.features_))}.")
    protected = [f for f in items if PROTECTED_WORDS & set(re.split(r"[_\-\s]+", f.lower()))]
    if protected:
        raise V.fail(func, "actionable", "must not hold protected attributes",
                     V.show(protected, len(protected)),
                     "Leave them out: an applicant cannot be asked to change them.")
    feats = list(dict.fromkeys(items))
    frame = as_frame(func, X, n_features=card.n_features_in_)
    require_columns(func, frame, list(card.features_))
    total = card.points(frame).to_numpy()
    n, a = len(frame), len(feats)
    cur = np.empty((n, a), dtype=np.int64)
    best = np.empty((n, a), dtype=np.int64)
    gain = np.empty((n, a), dtype=np.float64)
    for j, f in enumerate(feats):
        pts = np.asarray(card.points_[f], dtype=np.float64)
        idx = card.binnings_[f]._bin_index(frame[f], func)
        # the best bin nearest the current one (fewest bins away) among the bins of most points
        top = np.flatnonzero(pts == pts.max())
        dist = np.abs(idx[:, None] - top[None, :])
        cur[:, j] = idx
        best[:, j] = top[np.argmin(dist, axis=1)]
        gain[:, j] = pts.max() - pts[idx]
    need = target - total
    order = np.argsort(-gain, axis=1, kind="stable")
    sorted_gain = np.take_along_axis(gain, order, axis=1)
    reach = np.cumsum(sorted_gain, axis=1) >= need[:, None] - 1e-9
    k = np.where(need <= 0, 0, np.where(reach.any(axis=1), np.argmax(reach, axis=1) + 1, -1))
    texts = catalog_descriptions(feats)
    rows, cols = np.nonzero(np.arange(a)[None, :] < np.where(k > 0, k, 0)[:, None])
    fj = order[rows, cols]
    labels = {f: card.binnings_[f].labels for f in feats}
    out = pd.DataFrame({
        "row": frame.index[rows],
        "feature": [feats[j] for j in fj],
        "from_bin": [labels[feats[j]][b] for j, b in zip(fj, cur[rows, fj], strict=True)],
        "to_bin": [labels[feats[j]][b] for j, b in zip(fj, best[rows, fj], strict=True)],
        "points_gained": gain[rows, fj],
    })  # fmt: skip
    out["text"] = [f"{texts[f][0].rstrip('.')}: from {s} to {t} (+{g:.1f} points)"
                   for f, s, t, g in zip(out["feature"], out["from_bin"], out["to_bin"], out["points_gained"],
                                         strict=True)]
    out["text_zh"] = [f"{texts[f][1].rstrip('。')}：由 {s} 变为 {t}（+{g:.1f} 分）"
                      for f, s, t, g in zip(out["feature"], out["from_bin"], out["to_bin"],
                                            out["points_gained"], strict=True)]
    unreachable = np.flatnonzero(k < 0)
    if unreachable.size:
        extra = pd.DataFrame({
            "row": frame.index[unreachable], "feature": None, "from_bin": None, "to_bin": None,
            "points_gained": gain[unreachable].sum(axis=1),
            "text": [f"the target score {target:g} cannot be reached by changing {', '.join(feats)} alone"
                     for _ in unreachable],
            "text_zh": [f"仅调整 {', '.join(feats)} 无法达到目标分 {target:g}" for _ in unreachable],
        })  # fmt: skip
        out = pd.concat([out, extra], ignore_index=True) if len(out) else extra
    return out.reset_index(drop=True)
