"""JSON-safe persistence of a fitted :class:`Scorecard`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from jiebei_credit.scorecard._binning import Binning
from jiebei_credit.scorecard._finebin import check_schema
from jiebei_credit.scorecard._scaling import Scaling

if TYPE_CHECKING:
    from jiebei_credit.scorecard._model import Scorecard

__all__: list[str] = []

CARD_SCHEMA = "jiebei_credit.scorecard.Scorecard"
CARD_VERSION = 2


def _plain(v: Any) -> Any:
    """Sequences and mappings of column names or special values as JSON lists and dicts."""
    if isinstance(v, Mapping):
        return {c: list(s) for c, s in v.items()}
    return None if v is None else list(v)


def card_to_dict(card: Scorecard) -> dict[str, Any]:
    """The fitted card as a JSON-safe dict; see :meth:`Scorecard.to_dict`."""
    p = card.get_params()
    p["scaling"] = card.scaling.to_dict()
    for k in ("special_values", "categorical", "numeric"):
        p[k] = _plain(p[k])
    return {
        "schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "params": p,
        "features": list(card.features_),
        "binnings": {f: b.to_dict() for f, b in card.binnings_.items()},
        "intercept": card.intercept_,
        "coef": card.coef_.tolist(),
        "std_errors": card.std_errors_.tolist(),
        "p_values": card.p_values_.tolist(),
        "vif": card.vif_.tolist(),
        "aic": card.aic_,
        "log_likelihood": card.log_likelihood_,
        "null_log_likelihood": card.null_log_likelihood_,
        "pseudo_r2": card.pseudo_r2_,
        "n_obs": card.n_obs_,
        "drops": [list(d) for d in card.drops_],
        "points": {f: list(v) for f, v in card.points_.items()},
        "feature_names_in": list(card.feature_names_in_),
    }


def card_from_dict(cls: type[Scorecard], d: Mapping[str, Any]) -> Scorecard:
    """Rebuild a fitted card; see :meth:`Scorecard.from_dict`."""
    check_schema("Scorecard.from_dict", d, CARD_SCHEMA, CARD_VERSION)
    params = dict(d["params"])
    params["scaling"] = Scaling.from_dict(params["scaling"])
    sv = params["special_values"]
    params["special_values"] = {c: tuple(v) for c, v in sv.items()} if isinstance(sv, Mapping) else tuple(sv)
    card = cls(**params)
    card.binnings_ = {f: Binning.from_dict(b) for f, b in d["binnings"].items()}
    card.features_ = tuple(d["features"])
    card.intercept_ = float(d["intercept"])
    card.coef_ = np.asarray(d["coef"], dtype=np.float64)
    card.std_errors_ = np.asarray(d["std_errors"], dtype=np.float64)
    card.p_values_ = np.asarray(d["p_values"], dtype=np.float64)
    card.vif_ = np.asarray(d["vif"], dtype=np.float64)
    card.aic_ = float(d["aic"])
    card.log_likelihood_ = float(d["log_likelihood"])
    card.null_log_likelihood_ = float(d["null_log_likelihood"])
    card.pseudo_r2_ = float(d["pseudo_r2"])
    card.n_obs_ = float(d["n_obs"])
    card.drops_ = tuple((a, b, c) for a, b, c in d["drops"])
    card.points_ = {f: tuple(float(v) for v in pts) for f, pts in d["points"].items()}
    card.feature_names_in_ = np.asarray(d["feature_names_in"], dtype=object)
    card.n_features_in_ = len(card.feature_names_in_)
    card.classes_ = np.array([0, 1])
    return card
