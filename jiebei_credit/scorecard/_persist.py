"""JSON-safe persistence of a fitted :class:`Scorecard`, and the checks of a stored card.

A stored card decides credit, so :func:`card_from_dict` loads nothing it has
not checked: every field's type, finiteness, range and allowed values, and
the consistency between fields (every column has a binning; every model
feature has one point per bin; the points are those the intercept,
coefficients, binnings and scaling give; the labels are those the edges and
categories give; the counts add up to ``n_obs``; every column is in the
model or dropped once). All problems are reported together.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from jiebei_credit import _validation as V
from jiebei_credit.errors import InvalidInputError
from jiebei_credit.scorecard._binning import BINNING_SCHEMA, BINNING_VERSION, Binning, migrate_binning
from jiebei_credit.scorecard._binparams import BinningParams
from jiebei_credit.scorecard._checks import DropStep
from jiebei_credit.scorecard._fit import bin_labels
from jiebei_credit.scorecard._lineage import LineageRecord
from jiebei_credit.scorecard._params import RULES
from jiebei_credit.scorecard._payload import Checker, check_binning
from jiebei_credit.scorecard._report import card_points
from jiebei_credit.scorecard._scaling import FIELD_RULES, Scaling, scaling_fields
from jiebei_credit.scorecard._sources import params_payload, resolve, sources_payload

if TYPE_CHECKING:
    from jiebei_credit.scorecard._model import Scorecard

__all__: list[str] = []

T = TypeVar("T")

CARD_SCHEMA = "jiebei_credit.scorecard.Scorecard"
CARD_VERSION = 6
#: Earlier card versions :meth:`Scorecard.from_dict` still reads (migrated forward).
#: Version 3 had binnings of version 1 (no ``rare_bin``) and the two policies 'raise' and 'worst';
#: version 4 had no ``feature_sources`` (parameter and fitted) and no ``lineage``; version 5 had no
#: ``cv_max_bins``, ``cv_min_bin_share`` and the fitted ``penalty_strength`` and wrote undefined
#: estimates as NaN.
MIGRATED_VERSIONS = (3, 4, 5)
#: Parameters a card saved before version 6 lacks take these values, its defaults then (an unpenalised
#: fit), rather than the current defaults: the stored parameters must describe the stored fit.
LEGACY_DEFAULTS: dict[str, Any] = {"penalty": "none", "penalty_strength": "cv"}


def _nulls(v: Any) -> list[float | None]:
    """An array as a JSON list, an undefined estimate (NaN) as null: strict JSON, and equal to itself."""
    return [None if math.isnan(x) else x for x in v.tolist()]


#: How a fitted attribute is written to JSON, where it is not stored as it is.
ENCODE: dict[str, Callable[[Any], Any]] = {
    "scaling_": scaling_fields,  # the card's header covers it: the fields alone
    "features_": list,
    "binnings_": lambda v: {f: b.to_dict() for f, b in v.items()},
    "coef_": lambda v: v.tolist(),
    "std_errors_": _nulls,
    "p_values_": _nulls,
    "vif_": _nulls,
    "penalty_strength_": lambda v: None if math.isnan(v) else v,
    "drops_": lambda v: [list(d) for d in v],
    "points_": lambda v: {f: list(p) for f, p in v.items()},
    "feature_names_in_": list,
    "feature_sources_": sources_payload,
    "lineage_": lambda v: [r.to_dict() for r in v],
}


def stored_key(attribute: str) -> str:
    """The payload key of a fitted attribute: its name without the trailing underscore."""
    return attribute[:-1]


def card_keys(cls: type[Scorecard]) -> tuple[str, ...]:
    """Top-level keys of a card payload besides ``schema`` and ``version``: params and the fitted ones."""
    return ("params", *(stored_key(a) for a in cls._FITTED))


def param_names(cls: type[Scorecard]) -> tuple[str, ...]:
    """Keys of a payload's ``params``: the constructor's, with the fields of ``binning`` in its place.

    The stored layout is flat (``params.max_bins``), as in every published
    version, so older payloads load unchanged.
    """
    out: list[str] = []
    for name in cls._PARAMS:
        out.extend(BinningParams.names() if name == "binning" else (name,))
    return tuple(out)


#: Largest absolute points of a bin in a stored card; beyond it a score means nothing.
MAX_POINTS = 1e9
#: Relative tolerance of the consistency checks between stored and recomputed numbers.
RTOL = 1e-9


def _plain(v: Any) -> Any:
    """Sequences and mappings of column names or special values as JSON lists and dicts."""
    if isinstance(v, Mapping):
        return {c: _plain(s) for c, s in v.items()}
    if v is None:
        return None
    return [x.item() if isinstance(x, np.generic) else x for x in (v.tolist() if hasattr(v, "tolist") else v)]


def card_to_dict(card: Scorecard) -> dict[str, Any]:
    """The fitted card as a JSON-safe dict; see :meth:`Scorecard.to_dict`."""
    func = "Scorecard.to_dict"
    p = card.get_params(deep=False)
    p["scaling"] = scaling_fields(card.scaling) if isinstance(card.scaling, Scaling) else card.scaling
    binning: BinningParams = RULES["binning"](p.pop("binning"), func, "binning")
    p.update(binning.to_dict())
    for k in ("special_values", "categorical", "numeric", "ordinal"):
        p[k] = _plain(p[k])
    bins = RULES["user_bins"](p["user_bins"], func, "user_bins")
    p["user_bins"] = None if bins is None else {
        c: [list(g) if isinstance(g, tuple) else g for g in v] for c, v in bins.items()}
    sources = RULES["feature_sources"](p["feature_sources"], func, "feature_sources")
    p["feature_sources"] = params_payload(sources, card.feature_names_in_)
    fitted = {stored_key(a): ENCODE.get(a, _same)(getattr(card, a)) for a in card._FITTED}
    return {"schema": CARD_SCHEMA, "version": CARD_VERSION, "params": p, **fitted}


def _same(v: T) -> T:
    return v


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= RTOL * max(1.0, abs(a), abs(b))


def _scaling(ck: Checker, v: Any, path: str) -> Scaling | None:
    m = ck.mapping(v, path)
    if m is None:
        return None
    n0 = len(ck.problems)
    ck.keys(m, path, tuple(FIELD_RULES))
    if len(ck.problems) > n0:
        return None
    values = {}
    for name, rule in FIELD_RULES.items():
        with ck.field():
            values[name] = rule(m[name], ck.func, f"{path}.{name}")
    return Scaling(**values) if len(ck.problems) == n0 else None


def _params(ck: Checker, v: Any, names: tuple[str, ...]) -> dict[str, Any] | None:
    m = ck.mapping(v, "params")
    if m is None:
        return None
    n0 = len(ck.problems)
    ck.keys(m, "params", names)
    out: dict[str, Any] = {}
    for name in names:
        if name not in m:
            continue
        if name == "scaling":
            out[name] = _scaling(ck, m[name], "params.scaling")
            continue
        if name == "special_values" and isinstance(m[name], Mapping):  # each column on its own
            out[name] = {}
            for col, values in m[name].items():
                with ck.field():
                    out[name].update(RULES[name]({col: values}, ck.func, "params.special_values"))
            continue
        with ck.field():
            out[name] = RULES[name](m[name], ck.func, f"params.{name}")
    if len(ck.problems) > n0:
        return None
    if out["sample_size"] is not None and out["sample_size"] < out["n_prebins"]:
        ck.add("params.sample_size", f"must be None or >= params.n_prebins ({out['n_prebins']})",
               repr(out["sample_size"]))
    if out["p_remove"] < out["p_enter"]:
        ck.add("params.p_remove", f"must be >= params.p_enter ({out['p_enter']:g})", repr(out["p_remove"]))
    return out if len(ck.problems) == n0 else None


def _names(ck: Checker, v: Any, path: str) -> list[str] | None:
    items = ck.seq(v, path)
    if items is None:
        return None
    n0 = len(ck.problems)
    for k, x in enumerate(items):
        ck.string(x, f"{path}[{k}]")
    if len(ck.problems) == n0:
        ck.distinct(items, path)
    return items if len(ck.problems) == n0 else None


def migrate_card(cls: type[Scorecard], d: Any) -> Any:
    """A version-3 or -4 card payload as version 5; anything else unchanged (the checks judge it).

    Version 4 added ``rare_bin`` to the binnings (version 2; a version-1
    binning reads as ``rare_bin=-1``) and the unseen policies 'neutral',
    'missing' and 'rare'. A stored card keeps the policy it was saved with
    (``'raise'`` or ``'worst'``); parameters added since take their defaults.
    Version 5 added the sources of the model features (an older card's are
    ``"unknown"``: it was never told them) and the recalibration lineage
    (empty: older cards could not be recalibrated). Version 6 added the
    binning fields ``cv_max_bins`` and ``cv_min_bin_share`` (their defaults:
    an older card could not use them) and the λ of the fit,
    ``penalty_strength`` (0 unpenalised, the parameter when it was a
    number, null when cross-validation chose it), and writes undefined
    standard errors, p-values and VIFs as null; NaN still reads. A parameter missing
    from an older card takes its default of that time
    (:data:`LEGACY_DEFAULTS`), so the parameters describe the stored fit.
    """
    if not isinstance(d, Mapping) or d.get("schema") != CARD_SCHEMA:
        return d
    if d.get("version") not in MIGRATED_VERSIONS:
        return d
    out = {**d, "version": CARD_VERSION}
    if isinstance(d.get("binnings"), Mapping):
        out["binnings"] = {k: migrate_binning(v) for k, v in d["binnings"].items()}
    if isinstance(d.get("params"), Mapping):
        defaults = {**cls().get_params(deep=False), **BinningParams().to_dict(), **LEGACY_DEFAULTS}
        params = dict(d["params"])
        for name in param_names(cls):
            if name not in params:
                v = defaults[name]
                params[name] = scaling_fields(v) if isinstance(v, Scaling) else v
        out["params"] = params
    features = d.get("features")
    if "feature_sources" not in d and isinstance(features, list) and all(isinstance(f, str)
                                                                           for f in features):
        out["feature_sources"] = sources_payload(resolve(features, None))
    out.setdefault("lineage", [])
    if "penalty_strength" not in d and isinstance(out.get("params"), Mapping):
        # the λ of the stored fit: 0 unpenalised, the number given, unknown when cross-validated
        penalty, strength = out["params"].get("penalty"), out["params"].get("penalty_strength")
        out["penalty_strength"] = (0.0 if penalty == "none" else None if isinstance(strength, str)
                                   else strength)
    return out


def card_from_dict(cls: type[Scorecard], d: Mapping[str, Any]) -> Scorecard:
    """Rebuild a fitted card, every field checked first; see :meth:`Scorecard.from_dict`."""
    ck = Checker("Scorecard.from_dict", "Scorecard")
    d = migrate_card(cls, d)
    body = ck.header(d, schema=CARD_SCHEMA, version=CARD_VERSION, keys=card_keys(cls))
    if body is None:  # pragma: no cover - header() raises for the top level
        ck.raise_if_any()
        return cls()
    get = body.get
    params = _params(ck, get("params"), param_names(cls)) if "params" in body else None
    scaling = _scaling(ck, get("scaling"), "scaling") if "scaling" in body else None
    round_points = ck.flag(get("round_points"), "round_points") if "round_points" in body else None
    names = _names(ck, get("feature_names_in"), "feature_names_in") if "feature_names_in" in body else None
    if names is not None and not names:
        ck.add("feature_names_in", "must name at least one column", "an empty list")
    features = _names(ck, get("features"), "features") if "features" in body else None
    if features is not None and not features:
        ck.add("features", "must name at least one model feature", "an empty list")
    binnings = _binnings(ck, get("binnings")) if "binnings" in body else None
    k = len(features) if features is not None else None
    intercept = ck.real(get("intercept"), "intercept") if "intercept" in body else None
    coef = ck.reals(get("coef"), "coef", size=k, size_of=" (one per entry of features)", high=0.0,
                    high_open=True,
                    fix="A card's coefficients are negative: higher WOE means lower risk."
                    ) if "coef" in body else None
    k1 = None if k is None else k + 1
    for key, high in (("std_errors", None), ("p_values", 1.0)):
        items = (ck.seq(get(key), key, size=k1, size_of=" (the intercept and one per entry of features)")
                 if key in body else None)
        for j, x in enumerate(items or []):
            ck.nan_or_real(x, f"{key}[{j}]", low=0.0, high=high, allow_inf=high is None)
    vif = ck.seq(get("vif"), "vif", size=k, size_of=" (one per entry of features)") if "vif" in body else None
    for j, x in enumerate(vif or []):
        ck.nan_or_real(x, f"vif[{j}]", low=0.0, allow_inf=True)
    llf = ck.real(get("log_likelihood"), "log_likelihood", high=0.0) if "log_likelihood" in body else None
    llnull = (ck.real(get("null_log_likelihood"), "null_log_likelihood", high=0.0, high_open=True)
              if "null_log_likelihood" in body else None)
    aic = ck.real(get("aic"), "aic") if "aic" in body else None
    pseudo = ck.nan_or_real(get("pseudo_r2"), "pseudo_r2", high=1.0) if "pseudo_r2" in body else None
    ridge = (ck.nan_or_real(get("penalty_strength"), "penalty_strength", low=0.0)
             if "penalty_strength" in body else None)
    n_obs = ck.real(get("n_obs"), "n_obs", low=0.0, low_open=True) if "n_obs" in body else None
    drops = _drops(ck, get("drops")) if "drops" in body else None
    points = _points(ck, get("points"), bool(round_points)) if "points" in body else None
    sources, n0 = None, len(ck.problems)
    with ck.field():
        sources = RULES["feature_sources"](get("feature_sources"), ck.func, "feature_sources")
    if sources is None and "feature_sources" in body and len(ck.problems) == n0:
        ck.add("feature_sources", "must be a mapping of each model feature to its source", "None")
    if sources is not None and features is not None and sorted(sources) != sorted(features):
        ck.add("feature_sources", "must have one entry per model feature (features)",
               f"entries for {_show(sorted(sources))} and features {_show(features)}")
    lineage = []
    for j, r in enumerate(ck.seq(get("lineage"), "lineage") or [] if "lineage" in body else []):
        with ck.field():
            lineage.append(LineageRecord._from_dict(r, ck.func, f"lineage[{j}]"))
    ck.raise_if_any()
    # every field has the right type: now the consistency between them
    params, scaling, names, features = _known(params), _known(scaling), _known(names), _known(features)
    binnings, coef, drops, points = _known(binnings), _known(coef), _known(drops), _known(points)
    intercept, llf, llnull, aic = _known(intercept), _known(llf), _known(llnull), _known(aic)
    n_obs, round_points, vif = _known(n_obs), _known(round_points), _known(vif)
    _consistency(ck, names, features, binnings, drops, points, llf, llnull, aic, pseudo, n_obs, len(coef))
    ck.raise_if_any()
    binning = BinningParams(**{name: params.pop(name) for name in BinningParams.names()})
    card = cls(binning=binning, **params)
    fitted = {
        "scaling_": scaling, "round_points_": round_points, "features_": tuple(features),
        "binnings_": binnings, "intercept_": float(intercept), "coef_": np.asarray(coef, dtype=np.float64),
        "std_errors_": np.asarray(get("std_errors"), dtype=np.float64),
        "p_values_": np.asarray(get("p_values"), dtype=np.float64), "vif_": np.asarray(vif, dtype=np.float64),
        "aic_": float(aic), "log_likelihood_": float(llf), "null_log_likelihood_": float(llnull),
        "pseudo_r2_": float(pseudo) if pseudo is not None else math.nan, "n_obs_": float(n_obs),
        "drops_": tuple(drops), "points_": {f: tuple(points[f]) for f in features},
        "feature_names_in_": np.asarray(names, dtype=object), "feature_sources_": resolve(features, sources),
        "lineage_": tuple(lineage), "penalty_strength_": float(ridge) if ridge is not None else math.nan,
    }  # fmt: skip
    for attribute in cls._FITTED:
        setattr(card, attribute, fitted[attribute])
    card.n_features_in_ = len(names)
    card.classes_ = np.array([0, 1])
    _points_agree(ck, card)
    ck.raise_if_any()
    return card


def _binnings(ck: Checker, v: Any) -> dict[str, Binning] | None:
    m = ck.mapping(v, "binnings")
    if m is None:
        return None
    n0 = len(ck.problems)
    out = {}
    for name, payload in m.items():
        path = f"binnings[{name!r}]"
        fields = check_binning(ck, payload, path, schema=BINNING_SCHEMA, version=BINNING_VERSION)
        if fields is None:
            continue
        if fields["name"] != name:
            ck.add(f"{path}.name", f"must be the column name {name!r}", repr(fields["name"]))
            continue
        labels = bin_labels(fields["kind"], fields["edges"], fields["groups"], fields["special_values"],
                            fields["special_bins"], fields["has_missing"])
        if list(fields["labels"]) != labels:
            wrong = [j for j, (a, b) in enumerate(zip(fields["labels"], labels, strict=True)) if a != b]
            source = f"{path}.edges" if fields["kind"] == "numeric" else f"{path}.groups"
            ck.add(f"{path}.labels", f"must be the labels {source}, {path}.special_values and "
                   f"{path}.has_missing give", f"other labels for bins {_show(wrong)}")
            continue
        out[name] = Binning(**fields)
    return out if len(ck.problems) == n0 else None


def _show(values: list[Any]) -> str:
    return V.show(values, len(values))


def _known(value: T | None) -> T:
    """A checked field (``None`` only if a problem was recorded, and then raised before)."""
    if value is None:  # pragma: no cover - every None recorded a problem, raised above
        raise InvalidInputError("Scorecard.from_dict: d is not a valid Scorecard payload.")
    return value


def _drops(ck: Checker, v: Any) -> list[tuple[str, str, str]] | None:
    items = ck.seq(v, "drops")
    if items is None:
        return None
    n0 = len(ck.problems)
    out = []
    for j, row in enumerate(items):
        path = f"drops[{j}]"
        triple = ck.seq(row, path, size=3, size_of=" (feature, step, reason)")
        if triple is None:
            continue
        feature = ck.string(triple[0], f"{path}[0]")
        step = ck.choice(triple[1], DropStep, f"{path}[1]")
        reason = ck.string(triple[2], f"{path}[2]")
        if feature is not None and step is not None and reason is not None:
            out.append((feature, step, reason))
    return out if len(ck.problems) == n0 else None


def _points(ck: Checker, v: Any, rounded: bool) -> dict[str, list[float]] | None:
    m = ck.mapping(v, "points")
    if m is None:
        return None
    n0 = len(ck.problems)
    out = {}
    for name, values in m.items():
        path = f"points[{name!r}]"
        pts = ck.reals(values, path, low=-MAX_POINTS, high=MAX_POINTS)
        if pts is None:
            continue
        if rounded:
            frac = [j for j, p in enumerate(pts) if not float(p).is_integer()]
            if frac:
                ck.add(path, "must be whole numbers (round_points is True)",
                       f"fractions in bins {_show(frac)}")
                continue
        out[name] = pts
    return out if len(ck.problems) == n0 else None


def _consistency(
    ck: Checker, names: list[str], features: list[str], binnings: dict[str, Binning],
    drops: list[tuple[str, str, str]], points: dict[str, list[float]], llf: float, llnull: float, aic: float,
    pseudo: float | None, n_obs: float, n_coef: int,
) -> None:
    """Record every disagreement between the fields of a card whose fields are each valid."""
    if set(binnings) != set(names):
        ck.add("binnings", "must have one binning per column of feature_names_in",
               f"binnings for {_show(sorted(binnings))} and columns {_show(names)}")
    missing = [f for f in features if f not in binnings]
    if missing:
        ck.add("features", "must each have a binning in binnings", f"no binning for {_show(missing)}")
    if set(points) != set(features):
        ck.add("points", "must have one entry per model feature (features)",
               f"points for {_show(sorted(points))} and features {_show(features)}")
    for f in features:
        if f in binnings and f in points and len(points[f]) != len(binnings[f].goods):
            ck.add(f"points[{f!r}]",
                   f"must have one value per bin of binnings[{f!r}] ({len(binnings[f].goods)})",
                   f"{len(points[f])} values")
    dropped = [f for f, _, _ in drops]
    both = sorted(set(dropped) & set(features))
    if both:
        ck.add("drops", "must not list model features", _show(both))
    if len(set(dropped)) != len(dropped):
        ck.add("drops", "must list each column once", _show(dropped))
    if sorted(set(dropped) | set(features)) != sorted(names):
        ck.add("features and drops", "must account for every column of feature_names_in exactly once",
               f"columns {_show(names)}, features {_show(features)}, drops {_show(dropped)}")
    if not _close(aic, -2.0 * llf + 2.0 * (n_coef + 1)):
        ck.add("aic", "must be −2 log_likelihood + 2 (number of features + 1)",
               f"{aic!r} against {-2.0 * llf + 2.0 * (n_coef + 1)!r}")
    if pseudo is not None and not math.isnan(pseudo) and not _close(pseudo, 1.0 - llf / llnull):
        ck.add("pseudo_r2", "must be 1 − log_likelihood / null_log_likelihood",
               f"{pseudo!r} against {1.0 - llf / llnull!r}")
    for name, b in binnings.items():
        total = sum(b.goods) + sum(b.bads)
        if not _close(total, n_obs):
            ck.add(f"binnings[{name!r}].goods and .bads", f"must add up to n_obs ({n_obs:g}), the weight of "
                   "the rows every binning counts", f"{total:g}")


def _points_agree(ck: Checker, card: Scorecard) -> None:
    """Record features whose stored points differ from the points the model gives."""
    rounded, card.round_points_ = card.round_points_, False
    try:
        expected = card_points(card)
    finally:
        card.round_points_ = rounded
    slack = 0.5 if rounded else 0.0
    for f, exp in expected.items():
        got = card.points_[f]
        off = [j for j, (a, b) in enumerate(zip(got, exp, strict=True))
               if not (math.isfinite(b) and abs(a - b) <= slack + RTOL * max(1.0, abs(b)))]
        if off:
            j = off[0]
            ck.add(f"points[{f!r}]", "must be the points the card's intercept, coef, binnings and scaling "
                   "give (offset/m − factor·(intercept/m + coef·WOE))",
                   f"{len(off)} bin{'s' if len(off) != 1 else ''} differing, e.g. bin {j}: {got[j]!r} "
                   f"against {exp[j]!r}")
