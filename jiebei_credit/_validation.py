"""The library's one home for input checks.

Every public function checks its parameters and inputs here, so one rule
holds everywhere and every refusal reads the same way::

    <function>: <parameter> <rule>; got <what was passed>. <fix>

For arrays and columns, *what was passed* names the count of offending
values, the first few values and the first few rows (index labels for
pandas input, positions otherwise).

Rules, once each:

* **integers** are ``int`` or numpy integers; ``bool`` and floats are not
  (``30.0`` is refused, pass ``30``);
* **reals** are ``int``, ``float`` or numpy real numbers; ``bool``,
  complex numbers, strings, timedeltas and NaN are not; infinities only
  where a parameter says so;
* **probabilities** are reals in ``[0, 1]`` (or the open interval a
  parameter declares); **money** is a finite real in ``[0, MAX_AMOUNT]``;
* **flags** are ``bool`` or ``numpy.bool_`` (the string ``"false"`` is not);
* **choices** are strings from a declared tuple or ``Literal``;
* **list-like** parameters are lists, tuples, 1-D arrays, ``pandas.Index``
  or ``Series``; a single string, a mapping and an unordered set are not;
* **dates** are ``Timestamp``, ``datetime``, ``date``, ``numpy.datetime64``
  (any unit), pyarrow ``timestamp``/``date32``/``date64`` values, or strings
  in ISO 8601 (``YYYY-MM-DD`` with an optional time) unless a
  ``date_format`` is declared. Numbers are never dates; relative words such
  as ``"now"`` or ``"today"`` (they read the wall clock) and time-zone aware
  values are refused; every date lies in ``[DATE_MIN, DATE_MAX]``.

Nothing here changes its input or any process-wide state.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import numbers
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, get_args, get_origin

import numpy as np
import numpy.typing as npt
import pandas as pd

from jiebei_credit.errors import InvalidInputError

__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "ISO_HINT",
    "MAX_AMOUNT",
    "RELATIVE_WORDS",
    "RULE_BOOL_NUMBER",
    "RULE_COMPLEX",
    "RULE_ID",
    "RULE_NUMBER",
    "RULE_RANGE",
    "RULE_RELATIVE",
    "RULE_TYPE",
    "RULE_TZ",
    "SHOWN",
    "BoolArray",
    "FloatArray",
    "IntArray",
    "ParsedDates",
    "ParsedIds",
    "ParsedNumbers",
    "align_to",
    "as_frame",
    "binary_target",
    "blanked",
    "both_classes",
    "callable_member",
    "choice",
    "choice_codes",
    "cut_points",
    "date",
    "date_format_param",
    "dates",
    "fail",
    "flag",
    "float_vector",
    "frame_columns",
    "ids",
    "integer",
    "integer_array",
    "is_integer",
    "listlike",
    "many",
    "mapping",
    "money",
    "object_series",
    "offending",
    "outcome_and_score",
    "parse_dates",
    "parse_ids",
    "parse_numbers",
    "plain",
    "probability",
    "real",
    "real_array",
    "real_pair",
    "same_index",
    "same_rows",
    "seed",
    "show",
    "single",
    "vector",
    "weights",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: How many offending values or rows a message lists before the count.
SHOWN: Final = 5
#: Earliest date accepted anywhere (records, observations, schedules, simulations).
DATE_MIN: Final = pd.Timestamp("1950-01-01")
#: Latest date accepted anywhere (inclusive, to the end of the day).
DATE_MAX: Final = pd.Timestamp("2100-12-31 23:59:59.999999999")
#: Largest amount of money accepted as a parameter, CNY.
MAX_AMOUNT: Final = 1e8
#: Words that some date parsers read against the wall clock.
RELATIVE_WORDS: Final = frozenset({"now", "today", "yesterday", "tomorrow"})
#: The date format read when none is declared.
ISO_HINT: Final = "ISO 8601 dates such as '2025-01-31'"

_DAY_MIN: Final = int(np.datetime64(DATE_MIN.date(), "D").view(np.int64))
_DAY_MAX: Final = int(np.datetime64(DATE_MAX.date(), "D").view(np.int64))


# --------------------------------------------------------------- messages ---


def plain(value: Any) -> Any:
    """A Python scalar for a numpy or pandas scalar (for readable messages)."""
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def show(values: Iterable[Any], total: int | None = None) -> str:
    """``'1, 'a', nan, …'``: the first :data:`SHOWN` values, ``…`` when more exist."""
    items = list(values)
    n = len(items) if total is None else total
    text = ", ".join(_short(plain(v)) for v in items[:SHOWN])
    return text + (", …" if n > SHOWN else "")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _what(value: Any) -> str:
    """``repr`` plus the type where the repr alone would mislead (``2.0 (float)``)."""
    kind = type(value).__name__
    text = _short(value)
    if isinstance(value, bool | np.bool_):
        return f"{text} (a bool)"
    if isinstance(value, float | np.floating | np.integer | complex | np.complexfloating):
        return f"{text} ({kind})"
    return text


def fail(func: str, name: str, rule: str, got: str, fix: str = "") -> InvalidInputError:
    """The standard error: ``<func>: <name> <rule>; got <got>. <fix>``."""
    text = f"{func}: {name} {rule}; got {got}."
    if fix:
        text += f" {fix}"
    return InvalidInputError(text)


def offending(
    mask: npt.ArrayLike, values: npt.ArrayLike | None = None, index: pd.Index | None = None
) -> str:
    """``'3 values (nan, inf, -1.0) at rows 'a', 'c', 'f''`` for a mask of offending entries.

    Rows are index labels when ``index`` is given, positions otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> offending(np.array([False, True, True]), np.array([1.0, np.nan, -2.0]))
    '2 values (nan, -2.0) at positions 1, 2'
    """
    m = np.asarray(mask, dtype=bool).reshape(-1)
    hits = np.flatnonzero(m)
    n = int(hits.size)
    shown = hits[:SHOWN]
    noun = "value" if n == 1 else "values"
    head = f"{n} {noun}"
    if values is not None:
        raw = np.asarray(values)
        # datetime64 / timedelta64 through object would show nanosecond integers
        flat = (pd.Series(raw.reshape(-1), copy=False).astype(object).to_numpy() if raw.dtype.kind in "Mm"
                else np.asarray(values, dtype=object).reshape(-1))
        head += f" ({show(flat[shown], n)})"
    if index is not None:
        labels = show([index[i] for i in shown], n)
        where = f"row{'s' if n != 1 else ''} {labels}"
    else:
        where = f"position{'s' if n != 1 else ''} " + show([int(i) for i in shown], n)
    return f"{head} at {where}"


# ---------------------------------------------------------------- scalars ---


def _item(value: Any) -> Any:
    """A 0-d numpy array as its one value (``np.array(3)`` is 3); anything else unchanged."""
    return value[()] if isinstance(value, np.ndarray) and value.ndim == 0 else value


def _is_int(value: Any) -> bool:
    # numpy.timedelta64 subclasses numpy.signedinteger: a duration is not a number here
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_ | np.timedelta64)


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_ | np.timedelta64)


def _to_float(value: Any) -> float:
    """``float(value)`` for a real number; ``±inf`` for integers beyond the float range."""
    try:
        return float(value)
    except OverflowError:
        return float("inf") if value > 0 else float("-inf")


def _bound(x: float) -> str:
    """A bound as written: integers in full (``5000000``, not ``5e+06``), floats with ``:g``."""
    return str(x) if isinstance(x, int) and not isinstance(x, bool) else f"{x:g}"


def _bounds_text(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    if low is not None and high is not None:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        return f"in {left}{_bound(low)}, {_bound(high)}{right}"
    if low is not None:
        return f"{'>' if low_open else '>='} {_bound(low)}"
    if high is not None:
        return f"{'<' if high_open else '<='} {_bound(high)}"
    return ""


def _outside(v: float, low: float | None, high: float | None, low_open: bool, high_open: bool) -> bool:
    if low is not None and (v <= low if low_open else v < low):
        return True
    return high is not None and (v >= high if high_open else v > high)


def integer(
    value: Any,
    *,
    func: str,
    name: str,
    low: int | None = None,
    high: int | None = None,
    fix: str = "",
) -> int:
    """``value`` as a Python ``int`` in ``[low, high]``.

    ``int`` and numpy integers pass; ``bool`` and floats (even ``30.0``) do not.

    Examples
    --------
    >>> integer(np.int64(12), func="f", name="term_months", low=1)
    12
    >>> integer(30.0, func="f", name="freeze_dpd", low=0)
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: freeze_dpd must be an integer >= 0; got 30.0 (float).
    """
    rule = "must be an integer" + (" " + _bounds_text(low, high, False, False) if (low, high) != (None, None)
                                   else "")
    value = _item(value)
    if not _is_int(value) or _outside(int(value), low, high, False, False):
        raise fail(func, name, rule, _what(value), fix)
    return int(value)


def real(
    value: Any,
    *,
    func: str,
    name: str,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    allow_inf: bool = False,
    fix: str = "",
) -> float:
    """``value`` as a Python ``float`` within the declared bounds.

    ``int``, ``float`` and numpy real numbers pass; ``bool``, complex numbers,
    strings, timedeltas and NaN do not; infinities only with ``allow_inf``.

    Examples
    --------
    >>> real(0.5, func="f", name="dsr", low=0, high=1, low_open=True)
    0.5
    >>> real(True, func="f", name="annual_rate", low=0)
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: annual_rate must be a finite number >= 0; got True (a bool).
    """
    finite = "a number" if allow_inf else "a finite number"
    bounds = _bounds_text(low, high, low_open, high_open)
    rule = f"must be {finite}" + (f" {bounds}" if bounds else "")
    value = _item(value)
    if not _is_real(value):
        raise fail(func, name, rule, _what(value), fix)
    v = _to_float(value)
    if np.isnan(v) or (np.isinf(v) and not allow_inf) or _outside(v, low, high, low_open, high_open):
        raise fail(func, name, rule, _what(value), fix)
    return v


def probability(
    value: Any, *, func: str, name: str, low_open: bool = False, high_open: bool = False, fix: str = ""
) -> float:
    """A real in ``[0, 1]`` (ends excluded as declared)."""
    return real(value, func=func, name=name, low=0.0, high=1.0, low_open=low_open, high_open=high_open,
                fix=fix)


def money(
    value: Any, *, func: str, name: str, positive: bool = False, maximum: float = MAX_AMOUNT, fix: str = ""
) -> float:
    """An amount in CNY: a finite real in ``[0, maximum]`` (``(0, maximum]`` if ``positive``)."""
    return real(value, func=func, name=name, low=0.0, high=maximum, low_open=positive,
                fix=fix or "Amounts are CNY (yuan) as numbers.")


def flag(value: Any, *, func: str, name: str) -> bool:
    """``True`` or ``False`` (``bool`` or ``numpy.bool_``); strings and numbers are refused.

    Examples
    --------
    >>> flag("false", func="f", name="round_points")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: round_points must be True or False; got 'false'.
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise fail(func, name, "must be True or False", _what(value))


