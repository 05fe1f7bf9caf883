"""Parameters of the scorecard's estimators: one rule each, and the scikit-learn protocol.

Every parameter rule is declared once in :data:`RULES` (built on
:mod:`jiebei_credit._validation`) and used wherever the parameter is read:
at fit time, by :func:`bin_feature` and friends, and when
:meth:`Scorecard.from_dict` checks a stored card.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise
from typing import Any, ClassVar, Self

from jiebei_credit import _validation as V
from jiebei_credit.scorecard._checks import Criterion, Kind, Monotonic, Penalty, Selection, Unseen
from jiebei_credit.scorecard._sklearn import MetadataConsumer
from jiebei_credit.scorecard._sources import feature_sources_rule

__all__: list[str] = []

#: Most quantile pre-bins: the optimal merge costs grow with the square of their number.
MAX_PREBINS = 1000
#: Largest smoothing constant (a pseudo-count; beyond this WOE arithmetic would lose all digits).
MAX_SMOOTHING = 1e12

Rule = Callable[[Any, str, str], Any]
"""``rule(value, func, name)``: the normalised value, or :class:`InvalidInputError`."""


def category_scalar(value: Any, *, func: str, name: str) -> Any:
    """A single category or special value: text, an integer, a finite float or a bool."""
    v = V.plain(value)
    if isinstance(v, str | bool | int) or (isinstance(v, float) and math.isfinite(v)):
        return v
    what = "a missing value" if v is None or (isinstance(v, float) and math.isnan(v)) else repr(v)
    raise V.fail(func, name, "must be text, an integer, a finite number or a bool", what,
                 "Missing values have their own bin; pass only real values.")


def _values(value: Any, func: str, name: str) -> tuple[Any, ...]:
    items = V.listlike(value, func=func, name=name)
    return tuple(category_scalar(v, func=func, name=f"{name}[{k}]") for k, v in enumerate(items))


def special_values_rule(value: Any, func: str, name: str) -> tuple[Any, ...] | dict[str, tuple[Any, ...]]:
    """A list-like of special values, or a mapping of column name to such a list-like."""
    if isinstance(value, Mapping):
        out: dict[str, tuple[Any, ...]] = {}
        for col, vals in value.items():
            if not isinstance(col, str):
                raise V.fail(func, name, "must map column names (strings) to values", f"key {col!r}")
            out[col] = _values(vals, func, f"{name}[{col!r}]")
        return out
    return _values(value, func, name)


def ordinal_rule(value: Any, func: str, name: str) -> dict[str, tuple[Any, ...]] | None:
    """``None`` or a mapping of column name to its levels in order (distinct categories)."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise V.fail(func, name, "must be None or a mapping of column names to their levels in order",
                     f"a {type(value).__name__}", 'Pass e.g. {"grade": ["A", "B", "C"]}.')
    out: dict[str, tuple[Any, ...]] = {}
    for col, levels in value.items():
        if not isinstance(col, str):
            raise V.fail(func, name, "must map column names (strings) to levels", f"key {col!r}")
        vals = _values(levels, func, f"{name}[{col!r}]")
        keys = [(type(v).__name__, v) for v in vals]
        if not vals or len(set(keys)) != len(keys):
            raise V.fail(func, f"{name}[{col!r}]", "must list at least one level, each once",
                         repr(list(vals)))
        out[col] = vals
    return out


