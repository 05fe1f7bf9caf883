"""Support for the hostile-input suites of metrics, monitoring and plotting.

A *variant* is a value put in place of one argument of a valid call: either
another representation of the same data (a list, a pyarrow or nullable
Series, a bool target, ...), whose ``plain`` is that data as a float array,
or a value that must be refused (``plain is REFUSE``).

:func:`check` runs one call and asserts one of two outcomes:

* the call returns, the variant stood for valid data, and the result equals
  the reference computed on the plain data; or
* the call raises a :class:`~jiebei_credit.errors.JiebeiCreditError` whose
  message names the argument that was changed (or one of the names given);

and, whatever happened, that no argument was mutated and that
``warnings.filters`` is unchanged (any warning at all fails the test, since
the suite runs with warnings as errors).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from jiebei_credit.errors import JiebeiCreditError


class _Refuse:
    def __repr__(self) -> str:
        return "REFUSE"


#: ``plain`` of a variant that must be refused.
REFUSE: Any = _Refuse()


class _Any:
    def __repr__(self) -> str:
        return "ANY"


#: ``plain`` of a variant that may be read either way (e.g. numbers in a categorical for PSI):
#: refusing it is fine, and a result is checked for its invariants only.
ANY: Any = _Any()


@dataclass(frozen=True)
class Variant:
    """A value for one argument, what it stands for, and a label for failure reports."""

    label: str
    value: Any
    plain: Any

    def __repr__(self) -> str:
        return f"Variant({self.label!r})"


# ------------------------------------------------------------ comparisons ---


def same(a: Any, b: Any) -> bool:
    """Deep equality with NaN equal to NaN, dtypes and indexes included (for mutation checks)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, pd.DataFrame):
        try:
            pd.testing.assert_frame_equal(a, b, check_exact=True, check_flags=True)
        except AssertionError:
            return False
        return bool(a.columns.equals(b.columns))
    if isinstance(a, pd.Series):
        try:
            pd.testing.assert_series_equal(a, b, check_exact=True)
        except AssertionError:
            return False
        return True
    if isinstance(a, pd.Index):
        return bool(a.equals(b)) and a.dtype == b.dtype
    if isinstance(a, np.ndarray):
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        if a.dtype.kind == "O":
            return all(same(u, v) for u, v in zip(a.ravel().tolist(), b.ravel().tolist(), strict=True))
        return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(u, v) for u, v in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float) and np.isnan(a):
        return bool(np.isnan(b))
    if hasattr(a, "__dict__") and not isinstance(a, type):  # a user object: compare its state
        return same(vars(a), vars(b))
    if type(a).__eq__ is object.__eq__:  # no state, no equality of its own: same type is the same
        return True
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return repr(a) == repr(b)


_DATA = (pd.DataFrame, pd.Series, pd.Index, np.ndarray, str, bytes, int, float, complex, bool, np.generic)


def _is_data(v: Any) -> bool:
    if v is None or isinstance(v, _DATA):
        return True
    if isinstance(v, list | tuple | set):
        return all(_is_data(u) for u in v)
    if isinstance(v, dict):
        return all(_is_data(u) for u in v.values())
    return False


def snapshot(args: dict[str, Any]) -> dict[str, Any]:
    """Deep copies of the arguments that are data (not user objects such as cards or Axes)."""
    return {k: copy.deepcopy(v) for k, v in args.items() if _is_data(v)}


def names_argument(message: str, names: Sequence[str]) -> bool:
    """Whether the message names one of the arguments (as a word, with or without a subscript)."""
    return any(re.search(rf"(?<![\w.]){re.escape(n)}(?![\w])", message) for n in names)