def _options(allowed: Any) -> tuple[Any, ...]:
    if get_origin(allowed) is not None or hasattr(allowed, "__args__"):
        args = get_args(allowed)
        if args:
            return tuple(args)
    return tuple(allowed)


def choice(value: Any, allowed: Any, *, func: str, name: str, fix: str = "") -> Any:
    """``value`` if it is one of ``allowed`` (a tuple or a ``Literal`` type).

    Examples
    --------
    >>> choice("auto", ("auto", "none"), func="f", name="monotonic")
    'auto'
    >>> choice("explode", ("raise", "neutral"), func="f", name="unseen")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: unseen must be one of 'raise', 'neutral'; got 'explode'.
    """
    options = _options(allowed)
    ok = False
    if isinstance(value, Hashable) and not isinstance(value, bool | np.bool_ | float):
        try:
            ok = any(value == o and type(value) is type(o) for o in options) or (
                isinstance(value, np.str_) and str(value) in options
            )
        except (TypeError, ValueError):  # pragma: no cover - exotic __eq__
            ok = False
    if not ok:
        raise fail(func, name, f"must be one of {', '.join(map(repr, options))}", _what(value), fix)
    return str(value) if isinstance(value, np.str_) else value


def seed(value: Any, *, func: str, name: str = "seed", generator: bool = False) -> Any:
    """A seed: an integer in ``[0, 2**63)``, or (with ``generator``) a ``numpy.random.Generator``."""
    if generator and isinstance(value, np.random.Generator):
        return value
    value = _item(value)
    if _is_int(value) and 0 <= int(value) < 2**63:
        return int(value)
    what = "a non-negative integer" + (" or a numpy.random.Generator" if generator else "")
    raise fail(func, name, f"must be {what} below 2**63", _what(value), f"Pass e.g. {name}=7.")


def listlike(
    value: Any,
    *,
    func: str,
    name: str,
    allowed: Sequence[Any] | None = None,
    min_size: int = 0,
    unique: bool = False,
) -> tuple[Any, ...]:
    """The items of a list-like parameter as a tuple of Python scalars.

    Lists, tuples, 1-D arrays, ``pandas.Index`` and ``Series`` pass. A single
    string, a mapping, an unordered set and other objects are refused.
    ``allowed`` restricts the items; ``unique`` refuses repeats.

    Examples
    --------
    >>> listlike(np.array(["a", "b"]), func="f", name="categorical")
    ('a', 'b')
    >>> listlike("ab", func="f", name="categorical")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: categorical must be a list, tuple, array or Index of \
values, not a single string; got 'ab'. Wrap it: categorical=['ab'].
    """
    rule = "must be a list, tuple, array or Index of values"
    if isinstance(value, str | bytes):
        raise fail(func, name, rule + ", not a single string", _what(value), f"Wrap it: {name}=[{value!r}].")
    if isinstance(value, pd.DataFrame | Mapping):
        raise fail(func, name, rule, f"a {type(value).__name__}")
    if isinstance(value, set | frozenset):
        raise fail(func, name, rule + " (a set has no order)", _what(value), "Pass sorted(...) or a list.")
    if isinstance(value, pd.Series | pd.Index):
        items = [plain(v) for v in value.tolist()]
    elif isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise fail(func, name, rule + " (one-dimensional)", f"an array of shape {value.shape}")
        items = [plain(v) for v in value.tolist()]
    elif isinstance(value, list | tuple):
        items = [plain(v) for v in value]
    else:
        raise fail(func, name, rule, _what(value))
    if len(items) < min_size:
        raise fail(func, name, f"must hold at least {min_size} value{'s' if min_size != 1 else ''}",
                   f"{len(items)}")
    if allowed is not None:
        bad = [v for v in items if not _member(v, allowed)]
        if bad:
            raise fail(func, name, f"may hold only {', '.join(map(repr, allowed))}",
                       f"{len(bad)} other value{'s' if len(bad) != 1 else ''} ({show(bad)})")
    if unique:
        unhashable = [v for v in items if not isinstance(v, Hashable)]
        if unhashable:  # a set cannot hold them, and repeats cannot be told apart
            k = len(unhashable)
            raise fail(func, name, "must hold single values (labels), not lists or arrays",
                       f"{k} such item{'s' if k != 1 else ''} ({show(unhashable)})")
        seen: set[Any] = set()
        repeated = []
        for v in items:
            key: Any = (type(v), v)
            try:
                hash(key)
            except TypeError:  # an unhashable item (a list inside the list) compares by repr
                key = (type(v), repr(v))
            if key in seen:
                repeated.append(v)
            seen.add(key)
        if repeated:
            raise fail(func, name, "must not repeat a value", f"repeats of {show(repeated)}")
    return tuple(items)


def _member(value: Any, allowed: Sequence[Any]) -> bool:
    try:
        return isinstance(value, Hashable) and any(value == a and type(value) is type(a) for a in allowed)
    except (TypeError, ValueError):  # pragma: no cover
        return False


def mapping(value: Any, *, func: str, name: str) -> Mapping[Any, Any]:
    """A ``Mapping`` parameter (a dict), or the standard error."""
    if isinstance(value, Mapping):
        return value
    raise fail(func, name, "must be a mapping (a dict)", _what(value) if not hasattr(value, "__len__")
               else f"a {type(value).__name__}")


# ------------------------------------------------------------------ dates ---


@dataclass(frozen=True, slots=True)
class ParsedDates:
    """Dates read from a column: values and the rows that broke a rule.

    Attributes
    ----------
    dates : ndarray of datetime64[ns]
        The dates, ``NaT`` where the input was missing or broke a rule.
    missing : ndarray of bool
        Where the input itself was missing (``None``, ``NaN``, ``NaT``, ``pd.NA``).
    problems : dict of str to ndarray of bool
        Rule text to the rows that broke it (only rules with offenders).
    column_problem : str or None
        A rule the whole column breaks (wrong dtype, time-zone aware).
    """

    dates: npt.NDArray[np.datetime64]
    missing: BoolArray
    problems: dict[str, BoolArray] = field(default_factory=dict)
    column_problem: str | None = None

    @property
    def bad(self) -> BoolArray:
        """Rows that broke any row rule."""
        out = np.zeros(self.missing.shape, dtype=bool)
        for mask in self.problems.values():
            out |= mask
        return out


def _rule_numbers(fmt: str | None) -> str:
    example = "'2025-01-31'" if fmt is None else f"strings in the declared format {fmt!r}"
    return f"numbers are never dates; pass {example} or a datetime"


def _rule_unreadable(fmt: str | None) -> str:
    if fmt is None:
        return (f"cannot be read as a date: dates are read as {ISO_HINT} (year-month-day); "
                "declare another format with date_format, e.g. date_format='%d/%m/%Y'")
    return f"cannot be read with the declared date_format {fmt!r}"


RULE_RELATIVE: Final = ("relative words such as 'now' or 'today' read the wall clock and are "
                        "refused; pass the date itself")
RULE_RANGE: Final = (f"must be a date between {DATE_MIN.date()} and {DATE_MAX.date()}")
RULE_TZ: Final = ("is time-zone aware; dates are naive China business dates: convert with "
                  ".dt.tz_convert('Asia/Shanghai').dt.tz_localize(None)")
RULE_TYPE: Final = "is not a date (expected a date, a datetime or a date string)"


def _as_series(values: Any) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, pd.Index):
        return pd.Series(values, copy=False)
    arr = np.asarray(values, dtype=object) if isinstance(values, list | tuple) else np.asarray(values)
    return pd.Series(arr.reshape(-1), copy=False)


def _is_arrow(dtype: Any) -> bool:
    return type(dtype).__name__ == "ArrowDtype"


def _arrow_kind(dtype: Any) -> str:
    """``'timestamp'``, ``'date'``, ``'string'`` or ``''`` for a pyarrow-backed dtype."""
    pa_type = getattr(dtype, "pyarrow_dtype", None)
    text = str(pa_type)
    if text.startswith("timestamp"):
        return "timestamp"
    if text.startswith("date"):
        return "date"
    if text in ("string", "large_string", "string_view"):
        return "string"
    return ""