def user_bins_rule(value: Any, func: str, name: str) -> dict[str, tuple[Any, ...]] | None:
    """``None`` or a mapping of column name to inner edges or to groups of categories.

    Normalised per column to a tuple of edges (finite, strictly increasing
    numbers) or a tuple of groups (disjoint, non-empty tuples of categories).
    """
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise V.fail(func, name, "must be None or a mapping of column names to edges or groups of "
                     "categories", f"a {type(value).__name__}",
                     'Pass e.g. {"util": [0.3, 0.7], "city": [["a"], ["b", "c"]]}.')
    out: dict[str, tuple[Any, ...]] = {}
    for col, spec in value.items():
        if not isinstance(col, str):
            raise V.fail(func, name, "must map column names (strings) to edges or groups", f"key {col!r}")
        path = f"{name}[{col!r}]"
        items = V.listlike(spec, func=func, name=path)
        if not items:
            raise V.fail(func, path, "must hold at least one edge or one group", "an empty list")
        nested = [not isinstance(v, str) and (isinstance(v, list | tuple | Sequence) or hasattr(v, "tolist"))
                  for v in items]
        if all(nested):
            groups = tuple(_values(g, func, f"{path}[{k}]") for k, g in enumerate(items))
            flat = [(type(c).__name__, c) for g in groups for c in g]
            if any(not g for g in groups) or len(set(flat)) != len(flat):
                raise V.fail(func, path, "must be disjoint, non-empty groups of categories",
                             repr([list(g) for g in groups]), "List each category in one group only.")
            out[col] = groups
            continue
        edges = tuple(V.real(v, func=func, name=f"{path}[{k}]") for k, v in enumerate(items))
        if any(b <= a for a, b in pairwise(edges)):
            raise V.fail(func, path, "must be strictly increasing edges (finite numbers)", repr(list(edges)),
                         "Sort the edges and remove repeats; groups of categories are lists of lists.")
        out[col] = edges
    return out


def bin_specs(user_bins: Mapping[str, tuple[Any, ...]] | None) -> dict[str, tuple[Any, ...]] | None:
    """Checked ``user_bins`` as internal specs ``(kind, edges or groups, rare_bin, trend)``."""
    if user_bins is None:
        return None
    return {c: ("groups" if isinstance(v[0], tuple) else "edges", v, -1, "none")
            for c, v in user_bins.items()}


def columns_rule(value: Any, func: str, name: str) -> tuple[str, ...] | None:
    """``None`` or a list-like of column names."""
    if value is None:
        return None
    items = V.listlike(value, func=func, name=name)
    bad = [v for v in items if not isinstance(v, str)]
    if bad:
        raise V.fail(func, name, "must hold column names (strings)", V.show(bad, len(bad)))
    return tuple(items)


def optional_name(value: Any, func: str, name: str) -> str | None:
    """``None`` or a string."""
    if value is None or isinstance(value, str):
        return value
    raise V.fail(func, name, "must be a string or None", repr(value))


def _integer(low: int, high: int | None = None) -> Rule:
    return lambda v, func, name: V.integer(v, func=func, name=name, low=low, high=high)


def _real(low: float, high: float | None = None, *, low_open: bool = False, allow_inf: bool = False,
          fix: str = "") -> Rule:
    return lambda v, func, name: V.real(v, func=func, name=name, low=low, high=high, low_open=low_open,
                                        allow_inf=allow_inf, fix=fix)


def _choice(literal: Any) -> Rule:
    return lambda v, func, name: V.choice(v, literal, func=func, name=name)


def _sample_size(value: Any, func: str, name: str) -> int | None:
    return None if value is None else V.integer(value, func=func, name=name, low=2,
                                                fix="Pass None to use every value.")


def _max_vif(value: Any, func: str, name: str) -> float | None:
    return None if value is None else V.real(value, func=func, name=name, low=1.0, allow_inf=True)


def _scaling(value: Any, func: str, name: str) -> Any:
    from jiebei_credit.scorecard._scaling import Scaling

    if isinstance(value, Scaling):
        return value
    raise V.fail(func, name, "must be a Scaling", repr(value), "Pass e.g. Scaling(base_score=600, "
                 "base_odds=50, pdo=20).")


def _binning(value: Any, func: str, name: str) -> Any:
    from jiebei_credit.scorecard._binparams import BinningParams

    if isinstance(value, BinningParams):
        return value
    raise V.fail(func, name, "must be a BinningParams", f"a {type(value).__name__} ({value!r})"
                 if not isinstance(value, str | int | float | None) else repr(value),
                 "Pass e.g. BinningParams(max_bins=4), or set one field with "
                 "set_params(binning__max_bins=4).")


def _penalty_strength(value: Any, func: str, name: str) -> float | str:
    if isinstance(value, str) and value == "cv":
        return value
    if isinstance(value, str):
        raise V.fail(func, name, "must be 'cv' or a positive number", repr(value),
                     "Pass 'cv' to choose it by cross-validation.")
    return V.real(value, func=func, name=name, low=0.0, low_open=True,
                  fix="Pass 'cv' to choose it by cross-validation.")