def check(
    fn: Callable[..., Any],
    args: dict[str, Any],
    *,
    changed: Sequence[str],
    valid: bool,
    reference: Callable[[], Any] | None,
    agree: Callable[[Any, Any], None],
) -> str:
    """Run ``fn(**args)`` and assert the two-outcome rule; return "ok" or "refused".

    ``valid`` says whether the arguments stand for valid data; ``reference``
    computes the right answer from the plain data (it may raise ValueError
    when the answer is undefined, e.g. a single class, in which case the call
    must be refused). ``agree(result, expected)`` asserts equality.
    """
    before = snapshot(args)
    filters = list(warnings.filters)
    try:
        result = fn(**args)
    except JiebeiCreditError as exc:
        outcome: Any = exc
    else:
        outcome = None
    assert warnings.filters == filters, "the call changed warnings.filters"
    for k, v in before.items():
        assert same(args[k], v), f"the call mutated its argument {k!r}"
    if outcome is not None:
        message = str(outcome)
        assert names_argument(message, changed), f"the error does not name {list(changed)}: {message}"
        return "refused"
    assert valid, f"a value that must be refused was accepted (changed: {list(changed)})"
    if reference is None:  # ANY: no single right answer, only invariants
        agree(result, None)
        return "ok"
    try:
        expected = reference()
    except ValueError as exc:  # undefined on the plain data: the call had to refuse
        raise AssertionError(f"the call returned where the reference is undefined: {exc}") from None
    agree(result, expected)
    return "ok"


# --------------------------------------------------------------- variants ---


def _index_like(n: int) -> pd.Index:
    return pd.RangeIndex(n)