def _from_datetimes(arr: npt.NDArray[Any]) -> tuple[npt.NDArray[np.datetime64], BoolArray]:
    """datetime64 of any unit to ``[ns]``, with the mask of dates outside the accepted range."""
    nat = np.isnat(arr)
    days = arr.astype("datetime64[D]").view(np.int64)
    outside = ~nat & ((days < _DAY_MIN) | (days > _DAY_MAX))
    if not outside.any():
        return np.asarray(arr.astype("datetime64[ns]"), dtype="datetime64[ns]"), outside
    # only in-range dates are converted: numpy 2.5 raises on a unit conversion that overflows
    safe = np.full(arr.shape, np.datetime64("NaT", "ns"))
    keep = ~outside & ~nat
    safe[keep] = arr[keep].astype("datetime64[ns]")
    return safe, outside


def parse_dates(values: Any, *, date_format: str | None = None) -> ParsedDates:
    """Read dates the library's one way; report rows breaking a rule instead of raising.

    See the module docstring for the rules. Time of day is kept; callers
    that need whole dates check it.

    Examples
    --------
    >>> p = parse_dates(["2024-01-05", "now", 20240105, None, "06/07/2023"])
    >>> str(p.dates[0]), p.missing.tolist()
    ('2024-01-05T00:00:00.000000000', [False, False, False, True, False])
    >>> sorted(int(m.nonzero()[0][0]) for m in p.problems.values())
    [1, 2, 4]
    """
    s = _as_series(values)
    if isinstance(s.dtype, pd.CategoricalDtype):
        return _categorical_dates(s, date_format)
    n = len(s)
    nat = np.full(n, np.datetime64("NaT", "ns"))
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        # a categorical column is read through its categories, each once
        inner = parse_dates(pd.Series(dtype.categories, copy=False), date_format=date_format)
        codes = np.asarray(s.cat.codes.to_numpy(), dtype=np.int64)
        seen = codes >= 0
        picked = np.where(seen, codes, 0)
        out = np.where(seen, inner.dates[picked], nat) if len(inner.dates) else nat
        cat_problems = {rule: seen & mask[picked] for rule, mask in inner.problems.items()}
        return ParsedDates(np.asarray(out, dtype="datetime64[ns]"), ~seen,
                           {r: m for r, m in cat_problems.items() if m.any()}, inner.column_problem)
    if isinstance(dtype, pd.DatetimeTZDtype) or (_is_arrow(dtype) and getattr(
            getattr(dtype, "pyarrow_dtype", None), "tz", None)):
        return ParsedDates(nat, np.asarray(s.isna(), dtype=bool), {}, f"has dtype {dtype}, which {RULE_TZ}")
    missing = np.asarray(s.isna(), dtype=bool)
    if _is_arrow(dtype) and _arrow_kind(dtype) in ("timestamp", "date"):
        out, outside = _from_datetimes(_arrow_dates(s))
        return ParsedDates(out, missing, {RULE_RANGE: outside} if outside.any() else {})
    if dtype.kind == "M":
        out, outside = _from_datetimes(s.to_numpy())
        return ParsedDates(out, missing, {RULE_RANGE: outside} if outside.any() else {})
    is_text = pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype)
    if not (is_text or pd.api.types.is_object_dtype(dtype)):
        if missing.all():
            return ParsedDates(nat, missing)
        return ParsedDates(nat, missing, {}, f"has dtype {dtype}: {_rule_numbers(date_format)}")
    problems: dict[str, BoolArray] = {}
    obj = np.asarray(s.astype(object).where(~missing, None)) if is_text else s.to_numpy(dtype=object)
    kinds = "string" if is_text else pd.api.types.infer_dtype(obj, skipna=True)
    out = nat.copy()
    if kinds == "empty":
        return ParsedDates(out, missing)
    if kinds == "string":
        text = ~missing
        others = np.zeros(n, dtype=bool)
    else:
        # mixed column: classify each element (only on this slower path)
        obj = np.array([_from_arrow_scalar(v) for v in obj] + [None], dtype=object)[:n]
        missing = missing | np.fromiter((_missing_scalar(v) for v in obj), dtype=bool, count=n)
        is_str = np.fromiter((isinstance(v, str) for v in obj), dtype=bool, count=n)
        is_num = np.fromiter(
            (isinstance(v, numbers.Number | np.bool_) and not _missing_scalar(v) for v in obj),
            dtype=bool, count=n,
        )
        is_dt = np.fromiter(
            (isinstance(v, _dt.date | np.datetime64) and not _missing_scalar(v) for v in obj),
            dtype=bool, count=n,
        )
        text = is_str & ~missing
        others = ~missing & ~is_str & ~is_num & ~is_dt
        if is_num.any():
            problems[_rule_numbers(date_format)] = is_num
        if others.any():
            problems[RULE_TYPE] = others
        if is_dt.any():
            dts = obj[is_dt]
            aware = np.fromiter((getattr(v, "tzinfo", None) is not None for v in dts), dtype=bool,
                                count=dts.size)
            got = np.array([_one_datetime(v) for v in dts], dtype="datetime64[ns]")
            tz_mask = np.zeros(n, dtype=bool)
            tz_mask[np.flatnonzero(is_dt)[aware]] = True
            if tz_mask.any():
                problems["is time-zone aware; " + RULE_TZ.split("; ", 1)[1]] = tz_mask
            unreadable = np.zeros(n, dtype=bool)
            unreadable[np.flatnonzero(is_dt)[np.isnat(got) & ~aware]] = True
            if unreadable.any():
                problems.setdefault(RULE_RANGE, np.zeros(n, dtype=bool))
                problems[RULE_RANGE] |= unreadable
            got[aware] = np.datetime64("NaT", "ns")
            out[is_dt] = got
    if text.any():
        parsed, relative, unreadable, aware, outside = _parse_strings(obj[text], date_format)
        out[text] = parsed
        for rule, sub in ((RULE_RELATIVE, relative), (_rule_unreadable(date_format), unreadable),
                          ("is time-zone aware; " + RULE_TZ.split("; ", 1)[1], aware),
                          (RULE_RANGE, outside)):
            if sub.any():
                mask = problems.setdefault(rule, np.zeros(n, dtype=bool))
                mask[np.flatnonzero(text)[sub]] = True
    out_range = problems.get(RULE_RANGE)
    if out_range is None:
        in_range_check, outside_all = _from_datetimes(out)
        if outside_all.any():
            problems[RULE_RANGE] = outside_all
            out = in_range_check
    bad = np.zeros(n, dtype=bool)
    for mask in problems.values():
        bad |= mask
    out[bad] = np.datetime64("NaT", "ns")
    return ParsedDates(out, missing, problems)


def _categorical_dates(s: pd.Series, date_format: str | None) -> ParsedDates:
    """A categorical column read through its categories (each parsed once), by the usual rules."""
    cats = parse_dates(pd.Series(s.cat.categories), date_format=date_format)
    codes = np.asarray(s.cat.codes.to_numpy(), dtype=np.int64)
    missing = codes < 0
    safe = np.where(missing, 0, codes)
    if cats.column_problem is not None or not len(cats.dates):
        out = np.full(len(s), np.datetime64("NaT", "ns"))
        return ParsedDates(out, missing, {}, cats.column_problem)
    out = np.where(missing, np.datetime64("NaT", "ns"), cats.dates[safe])
    problems = {rule: mask[safe] & ~missing for rule, mask in cats.problems.items()}
    return ParsedDates(out, missing, {k: v for k, v in problems.items() if v.any()})


def _arrow_dates(s: pd.Series) -> npt.NDArray[Any]:
    """A pyarrow timestamp or date column as numpy datetime64 (unit kept, NaT for nulls)."""
    import pyarrow as pa  # present whenever a pyarrow dtype is

    arr = pa.array(s.array)
    if pa.types.is_date32(arr.type) or pa.types.is_date64(arr.type):
        arr = arr.cast(pa.timestamp("s"))
    return np.asarray(arr.to_numpy(zero_copy_only=False))


def _from_arrow_scalar(v: Any) -> Any:
    """A pyarrow scalar (``pa.scalar(date(...))``) as its Python value; anything else unchanged."""
    if type(v).__module__.startswith("pyarrow") and hasattr(v, "as_py"):
        try:
            return v.as_py()
        except (ValueError, TypeError, OverflowError, NotImplementedError):  # pragma: no cover
            return v
    return v


def _missing_scalar(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):  # pragma: no cover - arrays inside a column
        return False


def _one_datetime(v: Any) -> np.datetime64:
    """One date-like scalar as datetime64[ns]; NaT when out of range or tz-aware."""
    if getattr(v, "tzinfo", None) is not None:
        return np.datetime64("NaT", "ns")
    if isinstance(v, np.datetime64):
        day = int(v.astype("datetime64[D]").view(np.int64))
    elif isinstance(v, _dt.datetime):
        day = (v.date() - _dt.date(1970, 1, 1)).days
    else:
        day = (v - _dt.date(1970, 1, 1)).days
    if not _DAY_MIN <= day <= _DAY_MAX:
        return np.datetime64("NaT", "ns")
    if isinstance(v, np.datetime64):
        ns: np.datetime64 = v.astype("datetime64[ns]")
        return ns
    out: np.datetime64 = pd.Timestamp(v).as_unit("ns").to_datetime64()
    return out