#: The rule of every parameter, by name (estimators and functions share names and rules).
RULES: dict[str, Rule] = {
    "max_bins": _integer(1),
    "min_bin_share": _real(0.0, 0.5),
    "monotonic": _choice(Monotonic),
    "cv_max_bins": _integer(1),
    "cv_min_bin_share": _real(0.0, 0.5),
    "special_values": special_values_rule,
    "min_bin_goods": _real(0.0, allow_inf=True),
    "min_bin_bads": _real(0.0, allow_inf=True),
    "kind": _choice(Kind),
    "categorical": columns_rule,
    "numeric": columns_rule,
    "n_prebins": _integer(2, MAX_PREBINS),
    "min_category_share": _real(0.0, 1.0),
    "smoothing": _real(0.0, MAX_SMOOTHING, low_open=True,
                       fix="A bin without goods or bads needs a positive smoothing for a finite WOE; "
                           "the default is 0.5."),
    "unseen": _choice(Unseen),
    "ordinal": ordinal_rule,
    "user_bins": user_bins_rule,
    "sample_size": _sample_size,
    "seed": lambda v, func, name: V.seed(v, func=func, name=name),
    "name": optional_name,
    "scaling": _scaling,
    "binning": _binning,
    "min_iv": _real(0.0, allow_inf=True),
    "max_correlation": _real(0.0, 1.0),
    "max_vif": _max_vif,
    "selection": _choice(Selection),
    "criterion": _choice(Criterion),
    "p_enter": _real(0.0, 1.0),
    "p_remove": _real(0.0, 1.0),
    "round_points": lambda v, func, name: V.flag(v, func=func, name=name),
    "min_events_per_feature": _real(0.0),
    "penalty": _choice(Penalty),
    "penalty_strength": _penalty_strength,
    "feature_sources": feature_sources_rule,
}


def check(func: str, name: str, value: Any) -> Any:
    """``value`` checked (and normalised) by the rule of parameter ``name``."""
    return RULES[name](value, func, name)