def vector_variants(v: np.ndarray, kind: str) -> list[Variant]:
    """Representations and corruptions of the float vector ``v`` (kind: target/real/prob/weight)."""
    n = v.size
    out = [
        Variant("ndarray", v.copy(), v),
        Variant("list", v.tolist(), v),
        Variant("tuple", tuple(v.tolist()), v),
        Variant("series", pd.Series(v), v),
        Variant("series, repeated index labels", pd.Series(v, index=[0] * n), v),
        Variant("series, other labels", pd.Series(v, index=np.arange(n) + 100), v),
        Variant("pandas Index", pd.Index(v), v),
        Variant("pyarrow double", pd.Series(v, dtype="double[pyarrow]"), v),
        Variant("nullable Float64", pd.Series(v, dtype="Float64"), v),
        Variant("object array", np.array(v.tolist(), dtype=object), v),
        Variant("float32", v.astype(np.float32), v.astype(np.float32).astype(np.float64)),
        Variant("categorical", pd.Series(v).astype("category"), v),
        Variant("2-D", v.reshape(-1, 1), REFUSE),
        Variant("DataFrame", pd.DataFrame({"x": v}), REFUSE),
        Variant("empty", np.array([], dtype=np.float64), REFUSE),
        Variant("None", None, REFUSE),
        Variant("a string", "0,1", REFUSE),
        Variant("a dict", dict(enumerate(v.tolist())), REFUSE),
        Variant("a set", set(v.tolist()), REFUSE),
        Variant("scalar", 1.0, REFUSE),
        Variant("complex", v.astype(np.complex128), REFUSE),
        Variant("timedelta", pd.to_timedelta(v, unit="D"), REFUSE),
        Variant("datetime", pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(v, unit="D")), REFUSE),
        Variant("strings", np.array([str(x) for x in v.tolist()]), REFUSE),
        Variant("one row short", v[:-1].copy(), REFUSE),
        Variant("one row more", np.append(v, v[:1]), REFUSE),
        Variant("NaN", _put(v, 0, np.nan), REFUSE),
        Variant("pd.NA in nullable", pd.Series(_put(v, n - 1, np.nan), dtype="Float64"), REFUSE),
        Variant("None in object", np.array([None, *v[1:].tolist()], dtype=object), REFUSE),
        Variant("+inf", _put(v, n // 2, np.inf), REFUSE),
        Variant("-inf", _put(v, 0, -np.inf), REFUSE),
        Variant("10**400 in object", np.array([10**400, *v[1:].tolist()], dtype=object), REFUSE),
        # a bool is a valid outcome (True = bad), never a number
        Variant("a bool in object", np.array([True, *v[1:].tolist()], dtype=object),
                _put(v, 0, 1.0) if kind == "target" else REFUSE),
        Variant("a string in object", np.array(["x", *v[1:].tolist()], dtype=object), REFUSE),
        Variant("a timedelta in object", np.array([dt.timedelta(1), *v[1:].tolist()], dtype=object), REFUSE),
    ]
    integral = bool(np.all(v == np.round(v))) and bool(np.all(np.abs(v) < 2**31))
    if integral:
        out += [
            Variant("int64", v.astype(np.int64), v),
            Variant("int8" if np.all(np.abs(v) < 100) else "int32",
                    v.astype(np.int8 if np.all(np.abs(v) < 100) else np.int32), v),
            Variant("nullable Int64", pd.Series(v.astype(np.int64), dtype="Int64"), v),
            Variant("pyarrow int64", pd.Series(v.astype(np.int64), dtype="int64[pyarrow]"), v),
        ]
    if kind == "target":
        out += [
            Variant("bool", v.astype(bool), v),
            Variant("nullable boolean", pd.Series(v.astype(bool), dtype="boolean"), v),
            Variant("pyarrow bool", pd.Series(v.astype(bool), dtype="bool[pyarrow]"), v),
            Variant("a 2", _put(v, 0, 2.0), REFUSE),
            Variant("a -1", _put(v, n - 1, -1.0), REFUSE),
            Variant("0.5", _put(v, 0, 0.5), REFUSE),
            Variant("strings '0'/'1'", np.array([str(int(x)) for x in v]), REFUSE),
        ]
    else:
        out += [Variant("bool", (v > np.median(v)), REFUSE)]
    if kind == "real":
        big = np.finfo(np.float64).max
        out += [
            Variant("huge values", _put(_put(v, 0, big), n - 1, -big), _put(_put(v, 0, big), n - 1, -big)),
            Variant("subnormal", _put(v, 0, 5e-324), _put(v, 0, 5e-324)),
            Variant("all equal", np.full(n, 3.0), np.full(n, 3.0)),
        ]
    if kind == "prob":
        out += [
            Variant("above 1", _put(v, 0, 1.5), REFUSE),
            Variant("below 0", _put(v, n - 1, -0.1), REFUSE),
            Variant("percent", v * 100.0 + 1.0, REFUSE),
            Variant("tiny PDs", _put(v, 0, 5e-324), _put(v, 0, 5e-324)),
        ]
    if kind == "weight":
        big = np.finfo(np.float64).max
        out += [
            Variant("negative", _put(v, 0, -1.0), REFUSE),
            Variant("all zero", np.zeros(n), REFUSE),
            Variant("huge weights", np.full(n, big), np.full(n, big)),
            Variant("tiny weights", np.full(n, 5e-324), np.full(n, 5e-324)),
        ]
    return out


def _put(v: np.ndarray, i: int, value: float) -> np.ndarray:
    out = np.array(v, dtype=np.float64, copy=True)
    out[i] = value
    return out


def scalar_variants(valid: Sequence[Any], invalid: Sequence[Any]) -> list[Variant]:
    """Scalar parameters: each valid value stands for itself, each invalid one must be refused."""
    return [Variant(f"valid {v!r}", v, v) for v in valid] + [
        Variant(f"invalid {v!r}", v, REFUSE) for v in invalid
    ]


#: Values of the wrong type for any scalar parameter.
WRONG_TYPES: tuple[Any, ...] = (
    None, True, np.bool_(False), "1", b"1", 1 + 0j, dt.timedelta(days=1), np.timedelta64(1, "D"),
    [1], (1, 2), {"a": 1}, object(), float("nan"),
)


def integer_variants(good: int) -> list[Variant]:
    return scalar_variants(
        [good, np.int64(good), np.int32(good), 10**6],
        [0, -1, float(good), np.float64(good), 2.5, *WRONG_TYPES],
    )


def draw_variant(draw: st.DrawFn, variants: Sequence[Variant]) -> Variant:
    return draw(st.sampled_from(list(variants)))