def _parse_strings(
    strings: npt.NDArray[np.object_], fmt: str | None
) -> tuple[npt.NDArray[np.datetime64], BoolArray, BoolArray, BoolArray, BoolArray]:
    """Parse strings in one vectorised call; return values and the masks of each rule broken.

    Only the strings the vectorised parser could not read are looked at one
    by one, to tell a time-zone aware or out-of-range date from an
    unreadable one (the error path).
    """
    n = strings.size
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=n)
    short = np.flatnonzero(lengths <= max(map(len, RELATIVE_WORDS)) + 2)
    relative = np.zeros(n, dtype=bool)
    if short.size:
        codes, uniq = pd.factorize(strings[short])
        words = np.array([str(u).strip().lower() in RELATIVE_WORDS for u in uniq], dtype=bool)
        relative[short] = words[codes]
    candidates = np.where(relative, "", strings) if relative.any() else strings
    parsed: npt.NDArray[np.datetime64] = np.full(n, np.datetime64("NaT", "ns"))
    aware = np.zeros(n, dtype=bool)
    outside = np.zeros(n, dtype=bool)
    try:
        got = pd.to_datetime(pd.Series(candidates, dtype=object, copy=False), format=fmt or "ISO8601",
                             errors="coerce")
        if isinstance(got.dtype, pd.DatetimeTZDtype):
            raise ValueError("time-zone aware")
        parsed, outside = _from_datetimes(got.to_numpy())
        retry = np.flatnonzero(np.isnat(parsed) & ~outside & ~relative)
    except (ValueError, TypeError, OverflowError):
        # mixed naive/aware or other parser refusals: element by element (error path only)
        retry = np.flatnonzero(~relative)
        for k in retry:
            try:
                ts = pd.to_datetime(candidates[k], format=fmt or "ISO8601")
            except (ValueError, TypeError, OverflowError):
                continue
            if ts.tzinfo is None and _DAY_MIN <= (ts.date() - _dt.date(1970, 1, 1)).days <= _DAY_MAX:
                parsed[k] = ts.as_unit("ns").to_datetime64()
        retry = retry[np.isnat(parsed[retry])]
    for k in retry:
        verdict = _unparsed(str(candidates[k]), fmt)
        if verdict == "aware":
            aware[k] = True
        elif verdict == "outside":
            outside[k] = True
    unreadable = np.isnat(parsed) & ~relative & ~aware & ~outside
    parsed[outside] = np.datetime64("NaT", "ns")
    return parsed, relative, unreadable, aware, outside


def _unparsed(text: str, fmt: str | None) -> str:
    """Why a string the parser refused is no date: ``'aware'``, ``'outside'`` or ``'unreadable'``.

    Python's own parser reads years 1 to 9999 (pandas' nanoseconds stop at
    1677 and 2262), so a well-formed date outside the accepted range is told
    apart from text that is no date at all. Nothing here reads the clock.
    """
    try:
        value = (_dt.datetime.fromisoformat(text.strip()) if fmt in (None, "ISO8601")
                 else _dt.datetime.strptime(text, str(fmt)))
    except (ValueError, TypeError, OverflowError):
        return "unreadable"
    if value.tzinfo is not None:
        return "aware"
    day = (value.date() - _dt.date(1970, 1, 1)).days
    return "unreadable" if _DAY_MIN <= day <= _DAY_MAX else "outside"


def _column_rule(problem: str) -> str:
    """The rule of a :attr:`ParsedDates.column_problem`, without its ``has dtype ...`` head."""
    _, which, rest = problem.partition(", which ")
    if which:
        return rest
    _, colon, rest = problem.partition(": ")
    return rest if colon else problem


def dates(
    values: Any,
    *,
    func: str,
    name: str,
    date_format: str | None = None,
    allow_missing: bool = False,
    whole_days: bool = False,
) -> npt.NDArray[np.datetime64]:
    """Dates as naive ``datetime64[ns]``; any broken rule raises :class:`InvalidInputError`.

    Examples
    --------
    >>> dates(["2025-01-31", "2025-02-28"], func="f", name="dates").tolist()[0]
    1738281600000000000
    >>> dates([20250131], func="f", name="start")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: start numbers are never dates; pass '2025-01-31' or a \
datetime; got 1 value (20250131) at position 0.
    """
    index = values.index if isinstance(values, pd.Series) else None
    parsed = parse_dates(values, date_format=date_format)
    if parsed.column_problem is not None:
        raise fail(func, name, _column_rule(parsed.column_problem), f"dtype {_as_series(values).dtype}")
    for rule, mask in parsed.problems.items():
        raw = _as_series(values).to_numpy(dtype=object)
        raise fail(func, name, rule, offending(mask, raw, index))
    if not allow_missing and parsed.missing.any():
        raise fail(func, name, "must not be missing", offending(parsed.missing, None, index),
                   "Drop or fill the missing dates.")
    if whole_days:
        v = parsed.dates
        timed = ~np.isnat(v) & (v.astype("datetime64[D]") != v)
        if timed.any():
            raise fail(func, name, "must be dates without a time of day", offending(timed, v, index),
                       "Use .dt.normalize() or pass dates only.")
    return parsed.dates


def date(
    value: Any,
    *,
    func: str,
    name: str,
    date_format: str | None = None,
    whole_day: bool = True,
) -> pd.Timestamp:
    """One date parameter as a ``Timestamp`` (by default without a time of day).

    Examples
    --------
    >>> date("2025-01-31", func="f", name="start")
    Timestamp('2025-01-31 00:00:00')
    >>> date("today", func="f", name="start")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: start relative words such as 'now' or 'today' read \
the wall clock and are refused; pass the date itself; got 'today'.
    """
    if isinstance(value, list | tuple | np.ndarray | pd.Series | pd.Index | Mapping | set | frozenset):
        raise fail(func, name, "must be a single date", f"a {type(value).__name__}")
    if value is None or _missing_scalar(value):
        raise fail(func, name, "must be a date", "a missing value" if value is not None else "None",
                   "Pass e.g. '2025-01-31'.")
    parsed = parse_dates(np.array([value], dtype=object), date_format=date_format)
    if parsed.column_problem is not None:  # e.g. a time-zone aware Timestamp
        raise fail(func, name, _column_rule(parsed.column_problem), _what(value))
    for rule in parsed.problems:
        raise fail(func, name, rule, _what(value))
    ts = pd.Timestamp(parsed.dates[0])
    if whole_day and ts != ts.normalize():
        raise fail(func, name, "must be a date without a time of day", repr(value),
                   f"Use {ts.normalize().date()}.")
    return ts


# ---------------------------------------------------------------- vectors ---


def vector(
    x: Any, *, func: str, name: str, allow_empty: bool = False
) -> tuple[npt.NDArray[Any], pd.Index | None]:
    """``x`` as a 1-D array and, for a Series, its index (DataFrames and scalars refused)."""
    if isinstance(x, pd.DataFrame):
        raise fail(func, name, "must be one-dimensional (a Series or 1-D array)",
                   f"a DataFrame with {x.shape[1]} columns", "Pass a single column.")
    if x is None or isinstance(x, str | bytes | Mapping | set | frozenset):
        raise fail(func, name, "must be a Series or a 1-D array", _what(x))
    index: pd.Index | None = None
    if isinstance(x, pd.Series):
        index = x.index
        arr: npt.NDArray[Any] = x.to_numpy()
    elif isinstance(x, pd.Index):
        arr = x.to_numpy()
    else:
        try:
            arr = np.asarray(x)
        except (TypeError, ValueError) as exc:
            raise fail(func, name, "must be a Series or a 1-D array", f"{type(x).__name__} ({exc})") from None
    if arr.ndim != 1:
        raise fail(func, name, "must be one-dimensional", f"an array of shape {arr.shape}",
                   "Pass a 1-D array or a Series.")
    if arr.size == 0 and not allow_empty:
        raise fail(func, name, "must not be empty", "0 values", "Pass at least one value.")
    return arr, index


def _hides_bools(x: Any, arr: npt.NDArray[Any]) -> bool:
    """Whether numpy turned the bools of a list or tuple ``x`` into numbers in ``arr``."""
    return (isinstance(x, list | tuple) and arr.dtype.kind in "iuf"
            and any(isinstance(v, bool | np.bool_) for v in x))


def _number_kind(x: Any) -> str:
    """A short dtype description when ``x`` holds something other than real numbers, else ''."""
    dtype = x.dtype if isinstance(x, pd.Series | pd.Index) else np.asarray(x).dtype
    if pd.api.types.is_bool_dtype(dtype):
        return f"booleans (dtype {dtype}); a bool is not a number"
    if pd.api.types.is_complex_dtype(dtype):
        return f"complex numbers (dtype {dtype})"
    if pd.api.types.is_timedelta64_dtype(dtype):
        return f"timedeltas (dtype {dtype}); durations are not amounts"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return f"dates (dtype {dtype})"
    if isinstance(dtype, pd.CategoricalDtype):
        return f"categories (dtype {dtype})"
    return ""


