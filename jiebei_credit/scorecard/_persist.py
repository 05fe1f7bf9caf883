"""JSON-safe persistence of a fitted :class:`Scorecard`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard._binning import Binning
from jiebei_credit.scorecard._scaling import Scaling

if TYPE_CHECKING:
    from jiebei_credit.scorecard._model import Scorecard

__all__: list[str] = []

CARD_SCHEMA = "jiebei_credit.scorecard.Scorecard"
CARD_VERSION = 3
#: Top-level keys of a card payload besides ``schema`` and ``version``.
CARD_KEYS = (
    "params", "scaling", "round_points", "features", "binnings", "intercept", "coef",
    "std_errors", "p_values", "vif", "aic", "log_likelihood", "null_log_likelihood",
    "pseudo_r2", "n_obs", "drops", "points", "feature_names_in",
)  # fmt: skip


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
        "scaling": card.scaling_.to_dict(),
        "round_points": card.round_points_,
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


def _check_keys(func: str, what: str, d: object, known: tuple[str, ...]) -> Mapping[str, Any]:
    """``d`` as a mapping with exactly the ``known`` keys (besides the header)."""
    if not isinstance(d, Mapping):
        raise InvalidInputError(f"{func}: {what} must be a mapping; got {type(d).__name__}")
    unknown = sorted(str(k) for k in d if k not in known and k not in ("schema", "version"))
    if unknown:
        raise InvalidInputError(f"{func}: unknown {what} keys {unknown}; known: {sorted(known)}")
    missing = [k for k in known if k not in d]
    if missing:
        raise InvalidInputError(f"{func}: missing {what} keys {missing}")
    return d


def card_from_dict(cls: type[Scorecard], d: Mapping[str, Any]) -> Scorecard:
    """Rebuild a fitted card; see :meth:`Scorecard.from_dict`."""
    func = "Scorecard.from_dict"
    if not isinstance(d, Mapping):
        raise InvalidInputError(f"{func}: expected a mapping; got {type(d).__name__}")
    if d.get("schema") != CARD_SCHEMA or d.get("version") != CARD_VERSION:
        raise InvalidInputError(
            f"{func}: expected schema {CARD_SCHEMA!r} version {CARD_VERSION}; got {d.get('schema')!r} "
            f"version {d.get('version')!r}; pass the output of Scorecard.to_dict()"
        )
    _check_keys(func, "top-level", d, CARD_KEYS)
    params = dict(_check_keys(func, "params", d["params"], cls._PARAMS))
    try:
        return _build(cls, d, params)
    except InvalidInputError:  # a ValueError too, and already names the culprit
        raise
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise InvalidInputError(
            f"{func}: malformed payload ({type(exc).__name__}: {exc}); pass the output of Scorecard.to_dict()"
        ) from None


def _build(cls: type[Scorecard], d: Mapping[str, Any], params: dict[str, Any]) -> Scorecard:
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
    card.scaling_ = Scaling.from_dict(d["scaling"])
    card.round_points_ = bool(d["round_points"])
    card.points_ = {f: tuple(float(v) for v in pts) for f, pts in d["points"].items()}
    card.feature_names_in_ = np.asarray(d["feature_names_in"], dtype=object)
    card.n_features_in_ = len(card.feature_names_in_)
    card.classes_ = np.array([0, 1])
    return card