def check_all(func: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Every parameter checked; cross-parameter rules too (``sample_size``, ``p_remove``)."""
    out = {k: check(func, k, v) for k, v in values.items()}
    n_prebins, sample_size = out.get("n_prebins"), out.get("sample_size")
    if n_prebins is not None and sample_size is not None and sample_size < n_prebins:
        raise V.fail(func, "sample_size", f"must be None or an integer >= n_prebins ({n_prebins})",
                     repr(sample_size), "Raise sample_size or lower n_prebins.")
    p_enter, p_remove = out.get("p_enter"), out.get("p_remove")
    if p_enter is not None and p_remove is not None and p_remove < p_enter:
        raise V.fail(func, "p_remove", f"must be >= p_enter ({p_enter:g}), or a feature could enter and "
                     "leave at the same step", repr(p_remove))
    return out


class Params(MetadataConsumer):
    """``get_params``/``set_params``/``repr`` over the parameters of ``__init__``.

    Metadata routing (``set_fit_request``, ``get_metadata_routing``) comes
    from ``MetadataConsumer`` (scikit-learn's protocol, without scikit-learn).

    ``__init__`` of a subclass stores each parameter under its own name and
    does nothing else, as scikit-learn's ``clone`` expects. ``_PARAMS`` is
    read from its signature when the subclass is defined, so no parameter
    can be left out of ``get_params`` (and so of ``clone``).
    """

    _PARAMS: ClassVar[tuple[str, ...]] = ()
    #: Parameters holding a frozen record whose fields are nested parameters (``binning__max_bins``).
    _NESTED: ClassVar[tuple[str, ...]] = ()
    #: The attributes every fitted estimator has, declared once per estimator (``fit`` sets them).
    _FITTED: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]  # without self
        if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):  # pragma: no cover
            raise TypeError(
                f"{cls.__name__}.__init__ must list its parameters explicitly (no *args/**kwargs)."
            )
        cls._PARAMS = tuple(p.name for p in params)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor parameters by name, as scikit-learn reads them.

        Parameters
        ----------
        deep : bool, default True
            Also list the fields of a nested record as ``<param>__<field>``
            (e.g. ``binning__max_bins``), as scikit-learn does for nested
            estimators.

        Returns
        -------
        dict of str to object
            The parameters (and with ``deep`` the nested fields).
        """
        out = {name: getattr(self, name) for name in self._PARAMS}
        if deep:
            for name in self._NESTED:
                value = out[name]
                if dataclasses.is_dataclass(value) and not isinstance(value, type):
                    out.update({f"{name}__{f.name}": getattr(value, f.name)
                                for f in dataclasses.fields(value)})
        return out

    def set_params(self, **params: Any) -> Self:
        """Set constructor parameters, or fields of a nested record (``binning__max_bins=4``).

        A nested field replaces the record with :func:`dataclasses.replace`
        (the record stays frozen, and checks the new value). Unknown names
        raise :class:`InvalidInputError`, naming the nested parameter when a
        field of a record is passed by its bare name. Other values are
        checked by the next ``fit``, as scikit-learn expects.

        Parameters
        ----------
        **params : object
            New values by parameter name.

        Returns
        -------
        self
            The estimator, with the parameters set.

        Raises
        ------
        InvalidInputError
            An unknown parameter or field; a nested field of a parameter that
            does not hold its record; a field value breaking its rule.
        """
        func = f"{type(self).__name__}.set_params"
        nested: dict[str, dict[str, Any]] = {}
        flat: dict[str, Any] = {}
        for key, value in params.items():
            head, sep, field = key.partition("__")
            if sep and head in self._NESTED:
                nested.setdefault(head, {})[field] = value
            else:
                flat[key] = value
        unknown = sorted(set(flat) - set(self._PARAMS))
        for name in unknown:
            owner = next((n for n in self._NESTED if name in self._record_fields(n)), None)
            if owner is not None:
                raise V.fail(func, name, f"is a field of {owner} (a {self._record_type(owner).__name__}), "
                             f"set as {owner}__{name}", f"{name}={params[name]!r}",
                             f"Pass {owner}__{name}={params[name]!r}, or "
                             f"{owner}={self._record_type(owner).__name__}({name}={params[name]!r}).")
        if unknown:
            raise V.fail(func, "params",
                         f"must be parameters of {type(self).__name__} ({', '.join(self._PARAMS)})",
                         f"unknown parameters {V.show(unknown)}")
        for name, value in flat.items():
            setattr(self, name, value)
        for name, changes in nested.items():
            record = getattr(self, name)
            kind = self._record_type(name)
            if not isinstance(record, kind):
                raise V.fail(func, f"{name}__{next(iter(changes))}", f"needs {name} to be a {kind.__name__}",
                             f"{name}={record!r}", f"Set {name}={kind.__name__}(...) first.")
            allowed = self._record_fields(name)
            bad = [k for k in changes if k not in allowed]
            if bad:
                raise V.fail(func, f"{name}__{bad[0]}", f"must name a field of {kind.__name__} "
                             f"({', '.join(allowed)})", f"{len(bad)} unknown: {V.show(bad, len(bad))}")
            setattr(self, name, dataclasses.replace(record, **changes))
        return self

    def __sklearn_is_fitted__(self) -> bool:
        """Whether every fitted attribute is set (scikit-learn's ``check_is_fitted`` protocol).

        Returns
        -------
        bool
            True after ``fit`` (or, for a scorecard, ``from_dict``).
        """
        return all(hasattr(self, name) for name in self._FITTED)

    def _record_type(self, name: str) -> type[Any]:
        """The record class of nested parameter ``name`` (the type of its default)."""
        return type(inspect.signature(type(self).__init__).parameters[name].default)

    def _record_fields(self, name: str) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(self._record_type(name)))

    def __repr__(self) -> str:
        # parameters equal to their default are left out; like scikit-learn, compare by repr,
        # which works for arrays and other values without a boolean ``==``
        default = type(self)()
        changed = [f"{k}={v!r}" for k, v in self.get_params(deep=False).items()
                   if repr(v) != repr(getattr(default, k))]
        return f"{type(self).__name__}({', '.join(changed)})"