def float_vector(
    x: Any,
    *,
    func: str,
    name: str,
    allow_nan: bool = False,
    allow_inf: bool = False,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    allow_empty: bool = False,
    fix: str = "",
) -> tuple[FloatArray, pd.Index | None]:
    """``x`` as a float64 1-D array (read-only use; may share memory) and its index.

    Real numbers only: booleans, complex numbers, timedeltas, dates, strings
    and categories are refused, naming the rows of the first offenders.

    Examples
    --------
    >>> float_vector([0.1, np.nan], func="f", name="score")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: score must not be missing (NaN); got 1 value (nan) at \
position 1.
    """
    arr, index = vector(x, func=func, name=name, allow_empty=allow_empty)
    if _hides_bools(x, arr):
        arr = np.asarray(x, dtype=object)  # numpy would read True as 1.0: check element by element
    kind = _number_kind(x if isinstance(x, pd.Series | pd.Index) else arr)
    if kind:
        raise fail(func, name, "must hold real numbers", kind, fix)
    if arr.dtype == np.float64:
        out = arr
    elif isinstance(x, pd.Series | pd.Index) and pd.api.types.is_numeric_dtype(x.dtype):
        out = np.asarray(x.to_numpy(dtype=np.float64, na_value=np.nan))
    elif arr.dtype.kind in "iuf":
        out = arr.astype(np.float64)
    else:
        obj = np.asarray(arr, dtype=object)
        ok = np.fromiter(
            ((_is_real(v) or _missing_scalar(v)) and not isinstance(v, str) for v in obj),
            dtype=bool, count=obj.size,
        )
        if not ok.all():
            raise fail(func, name, "must hold real numbers", offending(~ok, obj, index),
                       fix or "Convert the values to numbers first.")
        out = np.array([np.nan if _missing_scalar(v) else _to_float(v) for v in obj], dtype=np.float64)
    if not allow_nan:
        nan = np.isnan(out)
        if nan.any():
            raise fail(func, name, "must not be missing (NaN)", offending(nan, out, index),
                       fix)
    if not allow_inf:
        inf = np.isinf(out)
        if inf.any():
            raise fail(func, name, "must be finite", offending(inf, out, index), fix)
    if low is not None or high is not None:
        with np.errstate(invalid="ignore"):
            bad = np.zeros(out.shape, dtype=bool)
            if low is not None:
                bad |= (out <= low) if low_open else (out < low)
            if high is not None:
                bad |= (out >= high) if high_open else (out > high)
        if bad.any():
            raise fail(func, name, f"must lie {_bounds_text(low, high, low_open, high_open)}",
                       offending(bad, out, index), fix)
    return out, index


def binary_target(y: Any, *, func: str, name: str = "y", allow_empty: bool = False) -> tuple[
        FloatArray, pd.Index | None]:
    """The target as float64 0.0/1.0 (1 = bad) and its index; anything else is refused.

    Booleans, integers and floats holding only 0 and 1 pass. Missing values,
    other numbers and non-numbers are refused, naming the rows.
    """
    if y is None:
        raise fail(func, name, "is required (1 for bad, 0 for good)", "None",
                   "Pass the outcome of every row.")
    arr, index = vector(y, func=func, name=name, allow_empty=allow_empty)
    dtype = y.dtype if isinstance(y, pd.Series | pd.Index) else arr.dtype
    if pd.api.types.is_bool_dtype(dtype) and not (isinstance(y, pd.Series) and y.isna().any()):
        return np.asarray(arr, dtype=np.float64), index
    if pd.api.types.is_complex_dtype(dtype):
        raise fail(func, name, "must hold 1 (bad) or 0 (good)", f"complex numbers (dtype {dtype})")
    if pd.api.types.is_timedelta64_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        raise fail(func, name, "must hold 1 (bad) or 0 (good)", f"dtype {dtype}")
    if isinstance(y, pd.Series) and (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(
            dtype)):
        out = np.asarray(y.to_numpy(dtype=np.float64, na_value=np.nan))
    elif arr.dtype.kind in "biuf":
        out = arr.astype(np.float64)
    else:
        obj = np.asarray(arr, dtype=object)
        ok = np.fromiter(((_is_real(v) or isinstance(v, bool | np.bool_) or _missing_scalar(v))
                          and not isinstance(v, str) for v in obj), dtype=bool, count=obj.size)
        if not ok.all():
            raise fail(func, name, "must hold 1 (bad) or 0 (good)", offending(~ok, obj, index),
                       "Recode the target to 0/1.")
        out = np.array([np.nan if _missing_scalar(v) else _to_float(v) for v in obj], dtype=np.float64)
    nan = np.isnan(out)
    if nan.any():
        raise fail(func, name, "must hold 1 (bad) or 0 (good), not missing values",
                   offending(nan, out, index), "Drop the rows whose outcome is not observed.")
    bad = (out != 0.0) & (out != 1.0)
    if bad.any():
        raise fail(func, name, "must hold 1 (bad) or 0 (good)", offending(bad, out, index),
                   "Recode the target to 0/1.")
    return out, index


def weights(w: Any, n: int, *, func: str, name: str = "sample_weight") -> tuple[FloatArray, pd.Index | None]:
    """Finite, non-negative weights, one per row, with a positive total."""
    arr, index = float_vector(w, func=func, name=name, low=0.0, allow_empty=n == 0,
                              fix="Weights are non-negative frequencies.")
    if arr.size != n:
        raise fail(func, name, f"must have one value per row ({n})", f"{arr.size} values")
    if n and not (arr > 0.0).any():  # not arr.sum() > 0: the sum of huge weights overflows
        raise fail(func, name, "must have a positive total", "weights summing to 0",
                   "Give some rows a positive weight.")
    return arr, index


def align_to(
    reference: pd.Index | None,
    other: Any,
    index: pd.Index | None,
    *,
    func: str,
    name: str,
    reference_name: str = "X",
) -> Any:
    """Match ``other`` (an array of one value per row) to ``reference`` rows by label.

    When both carry an index: equal indexes pass; the same labels in another
    order are reordered to ``reference``; different labels are refused (a
    target never silently matches rows by position). Otherwise ``other`` is
    returned as it is (positions are the only labels there are).
    """
    if reference is None or index is None or reference.equals(index):
        return other
    if reference.has_duplicates or index.has_duplicates:
        raise fail(func, name, f"must have the same index as {reference_name} (labels repeat, so they "
                   "cannot be matched)", f"an index differing from {reference_name}'s",
                   f"Reset both indexes or pass {name} in {reference_name}'s row order as an array.")
    pos = index.get_indexer(reference)
    if len(index) != len(reference) or (pos < 0).any():
        missing = reference[pos < 0] if (pos < 0).any() else index.difference(reference)
        raise fail(func, name, f"must have the same index labels as {reference_name}",
                   f"labels that differ (e.g. {show(list(missing[:SHOWN]), len(missing))})",
                   f"Align them first, e.g. {name}.reindex({reference_name}.index).")
    return np.asarray(other)[pos]


def as_frame(X: Any, *, func: str, name: str = "X") -> pd.DataFrame:
    """``X`` if it is a DataFrame, or the standard error."""
    if isinstance(X, pd.DataFrame):
        return X
    raise fail(func, name, "must be a pandas DataFrame", f"a {type(X).__name__}")


# --- added for limits and synthetic ---


def _is_listlike_input(value: Any) -> bool:
    return isinstance(value, list | tuple | np.ndarray | pd.Series | pd.Index | pd.DataFrame | Mapping | set
                      | frozenset | pd.api.extensions.ExtensionArray)


def real_array(
    value: Any,
    *,
    func: str,
    name: str,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    fix: str = "",
) -> tuple[FloatArray, bool]:
    """A real number or an array of them as float64 (shape kept), and whether it was a scalar.

    Scalars follow :func:`real`, arrays :func:`float_vector` (positions in
    messages count in C order for arrays of more than one dimension); empty
    arrays pass. The result may share memory with the input: read it only.

    Examples
    --------
    >>> real_array([0.1, 0.2], func="f", name="rate", low=0)[0]
    array([0.1, 0.2])
    >>> real_array(np.float32(0.5), func="f", name="rate")
    (array(0.5), True)
    >>> real_array([0.1, True], func="f", name="rate")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: rate must hold real numbers; got 1 value (True) at \
position 1. Convert the values to numbers first.
    """
    value = _item(value)
    if not _is_listlike_input(value):
        v = real(value, func=func, name=name, low=low, high=high, low_open=low_open, high_open=high_open,
                 fix=fix)
        return np.asarray(v, dtype=np.float64), True
    shape: tuple[int, ...] | None = None
    if isinstance(value, list | tuple):
        try:
            probe = np.asarray(value, dtype=object)
        except ValueError:
            probe = None  # ragged: float_vector names it
        if probe is not None and probe.ndim > 1:
            shape, value = probe.shape, probe.reshape(-1)
    elif isinstance(value, np.ndarray) and value.ndim > 1:
        shape, value = value.shape, value.reshape(-1)
    out, _ = float_vector(value, func=func, name=name, low=low, high=high, low_open=low_open,
                          high_open=high_open, allow_empty=True, fix=fix)
    return (out.reshape(shape) if shape is not None else out), False


def integer_array(
    value: Any,
    *,
    func: str,
    name: str,
    low: int | None = None,
    high: int | None = None,
    fix: str = "",
) -> tuple[IntArray, bool]:
    """An integer or a 1-D array of integers as int64, and whether it was a scalar.

    The rule of :func:`integer` for every element: ``int`` and numpy integers
    (or a nullable integer column without missing values) pass; booleans,
    floats (even ``12.0``), strings and missing values do not.

    Examples
    --------
    >>> integer_array([3, np.int64(6)], func="f", name="term_months", low=1)
    (array([3, 6]), False)
    >>> integer_array(np.array([3.0, 6.0]), func="f", name="term_months")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: term_months must hold integers; got floats (dtype \
float64): 2 values (3.0, 6.0) at positions 0, 1. Pass whole numbers as integers, e.g. 12 rather than 12.0.
    """
    value = _item(value)
    if not _is_listlike_input(value):
        return np.asarray(integer(value, func=func, name=name, low=low, high=high, fix=fix),
                          dtype=np.int64), True
    arr, index = vector(value, func=func, name=name, allow_empty=True)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64), False
    if _hides_bools(value, arr):
        arr = np.asarray(value, dtype=object)
    dtype = value.dtype if isinstance(value, pd.Series | pd.Index) else arr.dtype
    rule = "must hold integers"
    fix_int = fix or "Pass whole numbers as integers, e.g. 12 rather than 12.0."
    kind = _number_kind(value if isinstance(value, pd.Series | pd.Index) else arr)
    if kind:
        raise fail(func, name, rule, kind, fix_int)
    if arr.dtype.kind in "iu":
        big = arr > np.iinfo(np.int64).max if arr.dtype.kind == "u" else np.zeros(arr.shape, dtype=bool)
        vals = arr
    elif isinstance(value, pd.Series | pd.Index) and pd.api.types.is_integer_dtype(dtype):
        missing = np.asarray(value.isna(), dtype=bool)
        if missing.any():
            raise fail(func, name, "must not be missing", offending(missing, None, index), fix)
        vals = np.asarray(value.to_numpy(dtype=np.int64))
        big = np.zeros(vals.shape, dtype=bool)
    elif arr.dtype.kind == "O":
        obj = np.asarray(arr, dtype=object)
        ok = np.fromiter((_is_int(v) for v in obj), dtype=bool, count=obj.size)
        if not ok.all():
            raise fail(func, name, rule, offending(~ok, obj, index), fix_int)
        big = np.fromiter((not -(2**63) <= int(v) < 2**63 for v in obj), dtype=bool, count=obj.size)
        vals = np.array([0 if b else int(v) for v, b in zip(obj, big, strict=True)], dtype=np.int64)
    else:
        where = offending(np.ones(arr.size, dtype=bool), arr, index)
        what = "floats" if arr.dtype.kind == "f" else "values"
        raise fail(func, name, rule, f"{what} (dtype {dtype}): {where}", fix_int)
    out = np.asarray(vals).astype(np.int64, copy=False) if not big.any() else np.zeros(arr.size, np.int64)
    bad = big.copy()
    if low is not None:
        bad |= ~big & (out < low)
    if high is not None:
        bad |= ~big & (out > high)
    if bad.any():
        raise fail(func, name, f"must lie {_bounds_text(low, high, False, False)}",
                   offending(bad, arr, index), fix)
    return out, False


def choice_codes(
    values: Any, allowed: Any, *, func: str, name: str, fix: str = ""
) -> tuple[IntArray, bool]:
    """Positions in ``allowed`` of a choice or of every element of a list-like of choices.

    A single value follows :func:`choice`. Arrays, Series, Index and
    categoricals are read without a Python loop over their rows (categories,
    distinct values or one comparison per allowed value); any element that
    is not one of ``allowed``, missing ones included, is refused.

    Examples
    --------
    >>> choice_codes(["b", "a", "b"], ("a", "b"), func="f", name="method")
    (array([1, 0, 1]), False)
    >>> choice_codes(pd.Categorical(["a", "c"]), ("a", "b"), func="f", name="method")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: method must be one of 'a', 'b'; got 1 value ('c') at \
position 1.
    """
    options = _options(allowed)
    rule = f"must be one of {', '.join(map(repr, options))}"
    if not _is_listlike_input(values) and not isinstance(values, pd.Categorical):
        v = choice(values, options, func=func, name=name, fix=fix)
        return np.asarray(options.index(v), dtype=np.int64), True
    if isinstance(values, pd.DataFrame | Mapping | set | frozenset):
        raise fail(func, name, "must be one value or a list, array or Series of values",
                   f"a {type(values).__name__}", fix)
    index = values.index if isinstance(values, pd.Series) else None

    def lookup(uniques: Any) -> IntArray:
        return np.array([options.index(u) if isinstance(u, str) and u in options else -1 for u in uniques],
                        dtype=np.int64)

    raw: npt.NDArray[Any] | None = None
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        cat = pd.Categorical(values)
        table = np.append(lookup([str(c) if isinstance(c, np.str_) else c for c in cat.categories]), -1)
        codes = table[cat.codes]  # code -1 (missing) reads the appended -1
    elif isinstance(values, pd.Series | pd.Index):
        # pandas factorizes its own (e.g. pyarrow string) columns without Python objects per row
        u_codes, uniques = pd.factorize(values, use_na_sentinel=True)
        codes = np.append(lookup(list(uniques)), -1)[u_codes]
    else:
        raw, index = vector(values, func=func, name=name, allow_empty=True)
        if raw.dtype.kind == "U":
            codes = np.full(raw.size, -1, dtype=np.int64)
            for k, o in enumerate(options):
                codes[raw == o] = k
        else:
            u_codes, u_values = pd.factorize(np.asarray(raw, dtype=object), use_na_sentinel=True)
            codes = np.append(lookup(list(u_values)), -1)[u_codes]
    bad = codes < 0
    if bad.any():
        shown = raw if raw is not None else np.asarray(values, dtype=object).reshape(-1)
        raise fail(func, name, rule, offending(bad, shown, index), fix)
    return np.asarray(codes, dtype=np.int64), False


def frame_columns(
    frame: Any, required: Sequence[str], *, func: str, name: str, fix: str = ""
) -> pd.DataFrame:
    """``frame`` if it is a DataFrame with unique column labels holding every ``required`` column.

    Examples
    --------
    >>> frame_columns(pd.DataFrame({"a": [1]}), ["a", "b"], func="f", name="lines")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: lines must have the column(s) 'a', 'b'; got 1 column \
('a'), missing 'b'.
    """
    df = as_frame(frame, func=func, name=name)
    if not df.columns.is_unique:
        dup = df.columns[df.columns.duplicated()].unique()
        raise fail(func, name, "must not repeat a column label", f"repeats of {show(list(dup))}",
                   "Rename or drop the duplicated columns.")
    missing = [c for c in required if c not in df.columns]
    if missing:
        n = df.shape[1]
        raise fail(func, name, f"must have the column(s) {', '.join(map(repr, required))}",
                   f"{n} column{'s' if n != 1 else ''} ({show(list(df.columns), n)}), missing "
                   + ", ".join(map(repr, missing)), fix)
    return df


def same_index(values: Mapping[str, Any], *, func: str) -> None:
    """Refuse Series arguments whose indexes differ when rows are matched by position.

    Examples
    --------
    >>> a, b = pd.Series([1.0, 2.0]), pd.Series([3.0, 4.0], index=[1, 0])
    >>> same_index({"principal": a, "start": b}, func="f")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: start must have the same index as principal (values \
are matched by position); got an index that differs. Align them first, e.g. \
start.reindex(principal.index), or pass arrays.
    """
    named = [(k, v.index) for k, v in values.items() if isinstance(v, pd.Series)]
    for key, idx in named[1:]:
        first, ref = named[0]
        if not idx.equals(ref):
            raise fail(func, key, f"must have the same index as {first} (values are matched by position)",
                       "an index that differs",
                       f"Align them first, e.g. {key}.reindex({first}.index), or pass arrays.")


def single(value: Any, *, func: str, name: str, fix: str = "") -> Any:
    """``value`` unless it is a list, tuple, array, Series, Index, mapping or set.

    Examples
    --------
    >>> single([1_000.0], func="schedule", name="principal", fix="Use schedules(...) for many loans.")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: schedule: principal must be a single value; got a list of \
1. Use schedules(...) for many loans.
    """
    value = _item(value)
    if _is_listlike_input(value):
        size = f" of {len(value)}" if hasattr(value, "__len__") else ""
        raise fail(func, name, "must be a single value", f"a {type(value).__name__}{size}", fix)
    return value


def many(value: Any) -> bool:
    """Whether ``value`` is a list-like of values (list, tuple, array of 1+ dimensions, Series, ...).

    >>> many([1]), many(np.array(2.0)), many("2025-01-31")
    (True, False, False)
    """
    return _is_listlike_input(value) and not (isinstance(value, np.ndarray) and value.ndim == 0)


# --- added for records and features ---
# Column readers for tables: like parse_dates, each reads a whole column the
# library's one way and reports the rows breaking a rule (masks) instead of
# raising, so a table validator can list every problem at once. The raising
# forms (``ids``) serve single columns such as observations.borrower_id.

#: Rule of an identifier value (rows of an object column).
RULE_ID: Final = "must be a string or a whole number (identifiers are text)"
#: Rule of a number value that cannot be read (rows of an object or string column).
RULE_NUMBER: Final = "cannot be read as a number"
#: Rule of a bool where a number is expected.
RULE_BOOL_NUMBER: Final = "a bool is not a number"
#: Rule of a complex number where a real number is expected.
RULE_COMPLEX: Final = "complex numbers are refused; only real numbers are accepted"


@dataclass(frozen=True, slots=True)
class ParsedIds:
    """Identifiers read from a column, and the rows that broke a rule.

    Attributes
    ----------
    ids : pandas.arrays.StringArray
        The identifiers as pandas ``string`` (``<NA>`` where missing or invalid).
    missing : ndarray of bool
        Where the input itself was missing (``None``, ``NaN``, ``NaT``, ``pd.NA``).
    problems : dict of str to ndarray of bool
        Rule text to the rows that broke it (only rules with offenders).
    column_problem : str or None
        A rule the whole column breaks (its dtype), without the dtype itself.
    """

    ids: Any
    missing: BoolArray
    problems: dict[str, BoolArray] = field(default_factory=dict)
    column_problem: str | None = None


def _id_dtype_problem(dtype: Any) -> str | None:
    """Why a column of ``dtype`` cannot hold identifiers (None when it can, or must be read row by row)."""
    kind = getattr(dtype, "kind", "O")
    if pd.api.types.is_bool_dtype(dtype):
        return "must hold strings or whole numbers; a bool is not an identifier"
    if pd.api.types.is_float_dtype(dtype) or kind == "f":
        return ("must hold strings or whole numbers, not floats (float identifiers usually hide "
                "NaN-damaged integers); convert with .astype('Int64').astype('string')")
    if kind in "Mmc" or isinstance(dtype, pd.DatetimeTZDtype):
        return "must hold strings or whole numbers, not dates, durations or complex numbers"
    return None


def _no_ids(n: int) -> Any:
    """``n`` missing identifiers."""
    return pd.array(np.full(n, None, dtype=object), dtype="string")


def parse_ids(values: Any) -> ParsedIds:
    """Read identifiers the library's one way; report rows breaking the rule instead of raising.

    Strings and whole numbers stored as integers (read as their decimal
    text) are identifiers; booleans, floats (even whole ones), dates and
    other objects are not, whether the column has a plain, nullable,
    pyarrow-backed (``string``, ``large_string``, integers) or categorical
    dtype (read through its categories) or holds Python objects.

    Examples
    --------
    >>> p = parse_ids(np.array(["b1", 7, True, None], dtype=object))
    >>> list(p.ids), p.missing.tolist(), [m.tolist() for m in p.problems.values()]
    (['b1', '7', <NA>, <NA>], [False, False, False, True], [[False, False, True, False]])
    >>> parse_ids(np.array([1.0, 2.0])).column_problem[:40]
    'must hold strings or whole numbers, not '
    """
    s = _as_series(values)
    n = len(s)
    dtype = s.dtype
    missing = np.asarray(s.isna(), dtype=bool)
    if isinstance(dtype, pd.CategoricalDtype):
        inner = parse_ids(pd.Series(dtype.categories, copy=False))
        codes = np.asarray(s.cat.codes.to_numpy(), dtype=np.int64)
        seen = codes >= 0
        if inner.column_problem is not None:
            return ParsedIds(_no_ids(n), ~seen, {}, f"(categories of dtype {dtype.categories.dtype}) "
                             + inner.column_problem)
        out = inner.ids.take(np.where(seen, codes, -1), allow_fill=True)
        picked = np.where(seen, codes, 0)
        problems = {r: seen & m[picked] for r, m in inner.problems.items()}
        return ParsedIds(out, ~seen, {r: m for r, m in problems.items() if m.any()})
    if missing.all():
        return ParsedIds(_no_ids(n), missing)
    problem = _id_dtype_problem(dtype)
    if problem is not None:
        return ParsedIds(_no_ids(n), missing, {}, problem)
    is_plain_text = (pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype))
    if is_plain_text or pd.api.types.is_integer_dtype(dtype):
        return ParsedIds(s.astype("string").array, missing)
    obj = s.to_numpy(dtype=object) if pd.api.types.is_object_dtype(dtype) else s.astype(object).to_numpy()
    inferred = pd.api.types.infer_dtype(obj, skipna=True)
    if inferred in ("string", "integer"):
        return ParsedIds(object_series(obj).astype("string").array, missing)
    ok = np.fromiter(
        ((isinstance(v, str) or _is_int(v)) for v in obj), dtype=bool, count=n
    ) | missing
    bad = ~ok
    out = object_series(blanked(obj, bad | missing)).astype("string").array
    return ParsedIds(out, missing, {RULE_ID: bad} if bad.any() else {})


def ids(values: Any, *, func: str, name: str, allow_missing: bool = False) -> Any:
    """Identifiers of a column as pandas ``string``; any broken rule raises :class:`InvalidInputError`.

    Examples
    --------
    >>> list(ids(pd.Series([7, 8]), func="f", name="borrower_id"))
    ['7', '8']
    >>> ids(pd.Series(["b1", True], dtype=object), func="f", name="borrower_id")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: borrower_id must be a string or a whole number \
(identifiers are text); got 1 value (True) at row 1.
    """
    index = values.index if isinstance(values, pd.Series) else None
    parsed = parse_ids(values)
    if parsed.column_problem is not None:
        raise fail(func, name, parsed.column_problem, f"dtype {_as_series(values).dtype}")
    for rule, mask in parsed.problems.items():
        raise fail(func, name, rule, offending(mask, _as_series(values).to_numpy(dtype=object), index))
    if not allow_missing and parsed.missing.any():
        raise fail(func, name, "must not be missing", offending(parsed.missing, None, index),
                   "Every row needs an identifier.")
    return parsed.ids


@dataclass(frozen=True, slots=True)
class ParsedNumbers:
    """Real numbers read from a column, and the rows that broke a rule.

    Attributes
    ----------
    numbers : ndarray of float64
        The numbers (NaN where missing or invalid; infinities kept).
    missing : ndarray of bool
        Where the input itself was missing (``None``, ``NaN``, ``NaT``, ``pd.NA``).
    problems : dict of str to ndarray of bool
        Rule text to the rows that broke it (only rules with offenders).
    column_problem : str or None
        A rule the whole column breaks (its dtype), without the dtype itself.
    """

    numbers: FloatArray
    missing: BoolArray
    problems: dict[str, BoolArray] = field(default_factory=dict)
    column_problem: str | None = None


def _number_dtype_problem(dtype: Any) -> str | None:
    kind = getattr(dtype, "kind", "O")
    if pd.api.types.is_bool_dtype(dtype):
        return f"must hold real numbers; {RULE_BOOL_NUMBER}"
    if pd.api.types.is_complex_dtype(dtype) or kind == "c":
        return f"must hold real numbers; {RULE_COMPLEX}"
    if kind == "m":
        return "must hold real numbers; durations (timedeltas) are not amounts"
    if kind == "M" or isinstance(dtype, pd.DatetimeTZDtype):
        return "must hold real numbers, not dates"
    return None


def _one_number(v: Any) -> tuple[float, str | None]:
    """One object cell as a float, or NaN and the rule it breaks."""
    if isinstance(v, bool | np.bool_):
        return np.nan, RULE_BOOL_NUMBER
    if isinstance(v, complex | np.complexfloating):
        return np.nan, RULE_COMPLEX
    if isinstance(v, str):
        got = pd.to_numeric(pd.Series([v], dtype=object), errors="coerce").to_numpy(dtype=np.float64)[0]
        return (float(got), None) if not np.isnan(got) else (np.nan, RULE_NUMBER)
    if _is_real(v) or isinstance(v, decimal.Decimal):
        try:
            x = float(v)
        except (OverflowError, ValueError, TypeError):
            return np.nan, RULE_NUMBER
        return (x, None) if not np.isnan(x) else (np.nan, None)
    return np.nan, RULE_NUMBER


def parse_numbers(values: Any) -> ParsedNumbers:
    """Read real numbers the library's one way; report rows breaking a rule instead of raising.

    Numeric dtypes (plain, nullable, pyarrow-backed) are read as float64;
    strings are read as decimal numbers (``"12.5"``; ``"12,5x"`` is refused);
    booleans, complex numbers, timedeltas and dates are refused, as a dtype
    or row by row in an object column. A categorical column is read
    through its categories. A value that is present but reads as NaN (the
    string ``"nan"``) is refused, never taken for a missing value.

    Examples
    --------
    >>> p = parse_numbers(np.array([1, "2.5", True, 1j, None], dtype=object))
    >>> p.numbers.tolist()[:2], sorted(p.problems)
    ([1.0, 2.5], ['a bool is not a number', 'complex numbers are refused; only real numbers are accepted'])
    """
    s = _as_series(values)
    n = len(s)
    dtype = s.dtype
    missing = np.asarray(s.isna(), dtype=bool)
    nan = np.full(n, np.nan)
    if isinstance(dtype, pd.CategoricalDtype):
        inner = parse_numbers(pd.Series(dtype.categories, copy=False))
        codes = np.asarray(s.cat.codes.to_numpy(), dtype=np.int64)
        seen = codes >= 0
        if inner.column_problem is not None:
            return ParsedNumbers(nan, ~seen, {}, inner.column_problem)
        picked = np.where(seen, codes, 0)
        out = np.where(seen, inner.numbers[picked], np.nan) if inner.numbers.size else nan
        problems = {r: seen & m[picked] for r, m in inner.problems.items()}
        return ParsedNumbers(out, ~seen, {r: m for r, m in problems.items() if m.any()})
    if missing.all():
        return ParsedNumbers(nan, missing)
    problem = _number_dtype_problem(dtype)
    if problem is not None:
        return ParsedNumbers(nan, missing, {}, problem)
    if pd.api.types.is_numeric_dtype(dtype):
        try:
            return ParsedNumbers(np.array(s.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64,
                                          copy=True), missing)
        except (TypeError, ValueError, OverflowError):
            pass  # read cell by cell below
    is_plain_text = pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype)
    obj = s.to_numpy(dtype=object) if pd.api.types.is_object_dtype(dtype) else s.astype(object).to_numpy()
    inferred = "string" if is_plain_text else pd.api.types.infer_dtype(obj, skipna=True)
    if inferred in ("string", "integer", "floating", "mixed-integer-float", "decimal"):
        try:
            got = pd.to_numeric(object_series(blanked(obj, missing)), errors="coerce")
            read = np.array(got.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64, copy=True)
        except (TypeError, ValueError, OverflowError):
            pass  # read cell by cell below
        else:
            unread = np.isnan(read) & ~missing
            return ParsedNumbers(read, missing, {RULE_NUMBER: unread} if unread.any() else {})
    # mixed objects: cell by cell (bools, complex numbers and others are told apart)
    out = np.full(n, np.nan)
    masks: dict[str, BoolArray] = {}
    for k in np.flatnonzero(~missing):
        x, rule = _one_number(obj[k])
        if rule is None:
            out[k] = x
        else:
            masks.setdefault(rule, np.zeros(n, dtype=bool))[k] = True
    return ParsedNumbers(out, missing, masks)


def date_format_param(value: Any, *, func: str, name: str = "date_format") -> str | None:
    """``None`` (ISO 8601) or a ``strftime`` format string such as ``'%d/%m/%Y'``.

    ``"mixed"`` (pandas' guess per element) is refused: it reads one column
    two ways. ``"ISO8601"`` is the default spelled out.

    Examples
    --------
    >>> date_format_param("%d/%m/%Y", func="f")
    '%d/%m/%Y'
    >>> date_format_param("mixed", func="f")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: date_format must be None (ISO 8601) or a strftime \
format such as '%d/%m/%Y'; got 'mixed'. Declare the one format of the strings.
    """
    if value is None:
        return None
    if isinstance(value, str) and (value == "ISO8601" or "%" in value):
        return value
    raise fail(func, name, "must be None (ISO 8601) or a strftime format such as '%d/%m/%Y'", _what(value),
               "Declare the one format of the strings.")


def is_integer(value: Any) -> bool:
    """Whether ``value`` is an integer by the library's rule (``int`` or a numpy integer, not a bool)."""
    return _is_int(value)


def blanked(values: npt.NDArray[Any], mask: BoolArray) -> npt.NDArray[np.object_]:
    """An object copy of ``values`` with ``None`` where ``mask`` is set."""
    out = np.array(values, dtype=object, copy=True)
    out[mask] = None
    return out


def object_series(values: npt.NDArray[Any]) -> pd.Series:
    """``values`` as an object Series (no string inference under pandas 3)."""
    out: pd.Series = pd.Series(np.asarray(values, dtype=object), dtype=np.dtype(object), copy=False)
    return out


# --- added for metrics, monitoring and plotting ---


def same_rows(
    func: str,
    first: tuple[str, int, pd.Index | None],
    second: tuple[str, int, pd.Index | None],
) -> None:
    """Two vectors describe the same rows: one value per row and, for two Series, one index.

    ``first`` and ``second`` are ``(name, length, index or None)``. Series are
    never matched by position when their indexes differ, nor realigned
    silently: a different index (even the same labels in another order) is
    refused.

    Examples
    --------
    >>> same_rows("f", ("y", 3, None), ("score", 2, None))
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: score must have one value per row of y (3); got 2 \
values. Pass y and score for the same rows.
    """
    name_a, n_a, index_a = first
    name_b, n_b, index_b = second
    if n_a != n_b:
        raise fail(func, name_b, f"must have one value per row of {name_a} ({n_a})",
                   f"{n_b} value{'s' if n_b != 1 else ''}", f"Pass {name_a} and {name_b} for the same rows.")
    if index_a is None or index_b is None or index_a.equals(index_b):
        return
    a = index_a.to_numpy(dtype=object)
    b = index_b.to_numpy(dtype=object)
    differ = np.fromiter((not _same_label(u, v) for u, v in zip(a, b, strict=True)), dtype=bool,
                         count=n_a)
    raise fail(func, name_b, f"must have the same index as {name_a} (Series are never matched by "
               "position or realigned silently)", "labels that differ: " + offending(differ, b),
               f"Align them first, e.g. {name_b}.reindex({name_a}.index).")


def _same_label(u: Any, v: Any) -> bool:
    try:
        return bool(u == v and type(u) is type(v)) or (_missing_scalar(u) and _missing_scalar(v))
    except (TypeError, ValueError):  # pragma: no cover - exotic __eq__
        return False


def both_classes(
    is_bad: BoolArray, *, func: str, weight: FloatArray | None = None, name: str = "y"
) -> tuple[float, float]:
    """The (weighted) number of bads and goods; both must be positive.

    Examples
    --------
    >>> both_classes(np.array([False, False]), func="f")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: y must hold both bads (1) and goods (0); got 2 goods \
and no bads. Evaluate on a sample that contains both outcomes.
    """
    if weight is None:
        n_bad = float(np.count_nonzero(is_bad))
        n_good = float(is_bad.size) - n_bad
    else:
        # sums of scaled weights, scaled back as Python floats: huge weights give inf, no warning
        scale = float(weight.max()) if weight.size else 1.0
        scale = scale if scale > 0.0 else 1.0
        n_bad = float((weight[is_bad] / scale).sum()) * scale
        n_good = float((weight[~is_bad] / scale).sum()) * scale
    if n_bad > 0.0 and n_good > 0.0:
        return n_bad, n_good
    extra = " with a positive weight" if weight is not None else ""
    bads = int(np.count_nonzero(is_bad))
    count, kind = (is_bad.size - bads, "good") if n_bad <= 0.0 else (bads, "bad")
    have = f"{count} {kind}{'s' if count != 1 else ''}"
    lacking = "bads" if n_bad <= 0.0 else "goods"
    raise fail(func, name, "must hold both bads (1) and goods (0)", f"{have} and no {lacking}{extra}",
               "Evaluate on a sample that contains both outcomes.")


def outcome_and_score(
    y: Any,
    score: Any,
    *,
    func: str,
    score_name: str = "score",
    probability: bool = False,
    sample_weight: Any = None,
    need_both: bool = True,
) -> tuple[BoolArray, FloatArray, FloatArray | None, pd.Index | None]:
    """A 0/1 target, a finite score (or a PD in [0, 1]) and optional weights of the same rows.

    Returns ``y == 1``, the score, the weights (None when not given) and the
    index of the first Series among them (None for arrays).
    """
    target, y_index = binary_target(y, func=func)
    if probability:
        s, s_index = float_vector(score, func=func, name=score_name, low=0.0, high=1.0,
                                  fix="Pass PDs, not scores or percentages.")
    else:
        s, s_index = float_vector(score, func=func, name=score_name)
    same_rows(func, ("y", target.size, y_index), (score_name, s.size, s_index))
    w: FloatArray | None = None
    if sample_weight is not None:
        w, w_index = weights(sample_weight, target.size, func=func)
        same_rows(func, ("y", target.size, y_index if y_index is not None else s_index),
                  ("sample_weight", w.size, w_index))
    is_bad = target == 1.0
    if need_both:
        both_classes(is_bad, func=func, weight=w)
    return is_bad, s, w, y_index if y_index is not None else s_index


def cut_points(edges: Any, *, func: str, name: str = "edges") -> FloatArray:
    """Interior cut points: finite, strictly increasing, at least one.

    Examples
    --------
    >>> cut_points([560, 540], func="f")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: edges must be strictly increasing; got 1 value (540.0) \
at position 1. Sort them and drop repeats.
    """
    arr, _ = float_vector(edges, func=func, name=name,
                          fix="Cut points are finite; the outer bands are already open-ended.")
    down = np.concatenate(([False], np.diff(arr) <= 0.0))
    if down.any():
        raise fail(func, name, "must be strictly increasing", offending(down, arr),
                   "Sort them and drop repeats.")
    return arr


def real_pair(
    value: Any, *, func: str, name: str, rule: str, ok: Any, fix: str = ""
) -> tuple[float, float]:
    """A pair of finite reals ``(a, b)`` (list, tuple, array or Index) for which ``ok(a, b)`` holds.

    ``rule`` states the requirement in words, e.g. ``"must be a pair (amber,
    red) with 0 <= amber <= red"``.

    Examples
    --------
    >>> real_pair((0.3, 0.2), func="f", name="thresholds", ok=lambda a, b: a <= b,
    ...           rule="must be a pair (amber, red) with amber <= red")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: thresholds must be a pair (amber, red) with amber <= \
red; got (0.3, 0.2).
    """
    items: tuple[Any, ...] | None = None
    if isinstance(value, list | tuple | np.ndarray | pd.Index | pd.Series):
        try:
            items = listlike(value, func=func, name=name)
        except InvalidInputError:
            items = None
    shown = _what(value) if not isinstance(value, np.ndarray | pd.Index | pd.Series) else (
        f"{type(value).__name__} {show(np.asarray(value, dtype=object).reshape(-1))}")
    if items is None or len(items) != 2 or not all(_is_real(v) for v in items):
        raise fail(func, name, rule, shown, fix)
    a, b = _to_float(items[0]), _to_float(items[1])
    if not (np.isfinite(a) and np.isfinite(b) and ok(a, b)):
        raise fail(func, name, rule, shown, fix)
    return a, b


def callable_member(obj: Any, member: str, *, func: str, name: str, what: str) -> Any:
    """``getattr(obj, member)`` when it is callable, or the standard error naming ``name``."""
    got = getattr(obj, member, None)
    if not callable(got):
        raise fail(func, name, f"must be {what} (an object with a {member}() method)",
                   f"a {type(obj).__name__}" if not isinstance(obj, int | float | str) else _what(obj))
    return got


# --- added for scorecard SQL dialects ---


def sql_name(value: Any, *, func: str, name: str) -> str:
    """A name an SQL statement can quote: non-empty text without NUL characters or lone surrogates.

    Any other character (spaces, quotes, dots, Chinese) is allowed: the
    caller quotes the name, doubling the quote character inside it.

    Examples
    --------
    >>> sql_name("月 收入", func="f", name="table")
    '月 收入'
    >>> sql_name("", func="f", name="table")
    Traceback (most recent call last):
    ...
    jiebei_credit.errors.InvalidInputError: f: table must be a non-empty name without NUL characters \
or lone surrogates; got ''. Rename it.
    """
    ok = isinstance(value, str) and bool(value) and "\x00" not in value
    if ok:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            ok = False
    if not ok:
        raise fail(func, name, "must be a non-empty name without NUL characters or lone surrogates",
                   _what(value), "Rename it.")
    return str(value)
